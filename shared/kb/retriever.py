"""Retrieve the best passages for a question from a tenant's knowledge base.

Each process keeps one BM25 index per tenant, rebuilt when the tenant's ``kb_version`` moves
(checked at most every ``version_ttl_s`` seconds, so other processes' imports are seen).
"""

from __future__ import annotations

import asyncio
import time

import msgspec

from .index import Bm25Index
from .store import ChunkRow, KbStore
from .tokenize import tokens

__all__ = ["Retriever", "Passage"]


class Passage(msgspec.Struct, frozen=True):
    chunk_id: str
    document_id: str
    title: str
    source: str
    heading: str
    text: str
    score: float
    coverage: float


class _TenantIndex(msgspec.Struct):
    version: int
    checked_at: float
    index: Bm25Index
    chunks: list[ChunkRow]


class Retriever:
    def __init__(self, store: KbStore, *, version_ttl_s: float = 2.0) -> None:
        self._store = store
        self._ttl = version_ttl_s
        self._indexes: dict[str, _TenantIndex] = {}
        self._locks: dict[str, asyncio.Lock] = {}

    async def search(self, tenant_id: str, question: str, k: int = 3) -> list[Passage]:
        entry = await self._index_for(tenant_id)
        hits = entry.index.search(tokens(question), k)
        return [
            Passage(c.id, c.document_id, c.title, c.source, c.heading, c.text, h.score, h.coverage)
            for h in hits
            for c in (entry.chunks[h.position],)
        ]

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
                # Headings say what a passage is about: count them twice.
                docs = [tokens(f"{c.heading}\n{c.heading}\n{c.text}") for c in chunks]
                entry = _TenantIndex(version, time.monotonic(), Bm25Index(docs), chunks)
            else:
                entry.checked_at = time.monotonic()
            self._indexes[tenant_id] = entry
            return entry
