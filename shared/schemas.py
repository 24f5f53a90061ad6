"""Wire types: every request, response and event body is a msgspec Struct on one base."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

import msgspec
from msgspec import Meta

__all__ = [
    "Wire",
    "Citation",
    "MessageOut",
    "StartConversation",
    "ConversationStarted",
    "PostMessage",
    "MessagePage",
    "MessageEvent",
    "DeltaEvent",
    "StatusEvent",
    "TypingEvent",
    "ErrorEvent",
    "ClientFrame",
    "ClientMessage",
    "ClientTyping",
    "ErrorBody",
    "HandoffResult",
    "ConversationRatingIn",
    "ContactIn",
    "Identity",
    "ConversationRatingOut",
    "encode",
    "Status",
    "Role",
]

Status = Literal["bot", "queued", "agent", "closed"]
Role = Literal["visitor", "bot", "agent", "system"]


class Wire(msgspec.Struct, kw_only=True, omit_defaults=False):
    """Base of every wire type."""


class Citation(Wire):
    document_id: str
    title: str
    source: str = ""
    chunk_id: str = ""
    snippet: str = ""
    score: float = 0.0


class MessageOut(Wire):
    id: str
    seq: int
    role: Role
    content: str
    created_at: datetime
    citations: list[Citation] = []
    client_msg_id: str | None = None


Attribute = Annotated[str, Meta(max_length=500)] | int | float | bool


class Identity(Wire, forbid_unknown_fields=True):
    """A signed-in user of the site: ``user_hash`` = hex HMAC-SHA256 of ``user_id`` under the
    tenant's identity secret, computed by the site's server."""

    user_id: Annotated[str, Meta(min_length=1, max_length=200)]
    user_hash: Annotated[str, Meta(pattern=r"^[0-9a-fA-F]{64}$")]
    name: Annotated[str, Meta(max_length=200)] = ""
    email: Annotated[str, Meta(max_length=254)] = ""
    attributes: Annotated[
        dict[Annotated[str, Meta(max_length=60)], Attribute], Meta(max_length=20)
    ] = {}


class StartConversation(Wire):
    widget_key: str
    # page, referrer, language, title, name: shown to agents (other fields are dropped)
    visitor: dict[str, Any] | None = None
    # A token of this visitor's earlier conversation (expired or not): the same visitor again.
    previous_token: Annotated[str, Meta(max_length=4000)] | None = None
    # A signed-in user of the site, vouched for by the HMAC of their id (identity.py).
    identity: Identity | None = None


class ConversationStarted(Wire):
    conversation_id: str
    visitor_token: str
    status: Status
    expires_in: int


class PostMessage(Wire):
    content: str
    client_msg_id: str | None = None


class MessagePage(Wire):
    conversation_id: str
    status: Status
    last_seq: int
    messages: list[MessageOut]
    has_more: bool


class MessageEvent(Wire, tag="message", tag_field="type"):
    message: MessageOut


class DeltaEvent(Wire, tag="delta", tag_field="type"):
    message_id: str
    delta: str


class StatusEvent(Wire, tag="status", tag_field="type"):
    status: Status


class TypingEvent(Wire, tag="typing", tag_field="type"):
    role: Role
    typing: bool = True


class ErrorEvent(Wire, tag="error", tag_field="type"):
    code: str
    detail: str


class ClientMessage(Wire, tag="message", tag_field="type"):
    content: str
    client_msg_id: str | None = None


class ClientTyping(Wire, tag="typing", tag_field="type"):
    typing: bool = True


ClientFrame = ClientMessage | ClientTyping


class ErrorBody(Wire):
    code: str
    detail: str
    extra: Any = None


_encoder = msgspec.json.Encoder()


def encode(obj: Any) -> bytes:
    """JSON bytes of any wire object (one shared encoder)."""
    return _encoder.encode(obj)


class HandoffResult(Wire):
    conversation_id: str
    status: Status


class LoginRequest(Wire):
    email: str
    password: str


class RefreshRequest(Wire):
    refresh_token: str


class TokenPairOut(Wire):
    access_token: str
    refresh_token: str
    token_type: str
    expires_in: int


class ConversationSummary(Wire):
    conversation_id: str
    status: Status
    assigned_agent: str | None
    handoff_reason: str
    queued_at: datetime | None
    updated_at: datetime
    preview: str = ""  # the latest message, cut to 140 characters
    preview_role: str = ""  # who wrote it
    labels: list[str] = []


class AgentReply(Wire):
    content: str
    client_msg_id: str | None = None


class TransferRequest(Wire):
    to_agent_id: str


class PresenceRequest(Wire):
    status: Literal["online", "away"]


class AgentOut(Wire):
    id: str
    email: str
    display_name: str
    role: str
    online: bool


class AgentWatch(Wire, tag="watch", tag_field="type"):
    conversation_id: str


class AgentUnwatch(Wire, tag="unwatch", tag_field="type"):
    conversation_id: str


class AgentTyping(Wire, tag="typing", tag_field="type"):
    conversation_id: str
    typing: bool = True


class AgentPresence(Wire, tag="presence", tag_field="type"):
    status: Literal["online", "away"]


AgentFrame = AgentWatch | AgentUnwatch | AgentTyping | AgentPresence


class AnswerRatingIn(Wire):
    helpful: bool


class AnswerRatingOut(Wire):
    message_id: str
    helpful: bool


class ConversationRatingIn(Wire):
    score: Annotated[int, Meta(ge=1, le=5)]
    comment: Annotated[str, Meta(max_length=1000)] = ""


class ContactIn(Wire):
    email: Annotated[str, Meta(max_length=254, pattern=r"^\s*[^@\s]{1,64}@[^@\s]+\.[^@\s]+\s*$")]


class ConversationRatingOut(Wire):
    conversation_id: str
    score: int
    comment: str


class TypingRequest(Wire):
    typing: bool = True
