"""Conversations for admins: filter and search, read a transcript, export as JSONL or CSV."""

from __future__ import annotations

import csv
import io
import uuid
from collections.abc import AsyncIterator
from datetime import datetime
from typing import Annotated

import msgspec
from litestar import Controller, Request, get
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, FromQuery, Parameter
from litestar.response import Stream

from shared.auth.scopes import Principal
from shared.conversations.archive import Archive, ConversationFilter, ConversationRecord
from shared.errors import KefuError
from shared.openapi import ADMIN, errors
from shared.schemas import MessageOut, Status
from shared.services import Services

from .access import audit
from .schemas import ConversationOut, Transcript

__all__ = ["ConversationAdminController"]

_archive = Archive()


def _out(record: ConversationRecord) -> ConversationOut:
    return ConversationOut(**msgspec.structs.asdict(record))  # type: ignore[arg-type]


async def conversation_filter(
    status: FromQuery[Status | None] = None,
    agent: FromQuery[str | None] = None,
    q: Annotated[str | None, Parameter(max_length=200)] = None,
    since: FromQuery[datetime | None] = None,
    until: FromQuery[datetime | None] = None,
) -> ConversationFilter:
    """The filter every listing and export takes from its query (``q``: words in any message)."""
    if agent is not None:
        try:
            uuid.UUID(agent)
        except ValueError:
            raise KefuError(400, "invalid_parameter", "agent: must be a user id") from None
    return ConversationFilter(status=status, agent=agent, q=q or None, since=since, until=until)


async def _all_messages(services: Services, conversation_id: str) -> list[MessageOut]:
    messages: list[MessageOut] = []
    while True:
        page = await services.store.after(
            conversation_id, messages[-1].seq if messages else 0, 1000
        )
        messages.extend(page)
        if len(page) < 1000:
            return messages


def _attachment(extension: str) -> dict[str, str]:
    return {"Content-Disposition": f'attachment; filename="conversations.{extension}"'}


def spreadsheet_safe(text: str) -> str:
    """A cell a spreadsheet shows as text: one that would start a formula (``=``, ``+``, ``-``,
    ``@``, or a tab/CR before them) gets a leading apostrophe, as OWASP advises for CSV."""
    if text and (text[0] in "=+-@\t\r" or text.lstrip()[:1] in ("=", "+", "-", "@")):
        return "'" + text
    return text


@errors(400, 401, 403, 404)
class ConversationAdminController(Controller):
    path = "/api/v1/admin/conversations"
    tags = ["admin: conversations"]
    security = ADMIN
    dependencies = {"where": Provide(conversation_filter)}

    @get("/")
    async def search(
        self,
        principal: NamedDependency[Principal],
        where: NamedDependency[ConversationFilter],
        before: FromQuery[datetime | None] = None,
        limit: Annotated[int, Parameter(ge=1, le=500)] = 50,
    ) -> list[ConversationOut]:
        """Newest activity first. ``q`` searches message text; page with ``before`` = the last
        row's ``updated_at``."""
        tenant_id = principal.require("conversations:read")
        page = msgspec.structs.replace(where, before=before)
        return [_out(r) for r in await _archive.search(tenant_id, page, limit)]

    @get("/export.jsonl", media_type="application/x-ndjson")
    async def export_jsonl(
        self,
        request: Request,
        principal: NamedDependency[Principal],
        services: NamedDependency[Services],
        where: NamedDependency[ConversationFilter],
    ) -> Stream:
        """Transcripts of every matching conversation, streamed: one JSON line per conversation
        (``{"conversation": {...}, "messages": [...]}``)."""
        tenant_id = principal.require("conversations:read")
        await audit(request, services, principal, "conversations.export", "", {"format": "jsonl"})

        async def lines() -> AsyncIterator[bytes]:
            async for record in _archive.export(tenant_id, where):
                messages = await _all_messages(services, record.conversation_id)
                yield msgspec.json.encode(Transcript(conversation=_out(record), messages=messages))
                yield b"\n"

        return Stream(lines(), headers=_attachment("jsonl"))

    @get("/export.csv", media_type="text/csv; charset=utf-8")
    async def export_csv(
        self,
        request: Request,
        principal: NamedDependency[Principal],
        services: NamedDependency[Services],
        where: NamedDependency[ConversationFilter],
    ) -> Stream:
        """The same, one row per message: conversation_id, status, seq, role, created_at,
        content."""
        tenant_id = principal.require("conversations:read")
        await audit(request, services, principal, "conversations.export", "", {"format": "csv"})

        async def rows() -> AsyncIterator[str]:
            buffer = io.StringIO()
            writer = csv.writer(buffer)
            writer.writerow(["conversation_id", "status", "seq", "role", "created_at", "content"])
            async for record in _archive.export(tenant_id, where):
                for m in await _all_messages(services, record.conversation_id):
                    writer.writerow(
                        [
                            record.conversation_id,
                            record.status,
                            m.seq,
                            m.role,
                            m.created_at.isoformat(),
                            spreadsheet_safe(m.content),
                        ]
                    )
                yield buffer.getvalue()
                buffer.seek(0)
                buffer.truncate()
            yield buffer.getvalue()

        return Stream(rows(), headers=_attachment("csv"))

    @get("/{conversation_id:str}")
    async def transcript(
        self,
        conversation_id: FromPath[str],
        principal: NamedDependency[Principal],
        services: NamedDependency[Services],
    ) -> Transcript:
        """The conversation and all its messages."""
        tenant_id = principal.require("conversations:read")
        record = await _archive.get(tenant_id, conversation_id)
        if record is None:
            raise KefuError(404, "conversation_not_found", "no such conversation")
        return Transcript(
            conversation=_out(record),
            messages=await _all_messages(services, record.conversation_id),
        )
