"""The session/broadcast layer's interface: pub/sub, presence, and the local fan-out.

A process holds ONE upstream subscription per channel however many local listeners it has
(sockets, SSE streams); :class:`Fanout` hands each published payload to every local
:class:`Subscription`. The bus carries no history: the database is the truth, and a listener
that sees :data:`GAP` resynchronises from it.
"""

from __future__ import annotations

import asyncio
from abc import ABC, abstractmethod
from collections.abc import AsyncIterator
from typing import Final

__all__ = ["Bus", "Subscription", "Fanout", "GAP", "CLOSE", "Delivery"]

#: Sentinel payload: events may have been lost (slow consumer, bus reconnect); resync from the DB.
GAP: Final = b""
#: Sentinel payload: this process is stopping; end the stream (the client reconnects elsewhere).
CLOSE: Final = b"\x00close"

Delivery = tuple[str, bytes]


class Subscription:
    """A local listener on one or more channels; iterate it for ``(channel, payload)``."""

    def __init__(self, bus: Bus, channels: tuple[str, ...], maxsize: int = 1000) -> None:
        self._bus = bus
        self.channels: set[str] = set(channels)
        self._queue: asyncio.Queue[Delivery] = asyncio.Queue(maxsize)
        self._closed = False

    def deliver(self, channel: str, payload: bytes) -> None:
        try:
            self._queue.put_nowait((channel, payload))
        except asyncio.QueueFull:
            # A slow consumer loses its backlog, not the process: it is told to resync.
            while not self._queue.empty():
                self._queue.get_nowait()
            self._queue.put_nowait((channel, CLOSE if payload == CLOSE else GAP))

    async def add(self, *channels: str) -> None:
        new = tuple(c for c in channels if c not in self.channels)
        self.channels.update(new)
        await self._bus._attach(self, new)

    async def remove(self, *channels: str) -> None:
        gone = tuple(c for c in channels if c in self.channels)
        self.channels.difference_update(gone)
        await self._bus._detach(self, gone)

    async def get(self, timeout: float | None = None) -> Delivery | None:
        """Next delivery, or None after ``timeout`` seconds of silence."""
        if not self._queue.empty() or timeout is None:
            return self._queue.get_nowait() if not self._queue.empty() else await self._queue.get()
        try:
            # Only a stream that is actually idle pays for a timer.
            async with asyncio.timeout(timeout):
                return await self._queue.get()
        except TimeoutError:
            return None

    async def __aenter__(self) -> Subscription:
        await self._bus._attach(self, tuple(self.channels))
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def close(self) -> None:
        if not self._closed:
            self._closed = True
            await self._bus._detach(self, tuple(self.channels))

    def __aiter__(self) -> AsyncIterator[Delivery]:
        return self

    async def __anext__(self) -> Delivery:
        return await self._queue.get()


class Fanout:
    """Channel -> local subscriptions of this process."""

    def __init__(self) -> None:
        self._subs: dict[str, set[Subscription]] = {}

    def add(self, sub: Subscription, channels: tuple[str, ...]) -> list[str]:
        """Register; return the channels that had no local listener before."""
        fresh = []
        for channel in channels:
            listeners = self._subs.setdefault(channel, set())
            if not listeners:
                fresh.append(channel)
            listeners.add(sub)
        return fresh

    def remove(self, sub: Subscription, channels: tuple[str, ...]) -> list[str]:
        """Unregister; return the channels left with no local listener."""
        empty = []
        for channel in channels:
            listeners = self._subs.get(channel)
            if listeners is None:
                continue
            listeners.discard(sub)
            if not listeners:
                del self._subs[channel]
                empty.append(channel)
        return empty

    def dispatch(self, channel: str, payload: bytes) -> None:
        for sub in tuple(self._subs.get(channel, ())):
            sub.deliver(channel, payload)

    def close_all(self) -> None:
        """Tell every local listener to end (draining before shutdown): one sentinel each,
        no task or timer per stream."""
        for channel, listeners in self._subs.items():
            for sub in tuple(listeners):
                sub.deliver(channel, CLOSE)

    def gap_all(self) -> None:
        for channel, listeners in self._subs.items():
            for sub in tuple(listeners):
                sub.deliver(channel, GAP)

    @property
    def channels(self) -> list[str]:
        return list(self._subs)

    @property
    def listener_count(self) -> int:
        return sum(len(s) for s in self._subs.values())


class Bus(ABC):
    """Pub/sub fan-out plus presence, shared by every replica that uses the same backend."""

    def __init__(self) -> None:
        self.fanout = Fanout()

    async def start(self) -> None:  # noqa: B027 - optional lifecycle hook
        """Connect; called once in the app's lifespan."""

    async def stop(self) -> None:  # noqa: B027 - optional lifecycle hook
        """Disconnect and release resources."""

    @abstractmethod
    async def publish(self, channel: str, payload: bytes) -> None:
        """Deliver ``payload`` to every subscriber of ``channel`` on every replica."""

    def subscribe(self, *channels: str, maxsize: int = 1000) -> Subscription:
        """A subscription; use as ``async with bus.subscribe(ch) as sub: async for …``."""
        return Subscription(self, channels, maxsize)

    async def _attach(self, sub: Subscription, channels: tuple[str, ...]) -> None:
        fresh = self.fanout.add(sub, channels)
        if fresh:
            await self._upstream_subscribe(fresh)

    async def _detach(self, sub: Subscription, channels: tuple[str, ...]) -> None:
        empty = self.fanout.remove(sub, channels)
        if empty:
            await self._upstream_unsubscribe(empty)

    async def _upstream_subscribe(self, channels: list[str]) -> None:  # noqa: B027
        """Start receiving ``channels`` from the shared backend (no-op in memory)."""

    async def _upstream_unsubscribe(self, channels: list[str]) -> None:  # noqa: B027
        """Stop receiving ``channels`` from the shared backend (no-op in memory)."""

    @abstractmethod
    async def presence_join(self, key: str, member: str, ttl_s: float) -> None:
        """Mark ``member`` present under ``key`` for ``ttl_s`` seconds (refresh to stay)."""

    @abstractmethod
    async def presence_leave(self, key: str, member: str) -> None:
        """Remove ``member`` from ``key`` at once."""

    @abstractmethod
    async def presence_members(self, key: str) -> set[str]:
        """Members of ``key`` whose presence has not expired."""

    @abstractmethod
    async def lease(self, key: str, owner: str, ttl_s: float) -> bool:
        """Take or renew a lease on ``key`` for ``owner``; False when someone else holds it.

        A holder that dies stops renewing, and the lease lapses after ``ttl_s``."""

    @abstractmethod
    async def release(self, key: str, owner: str) -> None:
        """Give up ``owner``'s lease on ``key`` (no-op when it is not theirs)."""

    @abstractmethod
    async def hit(self, key: str, window_s: int) -> tuple[int, float]:
        """Count one event under ``key`` in the current ``window_s`` window (rate limits).

        Returns (events so far in this window, seconds until the window ends).
        """

    @abstractmethod
    async def ping(self) -> bool:
        """True when the backend answers (readiness)."""
