"""Errors with a stable machine ``code`` and a human ``detail``; never a 500 for bad input."""

from __future__ import annotations

import logging
import time

from litestar import Request, Response
from litestar.exceptions import (
    HTTPException,
    MethodNotAllowedException,
    NotAuthorizedException,
    NotFoundException,
    PermissionDeniedException,
    ValidationException,
)
from litestar.status_codes import HTTP_500_INTERNAL_SERVER_ERROR

from .schemas import ErrorBody

__all__ = ["KefuError", "exception_handlers", "error_response", "storage_fault"]

log = logging.getLogger("kefu.errors")


class KefuError(Exception):
    """A refusal the client can act on: HTTP status, stable code, human detail."""

    def __init__(self, status: int, code: str, detail: str, *, headers: dict | None = None) -> None:
        super().__init__(detail)
        self.status = status
        self.code = code
        self.detail = detail
        self.headers = headers or {}


def error_response(
    status: int, code: str, detail: str, extra: object = None, headers: dict | None = None
) -> Response[ErrorBody]:
    return Response(
        ErrorBody(code=code, detail=detail, extra=extra), status_code=status, headers=headers
    )


def _kefu(_: Request, exc: KefuError) -> Response[ErrorBody]:
    return error_response(exc.status, exc.code, exc.detail, headers=exc.headers)


def _is_malformed(text: str) -> bool:
    lowered = text.lower()
    return "malformed" in lowered or "truncated" in lowered


def _validation(_: Request, exc: ValidationException) -> Response[ErrorBody]:
    text = str(exc.detail)
    extra = exc.extra if isinstance(exc.extra, list) else []
    if _is_malformed(text):
        return error_response(400, "invalid_json", text)
    sources = {item.get("source") for item in extra if isinstance(item, dict)}
    code = (
        "invalid_parameter" if sources & {"query", "path", "header", "cookie"} else "invalid_body"
    )
    problems = "; ".join(
        f"{item.get('key')}: {item.get('message')}" for item in extra if isinstance(item, dict)
    )
    return error_response(400, code, problems or text, extra=extra or None)


_HTTP_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    413: "payload_too_large",
    415: "unsupported_media_type",
    429: "rate_limited",
    503: "unavailable",
}


def _http(_: Request, exc: HTTPException) -> Response[ErrorBody]:
    status = exc.status_code
    code = _HTTP_CODES.get(status, "http_error")
    if status == 400 and _is_malformed(str(exc.detail)):
        code = "invalid_json"
    return error_response(status, code, str(exc.detail), headers=exc.headers)


def _unreachable(exc: BaseException) -> bool:
    """Is this the database (or Valkey) being away, rather than a bug?"""
    import asyncpg
    import valkey.exceptions

    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if isinstance(
            exc,
            OSError  # refused, reset, unreachable
            | TimeoutError
            | asyncpg.PostgresConnectionError
            | asyncpg.InterfaceError
            | asyncpg.CannotConnectNowError
            | asyncpg.TooManyConnectionsError
            | valkey.exceptions.ConnectionError
            | valkey.exceptions.TimeoutError,
        ):
            return True
        if type(exc).__name__ == "OperationalError" and "locked" in str(exc):
            return True  # SQLite busy past its timeout
        exc = exc.__cause__ or exc.__context__  # type: ignore[assignment]
    return False


#: SQLite's words for a disk that takes no more writes (full, read-only, failing).
_STORAGE_FAULTS = ("disk is full", "readonly database", "read-only", "disk i/o error")


#: When a write last failed that way (monotonic seconds): readiness fails for a while after.
last_storage_fault = [float("-inf")]


def storage_fault(exc: BaseException) -> bool:
    """Is this the embedded database's disk refusing writes, rather than a bug?"""
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        text = str(exc).lower()
        if type(exc).__name__ == "OperationalError" and any(f in text for f in _STORAGE_FAULTS):
            return True
        exc = exc.__cause__ or exc.__context__  # type: ignore[assignment]
    return False


def _internal(request: Request, exc: Exception) -> Response[ErrorBody]:
    if storage_fault(exc):
        last_storage_fault[0] = time.monotonic()
        # Nothing was stored (the write failed whole); it works again once there is room.
        log.error("%s %s: the database's disk refuses writes: %s", request.method,
                  request.url.path, exc)  # fmt: skip
        return error_response(
            503,
            "storage_unavailable",
            "the server cannot store anything right now; retry shortly",
            headers={"Retry-After": "5"},
        )
    if _unreachable(exc):
        # Nothing was stored: the client may safely retry (same client_msg_id = one message).
        log.warning("%s %s: a backing service is away: %r", request.method, request.url.path, exc)
        return error_response(
            503,
            "service_unavailable",
            "a backing service is briefly unavailable; retry shortly",
            headers={"Retry-After": "2"},
        )
    log.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return error_response(HTTP_500_INTERNAL_SERVER_ERROR, "internal_error", "internal server error")


exception_handlers = {
    KefuError: _kefu,
    ValidationException: _validation,
    NotFoundException: _http,
    NotAuthorizedException: _http,
    PermissionDeniedException: _http,
    MethodNotAllowedException: _http,
    HTTPException: _http,
    Exception: _internal,
}
