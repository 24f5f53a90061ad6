"""Shared caches: a change forgotten on one replica is forgotten on the others (in-process bus
standing in for Valkey; two SharedCaches are two replicas)."""

from __future__ import annotations

import asyncio

from shared.bus import GAP, open_bus
from shared.invalidation import CHANNEL, SharedCaches


async def _until(predicate, seconds: float = 1.0) -> None:
    for _ in range(int(seconds / 0.01)):
        if predicate():
            return
        await asyncio.sleep(0.01)
    raise AssertionError("not within the time")


async def test_a_change_on_one_replica_is_forgotten_on_the_other_and_a_gap_forgets_all():
    bus = open_bus("memory://")
    await bus.start()
    here, there = SharedCaches(bus), SharedCaches(bus)
    seen_here: list[str | None] = []
    seen_there: list[str | None] = []
    here.register("users", seen_here.append)
    there.register("users", seen_there.append)
    here.start()
    there.start()
    try:
        await _until(lambda: None in seen_there and None in seen_here)  # listening
        seen_here.clear()
        seen_there.clear()
        await here.forget("users", "u-1")
        await _until(lambda: "u-1" in seen_there)
        assert seen_here[0] == "u-1"  # at once here, not only when the bus echoes it
        bus.fanout.dispatch(CHANNEL, GAP)  # the bus reconnected: announcements may be lost
        await _until(lambda: seen_there[-1] is None)
    finally:
        await here.stop()
        await there.stop()
        await bus.stop()
