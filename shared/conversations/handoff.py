"""The conversation state machine: ``bot -> queued -> agent -> closed``, ``agent -> bot``.

Every move is one conditional UPDATE (of two racing claims exactly one matches), then a system
message the visitor can read, a ``status`` event on the conversation, and a tenant event that
agents' consoles use to refresh their queue. The bot speaks only in ``bot``.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Awaitable, Callable

from ..auth.staff_tokens import StaffClaims
from ..bus import Bus
from ..errors import KefuError
from ..kb.tokenize import detect_language
from ..metrics import HANDOFFS
from ..texts import Texts
from .asks_human import PIECE, asks_for_human
from .events import Publisher
from .rules import TenantRules
from .store import ConversationRow, ConversationStore
from .visitors import profile_language, read_profile

log = logging.getLogger("kefu.handoff")

__all__ = [
    "Handoff", "wants_human", "read_wants_human", "agents_key", "QUEUED", "NO_AGENT", "AFTER_HOURS",
]  # fmt: skip

_YES = re.compile(
    r"^\s*(?:(?:yes|yeah|yep|sure|ok(?:ay)?|please|please do|是的?|好的?|好啊|要|需要|可以|嗯)[\s,.!。！，]*)+$",
    re.IGNORECASE,
)

QUEUED = Texts(
    en="You're in the queue for a human agent (position {position}). Someone will be with you shortly.",
    zh="正在为您转接人工客服，您前面还有 {ahead} 位。请稍候。",
)
AFTER_HOURS = Texts(
    en="Our agents are available {hours}. Leave your message here and we'll get back to you then.",
    zh="人工客服工作时间：{hours}。请留下您的问题，我们上班后会尽快回复您。",
)
NO_AGENT = Texts(
    en="No agent is online right now. Leave your message here and we'll get back to you as soon as we can.",
    zh="当前没有在线的人工客服。请留下您的问题，我们会尽快回复您。",
)
JOINED = Texts(en="{name} joined the conversation.", zh="人工客服 {name} 已接入。")
RELEASED = Texts(en="The assistant is back to help you.", zh="已转回智能助手为您服务。")
REQUEUED = Texts(
    en="Your agent had to step away; the next free agent will be with you shortly.",
    zh="原客服暂时离开，下一位空闲的客服会尽快为您服务。",
)
TRANSFERRED = Texts(en="You're being transferred to {name}.", zh="正在为您转接给 {name}。")
CLOSED = Texts(
    en="This conversation has been closed. Thank you!",
    zh="本次会话已结束，感谢您的咨询！",
)


def wants_human(text: str, *, bot_offered_human: bool = False) -> bool:
    """The visitor asks for a person, or says yes right after the bot offered one."""
    return asks_for_human(text) or (bot_offered_human and bool(_YES.match(text)))


async def read_wants_human(text: str, *, bot_offered_human: bool = False) -> bool:
    """:func:`wants_human`, read off the event loop when ``text`` is longer than a piece: the
    rules cost ~10 ms per thousand characters, which no other visitor should wait on."""
    if len(text) <= PIECE:
        return wants_human(text, bot_offered_human=bot_offered_human)
    return await asyncio.to_thread(wants_human, text, bot_offered_human=bot_offered_human)


def agents_key(tenant_id: str) -> str:
    """Presence key of a tenant's online agents."""
    return f"agents:{tenant_id}"


class Handoff:
    def __init__(
        self, store: ConversationStore, publisher: Publisher, bus: Bus, rules: TenantRules
    ) -> None:
        self._store = store
        self._publisher = publisher
        self._bus = bus
        self.rules = rules
        # Called with the tenant id once a conversation is queued (the Assigner's run).
        self.after_queued: Callable[[str], Awaitable[int]] | None = None

    async def request(
        self, conversation: ConversationRow, reason: str, language: str | None = None
    ) -> str:
        """``bot -> queued``; tells the visitor their place, or that nobody is online, in
        ``language`` (default: the visitor's, as for every notice). Idempotent."""
        moved = await self._store.transition(
            conversation.id, allowed_from=("bot",), to="queued", assigned_agent=None, reason=reason
        )
        if moved is None:
            fresh = await self._store.get(conversation.id)
            if fresh is None:
                raise KefuError(404, "conversation_not_found", "no such conversation")
            if fresh.status == "closed":
                raise KefuError(409, "conversation_closed", "this conversation is closed")
            return fresh.status  # already queued or with an agent
        HANDOFFS.labels(reason).inc()
        language = language or await self._visitor_language(moved)
        hours = (await self.rules.get(moved.tenant_id)).business_hours
        if hours is not None and not hours.is_open():
            text = AFTER_HOURS[language].format(hours=hours.describe(language))
        elif await self._bus.presence_members(agents_key(moved.tenant_id)):
            position = await self._store.queue_position(moved.tenant_id, moved.id)
            text = QUEUED[language].format(position=position, ahead=max(0, position - 1))
        else:
            text = NO_AGENT[language]
        await self._announce(moved, text, reason=reason)
        if self.after_queued is not None:  # automatic assignment, when the tenant has it on
            try:
                await self.after_queued(moved.tenant_id)
            except Exception:  # noqa: BLE001 - the conversation is queued either way
                log.warning("automatic assignment failed", exc_info=True)
        return "queued"

    async def _owned(self, conversation_id: str, agent: StaffClaims) -> ConversationRow:
        conversation = await self._store.get(conversation_id)
        if conversation is None or conversation.tenant_id != agent.tenant_id:
            raise KefuError(404, "conversation_not_found", "no such conversation")
        return conversation

    def _refuse(self, conversation: ConversationRow, action: str) -> KefuError:
        if conversation.status == "closed":
            return KefuError(409, "conversation_closed", "this conversation is closed")
        if action == "claim" and conversation.status == "agent":
            return KefuError(409, "already_claimed", "another agent has this conversation")
        if conversation.status == "agent" and action in ("release", "transfer"):
            return KefuError(403, "not_your_conversation", "another agent has this conversation")
        return KefuError(
            409,
            "invalid_transition",
            f"cannot {action} a conversation that is {conversation.status}",
        )

    async def claim(self, conversation_id: str, agent: StaffClaims, name: str) -> ConversationRow:
        current = await self._owned(conversation_id, agent)
        moved = await self._store.transition(
            conversation_id,
            allowed_from=("bot", "queued"),
            to="agent",
            assigned_agent=agent.user_id,
        )
        if moved is None:
            raise self._refuse(await self._owned(conversation_id, agent), "claim")
        language = await self._visitor_language(moved)
        await self._announce(moved, JOINED[language].format(name=name), previous=current.status)
        return moved

    async def release(self, conversation_id: str, agent: StaffClaims) -> ConversationRow:
        await self._owned(conversation_id, agent)
        moved = await self._store.transition(
            conversation_id,
            allowed_from=("agent",),
            to="bot",
            assigned_agent=None,
            only_if_agent=None if agent.role in ("owner", "admin") else agent.user_id,
        )
        if moved is None:
            raise self._refuse(await self._owned(conversation_id, agent), "release")
        await self._announce(moved, RELEASED[await self._visitor_language(moved)])
        return moved

    async def requeue(self, conversation_id: str, agent_id: str) -> ConversationRow | None:
        """``agent -> queued`` for a conversation the agent holds (they went away); None when
        it is no longer theirs."""
        moved = await self._store.transition(
            conversation_id,
            allowed_from=("agent",),
            to="queued",
            assigned_agent=None,
            only_if_agent=agent_id,
        )
        if moved is not None:
            await self._announce(moved, REQUEUED[await self._visitor_language(moved)])
        return moved

    async def transfer(
        self, conversation_id: str, agent: StaffClaims, to_user_id: str, name: str
    ) -> ConversationRow:
        await self._owned(conversation_id, agent)
        moved = await self._store.transition(
            conversation_id,
            allowed_from=("agent",),
            to="agent",
            assigned_agent=to_user_id,
            only_if_agent=None if agent.role in ("owner", "admin") else agent.user_id,
        )
        if moved is None:
            raise self._refuse(await self._owned(conversation_id, agent), "transfer")
        await self._announce(
            moved, TRANSFERRED[await self._visitor_language(moved)].format(name=name)
        )
        return moved

    async def close(self, conversation_id: str, agent: StaffClaims) -> ConversationRow:
        await self._owned(conversation_id, agent)
        moved = await self._store.transition(
            conversation_id,
            allowed_from=("bot", "queued", "agent"),
            to="closed",
            assigned_agent=None,
        )
        if moved is None:
            raise self._refuse(await self._owned(conversation_id, agent), "close")
        await self._announce(moved, CLOSED[await self._visitor_language(moved)], allow_closed=True)
        return moved

    async def _visitor_language(self, conversation: ConversationRow) -> str:
        """The language of the visitor's latest message, else of their page and widget (a
        visitor who pressed "talk to a person" before writing anything), in the languages the
        tenant answers in."""
        recent = await self._store.after(conversation.id, max(0, conversation.last_seq - 20), 20)
        language = next(
            (detect_language(m.content) for m in reversed(recent) if m.role == "visitor"), None
        )
        if language is None:
            language = profile_language(await read_profile(conversation.visitor_id))
        return (await self.rules.settings(conversation.tenant_id)).answer_language(language)

    async def _announce(
        self,
        conversation: ConversationRow,
        text: str,
        *,
        previous: str | None = None,
        allow_closed: bool = False,
        reason: str = "",
    ) -> None:
        stored = await self._store.append(
            conversation.id, "system", text, allow_closed=allow_closed
        )
        await self._publisher.status(conversation.id, conversation.status)  # type: ignore[arg-type]
        if stored is not None:
            await self._publisher.message(
                conversation.id, stored.message, tenant_id=conversation.tenant_id
            )
        await self._publisher.tenant_event(conversation, reason)
