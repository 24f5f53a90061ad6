"""Who the visitor is, as agents see them: the page they are on and came from, their language,
browser and system, when they were first seen, and their earlier conversations. A visitor who
comes back (the widget keeps the token of their last conversation) is the same visitor: their
new conversation joins the earlier ones."""

from __future__ import annotations

import re
import uuid
from datetime import datetime
from functools import lru_cache
from typing import Any

import jwt
import msgspec
from ua_parser import parse

from ..db.tables import Conversation, Message, Visitor, json_value

__all__ = [
    "VisitorContext",
    "EarlierConversation",
    "visitor_context",
    "device_of",
    "earlier_visitor",
    "clean_profile",
    "profile_language",
    "read_profile",
]

#: Profile fields a widget may send, and how long each may be.
PROFILE_FIELDS = {
    "page": 2000,
    "referrer": 2000,
    "language": 16,
    "title": 300,
    "name": 200,  # what the visitor calls themselves (unverified)
    "user_agent": 500,
}
_PREVIOUS = 10
#: A page language tag for traditional Chinese: Taiwan, Hong Kong, Macau, or the script named.
_TRADITIONAL_TAG = re.compile(r"zh-(?:tw|hk|mo|hant)\b")


class EarlierConversation(msgspec.Struct, frozen=True):
    conversation_id: str
    status: str
    created_at: datetime
    first_message: str  # what the visitor opened it with


class VisitorContext(msgspec.Struct, frozen=True, kw_only=True):
    visitor_id: str
    first_seen: datetime
    name: str
    email: str  # left for an emailed reply (offline follow-up), or from a verified identity
    verified: bool  # name, email and attributes come from the site's verified identity
    user_id: str  # the site's own id for a verified visitor
    attributes: dict[str, Any]  # what the site passed with a verified identity
    page: str
    referrer: str
    language: str
    browser: str  # e.g. "Chrome 120"
    os: str  # e.g. "iOS 17"
    device: str  # e.g. "iPhone" (empty for a computer)
    previous: list[EarlierConversation]  # the same visitor's other conversations, newest first


def clean_profile(raw: dict[str, Any] | None, user_agent: str = "") -> dict[str, str]:
    """The profile fields kept: known ones only, as text, cut to size."""
    profile = {
        key: str(value)[:limit]
        for key, limit in PROFILE_FIELDS.items()
        if raw and isinstance(raw.get(key), str | int | float)
        for value in [raw[key]]
    }
    if user_agent:
        profile["user_agent"] = user_agent[: PROFILE_FIELDS["user_agent"]]
    return profile


@lru_cache(maxsize=2048)
def device_of(user_agent: str) -> tuple[str, str, str]:
    """(browser, system, device) from a User-Agent header (ua-parser's rules)."""
    if not user_agent:
        return "", "", ""
    found = parse(user_agent)
    browser = " ".join(x for x in (found.user_agent and found.user_agent.family,
                                   found.user_agent and found.user_agent.major) if x)  # fmt: skip
    system = " ".join(x for x in (found.os and found.os.family, found.os and found.os.major) if x)
    device = found.device.family if found.device and found.device.family != "Other" else ""
    return browser, system, device


def earlier_visitor(token: str | None, tenant_id: str, tokens) -> str | None:
    """The visitor id a token of one of their earlier conversations names, if it is genuine and
    of this tenant (else None: a new visitor). Expired tokens still name who they were."""
    if not token:
        return None
    try:
        cid = jwt.decode(token, options={"verify_signature": False}).get("cid", "")
        claims = tokens.verify_identity(token, str(cid))
    except Exception:  # noqa: BLE001 - any doubt: a new visitor, never someone else
        return None
    return claims.visitor_id if claims.tenant_id == tenant_id else None


async def visitor_context(conversation_id: str, visitor_id: str) -> VisitorContext | None:
    row = await Visitor.select().where(Visitor.id == uuid.UUID(visitor_id)).first()
    if row is None:
        return None
    profile = json_value(row["profile"], {}) or {}
    browser, system, device = device_of(str(profile.get("user_agent", "")))
    others = (
        await Conversation.select(Conversation.id, Conversation.status, Conversation.created_at)
        .where((Conversation.visitor == uuid.UUID(visitor_id))
               & (Conversation.id != uuid.UUID(conversation_id)))
        .order_by(Conversation.created_at, ascending=False)
        .limit(_PREVIOUS)
    )  # fmt: skip
    openers: dict[str, str] = {}
    if others:
        firsts = (
            await Message.select(Message.conversation, Message.content)
            .where(
                Message.conversation.is_in([o["id"] for o in others])
                & (Message.role == "visitor")
                & (Message.seq <= 3)
            )
            .order_by(Message.seq, ascending=False)
        )
        openers = {str(m["conversation"]): m["content"][:200] for m in firsts}
    return VisitorContext(
        visitor_id=visitor_id,
        first_seen=row["created_at"],
        name=str(profile.get("name", "")),
        email=str(profile.get("email", "")),
        verified=bool(profile.get("verified")),
        user_id=str(profile.get("user_id", "")) if profile.get("verified") else "",
        attributes=dict(profile.get("attributes") or {}) if profile.get("verified") else {},
        page=str(profile.get("page", "")),
        referrer=str(profile.get("referrer", "")),
        language=str(profile.get("language", "")),
        browser=browser,
        os=system,
        device=device,
        previous=[
            EarlierConversation(
                str(o["id"]), o["status"], o["created_at"], openers.get(str(o["id"]), "")
            )
            for o in others
        ],
    )


def profile_language(profile: dict[str, Any]) -> str:
    """The language of the visitor's page and widget ("en", "zh", or "zh-Hant" for a page in
    traditional Chinese: zh-TW, zh-HK, zh-MO, zh-Hant), from their profile."""
    tag = str(profile.get("language", "")).lower().replace("_", "-")
    if not tag.startswith("zh"):
        return "en"
    return "zh-Hant" if _TRADITIONAL_TAG.match(tag) and "hans" not in tag else "zh"


async def read_profile(visitor_id: str) -> dict[str, Any]:
    """What the widget and the site said about the visitor (page, language, email…)."""
    row = await Visitor.select(Visitor.profile).where(Visitor.id == uuid.UUID(visitor_id)).first()
    return dict(json_value(row["profile"], {}) or {}) if row else {}
