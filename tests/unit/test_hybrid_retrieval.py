"""Hybrid retrieval: BM25 fused with embeddings, using a fake embedder (named as such)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest

from shared.bot import Bot
from shared.db.engine import close_engine, engine_from_url, open_engine
from shared.db.migrate import migrate
from shared.db.tables import Tenant
from shared.kb.embed import Similarity
from shared.kb.retriever import Retriever
from shared.kb.store import KbStore

KB = """# Help

## Opening times

The showroom welcomes guests from 9 to 6.

## Parking

Free parking behind the building.
"""

# Words the fake embedder knows, each one a dimension; "meaning" = which dimensions light up.
MEANINGS = {
    "welcomes": 0,
    "guests": 0,
    "come": 0,
    "by": 0,
    "visit": 0,
    "times": 1,
    "when": 1,
    "parking": 2,
    "car": 2,
}


class FakeKeywordEmbedder:
    """A stand-in for /v1/embeddings: maps known words onto 3 dimensions; counts its calls."""

    def __init__(self, offered: bool = True) -> None:
        self.calls = 0
        self.offered = offered

    async def __call__(self, texts: list[str]) -> list[list[float]] | None:
        self.calls += 1
        if not self.offered:
            return None
        vectors = []
        for text in texts:
            vector = [0.0, 0.0, 0.0, 0.01]
            for word in text.lower().replace("?", " ").split():
                if word in MEANINGS:
                    vector[MEANINGS[word]] += 1.0
            vectors.append(vector)
        return vectors


@pytest.fixture
async def kb(tmp_path):
    engine = engine_from_url(f"sqlite:///{tmp_path}/kefu.db")
    await open_engine(engine)
    await migrate()
    tenant = Tenant(name="t", slug="t", widget_key=uuid.uuid4().hex, created_at=datetime.now(UTC))
    await Tenant.insert(tenant)
    store = KbStore(engine)
    await store.upsert_document(str(tenant.id), title="Help", content=KB, source="help.md")
    yield str(tenant.id), store
    await close_engine(engine)


async def test_embeddings_find_a_passage_that_shares_no_words_with_the_question(kb):
    tenant_id, store = kb
    lexical_only = Bot(None, None, Retriever(store), None, None, min_coverage=0.15)  # type: ignore[arg-type]
    assert await lexical_only.grounded_passages(tenant_id, "When can I come by?") == []

    hybrid = Retriever(store, embedder=FakeKeywordEmbedder())
    await hybrid.warm(tenant_id)
    bot = Bot(
        None, None, hybrid, None, None, min_coverage=0.15, similarity=Similarity(grounds=0.75)
    )  # type: ignore[arg-type]
    grounded = await bot.grounded_passages(tenant_id, "When can I come by?")
    assert grounded and grounded[0].heading == "Help > Opening times"
    assert grounded[0].similarity > 0.75


async def test_lexical_matches_still_count_when_embeddings_are_on(kb):
    tenant_id, store = kb
    hybrid = Retriever(store, embedder=FakeKeywordEmbedder())
    await hybrid.warm(tenant_id)
    passages = await hybrid.search(tenant_id, "parking", k=2)
    assert passages[0].heading == "Help > Parking"
    assert passages[0].coverage > 0 and passages[0].similarity > 0.9


async def test_a_server_without_embeddings_means_lexical_only(kb):
    tenant_id, store = kb
    embedder = FakeKeywordEmbedder(offered=False)
    retriever = Retriever(store, embedder=embedder)
    await retriever.warm(tenant_id)
    passages = await retriever.search(tenant_id, "parking")
    assert passages[0].heading == "Help > Parking" and passages[0].similarity == 0.0
    await retriever.search(tenant_id, "parking again")
    assert embedder.calls == 1  # asked once at index time, not per question


async def test_a_slow_embedding_server_never_delays_an_answer(kb):
    import asyncio
    import time

    tenant_id, store = kb

    class FakeStuckEmbedder:
        """Never answers, like an overloaded embeddings endpoint."""

        async def __call__(self, texts):
            await asyncio.sleep(3600)

    retriever = Retriever(store, embedder=FakeStuckEmbedder(), embed_timeout_s=0.2)
    started = time.monotonic()
    passages = await retriever.search(tenant_id, "parking")
    assert passages[0].heading == "Help > Parking"
    # The 0.2 s embedding budget, not the endpoint's hour: a bound far from both (a busy host
    # may be slow to get round to the timer and the words-only search)
    assert time.monotonic() - started < 5
