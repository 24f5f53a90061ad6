"""Piccolo tables: the source of truth for tenants, conversations, messages, KB and users."""

from __future__ import annotations

import msgspec
from piccolo.columns import (
    JSON,
    UUID,
    BigInt,
    Boolean,
    Bytea,
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
    "ApiKey",
    "AuditLog",
    "Webhook",
    "WebhookDelivery",
    "TenantPlugin",
    "PluginCall",
    "AnswerRating",
    "ConversationRating",
    "KbCheck",
    "KbCheckRun",
    "ALL_TABLES",
    "json_value",
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
    # Signs visitors' identities (HMAC-SHA256 of the site's user id); empty until an owner
    # makes one. Never returned but when made or rotated.
    identity_secret = Varchar(length=100, default="")
    # The owner's own model server ({url, model, api_key, tools}); empty: the deployment's.
    # The API key is never returned.
    model_endpoint = JSON(default={})
    settings = JSON(default={})
    active = Boolean(default=True)  # an inactive tenant's widget and staff are refused
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
    # Tokens issued before this moment (epoch milliseconds) are refused: set when the password
    # is reset, so every session the old password opened ends on its next request.
    tokens_valid_after = BigInt(default=0)


class Visitor(Table):
    id = UUID(primary_key=True)
    tenant = ForeignKey(references=Tenant, on_delete=OnDelete.cascade, index=True)
    profile = JSON(default={})
    # The site's own user id, set only from a verified identity (window.kefu.identify with the
    # HMAC of the id): the same person on any device is one visitor.
    external_id = Varchar(length=200, default="", index=True)
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
    # The message's search terms (stemmed English, segmented Chinese, space-separated), filled
    # in off the write path by shared.conversations.search; None until then.
    search_terms = Text(null=True, default=None)


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
    # Retrieval terms, computed when the passage is stored (off the server for uploads), so
    # building a tenant's index is counting, not tokenising; stale when the version differs.
    terms = Text(default="")
    terms_version = Integer(default=0)
    # The passage's embedding (float32, unit length) and the embedder that made it: computed
    # once and kept, so no replica embeds the knowledge base again when it starts.
    vector = Bytea(null=True, default=None)
    vector_model = Varchar(length=100, default="")


class ApiKey(Table, tablename="api_key"):
    """An integrator's key: only a SHA-256 of the secret is kept; the key is shown once."""

    id = UUID(primary_key=True)
    tenant = ForeignKey(references=Tenant, on_delete=OnDelete.cascade, index=True)
    name = Varchar(length=200)
    prefix = Varchar(length=24, unique=True, index=True)
    key_hash = Varchar(length=64)
    scopes = JSON(default=[])
    created_by = Varchar(length=64, default="")
    created_at = Timestamptz()
    last_used_at = Timestamptz(null=True, default=None)
    revoked_at = Timestamptz(null=True, default=None)


class AuditLog(Table, tablename="audit_log"):
    """Every admin action: who (user or API key), what, on which target, from where."""

    id = UUID(primary_key=True)
    tenant = ForeignKey(references=Tenant, on_delete=OnDelete.cascade, null=True, index=True)
    actor_type = Varchar(length=16)  # user | api_key | system
    actor_id = Varchar(length=64, default="")
    actor_name = Varchar(length=320, default="")
    action = Varchar(length=64, index=True)
    target = Varchar(length=200, default="")
    detail = JSON(default={})
    ip = Varchar(length=64, default="")
    created_at = Timestamptz(index=True)


class Webhook(Table):
    """An integrator's endpoint; ``secret`` signs each delivery (HMAC-SHA256)."""

    id = UUID(primary_key=True)
    tenant = ForeignKey(references=Tenant, on_delete=OnDelete.cascade, index=True)
    url = Varchar(length=2000)
    events = JSON(default=[])
    secret = Varchar(length=100)
    active = Boolean(default=True)
    created_at = Timestamptz()


class WebhookDelivery(Table, tablename="webhook_delivery"):
    """The outbox: one row per event per webhook, retried with backoff until delivered."""

    id = UUID(primary_key=True)
    webhook = ForeignKey(references=Webhook, on_delete=OnDelete.cascade, index=True)
    tenant = ForeignKey(references=Tenant, on_delete=OnDelete.cascade, index=True)
    event = Varchar(length=40)
    payload = Text()
    state = Varchar(length=12, default="pending", index=True)  # pending | delivered | failed
    attempts = Integer(default=0)
    next_attempt_at = Timestamptz(index=True)
    last_error = Varchar(length=500, default="")
    created_at = Timestamptz()
    delivered_at = Timestamptz(null=True, default=None)


class TenantPlugin(Table, tablename="tenant_plugin"):
    """A tenant's plugin: a built-in's switch and configuration, or a declarative HTTP plugin."""

    id = UUID(primary_key=True)
    tenant = ForeignKey(references=Tenant, on_delete=OnDelete.cascade, index=True)
    name = Varchar(length=64)
    kind = Varchar(length=16, default="builtin")  # builtin | http
    enabled = Boolean(default=True)
    description = Text(default="")
    spec = JSON(default={})  # http: the HttpSpec; builtin: its configuration (no secrets)
    secret = Varchar(length=200, default="")  # signs requests; never returned by the API
    secret_headers = JSON(default={})  # e.g. an Authorization header; never returned
    created_at = Timestamptz()
    updated_at = Timestamptz()


class PluginCall(Table, tablename="plugin_call"):
    """Each plugin call, in the conversation's audit trail."""

    id = UUID(primary_key=True)
    tenant = ForeignKey(references=Tenant, on_delete=OnDelete.cascade, index=True)
    conversation = ForeignKey(
        references=Conversation, on_delete=OnDelete.cascade, null=True, index=True
    )
    plugin = Varchar(length=64)
    arguments = JSON(default={})
    outcome = Varchar(length=32)  # ok | an error code
    latency_ms = Integer(default=0)
    created_at = Timestamptz()


class AnswerRating(Table, tablename="answer_rating"):
    """A visitor's verdict on one bot answer (helpful or not); the last one counts."""

    message = UUID(primary_key=True)  # the bot message rated
    tenant = ForeignKey(references=Tenant, on_delete=OnDelete.cascade, index=True)
    conversation = ForeignKey(references=Conversation, on_delete=OnDelete.cascade, index=True)
    helpful = Boolean()
    created_at = Timestamptz()


class ConversationRating(Table, tablename="conversation_rating"):
    """A visitor's rating of a closed conversation (1-5, with an optional comment); the last
    one counts."""

    id = UUID(primary_key=True)
    conversation = ForeignKey(
        references=Conversation, on_delete=OnDelete.cascade, unique=True, index=True
    )
    tenant = ForeignKey(references=Tenant, on_delete=OnDelete.cascade)
    score = Integer()
    comment = Text(default="")
    created_at = Timestamptz()


class CannedResponse(Table, tablename="canned_response"):
    """A tenant's saved reply: agents insert it by typing ``/`` and its shortcut."""

    id = UUID(primary_key=True)
    tenant = ForeignKey(references=Tenant, on_delete=OnDelete.cascade, index=True)
    shortcut = Varchar(length=40)
    content = Text()
    created_at = Timestamptz()


class ConversationNote(Table, tablename="conversation_note"):
    """An agent's internal note on a conversation: agents see it, the visitor never does."""

    id = UUID(primary_key=True)
    tenant = ForeignKey(references=Tenant, on_delete=OnDelete.cascade)
    conversation = ForeignKey(references=Conversation, on_delete=OnDelete.cascade, index=True)
    author = Varchar(length=64, default="")
    author_name = Varchar(length=200, default="")
    content = Text()
    created_at = Timestamptz()


class ConversationLabel(Table, tablename="conversation_label"):
    """A label agents put on a conversation (``refund``, ``vip``); one row per label."""

    id = UUID(primary_key=True)
    tenant = ForeignKey(references=Tenant, on_delete=OnDelete.cascade, index=True)
    conversation = ForeignKey(references=Conversation, on_delete=OnDelete.cascade, index=True)
    label = Varchar(length=40)


class KbCheck(Table, tablename="kb_check"):
    """An owner's test question: what a visitor asks, and the document (and section) that must
    answer it; no expectation: the knowledge base does not hold the answer and the bot must
    decline. Every check runs after each knowledge-base change."""

    id = UUID(primary_key=True)
    tenant = ForeignKey(references=Tenant, on_delete=OnDelete.cascade, index=True)
    question = Text()
    history = JSON(default=[])  # the visitor's earlier messages (a follow-up question)
    expect = JSON(null=True)  # [{"document": …, "section": …}] or null: must decline
    created_at = Timestamptz()


class KbCheckRun(Table, tablename="kb_check_run"):
    """One run of a tenant's checks against one version of its knowledge base."""

    id = UUID(primary_key=True)
    tenant = ForeignKey(references=Tenant, on_delete=OnDelete.cascade, index=True)
    kb_version = Integer()
    report = JSON()
    created_at = Timestamptz(index=True)


class KbSite(Table, tablename="kb_site"):
    """A website imported into the knowledge base: one page, or every page of a sitemap (same
    site, robots.txt respected). Each page is a document whose source is its URL; a re-sync
    fetches them again (unchanged pages stay as they are)."""

    id = UUID(primary_key=True)
    tenant = ForeignKey(references=Tenant, on_delete=OnDelete.cascade, index=True)
    url = Varchar(length=2000)
    state = Varchar(length=12, default="syncing")  # syncing | done | failed
    pages = Integer(default=0)  # pages stored by the last sync
    skipped = JSON(default=[])  # [{"url": …, "why": …}] of the last sync
    last_error = Varchar(length=500, default="")
    synced_at = Timestamptz(null=True, default=None)
    created_at = Timestamptz()


class UnansweredQuestion(Table, tablename="unanswered_question"):
    """A visitor question the bot could not ground (it said it didn't know). Owners read them
    grouped by meaning and answer a group in one step: the answer becomes a knowledge-base
    entry, and the group's questions are marked answered by it."""

    id = UUID(primary_key=True)
    tenant = ForeignKey(references=Tenant, on_delete=OnDelete.cascade)
    conversation = ForeignKey(references=Conversation, on_delete=OnDelete.cascade, index=True)
    question = Text()
    language = Varchar(length=8, default="en")
    vector = Bytea(null=True, default=None)  # the question's embedding, for grouping
    vector_model = Varchar(length=100, default="")
    answered_by = Varchar(length=64, default="")  # the KB document written for it
    created_at = Timestamptz()


ALL_TABLES: tuple[type[Table], ...] = (
    Tenant,
    Visitor,
    Conversation,
    Message,
    KbDocument,
    KbChunk,
    User,
    ApiKey,
    AuditLog,
    Webhook,
    WebhookDelivery,
    TenantPlugin,
    PluginCall,
    AnswerRating,
    ConversationRating,
    CannedResponse,
    ConversationNote,
    ConversationLabel,
    KbCheck,
    KbCheckRun,
    UnansweredQuestion,
    KbSite,
)


def json_value(raw: object, default: object = None) -> object:
    """A JSON column's value: Postgres hands back objects, SQLite the encoded text."""
    if isinstance(raw, str | bytes):
        return msgspec.json.decode(raw) if raw else default
    return default if raw is None else raw
