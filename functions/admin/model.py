"""The model the bot answers with: which one this deployment runs, and a test of the connection.

The model endpoint is the deployment's (``KEFU_LLM_URL``, one per process, shared by tenants),
so owners read it here and test it; per-tenant generation knobs live in the settings."""

from __future__ import annotations

import asyncio
import time
from urllib.parse import urlsplit

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency

from shared.auth.scopes import Principal
from shared.kb.retriever import Passage
from shared.llm.base import ModelError, ModelRequest
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


class ModelInfo(Wire):
    engine: str  # retrieval (no model: answers quote the knowledge base) | openai-compatible | mlc
    endpoint: str  # scheme://host/path, without credentials or query
    model: str
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


@errors(401, 403)
class ModelController(Controller):
    path = "/api/v1/admin/model"
    tags = ["admin: model"]
    security = ADMIN

    @get("/")
    async def model_info(
        self, principal: NamedDependency[Principal], services: NamedDependency[Services]
    ) -> ModelInfo:
        """The engine and endpoint this deployment answers with."""
        principal.require("settings:read")
        settings, model = services.settings, services.model
        bars = services.conversations.bot.default_bars
        return ModelInfo(
            engine=model.name,
            endpoint=_endpoint(settings.llm_url),
            model=settings.llm_model,
            embedder=settings.kb_embedder,
            tools=model.supports_tools,
            min_coverage=settings.kb_min_coverage,
            min_similarity=bars.grounds if bars.grounds <= 1 else None,
        )

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
                async for piece in services.gateway.stream(question):
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
