"""Ordered, gapless delivery of a conversation's events to one client.

Subscribe first, then replay from the database after the client's ``after_seq``, then forward
live events. Message events leave strictly in ``seq`` order, each once: an event from the
future (another replica published seq 7 before seq 6 arrived) or a :data:`GAP` from the bus
makes us read the missing messages from the database, which always has them (stored first).
"""

from __future__ import annotations

import contextlib
import time
import uuid
from collections.abc import AsyncIterator

import msgspec

from ..bus import CLOSE, GAP, Bus
from ..schemas import MessageEvent, encode
from .events import conversation_channel
from .store import ConversationStore

__all__ = ["follow", "HEARTBEAT"]

#: Yielded as ``(None, HEARTBEAT)`` after ``idle_s`` seconds without events.
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
    idle_s: float | None = None,
    presence_key: str | None = None,
    presence_ttl_s: float = 30.0,
) -> AsyncIterator[tuple[int | None, bytes]]:
    """Yield ``(seq, payload)`` for messages and ``(None, payload)`` for other events.

    With ``presence_key``, the stream marks itself present there while it lives (refreshed
    every ``presence_ttl_s / 2``), so others can tell whether anyone is watching.
    """
    last = after_seq
    member = uuid.uuid4().hex
    refreshed = 0.0

    async def mark_present() -> None:
        nonlocal refreshed
        if presence_key is not None and time.monotonic() - refreshed > presence_ttl_s / 2:
            refreshed = time.monotonic()
            await bus.presence_join(presence_key, member, presence_ttl_s)

    async def backlog() -> AsyncIterator[tuple[int, bytes]]:
        nonlocal last
        while True:
            messages = await store.after(conversation_id, last, page)
            for message in messages:
                last = message.seq
                yield message.seq, encode(MessageEvent(message=message))
            if len(messages) < page:
                return

    if presence_key is not None and idle_s is None:
        idle_s = presence_ttl_s / 2
    async with bus.subscribe(conversation_channel(conversation_id)) as sub:
        try:
            await mark_present()
            async for item in backlog():
                yield item
            while True:
                await mark_present()
                delivery = await sub.get(idle_s)
                if delivery is None:
                    yield None, HEARTBEAT
                    continue
                payload = delivery[1]
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
                    await bus.presence_leave(presence_key, member)
