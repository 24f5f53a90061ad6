"""Agents search the messages of their tenant's conversations.

Each message's search terms are those retrieval uses (English stemmed: "refunds" finds
"refund"; Chinese segmented: "退货" finds "我想退货运费谁出"; single Chinese characters too),
computed off the write path: a background indexer takes messages not indexed yet, tokenises
them in a worker thread and stores the terms — on Postgres as text searched through a GIN index
over the term array (exact terms, no text-search parser between), on SQLite into an FTS5 table.
A search first indexes what is still waiting (up to ``CATCH_UP``), so a message sent a moment
ago is found. A message matches when it holds every term of the query. Traditional Chinese is
indexed both as written and as simplified, and a query in it is searched both ways, so 退貨 and
退货 find each other (messages indexed before that are found as written)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from datetime import datetime

import msgspec

from ..db.engine import is_postgres, write_transaction
from ..db.tables import Message
from ..kb.tokenize import CHAR_PREFIX, CJK_CHAR, simplified, tokens
from ..tasks import cancel_and_wait

__all__ = ["MessageSearch", "SearchHit", "terms_of", "query_terms", "query_forms"]

log = logging.getLogger("kefu.search")

BATCH = 500
CATCH_UP = 2000
_MAX_TERMS = 12


class SearchHit(msgspec.Struct, frozen=True):
    conversation_id: str
    message: str  # the latest matching message
    at: datetime


def _written_terms(text: str) -> list[str]:
    return [t for t in tokens(text, concepts=False, simplify=False) if " " not in t]


def terms_of(text: str) -> list[str]:
    """A message's distinct search terms, in order: as written, and for traditional Chinese
    (or written Cantonese) as simplified Mandarin too."""
    terms = _written_terms(text)
    plain = simplified(text)
    if plain != text:
        terms += _written_terms(plain)
    return list(dict.fromkeys(terms))


def query_forms(text: str) -> list[list[str]]:
    """The ways ``text`` is searched: as simplified, and as written when that differs (for
    messages indexed before traditional Chinese was also indexed as simplified). A message
    matches one form when it holds every term of it."""
    plain = simplified(text)
    forms = [query_terms(plain)] + ([query_terms(text)] if plain != text else [])
    return [form[:_MAX_TERMS] for form in forms if form]


def query_terms(text: str) -> list[str]:
    """What a message must hold to match ``text`` (as written). Chinese by its characters:
    segmentation cuts the same characters differently in different sentences ("需要开发票" holds
    开发 and 票, not 发票), while every Chinese run of a message also keeps its single
    characters."""
    out = []
    for term in _written_terms(text):
        if CJK_CHAR.match(term):
            if len(term) == 1:
                out.append(CHAR_PREFIX + term)
            continue  # its characters follow it as ·x terms
        out.append(term)
    return list(dict.fromkeys(out))


class MessageSearch:
    def __init__(self, engine, *, interval_s: float = 2.0, first_after_s: float = 5.0) -> None:
        self.engine = engine
        self._interval_s = interval_s
        self._first_after_s = first_after_s  # let start-up (model, embedder, tokenizer) go first
        self._task: asyncio.Task | None = None
        self._lock = asyncio.Lock()  # one indexing pass at a time in this process

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self._run(), name="message-search-indexer")

    async def stop(self) -> None:
        if self._task is not None:
            await cancel_and_wait(self._task)
            self._task = None

    async def _run(self) -> None:
        await asyncio.sleep(self._first_after_s)
        while True:
            try:
                done = await self.index_backlog(BATCH)
            except Exception as exc:  # noqa: BLE001 - database away: try again shortly
                log.warning("message search indexing failed: %s", exc)
                done = 0
            if done < BATCH:
                await asyncio.sleep(self._interval_s)

    async def index_backlog(self, limit: int = BATCH) -> int:
        """Index up to ``limit`` messages not indexed yet; how many were."""
        async with self._lock:
            rows = await Message.raw(
                "SELECT m.id AS id, m.content AS content, c.tenant AS tenant, "
                "m.conversation AS conversation FROM message m "
                "JOIN conversation c ON c.id = m.conversation "
                "WHERE m.search_terms IS NULL ORDER BY m.created_at LIMIT {}",
                limit,
            )
            if not rows:
                return 0
            terms = await asyncio.to_thread(
                lambda: [" ".join(terms_of(r["content"])) for r in rows]
            )
            if is_postgres(self.engine):
                await Message.raw(
                    "UPDATE message m SET search_terms = x.terms "
                    "FROM unnest({}::uuid[], {}::text[]) AS x(id, terms) "
                    "WHERE m.id = x.id AND m.search_terms IS NULL",
                    [_uuid(r["id"]) for r in rows],
                    terms,
                )
            else:
                async with write_transaction(self.engine):
                    for row, text in zip(rows, terms, strict=True):
                        await Message.raw(
                            "UPDATE message SET search_terms = {} WHERE id = {}", text, row["id"]
                        )
                        await Message.raw(
                            "INSERT INTO message_fts (terms, message_id, conversation, tenant) "
                            "VALUES ({}, {}, {}, {})",
                            text, str(row["id"]), str(row["conversation"]), str(row["tenant"]),
                        )  # fmt: skip
            return len(rows)

    async def search(
        self, tenant_id: str, query: str, *, status: str | None = None, limit: int = 50
    ) -> list[SearchHit]:
        """Conversations whose messages hold every term of ``query``, the most recent match
        first (one hit per conversation)."""
        forms = query_forms(query)
        if not forms:
            return []
        with contextlib.suppress(Exception):  # a search still answers when the catch-up can't
            await self.index_backlog(CATCH_UP)
        tid = uuid.UUID(tenant_id)
        status_clause = " AND c.status = {}" if status else ""
        if is_postgres(self.engine):
            rows = await Message.raw(
                "SELECT m.conversation AS conversation, m.content AS content, "
                "m.created_at AS at FROM message m JOIN conversation c ON c.id = m.conversation "
                "WHERE c.tenant = {} AND ("
                + " OR ".join(["string_to_array(m.search_terms, ' ') @> {}::text[]"] * len(forms))
                + ")"
                + status_clause
                + " ORDER BY m.created_at DESC LIMIT {}",
                *([tid, *forms] + ([status] if status else []) + [limit * 4]),
            )
        else:
            match = " OR ".join(
                "(" + " AND ".join('"' + t.replace('"', '""') + '"' for t in form) + ")"
                for form in forms
            )
            rows = await Message.raw(
                "SELECT m.conversation AS conversation, m.content AS content, "
                "m.created_at AS at FROM message_fts f JOIN message m ON m.id = f.message_id "
                "JOIN conversation c ON c.id = m.conversation "
                "WHERE message_fts MATCH {} AND f.tenant = {}"
                + status_clause
                + " ORDER BY m.created_at DESC LIMIT {}",
                *([match, str(tid)] + ([status] if status else []) + [limit * 4]),
            )
        hits: dict[str, SearchHit] = {}
        for r in rows:
            cid = str(r["conversation"])
            if cid not in hits:
                at = r["at"] if isinstance(r["at"], datetime) else datetime.fromisoformat(r["at"])
                hits[cid] = SearchHit(cid, r["content"][:300], at)
        return list(hits.values())[:limit]


def _uuid(value: object) -> uuid.UUID:
    return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
