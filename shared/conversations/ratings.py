"""Visitors rate the bot's answers (helpful or not), one verdict per answer, the last one kept,
and a closed conversation (1-5 with a comment); owners read the totals, the answers visitors
found unhelpful and the latest comments."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import msgspec

from ..db.engine import write_transaction
from ..db.tables import AnswerRating, ConversationRating, Message
from ..errors import KefuError
from .store import ConversationRow

__all__ = [
    "AnswerRatings",
    "RatingSummary",
    "RatedAnswer",
    "ConversationRatingSummary",
    "RatedConversation",
]


class RatedAnswer(msgspec.Struct, frozen=True):
    message_id: str
    conversation_id: str
    content: str
    rated_at: datetime


class RatingSummary(msgspec.Struct, frozen=True):
    days: int
    helpful: int
    not_helpful: int
    recent_not_helpful: list[RatedAnswer]


class RatedConversation(msgspec.Struct, frozen=True):
    conversation_id: str
    score: int
    comment: str
    rated_at: datetime


class ConversationRatingSummary(msgspec.Struct, frozen=True):
    days: int
    count: int
    average: float | None
    distribution: dict[str, int]  # "1".."5" -> conversations
    recent: list[RatedConversation]  # the latest with a comment, or scored 1-2


class AnswerRatings:
    def __init__(self, engine) -> None:
        self.engine = engine

    async def rate(self, conversation: ConversationRow, message_id: str, helpful: bool) -> None:
        """The visitor's verdict on a bot answer of their conversation (404/422 otherwise)."""
        try:
            mid = uuid.UUID(message_id)
        except ValueError:
            raise KefuError(404, "message_not_found", "no such message") from None
        row = (
            await Message.select(Message.role)
            .where((Message.id == mid) & (Message.conversation == uuid.UUID(conversation.id)))
            .first()
        )
        if row is None:
            raise KefuError(404, "message_not_found", "no such message in this conversation")
        if row["role"] != "bot":
            raise KefuError(422, "not_a_bot_answer", "only the bot's answers can be rated")
        now = datetime.now(UTC)
        async with write_transaction(self.engine):
            await AnswerRating.delete().where(AnswerRating.message == mid)
            await AnswerRating.insert(
                AnswerRating(
                    message=mid,
                    tenant=uuid.UUID(conversation.tenant_id),
                    conversation=uuid.UUID(conversation.id),
                    helpful=helpful,
                    created_at=now,
                )
            )

    async def summary(self, tenant_id: str, days: int = 30, recent: int = 20) -> RatingSummary:
        since = datetime.now(UTC) - timedelta(days=days)
        where = (AnswerRating.tenant == uuid.UUID(tenant_id)) & (AnswerRating.created_at >= since)
        helpful = await AnswerRating.count().where(where & (AnswerRating.helpful == True))  # noqa: E712
        unhelpful = await AnswerRating.count().where(where & (AnswerRating.helpful == False))  # noqa: E712
        rows = (
            await AnswerRating.select(
                AnswerRating.message, AnswerRating.conversation, AnswerRating.created_at
            )
            .where(where & (AnswerRating.helpful == False))  # noqa: E712
            .order_by(AnswerRating.created_at, ascending=False)
            .limit(recent)
        )
        contents = {}
        if rows:
            found = await Message.select(Message.id, Message.content).where(
                Message.id.is_in([r["message"] for r in rows])
            )
            contents = {m["id"]: m["content"] for m in found}
        return RatingSummary(
            days=days,
            helpful=helpful,
            not_helpful=unhelpful,
            recent_not_helpful=[
                RatedAnswer(
                    str(r["message"]),
                    str(r["conversation"]),
                    contents.get(r["message"], ""),
                    r["created_at"],
                )
                for r in rows
            ],
        )

    async def rate_conversation(
        self, conversation: ConversationRow, score: int, comment: str
    ) -> None:
        """The visitor's rating of their closed conversation (409 before it is closed)."""
        if conversation.status != "closed":
            raise KefuError(
                409, "conversation_not_closed", "a conversation is rated once it is closed"
            )
        cid = uuid.UUID(conversation.id)
        async with write_transaction(self.engine):
            await ConversationRating.delete().where(ConversationRating.conversation == cid)
            await ConversationRating.insert(
                ConversationRating(
                    id=uuid.uuid4(),
                    conversation=cid,
                    tenant=uuid.UUID(conversation.tenant_id),
                    score=score,
                    comment=comment.strip(),
                    created_at=datetime.now(UTC),
                )
            )

    async def conversation_summary(
        self, tenant_id: str, days: int = 30, recent: int = 20
    ) -> ConversationRatingSummary:
        since = datetime.now(UTC) - timedelta(days=days)
        where = (ConversationRating.tenant == uuid.UUID(tenant_id)) & (
            ConversationRating.created_at >= since
        )
        counts = await ConversationRating.raw(
            "SELECT score, count(*) AS n FROM conversation_rating "
            "WHERE tenant = {} AND created_at >= {} GROUP BY score",
            uuid.UUID(tenant_id),
            since,
        )
        distribution = {str(k): 0 for k in range(1, 6)}
        for row in counts:
            distribution[str(row["score"])] = int(row["n"])
        total = sum(distribution.values())
        rows = (
            await ConversationRating.select(
                ConversationRating.conversation,
                ConversationRating.score,
                ConversationRating.comment,
                ConversationRating.created_at,
            )
            .where(where & ((ConversationRating.comment != "") | (ConversationRating.score <= 2)))
            .order_by(ConversationRating.created_at, ascending=False)
            .limit(recent)
        )
        return ConversationRatingSummary(
            days=days,
            count=total,
            average=round(sum(int(k) * n for k, n in distribution.items()) / total, 2)
            if total
            else None,
            distribution=distribution,
            recent=[
                RatedConversation(str(r["conversation"]), r["score"], r["comment"], r["created_at"])
                for r in rows
            ],
        )
