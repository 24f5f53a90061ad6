"""ONE contract for conversation storage, run on SQLite (embedded) and real Postgres."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime

import pytest

from shared.conversations.store import open_store
from shared.db.engine import close_engine, engine_from_url, open_engine
from shared.db.migrate import migrate
from shared.db.tables import Tenant
from shared.schemas import Citation


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.integration)])
async def store(request, tmp_path):
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path}/kefu.db"
    else:
        url = request.getfixturevalue("postgres_url")
    engine = engine_from_url(url)
    await open_engine(engine)
    await migrate()
    try:
        yield open_store(engine)
    finally:
        await close_engine(engine)


async def new_conversation(store) -> str:
    tenant = Tenant(
        name="t",
        slug=f"t-{uuid.uuid4().hex[:8]}",
        widget_key=uuid.uuid4().hex,
        created_at=datetime.now(UTC),
    )
    await Tenant.insert(tenant)
    return (await store.start(str(tenant.id), {"name": "v"})).id


async def test_seq_is_gapless_under_concurrent_appends(store):
    cid = await new_conversation(store)
    results = await asyncio.gather(*[store.append(cid, "visitor", f"m{i}") for i in range(60)])
    assert sorted(r.message.seq for r in results) == list(range(1, 61))
    assert [m.seq for m in await store.after(cid, 0, 100)] == list(range(1, 61))
    assert (await store.get(cid)).last_seq == 60


async def test_same_client_msg_id_is_one_message_even_when_racing(store):
    cid = await new_conversation(store)
    results = await asyncio.gather(
        *[store.append(cid, "visitor", "dup", client_msg_id="same") for _ in range(10)]
    )
    assert len({r.message.id for r in results}) == 1
    assert sum(r.created for r in results) == 1
    await store.append(cid, "visitor", "next")
    assert [m.seq for m in await store.after(cid, 0, 10)] == [1, 2]  # no gap left behind


async def test_messages_round_trip_with_citations(store):
    cid = await new_conversation(store)
    citation = Citation(document_id="d1", title="Returns", source="faq.md", score=1.5)
    appended = await store.append(cid, "bot", "answer", citations=[citation])
    assert appended.created and appended.status == "bot"
    stored = appended.message
    (read,) = await store.after(cid, 0, 10)
    assert read == stored
    assert read.citations == [citation]
    assert read.created_at.tzinfo is not None


async def test_after_pages_in_seq_order(store):
    cid = await new_conversation(store)
    for i in range(7):
        await store.append(cid, "visitor", f"m{i}")
    assert [m.content for m in await store.after(cid, 2, 3)] == ["m2", "m3", "m4"]
    assert await store.after(cid, 7, 10) == []


async def test_unknown_conversations_are_none(store):
    assert await store.get(str(uuid.uuid4())) is None
    assert await store.get("not-a-uuid") is None
    assert await store.append(str(uuid.uuid4()), "visitor", "x") is None


async def test_status_moves_only_from_the_expected_state(store):
    cid = await new_conversation(store)
    moved = await store.transition(cid, allowed_from=("bot",), to="queued", assigned_agent=None)
    assert moved is not None and moved.status == "queued"
    again = await store.transition(cid, allowed_from=("bot",), to="queued", assigned_agent=None)
    assert again is None
    assert (await store.get(cid)).status == "queued"


async def test_closed_conversations_take_no_new_messages_but_stay_idempotent(store):
    from shared.conversations.store import ConversationClosed

    cid = await new_conversation(store)
    first = await store.append(cid, "visitor", "before close", client_msg_id="k1")
    assert await store.transition(cid, allowed_from=("bot",), to="closed", assigned_agent=None)
    with pytest.raises(ConversationClosed):
        await store.append(cid, "visitor", "after close")
    again = await store.append(cid, "visitor", "before close", client_msg_id="k1")
    assert (again.message.id, again.created, again.status) == (first.message.id, False, "closed")
    assert (await store.get(cid)).last_seq == 1


async def test_only_if_status_is_checked_in_the_same_statement(store):
    from shared.conversations.store import NotAppended

    cid = await new_conversation(store)
    stored = await store.append(cid, "bot", "while bot", only_if_status="bot")
    assert (stored.created, stored.status) == (True, "bot")
    await store.transition(cid, allowed_from=("bot",), to="agent", assigned_agent=None)
    with pytest.raises(NotAppended) as refused:
        await store.append(cid, "bot", "too late", only_if_status="bot")
    assert refused.value.status == "agent"
    assert [m.content for m in await store.after(cid, 0, 10)] == ["while bot"]


@pytest.mark.integration
async def test_the_database_pool_is_filled_before_traffic(postgres_url):
    """A pool that grows under a burst makes that moment's requests wait for new connections:
    ready with one connection, every pooled connection is open right after start-up."""
    from shared.db.engine import fill_pool

    engine = engine_from_url(postgres_url)
    await open_engine(engine, pool_size=6)
    try:
        assert engine.pool.get_size() == 1  # ready at once
        await fill_pool(engine)
        assert engine.pool.get_size() == 6
        assert engine.pool.get_idle_size() == 6  # all handed back
    finally:
        await close_engine(engine)
