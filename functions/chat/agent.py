"""The agent's REST surface: queue, conversations, claim / release / transfer / close, replies."""

from __future__ import annotations

from typing import Annotated

import msgspec
from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency, Provide
from litestar.params import Body, FromPath, Parameter

from shared.auth.staff_tokens import StaffClaims
from shared.conversations.follow_up import email_reply
from shared.conversations.handoff import agents_key
from shared.conversations.store import ConversationRow
from shared.conversations.visitors import VisitorContext, visitor_context
from shared.errors import KefuError
from shared.guard import bearer_token
from shared.inputs import MAX_SEQ
from shared.openapi import STAFF, errors
from shared.schemas import (
    AgentOut,
    AgentReply,
    ConversationSummary,
    HandoffResult,
    MessageOut,
    MessagePage,
    PresenceRequest,
    TransferRequest,
    Wire,
)
from shared.services import Services

__all__ = [
    "AgentController",
    "current_agent",
    "authorize_agent",
    "tenant_conversation",
    "PRESENCE_TTL_S",
]

PRESENCE_TTL_S = 60.0
_STAFF_ROLES = ("owner", "admin", "agent")


async def authorize_agent(services: Services, token: str | None) -> StaffClaims:
    """The agent as the database says they are now (role, tenant, enabled; else 401/403)."""
    claims = await services.users.authority(services.staff_tokens.verify_access(token))
    if claims.tenant_id is None or claims.role not in _STAFF_ROLES:
        raise KefuError(403, "not_an_agent", "this account does not work in a tenant's console")
    return claims


async def current_agent(request: Request, services: NamedDependency[Services]) -> StaffClaims:
    # Header only on REST: a staff token in the URL ends up in logs and Referer headers.
    return await authorize_agent(services, bearer_token(request, query=False))


def _summary(row: dict) -> ConversationSummary:
    agent = row["assigned_agent"]
    return ConversationSummary(
        conversation_id=str(row["id"]),
        status=row["status"],
        assigned_agent=str(agent) if agent else None,
        handoff_reason=row["handoff_reason"],
        queued_at=row["queued_at"],
        updated_at=row["updated_at"],
    )


async def _search(
    services: Services, tenant_id: str, q: str, status: str | None, limit: int
) -> list[ConversationSummary]:
    hits = await services.search.search(tenant_id, q, status=status, limit=min(limit, 100))
    if not hits:
        return []
    rows = {
        str(r["id"]): r
        for r in await services.store.listing_by_ids(tenant_id, [h.conversation_id for h in hits])
    }
    labels = await services.agent_tools.labels_of(list(rows))
    return [
        msgspec.structs.replace(
            _summary(rows[h.conversation_id]),
            preview=h.message[:140],
            preview_role="",
            labels=labels.get(h.conversation_id, []),
        )
        for h in hits
        if h.conversation_id in rows
    ]


def _assign_soon(services: Services, tenant_id: str) -> None:
    """An agent came online or has room again: queued conversations may go to them."""
    services.tasks.spawn(services.assigner.run(tenant_id), name=f"assign-{tenant_id}")


async def _with_previews(services: Services, rows: list[dict]) -> list[ConversationSummary]:
    ids = [str(r["id"]) for r in rows]
    last = await services.store.last_messages(ids)
    labels = await services.agent_tools.labels_of(ids)
    out = []
    for row in rows:
        cid = str(row["id"])
        role, content = last.get(cid, ("", ""))
        summary = _summary(row)
        out.append(
            msgspec.structs.replace(
                summary, preview=content[:140], preview_role=role, labels=labels.get(cid, [])
            )
        )
    return out


async def tenant_conversation(
    services: Services, agent: NamedDependency[StaffClaims], conversation_id: str
) -> ConversationRow:
    conversation = await services.store.get(conversation_id)
    if conversation is None or conversation.tenant_id != agent.tenant_id:
        raise KefuError(404, "conversation_not_found", "no such conversation")
    return conversation


async def _name(services: Services, user_id: str) -> str:
    user = await services.users.get(user_id)
    return user.display_name if user else "An agent"


class ConversationDetail(Wire):
    conversation: ConversationSummary
    visitor: VisitorContext


@errors(400, 401, 403, 404, 409, 422)
class AgentController(Controller):
    path = "/api/v1/agent"
    tags = ["agent"]
    security = STAFF
    dependencies = {"agent": Provide(current_agent)}

    @get("/queue")
    async def queue(
        self,
        agent: NamedDependency[StaffClaims],
        services: NamedDependency[Services],
        limit: Annotated[int, Parameter(ge=1, le=1000)] = 200,
    ) -> list[ConversationSummary]:
        """Conversations waiting for a human, longest waiting first (at most ``limit``), with
        their latest message and labels."""
        assert agent.tenant_id is not None
        rows = await services.store.listing(agent.tenant_id, status="queued", limit=limit)
        return await _with_previews(services, rows)

    @get("/conversations")
    async def conversations(
        self,
        agent: NamedDependency[StaffClaims],
        services: NamedDependency[Services],
        status: Annotated[str | None, Parameter(pattern="^(bot|queued|agent|closed)$")] = None,
        mine: Annotated[bool, Parameter(description="only the ones you hold")] = True,
        label: Annotated[str | None, Parameter(max_length=40)] = None,
        limit: Annotated[int, Parameter(ge=1, le=500)] = 200,
        q: Annotated[str | None, Parameter(max_length=200)] = None,
    ) -> list[ConversationSummary]:
        """The tenant's conversations in ``status`` (``closed``: the most recently closed
        first); by default only those assigned to you; ``label``: only those labelled so. Each
        with its latest message and labels. ``q``: a search over every message's text instead
        (English stemmed, Chinese segmented; every word must match): conversations of any
        status unless ``status`` is given, any agent's, the most recent match first, each with
        the matching message as its preview."""
        assert agent.tenant_id is not None
        if q is not None and q.strip():
            return await _search(services, agent.tenant_id, q, status, limit)
        status = status or "agent"
        among = await services.agent_tools.labelled(agent.tenant_id, label) if label else None
        rows = await services.store.listing(
            agent.tenant_id,
            status=status,
            agent=agent.user_id if mine and status == "agent" else None,
            limit=limit,
            among=among,
        )
        return await _with_previews(services, rows)

    @get("/conversations/{conversation_id:str}")
    async def detail(
        self,
        agent: NamedDependency[StaffClaims],
        conversation_id: FromPath[str],
        services: NamedDependency[Services],
    ) -> ConversationDetail:
        """The conversation and who the visitor is: the page they are on and came from, their
        language, browser and system, when first seen, and their earlier conversations."""
        conversation = await tenant_conversation(services, agent, conversation_id)
        row = await services.store.summary(conversation.id)
        context = await visitor_context(conversation.id, conversation.visitor_id)
        if row is None or context is None:
            raise KefuError(404, "conversation_not_found", "no such conversation")
        return ConversationDetail(conversation=_summary(row), visitor=context)

    @get("/conversations/{conversation_id:str}/messages")
    async def messages(
        self,
        agent: NamedDependency[StaffClaims],
        conversation_id: FromPath[str],
        services: NamedDependency[Services],
        after_seq: Annotated[int, Parameter(ge=0, le=MAX_SEQ)] = 0,
        limit: Annotated[int | None, Parameter(ge=1, le=1000)] = None,
    ) -> MessagePage:
        conversation = await tenant_conversation(services, agent, conversation_id)
        return await services.conversations.history(conversation, after_seq, limit)

    @post("/conversations/{conversation_id:str}/messages")
    async def reply(
        self,
        agent: NamedDependency[StaffClaims],
        conversation_id: FromPath[str],
        data: Annotated[AgentReply, Body()],
        services: NamedDependency[Services],
    ) -> Response[MessageOut]:
        """Reply as the agent who holds the conversation (same ``client_msg_id`` = one message)."""
        conversation = await tenant_conversation(services, agent, conversation_id)
        if conversation.status != "agent" or conversation.assigned_agent != agent.user_id:
            raise KefuError(409, "not_your_conversation", "claim the conversation before replying")
        message, created = await services.conversations.send(
            conversation,
            data.content,
            role="agent",
            client_msg_id=data.client_msg_id,
            only_if_status="agent",
        )
        if created:  # a visitor who left an address and has gone gets it by email too
            services.tasks.spawn(
                email_reply(services.bus, services.mailer, conversation, message),
                name=f"email-reply-{conversation.id}",
            )
        return Response(message, status_code=201 if created else 200)

    @post("/conversations/{conversation_id:str}/claim", status_code=200)
    async def claim(
        self,
        agent: NamedDependency[StaffClaims],
        conversation_id: FromPath[str],
        services: NamedDependency[Services],
    ) -> HandoffResult:
        """Take the conversation; of agents claiming at once exactly one wins (others: 409)."""
        moved = await services.handoffs.claim(
            conversation_id, agent, await _name(services, agent.user_id)
        )
        return HandoffResult(conversation_id=moved.id, status=moved.status)  # type: ignore[arg-type]

    @post("/conversations/{conversation_id:str}/release", status_code=200)
    async def release(
        self,
        agent: NamedDependency[StaffClaims],
        conversation_id: FromPath[str],
        services: NamedDependency[Services],
    ) -> HandoffResult:
        """Hand the conversation back to the bot."""
        moved = await services.handoffs.release(conversation_id, agent)
        _assign_soon(services, moved.tenant_id)  # the agent has room for another
        return HandoffResult(conversation_id=moved.id, status=moved.status)  # type: ignore[arg-type]

    @post("/conversations/{conversation_id:str}/transfer", status_code=200)
    async def transfer(
        self,
        agent: NamedDependency[StaffClaims],
        conversation_id: FromPath[str],
        data: Annotated[TransferRequest, Body()],
        services: NamedDependency[Services],
    ) -> HandoffResult:
        """Give the conversation to another agent of the tenant."""
        target = await services.users.get(data.to_agent_id)
        if target is None or target.tenant_id != agent.tenant_id or not target.active:
            raise KefuError(404, "agent_not_found", "no such agent in this tenant")
        moved = await services.handoffs.transfer(
            conversation_id, agent, target.id, target.display_name
        )
        _assign_soon(services, moved.tenant_id)
        return HandoffResult(conversation_id=moved.id, status=moved.status)  # type: ignore[arg-type]

    @post("/conversations/{conversation_id:str}/close", status_code=200)
    async def close(
        self,
        agent: NamedDependency[StaffClaims],
        conversation_id: FromPath[str],
        services: NamedDependency[Services],
    ) -> HandoffResult:
        """End the conversation; closed is final."""
        moved = await services.handoffs.close(conversation_id, agent)
        _assign_soon(services, moved.tenant_id)  # the agent has room for another
        return HandoffResult(conversation_id=moved.id, status=moved.status)  # type: ignore[arg-type]

    @get("/agents")
    async def agents(
        self, agent: NamedDependency[StaffClaims], services: NamedDependency[Services]
    ) -> list[AgentOut]:
        """The tenant's staff, with who is online now (for transfers)."""
        assert agent.tenant_id is not None
        online = await services.bus.presence_members(agents_key(agent.tenant_id))
        return [
            AgentOut(
                id=u.id,
                email=u.email,
                display_name=u.display_name,
                role=u.role,
                online=u.id in online,
            )
            for u in await services.users.staff_of(agent.tenant_id)
        ]

    @post("/presence", status_code=200)
    async def presence(
        self,
        agent: NamedDependency[StaffClaims],
        data: Annotated[PresenceRequest, Body()],
        services: NamedDependency[Services],
    ) -> dict[str, str]:
        """Online (for a minute; the console's socket keeps it fresh) or away."""
        assert agent.tenant_id is not None
        if data.status == "online":
            await services.bus.presence_join(
                agents_key(agent.tenant_id), agent.user_id, PRESENCE_TTL_S
            )
            _assign_soon(services, agent.tenant_id)
        else:
            await services.bus.presence_leave(agents_key(agent.tenant_id), agent.user_id)
            services.tasks.spawn(
                services.assigner.agent_left(agent.tenant_id, agent.user_id), name="agent-left"
            )
        return {"status": data.status}
