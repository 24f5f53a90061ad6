"""Ordered delivery: replay, then live, in seq order, each once — even when publishes race."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest

from shared.bus import open_bus
from shared.conversations.events import Publisher
from shared.conversations.store import open_store
from shared.conversations.stream import follow
from shared.db.engine import close_engine, engine_from_url, open_engine
from shared.db.migrate import migrate
from shared.db.tables import Tenant


@pytest.fixture
async def world(tmp_path):
    engine = engine_from_url(f"sqlite:///{tmp_path}/kefu.db")
    await open_engine(engine)
    await migrate()
    bus = open_bus("memory://")
    store = open_store(engine)
    tenant = Tenant(name="t", slug="t", widget_key="w", created_at=datetime.now(UTC))
    await Tenant.insert(tenant)
    cid = (await store.start(str(tenant.id), None)).id
    yield store, bus, Publisher(bus), cid
    await close_engine(engine)


async def take(agen, n: int) -> list[int]:
    out = []
    async with asyncio.timeout(5):
        async for seq, _ in agen:
            if seq is not None:
                out.append(seq)
            if len(out) == n:
                return out
    return out


async def test_events_published_out_of_order_are_delivered_in_order_once(world):
    store, bus, publisher, cid = world
    first = [(await store.append(cid, "visitor", f"m{i}")).message for i in range(2)]
    agen = follow(cid, 0, bus=bus, store=store)
    assert await take(agen, 2) == [1, 2]
    # Two replicas store 3 and 4; the publish of 4 overtakes the publish of 3.
    m3 = (await store.append(cid, "visitor", "m3")).message
    m4 = (await store.append(cid, "visitor", "m4")).message
    await publisher.message(cid, m4)
    await publisher.message(cid, m3)
    await publisher.message(cid, m4)  # and a duplicate publish
    m5 = (await store.append(cid, "visitor", "m5")).message
    await publisher.message(cid, m5)
    assert await take(agen, 3) == [3, 4, 5]
    await agen.aclose()
    assert first[0].seq == 1


async def test_a_message_whose_publish_was_lost_is_recovered_on_the_next_one(world):
    store, bus, publisher, cid = world
    agen = follow(cid, 0, bus=bus, store=store)
    task = asyncio.ensure_future(take(agen, 2))
    await asyncio.sleep(0.05)
    await store.append(cid, "visitor", "publish lost")  # stored, never published
    m2 = (await store.append(cid, "visitor", "published")).message
    await publisher.message(cid, m2)
    assert await task == [1, 2]


async def test_non_message_events_pass_through_and_heartbeats_flow(world):
    store, bus, publisher, cid = world
    agen = follow(cid, 0, bus=bus, store=store, heartbeat_s=0.05)
    assert await anext(agen) == (None, b"")  # a heartbeat
    await publisher.typing(cid, "bot")
    seq, payload = await anext(agen)
    assert seq is None and b'"typing"' in payload
    await agen.aclose()
