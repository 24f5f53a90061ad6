"""Conversation service: start, authorize, send (stored, published, answered), history."""

from __future__ import annotations

import asyncio
from typing import Any

from ..auth.visitor_tokens import VisitorClaims, VisitorTokens
from ..bot import Bot
from ..errors import KefuError
from ..metrics import CONVERSATIONS_STARTED
from ..ratelimit import RateLimiter
from ..schemas import ConversationStarted, Identity, MessageOut, MessagePage, Role
from ..tasks import BackgroundTasks
from .events import Publisher
from .handoff import Handoff
from .identity import verified_identity
from .store import ConversationClosed, ConversationRow, ConversationStore, NotAppended
from .visitors import clean_profile, earlier_visitor

__all__ = ["ConversationService"]


class ConversationService:
    def __init__(
        self,
        store: ConversationStore,
        publisher: Publisher,
        tokens: VisitorTokens,
        bot: Bot,
        handoffs: Handoff,
        tasks: BackgroundTasks,
        limiter: RateLimiter,
        *,
        max_message_chars: int,
        page_size: int,
    ) -> None:
        self.store = store
        self.publisher = publisher
        self.tokens = tokens
        self.bot = bot
        self.handoffs = handoffs
        self.tasks = tasks
        self.limiter = limiter
        self.max_message_chars = max_message_chars
        self.page_size = page_size

    async def start(
        self,
        widget_key: str,
        profile: dict[str, Any] | None,
        *,
        origin: str | None = None,
        client_ip: str = "",
        user_agent: str = "",
        previous_token: str | None = None,
        identity: Identity | None = None,
    ) -> ConversationStarted:
        """A new conversation; ``previous_token`` (a token of the visitor's earlier conversation
        with this tenant) makes it the same visitor's."""
        await self.limiter.check("start", client_ip)
        tenant = await self.store.tenant_by_widget_key(widget_key)
        if tenant is None:
            raise KefuError(404, "unknown_widget_key", "no tenant has this widget key")
        await self._check_origin(tenant.id, origin)
        await self.limiter.check("tenant", tenant.id)
        details = clean_profile(profile, user_agent)
        if identity is not None:  # the site vouches for who this is: one visitor everywhere
            details.update(await verified_identity(tenant.id, identity))
            returning = await self.store.visitor_by_external_id(tenant.id, identity.user_id)
        else:
            returning = earlier_visitor(previous_token, tenant.id, self.tokens)
        conversation = await self.store.start(
            tenant.id,
            details,
            visitor_id=returning,
            external_id=identity.user_id if identity is not None else "",
        )
        CONVERSATIONS_STARTED.inc()
        return self._started(conversation.visitor_id, conversation.id, tenant.id, "bot")

    async def identify(
        self, conversation: ConversationRow, identity: Identity
    ) -> ConversationStarted:
        """The visitor signed in on the site mid-conversation: the conversation is theirs from
        now on (verified like at the start), with a token that says so."""
        fields = await verified_identity(conversation.tenant_id, identity)
        visitor_id = await self.store.identify_visitor(conversation, identity.user_id, fields)
        return self._started(
            visitor_id, conversation.id, conversation.tenant_id, conversation.status
        )

    def _started(
        self, visitor_id: str, conversation_id: str, tenant_id: str, status: str
    ) -> ConversationStarted:
        """The conversation with a new token for its visitor."""
        token = self.tokens.issue(VisitorClaims(visitor_id, conversation_id, tenant_id))
        return ConversationStarted(
            conversation_id=conversation_id,
            visitor_token=token,
            status=status,  # type: ignore[arg-type]
            expires_in=self.tokens.ttl_s,
        )

    async def _check_origin(self, tenant_id: str, origin: str | None) -> None:
        settings = await self.handoffs.rules.settings(tenant_id)
        if not settings.origin_allowed(origin):
            raise KefuError(
                403, "origin_not_allowed", "this site may not use the tenant's chat widget"
            )

    async def authorize_visitor(
        self, conversation_id: str, token: str | None, origin: str | None = None
    ) -> tuple[VisitorClaims, ConversationRow]:
        """The conversation, if ``token`` is a valid visitor token for it (else 401/403/404).

        ``origin`` (the browser's Origin header) must be on the tenant's allow-list, if any.
        """
        try:
            claims = self.tokens.verify(token, conversation_id)
        except KefuError as exc:
            # A good token for another conversation: say "not found" when this one doesn't exist.
            if exc.code == "wrong_conversation" and await self.store.get(conversation_id) is None:
                raise KefuError(404, "conversation_not_found", "no such conversation") from None
            raise
        conversation = await self.store.get(conversation_id)
        if conversation is None or conversation.tenant_id != claims.tenant_id:
            raise KefuError(404, "conversation_not_found", "no such conversation")
        if not await self.handoffs.rules.tenant_active(conversation.tenant_id):
            raise KefuError(403, "tenant_disabled", "this chat is not available")
        if origin:
            await self._check_origin(conversation.tenant_id, origin)
        return claims, conversation

    def resume_unanswered(self, conversation: ConversationRow) -> None:
        """A visitor's stream (re)connected: if their last question lost its answer to a
        replica that stopped, answer it now (in the background; usually a no-op)."""
        if conversation.status == "bot" and conversation.last_seq >= 1:
            self.tasks.spawn(self.bot.recover(conversation), name=f"recover:{conversation.id}")

    def validate_content(self, content: str) -> str:
        text = content.strip()
        if not text:
            raise KefuError(422, "empty_message", "the message is empty")
        if len(text) > self.max_message_chars:
            raise KefuError(
                422,
                "message_too_long",
                f"the message has {len(text)} characters; the limit is {self.max_message_chars}",
            )
        return text

    async def send(
        self,
        conversation: ConversationRow,
        content: str,
        *,
        role: Role = "visitor",
        client_msg_id: str | None = None,
        only_if_status: str | None = None,
    ) -> tuple[MessageOut, bool]:
        """Store, publish, and (while the bot holds the conversation) schedule its answer.

        ``only_if_status`` (agent replies: ``"agent"``) is checked in the storing statement.
        """
        text = self.validate_content(content)
        if role == "visitor":
            await asyncio.gather(
                self.limiter.check("visitor", conversation.id),
                self.limiter.check("tenant", conversation.tenant_id),
            )
        if client_msg_id is not None and not (0 < len(client_msg_id) <= 100):
            raise KefuError(422, "invalid_client_msg_id", "client_msg_id must be 1-100 characters")
        try:
            stored = await self.store.append(
                conversation.id,
                role,
                text,
                client_msg_id=client_msg_id,
                only_if_status=only_if_status,
            )
        except ConversationClosed:
            raise KefuError(409, "conversation_closed", "this conversation is closed") from None
        except NotAppended:
            raise KefuError(
                409, "not_your_conversation", "the conversation left your hands"
            ) from None
        if stored is None:
            raise KefuError(404, "conversation_not_found", "no such conversation")
        if stored.created:
            await self.publisher.message(
                conversation.id, stored.message, tenant_id=conversation.tenant_id
            )
            if role == "visitor" and stored.status in ("queued", "agent"):
                # Consoles mark it unread and alert, whichever conversation they have open.
                await self.publisher.visitor_wrote(
                    conversation.tenant_id, conversation.id, stored.message
                )
            # The status comes from the same statement that stored the message.
            if role == "visitor" and stored.status == "bot":
                self.tasks.spawn(
                    self.bot.respond(conversation, stored.message),
                    name=f"bot-turn:{conversation.id}",
                )
        return stored.message, stored.created

    async def history(
        self, conversation: ConversationRow, after_seq: int, limit: int | None
    ) -> MessagePage:
        if after_seq < 0:
            raise KefuError(422, "invalid_after_seq", "after_seq must be 0 or more")
        size = min(limit or self.page_size, self.page_size)
        if size < 1:
            raise KefuError(422, "invalid_limit", "limit must be 1 or more")
        messages = await self.store.after(conversation.id, after_seq, size + 1)
        # ``conversation`` was read just before; a message stored since may be in the page.
        last_seq = max([conversation.last_seq, *(m.seq for m in messages)])
        return MessagePage(
            conversation_id=conversation.id,
            status=conversation.status,  # type: ignore[arg-type]
            last_seq=last_seq,
            messages=messages[:size],
            has_more=len(messages) > size,
        )

    async def handoff(self, conversation: ConversationRow) -> str:
        """The visitor pressed "talk to a human": ``bot -> queued``. Idempotent."""
        return await self.handoffs.request(conversation, "visitor_asked")
