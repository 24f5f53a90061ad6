"""In-process bus: the embedded default for one worker; no network, no persistence."""

from __future__ import annotations

import time

from .base import Bus

__all__ = ["MemoryBus"]


class MemoryBus(Bus):
    """Everything lives in this process; fine for one worker, wrong for several."""

    def __init__(self) -> None:
        super().__init__()
        self._presence: dict[str, dict[str, float]] = {}
        self._counters: dict[str, tuple[int, float]] = {}
        self._leases: dict[str, tuple[str, float]] = {}

    async def publish(self, channel: str, payload: bytes) -> None:
        self.fanout.dispatch(channel, payload)

    async def presence_join(self, key: str, member: str, ttl_s: float) -> None:
        self._presence.setdefault(key, {})[member] = time.monotonic() + ttl_s

    async def presence_leave(self, key: str, member: str) -> None:
        self._presence.get(key, {}).pop(member, None)

    async def presence_members(self, key: str) -> set[str]:
        now = time.monotonic()
        members = self._presence.get(key, {})
        for member in [m for m, exp in members.items() if exp <= now]:
            del members[member]
        return set(members)

    async def presence_lapsed(self, key: str) -> set[str]:
        now = time.monotonic()
        members = self._presence.get(key, {})
        lapsed = {m for m, exp in members.items() if exp <= now}
        for member in lapsed:
            del members[member]
        return lapsed

    async def lease(self, key: str, owner: str, ttl_s: float) -> bool:
        now = time.monotonic()
        held = self._leases.get(key)
        if held is not None and held[0] != owner and held[1] > now:
            return False
        self._leases[key] = (owner, now + ttl_s)
        return True

    async def release(self, key: str, owner: str) -> None:
        if self._leases.get(key, ("",))[0] == owner:
            del self._leases[key]

    async def hit(self, key: str, window_s: int) -> tuple[int, float]:
        now = time.time()
        start = now - now % window_s
        name = f"{key}:{int(start)}"
        if len(self._counters) > 50_000:  # drop finished windows now and then
            self._counters = {k: v for k, v in self._counters.items() if v[1] > now}
        count, ends = self._counters.get(name, (0, start + window_s))
        self._counters[name] = (count + 1, ends)
        return count + 1, ends - now

    async def ping(self) -> bool:
        return True
