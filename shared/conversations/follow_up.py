"""Offline follow-up: a visitor with no agent online may leave an email address; an agent's
reply that finds them gone (no stream of theirs open) is emailed to them as well. The reply is
stored and shown in the widget either way."""

from __future__ import annotations

import uuid

from ..bus import Bus
from ..db.tables import Tenant, Visitor
from ..mail import Mailer
from ..schemas import MessageOut
from ..texts import Texts
from .events import listeners_key
from .store import ConversationRow
from .visitors import profile_language, read_profile

__all__ = ["leave_email", "email_reply"]

SUBJECT = Texts(en="{shop}: a reply to your question", zh="{shop}：您的问题有回复了")
FOOTER = Texts(
    en="Reply in the chat on our site to continue the conversation:",
    zh="请在网站的聊天窗口中回复，继续对话：",
)


async def leave_email(conversation: ConversationRow, email: str) -> None:
    """Keep the visitor's address with their profile (for replies that find them gone)."""
    profile = await read_profile(conversation.visitor_id)
    profile["email"] = email
    await Visitor.update({Visitor.profile: profile}).where(
        Visitor.id == uuid.UUID(conversation.visitor_id)
    )


async def email_reply(
    bus: Bus, mailer: Mailer, conversation: ConversationRow, message: MessageOut
) -> bool:
    """Email an agent's reply to a visitor who left an address and is not watching."""
    if not mailer.enabled or message.role != "agent":
        return False
    profile = await read_profile(conversation.visitor_id)
    email = str(profile.get("email", ""))
    if not email or await bus.presence_members(listeners_key(conversation.id)):
        return False  # no address, or they are reading it in the widget right now
    tenant = (
        await Tenant.select(Tenant.name)
        .where(Tenant.id == uuid.UUID(conversation.tenant_id))
        .first()
    )
    shop = tenant["name"] if tenant else "kefu"
    language = profile_language(profile)
    body = f"{message.content}\n\n— {shop}\n\n{FOOTER[language]}\n{profile.get('page', '')}\n"
    return await mailer.send(email, SUBJECT[language].format(shop=shop), body)
