"""Retrieve the best passages for a question from a tenant's knowledge base.

Each process keeps one BM25 index per tenant, rebuilt when the tenant's ``kb_version`` moves
(checked at most every ``version_ttl_s`` seconds, so other processes' imports are seen).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from typing import TypeVar

import msgspec
import numpy as np

from .embed import Embedder, as_embedder
from .index import Bm25Index, Hit
from .query import Vocabulary, is_follow_up, query_units, unknown_names, without_courtesy
from .query import warm_up as warm_text_tools
from .store import ChunkRow, KbStore
from .tokenize import TERMS_VERSION, passage_terms, written_in

__all__ = ["Retriever", "Passage", "passage_vectors", "vector_kept"]

log = logging.getLogger("kefu.kb")

_T = TypeVar("_T")

#: A question (or the message before a follow-up) longer than this is read — its words cut,
#: mended and bridged — in a worker thread: a 4,000-character message of Chinese reads in
#: ~50 ms (its homophones looked up syllable by syllable), which no other visitor should wait
#: on. The words read are the same either way.
LOOP_CHARS = 300


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
    #: Written in the other language than the question (Chinese and English).
    across: bool = False
    #: Of a question that asks several things, the ask (from 0) this passage answers; a
    #: passage with ``part`` > 0 answers another ask than the first passage does.
    part: int = 0
    #: How far its similarity stands above the knowledge base's other passages' (in standard
    #: deviations from their mean); None without embeddings or with too few passages to tell.
    standing: float | None = None


def answering(passages: Sequence[Passage]) -> list[int]:
    """Which of ``passages`` answer the question as it stands: the best one, and for a
    question that asks more than one thing the best one for each other ask."""
    return [i for i, p in enumerate(passages) if i == 0 or p.part > 0]


class _TenantIndex(msgspec.Struct):
    version: int
    checked_at: float
    index: Bm25Index
    chunks: list[ChunkRow]
    vocabulary: Vocabulary
    vectors: np.ndarray | None = None  # (passages, dims), unit rows; None: lexical only


#: How much the share of the question's words a passage holds adds to its similarity.
_WORDS_WEIGHT = 0.2

#: The fewest passages whose similarities tell how far the best one stands out.
_STANDING_FROM = 10

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


class Retriever:
    def __init__(
        self,
        store: KbStore,
        *,
        version_ttl_s: float = 2.0,
        embedder=None,
        embed_timeout_s: float = 1.5,
        inline_vectors: int = 64,
    ) -> None:
        """``embedder``: an Embedder, or a ``texts -> vectors`` callable (a model server's).
        ``inline_vectors``: a knowledge base missing at most this many passage vectors gets
        them before its index is used; more are made in the background (lexical until then)."""
        self._store = store
        self._ttl = version_ttl_s
        self._embedder: Embedder | None = as_embedder(embedder)
        self._embed_timeout_s = embed_timeout_s
        self._inline_vectors = inline_vectors
        self._embedding: dict[str, asyncio.Task[None]] = {}
        self._indexes: dict[str, _TenantIndex] = {}
        self._locks: dict[str, asyncio.Lock] = {}

    async def search(
        self,
        tenant_id: str,
        question: str,
        k: int = 3,
        history: list[str] | None = None,
        *,
        vector: np.ndarray | None = None,
    ) -> list[Passage]:
        """Best passages: BM25 alone, or ranked by meaning with words as a tie-breaker when
        the passages have vectors. ``history``: the visitor's earlier messages, to read a
        follow-up question by. ``vector``: the question's embedding, when already made."""
        entry = await self._index_for(tenant_id)
        long = len(question) > LOOP_CHARS or (bool(history) and len(history[-1]) > LOOP_CHARS)

        async def read(step: Callable[[], _T]) -> _T:
            return await asyncio.to_thread(step) if long else step()

        # A follow-up means what it means after the question before it: told from the
        # question's own words first, so that what is embedded (on the other core) is embedded
        # while the words are mended, bridged and searched.
        follow_up = bool(history) and await read(lambda: is_follow_up(question, entry.vocabulary))
        asked = without_courtesy(question)
        if follow_up and history:
            asked = f"{without_courtesy(history[-1])}\n{asked}"
        early = (
            self._question_vector_now(asked)
            if entry.vectors is not None and vector is None
            else None
        )

        def words() -> list[Hit]:
            units, _ = query_units(question, history or [], entry.vocabulary, follow_up)
            return entry.index.search(units, max(k, 20))

        lexical = await read(words)
        by_position = {h.position: h for h in lexical}
        sims = None
        if entry.vectors is not None:
            query = vector if early is None else await early
            if query is not None:
                sims = entry.vectors @ query
        if sims is not None:
            # Meaning first, words as a tie-breaker: on the labelled set's dev split, ranking by
            # similarity + 0.2 x coverage put the right passage first as often as any weight
            # from 0.05 to 0.5 (and more often than rank fusion or words alone).
            closest = np.argpartition(-sims, min(20, len(sims) - 1))[:20]
            fused = {
                p: float(sims[p])
                + _WORDS_WEIGHT * (by_position[p].coverage if p in by_position else 0.0)
                for p in {*map(int, closest), *by_position}
            }
            order = sorted(fused, key=fused.__getitem__, reverse=True)[:k]
        else:
            order = [h.position for h in lexical[:k]]
        standing = _standing(sims)
        passages = []
        language = written_in(question)
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
                    round(float(sims[position]), 4) if sims is not None else 0.0,
                    across=written_in(chunk.text) != language,
                    standing=standing(position),
                )
            )
        return passages

    async def unknown_names(self, tenant_id: str, question: str) -> list[str]:
        """Names ``question`` asks about that the tenant's knowledge base never mentions."""
        return unknown_names(question, (await self._index_for(tenant_id)).vocabulary)

    async def search_asks(
        self,
        tenant_id: str,
        question: str,
        asks: list[str],
        k: int = 3,
        history: list[str] | None = None,
    ) -> list[list[Passage]]:
        """:meth:`search` for each ask of a question that asks several things, each read after
        the asks before it, ranked by the whole question's meaning (one embedding, as for any
        question) and the ask's own words."""
        entry = await self._index_for(tenant_id)
        vector = (
            await self.question_vector(without_courtesy(question))
            if entry.vectors is not None
            else None
        )
        found, before = [], list(history or [])
        for ask in asks:
            found.append(await self.search(tenant_id, ask, k, before, vector=vector))
            before.append(ask)
        return found

    @property
    def embedder(self) -> Embedder | None:
        return self._embedder

    async def question_vector(self, text: str) -> np.ndarray | None:
        """The question's embedding (None without an embedder, or when it is slow)."""
        return await self._question_vector_now(text)

    def _question_vector_now(self, text: str) -> Awaitable[np.ndarray | None]:
        """The question's embedding, started now; awaited: None when slow or unavailable."""
        if self._embedder is None:
            done: asyncio.Future[np.ndarray | None] = asyncio.get_running_loop().create_future()
            done.set_result(None)
            return done
        started = self._embedder.query_now(text)

        async def finished() -> np.ndarray | None:
            try:
                async with asyncio.timeout(self._embed_timeout_s):
                    return await started
            except TimeoutError:
                return None

        return finished()

    async def named_question_vector(self, text: str) -> tuple[np.ndarray | None, str]:
        """(the question's embedding or None, the embedder's name): kept beside stored vectors."""
        vector = await self.question_vector(text)
        return vector, (self._embedder.name if vector is not None and self._embedder else "")

    def warm_up(self) -> None:
        """Load the question-reading tools and the embedder (a worker thread, after start-up)."""
        warm_text_tools()
        warm = getattr(self._embedder, "warm_up", None)
        if warm is not None:
            warm()

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
                    task = asyncio.create_task(self._attach_vectors(entry))
                    missing = sum(not vector_kept(c, self._embedder) for c in chunks)
                    if missing == 0 or (self._embedder.local and missing <= self._inline_vectors):
                        await task  # none or a few to make: the index has them from its start
                    else:  # many, or a server's: they arrive in the background (lexical until)
                        self._embedding[tenant_id] = task
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
            entry.vectors = await self._vectors(entry.chunks)
        except Exception:  # embeddings are an improvement, never a reason to fail
            log.exception("embedding the knowledge base failed; answers stay lexical")

    async def _vectors(self, chunks: list[ChunkRow]) -> np.ndarray | None:
        assert self._embedder is not None
        return await passage_vectors(self._store, chunks, self._embedder)


def _standing(sims: np.ndarray | None) -> Callable[[int], float | None]:
    """How far each passage's similarity stands above the rest of the knowledge base's: a
    question that reads close to everything (short, generic, or in the other language than the
    passages) has every passage near it, and the one that answers stands out from them."""
    if sims is None or len(sims) < _STANDING_FROM:
        return lambda position: None
    mean, spread = float(sims.mean()), float(sims.std())
    if spread <= 0.0:
        return lambda position: None
    return lambda position: round((float(sims[position]) - mean) / spread, 3)


def vector_kept(chunk: ChunkRow, embedder: Embedder) -> bool:
    """Does the database hold this passage's vector from this embedder?"""
    return bool(chunk.vector) and bool(embedder.name) and chunk.vector_model == embedder.name


async def passage_vectors(
    store: KbStore, chunks: list[ChunkRow], embedder: Embedder, batch: int = 16
) -> np.ndarray | None:
    """Every passage's vector: those kept in the database, the rest made now (and kept).
    None: the embedder offers none (lexical only)."""
    rows: list[np.ndarray | None] = [
        np.frombuffer(c.vector, dtype=np.float32) if vector_kept(c, embedder) else None  # type: ignore[arg-type]
        for c in chunks
    ]
    missing = [i for i, row in enumerate(rows) if row is None]
    for start in range(0, len(missing), batch):
        part = missing[start : start + batch]
        got = await embedder.passages([f"{chunks[i].heading}\n{chunks[i].text}" for i in part])
        if got is None:
            return None
        for i, vector in zip(part, got, strict=True):
            rows[i] = vector
        if embedder.name:
            await store.save_vectors(
                [
                    (chunks[i].id, v.astype(np.float32).tobytes())
                    for i, v in zip(part, got, strict=True)
                ],
                embedder.name,
            )
    dims = {len(r) for r in rows if r is not None}
    if len(dims) != 1:
        return None
    return np.vstack(rows)  # type: ignore[arg-type]
