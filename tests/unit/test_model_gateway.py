"""The gateway around the model, with a fake model (named as such): cache, coalescing, bounds."""

from __future__ import annotations

import asyncio

import pytest
from litestar.stores.memory import MemoryStore

from shared.kb.retriever import Passage
from shared.llm.base import ChatModel, ModelError, ModelRequest
from shared.llm.gateway import ModelGateway, normalise_question


class FakeSlowModel(ChatModel):
    """A stand-in model: streams a fixed answer in pieces, slowly, and counts its calls."""

    name = "fake"

    def __init__(self, pieces=("Hello", ", ", "world."), delay: float = 0.01) -> None:
        self.pieces = pieces
        self.delay = delay
        self.calls = 0
        self.cancelled = 0

    async def stream(self, request):
        self.calls += 1
        try:
            for piece in self.pieces:
                await asyncio.sleep(self.delay)
                yield piece
        except asyncio.CancelledError:
            self.cancelled += 1
            raise


def request(question: str = "Is delivery free?", tenant: str = "t1") -> ModelRequest:
    passage = Passage("c1", "d1", "FAQ", "faq.md", "Shipping", "Free over $49.", 3.0, 0.8)
    return ModelRequest(tenant_id=tenant, question=question, language="en", passages=[passage])


async def collect(gateway: ModelGateway, req: ModelRequest, key: str | None) -> str:
    return "".join([p async for p in gateway.stream(req, key)])


async def test_100_identical_questions_make_exactly_one_generation():
    model = FakeSlowModel(delay=0.02)
    gateway = ModelGateway(model, MemoryStore())
    req = request()
    key = gateway.cache_key(req, kb_version=1)
    answers = await asyncio.gather(*[collect(gateway, req, key) for _ in range(100)])
    assert model.calls == 1
    assert answers == ["Hello, world."] * 100


async def test_a_repeated_question_is_answered_from_the_cache():
    model = FakeSlowModel(pieces=("Free over ", "$49 [1]."))
    gateway = ModelGateway(model, MemoryStore())
    req = request()
    key = gateway.cache_key(req, kb_version=1)
    assert await gateway.cached(key) is None
    await collect(gateway, req, key)
    assert await gateway.cached(key) == "Free over $49 [1]."
    # Case, width and punctuation don't make a new question.
    same = gateway.cache_key(request("  IS delivery free？？ "), kb_version=1)
    assert same == key


async def test_an_answer_that_cites_no_passage_is_never_cached():
    """It may be the model's own words ("We don't sell scooters."): the next visitor gets a
    fresh answer, not this one."""
    gateway = ModelGateway(FakeSlowModel(pieces=("We don't sell ", "scooters.")), MemoryStore())
    req = request()
    key = gateway.cache_key(req, kb_version=1)
    assert await collect(gateway, req, key) == "We don't sell scooters."
    assert await gateway.cached(key) is None


async def test_a_kb_change_or_another_tenant_misses_the_cache():
    gateway = ModelGateway(FakeSlowModel(), MemoryStore())
    req = request()
    assert gateway.cache_key(req, 1) != gateway.cache_key(req, 2)
    assert gateway.cache_key(req, 1) != gateway.cache_key(request(tenant="t2"), 1)
    other_settings = ModelGateway(FakeSlowModel(), MemoryStore(), settings_fingerprint="persona v2")
    assert other_settings.cache_key(req, 1) != gateway.cache_key(req, 1)


async def test_a_failed_generation_is_not_cached_and_every_listener_hears_the_error():
    class FakeBrokenModel(ChatModel):
        name = "fake-broken"

        async def stream(self, request):
            yield "half an ans"
            raise ModelError("model_stream_broken", "cut")

    gateway = ModelGateway(FakeBrokenModel(), MemoryStore())
    req = request()
    key = gateway.cache_key(req, 1)
    results = await asyncio.gather(
        *[collect(gateway, req, key) for _ in range(3)], return_exceptions=True
    )
    assert all(isinstance(r, ModelError) for r in results)
    assert await gateway.cached(key) is None


async def test_over_the_queue_bound_askers_are_told_busy_at_once():
    model = FakeSlowModel(delay=0.2)
    gateway = ModelGateway(model, None, max_concurrency=2, max_queue=3, queue_timeout_s=5)
    results = await asyncio.gather(
        *[collect(gateway, request(f"question {i}"), None) for i in range(8)],
        return_exceptions=True,
    )
    busy = [r for r in results if isinstance(r, ModelError) and r.code == "model_busy"]
    assert len(busy) == 3  # 2 running + 3 queued are served; the other 3 are refused
    assert model.calls == 5


async def test_waiting_too_long_for_a_slot_is_busy_too():
    model = FakeSlowModel(delay=0.3)
    gateway = ModelGateway(model, None, max_concurrency=1, max_queue=10, queue_timeout_s=0.1)
    results = await asyncio.gather(
        collect(gateway, request("a"), None),
        collect(gateway, request("b"), None),
        return_exceptions=True,
    )
    assert results[0] == "Hello, world."
    assert isinstance(results[1], ModelError) and results[1].code == "model_busy"


async def test_when_every_listener_leaves_the_generation_is_cancelled():
    model = FakeSlowModel(pieces=tuple(f"p{i} " for i in range(50)), delay=0.02)
    gateway = ModelGateway(model, MemoryStore())
    req = request()
    key = gateway.cache_key(req, 1)
    stream = gateway.stream(req, key)
    assert await anext(stream) == "p0 "
    await stream.aclose()
    await asyncio.sleep(0.1)
    assert model.cancelled == 1
    assert await gateway.cached(key) is None


@pytest.mark.parametrize(
    ("a", "b"),
    [("Is delivery FREE?", "is delivery free"), ("包邮吗？", "包邮吗"), ("ｈｅｌｌｏ", "hello")],
)
def test_normalised_questions(a, b):
    assert normalise_question(a) == normalise_question(b)
