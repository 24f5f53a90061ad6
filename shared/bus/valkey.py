"""Valkey-backed bus: pub/sub fan-out across processes and replicas, presence in sorted sets.

One pub/sub connection per process; channels are subscribed upstream only while a local
listener needs them. A subscribe returns once Valkey has confirmed it, so a listener that
subscribes and then reads the database cannot miss a message published in between. When the
connection drops, the reader reconnects with backoff, resubscribes, and tells every local
listener to resync (:data:`~shared.bus.base.GAP`).
"""

from __future__ import annotations

import asyncio
import logging
import time
import uuid

import valkey.asyncio as valkey_async
from valkey.exceptions import ConnectionError as ValkeyConnectionError
from valkey.exceptions import TimeoutError as ValkeyTimeoutError

from .base import Bus

__all__ = ["ValkeyBus", "BusUnavailable"]

log = logging.getLogger("kefu.bus")

_TRANSIENT = (ValkeyConnectionError, ValkeyTimeoutError, ConnectionError, OSError)


class BusUnavailable(RuntimeError):
    """Valkey did not answer in time."""


class ValkeyBus(Bus):
    def __init__(
        self,
        url: str,
        *,
        prefix: str = "kefu:",
        confirm_timeout_s: float = 5.0,
        max_connections: int = 64,
        socket_timeout_s: float = 5.0,
    ) -> None:
        super().__init__()
        self._url = url
        self._max_connections = max_connections
        self._socket_timeout_s = socket_timeout_s
        self._prefix = prefix
        self._confirm_timeout_s = confirm_timeout_s
        self._node_channel = f"{prefix}node:{uuid.uuid4().hex}"
        self._client: valkey_async.Valkey | None = None
        self._pubsub: valkey_async.client.PubSub | None = None
        self._reader: asyncio.Task[None] | None = None
        self._confirmations: dict[str, list[asyncio.Future[None]]] = {}
        self.reconnects = 0

    async def start(self) -> None:
        # A bounded pool that makes callers wait: a burst (thousands of streams opening at
        # once) queues for a connection instead of opening thousands of sockets, each with
        # its own buffers, that then stay open.
        pool = valkey_async.BlockingConnectionPool.from_url(
            self._url,
            max_connections=self._max_connections,
            timeout=5,
            socket_timeout=self._socket_timeout_s,  # a command that hangs this long fails
            socket_connect_timeout=3,
            socket_keepalive=True,
            health_check_interval=30,
        )
        self._client = valkey_async.Valkey.from_pool(pool)
        await self._open_pubsub()
        self._reader = asyncio.create_task(self._read_loop(), name="kefu-bus-reader")

    @property
    def client(self) -> valkey_async.Valkey:
        """The shared command connection pool (for stores that live beside the bus)."""
        if self._client is None:
            raise RuntimeError("bus not started")
        return self._client

    async def stop(self) -> None:
        await super().stop()
        if self._reader is not None:
            self._reader.cancel()
            try:
                await self._reader
            except asyncio.CancelledError:
                pass
        if self._pubsub is not None:
            await self._pubsub.aclose()
        if self._client is not None:
            await self._client.aclose()

    async def _open_pubsub(self) -> None:
        assert self._client is not None
        self._pubsub = self._client.pubsub()
        # Always subscribed to something, so the reader never sees an idle, closed pubsub.
        await self._pubsub.subscribe(self._node_channel, *self.fanout.channels)

    async def _read_loop(self) -> None:
        backoff = 0.05
        while True:
            try:
                assert self._pubsub is not None
                while True:
                    # Not listen(): its read would hit the command socket timeout whenever
                    # the channels are quiet for that long, and each reconnect would send
                    # every listener back to the database. This read returns None instead,
                    # and the health check (a PING every 30 s) still finds a dead connection.
                    item = await self._pubsub.get_message(timeout=self._socket_timeout_s)
                    backoff = 0.05
                    if item is not None:
                        self._handle(item)
            except asyncio.CancelledError:
                raise
            except _TRANSIENT as exc:
                log.warning("bus connection lost (%s); reconnecting", exc)
            except Exception:  # a bug here must not silence the bus for good
                log.exception("bus reader failed; reconnecting")
            await asyncio.sleep(backoff)
            backoff = min(backoff * 2, 2.0)
            try:
                if self._pubsub is not None:
                    await self._pubsub.aclose()
                await self._open_pubsub()
            except _TRANSIENT as exc:
                log.warning("bus reconnect failed (%s)", exc)
                continue
            self.reconnects += 1
            # Anything published while we were away is in the database: resync everyone.
            self.fanout.gap_all()

    def _handle(self, item: dict) -> None:
        kind = item["type"]
        channel = item["channel"]
        channel = channel.decode() if isinstance(channel, bytes) else channel
        if kind == "message":
            self.fanout.dispatch(channel, item["data"])
        elif kind == "subscribe":
            for fut in self._confirmations.pop(channel, ()):
                if not fut.done():
                    fut.set_result(None)

    async def publish(self, channel: str, payload: bytes) -> None:
        assert self._client is not None
        try:
            await self._client.publish(channel, payload)
        except _TRANSIENT as exc:
            raise BusUnavailable(str(exc)) from exc

    async def _upstream_subscribe(self, channels: list[str]) -> None:
        assert self._pubsub is not None
        loop = asyncio.get_running_loop()
        waits = []
        for channel in channels:
            fut: asyncio.Future[None] = loop.create_future()
            self._confirmations.setdefault(channel, []).append(fut)
            waits.append(fut)
        try:
            await self._pubsub.subscribe(*channels)
            async with asyncio.timeout(self._confirm_timeout_s):
                await asyncio.gather(*waits)
        except (*_TRANSIENT, TimeoutError) as exc:
            for channel in channels:
                self._confirmations.pop(channel, None)
            raise BusUnavailable(f"subscribe failed: {exc}") from exc

    async def _upstream_unsubscribe(self, channels: list[str]) -> None:
        if self._pubsub is None:
            return
        try:
            await self._pubsub.unsubscribe(*channels)
        except _TRANSIENT:
            pass  # the reconnect resubscribes only channels that still have listeners

    def _key(self, key: str) -> str:
        return f"{self._prefix}presence:{key}"

    async def presence_join(self, key: str, member: str, ttl_s: float) -> None:
        assert self._client is not None
        name = self._key(key)
        async with self._client.pipeline(transaction=False) as pipe:
            pipe.zadd(name, {member: time.time() + ttl_s})
            pipe.expire(name, max(1, int(ttl_s * 2)))
            await pipe.execute()

    async def presence_refresh(self, held: list[tuple[str, list[str]]], ttl_s: float) -> None:
        assert self._client is not None
        until = time.time() + ttl_s
        for start in range(0, len(held), 500):  # a few hundred keys per round trip
            async with self._client.pipeline(transaction=False) as pipe:
                for key, members in held[start : start + 500]:
                    name = self._key(key)
                    pipe.zadd(name, dict.fromkeys(members, until))
                    pipe.expire(name, max(1, int(ttl_s * 2)))
                await pipe.execute()

    async def presence_leave(self, key: str, member: str) -> None:
        assert self._client is not None
        await self._client.zrem(self._key(key), member)

    async def presence_members(self, key: str) -> set[str]:
        assert self._client is not None
        name = self._key(key)
        async with self._client.pipeline(transaction=False) as pipe:
            pipe.zremrangebyscore(name, "-inf", time.time())
            pipe.zrange(name, 0, -1)
            _, members = await pipe.execute()
        return {m.decode() for m in members}

    async def presence_lapsed(self, key: str) -> set[str]:
        assert self._client is not None
        name = self._key(key)
        lapsed = await self._client.zrangebyscore(name, "-inf", time.time(), start=0, num=100)
        if not lapsed:
            return set()
        async with self._client.pipeline(transaction=False) as pipe:
            for member in lapsed:
                pipe.zrem(name, member)
            taken = await pipe.execute()
        # ZREM answers 1 to one replica only: that one has it.
        return {m.decode() for m, won in zip(lapsed, taken, strict=True) if won}

    async def lease(self, key: str, owner: str, ttl_s: float) -> bool:
        assert self._client is not None
        name = f"{self._prefix}lease:{key}"
        ms = max(1, int(ttl_s * 1000))
        if await self._client.set(name, owner, nx=True, px=ms):
            return True
        # Renew only our own lease (GET then PEXPIRE: a lease lapsing in between is retaken
        # by SET NX next time; plain commands, so Redis-compatible servers work too).
        current = await self._client.get(name)
        if current is not None and current.decode() == owner:
            await self._client.pexpire(name, ms)
            return True
        return False

    async def release(self, key: str, owner: str) -> None:
        assert self._client is not None
        name = f"{self._prefix}lease:{key}"
        current = await self._client.get(name)
        if current is not None and current.decode() == owner:
            await self._client.delete(name)

    async def hit(self, key: str, window_s: int) -> tuple[int, float]:
        assert self._client is not None
        now = time.time()
        start = now - now % window_s
        name = f"{self._prefix}rate:{key}:{int(start)}"
        async with self._client.pipeline(transaction=False) as pipe:
            pipe.incr(name)
            pipe.expire(name, window_s + 1)
            count, _ = await pipe.execute()
        return int(count), start + window_s - now

    async def ping(self) -> bool:
        assert self._client is not None
        try:
            async with asyncio.timeout(2.0):
                return bool(await self._client.ping())
        except (*_TRANSIENT, TimeoutError):
            return False
