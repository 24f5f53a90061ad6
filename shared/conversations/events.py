"""Publishing conversation events on the bus: stored first, then published."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import msgspec

from ..bus import Bus
from ..schemas import (
    DeltaEvent,
    MessageEvent,
    MessageOut,
    Role,
    Status,
    StatusEvent,
    TypingEvent,
    Wire,
    encode,
)
from .store import ConversationRow

if TYPE_CHECKING:
    from ..webhooks import Webhooks

__all__ = [
    "conversation_channel",
    "tenant_channel",
    "listeners_key",
    "ConversationChanged",
    "Publisher",
]

log = logging.getLogger("kefu.events")


def conversation_channel(conversation_id: str) -> str:
    return f"kefu:conv:{conversation_id}"


def tenant_channel(tenant_id: str) -> str:
    """Where agents of a tenant hear about conversations changing state."""
    return f"kefu:tenant:{tenant_id}"


class ConversationChanged(Wire, tag="conversation", tag_field="type"):
    conversation_id: str
    status: Status
    assigned_agent: str | None = None


def listeners_key(conversation_id: str) -> str:
    """Presence key of a conversation's live streams (WebSocket, SSE): is anyone watching?"""
    return f"listeners:{conversation_id}"


class Publisher:
    """Encodes events once and publishes them; a bus failure never fails a stored write.

    With ``webhooks``, stored messages and status changes also go to the tenant's webhook
    outbox (after the live publish, so sockets never wait for it).
    """

    def __init__(self, bus: Bus, webhooks: Webhooks | None = None) -> None:
        self._bus = bus
        self._webhooks = webhooks

    async def message(
        self, conversation_id: str, message: MessageOut, *, tenant_id: str | None = None
    ) -> None:
        await self._publish(conversation_id, encode(MessageEvent(message=message)))
        if self._webhooks is not None and tenant_id is not None:
            data = {"conversation_id": conversation_id, "message": msgspec.to_builtins(message)}
            await self._webhooks.emit(tenant_id, "message.created", data)

    async def delta(self, conversation_id: str, message_id: str, delta: str) -> None:
        await self._publish(conversation_id, encode(DeltaEvent(message_id=message_id, delta=delta)))

    async def status(self, conversation_id: str, status: Status) -> None:
        await self._publish(conversation_id, encode(StatusEvent(status=status)))

    async def typing(self, conversation_id: str, role: Role, typing: bool = True) -> None:
        await self._publish(conversation_id, encode(TypingEvent(role=role, typing=typing)))

    async def tenant_event(self, conversation: ConversationRow, reason: str = "") -> None:
        payload = encode(
            ConversationChanged(
                conversation_id=conversation.id,
                status=conversation.status,  # type: ignore[arg-type]
                assigned_agent=conversation.assigned_agent,
            )
        )
        try:
            await self._bus.publish(tenant_channel(conversation.tenant_id), payload)
        except Exception as exc:  # consoles refresh their lists on reconnect
            log.warning("tenant event for %s failed: %s", conversation.id, exc)
        if self._webhooks is not None:
            data = {
                "conversation_id": conversation.id,
                "status": conversation.status,
                "assigned_agent": conversation.assigned_agent,
            }
            await self._webhooks.emit(conversation.tenant_id, "conversation.status_changed", data)
            if conversation.status == "queued":
                await self._webhooks.emit(
                    conversation.tenant_id, "conversation.handoff", {**data, "reason": reason}
                )

    async def visitor_wrote(
        self, tenant_id: str, conversation_id: str, message: MessageOut
    ) -> None:
        """A visitor wrote in a conversation people handle: the tenant's consoles hear of it
        (unread marks, alerts, the list's preview) without watching every conversation."""
        # (Lost when the bus is away: the lists show it on their next read.)
        await self._to_consoles(
            tenant_id,
            {"type": "visitor_message", "conversation_id": conversation_id,
             "preview": message.content[:140], "created_at": message.created_at},
        )  # fmt: skip

    async def note(self, tenant_id: str, conversation_id: str, note: object) -> None:
        """An internal note, to the tenant's consoles only (never the conversation's channel,
        which visitors' streams read)."""
        # (Lost when the bus is away: consoles read the notes when they open the conversation.)
        await self._to_consoles(
            tenant_id, {"type": "note", "conversation_id": conversation_id, "note": note}
        )

    async def access_changed(self, tenant_id: str, user_id: str | None = None) -> None:
        """Staff access in the tenant changed (one account's, or everyone's when the tenant is
        disabled): open consoles re-check it against the database and close if it is gone."""
        # (Lost when the bus is away: REST refuses on the next request in any case.)
        await self._to_consoles(tenant_id, {"type": "access_changed", "user_id": user_id})

    async def _to_consoles(self, tenant_id: str, event: dict) -> None:
        """An event for the tenant's consoles (their agent sockets); a bus failure never fails
        the caller."""
        try:
            await self._bus.publish(tenant_channel(tenant_id), msgspec.json.encode(event))
        except Exception as exc:
            log.warning("%s for tenant %s not announced: %s", event["type"], tenant_id, exc)

    async def _publish(self, conversation_id: str, payload: bytes) -> None:
        try:
            await self._bus.publish(conversation_channel(conversation_id), payload)
        except Exception as exc:  # listeners recover stored messages from the DB on the next gap
            log.warning("publish to %s failed: %s", conversation_id, exc)
