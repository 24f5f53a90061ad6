"""Where a token travels: ``Authorization: Bearer``, or ``?token=`` (WebSocket, SSE, browsers)."""

from __future__ import annotations

from litestar.connection import ASGIConnection

__all__ = ["bearer_token"]


def bearer_token(connection: ASGIConnection) -> str | None:
    header = connection.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "bearer" and value:
        return value.strip()
    return connection.query_params.get("token")
