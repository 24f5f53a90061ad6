"""Conversation persistence: gapless per-conversation ``seq``, idempotent sends.

The generic store uses Piccolo and one immediate transaction per append (SQLite, embedded).
On Postgres the two hot paths (append, read after seq) run as single statements on the
asyncpg pool: one round trip per message, row lock on the conversation keeping seq gapless.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Coroutine
from datetime import UTC, datetime
from typing import Any

import msgspec
from piccolo.engine.base import Engine

from ..db.engine import is_postgres, write_transaction
from ..db.tables import Conversation, Message, Tenant, Visitor, json_value
from ..errors import KefuError
from ..schemas import Citation, MessageOut

__all__ = [
    "Appended",
    "ConversationClosed",
    "NotAppended",
    "ConversationStore",
    "PostgresConversationStore",
    "ConversationRow",
    "TenantRow",
    "open_store",
]

_citations = msgspec.json.Decoder(list[Citation])
_enc = msgspec.json.Encoder()
_MESSAGE_COLUMNS = "id, seq, role, content, client_msg_id, citations, created_at"


class TenantRow(msgspec.Struct, frozen=True):
    id: str
    name: str
    slug: str
    kb_version: int


class Appended(msgspec.Struct, frozen=True):
    """A stored message, whether this call created it, and the conversation's status then."""

    message: MessageOut
    created: bool
    status: str


class NotAppended(Exception):
    """Nothing was stored: the conversation's status forbids it (see ``status``)."""

    def __init__(self, status: str) -> None:
        super().__init__(status)
        self.status = status


class ConversationClosed(NotAppended):
    """The conversation is closed; nothing more can be added to it."""


class ConversationRow(msgspec.Struct, frozen=True):
    id: str
    tenant_id: str
    visitor_id: str
    status: str
    last_seq: int
    assigned_agent: str | None = None


def _message(row: Any) -> MessageOut:
    citations = row["citations"]
    if isinstance(citations, str):
        citations = _citations.decode(citations) if citations else []
    elif citations:
        citations = msgspec.convert(citations, list[Citation])
    created = row["created_at"]
    if isinstance(created, str):
        created = datetime.fromisoformat(created)
    return MessageOut(
        id=str(row["id"]),
        seq=row["seq"],
        role=row["role"],
        content=row["content"],
        created_at=created,
        citations=citations or [],
        client_msg_id=row["client_msg_id"],
    )


def _conversation(row: Any) -> ConversationRow:
    agent = row["assigned_agent"]
    return ConversationRow(
        str(row["id"]),
        str(row["tenant"]),
        str(row["visitor"]),
        row["status"],
        row["last_seq"],
        str(agent) if agent else None,
    )


def _uuid(value: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(value)
    except (ValueError, TypeError, AttributeError):
        return None


class ConversationStore:
    """Conversations and messages through Piccolo (works on SQLite and Postgres)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    async def tenant_by_widget_key(self, widget_key: str) -> TenantRow | None:
        row = (
            await Tenant.select(Tenant.id, Tenant.name, Tenant.slug, Tenant.kb_version)
            .where((Tenant.widget_key == widget_key) & (Tenant.active == True))  # noqa: E712
            .first()
        )
        if row is None:
            return None
        return TenantRow(str(row["id"]), row["name"], row["slug"], row["kb_version"])

    async def visitor_by_external_id(self, tenant_id: str, external_id: str) -> str | None:
        row = (
            await Visitor.select(Visitor.id)
            .where((Visitor.tenant == uuid.UUID(tenant_id)) & (Visitor.external_id == external_id))
            .first()
        )
        return str(row["id"]) if row else None

    async def identify_visitor(
        self, conversation: ConversationRow, external_id: str, fields: dict[str, Any]
    ) -> str:
        """The conversation's visitor signed in as ``external_id`` (verified): the conversation
        becomes that user's — an earlier visitor with that id when there is one (their history
        joins up), else this visitor takes the id. The visitor id now holding it; 409 when
        another signed-in user holds it already."""
        async with write_transaction(self.engine):
            row = (
                await Visitor.select(Visitor.external_id, Visitor.profile)
                .where(Visitor.id == uuid.UUID(conversation.visitor_id))
                .first()
            )
            if row is None:
                raise KefuError(404, "conversation_not_found", "no such conversation")
            if row["external_id"] and row["external_id"] != external_id:
                raise KefuError(
                    409, "identity_conflict", "another signed-in user holds this conversation"
                )
            known = (
                await Visitor.select(Visitor.id, Visitor.profile)
                .where(
                    (Visitor.tenant == uuid.UUID(conversation.tenant_id))
                    & (Visitor.external_id == external_id)
                )
                .first()
            )
            anonymous = json_value(row["profile"], {}) or {}
            if known is None or str(known["id"]) == conversation.visitor_id:
                await Visitor.update(
                    {Visitor.external_id: external_id, Visitor.profile: {**anonymous, **fields}}
                ).where(Visitor.id == uuid.UUID(conversation.visitor_id))
                return conversation.visitor_id
            # What this visit knows (page, browser) joins what is known of the user.
            earlier = json_value(known["profile"], {}) or {}
            await Visitor.update({Visitor.profile: {**earlier, **anonymous, **fields}}).where(
                Visitor.id == known["id"]
            )
            await Conversation.update({Conversation.visitor: known["id"]}).where(
                Conversation.id == uuid.UUID(conversation.id)
            )
            return str(known["id"])

    async def start(
        self,
        tenant_id: str,
        profile: dict[str, Any] | None,
        visitor_id: str | None = None,
        external_id: str = "",
    ) -> ConversationRow:
        """A new conversation, for a new visitor or (``visitor_id``) one who came back, whose
        profile then takes the latest page, referrer and browser."""
        now = datetime.now(UTC)
        visitor = Visitor(
            tenant=tenant_id, profile=profile or {}, external_id=external_id, created_at=now
        )
        if visitor_id is not None:
            visitor.id = uuid.UUID(visitor_id)
        conversation = Conversation(
            tenant=tenant_id,
            visitor=visitor.id,
            status="bot",
            last_seq=0,
            created_at=now,
            updated_at=now,
        )
        async with write_transaction(self.engine):
            if visitor_id is None:
                await Visitor.insert(visitor)
            elif profile:
                # What is known of a returning visitor stays (an email they left, who they
                # are); the new visit's page, referrer and browser replace the old.
                row = await Visitor.select(Visitor.profile).where(Visitor.id == visitor.id).first()
                merged = {**(json_value(row["profile"], {}) or {}), **profile} if row else profile
                await Visitor.update({Visitor.profile: merged}).where(Visitor.id == visitor.id)
            await Conversation.insert(conversation)
        return ConversationRow(str(conversation.id), tenant_id, str(visitor.id), "bot", 0)

    async def get(self, conversation_id: str) -> ConversationRow | None:
        cid = _uuid(conversation_id)
        if cid is None:
            return None
        row = (
            await Conversation.select(*_CONVERSATION_COLUMNS).where(Conversation.id == cid).first()
        )
        return _conversation(row) if row else None

    async def transition(
        self,
        conversation_id: str,
        *,
        allowed_from: tuple[str, ...],
        to: str,
        assigned_agent: str | None,
        only_if_agent: str | None = None,
        reason: str | None = None,
    ) -> ConversationRow | None:
        """Move to ``to`` only from ``allowed_from`` (and only if ``only_if_agent`` holds it),
        in one statement: of two racing claims exactly one matches. None when nothing moved."""
        cid = _uuid(conversation_id)
        if cid is None:
            return None
        now = datetime.now(UTC)
        values: dict = {
            Conversation.status: to,
            Conversation.assigned_agent: uuid.UUID(assigned_agent) if assigned_agent else None,
            Conversation.updated_at: now,
        }
        if to == "queued":
            values[Conversation.queued_at] = now
        if reason is not None:
            values[Conversation.handoff_reason] = reason
        where = (Conversation.id == cid) & Conversation.status.is_in(list(allowed_from))
        if only_if_agent is not None:
            where &= Conversation.assigned_agent == uuid.UUID(only_if_agent)
        rows = await Conversation.update(values).where(where).returning(*_CONVERSATION_COLUMNS)
        return _conversation(rows[0]) if rows else None

    async def summary(self, conversation_id: str) -> dict | None:
        """One conversation as agents' lists show it."""
        cid = _uuid(conversation_id)
        if cid is None:
            return None
        return await Conversation.select(*_LIST_COLUMNS).where(Conversation.id == cid).first()

    async def listing(
        self,
        tenant_id: str,
        *,
        status: str,
        agent: str | None = None,
        limit: int = 200,
        among: list[str] | None = None,
    ) -> list[dict]:
        """Conversations of a tenant in ``status`` (oldest queued first; closed ones: the most
        recently closed first), for agents' lists; ``among``: only these ids."""
        where = (Conversation.tenant == uuid.UUID(tenant_id)) & (Conversation.status == status)
        if agent is not None:
            where &= Conversation.assigned_agent == uuid.UUID(agent)
        if among is not None:
            if not among:
                return []
            where &= Conversation.id.is_in([uuid.UUID(c) for c in among])
        if status == "closed":
            return await (
                Conversation.select(*_LIST_COLUMNS)
                .where(where)
                .order_by(Conversation.updated_at, ascending=False)
                .limit(limit)
            )
        rows = (
            await Conversation.select(*_LIST_COLUMNS)
            .where(where)
            .order_by(Conversation.queued_at)
            .order_by(Conversation.updated_at)
            .limit(limit)
        )
        return rows

    async def listing_by_ids(self, tenant_id: str, ids: list[str]) -> list[dict]:
        """These conversations of the tenant, as agents' lists show them."""
        if not ids:
            return []
        return await Conversation.select(*_LIST_COLUMNS).where(
            (Conversation.tenant == uuid.UUID(tenant_id))
            & Conversation.id.is_in([uuid.UUID(i) for i in ids])
        )

    async def last_messages(self, conversation_ids: list[str]) -> dict[str, tuple[str, str]]:
        """Each conversation's latest message from a person or the bot among its last five
        (notices such as "joined" left out): id -> (role, content), for list previews."""
        if not conversation_ids:
            return {}
        marks = ", ".join("{}" for _ in conversation_ids)
        rows = await Message.raw(
            "SELECT m.conversation AS conversation, m.role AS role, m.content AS content "
            "FROM message m JOIN conversation c ON c.id = m.conversation "
            f"WHERE c.id IN ({marks}) AND m.seq > c.last_seq - 5 AND m.role <> 'system' "
            "ORDER BY m.seq",
            *[uuid.UUID(c) for c in conversation_ids],
        )
        return {str(r["conversation"]): (r["role"], r["content"]) for r in rows}  # the last wins

    async def queue_position(self, tenant_id: str, conversation_id: str) -> int:
        """1 for the conversation queued longest, and so on (0 when not queued)."""
        mine = (
            await Conversation.select(Conversation.queued_at, Conversation.status)
            .where(Conversation.id == uuid.UUID(conversation_id))
            .first()
        )
        if mine is None or mine["status"] != "queued" or mine["queued_at"] is None:
            return 0
        ahead = await Conversation.count().where(
            (Conversation.tenant == uuid.UUID(tenant_id))
            & (Conversation.status == "queued")
            & (Conversation.queued_at < mine["queued_at"])
        )
        return ahead + 1

    async def find_by_client_msg_id(self, cid: uuid.UUID, client_msg_id: str) -> MessageOut | None:
        row = (
            await Message.select(*_columns())
            .where((Message.conversation == cid) & (Message.client_msg_id == client_msg_id))
            .first()
        )
        return _message(row) if row else None

    async def append(
        self,
        conversation_id: str,
        role: str,
        content: str,
        *,
        client_msg_id: str | None = None,
        citations: list[Citation] | None = None,
        message_id: str | None = None,
        only_if_status: str | None = None,
        allow_closed: bool = False,
    ) -> Appended | None:
        """Store a message with the next seq; None if there is no such conversation.

        The same ``client_msg_id`` twice returns the first message with ``created=False``.
        Raises :class:`ConversationClosed` for a new message in a closed conversation, and
        :class:`NotAppended` when ``only_if_status`` is given and the status differs (checked in
        the same transaction that stores the message).
        """
        cid = uuid.UUID(conversation_id)
        mid = uuid.UUID(message_id) if message_id else uuid.uuid4()
        now = datetime.now(UTC)
        async with write_transaction(self.engine):
            if client_msg_id is not None:
                existing = await self.find_by_client_msg_id(cid, client_msg_id)
                if existing is not None:
                    return Appended(existing, False, await self._status(cid) or "closed")
            bumped = await Conversation.raw(
                "UPDATE conversation SET last_seq = last_seq + 1, updated_at = {} "
                "WHERE id = {} AND ({} OR status <> 'closed') AND status = coalesce({}, status) "
                "RETURNING last_seq, status",
                now,
                cid,
                allow_closed,
                only_if_status,
            )
            if not bumped:
                return await self._refused(cid)
            seq, status = bumped[0]["last_seq"], bumped[0]["status"]
            await Message.insert(
                Message(
                    id=mid,
                    conversation=cid,
                    seq=seq,
                    role=role,
                    content=content,
                    client_msg_id=client_msg_id,
                    citations=_enc.encode(citations or []).decode(),
                    created_at=now,
                )
            )
        message = MessageOut(
            id=str(mid),
            seq=seq,
            role=role,  # type: ignore[arg-type]
            content=content,
            created_at=now,
            citations=citations or [],
            client_msg_id=client_msg_id,
        )
        return Appended(message, True, status)

    async def _status(self, cid: uuid.UUID) -> str | None:
        row = await Conversation.select(Conversation.status).where(Conversation.id == cid).first()
        return row["status"] if row else None

    async def _refused(self, cid: uuid.UUID) -> None:
        """Why nothing was stored: no conversation (None), or its status (raises)."""
        status = await self._status(cid)
        if status is None:
            return None
        if status == "closed":
            raise ConversationClosed(status)
        raise NotAppended(status)

    async def after(self, conversation_id: str, after_seq: int, limit: int) -> list[MessageOut]:
        """Messages with seq > after_seq, oldest first, at most ``limit``."""
        rows = (
            await Message.select(*_columns())
            .where((Message.conversation == uuid.UUID(conversation_id)) & (Message.seq > after_seq))
            .order_by(Message.seq)
            .limit(limit)
        )
        return [_message(r) for r in rows]

    async def ping(self, timeout_s: float = 2.0) -> bool:
        """The database answers a query within ``timeout_s``."""
        return await within(Tenant.raw("SELECT 1").run(), timeout_s)

    async def writable(self, timeout_s: float = 2.0) -> bool:
        """The database takes a write (embedded SQLite: its disk may be full or read-only;
        Postgres reports its own)."""
        if is_postgres(self.engine):
            return True

        async def probe() -> None:
            async with write_transaction(self.engine):
                await Tenant.raw(
                    "CREATE TABLE IF NOT EXISTS kefu_probe (id INTEGER PRIMARY KEY, at TEXT)"
                ).run()
                await Tenant.raw(
                    "INSERT OR REPLACE INTO kefu_probe (id, at) VALUES (1, {})",
                    datetime.now(UTC).isoformat(),
                ).run()

        return await within(probe(), timeout_s)


async def within(work: Coroutine[Any, Any, Any], timeout_s: float) -> bool:
    """Did ``work`` succeed within ``timeout_s``? A database that is frozen (not refusing) may
    not even let a cancelled query go: it is left to unwind by itself, never waited on."""
    task = asyncio.ensure_future(work)
    done, _ = await asyncio.wait({task}, timeout=timeout_s)
    if not done:
        task.cancel()
        task.add_done_callback(lambda t: t.cancelled() or t.exception())
        return False
    return task.exception() is None


_CONVERSATION_COLUMNS = (
    Conversation.id,
    Conversation.tenant,
    Conversation.visitor,
    Conversation.status,
    Conversation.last_seq,
    Conversation.assigned_agent,
)
#: What agents' lists show of a conversation.
_LIST_COLUMNS = (
    *_CONVERSATION_COLUMNS,
    Conversation.queued_at,
    Conversation.updated_at,
    Conversation.handoff_reason,
)


def _columns() -> tuple:
    return (
        Message.id,
        Message.seq,
        Message.role,
        Message.content,
        Message.client_msg_id,
        Message.citations,
        Message.created_at,
    )


_PG_APPEND = f"""
WITH existing AS (
    SELECT {_MESSAGE_COLUMNS}, false AS created FROM message
    WHERE conversation = $1 AND client_msg_id = $2
), bump AS (
    UPDATE conversation SET last_seq = last_seq + 1, updated_at = $7
    WHERE id = $1 AND ($9::bool OR status <> 'closed') AND status = coalesce($8::varchar, status)
      AND NOT EXISTS (SELECT 1 FROM existing)
    RETURNING last_seq, status
), ins AS (
    INSERT INTO message (id, conversation, seq, role, content, client_msg_id, citations, created_at)
    SELECT $3, $1, bump.last_seq, $4, $5, $2, $6::json, $7 FROM bump
    RETURNING {_MESSAGE_COLUMNS}, true AS created
)
SELECT ins.*, (SELECT status FROM bump) AS status FROM ins
UNION ALL
SELECT existing.*, (SELECT status FROM conversation WHERE id = $1) AS status FROM existing
"""

_PG_GET = (
    "SELECT id, tenant, visitor, status, last_seq, assigned_agent FROM conversation WHERE id = $1"
)

_PG_AFTER = f"""
SELECT {_MESSAGE_COLUMNS} FROM message
WHERE conversation = $1 AND seq > $2 ORDER BY seq LIMIT $3
"""


class PostgresConversationStore(ConversationStore):
    """Same contract; hot paths as single statements on the asyncpg pool."""

    async def append(
        self,
        conversation_id: str,
        role: str,
        content: str,
        *,
        client_msg_id: str | None = None,
        citations: list[Citation] | None = None,
        message_id: str | None = None,
        only_if_status: str | None = None,
        allow_closed: bool = False,
    ) -> Appended | None:
        import asyncpg

        cid = uuid.UUID(conversation_id)
        mid = uuid.UUID(message_id) if message_id else uuid.uuid4()
        args = (
            cid,
            client_msg_id,
            mid,
            role,
            content,
            _enc.encode(citations or []).decode(),
            datetime.now(UTC),
            only_if_status,
            allow_closed,
        )
        pool = self.engine.pool  # type: ignore[attr-defined]
        try:
            row = await pool.fetchrow(_PG_APPEND, *args)
        except asyncpg.UniqueViolationError:
            # A concurrent send with the same client_msg_id won; the statement rolled back whole.
            assert client_msg_id is not None
            row = await pool.fetchrow(_PG_APPEND, *args)
        if row is None:
            return await self._refused(cid)
        return Appended(_message(row), row["created"], row["status"])

    async def get(self, conversation_id: str) -> ConversationRow | None:
        cid = _uuid(conversation_id)
        if cid is None:
            return None
        row = await self.engine.pool.fetchrow(_PG_GET, cid)  # type: ignore[attr-defined]
        return _conversation(row) if row else None

    async def after(self, conversation_id: str, after_seq: int, limit: int) -> list[MessageOut]:
        pool = self.engine.pool  # type: ignore[attr-defined]
        rows = await pool.fetch(_PG_AFTER, uuid.UUID(conversation_id), after_seq, limit)
        return [_message(r) for r in rows]


def open_store(engine: Engine) -> ConversationStore:
    from ..db.engine import is_postgres

    return PostgresConversationStore(engine) if is_postgres(engine) else ConversationStore(engine)
