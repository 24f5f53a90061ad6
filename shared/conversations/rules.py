"""A tenant's settings, kept as JSON in ``tenant.settings`` and edited through the admin API:

```json
{"persona": "You are Mia from Acme's help desk.",
 "languages": ["zh", "en"],                      // answered in; others get the first
 "handoff": {"phrases": ["refund now", "投诉"],   // extra words that bring a human at once
             "ungrounded_limit": 2,              // answers without grounding in a row
             "business_hours": {"timezone": "Asia/Shanghai", "days": [0, 1, 2, 3, 4],
                                "open": "09:00", "close": "18:00"}},
 "model": {"temperature": 0.2, "max_tokens": 400},
 "answering": {"min_coverage": 0.3, "min_similarity": 0.92},  // how sure before answering
 "widget": {"title": "Acme help", "color": "#2563eb", "greeting": "Hi!", "position": "right",
            "avatar": "https://shop.example.com/mia.png"},
 "allowed_origins": ["https://shop.example.com"],
 "retention_days": 365,
 "redact_pii": true}
```

Outside business hours a handoff still queues the conversation, and the visitor is told when
agents are back and that they can leave a message.
"""

from __future__ import annotations

import time
import uuid
from datetime import datetime
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

import msgspec
from msgspec import Meta

from ..db.tables import Tenant, json_value
from ..kb.tokenize import base_language, simplified, traditional

__all__ = [
    "HandoffRules",
    "BusinessHours",
    "ModelParams",
    "AnsweringRules",
    "AssignmentRules",
    "WidgetLook",
    "TenantSettings",
    "TenantRules",
    "parse_settings",
]

DAY_NAMES = {
    "en": ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"],
    "zh": ["周一", "周二", "周三", "周四", "周五", "周六", "周日"],
}

Clock = Annotated[str, Meta(pattern=r"^([01]\d|2[0-3]):[0-5]\d$")]
Origin = Annotated[str, Meta(pattern=r"^https?://[A-Za-z0-9.\-]+(:\d{1,5})?$", max_length=300)]


class BusinessHours(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    timezone: Annotated[str, Meta(max_length=64)] = "UTC"
    days: Annotated[list[Annotated[int, Meta(ge=0, le=6)]], Meta(max_length=7)] = msgspec.field(
        default_factory=lambda: [0, 1, 2, 3, 4]  # Monday = 0
    )
    open: Clock = "09:00"
    close: Clock = "18:00"

    def __post_init__(self) -> None:
        if self.timezone not in _zones():
            raise ValueError(f"unknown timezone {self.timezone!r}")

    def is_open(self, now: datetime | None = None) -> bool:
        try:
            zone = ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            zone = ZoneInfo("UTC")
        local = (now or datetime.now(zone)).astimezone(zone)
        return local.weekday() in self.days and self.open <= local.strftime("%H:%M") < self.close

    def describe(self, language: str) -> str:
        if language == "zh-Hant":  # as each of the bot's texts: the Chinese, in traditional
            return traditional(self.describe("zh"))
        names = DAY_NAMES.get(language, DAY_NAMES["en"])
        days = ", ".join(names[d] for d in sorted(self.days) if 0 <= d < 7)
        return f"{days} {self.open}-{self.close} ({self.timezone})"


_ZONES: set[str] = set()


def _zones() -> set[str]:
    if not _ZONES:
        _ZONES.update(available_timezones() | {"UTC"})
    return _ZONES


class HandoffRules(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    phrases: Annotated[
        list[Annotated[str, Meta(min_length=1, max_length=100)]], Meta(max_length=200)
    ] = []
    ungrounded_limit: Annotated[int, Meta(ge=1, le=20)] = 2
    business_hours: BusinessHours | None = None

    def matches_phrase(self, text: str) -> bool:
        # Either script for either: 转人工 set by the owner is 轉人工 written by a visitor.
        lowered = simplified(text.casefold())
        return any(simplified(p.casefold()) in lowered for p in self.phrases if p.strip())


class ModelParams(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """Per-tenant generation knobs; unset ones fall back to the process settings."""

    temperature: Annotated[float, Meta(ge=0, le=2)] | None = None
    max_tokens: Annotated[int, Meta(ge=16, le=4096)] | None = None


class AnsweringRules(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """How sure the bot must be to answer; unset: the deployment's bars (KEFU_KB_MIN_COVERAGE,
    KEFU_KB_MIN_SIMILARITY). Higher: more "I don't know", fewer wrong answers."""

    min_coverage: Annotated[float, Meta(ge=0.05, le=1)] | None = None  # share of the words
    min_similarity: Annotated[float, Meta(ge=0.5, le=1)] | None = None  # meaning alone


class AssignmentRules(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """Automatic assignment of queued conversations to online agents (off: agents claim)."""

    auto: bool = False
    max_per_agent: Annotated[int, Meta(ge=1, le=100)] = 5


class WidgetLook(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    title: Annotated[str, Meta(max_length=80)] = ""
    color: Annotated[str, Meta(pattern=r"^#[0-9A-Fa-f]{6}$")] = "#2563eb"
    greeting: Annotated[str, Meta(max_length=500)] = ""
    position: Literal["right", "left"] = "right"
    # The bot's picture in the widget's header: an https:// URL or a path on the site.
    avatar: Annotated[str, Meta(max_length=500, pattern=r"^((https://|/)[^\s\"'<>()]*)?$")] = ""


class TenantSettings(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    persona: Annotated[str, Meta(max_length=4000)] = ""
    # The languages the bot answers in, the first one the default: a visitor writing in another
    # is answered in it. Empty: each visitor in their own language (English or Chinese).
    languages: Annotated[list[Literal["en", "zh"]], Meta(max_length=2)] = []
    handoff: HandoffRules = msgspec.field(default_factory=HandoffRules)
    model: ModelParams = msgspec.field(default_factory=ModelParams)
    answering: AnsweringRules = msgspec.field(default_factory=AnsweringRules)
    assignment: AssignmentRules = msgspec.field(default_factory=AssignmentRules)
    widget: WidgetLook = msgspec.field(default_factory=WidgetLook)
    # Empty: the widget may be embedded anywhere. Otherwise only these page origins may start
    # conversations or open sockets with the tenant's widget key.
    allowed_origins: Annotated[list[Origin], Meta(max_length=50)] = []
    retention_days: Annotated[int, Meta(ge=0, le=3650)] = 0  # 0: keep conversations forever
    redact_pii: bool = False  # mask emails and phone numbers before the model and the logs

    def answer_language(self, visitor_language: str) -> str:
        """The language the bot answers a visitor writing ``visitor_language`` in (``zh-Hant``,
        traditional Chinese, is answered in it wherever Chinese is)."""
        if not self.languages or base_language(visitor_language) in self.languages:
            return visitor_language
        return self.languages[0]

    def origin_allowed(self, origin: str | None) -> bool:
        if not self.allowed_origins or not origin:
            return True  # no list, or not a browser (server-to-server integrations)
        return origin.rstrip("/").lower() in {o.rstrip("/").lower() for o in self.allowed_origins}


def parse_settings(raw: object) -> TenantSettings:
    """Stored JSON -> settings; raises msgspec.ValidationError on a bad shape."""
    return msgspec.convert(json_value(raw, {}) or {}, TenantSettings)


class TenantRules:
    """Each tenant's settings, read from the database at most every ``ttl_s`` seconds."""

    def __init__(self, ttl_s: float = 5.0) -> None:
        self._ttl = ttl_s
        self._cache: dict[str, tuple[float, TenantSettings, bool, str]] = {}

    def forget(self, tenant_id: str | None) -> None:
        """The settings changed: read them again on next use (every tenant's: None)."""
        if tenant_id is None:
            self._cache.clear()
        else:
            self._cache.pop(tenant_id, None)

    async def _load(self, tenant_id: str) -> tuple[float, TenantSettings, bool, str]:
        hit = self._cache.get(tenant_id)
        if hit is not None and time.monotonic() - hit[0] < self._ttl:
            return hit
        row = (
            await Tenant.select(Tenant.settings, Tenant.active, Tenant.name)
            .where(Tenant.id == uuid.UUID(tenant_id))
            .first()
        )
        try:
            settings = parse_settings(row["settings"] if row else {})
        except (msgspec.ValidationError, msgspec.DecodeError, ValueError):
            settings = TenantSettings()  # a broken setting must not take the bot down
        entry = (
            time.monotonic(), settings, bool(row and row["active"]), row["name"] if row else "",
        )  # fmt: skip
        self._cache[tenant_id] = entry
        return entry

    async def settings(self, tenant_id: str) -> TenantSettings:
        return (await self._load(tenant_id))[1]

    async def tenant_active(self, tenant_id: str) -> bool:
        """Not disabled by the platform (cached like the settings, forgotten on change)."""
        return (await self._load(tenant_id))[2]

    async def name(self, tenant_id: str) -> str:
        """The business's name (cached like the settings)."""
        return (await self._load(tenant_id))[3]

    async def get(self, tenant_id: str) -> HandoffRules:
        return (await self.settings(tenant_id)).handoff
