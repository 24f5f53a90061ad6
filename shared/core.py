"""The wiring every function shares: lifespan (services), errors, health, dependencies."""

from __future__ import annotations

import asyncio
import gc
import hmac
import os
import signal
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from litestar import Litestar, MediaType, Request, get
from litestar.config.app import AppConfig
from litestar.datastructures import State
from litestar.di import NamedDependency, Provide
from litestar.plugins import InitPluginProtocol
from litestar.plugins.prometheus import PrometheusController
from litestar.response import Response

from .errors import KefuError, exception_handlers
from .guard import EdgeMiddleware, bearer_token
from .observability import MetricsMiddleware, configure_logging
from .services import Services, close_services, open_services
from .settings import Settings, get_settings

__all__ = ["KefuCore", "get_services", "build_app"]


def get_services(state: State) -> Services:
    return state.services


@get(
    "/healthz",
    media_type=MediaType.JSON,
    include_in_schema=True,
    tags=["health"],
    sync_to_thread=False,
)
def healthz() -> dict[str, str]:
    """The process is alive."""
    return {"status": "ok"}


@get("/", media_type=MediaType.JSON, tags=["health"], sync_to_thread=False)
def index() -> dict[str, str]:
    """Where to go from here."""
    from . import __version__

    return {
        "name": "kefu",
        "version": __version__,
        "api_reference": "/schema",
        "openapi": "/schema/openapi.json",
        "health": "/healthz",
        "readiness": "/readyz",
    }


@get("/readyz", media_type=MediaType.JSON, tags=["health"])
async def readyz(services: NamedDependency[Services]) -> Response[dict[str, object]]:
    """The database and the bus answer; 503 otherwise."""
    db = await services.store.ping()
    bus = await services.bus.ping()
    ok = db and bus
    return Response(
        {"status": "ok" if ok else "unavailable", "database": db, "bus": bus},
        status_code=200 if ok else 503,
        headers={} if ok else {"Retry-After": "5"},
    )


class MetricsController(PrometheusController):
    """Prometheus text format on ``/metrics``; with ``KEFU_METRICS_TOKEN`` set, only for a
    scraper that sends it as a bearer token (labels name no tenant either way)."""

    path = "/metrics"
    include_in_schema = False

    @get()
    async def get(self, request: Request) -> Response:  # type: ignore[override]
        expected = request.app.state.services.settings.metrics_token
        if expected:
            given = bearer_token(request, query=False) or ""
            if not hmac.compare_digest(given.encode(), expected.encode()):
                raise KefuError(401, "metrics_token_required", "/metrics needs its bearer token")
        return await PrometheusController.get.fn(self)


def _drain_on_sigterm(services: Services, pause_s: float = 0.5) -> None:
    """On SIGTERM, first tell live streams to reconnect elsewhere, then stop as the server
    would have: sockets close with 1012 and SSE streams end (clients resume on another
    replica), in-flight bot turns finish or are stored as interrupted (close_services)."""
    loop = asyncio.get_running_loop()
    # The server's own handler (Granian registers one on this loop); called after ours.
    previous = getattr(loop, "_signal_handlers", {}).get(signal.SIGTERM)

    def handoff_signal() -> None:
        loop.remove_signal_handler(signal.SIGTERM)
        if previous is not None:
            loop.add_signal_handler(signal.SIGTERM, previous._callback, *previous._args)
            previous._callback(*previous._args)
        else:
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            os.kill(os.getpid(), signal.SIGTERM)

    def on_sigterm() -> None:
        services.draining.set()
        services.bus.fanout.close_all()  # every live stream ends, without a task per stream
        loop.call_later(pause_s, handoff_signal)  # the streams' goodbyes go out first

    try:
        loop.add_signal_handler(signal.SIGTERM, on_sigterm)
    except (NotImplementedError, RuntimeError, ValueError):
        pass  # not the main thread (tests) or no signals here: the lifespan end still drains


class KefuCore(InitPluginProtocol):
    """Shared layer as a Litestar plugin; every function's app starts with it."""

    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings or get_settings()
        configure_logging(self.settings.log_level, self.settings.log_format)

    @asynccontextmanager
    async def _lifespan(self, app: Litestar) -> AsyncIterator[None]:
        services = await open_services(self.settings)
        app.state.services = services
        _drain_on_sigterm(services)
        # After start-up, not during it: the text tools load in a thread while we serve.
        warming = asyncio.get_running_loop().run_in_executor(None, services.retriever.warm_up)
        # What start-up built (modules, the app, word lists) lives as long as the process:
        # frozen, the collector skips it, and a full collection takes a few ms instead of
        # stopping every stream for ~50 ms.
        gc.freeze()
        warming.add_done_callback(lambda _: gc.freeze())
        try:
            yield
        finally:
            warming.cancel()
            services.draining.set()
            services.bus.fanout.close_all()
            await close_services(services)

    def on_app_init(self, app_config: AppConfig) -> AppConfig:
        app_config.lifespan.append(self._lifespan)
        app_config.route_handlers.extend([index, healthz, readyz, MetricsController])
        app_config.dependencies.setdefault("services", Provide(get_services, sync_to_thread=False))
        app_config.exception_handlers = {**exception_handlers, **app_config.exception_handlers}
        app_config.request_max_body_size = self.settings.max_body_bytes
        app_config.middleware.insert(0, EdgeMiddleware)
        app_config.middleware.insert(0, MetricsMiddleware)  # outermost: counts refusals too
        return app_config


def build_app(functions: list[InitPluginProtocol], settings: Settings | None = None) -> Litestar:
    """One Litestar app: the shared core plus the given functions."""
    from litestar.openapi import OpenAPIConfig
    from litestar.openapi.plugins import ScalarRenderPlugin

    from . import __version__
    from .openapi import SECURITY_SCHEMES

    return Litestar(
        plugins=[KefuCore(settings), *functions],
        openapi_config=OpenAPIConfig(
            title="kefu",
            version=__version__,
            path="/schema",
            description="Self-hosted AI customer service: visitor, agent and admin API.",
            render_plugins=[ScalarRenderPlugin()],
            components=SECURITY_SCHEMES,
        ),
    )
