"""Which model answers for a tenant: the owner's own server when they set one, else the
deployment's (``KEFU_LLM_URL``).

An owner's endpoint gets a gateway of its own: its own concurrency and queue (a slow or stuck
server holds only its tenant's visitors), its own cache fingerprint (answers from one model are
never served as another's), and the outbound-URL rules of webhooks — checked when saved and
each time the endpoint is read again, so a host that starts resolving into our network is
refused from then on. The API key is write-only (never returned by the API).
"""

from __future__ import annotations

import asyncio
import dataclasses
import hashlib
import logging
import time
import uuid
from collections.abc import AsyncIterator
from typing import Annotated, Literal

import msgspec
from litestar.stores.base import Store
from msgspec import Meta

from ..errors import KefuError
from ..settings import Settings
from ..urls import check_outbound_url
from . import http_model, settings_fingerprint
from .base import ChatModel, ModelError, ModelRequest
from .gateway import ModelGateway

__all__ = ["Endpoint", "TenantModels", "read_endpoint"]

log = logging.getLogger("kefu.llm.tenants")


class Endpoint(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """An OpenAI-compatible server (``mlc_llm serve``, llama.cpp, vLLM, a hosted API)."""

    url: Annotated[str, Meta(max_length=500)] = ""  # …/v1; empty: the deployment's model
    model: Annotated[str, Meta(max_length=200)] = ""  # empty: the first the server lists
    api_key: Annotated[str, Meta(max_length=500)] = ""
    tools: Literal["native", "prompt", "off"] = "native"  # how it calls the tenant's plugins

    def fingerprint(self) -> str:
        """What makes this endpoint's answers its own (the key's hash, never the key)."""
        key = hashlib.sha256(self.api_key.encode()).hexdigest()[:12] if self.api_key else ""
        return f"{self.url}|{self.model}|{self.tools}|{key}"


async def read_endpoint(tenant_id: str) -> Endpoint:
    from ..db.tables import Tenant, json_value

    row = (
        await Tenant.select(Tenant.model_endpoint).where(Tenant.id == uuid.UUID(tenant_id)).first()
    )
    raw = json_value(row["model_endpoint"], {}) if row else {}
    try:
        return msgspec.convert(raw or {}, Endpoint)
    except msgspec.ValidationError:
        log.warning("tenant %s has a model endpoint that no longer reads: ignored", tenant_id)
        return Endpoint()


class _Refused(ChatModel):
    """An endpoint that may not be reached (any more): every question fails with ``code``."""

    name = "openai-http"

    def __init__(self, code: str, detail: str) -> None:
        self._error = (code, detail)

    async def stream(self, request: ModelRequest) -> AsyncIterator[str]:
        raise ModelError(*self._error)
        yield ""  # pragma: no cover - makes this a generator


@dataclasses.dataclass
class _Own:
    endpoint: Endpoint
    gateway: ModelGateway
    read_at: float


class TenantModels:
    """The gateway each tenant's questions go through."""

    def __init__(
        self, default: ModelGateway, settings: Settings, cache: Store | None, ttl_s: float = 5.0
    ) -> None:
        self.default = default
        self._settings = settings
        self._cache = cache
        self._ttl = ttl_s
        self._own: dict[str, _Own] = {}
        self._checked: dict[str, float] = {}  # tenants without one: when last read
        self._retired: list[ModelGateway] = []
        # One re-read at a time per tenant (its DNS lookup may be slow: never another's wait).
        self._locks: dict[str, asyncio.Lock] = {}
        self._closing: set[asyncio.Task[None]] = set()

    @property
    def enabled(self) -> bool:
        return self._settings.llm_tenant_endpoints

    async def check(self, url: str) -> None:
        """422 unless owners may point a tenant at ``url`` (the webhooks' outbound rules)."""
        await check_outbound_url(url, allow_private=self._settings.llm_tenant_allow_private)

    def forget(self, tenant_id: str | None) -> None:
        """The endpoint changed: read it again on next use (every tenant's: None)."""
        for tid in list(self._own) if tenant_id is None else [tenant_id]:
            own = self._own.pop(tid, None)
            if own is not None:
                self._retired.append(own.gateway)
            self._checked.pop(tid, None)
        if tenant_id is None:
            self._checked.clear()

    async def gateway(self, tenant_id: str) -> ModelGateway:
        """The tenant's own gateway, or the deployment's."""
        if not self.enabled:
            return self.default
        now = time.monotonic()
        if self._fresh(tenant_id, now):
            own = self._own.get(tenant_id)
            return own.gateway if own is not None else self.default
        lock = self._locks.setdefault(tenant_id, asyncio.Lock())
        async with lock:
            if not self._fresh(tenant_id, now):  # (another caller may have, while we waited)
                await self._reread(tenant_id, now)
        self._close_retired()
        own = self._own.get(tenant_id)
        return own.gateway if own is not None else self.default

    def _fresh(self, tenant_id: str, now: float) -> bool:
        own = self._own.get(tenant_id)
        if own is not None:
            return now - own.read_at < self._ttl
        return now - self._checked.get(tenant_id, -1e9) < self._ttl

    async def _reread(self, tenant_id: str, now: float) -> None:
        endpoint = await read_endpoint(tenant_id)
        own = self._own.get(tenant_id)
        if not endpoint.url:
            if own is not None:
                self._retired.append(self._own.pop(tenant_id).gateway)
            self._checked[tenant_id] = now
            return
        try:
            await self.check(endpoint.url)
            allowed = None
        except KefuError as exc:
            allowed = exc
        refused = isinstance(own.gateway.model, _Refused) if own is not None else False
        if own is not None and own.endpoint == endpoint and refused == (allowed is not None):
            own.read_at = now  # unchanged: keep its connections and queue
            return
        if own is not None:
            self._retired.append(own.gateway)
        model = _Refused(allowed.code, allowed.detail) if allowed else await self._open(endpoint)
        self._own[tenant_id] = _Own(endpoint, self._gateway(model, endpoint), now)

    async def _open(self, endpoint: Endpoint) -> ChatModel:
        model = http_model(
            self._settings,
            endpoint.url,
            model=endpoint.model,
            api_key=endpoint.api_key,
            tool_mode=endpoint.tools,
            public_only=not self._settings.llm_tenant_allow_private,
        )
        await model.start()
        return model

    def _gateway(self, model: ChatModel, endpoint: Endpoint) -> ModelGateway:
        s = self._settings
        return ModelGateway(
            model,
            self._cache,
            max_concurrency=s.llm_tenant_max_concurrency,
            max_queue=s.llm_tenant_max_queue,
            queue_timeout_s=s.llm_queue_timeout_s,
            cache_ttl_s=s.answer_cache_ttl_s,
            settings_fingerprint=f"{endpoint.fingerprint()}|{settings_fingerprint(s)}",
        )

    def _close_retired(self) -> None:
        """Close the connections of replaced endpoints once nothing runs on them."""
        idle = [g for g in self._retired if g.idle]
        self._retired = [g for g in self._retired if not g.idle]
        for gateway in idle:
            task = asyncio.get_running_loop().create_task(gateway.model.stop())
            self._closing.add(task)
            task.add_done_callback(self._closing.discard)

    async def stop(self) -> None:
        for gateway in [*(o.gateway for o in self._own.values()), *self._retired]:
            await gateway.model.stop()
        self._own.clear()
        self._retired.clear()
