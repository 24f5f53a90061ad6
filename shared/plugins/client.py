"""The chat side's view of a plugins service over HTTP: timeouts, a bound, a circuit breaker.

A plugins service that is down or slow costs a visitor at most one bounded wait: after
``failures`` failures in a row the breaker opens and calls fail at once for ``cooldown_s``, then
one trial call decides whether it closes again. Chat keeps answering from the knowledge base.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

import httpx
import msgspec

from ..auth.keys import SigningKeys
from ..metrics import PLUGIN_CALLS
from .base import PluginError, PluginResult
from .runner import PluginInfo, Plugins

__all__ = ["RemotePlugins", "CircuitBreaker"]


class CircuitBreaker:
    def __init__(self, failures: int = 5, cooldown_s: float = 30.0) -> None:
        self.failures = failures
        self.cooldown_s = cooldown_s
        self._count = 0
        self._opened_at: float | None = None

    def allow(self) -> bool:
        if self._opened_at is None:
            return True
        if time.monotonic() - self._opened_at >= self.cooldown_s:
            self._opened_at = time.monotonic()  # half-open: let this one call through
            return True
        return False

    def success(self) -> None:
        self._count = 0
        self._opened_at = None

    def failure(self) -> None:
        self._count += 1
        if self._count >= self.failures:
            self._opened_at = time.monotonic()

    @property
    def open(self) -> bool:
        return self._opened_at is not None


_invoke_reply = msgspec.json.Decoder(PluginResult)
_available_reply = msgspec.json.Decoder(list[PluginInfo])


class RemotePlugins(Plugins):
    def __init__(
        self,
        base_url: str,
        keys: SigningKeys,
        *,
        timeout_s: float = 8.0,
        max_concurrency: int = 32,
        breaker: CircuitBreaker | None = None,
        cache_s: float = 5.0,
    ) -> None:
        self._client = httpx.AsyncClient(base_url=base_url.rstrip("/"), timeout=timeout_s)
        self._keys = keys
        self._slots = asyncio.Semaphore(max_concurrency)
        self.breaker = breaker or CircuitBreaker()
        self._cache_s = cache_s
        self._available: dict[str, tuple[float, list[PluginInfo]]] = {}

    async def close(self) -> None:
        await self._client.aclose()

    async def _post(self, path: str, body: dict[str, Any]) -> httpx.Response:
        if not self.breaker.allow():
            raise PluginError("plugins_unavailable", "the plugins service is failing; not calling")
        if self._slots.locked():
            raise PluginError("plugins_busy", "too many plugin calls in flight")
        async with self._slots:
            try:
                response = await self._client.post(
                    path,
                    json=body,
                    headers={"Authorization": f"Bearer {self._keys.service_token()}"},
                )
            except httpx.HTTPError as exc:
                self.breaker.failure()
                raise PluginError("plugins_unavailable", f"{type(exc).__name__}: {exc}") from None
        if response.status_code >= 500:
            self.breaker.failure()
            raise PluginError(
                "plugins_unavailable", f"the plugins service answered {response.status_code}"
            )
        self.breaker.success()
        return response

    async def available(self, tenant_id: str) -> list[PluginInfo]:
        hit = self._available.get(tenant_id)
        if hit is not None and time.monotonic() - hit[0] < self._cache_s:
            return hit[1]
        try:
            response = await self._post("/api/v1/plugins/available", {"tenant_id": tenant_id})
            found = _available_reply.decode(response.content) if response.status_code == 200 else []
        except (PluginError, msgspec.DecodeError):
            found = hit[1] if hit else []  # keep the last known list while the service is away
        self._available[tenant_id] = (time.monotonic(), found)
        return found

    async def invoke(
        self,
        tenant_id: str,
        name: str,
        args: dict[str, Any],
        *,
        conversation_id: str = "",
        language: str = "en",
    ) -> PluginResult:
        body = {
            "tenant_id": tenant_id,
            "name": name,
            "arguments": args,
            "conversation_id": conversation_id,
            "language": language,
        }
        try:
            response = await self._post("/api/v1/plugins/invoke", body)
        except PluginError as exc:
            PLUGIN_CALLS.labels(name, exc.code).inc()
            raise
        if response.status_code == 200:
            try:
                return _invoke_reply.decode(response.content)
            except msgspec.DecodeError:
                raise PluginError("bad_result", "the plugins service sent garbage") from None
        try:
            error = msgspec.json.decode(response.content)
            raise PluginError(str(error.get("code", "plugin_failed")), str(error.get("detail", "")))
        except (msgspec.DecodeError, AttributeError):
            raise PluginError("plugin_failed", f"HTTP {response.status_code}") from None
