"""The session/broadcast layer's interface: pub/sub, presence, and the local fan-out.

A process holds ONE upstream subscription per channel however many local listeners it has
(sockets, SSE streams); :class:`Fanout` hands each published payload to every local
:class:`Subscription`. The bus carries no history: the database is the truth, and a listener
that sees :data:`GAP` resynchronises from it.
"""

from __future__ import annotations

import asyncio
import logging
from abc import ABC, abstractmethod
from collections import deque
from collections.abc import AsyncIterator, Callable, Coroutine
from typing import Any, Final

from ..tasks import cancel_and_wait

__all__ = ["Bus", "Subscription", "Fanout", "GAP", "CLOSE", "PING", "Delivery"]

log = logging.getLogger("kefu.bus")

#: Sentinel payload: events may have been lost (slow consumer, bus reconnect); resync from the DB.
GAP: Final = b""
#: Sentinel payload: this process is stopping; end the stream (the client reconnects elsewhere).
CLOSE: Final = b"\x00close"
#: Sentinel payload: a heartbeat for subscriptions that asked for one (``heartbeat_s``).
PING: Final = b"\x00ping"

Delivery = tuple[str, bytes]


class Subscription:
    """A local listener on one or more channels; iterate it for ``(channel, payload)``.

    One consumer per subscription (the stream that owns it). Deliveries wait in a deque that
    exists only while something is waiting, with one waiter: an idle stream holds no queue.
    """

    __slots__ = ("_bus", "channels", "_items", "_maxsize", "_waiter", "_closed", "heartbeat_s")

    def __init__(
        self,
        bus: Bus,
        channels: tuple[str, ...],
        maxsize: int = 1000,
        heartbeat_s: float | None = None,
    ) -> None:
        self._bus = bus
        self.channels: set[str] = set(channels)
        self._items: deque[Delivery] | None = None
        self._maxsize = maxsize
        self._waiter: asyncio.Future[None] | None = None
        self._closed = False
        self.heartbeat_s = heartbeat_s

    def deliver(self, channel: str, payload: bytes) -> None:
        if self._items is None:
            self._items = deque()
        elif len(self._items) >= self._maxsize:
            # A slow consumer loses its backlog, not the process: it is told to resync.
            self._items.clear()
            payload = CLOSE if payload == CLOSE else GAP
        self._items.append((channel, payload))
        waiter = self._waiter
        if waiter is not None and not waiter.done():
            waiter.set_result(None)

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
        if self._items or timeout is None:
            return await self.__anext__()
        try:
            async with asyncio.timeout(timeout):
                return await self.__anext__()
        except TimeoutError:
            return None

    async def __aenter__(self) -> Subscription:
        await self._bus._attach(self, tuple(self.channels))
        if self.heartbeat_s is not None:
            self._bus._pulse(self, self.heartbeat_s)
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def close(self) -> None:
        if not self._closed:
            self._closed = True
            if self.heartbeat_s is not None:
                self._bus._unpulse(self, self.heartbeat_s)
            await self._bus._detach(self, tuple(self.channels))

    def __aiter__(self) -> AsyncIterator[Delivery]:
        return self

    async def __anext__(self) -> Delivery:
        while not self._items:
            self._waiter = asyncio.get_running_loop().create_future()
            try:
                await self._waiter
            finally:
                self._waiter = None
        item = self._items.popleft()
        if not self._items:
            self._items = None
        return item


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
    """Pub/sub fan-out plus presence, shared by every replica that uses the same backend.

    Two chores run once per process, however many streams there are: heartbeats for the
    subscriptions that ask for them (one timer per interval, not one per stream) and the
    refresh of held presence (one batch every third of :attr:`hold_ttl_s`, not a write per
    stream).
    """

    #: How long a held presence lasts if this process stops refreshing it (it died).
    hold_ttl_s: float = 30.0

    def __init__(self) -> None:
        self.fanout = Fanout()
        self._held: dict[str, dict[str, int]] = {}  # key -> member -> holds in this process
        self._pulsed: dict[float, set[Subscription]] = {}  # interval -> subscriptions
        self._chores: dict[object, asyncio.Task[None]] = {}

    async def start(self) -> None:  # noqa: B027 - optional lifecycle hook
        """Connect; called once in the app's lifespan."""

    async def stop(self) -> None:
        """Disconnect and release resources."""
        chores = list(self._chores.values())
        self._chores.clear()
        await cancel_and_wait(*chores)

    def _chore(self, name: object, work: Callable[[], Coroutine[Any, Any, None]]) -> None:
        """Start the process's ``name`` loop unless it is already running."""
        task = self._chores.get(name)
        if task is None or task.done():
            self._chores[name] = asyncio.create_task(work(), name=f"kefu-bus-{name}")

    # -- heartbeats ---------------------------------------------------------------------------

    def _pulse(self, sub: Subscription, interval: float) -> None:
        self._pulsed.setdefault(interval, set()).add(sub)
        self._chore(("pulse", interval), lambda: self._beat(interval))

    def _unpulse(self, sub: Subscription, interval: float) -> None:
        self._pulsed.get(interval, set()).discard(sub)

    async def _beat(self, interval: float) -> None:
        while True:
            await asyncio.sleep(interval)
            subs = self._pulsed.get(interval)
            if not subs:
                self._pulsed.pop(interval, None)
                return  # the next subscription that wants this interval starts a new one
            for sub in tuple(subs):
                sub.deliver("", PING)

    # -- presence held by this process ---------------------------------------------------------

    async def presence_hold(self, key: str, member: str) -> None:
        """Mark ``member`` present under ``key`` now, and keep it present until released.

        Holds are counted (two sockets of one agent: present until both are gone); the process
        refreshes all its holds in one batch, and if it dies they lapse after ``hold_ttl_s``.
        Never raises: pair every hold with :meth:`presence_release` in a ``finally``.
        """
        members = self._held.setdefault(key, {})
        members[member] = members.get(member, 0) + 1
        self._chore("presence", self._keep_present)
        try:
            await self.presence_join(key, member, self.hold_ttl_s)
        except Exception as exc:  # the bus is away: held all the same, the next refresh tells
            log.warning("presence join failed (%s)", exc)

    async def presence_release(self, key: str, member: str) -> None:
        """Drop one hold; the member leaves at once when it was the last one."""
        members = self._held.get(key, {})
        left = members.get(member, 0) - 1
        if left > 0:
            members[member] = left
            return
        members.pop(member, None)
        if not members:
            self._held.pop(key, None)
        await self.presence_leave(key, member)

    async def _keep_present(self) -> None:
        while self._held:
            await asyncio.sleep(self.hold_ttl_s / 3)
            held = [(key, list(members)) for key, members in self._held.items()]
            try:
                await self.presence_refresh(held, self.hold_ttl_s)
            except Exception as exc:  # the bus is away: the next round tries again
                log.warning("presence refresh failed (%s)", exc)

    async def presence_refresh(self, held: list[tuple[str, list[str]]], ttl_s: float) -> None:
        """Renew many members' presence at once (backends batch this)."""
        for key, members in held:
            for member in members:
                await self.presence_join(key, member, ttl_s)

    @abstractmethod
    async def publish(self, channel: str, payload: bytes) -> None:
        """Deliver ``payload`` to every subscriber of ``channel`` on every replica."""

    def subscribe(
        self, *channels: str, maxsize: int = 1000, heartbeat_s: float | None = None
    ) -> Subscription:
        """A subscription; use as ``async with bus.subscribe(ch) as sub: async for …``.

        With ``heartbeat_s``, :data:`PING` arrives every ``heartbeat_s`` seconds as well.
        """
        return Subscription(self, channels, maxsize, heartbeat_s)

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
    async def presence_lapsed(self, key: str) -> set[str]:
        """Take the members of ``key`` whose presence expired (their holder stopped renewing):
        each lapsed member goes to exactly one caller across replicas, then is gone."""

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
