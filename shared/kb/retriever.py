"""Retrieve the best passages for a question from a tenant's knowledge base.

Each process keeps one BM25 index per tenant, rebuilt when the tenant's ``kb_version`` moves
(checked at most every ``version_ttl_s`` seconds, so other processes' imports are seen).
"""

from __future__ import annotations

import asyncio
import logging
import math
import operator
import time
from collections.abc import Awaitable, Callable

import msgspec

from .index import Bm25Index
from .query import Vocabulary, query_units
from .store import ChunkRow, KbStore
from .tokenize import TERMS_VERSION, passage_terms

__all__ = ["Retriever", "Passage"]

log = logging.getLogger("kefu.kb")


class Passage(msgspec.Struct, frozen=True):
    chunk_id: str
    document_id: str
    title: str
    source: str
    heading: str
    text: str
    score: float
    coverage: float
    similarity: float = 0.0  # cosine with the question, when embeddings are on


class _TenantIndex(msgspec.Struct):
    version: int
    checked_at: float
    index: Bm25Index
    chunks: list[ChunkRow]
    vocabulary: Vocabulary
    vectors: list[list[float]] | None = None


Embedder = Callable[[list[str]], Awaitable[list[list[float]] | None]]


#: The longest the index build runs before letting other requests in (a big knowledge base
#: takes seconds to tokenise; other tenants' visitors must not wait for it).
_SLICE_S = 0.005


async def _build_index(chunks: list[ChunkRow]) -> Bm25Index:
    index = Bm25Index(())
    deadline = time.perf_counter() + _SLICE_S
    for chunk in chunks:
        if chunk.terms_version == TERMS_VERSION:
            index.add(chunk.terms.split())  # computed when stored: no tokenising here
        else:  # stored before terms were kept (or by another tokeniser): tokenise now
            index.add(passage_terms(chunk.heading, chunk.text))
        if time.perf_counter() > deadline:
            # A real pause, not sleep(0): the loop then waits on I/O and lets go of the GIL, so
            # the database's worker threads (and every other request) get their turn.
            await asyncio.sleep(_SLICE_S / 5)
            deadline = time.perf_counter() + _SLICE_S
    return index


def _unit(vector: list[float]) -> list[float]:
    norm = math.sqrt(sum(x * x for x in vector)) or 1.0
    return [x / norm for x in vector]


def _cosine(a: list[float], b: list[float]) -> float:
    return sum(map(operator.mul, a, b))


class Retriever:
    def __init__(
        self,
        store: KbStore,
        *,
        version_ttl_s: float = 2.0,
        embedder: Embedder | None = None,
        embed_timeout_s: float = 1.5,
    ) -> None:
        self._store = store
        self._ttl = version_ttl_s
        self._embedder = embedder
        self._embed_timeout_s = embed_timeout_s
        self._embedding: dict[str, asyncio.Task[None]] = {}
        self._indexes: dict[str, _TenantIndex] = {}
        self._locks: dict[str, asyncio.Lock] = {}

    async def search(
        self, tenant_id: str, question: str, k: int = 3, history: list[str] | None = None
    ) -> list[Passage]:
        """Best passages: BM25 alone, or fused with embeddings (reciprocal rank fusion).
        ``history``: the visitor's earlier messages, to read a follow-up question by."""
        entry = await self._index_for(tenant_id)
        units = query_units(question, history or [], entry.vocabulary)
        lexical = entry.index.search(units, max(k, 10))

        similarity: dict[int, float] = {}
        if entry.vectors and self._embedder is not None:
            try:
                query = await asyncio.wait_for(self._embedder([question]), self._embed_timeout_s)
            except TimeoutError:
                query = (
                    None  # a slow embedding server costs this question its vectors, not its answer
                )
            if query:
                q = _unit(query[0])
                similarity = {i: _cosine(q, v) for i, v in enumerate(entry.vectors)}
        by_position = {h.position: h for h in lexical}
        if similarity:
            fused: dict[int, float] = {}
            for rank, hit in enumerate(lexical):
                fused[hit.position] = 1 / (60 + rank)
            for rank, position in enumerate(
                sorted(similarity, key=similarity.__getitem__, reverse=True)[:10]
            ):
                fused[position] = fused.get(position, 0.0) + 1 / (60 + rank)
            order = sorted(fused, key=fused.__getitem__, reverse=True)[:k]
        else:
            order = [h.position for h in lexical[:k]]
        passages = []
        for position in order:
            chunk, hit = entry.chunks[position], by_position.get(position)
            passages.append(
                Passage(
                    chunk.id,
                    chunk.document_id,
                    chunk.title,
                    chunk.source,
                    chunk.heading,
                    chunk.text,
                    hit.score if hit else 0.0,
                    hit.coverage if hit else 0.0,
                    round(similarity.get(position, 0.0), 4),
                )
            )
        return passages

    async def version(self, tenant_id: str) -> int:
        """The tenant's kb_version this process answers from (fresh within ``version_ttl_s``)."""
        return (await self._index_for(tenant_id)).version

    async def _index_for(self, tenant_id: str) -> _TenantIndex:
        entry = self._indexes.get(tenant_id)
        now = time.monotonic()
        if entry is not None and now - entry.checked_at < self._ttl:
            return entry
        lock = self._locks.setdefault(tenant_id, asyncio.Lock())
        async with lock:
            entry = self._indexes.get(tenant_id)
            if entry is not None and time.monotonic() - entry.checked_at < self._ttl:
                return entry
            version = await self._store.version(tenant_id)
            if entry is None or entry.version != version:
                chunks = await self._store.chunks(tenant_id)
                index = await _build_index(chunks)
                # Its words arranged for mending questions (pinyin, the other language): in a
                # thread, as a big knowledge base has tens of thousands of them.
                vocabulary = await asyncio.to_thread(Vocabulary, index)
                entry = _TenantIndex(version, time.monotonic(), index, chunks, vocabulary)
                if self._embedder is not None and chunks:
                    # Vectors arrive in the background; until then answers are lexical.
                    self._embedding[tenant_id] = asyncio.create_task(self._attach_vectors(entry))
            else:
                entry.checked_at = time.monotonic()
            self._indexes[tenant_id] = entry
            return entry

    def forget(self, tenant_id: str | None) -> None:
        """The tenant's documents changed (every tenant's: None): check the kb_version on the
        next search, and rebuild if it moved. Without being told, a replica notices within
        ``version_ttl_s``."""
        entries = self._indexes.values() if tenant_id is None else [self._indexes.get(tenant_id)]
        for entry in entries:
            if entry is not None:
                entry.checked_at = float("-inf")

    async def warm(self, tenant_id: str) -> None:
        """Build the tenant's index and wait for its vectors (start-up, tests)."""
        await self._index_for(tenant_id)
        task = self._embedding.get(tenant_id)
        if task is not None:
            await task

    async def _attach_vectors(self, entry: _TenantIndex) -> None:
        try:
            entry.vectors = await self._embed_chunks(entry.chunks)
        except Exception:  # embeddings are an improvement, never a reason to fail
            log.exception("embedding the knowledge base failed; answers stay lexical")

    async def _embed_chunks(
        self, chunks: list[ChunkRow], batch: int = 32
    ) -> list[list[float]] | None:
        assert self._embedder is not None
        vectors: list[list[float]] = []
        for start in range(0, len(chunks), batch):
            part = chunks[start : start + batch]
            got = await self._embedder([f"{c.heading}\n{c.text}" for c in part])
            if not got or len(got) != len(part):
                return None  # no embeddings (or a partial answer): lexical only
            vectors.extend(_unit(v) for v in got)
        return vectors
