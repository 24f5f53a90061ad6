"""Analytics for a tenant's owners: ``/api/v1/admin/analytics/…``."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, get
from litestar.di import NamedDependency
from litestar.params import Parameter

from shared.auth.scopes import Principal
from shared.conversations.ratings import RatingSummary
from shared.openapi import ADMIN, errors
from shared.services import Services

__all__ = ["AnalyticsController"]


@errors(400, 401, 403)
class AnalyticsController(Controller):
    path = "/api/v1/admin/analytics"
    tags = ["admin: analytics"]
    security = ADMIN

    @get("/answer-ratings")
    async def answer_ratings(
        self,
        principal: NamedDependency[Principal],
        services: NamedDependency[Services],
        days: Annotated[int, Parameter(ge=1, le=365)] = 30,
    ) -> RatingSummary:
        """How visitors rated the bot's answers over the last ``days``, and the latest answers
        they found unhelpful (what to teach the bot next)."""
        tenant_id = principal.require("conversations:read")
        return await services.ratings.summary(tenant_id, days)
