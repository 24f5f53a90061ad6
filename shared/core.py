"""The wiring every function shares: lifespan (services), errors, health, dependencies."""

from __future__ import annotations

import asyncio
import gc
import hmac
import logging
import os
import signal
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from litestar import Litestar, MediaType, Request, get
from litestar.config.app import AppConfig
from litestar.datastructures import State
from litestar.di import NamedDependency, Provide
from litestar.plugins import InitPluginProtocol
from litestar.plugins.prometheus import PrometheusController
from litestar.response import Response

from .errors import KefuError, exception_handlers, last_storage_fault
from .guard import EdgeMiddleware, bearer_token
from .observability import MetricsMiddleware, configure_logging
from .services import Services, close_services, open_services
from .settings import Settings, get_settings

__all__ = ["KefuCore", "get_services", "build_app"]

log = logging.getLogger("kefu.core")


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
    """Can this replica serve? 503 when it cannot store (the database does not answer within
    2 s, or its disk takes no writes) or is stopping; 200 ``degraded`` when only the bus is
    away (messages are stored and streams catch up from the database: taking every replica out
    would be worse). Each check has its own deadline: a frozen dependency answers "no" in time.
    ``warm``: the bot's text tools have loaded (until then a bot turn waits for them; everything
    else is served)."""
    from .conversations.store import within

    if services.draining.is_set():
        return Response({"status": "draining"}, status_code=503, headers={"Retry-After": "1"})

    async def bus_answers() -> None:
        if not await services.bus.ping():
            raise ConnectionError("the bus does not answer")

    db, storage, bus = await asyncio.gather(
        services.store.ping(2.0),
        services.store.writable(2.0),
        within(bus_answers(), 1.0),
    )
    # A write refused for want of disk in the last 5 s counts, whatever the probe says.
    storage = storage and time.monotonic() - last_storage_fault[0] > 5.0
    unable = not (db and storage)
    status = "unavailable" if unable else "degraded" if not bus else "ok"
    warming = services.conversations.bot.warming
    warm = warming is not None and warming.done()
    return Response(
        {"status": status, "database": db, "storage": storage, "bus": bus, "warm": warm},
        status_code=503 if unable else 200,
        headers={"Retry-After": "5"} if unable else {},
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

    async def drain() -> None:
        # The streams' goodbyes go out first; then requests and bot answers in progress
        # finish (new requests are refused meanwhile), for up to KEFU_DRAIN_S.
        await asyncio.sleep(pause_s)
        deadline = loop.time() + services.settings.drain_s
        for _ in range(int(services.settings.drain_s / 0.05) + 1):
            busy = services.in_flight.count > 0 or services.tasks.running("bot-turn:") > 0
            if not busy or loop.time() >= deadline:
                break
            await asyncio.sleep(0.05)
        log.info(
            "drained: %d requests and %d answers still running are cut",
            services.in_flight.count, services.tasks.running("bot-turn:"),
        )  # fmt: skip
        handoff_signal()

    def on_sigterm() -> None:
        if services.draining.is_set():
            return  # already draining
        services.draining.set()
        services.bus.fanout.close_all()  # every live stream ends, without a task per stream
        draining.append(loop.create_task(drain()))

    draining: list[asyncio.Task[None]] = []

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
        warming = asyncio.get_running_loop().run_in_executor(
            None, services.conversations.bot.warm_up
        )
        services.conversations.bot.warming = warming
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
