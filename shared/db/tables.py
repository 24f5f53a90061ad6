"""Piccolo tables: the source of truth for tenants, conversations, messages, KB and users."""

from __future__ import annotations

from piccolo.columns import (
    JSON,
    UUID,
    Boolean,
    ForeignKey,
    Integer,
    OnDelete,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.table import Table

__all__ = [
    "Tenant",
    "Visitor",
    "Conversation",
    "Message",
    "KbDocument",
    "KbChunk",
    "User",
    "ALL_TABLES",
    "CONVERSATION_STATUSES",
    "MESSAGE_ROLES",
]

CONVERSATION_STATUSES = ("bot", "queued", "agent", "closed")
MESSAGE_ROLES = ("visitor", "bot", "agent", "system")


class Tenant(Table):
    id = UUID(primary_key=True)
    name = Varchar(length=200)
    slug = Varchar(length=100, unique=True)
    widget_key = Varchar(length=100, unique=True, index=True)
    # Bumped on every knowledge-base change; retrieval indexes and answer caches key on it.
    kb_version = Integer(default=0)
    settings = JSON(default={})
    created_at = Timestamptz()


class User(Table, tablename="kefu_user"):
    id = UUID(primary_key=True)
    tenant = ForeignKey(references=Tenant, on_delete=OnDelete.cascade, null=True, index=True)
    email = Varchar(length=320, unique=True)
    display_name = Varchar(length=200, default="")
    password_hash = Varchar(length=300)
    role = Varchar(length=16, default="agent")  # owner | admin | agent | superadmin
    active = Boolean(default=True)
    created_at = Timestamptz()


class Visitor(Table):
    id = UUID(primary_key=True)
    tenant = ForeignKey(references=Tenant, on_delete=OnDelete.cascade, index=True)
    profile = JSON(default={})
    created_at = Timestamptz()


class Conversation(Table):
    id = UUID(primary_key=True)
    tenant = ForeignKey(references=Tenant, on_delete=OnDelete.cascade, index=True)
    visitor = ForeignKey(references=Visitor, on_delete=OnDelete.cascade, index=True)
    status = Varchar(length=16, default="bot", index=True)
    # Highest seq handed out; the next message gets last_seq + 1 in the same transaction.
    last_seq = Integer(default=0)
    assigned_agent = ForeignKey(references=User, on_delete=OnDelete.set_null, null=True, index=True)
    queued_at = Timestamptz(null=True, default=None)
    handoff_reason = Varchar(length=40, default="")
    created_at = Timestamptz()
    updated_at = Timestamptz()


class Message(Table):
    id = UUID(primary_key=True)
    conversation = ForeignKey(references=Conversation, on_delete=OnDelete.cascade)
    seq = Integer()
    role = Varchar(length=16)
    content = Text()
    client_msg_id = Varchar(length=100, null=True, default=None)
    citations = JSON(default=[])
    created_at = Timestamptz()


class KbDocument(Table, tablename="kb_document"):
    id = UUID(primary_key=True)
    tenant = ForeignKey(references=Tenant, on_delete=OnDelete.cascade, index=True)
    title = Varchar(length=300)
    source = Varchar(length=500, default="")
    content_type = Varchar(length=50, default="text/markdown")
    content = Text()
    checksum = Varchar(length=64, default="")
    created_at = Timestamptz()
    updated_at = Timestamptz()


class KbChunk(Table, tablename="kb_chunk"):
    id = UUID(primary_key=True)
    tenant = ForeignKey(references=Tenant, on_delete=OnDelete.cascade, index=True)
    document = ForeignKey(references=KbDocument, on_delete=OnDelete.cascade, index=True)
    ordinal = Integer(default=0)
    heading = Varchar(length=300, default="")
    text = Text()


ALL_TABLES: tuple[type[Table], ...] = (
    Tenant,
    Visitor,
    Conversation,
    Message,
    KbDocument,
    KbChunk,
    User,
)
