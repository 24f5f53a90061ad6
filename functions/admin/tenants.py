"""Tenants (platform superadmin only): create, list, rename, disable, rotate the widget key."""

from __future__ import annotations

import secrets
import uuid
from datetime import UTC, datetime
from typing import Annotated

from litestar import Controller, Request, get, patch, post
from litestar.di import NamedDependency
from litestar.params import Body, FromPath

from shared.auth.scopes import Principal
from shared.db.tables import Tenant
from shared.errors import KefuError
from shared.openapi import ADMIN, errors
from shared.services import Services

from .access import audit
from .schemas import TenantIn, TenantOut, TenantPatch

__all__ = ["TenantController"]

_COLUMNS = (
    Tenant.id,
    Tenant.name,
    Tenant.slug,
    Tenant.widget_key,
    Tenant.active,
    Tenant.created_at,
)


def _out(row: dict) -> TenantOut:
    return TenantOut(
        id=str(row["id"]),
        name=row["name"],
        slug=row["slug"],
        widget_key=row["widget_key"],
        active=row["active"],
        created_at=row["created_at"],
    )


def _superadmin(principal: Principal) -> None:
    if not principal.is_superadmin:
        raise KefuError(403, "superadmin_only", "only a platform superadmin manages tenants")


async def _tenant(tenant_id: str) -> dict:
    try:
        tid = uuid.UUID(tenant_id)
    except ValueError:
        raise KefuError(404, "tenant_not_found", "no such tenant") from None
    row = await Tenant.select(*_COLUMNS).where(Tenant.id == tid).first()
    if row is None:
        raise KefuError(404, "tenant_not_found", "no such tenant")
    return row


@errors(400, 401, 403, 404, 409, 422)
class TenantController(Controller):
    path = "/api/v1/admin/tenants"
    tags = ["admin: tenants"]
    security = ADMIN

    @get("/")
    async def list_tenants(self, principal: NamedDependency[Principal]) -> list[TenantOut]:
        """Every tenant (superadmin)."""
        _superadmin(principal)
        return [_out(r) for r in await Tenant.select(*_COLUMNS).order_by(Tenant.slug)]

    @post("/", status_code=201)
    async def create_tenant(
        self,
        request: Request,
        data: Annotated[TenantIn, Body()],
        principal: NamedDependency[Principal],
        services: NamedDependency[Services],
    ) -> TenantOut:
        """A new tenant with a fresh widget key (superadmin)."""
        _superadmin(principal)
        if await Tenant.exists().where(Tenant.slug == data.slug):
            raise KefuError(409, "slug_taken", "a tenant with this slug exists")
        tenant = Tenant(
            id=uuid.uuid4(),
            name=data.name,
            slug=data.slug,
            widget_key=f"wk_{secrets.token_urlsafe(18)}",
            settings={},
            active=True,
            created_at=datetime.now(UTC),
        )
        await Tenant.insert(tenant)
        await audit(
            request,
            services,
            principal,
            "tenant.create",
            str(tenant.id),
            {"slug": data.slug},
            tenant_id=str(tenant.id),
        )
        return _out(await _tenant(str(tenant.id)))

    @get("/{tenant_id:str}")
    async def get_tenant(
        self, tenant_id: FromPath[str], principal: NamedDependency[Principal]
    ) -> TenantOut:
        """One tenant (superadmin)."""
        _superadmin(principal)
        return _out(await _tenant(tenant_id))

    @patch("/{tenant_id:str}")
    async def update_tenant(
        self,
        request: Request,
        tenant_id: FromPath[str],
        data: Annotated[TenantPatch, Body()],
        principal: NamedDependency[Principal],
        services: NamedDependency[Services],
    ) -> TenantOut:
        """Rename, disable/enable (widget and staff refused), or rotate the widget key."""
        _superadmin(principal)
        row = await _tenant(tenant_id)
        changes: dict = {}
        if data.name is not None:
            changes[Tenant.name] = data.name
        if data.active is not None:
            changes[Tenant.active] = data.active
        if data.rotate_widget_key:
            changes[Tenant.widget_key] = f"wk_{secrets.token_urlsafe(18)}"
        if changes:
            await Tenant.update(changes).where(Tenant.id == row["id"])
            if data.active is not None:  # its API keys' cached verdicts name the tenant live
                await services.caches.forget("api_keys")
                await services.caches.forget("rules", str(row["id"]))  # visitors' check
                await services.publisher.access_changed(str(row["id"]))  # consoles' check
            await audit(
                request,
                services,
                principal,
                "tenant.update",
                tenant_id,
                {
                    c._meta.name: (v if c is not Tenant.widget_key else "rotated")
                    for c, v in changes.items()
                },
                tenant_id=str(row["id"]),
            )
        return _out(await _tenant(tenant_id))
