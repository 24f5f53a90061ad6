"""Agents' tools: canned responses (``/`` in the reply box), internal notes, labels."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, delete, get, post, put
from litestar.di import NamedDependency, Provide
from litestar.params import Body, FromPath
from msgspec import Meta

from shared.auth.staff_tokens import StaffClaims
from shared.conversations.agent_tools import Canned, Note
from shared.conversations.assist import Assist, assist
from shared.errors import KefuError
from shared.openapi import STAFF, errors
from shared.schemas import Wire
from shared.services import Services

from .agent import current_agent, tenant_conversation

__all__ = ["AgentToolsController"]

Shortcut = Annotated[str, Meta(min_length=1, max_length=40, pattern=r"^/?[\w\-\u4e00-\u9fff]+$")]


class CannedIn(Wire):
    shortcut: Shortcut
    content: Annotated[str, Meta(min_length=1, max_length=4000)]


class NoteIn(Wire):
    content: Annotated[str, Meta(min_length=1, max_length=4000)]


class LabelsIn(Wire):
    labels: Annotated[list[Annotated[str, Meta(max_length=40)]], Meta(max_length=20)]


class Labels(Wire):
    labels: list[str]


@errors(400, 401, 403, 404, 409, 422)
class AgentToolsController(Controller):
    path = "/api/v1/agent"
    tags = ["agent"]
    security = STAFF
    dependencies = {"agent": Provide(current_agent)}

    @get("/canned-responses")
    async def list_canned(
        self, agent: NamedDependency[StaffClaims], services: NamedDependency[Services]
    ) -> list[Canned]:
        """The tenant's canned responses, by shortcut."""
        assert agent.tenant_id is not None
        return await services.agent_tools.canned(agent.tenant_id)

    @post("/canned-responses", status_code=201)
    async def add_canned(
        self,
        data: Annotated[CannedIn, Body()],
        agent: NamedDependency[StaffClaims],
        services: NamedDependency[Services],
    ) -> Canned:
        """Save a reply under a shortcut (``/refund``); ``{{visitor.name}}`` and
        ``{{agent.name}}`` are filled in when it is used."""
        assert agent.tenant_id is not None
        return await services.agent_tools.save_canned(agent.tenant_id, data.shortcut, data.content)

    @put("/canned-responses/{canned_id:str}")
    async def edit_canned(
        self,
        canned_id: FromPath[str],
        data: Annotated[CannedIn, Body()],
        agent: NamedDependency[StaffClaims],
        services: NamedDependency[Services],
    ) -> Canned:
        assert agent.tenant_id is not None
        return await services.agent_tools.save_canned(
            agent.tenant_id, data.shortcut, data.content, canned_id
        )

    @delete("/canned-responses/{canned_id:str}", status_code=204)
    async def delete_canned(
        self,
        canned_id: FromPath[str],
        agent: NamedDependency[StaffClaims],
        services: NamedDependency[Services],
    ) -> None:
        assert agent.tenant_id is not None
        if not await services.agent_tools.delete_canned(agent.tenant_id, canned_id):
            raise KefuError(404, "canned_not_found", "no such canned response")

    @get("/conversations/{conversation_id:str}/notes")
    async def list_notes(
        self,
        conversation_id: FromPath[str],
        agent: NamedDependency[StaffClaims],
        services: NamedDependency[Services],
    ) -> list[Note]:
        """Agents' internal notes on the conversation, oldest first (never shown to the visitor)."""
        conversation = await tenant_conversation(services, agent, conversation_id)
        return await services.agent_tools.notes(conversation.id)

    @post("/conversations/{conversation_id:str}/notes", status_code=201)
    async def add_note(
        self,
        conversation_id: FromPath[str],
        data: Annotated[NoteIn, Body()],
        agent: NamedDependency[StaffClaims],
        services: NamedDependency[Services],
    ) -> Note:
        """Add an internal note: stored apart from the conversation's messages, so it never
        reaches the visitor's stream, history or transcript export; the tenant's consoles get
        it live (a ``note`` event on the agent WebSocket)."""
        conversation = await tenant_conversation(services, agent, conversation_id)
        user = await services.users.get(agent.user_id)
        name = (user.display_name if user else "") or agent.email
        note = await services.agent_tools.add_note(
            conversation.tenant_id, conversation.id, agent.user_id, name, data.content
        )
        # Other agents watching the conversation see it at once.
        await services.publisher.note(conversation.tenant_id, conversation.id, note)
        return note

    @get("/conversations/{conversation_id:str}/assist")
    async def assist(
        self,
        conversation_id: FromPath[str],
        agent: NamedDependency[StaffClaims],
        services: NamedDependency[Services],
    ) -> Assist:
        """For the agent taking over: what the visitor asked the bot (answered or not, from
        where), why it was handed over, and a reply from the knowledge base for the latest
        question (empty when the knowledge base does not answer it)."""
        conversation = await tenant_conversation(services, agent, conversation_id)
        page = await services.conversations.history(conversation, 0, None)
        row = await services.store.summary(conversation.id)
        settings = await services.rules.settings(conversation.tenant_id)
        return await assist(
            services.conversations.bot, settings, conversation.tenant_id, page.messages,
            (row or {}).get("handoff_reason", ""),
        )  # fmt: skip

    @get("/conversations/{conversation_id:str}/labels")
    async def get_labels(
        self,
        conversation_id: FromPath[str],
        agent: NamedDependency[StaffClaims],
        services: NamedDependency[Services],
    ) -> Labels:
        conversation = await tenant_conversation(services, agent, conversation_id)
        return Labels(labels=await services.agent_tools.labels(conversation.id))

    @put("/conversations/{conversation_id:str}/labels")
    async def set_labels(
        self,
        conversation_id: FromPath[str],
        data: Annotated[LabelsIn, Body()],
        agent: NamedDependency[StaffClaims],
        services: NamedDependency[Services],
    ) -> Labels:
        """Replace the conversation's labels (trimmed, lower-case, each once)."""
        conversation = await tenant_conversation(services, agent, conversation_id)
        labels = await services.agent_tools.set_labels(
            conversation.tenant_id, conversation.id, data.labels
        )
        return Labels(labels=labels)
