"""The audit log, newest first."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from litestar import Controller, get
from litestar.di import NamedDependency
from litestar.params import FromQuery, Parameter

from shared.audit import AuditEntry
from shared.auth.scopes import Principal
from shared.openapi import ADMIN, errors
from shared.services import Services

__all__ = ["AuditController"]


@errors(400, 401, 403)
class AuditController(Controller):
    path = "/api/v1/admin/audit"
    tags = ["admin: audit"]
    security = ADMIN

    @get("/")
    async def list_entries(
        self,
        principal: NamedDependency[Principal],
        services: NamedDependency[Services],
        action: Annotated[str | None, Parameter(max_length=64)] = None,
        actor_id: Annotated[str | None, Parameter(max_length=64)] = None,
        before: FromQuery[datetime | None] = None,
        limit: Annotated[int, Parameter(ge=1, le=500)] = 100,
    ) -> list[AuditEntry]:
        """Who did what, when, from where. Page with ``before`` = the last entry's time.

        A superadmin without ``X-Kefu-Tenant`` sees platform entries (tenants created, ...)."""
        if principal.is_superadmin and principal.tenant_id is None:
            tenant_id = None
        else:
            tenant_id = principal.require("audit:read")
        return await services.audit.list(
            tenant_id, action=action, actor_id=actor_id, before=before, limit=limit
        )
