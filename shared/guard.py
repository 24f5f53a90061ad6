"""The HTTP edge every function shares: per-address rate limit, CORS, secure response headers.

CORS: the visitor API is called by the widget from the business's own site, so it answers any
origin (no cookies are involved: visitor tokens travel in headers), and the tenant's
``allowed_origins`` list is enforced where it matters, when a conversation starts or a
stream opens (``origin_not_allowed``). The staff API (agent, admin, auth) answers only the
origins in ``KEFU_CORS_ORIGINS``; with none, only same-origin pages (the console) use it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from litestar.connection import ASGIConnection

from .errors import KefuError
from .inputs import checked_body, url_problem
from .schemas import ErrorBody, encode

__all__ = ["EdgeMiddleware", "bearer_token", "client_ip", "connection_ip", "raw_header"]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

_VISITOR_PREFIXES = ("/api/v1/visitor/", "/api/v1/conversations/")
_ALLOW_HEADERS = b"Authorization, Content-Type, Last-Event-ID, X-API-Key, X-Kefu-Tenant"
_PAGE_CSP = (
    b"default-src 'self'; connect-src 'self' ws: wss:; img-src 'self' data:; "
    b"style-src 'self' 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; "
    b"form-action 'self'"
)
_PAGES = ("/console", "/demo")


def raw_header(scope: Scope, name: bytes) -> str | None:
    """A request header (lower-case ``name``) straight from the scope, with no header object
    built and kept for the life of the request (a stream may live for hours)."""
    for key, value in scope.get("headers", ()):
        if key == name:
            return value.decode("latin-1")
    return None


def bearer_token(connection: ASGIConnection, *, query: bool = True) -> str | None:
    """A token from ``Authorization: Bearer``, or from ``?token=`` where ``query`` allows it
    (visitors' SSE and WebSocket streams: browsers can't set headers there)."""
    header = raw_header(connection.scope, b"authorization") or ""
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "bearer" and value:
        return value.strip()
    return connection.query_params.get("token") if query else None


def connection_ip(connection: ASGIConnection, trust_forwarded: bool = False) -> str:
    return client_ip(connection.scope, trust_forwarded)


def client_ip(scope: Scope, trust_forwarded: bool) -> str:
    """The caller's address; behind a trusted proxy, the one it appended to X-Forwarded-For."""
    if trust_forwarded:
        forwarded = raw_header(scope, b"x-forwarded-for")
        if forwarded:
            return forwarded.split(",")[-1].strip()
    client = scope.get("client")
    return client[0] if client else ""


DRAINING = KefuError(
    503, "draining", "this server is restarting: try again",
    headers={"Retry-After": "1", "Connection": "close"},
)  # fmt: skip


class EdgeMiddleware:
    """Pure ASGI (streams and sockets pass through untouched but for headers)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "websocket" and url_problem(scope) is not None:
            await send({"type": "websocket.close", "code": 4400, "reason": "invalid_characters"})
            return
        services = (
            getattr(scope["litestar_app"].state, "services", None)
            if scope["type"] in ("http", "websocket") and "litestar_app" in scope
            else None
        )
        if scope["type"] == "websocket" and services is not None and services.draining.is_set():
            await send({"type": "websocket.close", "code": 1012, "reason": "restarting"})
            return
        if scope["type"] != "http" or services is None:
            # (Sockets pass; before the lifespan finished there is nothing to guard with.)
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        if services.draining.is_set() and path not in ("/healthz", "/readyz", "/metrics"):
            # Stopping: answer at once (the client retries on another replica) rather than
            # accept what might be cut; what is already in progress finishes.
            await self._refuse(send, DRAINING, None)
            return
        services.in_flight.count += 1
        try:
            await self._guarded(scope, receive, send, services, path)
        finally:
            services.in_flight.count -= 1

    async def _guarded(
        self, scope: Scope, receive: Receive, send: Send, services, path: str
    ) -> None:
        settings = services.settings
        origin = raw_header(scope, b"origin")
        cors_origin = self._cors_origin(path, origin, settings.cors_origins)
        if scope["method"] == "OPTIONS" and raw_header(scope, b"access-control-request-method"):
            await self._preflight(send, cors_origin)
            return
        if path.startswith("/api/"):
            try:
                await services.limiter.check("ip", client_ip(scope, settings.trust_forwarded))
            except KefuError as exc:
                await self._refuse(send, exc, cors_origin)
                return
        problem = url_problem(scope)
        if problem is None:
            receive, problem = await checked_body(scope, receive, settings.max_body_bytes)
        if problem is not None:
            await self._refuse(send, problem, cors_origin)
            return
        extra = self._headers(path, cors_origin, settings.hsts)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", ()), *extra]
            await send(message)

        await self.app(scope, receive, send_with_headers)

    @staticmethod
    def _cors_origin(path: str, origin: str | None, staff_origins: str) -> str | None:
        if not origin or not path.startswith("/api/"):
            return None
        if path.startswith(_VISITOR_PREFIXES):
            return origin
        allowed = {o.strip().rstrip("/") for o in staff_origins.split(",") if o.strip()}
        return origin if origin.rstrip("/") in allowed else None

    @staticmethod
    def _headers(path: str, cors_origin: str | None, hsts: bool) -> list[tuple[bytes, bytes]]:
        headers = [
            (b"x-content-type-options", b"nosniff"),
            (b"referrer-policy", b"strict-origin-when-cross-origin"),
            (b"x-frame-options", b"DENY"),
        ]
        if hsts:
            headers.append((b"strict-transport-security", b"max-age=31536000; includeSubDomains"))
        if path.startswith("/api/"):
            headers.append((b"cache-control", b"no-store"))
        elif path in _PAGES:
            headers.append((b"content-security-policy", _PAGE_CSP))
        elif path == "/widget.js":
            headers.append((b"cross-origin-resource-policy", b"cross-origin"))
        if cors_origin is not None:
            headers += [
                (b"access-control-allow-origin", cors_origin.encode("latin-1")),
                (b"access-control-expose-headers", b"Retry-After"),
                (b"vary", b"Origin"),
            ]
        return headers

    async def _preflight(self, send: Send, cors_origin: str | None) -> None:
        headers = [(b"vary", b"Origin"), (b"content-length", b"0")]
        if cors_origin is not None:
            headers += [
                (b"access-control-allow-origin", cors_origin.encode("latin-1")),
                (b"access-control-allow-methods", b"GET, POST, PUT, PATCH, DELETE"),
                (b"access-control-allow-headers", _ALLOW_HEADERS),
                (b"access-control-max-age", b"600"),
            ]
        await send({"type": "http.response.start", "status": 204, "headers": headers})
        await send({"type": "http.response.body", "body": b""})

    async def _refuse(self, send: Send, exc: KefuError, cors_origin: str | None) -> None:
        body = encode(ErrorBody(code=exc.code, detail=exc.detail))
        headers = [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
            *((k.lower().encode(), v.encode()) for k, v in exc.headers.items()),
            *self._headers("/api/", cors_origin, False),
        ]
        await send({"type": "http.response.start", "status": exc.status, "headers": headers})
        await send({"type": "http.response.body", "body": body})
