"""A tenant's handoff rules, kept in ``tenant.settings["handoff"]``:

```json
{"handoff": {
  "phrases": ["refund now", "投诉"],          // extra words that bring a human at once
  "ungrounded_limit": 2,                     // answers without grounding in a row before a human
  "business_hours": {"timezone": "Asia/Shanghai", "days": [0, 1, 2, 3, 4],
                     "open": "09:00", "close": "18:00"}
}}
```

Outside business hours a handoff still queues the conversation, and the visitor is told when
agents are back and that they can leave a message.
"""

from __future__ import annotations

import time
import uuid
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import msgspec

from ..db.tables import Tenant

__all__ = ["HandoffRules", "BusinessHours", "TenantRules"]

DAY_NAMES = {
    "en": ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"],
    "zh": ["周一", "周二", "周三", "周四", "周五", "周六", "周日"],
}


class BusinessHours(msgspec.Struct, frozen=True):
    timezone: str = "UTC"
    days: list[int] = msgspec.field(default_factory=lambda: [0, 1, 2, 3, 4])  # Monday = 0
    open: str = "09:00"
    close: str = "18:00"

    def is_open(self, now: datetime | None = None) -> bool:
        try:
            zone = ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            zone = ZoneInfo("UTC")
        local = (now or datetime.now(zone)).astimezone(zone)
        return local.weekday() in self.days and self.open <= local.strftime("%H:%M") < self.close

    def describe(self, language: str) -> str:
        names = DAY_NAMES["zh" if language == "zh" else "en"]
        days = ", ".join(names[d] for d in sorted(self.days) if 0 <= d < 7)
        return f"{days} {self.open}-{self.close} ({self.timezone})"


class HandoffRules(msgspec.Struct, frozen=True):
    phrases: list[str] = []
    ungrounded_limit: int = 2
    business_hours: BusinessHours | None = None

    def matches_phrase(self, text: str) -> bool:
        lowered = text.casefold()
        return any(p.casefold() in lowered for p in self.phrases if p.strip())


class TenantRules:
    """Each tenant's rules, read from the database at most every ``ttl_s`` seconds."""

    def __init__(self, ttl_s: float = 5.0) -> None:
        self._ttl = ttl_s
        self._cache: dict[str, tuple[float, HandoffRules]] = {}

    async def get(self, tenant_id: str) -> HandoffRules:
        hit = self._cache.get(tenant_id)
        if hit is not None and time.monotonic() - hit[0] < self._ttl:
            return hit[1]
        row = await Tenant.select(Tenant.settings).where(Tenant.id == uuid.UUID(tenant_id)).first()
        raw = row["settings"] if row else {}
        if isinstance(raw, str):
            raw = msgspec.json.decode(raw or "{}")
        try:
            rules = msgspec.convert((raw or {}).get("handoff") or {}, HandoffRules)
        except msgspec.ValidationError:
            rules = HandoffRules()  # a broken setting must not take the bot down
        self._cache[tenant_id] = (time.monotonic(), rules)
        return rules
