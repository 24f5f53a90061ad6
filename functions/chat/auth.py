"""Visitor access: a visitor token for the conversation, from an allowed page origin."""

from __future__ import annotations

from typing import TYPE_CHECKING

from litestar.connection import ASGIConnection

from shared import observability
from shared.guard import bearer_token, raw_header

if TYPE_CHECKING:
    from shared.conversations.store import ConversationRow
    from shared.services import Services

__all__ = ["visitor_conversation"]


async def visitor_conversation(
    services: Services, connection: ASGIConnection, conversation_id: str
) -> ConversationRow:
    """The conversation the visitor's token opens, from an allowed page origin (else 4xx)."""
    _, conversation = await services.conversations.authorize_visitor(
        conversation_id, bearer_token(connection), raw_header(connection.scope, b"origin")
    )
    observability.conversation_id.set(conversation.id)  # into this request's log lines
    return conversation
