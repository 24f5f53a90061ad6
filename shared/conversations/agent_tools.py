"""Agents' tools around a conversation: a tenant's canned responses, internal notes (agents
only, never on a visitor's stream or in their history) and labels."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import msgspec

from ..db.engine import write_transaction
from ..db.tables import CannedResponse, ConversationLabel, ConversationNote
from ..errors import KefuError

__all__ = ["AgentTools", "Canned", "Note", "MAX_CANNED", "MAX_LABELS"]

MAX_CANNED = 500
MAX_LABELS = 20


class Canned(msgspec.Struct, frozen=True):
    id: str
    shortcut: str
    content: str  # may hold {{visitor.name}}, {{agent.name}}: the console fills them in


class Note(msgspec.Struct, frozen=True):
    id: str
    author_id: str
    author_name: str
    content: str
    created_at: datetime


def _canned(row: dict) -> Canned:
    return Canned(str(row["id"]), row["shortcut"], row["content"])


class AgentTools:
    def __init__(self, engine) -> None:
        self.engine = engine

    async def canned(self, tenant_id: str) -> list[Canned]:
        rows = (
            await CannedResponse.select()
            .where(CannedResponse.tenant == uuid.UUID(tenant_id))
            .order_by(CannedResponse.shortcut)
        )
        return [_canned(r) for r in rows]

    async def save_canned(
        self, tenant_id: str, shortcut: str, content: str, canned_id: str | None = None
    ) -> Canned:
        """Add a canned response, or (``canned_id``) change one; shortcuts are unique."""
        tid, shortcut = uuid.UUID(tenant_id), shortcut.strip().lstrip("/").lower()
        async with write_transaction(self.engine):
            clash = (
                await CannedResponse.select(CannedResponse.id)
                .where((CannedResponse.tenant == tid) & (CannedResponse.shortcut == shortcut))
                .first()
            )
            if clash and str(clash["id"]) != canned_id:
                raise KefuError(409, "shortcut_taken", f"/{shortcut} is already a canned response")
            if canned_id is None:
                if await CannedResponse.count().where(CannedResponse.tenant == tid) >= MAX_CANNED:
                    raise KefuError(422, "too_many_canned", f"at most {MAX_CANNED} per tenant")
                row = CannedResponse(
                    id=uuid.uuid4(), tenant=tid, shortcut=shortcut, content=content,
                    created_at=datetime.now(UTC),
                )  # fmt: skip
                await CannedResponse.insert(row)
                return Canned(str(row.id), shortcut, content)
            changed = (
                await CannedResponse.update(
                    {CannedResponse.shortcut: shortcut, CannedResponse.content: content}
                )
                .where((CannedResponse.tenant == tid) & (CannedResponse.id == _id(canned_id)))
                .returning(CannedResponse.id)
            )
        if not changed:
            raise KefuError(404, "canned_not_found", "no such canned response")
        return Canned(canned_id, shortcut, content)

    async def delete_canned(self, tenant_id: str, canned_id: str) -> bool:
        async with write_transaction(self.engine):
            gone = (
                await CannedResponse.delete()
                .where(
                    (CannedResponse.tenant == uuid.UUID(tenant_id))
                    & (CannedResponse.id == _id(canned_id))
                )
                .returning(CannedResponse.id)
            )
        return bool(gone)

    async def notes(self, conversation_id: str) -> list[Note]:
        rows = (
            await ConversationNote.select()
            .where(ConversationNote.conversation == uuid.UUID(conversation_id))
            .order_by(ConversationNote.created_at)
        )
        return [
            Note(str(r["id"]), r["author"], r["author_name"], r["content"], r["created_at"])
            for r in rows
        ]

    async def add_note(
        self, tenant_id: str, conversation_id: str, author_id: str, author_name: str, content: str
    ) -> Note:
        note = ConversationNote(
            id=uuid.uuid4(), tenant=uuid.UUID(tenant_id), conversation=uuid.UUID(conversation_id),
            author=author_id, author_name=author_name, content=content, created_at=datetime.now(UTC),
        )  # fmt: skip
        async with write_transaction(self.engine):
            await ConversationNote.insert(note)
        return Note(str(note.id), author_id, author_name, content, note.created_at)

    async def labelled(self, tenant_id: str, label: str, limit: int = 1000) -> list[str]:
        """The ids of the tenant's conversations with ``label`` (newest labelling first)."""
        rows = (
            await ConversationLabel.select(ConversationLabel.conversation)
            .where(
                (ConversationLabel.tenant == uuid.UUID(tenant_id))
                & (ConversationLabel.label == label.strip().lower())
            )
            .limit(limit)
        )
        return [str(r["conversation"]) for r in rows]

    async def labels_of(self, conversation_ids: list[str]) -> dict[str, list[str]]:
        if not conversation_ids:
            return {}
        rows = await ConversationLabel.select(
            ConversationLabel.conversation, ConversationLabel.label
        ).where(ConversationLabel.conversation.is_in([uuid.UUID(c) for c in conversation_ids]))
        found: dict[str, list[str]] = {}
        for r in rows:
            found.setdefault(str(r["conversation"]), []).append(r["label"])
        return {k: sorted(v) for k, v in found.items()}

    async def labels(self, conversation_id: str) -> list[str]:
        rows = await ConversationLabel.select(ConversationLabel.label).where(
            ConversationLabel.conversation == uuid.UUID(conversation_id)
        )
        return sorted(r["label"] for r in rows)

    async def set_labels(
        self, tenant_id: str, conversation_id: str, labels: list[str]
    ) -> list[str]:
        """Replace the conversation's labels (trimmed, lower-case, each once)."""
        wanted = sorted({x.strip().lower() for x in labels if x.strip()})
        if len(wanted) > MAX_LABELS:
            raise KefuError(422, "too_many_labels", f"at most {MAX_LABELS} labels")
        cid = uuid.UUID(conversation_id)
        async with write_transaction(self.engine):
            await ConversationLabel.delete().where(ConversationLabel.conversation == cid)
            if wanted:
                await ConversationLabel.insert(
                    *[
                        ConversationLabel(
                            id=uuid.uuid4(), tenant=uuid.UUID(tenant_id), conversation=cid, label=x
                        )
                        for x in wanted
                    ]
                )
        return wanted


def _id(value: str) -> uuid.UUID:
    try:
        return uuid.UUID(value)
    except ValueError:
        raise KefuError(404, "canned_not_found", "no such canned response") from None
