"""Ordered, gapless delivery of a conversation's events to one client.

Subscribe first, then replay from the database after the client's ``after_seq``, then forward
live events. Message events leave strictly in ``seq`` order, each once: an event from the
future (another replica published seq 7 before seq 6 arrived) or a :data:`GAP` from the bus
makes us read the missing messages from the database, which always has them (stored first).
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import AsyncIterator

import msgspec

from ..bus import CLOSE, GAP, PING, Bus
from ..schemas import MessageEvent, encode
from .events import conversation_channel
from .store import ConversationStore

__all__ = ["follow", "HEARTBEAT"]

#: Yielded as ``(None, HEARTBEAT)`` every ``heartbeat_s`` seconds.
HEARTBEAT = b""


class _Seq(msgspec.Struct):
    seq: int


class _Head(msgspec.Struct):
    type: str
    message: _Seq | None = None


_head = msgspec.json.Decoder(_Head)


async def follow(
    conversation_id: str,
    after_seq: int,
    *,
    bus: Bus,
    store: ConversationStore,
    page: int = 200,
    heartbeat_s: float | None = None,
    presence_key: str | None = None,
) -> AsyncIterator[tuple[int | None, bytes]]:
    """Yield ``(seq, payload)`` for messages and ``(None, payload)`` for other events.

    With ``heartbeat_s``, ``(None, HEARTBEAT)`` comes every ``heartbeat_s`` seconds too (from
    the process's one heartbeat timer). With ``presence_key``, the stream is present there while
    it lives (held by the process, see :meth:`Bus.presence_hold`), so others can tell whether
    anyone is watching.
    """
    last = after_seq
    member = uuid.uuid4().hex

    async def backlog() -> AsyncIterator[tuple[int, bytes]]:
        nonlocal last
        while True:
            messages = await store.after(conversation_id, last, page)
            for message in messages:
                last = message.seq
                yield message.seq, encode(MessageEvent(message=message))
            if len(messages) < page:
                return

    async with bus.subscribe(conversation_channel(conversation_id), heartbeat_s=heartbeat_s) as sub:
        try:
            if presence_key is not None:
                await bus.presence_hold(presence_key, member)
            async for item in backlog():
                yield item
            async for _, payload in sub:
                if payload == PING:
                    yield None, HEARTBEAT
                    continue
                if payload == CLOSE:
                    return  # this process is stopping: the client resumes elsewhere
                if payload == GAP:
                    async for item in backlog():
                        yield item
                    continue
                try:
                    head = _head.decode(payload)
                except msgspec.DecodeError:
                    continue
                if head.type != "message" or head.message is None:
                    yield None, payload
                    continue
                seq = head.message.seq
                if seq <= last:
                    continue  # already delivered (replay overlap or duplicate publish)
                if seq == last + 1:
                    last = seq
                    yield seq, payload
                else:
                    async for item in backlog():
                        yield item
        finally:
            if presence_key is not None:
                with contextlib.suppress(Exception):
                    await bus.presence_release(presence_key, member)
