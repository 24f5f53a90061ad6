"""Bot turns that survive a dead replica: a lease per conversation, and recovery of a question
whose replica died before answering it.

A turn holds ``turn:<conversation>`` in Valkey while it runs, renewing it every
``ttl_s / 3``. Turns of one conversation therefore run one at a time across replicas. When a
replica dies mid-answer its lease lapses after ``ttl_s``; the visitor's next stream (on any
replica) finds the last message an unanswered visitor message with no lease held, and the bot
answers it again there: a complete answer, never the dead replica's half.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime

from .bus import Bus
from .conversations.store import ConversationRow, ConversationStore
from .schemas import MessageOut
from .tasks import cancel_and_wait

__all__ = ["TurnLeases", "turn_key"]

log = logging.getLogger("kefu.turns")


def turn_key(conversation_id: str) -> str:
    return f"turn:{conversation_id}"


class TurnLeases:
    def __init__(self, bus: Bus, *, ttl_s: float = 6.0, wait_s: float = 60.0) -> None:
        self._bus = bus
        self.ttl_s = ttl_s
        self.wait_s = wait_s

    @contextlib.asynccontextmanager
    async def held(self, conversation_id: str, owner: str | None = None) -> AsyncIterator[str]:
        """Hold the conversation's turn lease (waiting up to ``wait_s`` for another turn)."""
        owner = owner or uuid.uuid4().hex
        key = turn_key(conversation_id)
        deadline = time.monotonic() + self.wait_s
        while not await self._safe_lease(key, owner):
            if time.monotonic() > deadline:
                log.warning(
                    "turn lease for %s still held after %ss; answering",
                    conversation_id,
                    self.wait_s,
                )
                break
            await asyncio.sleep(0.1)
        renew = asyncio.create_task(self._renew(key, owner))
        try:
            yield owner
        finally:
            await cancel_and_wait(renew)
            with contextlib.suppress(Exception):
                await self._bus.release(key, owner)

    async def _safe_lease(self, key: str, owner: str) -> bool:
        try:
            return await self._bus.lease(key, owner, self.ttl_s)
        except Exception as exc:  # Valkey away: answer anyway rather than strand the visitor
            log.warning("turn lease unavailable: %s", exc)
            return True

    async def _renew(self, key: str, owner: str) -> None:
        while True:
            await asyncio.sleep(self.ttl_s / 3)
            await self._safe_lease(key, owner)

    async def recover(
        self,
        conversation: ConversationRow,
        store: ConversationStore,
        answer: Callable[[ConversationRow, MessageOut, str], Awaitable[object]],
        *,
        min_age_s: float = 3.0,
        retry_s: float = 1.0,
    ) -> bool:
        """Answer the conversation's last message if it is a visitor's that nobody is answering.

        Tried again every ``retry_s`` while a lease is held (it may be a dead replica's,
        lapsing), for two lease lifetimes."""
        for _ in range(int(self.ttl_s * 2 / retry_s) + 1):
            fresh = await store.get(conversation.id)
            if fresh is None or fresh.status != "bot" or fresh.last_seq < 1:
                return False
            last = await store.after(fresh.id, fresh.last_seq - 1, 1)
            if not last or last[-1].role != "visitor":
                return False
            age = (datetime.now(UTC) - last[-1].created_at).total_seconds()
            if age < min_age_s:
                await asyncio.sleep(min_age_s - age)  # its own turn is surely under way
                continue
            owner = uuid.uuid4().hex
            if await self._safe_lease(turn_key(fresh.id), owner):
                log.info("answering an unanswered question in %s (its replica stopped)", fresh.id)
                await answer(fresh, last[-1], owner)
                return True
            await asyncio.sleep(retry_s)
        return False
