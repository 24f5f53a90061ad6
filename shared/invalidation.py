"""Per-process caches, told at once when any replica changes what they hold.

Each process keeps short-lived caches of things read on every request (who is disabled, which
API keys are live, each tenant's settings, knowledge base and plugins). A change made on one
replica is forgotten there at once and announced on the bus; every other replica forgets it as
soon as the announcement arrives, instead of when its cache entry expires. If the bus is away,
the caches' own expiry (seconds) still bounds how stale a replica can be; after a bus reconnect
(announcements may have been missed) every cache is dropped.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

from .bus import CLOSE, GAP, Bus
from .tasks import cancel_and_wait

__all__ = ["SharedCaches", "CHANNEL"]

CHANNEL = "kefu:forget"
log = logging.getLogger("kefu.caches")

#: ``forget(key)``; ``forget(None)`` drops everything the cache holds.
Forget = Callable[[str | None], None]


class SharedCaches:
    def __init__(self, bus: Bus) -> None:
        self._bus = bus
        self._caches: dict[str, Forget] = {}
        self._listener: asyncio.Task[None] | None = None

    def register(self, name: str, forget: Forget) -> None:
        self._caches[name] = forget

    async def forget(self, name: str, key: str | None = None) -> None:
        """Forget ``key`` (everything when None) in ``name`` here, then on every replica."""
        self._caches[name](key)
        try:
            await self._bus.publish(CHANNEL, f"{name}\x1f{key or ''}".encode())
        except Exception as exc:  # the others catch up when their entries expire
            log.warning("could not announce a change to other replicas (%s)", exc)

    def start(self) -> None:
        self._listener = asyncio.create_task(self._listen(), name="kefu-shared-caches")

    async def stop(self) -> None:
        if self._listener is not None:
            await cancel_and_wait(self._listener)

    def _forget_all(self) -> None:
        for forget in self._caches.values():
            forget(None)

    async def _listen(self) -> None:
        while True:
            try:
                async with self._bus.subscribe(CHANNEL) as sub:
                    self._forget_all()  # anything announced before we listened
                    async for _, payload in sub:
                        if payload == CLOSE:
                            return  # this process is stopping
                        if payload == GAP:
                            self._forget_all()
                            continue
                        name, _, key = payload.decode().partition("\x1f")
                        if (forget := self._caches.get(name)) is not None:
                            forget(key or None)
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # the bus is away: listen again shortly
                log.warning("shared caches not listening (%s); retrying", exc)
                await asyncio.sleep(1.0)
