"""Rate limits: fixed windows counted in Valkey (shared by every replica), token buckets per socket.

Limits are written ``"COUNT/SECONDS"`` (``"30/60"``: 30 per minute). A refusal is a 429 with a
``Retry-After`` header and the code ``rate_limited``. When Valkey cannot be reached the limit
lets the request through (and logs): a broken limiter must not take the chat down.
"""

from __future__ import annotations

import asyncio
import logging
import time

import msgspec

from .bus import Bus
from .errors import KefuError
from .metrics import RATE_LIMITED

__all__ = ["Limit", "RateLimiter", "TokenBucket"]

log = logging.getLogger("kefu.ratelimit")


class Limit(msgspec.Struct, frozen=True):
    count: int
    window_s: int

    @classmethod
    def parse(cls, text: str) -> Limit:
        count, _, window = text.partition("/")
        limit = cls(int(count), int(window or 60))
        if limit.count < 1 or limit.window_s < 1:
            raise ValueError(f"a rate limit is COUNT/SECONDS with both positive, not {text!r}")
        return limit


class RateLimiter:
    def __init__(
        self,
        bus: Bus,
        limits: dict[str, str],
        *,
        enabled: bool = True,
        slow_down_s: float = 0.5,
    ) -> None:
        self._bus = bus
        self.enabled = enabled
        self._slow_down_s = slow_down_s
        self.limits = {name: Limit.parse(text) for name, text in limits.items()}
        self.frame_limit = self.limits.pop("ws_frames", None) if enabled else None

    async def check(self, name: str, key: str) -> None:
        """Count one event for ``key`` under the limit ``name``; 429 when over it."""
        if not self.enabled:
            return
        limit = self.limits[name]
        try:
            count, left = await self._bus.hit(f"{name}:{key}", limit.window_s)
        except Exception as exc:  # fail open: availability over strictness
            log.warning("rate limit %s unavailable: %s", name, exc)
            return
        if count > limit.count:
            RATE_LIMITED.labels(name).inc()
            raise KefuError(
                429,
                "rate_limited",
                f"too many requests ({limit.count} per {limit.window_s} s); slow down",
                headers={"Retry-After": str(max(1, int(left + 0.999)))},
            )

    async def slow_down(
        self, key: str, *, free: int = 5, max_s: float = 8.0, window_s: int = 900
    ) -> None:
        """One more failure under ``key``; past ``free`` of them in ``window_s``, wait before
        answering, twice as long per failure up to ``max_s``. Slower, never locked: a lock on
        an email is a way for anyone to keep its owner out."""
        if not self.enabled:
            return
        try:
            failures, _ = await self._bus.hit(key, window_s)
        except Exception as exc:  # fail open, as the limits do
            log.warning("slow-down %s unavailable: %s", key, exc)
            return
        if failures > free:
            await asyncio.sleep(min(max_s, self._slow_down_s * 2 ** (failures - free - 1)))


class TokenBucket:
    """A per-connection limit kept in memory: ``rate`` events per ``per_s``, bursts up to ``rate``."""

    def __init__(self, limit: Limit) -> None:
        self._capacity = float(limit.count)
        self._refill = limit.count / limit.window_s
        self._tokens = self._capacity
        self._at = time.monotonic()

    def take(self) -> bool:
        now = time.monotonic()
        self._tokens = min(self._capacity, self._tokens + (now - self._at) * self._refill)
        self._at = now
        if self._tokens >= 1:
            self._tokens -= 1
            return True
        RATE_LIMITED.labels("ws_frames").inc()
        return False
