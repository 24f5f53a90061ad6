"""Knowledge-base persistence: documents, their chunks, and the tenant's kb_version."""

from __future__ import annotations

import hashlib
import uuid
from datetime import UTC, datetime
from pathlib import Path

import msgspec
from piccolo.engine.base import Engine

from ..db.tables import KbChunk, KbDocument, Tenant
from .chunk import chunk_markdown, chunk_text
from .extract import SUPPORTED_SUFFIXES, extract

__all__ = ["KbStore", "ChunkRow"]


class ChunkRow(msgspec.Struct, frozen=True):
    id: str
    document_id: str
    title: str
    source: str
    heading: str
    text: str


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

        Returns (document id, changed). An unchanged document is left alone.
        """
        tid = uuid.UUID(tenant_id)
        checksum = hashlib.sha256(f"{title}\n{content_type}\n{content}".encode()).hexdigest()
        now = datetime.now(UTC)
        async with self.engine.transaction():
            existing = None
            if source:
                existing = (
                    await KbDocument.select(KbDocument.id, KbDocument.checksum)
                    .where((KbDocument.tenant == tid) & (KbDocument.source == source))
                    .first()
                )
            if existing and existing["checksum"] == checksum:
                return str(existing["id"]), False
            if existing:
                doc_id = existing["id"]
                await KbChunk.delete().where(KbChunk.document == doc_id)
                await KbDocument.update(
                    {
                        KbDocument.title: title,
                        KbDocument.content: content,
                        KbDocument.content_type: content_type,
                        KbDocument.checksum: checksum,
                        KbDocument.updated_at: now,
                    }
                ).where(KbDocument.id == doc_id)
            else:
                doc = KbDocument(
                    tenant=tid,
                    title=title,
                    source=source,
                    content=content,
                    content_type=content_type,
                    checksum=checksum,
                    created_at=now,
                    updated_at=now,
                )
                await KbDocument.insert(doc)
                doc_id = doc.id
            if content_type == "text/markdown":
                chunks = chunk_markdown(content, title=title)
            else:
                chunks = chunk_text(content, heading=title)
            if chunks:
                await KbChunk.insert(
                    *[
                        KbChunk(
                            tenant=tid,
                            document=doc_id,
                            ordinal=i,
                            heading=c.heading[:300],
                            text=c.text,
                        )
                        for i, c in enumerate(chunks)
                    ]
                )
            await self._bump(tid)
        return str(doc_id), True

    async def delete_document(self, tenant_id: str, document_id: str) -> bool:
        tid = uuid.UUID(tenant_id)
        async with self.engine.transaction():
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
        """Import one file's content; raises UnsupportedDocument for what can't be read."""
        doc = extract(data, filename)
        return await self.upsert_document(
            tenant_id,
            title=doc.title,
            content=doc.text,
            source=filename,
            content_type=doc.content_type,
        )

    async def chunks(self, tenant_id: str) -> list[ChunkRow]:
        rows = (
            await KbChunk.select(
                KbChunk.id,
                KbChunk.document,
                KbChunk.heading,
                KbChunk.text,
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
            )
            for r in rows
        ]

    async def _bump(self, tid: uuid.UUID) -> None:
        await Tenant.update({Tenant.kb_version: Tenant.kb_version + 1}).where(Tenant.id == tid)
