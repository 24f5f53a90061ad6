"""Knowledge-base persistence: documents, their chunks, and the tenant's kb_version."""

from __future__ import annotations

import asyncio
import hashlib
import uuid
from datetime import UTC, datetime
from pathlib import Path

import msgspec
from piccolo.engine.base import Engine

from ..db.engine import write_transaction
from ..db.tables import KbChunk, KbDocument, Tenant
from .chunk import Chunk
from .extract import SUPPORTED_SUFFIXES
from .tokenize import TERMS_VERSION
from .worker import Prepared, prepare_text, prepare_upload

__all__ = ["PassageRow", "KbStore", "ChunkRow", "DocumentRow"]


#: Passages stored per transaction for big documents.
_BATCH = 200


class ChunkRow(msgspec.Struct, frozen=True, gc=False):  # strings only: no cycles
    id: str
    document_id: str
    title: str
    source: str
    heading: str
    text: str
    terms: str = ""
    terms_version: int = 0
    vector: bytes | None = None  # float32, unit length, made by vector_model
    vector_model: str = ""


class DocumentRow(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    title: str
    source: str
    content_type: str
    chunks: int
    created_at: datetime
    updated_at: datetime
    content: str | None = None
    # ready: every passage stored and searchable; indexing: a big document's passages are
    # still being stored (or were cut short: storing it again finishes it).
    status: str = "ready"


class PassageRow(msgspec.Struct, frozen=True, kw_only=True):
    ordinal: int
    heading: str
    text: str
    embedded: bool  # its vector is stored (meaning search), else words only for now


_DOC_COLUMNS = (
    KbDocument.id,
    KbDocument.title,
    KbDocument.source,
    KbDocument.content_type,
    KbDocument.created_at,
    KbDocument.updated_at,
    KbDocument.checksum,
)


def _doc(row: dict, chunks: int, content: str | None = None) -> DocumentRow:
    return DocumentRow(
        id=str(row["id"]),
        title=row["title"],
        source=row["source"],
        content_type=row["content_type"],
        chunks=chunks,
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        content=content,
        status="ready" if row["checksum"] else "indexing",
    )


def _as_uuid(value: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(value)
    except ValueError:
        return None


class KbStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    async def version(self, tenant_id: str) -> int:
        row = (
            await Tenant.select(Tenant.kb_version).where(Tenant.id == uuid.UUID(tenant_id)).first()
        )
        return row["kb_version"] if row else 0

    async def upsert_document(
        self,
        tenant_id: str,
        *,
        title: str,
        content: str,
        source: str = "",
        content_type: str = "text/markdown",
    ) -> tuple[str, bool]:
        """Store a document and its chunks; the same ``source`` replaces the old version.

        The text is cleaned (:mod:`.sanitize`), chunked and tokenised first, in a thread (linear
        work). Returns (document id, changed). An unchanged document is left alone.
        """
        prepared = await asyncio.to_thread(prepare_text, title, content, content_type)
        return await self.store_prepared(tenant_id, prepared, source)

    async def add_answer(self, tenant_id: str, question: str, answer: str) -> tuple[str, bool]:
        """A question and its answer as one entry, the question its heading; the same question
        (any case or spacing) again replaces the earlier answer."""
        question = " ".join(question.split())
        return await self.upsert_document(
            tenant_id,
            title=question,
            content=f"## {question}\n\n{answer.strip()}\n",
            source=f"qa:{question.casefold()[:480]}",
        )

    async def edit_document(
        self, tenant_id: str, document_id: str, *, title: str, content: str
    ) -> tuple[str, bool] | None:
        """Replace one document's title and text (kept as Markdown); None: no such document."""
        doc = await self.document(tenant_id, document_id)
        if doc is None:
            return None
        prepared = await asyncio.to_thread(prepare_text, title, content, "text/markdown")
        return await self.store_prepared(tenant_id, prepared, doc.source, document_id=doc.id)

    async def passages(self, tenant_id: str, document_id: str) -> list[PassageRow] | None:
        """A document's passages in order, as the bot searches them; None: no such document."""
        did = _as_uuid(document_id)
        if did is None or not await KbDocument.exists().where(
            (KbDocument.tenant == uuid.UUID(tenant_id)) & (KbDocument.id == did)
        ):
            return None
        rows = (
            await KbChunk.select(
                KbChunk.ordinal, KbChunk.heading, KbChunk.text, KbChunk.vector_model
            )
            .where(KbChunk.document == did)
            .order_by(KbChunk.ordinal)
        )
        return [
            PassageRow(
                ordinal=r["ordinal"],
                heading=r["heading"],
                text=r["text"],
                embedded=bool(r["vector_model"]),
            )
            for r in rows
        ]

    async def store_prepared(
        self, tenant_id: str, prepared: Prepared, source: str = "", *, document_id: str = ""
    ) -> tuple[str, bool]:
        """Store a document already cleaned and chunked (:func:`~.worker.prepare_text`, or an
        upload read by :func:`~.worker.prepare_upload`) under ``source`` (or as the document
        ``document_id``, replacing it)."""
        title, content, chunks = prepared.title, prepared.text, prepared.chunks
        content_type = prepared.content_type
        tid = uuid.UUID(tenant_id)
        checksum = hashlib.sha256(f"{title}\n{content_type}\n{content}".encode()).hexdigest()
        now = datetime.now(UTC)
        small = len(chunks) <= _BATCH
        async with write_transaction(self.engine):
            existing = None
            if document_id:
                existing = (
                    await KbDocument.select(KbDocument.id, KbDocument.checksum)
                    .where((KbDocument.tenant == tid) & (KbDocument.id == uuid.UUID(document_id)))
                    .first()
                )
            elif source:
                existing = (
                    await KbDocument.select(KbDocument.id, KbDocument.checksum)
                    .where((KbDocument.tenant == tid) & (KbDocument.source == source))
                    .first()
                )
            if existing and existing["checksum"] == checksum:
                return str(existing["id"]), False
            # A big document's checksum is set once all its passages are stored: one cut short
            # is stored again by the next upload instead of being taken as unchanged.
            fields = {
                KbDocument.title: title,
                KbDocument.content: content,
                KbDocument.content_type: content_type,
                KbDocument.checksum: checksum if small else "",
                KbDocument.updated_at: now,
            }
            if existing:
                doc_id = existing["id"]
                await KbChunk.delete().where(KbChunk.document == doc_id)
                await KbDocument.update(fields).where(KbDocument.id == doc_id)
            else:
                doc = KbDocument(
                    tenant=tid,
                    title=title,
                    source=source,
                    content=content,
                    content_type=content_type,
                    checksum=checksum if small else "",
                    created_at=now,
                    updated_at=now,
                )
                await KbDocument.insert(doc)
                doc_id = doc.id
            if small:
                await self._store_chunks(tid, doc_id, chunks)
                await self._bump(tid)
                return str(doc_id), True
        await self._store_chunks_in_batches(tid, doc_id, chunks)
        async with write_transaction(self.engine):
            await KbDocument.update({KbDocument.checksum: checksum}).where(KbDocument.id == doc_id)
            await self._bump(tid)
        return str(doc_id), True

    async def _store_chunks_in_batches(
        self, tid: uuid.UUID, doc_id: uuid.UUID, chunks: list[Chunk]
    ) -> None:
        """Batches in short transactions of their own: other tenants' writes (SQLite has one
        writer) and requests (one event loop) get their turn between them."""
        for start in range(0, len(chunks), _BATCH):
            async with write_transaction(self.engine):
                await self._store_chunks(tid, doc_id, chunks[start : start + _BATCH], start)
            await asyncio.sleep(0)

    async def _store_chunks(
        self, tid: uuid.UUID, doc_id: uuid.UUID, chunks: list[Chunk], first: int = 0
    ) -> None:
        if chunks:
            await KbChunk.insert(
                *[
                    KbChunk(
                        tenant=tid,
                        document=doc_id,
                        ordinal=first + i,
                        heading=c.heading[:300],
                        text=c.text,
                        terms=c.terms,
                        terms_version=TERMS_VERSION if c.terms else 0,
                    )
                    for i, c in enumerate(chunks)
                ]
            )

    async def documents(self, tenant_id: str) -> list[DocumentRow]:
        tid = uuid.UUID(tenant_id)
        rows = await KbDocument.select(*_DOC_COLUMNS).where(KbDocument.tenant == tid)
        counts: dict[str, int] = {}
        for chunk in await KbChunk.select(KbChunk.document).where(KbChunk.tenant == tid):
            counts[str(chunk["document"])] = counts.get(str(chunk["document"]), 0) + 1
        docs = [_doc(r, counts.get(str(r["id"]), 0)) for r in rows]
        return sorted(docs, key=lambda d: (d.title.lower(), d.id))

    async def document(self, tenant_id: str, document_id: str) -> DocumentRow | None:
        did = _as_uuid(document_id)
        if did is None:
            return None
        row = (
            await KbDocument.select(*_DOC_COLUMNS, KbDocument.content)
            .where((KbDocument.tenant == uuid.UUID(tenant_id)) & (KbDocument.id == did))
            .first()
        )
        if row is None:
            return None
        chunks = await KbChunk.count().where(KbChunk.document == did)
        return _doc(row, chunks, row["content"])

    async def reindex(self, tenant_id: str) -> int:
        """Chunk every document again (after a chunker change); returns the chunk count."""
        tid = uuid.UUID(tenant_id)
        docs = await KbDocument.select(
            KbDocument.id, KbDocument.title, KbDocument.content, KbDocument.content_type
        ).where(KbDocument.tenant == tid)
        for d in docs:
            prepared = await asyncio.to_thread(
                prepare_text, d["title"], d["content"], d["content_type"]
            )
            async with write_transaction(self.engine):
                await KbChunk.delete().where(KbChunk.document == d["id"])
            await self._store_chunks_in_batches(tid, d["id"], prepared.chunks)
        async with write_transaction(self.engine):
            await self._bump(tid)
        return await KbChunk.count().where(KbChunk.tenant == tid)

    async def delete_document(self, tenant_id: str, document_id: str) -> bool:
        tid = uuid.UUID(tenant_id)
        if _as_uuid(document_id) is None:
            return False
        async with write_transaction(self.engine):
            gone = (
                await KbDocument.delete()
                .where((KbDocument.tenant == tid) & (KbDocument.id == uuid.UUID(document_id)))
                .returning(KbDocument.id)
            )
            if gone:
                await self._bump(tid)
        return bool(gone)

    async def import_path(self, tenant_id: str, path: Path) -> list[tuple[str, bool]]:
        """Import one file, or every supported file under a directory."""
        if path.is_dir():
            files = sorted(p for p in path.rglob("*") if p.suffix.lower() in SUPPORTED_SUFFIXES)
        else:
            files = [path]
        return [await self.import_bytes(tenant_id, f.read_bytes(), f.name) for f in files]

    async def import_bytes(self, tenant_id: str, data: bytes, filename: str) -> tuple[str, bool]:
        """Import one file's content (read in a budgeted worker process); raises
        UnsupportedDocument for what can't be read."""
        return await self.store_prepared(tenant_id, await prepare_upload(data, filename), filename)

    async def chunks(self, tenant_id: str) -> list[ChunkRow]:
        rows = (
            await KbChunk.select(
                KbChunk.id,
                KbChunk.document,
                KbChunk.heading,
                KbChunk.text,
                KbChunk.terms,
                KbChunk.terms_version,
                KbChunk.vector,
                KbChunk.vector_model,
                KbChunk.document.title,
                KbChunk.document.source,
            )
            .where(KbChunk.tenant == uuid.UUID(tenant_id))
            .order_by(KbChunk.document)
            .order_by(KbChunk.ordinal)
        )
        return [
            ChunkRow(
                str(r["id"]),
                str(r["document"]),
                r["document.title"],
                r["document.source"],
                r["heading"],
                r["text"],
                r["terms"],
                r["terms_version"],
                bytes(r["vector"]) if r["vector"] is not None else None,
                r["vector_model"],
            )
            for r in rows
        ]

    async def save_vectors(self, vectors: list[tuple[str, bytes]], model: str) -> None:
        """Keep passages' embeddings (chunk id, float32 bytes) made by ``model``."""
        async with write_transaction(self.engine):
            for chunk_id, vector in vectors:
                await KbChunk.update({KbChunk.vector: vector, KbChunk.vector_model: model}).where(
                    KbChunk.id == uuid.UUID(chunk_id)
                )

    async def _bump(self, tid: uuid.UUID) -> None:
        await Tenant.update({Tenant.kb_version: Tenant.kb_version + 1}).where(Tenant.id == tid)
