"""Visitor REST endpoints: start a conversation, send and list messages, ask for a human."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import Body, FromPath, Parameter

from shared.conversations.follow_up import leave_email
from shared.conversations.rules import WidgetLook
from shared.errors import KefuError
from shared.guard import connection_ip
from shared.inputs import MAX_SEQ
from shared.openapi import VISITOR, errors
from shared.schemas import (
    AnswerRatingIn,
    AnswerRatingOut,
    ContactIn,
    ConversationRatingIn,
    ConversationRatingOut,
    ConversationStarted,
    HandoffResult,
    Identity,
    MessageOut,
    MessagePage,
    PostMessage,
    StartConversation,
    TypingRequest,
)
from shared.services import Services

from .auth import visitor_conversation

__all__ = ["VisitorController"]


@errors(400, 401, 403, 404, 409, 422)
class VisitorController(Controller):
    path = "/api/v1"
    tags = ["visitor"]

    @post("/visitor/conversations", status_code=201)
    async def start_conversation(
        self,
        request: Request,
        data: Annotated[StartConversation, Body()],
        services: NamedDependency[Services],
    ) -> ConversationStarted:
        """Start a conversation with a tenant's widget key; returns the visitor token."""
        return await services.conversations.start(
            data.widget_key,
            data.visitor,
            origin=request.headers.get("origin"),
            client_ip=connection_ip(request, services.settings.trust_forwarded),
            user_agent=request.headers.get("user-agent", ""),
            previous_token=data.previous_token,
            identity=data.identity,
        )

    @get("/visitor/widget")
    async def widget_look(
        self,
        widget_key: Annotated[str, Parameter(max_length=100)],
        services: NamedDependency[Services],
    ) -> WidgetLook:
        """The tenant's widget look (title, color, greeting, side) for its widget key."""
        tenant = await services.store.tenant_by_widget_key(widget_key)
        if tenant is None:
            raise KefuError(404, "unknown_widget_key", "no tenant has this widget key")
        return (await services.rules.settings(tenant.id)).widget

    @get("/conversations/{conversation_id:str}/messages", security=VISITOR)
    async def list_messages(
        self,
        request: Request,
        conversation_id: FromPath[str],
        services: NamedDependency[Services],
        after_seq: Annotated[int, Parameter(ge=0, le=MAX_SEQ)] = 0,
        limit: Annotated[int | None, Parameter(ge=1, le=1000)] = None,
    ) -> MessagePage:
        """Messages with ``seq > after_seq``, oldest first (bearer visitor token)."""
        conversation = await visitor_conversation(services, request, conversation_id)
        return await services.conversations.history(conversation, after_seq, limit)

    @post("/conversations/{conversation_id:str}/messages", security=VISITOR)
    async def post_message(
        self,
        request: Request,
        conversation_id: FromPath[str],
        data: Annotated[PostMessage, Body()],
        services: NamedDependency[Services],
    ) -> Response[MessageOut]:
        """Send a message; the same ``client_msg_id`` twice returns the first (200, not 201)."""
        conversation = await visitor_conversation(services, request, conversation_id)
        message, created = await services.conversations.send(
            conversation, data.content, client_msg_id=data.client_msg_id
        )
        return Response(message, status_code=201 if created else 200)

    @post(
        "/conversations/{conversation_id:str}/messages/{message_id:str}/rating",
        security=VISITOR,
        status_code=200,
    )
    async def rate_answer(
        self,
        request: Request,
        conversation_id: FromPath[str],
        message_id: FromPath[str],
        data: Annotated[AnswerRatingIn, Body()],
        services: NamedDependency[Services],
    ) -> AnswerRatingOut:
        """Was this bot answer helpful? One verdict per answer; a new one replaces the old."""
        conversation = await visitor_conversation(services, request, conversation_id)
        await services.ratings.rate(conversation, message_id, data.helpful)
        return AnswerRatingOut(message_id=message_id, helpful=data.helpful)

    @post("/conversations/{conversation_id:str}/rating", security=VISITOR, status_code=200)
    async def rate_conversation(
        self,
        request: Request,
        conversation_id: FromPath[str],
        data: Annotated[ConversationRatingIn, Body()],
        services: NamedDependency[Services],
    ) -> ConversationRatingOut:
        """Rate the conversation once it is closed: 1-5 and a comment; a new rating replaces
        the old (409 ``conversation_not_closed`` before)."""
        conversation = await visitor_conversation(services, request, conversation_id)
        await services.ratings.rate_conversation(conversation, data.score, data.comment)
        return ConversationRatingOut(
            conversation_id=conversation.id, score=data.score, comment=data.comment.strip()
        )

    @post("/conversations/{conversation_id:str}/contact", security=VISITOR, status_code=200)
    async def leave_contact(
        self,
        request: Request,
        conversation_id: FromPath[str],
        data: Annotated[ContactIn, Body()],
        services: NamedDependency[Services],
    ) -> ContactIn:
        """Leave an email address: an agent's reply that finds the visitor gone is emailed."""
        conversation = await visitor_conversation(services, request, conversation_id)
        await leave_email(conversation, data.email.strip())
        return ContactIn(email=data.email.strip())

    @post("/conversations/{conversation_id:str}/identify", security=VISITOR, status_code=200)
    async def identify(
        self,
        request: Request,
        conversation_id: FromPath[str],
        data: Annotated[Identity, Body()],
        services: NamedDependency[Services],
    ) -> ConversationStarted:
        """The visitor signed in on the site (``window.kefu.identify``) mid-conversation: the
        conversation becomes the verified user's, joined to their earlier ones; answers a new
        visitor token. 403 ``identity_not_verified``, 409 ``identity_conflict`` when another
        signed-in user holds it."""
        conversation = await visitor_conversation(services, request, conversation_id)
        return await services.conversations.identify(conversation, data)

    @post("/conversations/{conversation_id:str}/typing", security=VISITOR, status_code=204)
    async def typing(
        self,
        request: Request,
        conversation_id: FromPath[str],
        services: NamedDependency[Services],
        data: Annotated[TypingRequest | None, Body()] = None,
    ) -> None:
        """The visitor is typing (for clients on SSE; WebSocket clients send a frame)."""
        conversation = await visitor_conversation(services, request, conversation_id)
        await services.publisher.typing(conversation.id, "visitor", data.typing if data else True)

    @post("/conversations/{conversation_id:str}/handoff", security=VISITOR, status_code=200)
    async def handoff(
        self, request: Request, conversation_id: FromPath[str], services: NamedDependency[Services]
    ) -> HandoffResult:
        """Ask for a human agent: the bot steps aside and the conversation is queued."""
        conversation = await visitor_conversation(services, request, conversation_id)
        status = await services.conversations.handoff(conversation)
        return HandoffResult(conversation_id=conversation_id, status=status)  # type: ignore[arg-type]
