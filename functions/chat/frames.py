"""Reading JSON frames from a socket: bad frames get an ``error`` event, the socket stays open."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import TypeVar

import msgspec
from litestar import WebSocket
from litestar.exceptions import WebSocketDisconnect

from shared.inputs import has_nul
from shared.ratelimit import Limit, TokenBucket
from shared.schemas import ErrorEvent, encode

__all__ = ["frames", "send_error"]

T = TypeVar("T")


async def send_error(socket: WebSocket, code: str, detail: str) -> None:
    await socket.send_data(encode(ErrorEvent(code=code, detail=detail)).decode(), mode="text")


async def frames(
    socket: WebSocket, decoder: msgspec.json.Decoder[T], limit: int, rate: Limit | None = None
) -> AsyncIterator[T]:
    """Decoded frames until the client goes away; refusals are told, not fatal.

    ``rate``: frames beyond it are refused with a ``rate_limited`` error; a client that keeps
    flooding (100 refusals in a row) is disconnected with 1008 (policy violation).
    """
    bucket = TokenBucket(rate) if rate is not None else None
    refused = 0
    while True:
        try:
            raw = await socket.receive_data(mode="text")
        except WebSocketDisconnect:
            return
        if bucket is not None and not bucket.take():
            refused += 1
            if refused >= 100:
                await socket.close(code=1008, reason="rate_limited")
                return
            await send_error(socket, "rate_limited", "too many frames; slow down")
            continue
        refused = 0
        if len(raw) > limit:
            await send_error(socket, "frame_too_large", f"frames are limited to {limit} bytes")
            continue
        if "\\u0000" in raw and has_nul(raw):
            await send_error(socket, "invalid_characters", "NUL characters are not allowed")
            continue
        try:
            yield decoder.decode(raw)
        except msgspec.ValidationError as exc:
            await send_error(socket, "invalid_frame", str(exc))
        except msgspec.DecodeError:
            await send_error(socket, "invalid_json", "frames must be JSON objects")
