"""A tenant's numbers over the last ``days``, computed by the database (aggregates over indexed
ranges: conversation (tenant, created_at) and (tenant, queued_at); the agents' first replies by a
partial index on message), in the owner's time zone. Per-day figures count conversations by the
day they started, with their messages. Postgres and SQLite differ only in how a timestamp
becomes a local day, hour or duration (``_Dialect``)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import msgspec
import numpy as np

from ..db.engine import is_postgres
from ..db.tables import Conversation
from ..llm.gateway import normalise_question

__all__ = [
    "Analytics",
    "Overview",
    "DayCount",
    "ResponseTimes",
    "Percentiles",
    "HourCount",
    "TopQuestion",
]


class DayCount(msgspec.Struct, frozen=True):
    day: str  # YYYY-MM-DD, in the requested time zone
    conversations: int
    contained: int  # answered by the bot alone
    handed_off: int  # queued for a human at some point
    messages: int  # in the conversations started that day


class Overview(msgspec.Struct, frozen=True):
    days: int
    timezone: str
    conversations: int
    messages: int
    contained: int
    handed_off: int
    handoff_reasons: dict[str, int]  # visitor_asked, ungrounded, tenant_rule, plugin, …
    per_day: list[DayCount]


class Percentiles(msgspec.Struct, frozen=True):
    count: int
    p50_s: float | None
    p90_s: float | None


class ResponseTimes(msgspec.Struct, frozen=True):
    days: int
    handed_off: int
    first_response: Percentiles  # queued -> the first agent message
    resolution: Percentiles  # queued -> closed


class HourCount(msgspec.Struct, frozen=True):
    weekday: int  # Monday = 0
    hour: int
    conversations: int


class TopQuestion(msgspec.Struct, frozen=True):
    question: str
    count: int


class _Dialect:
    """How a timestamp column becomes a local day / weekday / hour, and a duration in seconds."""

    def __init__(self, postgres: bool, timezone: str) -> None:
        self.postgres = postgres
        if postgres:
            self.zone_arg: object = timezone
        else:  # SQLite has no zones: the zone's offset now (a DST change shifts one hour)
            offset = datetime.now(ZoneInfo(timezone)).utcoffset() or timedelta(0)
            self.zone_arg = f"{int(offset.total_seconds() // 60):+d} minutes"

    def day(self, column: str) -> str:
        if self.postgres:
            return f"to_char({column} AT TIME ZONE {{}}, 'YYYY-MM-DD')"
        return f"strftime('%Y-%m-%d', {column}, {{}})"

    def weekday_hour(self, column: str) -> tuple[str, str]:
        if self.postgres:
            return (
                f"(extract(isodow FROM {column} AT TIME ZONE {{}})::int - 1)",
                f"extract(hour FROM {column} AT TIME ZONE {{}})::int",
            )
        return (
            f"((cast(strftime('%w', {column}, {{}}) AS integer) + 6) % 7)",
            f"cast(strftime('%H', {column}, {{}}) AS integer)",
        )

    def seconds(self, later: str, earlier: str) -> str:
        if self.postgres:
            return f"extract(epoch FROM ({later} - {earlier}))"
        return f"((julianday({later}) - julianday({earlier})) * 86400.0)"


def _percentiles(values: list[float]) -> Percentiles:
    kept = [v for v in values if v is not None and v >= 0]
    if not kept:
        return Percentiles(0, None, None)
    p50, p90 = np.percentile(np.array(kept, dtype=np.float64), [50, 90])
    return Percentiles(len(kept), round(float(p50), 1), round(float(p90), 1))


class Analytics:
    def __init__(self, engine) -> None:
        self.engine = engine

    def _dialect(self, timezone: str) -> _Dialect:
        return _Dialect(is_postgres(self.engine), timezone)

    async def _raw(self, sql: str, *args: object) -> list[dict]:
        return await Conversation.raw(sql, *args)

    async def overview(self, tenant_id: str, days: int, timezone: str = "UTC") -> Overview:
        d = self._dialect(timezone)
        tid, since = uuid.UUID(tenant_id), datetime.now(UTC) - timedelta(days=days)
        # Every per-day figure belongs to the day its conversation started (a chat rarely
        # outlives its day): one indexed range of the tenant's conversations, with the message
        # count each keeps (last_seq), instead of a join over every message of the period.
        rows = await self._raw(
            f"SELECT {d.day('created_at')} AS day, count(*) AS n, count(queued_at) AS handed_off, "
            "sum(last_seq) AS messages FROM conversation "
            "WHERE tenant = {} AND created_at >= {} GROUP BY 1 ORDER BY 1",
            d.zone_arg, tid, since,
        )  # fmt: skip
        reasons = await self._raw(
            "SELECT handoff_reason AS reason, count(*) AS n FROM conversation "
            "WHERE tenant = {} AND created_at >= {} AND queued_at IS NOT NULL GROUP BY 1",
            tid, since,
        )  # fmt: skip
        per_day = [
            DayCount(
                r["day"],
                int(r["n"]),
                int(r["n"]) - int(r["handed_off"]),
                int(r["handed_off"]),
                int(r["messages"] or 0),
            )
            for r in rows
        ]
        return Overview(
            days=days,
            timezone=timezone,
            conversations=sum(x.conversations for x in per_day),
            messages=sum(x.messages for x in per_day),
            contained=sum(x.contained for x in per_day),
            handed_off=sum(x.handed_off for x in per_day),
            handoff_reasons={(r["reason"] or "other"): int(r["n"]) for r in reasons},
            per_day=per_day,
        )

    async def response_times(self, tenant_id: str, days: int) -> ResponseTimes:
        d = self._dialect("UTC")
        tid, since = uuid.UUID(tenant_id), datetime.now(UTC) - timedelta(days=days)
        first_reply = (
            "(SELECT min(m.created_at) FROM message m WHERE m.conversation = c.id "
            "AND m.role = 'agent' AND m.created_at >= c.queued_at)"
        )
        rows = await self._raw(
            f"SELECT {d.seconds(first_reply, 'c.queued_at')} AS first_s, "
            f"CASE WHEN c.status = 'closed' THEN {d.seconds('c.updated_at', 'c.queued_at')} "
            "END AS resolve_s FROM conversation c "
            "WHERE c.tenant = {} AND c.queued_at >= {}",
            tid, since,
        )  # fmt: skip
        return ResponseTimes(
            days=days,
            handed_off=len(rows),
            first_response=_percentiles([r["first_s"] for r in rows if r["first_s"] is not None]),
            resolution=_percentiles([r["resolve_s"] for r in rows if r["resolve_s"] is not None]),
        )

    async def busiest_hours(
        self, tenant_id: str, days: int, timezone: str = "UTC"
    ) -> list[HourCount]:
        d = self._dialect(timezone)
        weekday, hour = d.weekday_hour("created_at")
        rows = await self._raw(
            f"SELECT {weekday} AS weekday, {hour} AS hour, count(*) AS n FROM conversation "
            "WHERE tenant = {} AND created_at >= {} GROUP BY 1, 2 ORDER BY 1, 2",
            d.zone_arg, d.zone_arg, uuid.UUID(tenant_id), datetime.now(UTC) - timedelta(days=days),
        )  # fmt: skip
        return [HourCount(int(r["weekday"]), int(r["hour"]), int(r["n"])) for r in rows]

    async def top_questions(self, tenant_id: str, days: int, limit: int = 20) -> list[TopQuestion]:
        """The questions conversations open with, the same words in any order, case or form
        counted as one (the database counts exact wordings; the 200 most frequent are merged)."""
        rows = await self._raw(
            "SELECT min(m.content) AS question, count(*) AS n FROM message m "
            "JOIN conversation c ON c.id = m.conversation "
            "WHERE c.tenant = {} AND c.created_at >= {} AND m.seq = 1 AND m.role = 'visitor' "
            "GROUP BY lower(trim(m.content)) ORDER BY n DESC LIMIT 200",
            uuid.UUID(tenant_id), datetime.now(UTC) - timedelta(days=days),
        )  # fmt: skip
        merged: dict[str, TopQuestion] = {}
        for r in rows:  # most frequent wording first: it names the merged question
            key = normalise_question(r["question"])
            seen = merged.get(key)
            merged[key] = TopQuestion(
                seen.question if seen else " ".join(r["question"].split())[:300],
                (seen.count if seen else 0) + int(r["n"]),
            )
        return sorted(merged.values(), key=lambda q: -q.count)[:limit]
