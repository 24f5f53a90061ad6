"""Bytes no request may carry, refused at the edge with a 400 and a stable code.

A NUL character can't be stored by PostgreSQL and cuts file paths short; a JSON body that is not
UTF-8 is not JSON. Both are refused before any handler runs, the same way on every backend, so
no such input ever reaches the database or the file system (or turns into a 500).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

import msgspec

from .errors import KefuError

__all__ = ["MAX_SEQ", "url_problem", "checked_body", "has_nul"]

Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]

#: The largest message seq a client may name (seq is a 32-bit column on PostgreSQL).
MAX_SEQ = 2**31 - 1

_NUL = KefuError(400, "invalid_characters", "NUL characters are not allowed")


def url_problem(scope: MutableMapping[str, Any]) -> KefuError | None:
    """A NUL anywhere in the path or query string (``%00``)."""
    if "\x00" in scope["path"] or b"%00" in scope.get("query_string", b""):
        return _NUL
    if b"%00" in scope.get("raw_path", b""):
        return _NUL
    return None


def _has_nul(value: Any) -> bool:
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if "\x00" in item:
                return True
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


def has_nul(text: str | bytes) -> bool:
    """Does this JSON document carry a NUL in any string (value or key)?"""
    try:
        return _has_nul(msgspec.json.decode(text))
    except msgspec.DecodeError:
        return False


def _is_json(scope: MutableMapping[str, Any]) -> bool:
    for name, value in scope["headers"]:
        if name == b"content-type":
            media = value.split(b";", 1)[0].strip().lower()
            return media == b"application/json" or media.endswith(b"+json")
    return False


async def checked_body(
    scope: MutableMapping[str, Any], receive: Receive, limit: int
) -> tuple[Receive, KefuError | None]:
    """For a JSON request: its body read whole (at most ``limit`` bytes; a bigger one is left to
    the app's own size limit), refused if it is not UTF-8 or carries a NUL in any string, and a
    ``receive`` that hands the app the same bytes."""
    if scope["method"] not in ("POST", "PUT", "PATCH") or not _is_json(scope):
        return receive, None
    messages: list[Message] = []
    body = bytearray()
    while True:
        message = await receive()
        messages.append(message)
        if message["type"] != "http.request":
            break
        body += message.get("body", b"")
        if not message.get("more_body", False) or len(body) > limit:
            break
    problem = None
    if len(body) <= limit:
        try:
            bytes(body).decode("utf-8")
        except UnicodeDecodeError:
            problem = KefuError(400, "invalid_json", "the body is not UTF-8 encoded JSON")
        else:  # malformed JSON has no NUL here: the app says what is wrong with it, as always
            problem = _NUL if has_nul(body) else None

    async def replay() -> Message:
        if messages:
            return messages.pop(0)
        return await receive()

    return replay, problem
