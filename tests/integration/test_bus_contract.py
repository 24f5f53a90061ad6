"""ONE contract for the session/broadcast layer, run against memory and a real Valkey."""

from __future__ import annotations

import asyncio
import sys
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable

import pytest

from shared.bus import CLOSE, GAP, PING, Bus, open_bus


@pytest.fixture(params=["memory", pytest.param("valkey", marks=pytest.mark.integration)])
async def bus_pair(request) -> AsyncIterator[tuple[Bus, Callable[[], Awaitable[Bus]]]]:
    """(bus, make_peer): a peer is another replica's bus (the same one in memory)."""
    url = "memory://" if request.param == "memory" else request.getfixturevalue("valkey_url")
    bus = open_bus(url)
    await bus.start()
    peers: list[Bus] = []

    async def make_peer() -> Bus:
        if url == "memory://":
            return bus
        peer = open_bus(url)
        await peer.start()
        peers.append(peer)
        return peer

    try:
        yield bus, make_peer
    finally:
        for peer in peers:
            await peer.stop()
        await bus.stop()


async def _next(sub, timeout: float = 3.0):
    item = await sub.get(timeout)
    assert item is not None, "no delivery within the timeout"
    return item


async def test_published_payloads_arrive_in_order_on_a_peer(bus_pair):
    bus, make_peer = bus_pair
    peer = await make_peer()
    async with bus.subscribe("c:1") as sub:
        for i in range(50):
            await peer.publish("c:1", f"m{i}".encode())
        got = [(await _next(sub))[1] for _ in range(50)]
    assert got == [f"m{i}".encode() for i in range(50)]


async def test_every_local_listener_gets_a_copy_and_leaving_is_independent(bus_pair):
    bus, make_peer = bus_pair
    peer = await make_peer()
    first = await bus.subscribe("c:2").__aenter__()
    async with bus.subscribe("c:2") as second:
        await peer.publish("c:2", b"both")
        assert (await _next(first)) == ("c:2", b"both")
        assert (await _next(second)) == ("c:2", b"both")
        await first.close()
        await peer.publish("c:2", b"second only")
        assert (await _next(second)) == ("c:2", b"second only")
    assert await first.get(0.2) is None


async def test_channels_are_isolated(bus_pair):
    bus, make_peer = bus_pair
    peer = await make_peer()
    async with bus.subscribe("c:a") as sub_a:
        await peer.publish("c:b", b"not for a")
        await peer.publish("c:a", b"for a")
        assert (await _next(sub_a)) == ("c:a", b"for a")
        assert await sub_a.get(0.2) is None


async def test_a_subscription_can_grow_and_shrink(bus_pair):
    bus, make_peer = bus_pair
    peer = await make_peer()
    async with bus.subscribe("c:x") as sub:
        await sub.add("c:y")
        await peer.publish("c:y", b"y")
        assert (await _next(sub)) == ("c:y", b"y")
        await sub.remove("c:x")
        await peer.publish("c:x", b"x")
        await peer.publish("c:y", b"y2")
        assert (await _next(sub)) == ("c:y", b"y2")


async def test_a_slow_listener_is_told_to_resync_instead_of_growing_without_bound(bus_pair):
    bus, make_peer = bus_pair
    peer = await make_peer()
    async with bus.subscribe("c:slow", maxsize=5) as sub:
        for i in range(20):
            await peer.publish("c:slow", f"{i}".encode())
        await asyncio.sleep(0.3)
        seen = []
        while (item := await sub.get(0.3)) is not None:
            seen.append(item[1])
    assert GAP in seen
    assert len(seen) <= 5


async def test_presence_joins_leaves_and_expires(bus_pair):
    bus, make_peer = bus_pair
    peer = await make_peer()
    await bus.presence_join("agents:t1", "alice", ttl_s=30)
    await bus.presence_join("agents:t1", "bob", ttl_s=0.3)
    assert await peer.presence_members("agents:t1") == {"alice", "bob"}
    await peer.presence_leave("agents:t1", "alice")
    await asyncio.sleep(0.5)
    assert await bus.presence_members("agents:t1") == set()


async def test_a_lapsed_member_is_taken_by_exactly_one_replica(bus_pair):
    bus, make_peer = bus_pair
    peer = await make_peer()
    key = f"turns:{uuid.uuid4().hex}"
    await bus.presence_join(key, "gone", ttl_s=0.2)
    await bus.presence_join(key, "alive", ttl_s=30)
    assert await peer.presence_lapsed(key) == set()  # nothing has lapsed yet
    await asyncio.sleep(0.4)
    taken = await asyncio.gather(bus.presence_lapsed(key), peer.presence_lapsed(key))
    assert sorted(m for t in taken for m in t) == ["gone"]
    assert await bus.presence_lapsed(key) == set()  # taken once, then gone
    assert await peer.presence_members(key) == {"alive"}


async def test_held_presence_stays_while_held_and_leaves_with_the_last_hold(bus_pair):
    bus, make_peer = bus_pair
    peer = await make_peer()
    bus.hold_ttl_s = 0.3  # refreshed in one batch every 0.1 s
    key = f"listeners:{uuid.uuid4().hex}"
    await bus.presence_hold(key, "tab")
    await bus.presence_hold(key, "tab")  # the same member twice (two tabs)
    await bus.presence_hold(key, "phone")
    await asyncio.sleep(0.8)  # well past the TTL: only the refresh keeps them
    assert await peer.presence_members(key) == {"tab", "phone"}
    await bus.presence_release(key, "tab")
    assert await peer.presence_members(key) == {"tab", "phone"}  # one tab still open
    await bus.presence_release(key, "tab")
    await bus.presence_release(key, "phone")
    assert await peer.presence_members(key) == set()  # at once, not after the TTL


async def test_a_stopped_process_holds_no_presence_after_the_ttl(bus_pair):
    bus, make_peer = bus_pair
    peer = await make_peer()
    bus.hold_ttl_s = 0.3
    key = f"listeners:{uuid.uuid4().hex}"
    await bus.presence_hold(key, "gone")
    await bus.stop()  # its refresh stops with it, as when a replica dies
    await asyncio.sleep(0.5)
    assert await peer.presence_members(key) == set()


async def test_heartbeats_reach_the_subscriptions_that_ask_for_them(bus_pair):
    bus, _ = bus_pair
    async with (
        bus.subscribe("c:beat", heartbeat_s=0.05) as beating,
        bus.subscribe("c:beat") as quiet,
    ):
        pings = [await _next(beating, 1) for _ in range(3)]
        assert all(payload == PING for _, payload in pings)
        assert await quiet.get(0.2) is None
        await bus.publish("c:beat", b"news")
        assert (await _next(quiet))[1] == b"news"
        while (await _next(beating))[1] == PING:  # news arrives between beats
            pass


async def test_rate_counters_are_shared_and_reset_per_window(bus_pair):
    bus, make_peer = bus_pair
    peer = await make_peer()
    _, left = await bus.hit(f"clock:{uuid.uuid4().hex}", 2)
    if left < 1.0:  # start just after a window opens, so four hits fall in one window
        await asyncio.sleep(left + 0.01)
    key = f"ip:{uuid.uuid4().hex}"
    counts = [(await bus.hit(key, 2))[0] for _ in range(3)] + [(await peer.hit(key, 2))[0]]
    assert counts == [1, 2, 3, 4]
    _, left = await bus.hit(key, 2)
    await asyncio.sleep(left + 0.05)
    assert (await peer.hit(key, 2))[0] == 1


async def test_a_lease_has_one_holder_and_lapses_when_not_renewed(bus_pair):
    bus, make_peer = bus_pair
    peer = await make_peer()
    key = f"turn:{uuid.uuid4().hex}"
    assert await bus.lease(key, "replica-a", 0.4)
    assert not await peer.lease(key, "replica-b", 0.4)  # taken
    assert await bus.lease(key, "replica-a", 0.4)  # renewed by its holder
    await asyncio.sleep(0.6)  # the holder died: no renewal
    assert await peer.lease(key, "replica-b", 5)
    await bus.release(key, "replica-a")  # not a's any more: no effect
    assert not await bus.lease(key, "replica-a", 5)
    await peer.release(key, "replica-b")
    assert await bus.lease(key, "replica-a", 5)


async def test_close_all_ends_every_local_listener(bus_pair):
    bus, _ = bus_pair
    async with bus.subscribe("c:one") as first, bus.subscribe("c:two") as second:
        bus.fanout.close_all()
        assert await first.get(1) == ("c:one", CLOSE)
        assert await second.get(1) == ("c:two", CLOSE)


async def test_ping(bus_pair):
    bus, _ = bus_pair
    assert await bus.ping() is True


@pytest.mark.integration
async def test_a_quiet_bus_keeps_its_connection(valkey_url):
    """Quiet channels are not a dead connection: no reconnect (which would send every
    listener back to the database) when nothing is published for longer than the socket
    timeout."""
    from shared.bus.valkey import ValkeyBus

    bus = ValkeyBus(valkey_url, socket_timeout_s=0.3)
    await bus.start()
    try:
        async with bus.subscribe("c:quiet") as sub:
            await asyncio.sleep(1.2)  # four socket timeouts of silence
            await bus.publish("c:quiet", b"still here")
            assert await _next(sub) == ("c:quiet", b"still here")
        assert bus.reconnects == 0
    finally:
        await bus.stop()


@pytest.mark.integration
async def test_valkey_delivers_across_processes(valkey_url):
    bus = open_bus(valkey_url)
    await bus.start()
    script = (
        "import asyncio, sys\n"
        "from shared.bus import open_bus\n"
        "async def main():\n"
        "    bus = open_bus(sys.argv[1]); await bus.start()\n"
        "    for i in range(100): await bus.publish('c:proc', str(i).encode())\n"
        "    await bus.stop()\n"
        "asyncio.run(main())\n"
    )
    try:
        async with bus.subscribe("c:proc") as sub:
            proc = await asyncio.create_subprocess_exec(sys.executable, "-c", script, valkey_url)
            assert await proc.wait() == 0
            got = [int((await _next(sub))[1]) for _ in range(100)]
        assert got == list(range(100))
    finally:
        await bus.stop()


@pytest.mark.integration
async def test_valkey_reconnects_and_tells_listeners_to_resync(valkey_url):
    import valkey

    bus = open_bus(valkey_url)
    await bus.start()
    try:
        async with bus.subscribe("c:reconnect") as sub:
            admin = valkey.Valkey.from_url(valkey_url)
            killed = admin.client_kill_filter(_type="pubsub")
            assert killed >= 1
            assert (await _next(sub, 5.0)) == ("c:reconnect", GAP)
            await bus.publish("c:reconnect", b"after")
            assert (await _next(sub, 5.0)) == ("c:reconnect", b"after")
            admin.close()
    finally:
        await bus.stop()


def test_valkey_server_is_real_valkey(valkey_url):
    """The contract runs against valkey-server itself, not a Redis stand-in."""
    import valkey

    info = valkey.Valkey.from_url(valkey_url).info("server")
    assert "valkey_version" in info, info
