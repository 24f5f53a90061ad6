"""Analytics for a tenant's owners: ``/api/v1/admin/analytics/…``."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.params import Body, Parameter

from shared.analytics.overview import HourCount, Overview, ResponseTimes, TopQuestion
from shared.analytics.unanswered import UnansweredGroup
from shared.auth.scopes import Principal
from shared.conversations.ratings import ConversationRatingSummary, RatingSummary
from shared.conversations.rules import BusinessHours
from shared.errors import KefuError
from shared.openapi import ADMIN, errors
from shared.services import Services, kb_changed

from .access import audit
from .schemas import UnansweredAnswered, UnansweredAnswerIn

__all__ = ["AnalyticsController"]

Days = Annotated[int, Parameter(ge=1, le=365)]
Zone = Annotated[str, Parameter(max_length=64)]


def _zone(tz: str) -> str:
    try:
        BusinessHours(timezone=tz)  # the one list of zones settings accept
    except ValueError:
        raise KefuError(400, "invalid_timezone", f"unknown time zone {tz!r}") from None
    return tz


@errors(400, 401, 403)
class AnalyticsController(Controller):
    path = "/api/v1/admin/analytics"
    tags = ["admin: analytics"]
    security = ADMIN

    @get("/overview")
    async def overview(
        self,
        principal: NamedDependency[Principal],
        services: NamedDependency[Services],
        days: Days = 30,
        tz: Zone = "UTC",
    ) -> Overview:
        """Conversations and messages per day (in ``tz``), contained by the bot vs handed off,
        and why they were handed off."""
        tenant_id = principal.require("conversations:read")
        return await services.analytics.overview(tenant_id, days, _zone(tz))

    @get("/response-times")
    async def response_times(
        self,
        principal: NamedDependency[Principal],
        services: NamedDependency[Services],
        days: Days = 30,
    ) -> ResponseTimes:
        """Agents' first response (queued → first agent message) and resolution (queued →
        closed) times, p50 and p90 in seconds, over conversations queued in the last ``days``."""
        tenant_id = principal.require("conversations:read")
        return await services.analytics.response_times(tenant_id, days)

    @get("/busiest-hours")
    async def busiest_hours(
        self,
        principal: NamedDependency[Principal],
        services: NamedDependency[Services],
        days: Days = 30,
        tz: Zone = "UTC",
    ) -> list[HourCount]:
        """Conversations started per weekday (Monday = 0) and hour, in ``tz``."""
        tenant_id = principal.require("conversations:read")
        return await services.analytics.busiest_hours(tenant_id, days, _zone(tz))

    @get("/top-questions")
    async def top_questions(
        self,
        principal: NamedDependency[Principal],
        services: NamedDependency[Services],
        days: Days = 30,
    ) -> list[TopQuestion]:
        """The questions visitors open conversations with, most asked first."""
        tenant_id = principal.require("conversations:read")
        return await services.analytics.top_questions(tenant_id, days)

    @get("/answer-ratings")
    async def answer_ratings(
        self,
        principal: NamedDependency[Principal],
        services: NamedDependency[Services],
        days: Days = 30,
    ) -> RatingSummary:
        """How visitors rated the bot's answers over the last ``days``, and the latest answers
        they found unhelpful (what to teach the bot next)."""
        tenant_id = principal.require("conversations:read")
        return await services.ratings.summary(tenant_id, days)

    @get("/conversation-ratings")
    async def conversation_ratings(
        self,
        principal: NamedDependency[Principal],
        services: NamedDependency[Services],
        days: Days = 30,
    ) -> ConversationRatingSummary:
        """How visitors rated their closed conversations (1-5): count, average, how many gave
        each score, and the latest ratings with a comment or a low score."""
        tenant_id = principal.require("conversations:read")
        return await services.ratings.conversation_summary(tenant_id, days)

    @get("/unanswered")
    async def unanswered(
        self,
        principal: NamedDependency[Principal],
        services: NamedDependency[Services],
        days: Days = 30,
    ) -> list[UnansweredGroup]:
        """The questions the bot could not answer, grouped by meaning (English and Chinese
        together), the most asked first, each with its wordings and the ids that answering the
        group marks."""
        tenant_id = principal.require("conversations:read")
        return await services.unanswered.groups(tenant_id, days)

    @post("/unanswered/answer", status_code=201)
    async def answer_unanswered(
        self,
        request: Request,
        data: Annotated[UnansweredAnswerIn, Body()],
        principal: NamedDependency[Principal],
        services: NamedDependency[Services],
    ) -> UnansweredAnswered:
        """Answer a group in one step: the answer becomes a knowledge-base entry under the
        question, the group's questions are marked answered, and the next visitor asking it is
        answered from the knowledge base."""
        tenant_id = principal.require("kb:write")
        doc_id, _ = await services.kb.add_answer(tenant_id, data.question, data.answer)
        await kb_changed(services, tenant_id)
        marked = await services.unanswered.mark_answered(tenant_id, data.question_ids, doc_id)
        await audit(
            request, services, principal, "kb.answer_unanswered", doc_id,
            {"question": data.question, "marked": marked},
        )  # fmt: skip
        return UnansweredAnswered(document_id=doc_id, marked=marked)
