"""Request metrics, live connections, request/conversation ids in JSON logs.

``dialog_requests_total{endpoint,method,status}`` and the ``response_time`` histogram (seconds,
by endpoint) are the names dashboards already use; ``endpoint`` is the route template
(``/api/v1/conversations/{conversation_id}/messages``), never a raw path, so the label set
stays small. With several Granian workers, ``kefu serve`` points ``PROMETHEUS_MULTIPROC_DIR`` at
a fresh directory and ``/metrics`` sums every worker.
"""

from __future__ import annotations

import contextvars
import json
import logging
import sys
import time
import uuid
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from prometheus_client import Counter, Gauge, Histogram

from .guard import raw_header

__all__ = [
    "MetricsMiddleware",
    "DIALOG_REQUESTS",
    "RESPONSE_TIME",
    "LIVE_CONNECTIONS",
    "request_id",
    "conversation_id",
    "configure_logging",
]

Scope = MutableMapping[str, Any]
ASGIApp = Callable[[Scope, Callable, Callable], Awaitable[None]]

DIALOG_REQUESTS = Counter(
    "dialog_requests", "Requests by route, method and status", ["endpoint", "method", "status"]
)
RESPONSE_TIME = Histogram(
    "response_time",
    "Time to the response's first byte, by route (seconds)",
    ["endpoint"],
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
LIVE_CONNECTIONS = Gauge(
    "kefu_live_connections",
    "Open WebSocket and SSE connections",
    ["kind"],
    multiprocess_mode="livesum",
)

request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="")
conversation_id: contextvars.ContextVar[str] = contextvars.ContextVar("conversation_id", default="")


class MetricsMiddleware:
    """Counts every routed request and times it to its first byte; tracks live streams."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Callable, send: Callable) -> None:
        kind = scope["type"]
        if kind not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        endpoint = scope.get("path_template") or scope.get("path", "")
        if endpoint == "/metrics":
            await self.app(scope, receive, send)
            return
        rid = (raw_header(scope, b"x-request-id") or "")[:64] or uuid.uuid4().hex
        token = request_id.set(rid)
        method = scope.get("method", "WS") if kind == "http" else "WS"
        live = (
            "websocket" if kind == "websocket" else ("sse" if endpoint.endswith("/events") else "")
        )
        started = time.perf_counter()
        status = {"code": 101 if kind == "websocket" else 500}

        async def send_timed(message: MutableMapping[str, Any]) -> None:
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
                RESPONSE_TIME.labels(endpoint).observe(time.perf_counter() - started)
                message["headers"] = [*message.get("headers", ()), (b"x-request-id", rid.encode())]
            await send(message)

        if live:
            LIVE_CONNECTIONS.labels(live).inc()
        try:
            await self.app(scope, receive, send_timed if kind == "http" else send)
        finally:
            if live:
                LIVE_CONNECTIONS.labels(live).dec()
            DIALOG_REQUESTS.labels(endpoint, method, str(status["code"])).inc()
            request_id.reset(token)


class JsonFormatter(logging.Formatter):
    """One JSON object per line, with the request and conversation ids when there are any."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        if rid := request_id.get():
            entry["request_id"] = rid
        if cid := conversation_id.get():
            entry["conversation_id"] = cid
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def configure_logging(level: str = "info", fmt: str = "auto") -> None:
    """``fmt``: json | text | auto (JSON unless the output is a terminal)."""
    use_json = fmt == "json" or (fmt == "auto" and not sys.stderr.isatty())
    handler = logging.StreamHandler()
    handler.setFormatter(
        JsonFormatter()
        if use_json
        else logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s")
    )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
