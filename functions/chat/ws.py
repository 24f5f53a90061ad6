"""The conversation over a WebSocket: replay after ``after_seq``, then live events both ways.

Errors never drop the conversation: a bad frame gets an ``error`` event and the socket stays
open; a bad token or unknown conversation closes the socket with 4401/4403/4404.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

import msgspec
from litestar import WebSocket, websocket
from litestar.di import NamedDependency
from litestar.params import FromPath

from shared.conversations.events import listeners_key
from shared.conversations.store import ConversationRow
from shared.conversations.stream import HEARTBEAT, follow
from shared.errors import KefuError
from shared.inputs import MAX_SEQ
from shared.schemas import ClientFrame, ClientTyping
from shared.services import Services
from shared.tasks import cancel_and_wait

from .auth import visitor_conversation
from .frames import frames, send_error

__all__ = ["conversation_ws"]

log = logging.getLogger("kefu.chat.ws")

_frames = msgspec.json.Decoder(ClientFrame)


def _after_seq(socket: WebSocket) -> int:
    raw = socket.query_params.get("after_seq", "0")
    try:
        value = int(raw)
    except ValueError:
        raise KefuError(400, "invalid_after_seq", "after_seq must be a whole number") from None
    if not 0 <= value <= MAX_SEQ:
        raise KefuError(400, "invalid_after_seq", f"after_seq must be 0 to {MAX_SEQ}")
    return value


@websocket("/api/v1/conversations/{conversation_id:str}/ws")
async def conversation_ws(
    socket: WebSocket, conversation_id: FromPath[str], services: NamedDependency[Services]
) -> None:
    await socket.accept()
    try:
        after_seq = _after_seq(socket)
        conversation = await visitor_conversation(services, socket, conversation_id)
        services.conversations.resume_unanswered(conversation)
    except KefuError as exc:
        await send_error(socket, exc.code, exc.detail)
        await socket.close(code=4000 + exc.status, reason=exc.code)
        return
    pump = asyncio.create_task(_pump(socket, services, conversation, after_seq))
    reader = asyncio.create_task(_read(socket, services, conversation))
    done, _ = await asyncio.wait({pump, reader}, return_when=asyncio.FIRST_COMPLETED)
    await cancel_and_wait(pump, reader, ignore=(Exception,))
    if services.draining.is_set():
        # This replica is stopping: 1012 tells the client to reconnect (to another replica)
        # and resume with after_seq; nothing is lost.
        with contextlib.suppress(Exception):
            await socket.close(code=1012, reason="restarting: reconnect")
        return
    if pump in done and not pump.cancelled() and pump.exception() is not None:
        # Events can't flow (database or bus trouble): tell the client to reconnect and resume.
        log.warning("event stream for %s failed: %r", conversation.id, pump.exception())
        with contextlib.suppress(Exception):
            await socket.close(code=1011, reason="reconnect")


async def _pump(
    socket: WebSocket, services: Services, conversation: ConversationRow, after_seq: int
) -> None:
    events = follow(
        conversation.id,
        after_seq,
        bus=services.bus,
        store=services.store,
        page=services.settings.history_page_size,
        presence_key=listeners_key(conversation.id),
    )
    # aclosing: a send that fails when the client is gone must still unsubscribe and drop
    # this stream's presence at once (the bot watches presence to stop unwanted answers).
    async with contextlib.aclosing(events):
        async for _, payload in events:
            if payload is not HEARTBEAT:
                await socket.send_data(payload.decode(), mode="text")


async def _read(socket: WebSocket, services: Services, conversation: ConversationRow) -> None:
    async for frame in frames(
        socket, _frames, services.settings.max_body_bytes, services.limiter.frame_limit
    ):
        try:
            if isinstance(frame, ClientTyping):
                await services.publisher.typing(conversation.id, "visitor", frame.typing)
                continue
            await services.conversations.send(
                conversation, frame.content, client_msg_id=frame.client_msg_id
            )
        except KefuError as exc:
            await send_error(socket, exc.code, exc.detail)
        except Exception:
            # Storage trouble: nothing was stored or published; the same client_msg_id is safe
            # to send again.
            log.exception("could not store a message for %s", conversation.id)
            await send_error(
                socket,
                "unavailable",
                "the message was not stored; send it again (same client_msg_id)",
            )
