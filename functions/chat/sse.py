"""The conversation's events as Server-Sent Events; ``id`` is the message ``seq``.

EventSource reconnects by itself and sends ``Last-Event-ID``: the stream resumes right after
it, with no gap and no duplicate. Comment heartbeats keep proxies from closing idle streams.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from typing import Annotated

from litestar import Request, get
from litestar.di import NamedDependency
from litestar.params import FromPath, Parameter

from shared.conversations.events import listeners_key
from shared.conversations.stream import HEARTBEAT, follow
from shared.errors import KefuError
from shared.eventstream import SSE_PING, EventStream, sse_event, sse_retry
from shared.guard import raw_header
from shared.inputs import MAX_SEQ
from shared.openapi import VISITOR, errors
from shared.services import Services

from .auth import visitor_conversation

__all__ = ["conversation_events"]


def _resume_point(request: Request, after_seq: int) -> int:
    raw = raw_header(request.scope, b"last-event-id")
    if raw is None or raw == "":
        return after_seq
    try:
        value = int(raw)
    except ValueError:
        raise KefuError(
            400, "invalid_last_event_id", "Last-Event-ID must be a message seq"
        ) from None
    if not 0 <= value <= MAX_SEQ:
        raise KefuError(400, "invalid_last_event_id", f"Last-Event-ID must be 0 to {MAX_SEQ}")
    return value


@errors(400, 401, 403, 404)
@get(
    "/api/v1/conversations/{conversation_id:str}/events",
    media_type="text/event-stream",
    security=VISITOR,
    tags=["visitor"],
)
async def conversation_events(
    request: Request,
    conversation_id: FromPath[str],
    services: NamedDependency[Services],
    after_seq: Annotated[int, Parameter(ge=0, le=MAX_SEQ)] = 0,
) -> EventStream:
    """Live events (message, delta, status, typing) after ``Last-Event-ID`` or ``after_seq``."""
    conversation = await visitor_conversation(services, request, conversation_id)
    services.conversations.resume_unanswered(conversation)
    start = _resume_point(request, after_seq)
    settings = services.settings

    async def events() -> AsyncIterator[bytes]:
        stream = follow(
            conversation.id,
            start,
            bus=services.bus,
            store=services.store,
            page=settings.history_page_size,
            heartbeat_s=settings.sse_heartbeat_s,
            presence_key=listeners_key(conversation.id),
        )
        # When this replica stops, the stream ends: EventSource reconnects (to another
        # replica) after 2 s and resumes from Last-Event-ID.
        yield sse_retry(2000)
        async with contextlib.aclosing(stream):
            async for seq, payload in stream:
                yield SSE_PING if payload is HEARTBEAT else sse_event(payload, seq)

    return EventStream(events())
