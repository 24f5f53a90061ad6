"""Bot turns that survive a dead replica: a lease per conversation, and recovery of a question
whose replica died before answering it.

A turn holds ``turn:<conversation>`` in Valkey while it runs, renewing it every
``ttl_s / 3``. Turns of one conversation therefore run one at a time across replicas. A turn is
also listed, with the same lifetime, under ``turns:running``. When a replica dies mid-answer
both lapse after ``ttl_s``; every replica's sweeper looks for lapsed turns every second, exactly
one takes each, and the bot answers the question again there — a complete answer, never the
dead replica's half — whether or not the visitor has a stream open (a REST-only visitor finds
it on their next poll). The visitor's next stream also checks (the path for an outage of the
bus itself), and a process starting up answers questions its own crash left behind.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime, timedelta

from .bus import Bus
from .conversations.store import ConversationRow, ConversationStore
from .schemas import MessageOut
from .tasks import BackgroundTasks, cancel_and_wait

__all__ = ["TurnLeases", "StrandedTurns", "turn_key", "RUNNING"]

log = logging.getLogger("kefu.turns")


#: Turns in progress, each renewed with its lease: one that lapses was stranded by its replica.
RUNNING = "turns:running"


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
        await self._listed(conversation_id)
        renew = asyncio.create_task(self._renew(key, owner, conversation_id))
        cut = False
        try:
            yield owner
        except asyncio.CancelledError:
            # The process is stopping before the answer was stored: the lease and the listing
            # are left to lapse, and another replica (or this one, restarted) answers it.
            cut = True
            raise
        finally:
            await cancel_and_wait(renew)
            if not cut:
                with contextlib.suppress(Exception):
                    await self._bus.presence_leave(RUNNING, conversation_id)
                with contextlib.suppress(Exception):
                    await self._bus.release(key, owner)

    async def _safe_lease(self, key: str, owner: str) -> bool:
        try:
            return await self._bus.lease(key, owner, self.ttl_s)
        except Exception as exc:  # Valkey away: answer anyway rather than strand the visitor
            log.warning("turn lease unavailable: %s", exc)
            return True

    async def _listed(self, conversation_id: str) -> None:
        try:
            await self._bus.presence_join(RUNNING, conversation_id, self.ttl_s)
        except Exception as exc:  # the bus is away: the stream-open check still recovers
            log.warning("turn not listed: %s", exc)

    async def _renew(self, key: str, owner: str, conversation_id: str) -> None:
        while True:
            await asyncio.sleep(self.ttl_s / 3)
            await self._safe_lease(key, owner)
            await self._listed(conversation_id)

    async def recover(
        self,
        conversation: ConversationRow,
        store: ConversationStore,
        answer: Callable[[ConversationRow, MessageOut, str], Awaitable[object]],
        *,
        min_age_s: float = 3.0,
        retry_s: float = 1.0,
        attempts: int | None = None,
    ) -> bool:
        """Answer the conversation's last message if it is a visitor's that nobody is answering.

        Tried again every ``retry_s`` while a lease is held (it may be a dead replica's,
        lapsing), for two lease lifetimes (or ``attempts`` times)."""
        for _ in range(attempts or int(self.ttl_s * 2 / retry_s) + 1):
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
                # Another replica may have answered between our read and our lease: only a
                # question still last and unanswered is answered, so never twice.
                again = await store.get(fresh.id)
                if again is None or again.last_seq != fresh.last_seq or again.status != "bot":
                    with contextlib.suppress(Exception):
                        await self._bus.release(turn_key(fresh.id), owner)
                    return False
                log.info("answering an unanswered question in %s (its replica stopped)", fresh.id)
                await answer(fresh, last[-1], owner)
                return True
            await asyncio.sleep(retry_s)
        return False


class StrandedTurns:
    """Every ``every_s``, take the turns whose replica stopped renewing them and answer their
    questions here (each taken by one replica only)."""

    def __init__(
        self,
        bus: Bus,
        store: ConversationStore,
        recover: Callable[[ConversationRow], Awaitable[bool]],
        tasks: BackgroundTasks,
        *,
        every_s: float = 1.0,
    ) -> None:
        self._bus = bus
        self._store = store
        self._recover = recover
        # The answers run as the app's other bot turns do: a stopping server waits for them.
        self._tasks = tasks
        self._every_s = every_s
        self._task: asyncio.Task[None] | None = None
        self._startup: asyncio.Task[None] | None = None

    def start(self) -> None:
        loop = asyncio.get_running_loop()
        self._task = loop.create_task(self._run(), name="stranded-turns")
        self._startup = loop.create_task(self._after_start(), name="left-by-a-crash")

    async def left_by_a_crash(
        self, before: datetime, within_s: float = 600.0, limit: int = 500
    ) -> int:
        """At start-up: answer recent questions nobody answered (this process's own crash, on a
        bus that forgot its turns with it), asked ``before`` this process started (later ones
        are live turns). How many were found."""
        from .db.tables import Conversation, Message

        since = before - timedelta(seconds=within_s)
        rows = (
            await Conversation.select(Conversation.id, Conversation.last_seq)
            .where(
                (Conversation.status == "bot")
                & (Conversation.updated_at > since)
                & (Conversation.updated_at < before)
            )
            .order_by(Conversation.updated_at, ascending=False)
            .limit(limit)
        )
        found = 0
        for row in rows:
            last = (
                await Message.select(Message.role)
                .where((Message.conversation == row["id"]) & (Message.seq == row["last_seq"]))
                .first()
            )
            if last is None or last["role"] != "visitor":
                continue
            conversation = await self._store.get(str(row["id"]))
            if conversation is not None:
                found += 1
                self._spawn(conversation)
        return found

    def _spawn(self, conversation: ConversationRow) -> None:
        self._tasks.spawn(self._recover(conversation), name=f"bot-turn:{conversation.id}")

    async def stop(self) -> None:
        await cancel_and_wait(*[t for t in (self._task, self._startup) if t is not None])

    async def sweep(self) -> int:
        """Start answering every lapsed turn found now; how many."""
        taken = await self._bus.presence_lapsed(RUNNING)
        for conversation_id in taken:
            conversation = await self._store.get(conversation_id)
            if conversation is not None:
                self._spawn(conversation)
        return len(taken)

    async def _after_start(self) -> None:
        started = datetime.now(UTC)
        # A turn another replica began just before we started takes its lease within
        # moments: let those settle (recover() then leaves the ones still held alone).
        await asyncio.sleep(self._every_s * 6)
        try:
            await self.left_by_a_crash(started)
        except Exception as exc:  # the database is away: streams opening still recover
            log.warning("start-up check for unanswered questions failed: %s", exc)

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(self._every_s)
            try:
                await self.sweep()
            except Exception as exc:  # the bus or the database is away: next round
                log.warning("sweep for stranded turns failed: %s", exc)
