"""The model the bot answers with: the deployment's (``KEFU_LLM_URL``) or the owner's own
OpenAI-compatible server for this tenant (``PUT /endpoint``), and a test of the connection.
Per-tenant generation knobs (temperature, max tokens) live in the settings."""

from __future__ import annotations

import asyncio
import time
import uuid
from typing import Annotated, Literal
from urllib.parse import urlsplit

import msgspec
from litestar import Controller, Request, delete, get, post, put
from litestar.di import NamedDependency
from litestar.params import Body
from msgspec import Meta

from shared.auth.scopes import Principal
from shared.db.tables import Tenant
from shared.errors import KefuError
from shared.kb.retriever import Passage
from shared.llm.base import ModelError, ModelRequest
from shared.llm.tenants import Endpoint, read_endpoint
from shared.openapi import ADMIN, errors
from shared.schemas import Wire
from shared.services import Services

from .access import audit

__all__ = ["ModelController"]

#: How long the connection test waits for a whole (short) answer.
TEST_TIMEOUT_S = 30.0
_PASSAGE = Passage(
    chunk_id="test", document_id="test", title="Connection test", source="", heading="Status",
    text="The help desk is connected and answering.", score=1.0, coverage=1.0,
)  # fmt: skip


class OwnEndpoint(Wire):
    """The tenant's own model server (the API key is never shown: only whether one is set)."""

    url: str
    model: str
    tools: str
    api_key_set: bool


class EndpointIn(Wire):
    """An OpenAI-compatible server for this tenant. ``api_key`` is write-only: omit it to keep
    the stored one, ``""`` clears it."""

    url: Annotated[str, Meta(min_length=1, max_length=500)]
    model: Annotated[str, Meta(max_length=200)] = ""
    api_key: Annotated[str, Meta(max_length=500)] | None = None
    tools: Literal["native", "prompt", "off"] = "native"


class ModelInfo(Wire):
    engine: str  # retrieval (no model: answers quote the knowledge base) | openai-http | mlc
    endpoint: str  # scheme://host/path, without credentials or query
    model: str
    # Whose model answers this tenant's visitors: the deployment's or the owner's own.
    source: Literal["deployment", "tenant"]
    own: OwnEndpoint | None  # the owner's endpoint, when set
    own_allowed: bool  # may owners set one on this deployment (KEFU_LLM_TENANT_ENDPOINTS)
    embedder: str  # local | model | off: how questions and passages are matched by meaning
    tools: bool  # can it choose plugins itself
    # The deployment's bars for answering (an owner's settings.answering overrides them).
    min_coverage: float
    min_similarity: float | None  # None: no embedder, meaning does not ground by itself


class ModelTest(Wire):
    ok: bool
    latency_ms: int
    reply: str = ""
    error: str = ""  # a stable code: model_unreachable, model_timeout, model_busy, …


def _endpoint(url: str) -> str:
    parts = urlsplit(url)
    host = parts.hostname or ""
    return (
        f"{parts.scheme}://{host}{f':{parts.port}' if parts.port else ''}{parts.path}"
        if url
        else ""
    )


@errors(400, 401, 403, 422)
class ModelController(Controller):
    path = "/api/v1/admin/model"
    tags = ["admin: model"]
    security = ADMIN

    @get("/")
    async def model_info(
        self, principal: NamedDependency[Principal], services: NamedDependency[Services]
    ) -> ModelInfo:
        """The engine and endpoint this tenant's visitors are answered with."""
        tenant_id = principal.require("settings:read")
        return await _info(services, tenant_id)

    @put("/endpoint")
    async def set_endpoint(
        self,
        request: Request,
        data: Annotated[EndpointIn, Body()],
        principal: NamedDependency[Principal],
        services: NamedDependency[Services],
    ) -> ModelInfo:
        """Answer this tenant's visitors with the owner's own OpenAI-compatible server. The URL
        follows the webhooks' rules (``422 url_not_allowed`` for private addresses unless the
        deployment allows them); ``Test connection`` tries it."""
        tenant_id = principal.require("settings:write")
        if not services.models.enabled:
            raise KefuError(
                403, "own_model_disabled", "this deployment answers every tenant with its model"
            )
        await services.models.check(data.url)
        before = await read_endpoint(tenant_id)
        endpoint = Endpoint(
            url=data.url,
            model=data.model,
            api_key=before.api_key if data.api_key is None else data.api_key,
            tools=data.tools,
        )
        await _store(tenant_id, msgspec.to_builtins(endpoint))
        await services.caches.forget("model", tenant_id)
        await audit(
            request, services, principal, "model.endpoint", "",
            {"url": _endpoint(data.url), "model": data.model},
        )  # fmt: skip
        return await _info(services, tenant_id)

    @delete("/endpoint", status_code=200)
    async def clear_endpoint(
        self,
        request: Request,
        principal: NamedDependency[Principal],
        services: NamedDependency[Services],
    ) -> ModelInfo:
        """Go back to the deployment's model (the stored API key is forgotten)."""
        tenant_id = principal.require("settings:write")
        await _store(tenant_id, {})
        await services.caches.forget("model", tenant_id)
        await audit(request, services, principal, "model.endpoint", "", {"url": ""})
        return await _info(services, tenant_id)

    @post("/test", status_code=200)
    async def test_connection(
        self,
        request: Request,
        principal: NamedDependency[Principal],
        services: NamedDependency[Services],
    ) -> ModelTest:
        """Ask the model one short grounded question, through the same queue visitors use."""
        tenant_id = principal.require("settings:read")
        question = ModelRequest(
            tenant_id=tenant_id, question="Is the help desk answering?", language="en",
            passages=[_PASSAGE], max_tokens=40,
        )  # fmt: skip
        started = time.perf_counter()
        parts: list[str] = []
        try:
            async with asyncio.timeout(TEST_TIMEOUT_S):
                gateway = await services.models.gateway(tenant_id)
                async for piece in gateway.stream(question):
                    if isinstance(piece, str):
                        parts.append(piece)
            result = ModelTest(ok=bool("".join(parts).strip()), latency_ms=0, reply="".join(parts))
            if not result.ok:
                result = ModelTest(ok=False, latency_ms=0, error="empty_reply")
        except TimeoutError:
            result = ModelTest(ok=False, latency_ms=0, error="model_timeout")
        except ModelError as exc:
            result = ModelTest(ok=False, latency_ms=0, error=exc.code, reply=str(exc)[:300])
        elapsed = int((time.perf_counter() - started) * 1000)
        result = ModelTest(ok=result.ok, latency_ms=elapsed, reply=result.reply.strip()[:500],
                           error=result.error)  # fmt: skip
        await audit(request, services, principal, "model.test", "", {"ok": result.ok})
        return result


async def _store(tenant_id: str, endpoint: dict) -> None:
    await Tenant.update({Tenant.model_endpoint: endpoint}).where(Tenant.id == uuid.UUID(tenant_id))


async def _info(services: Services, tenant_id: str) -> ModelInfo:
    settings = services.settings
    own = await read_endpoint(tenant_id) if services.models.enabled else Endpoint()
    model = (await services.models.gateway(tenant_id)).model
    bars = services.conversations.bot.default_bars
    return ModelInfo(
        engine=model.name,
        endpoint=_endpoint(own.url or settings.llm_url),
        model=own.model if own.url else settings.llm_model,
        source="tenant" if own.url else "deployment",
        own=OwnEndpoint(url=own.url, model=own.model, tools=own.tools,
                        api_key_set=bool(own.api_key)) if own.url else None,
        own_allowed=services.models.enabled,
        embedder=settings.kb_embedder,
        tools=model.supports_tools,
        min_coverage=settings.kb_min_coverage,
        min_similarity=bars.grounds if bars.grounds <= 1 else None,
    )  # fmt: skip
