"""Conversations as records: filter and search, transcripts, exports, and retention purges."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import msgspec

from ..db.tables import Conversation, Message, Tenant, Visitor, WebhookDelivery
from .rules import parse_settings

__all__ = ["ConversationFilter", "ConversationRecord", "Archive"]


class ConversationFilter(msgspec.Struct, frozen=True, kw_only=True):
    status: str | None = None
    agent: str | None = None
    q: str | None = None  # words in any message
    since: datetime | None = None  # created at or after
    until: datetime | None = None  # created before
    before: datetime | None = None  # page cursor: updated before this (newest first)


class ConversationRecord(msgspec.Struct, frozen=True, kw_only=True):
    conversation_id: str
    status: str
    visitor_id: str
    assigned_agent: str | None
    handoff_reason: str
    messages: int
    created_at: datetime
    updated_at: datetime


_COLUMNS = (
    Conversation.id,
    Conversation.status,
    Conversation.visitor,
    Conversation.assigned_agent,
    Conversation.handoff_reason,
    Conversation.last_seq,
    Conversation.created_at,
    Conversation.updated_at,
)


def _record(row: dict) -> ConversationRecord:
    agent = row["assigned_agent"]
    return ConversationRecord(
        conversation_id=str(row["id"]),
        status=row["status"],
        visitor_id=str(row["visitor"]),
        assigned_agent=str(agent) if agent else None,
        handoff_reason=row["handoff_reason"],
        messages=row["last_seq"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
    )


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


class Archive:
    async def search(
        self, tenant_id: str, where: ConversationFilter, limit: int = 50
    ) -> list[ConversationRecord]:
        """Newest activity first; page with ``before`` = the last row's ``updated_at``."""
        clause = Conversation.tenant == uuid.UUID(tenant_id)
        if where.status:
            clause &= Conversation.status == where.status
        if where.agent:
            clause &= Conversation.assigned_agent == uuid.UUID(where.agent)
        if where.since is not None:
            clause &= Conversation.created_at >= where.since
        if where.until is not None:
            clause &= Conversation.created_at < where.until
        if where.before is not None:
            clause &= Conversation.updated_at < where.before
        if where.q:
            pattern = f"%{_escape_like(where.q)}%"
            # SQLite's LIKE already ignores ASCII case; Postgres needs ILIKE.
            sqlite = Message._meta.db.engine_type == "sqlite"
            text_matches = (
                Message.content.like(pattern) if sqlite else Message.content.ilike(pattern)
            )
            matching = await (
                Message.select(Message.conversation)
                .where((Message.conversation.tenant == uuid.UUID(tenant_id)) & text_matches)
                .distinct()
                .limit(5000)
            )
            ids = [r["conversation"] for r in matching]
            if not ids:
                return []
            clause &= Conversation.id.is_in(ids)
        rows = (
            await Conversation.select(*_COLUMNS)
            .where(clause)
            .order_by(Conversation.updated_at, ascending=False)
            .limit(limit)
        )
        return [_record(r) for r in rows]

    async def get(self, tenant_id: str, conversation_id: str) -> ConversationRecord | None:
        try:
            cid = uuid.UUID(conversation_id)
        except ValueError:
            return None
        row = (
            await Conversation.select(*_COLUMNS)
            .where((Conversation.id == cid) & (Conversation.tenant == uuid.UUID(tenant_id)))
            .first()
        )
        return _record(row) if row else None

    async def export(
        self, tenant_id: str, where: ConversationFilter, page: int = 200
    ) -> AsyncIterator[ConversationRecord]:
        """Every matching conversation, newest first, fetched a page at a time."""
        cursor = where
        while True:
            batch = await self.search(tenant_id, cursor, limit=page)
            for record in batch:
                yield record
            if len(batch) < page:
                return
            cursor = msgspec.structs.replace(cursor, before=batch[-1].updated_at)

    async def purge(self, now: datetime | None = None) -> dict[str, int]:
        """Delete conversations (with messages and visitors) past each tenant's retention."""
        now = now or datetime.now(UTC)
        removed: dict[str, int] = {}
        for tenant in await Tenant.select(Tenant.id, Tenant.slug, Tenant.settings):
            try:
                days = parse_settings(tenant["settings"]).retention_days
            except (msgspec.ValidationError, msgspec.DecodeError):
                continue
            if days <= 0:
                continue
            cutoff = now - timedelta(days=days)
            old = await Conversation.select(Conversation.id, Conversation.visitor).where(
                (Conversation.tenant == tenant["id"]) & (Conversation.updated_at < cutoff)
            )
            if not old:
                continue
            ids = [r["id"] for r in old]
            for start in range(0, len(ids), 500):
                await Conversation.delete().where(Conversation.id.is_in(ids[start : start + 500]))
            visitors = list({r["visitor"] for r in old})
            still = {
                r["visitor"]
                for r in await Conversation.select(Conversation.visitor).where(
                    Conversation.visitor.is_in(visitors)
                )
            }
            gone = [v for v in visitors if v not in still]
            if gone:
                await Visitor.delete().where(Visitor.id.is_in(gone))
            removed[tenant["slug"]] = len(ids)
        # Delivered or abandoned webhook deliveries are kept 30 days for inspection.
        await WebhookDelivery.delete().where(
            (WebhookDelivery.state != "pending")
            & (WebhookDelivery.created_at < now - timedelta(days=30))
        )
        return removed
