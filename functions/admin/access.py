"""Who may call the admin API: staff JWTs (owner, admin, superadmin) and integrators' API keys."""

from __future__ import annotations

import uuid
from typing import Any

from litestar import Request
from litestar.di import NamedDependency

from shared.auth.api_keys import KEY_PREFIX
from shared.auth.scopes import ADMIN_ROLES, SCOPES, Principal
from shared.db.tables import Tenant
from shared.errors import KefuError
from shared.guard import bearer_token, connection_ip
from shared.services import Services

__all__ = ["current_principal", "audit", "TENANT_HEADER"]

TENANT_HEADER = "x-kefu-tenant"


async def current_principal(request: Request, services: NamedDependency[Services]) -> Principal:
    # Header only: a staff token in the URL would end up in logs and Referer headers.
    token = bearer_token(request, query=False) or request.headers.get("x-api-key")
    if token and token.startswith(KEY_PREFIX):
        principal = await services.api_keys.verify(token)
        await services.limiter.check("api_key", principal.id)
        return principal
    claims = await services.users.authority(services.staff_tokens.verify_access(token))
    if claims.role not in ADMIN_ROLES:
        raise KefuError(403, "not_an_admin", "this account cannot use the admin API")
    tenant_id = claims.tenant_id
    if claims.role == "superadmin":
        named = request.headers.get(TENANT_HEADER)
        tenant_id = None
        if named:
            try:
                tenant_id = str(uuid.UUID(named))
            except ValueError:
                raise KefuError(404, "tenant_not_found", "no such tenant") from None
            if not await Tenant.exists().where(Tenant.id == uuid.UUID(tenant_id)):
                raise KefuError(404, "tenant_not_found", "no such tenant")
    return Principal(
        kind="user",
        id=claims.user_id,
        name=claims.email,
        role=claims.role,
        tenant_id=tenant_id,
        scopes=frozenset(SCOPES),
    )


async def audit(
    request: Request,
    services: Services,
    principal: Principal,
    action: str,
    target: str = "",
    detail: dict[str, Any] | None = None,
    *,
    tenant_id: str | None = None,
) -> None:
    """Record an admin action with the caller's address."""
    await services.audit.record(
        principal,
        action,
        target,
        detail,
        ip=connection_ip(request, services.settings.trust_forwarded),
        tenant_id=tenant_id,
    )
