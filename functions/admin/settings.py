"""The tenant's settings: bot persona, handoff rules, business hours, model knobs, widget look,
allowed origins, retention, PII redaction (shape and limits: ``shared.conversations.rules``)."""

from __future__ import annotations

import uuid
from typing import Annotated

import msgspec
from litestar import Controller, Request, get, post, put
from litestar.di import NamedDependency
from litestar.params import Body

from shared.auth.scopes import Principal
from shared.conversations.identity import new_identity_secret
from shared.conversations.rules import TenantSettings, parse_settings
from shared.db.tables import Tenant
from shared.errors import KefuError
from shared.openapi import ADMIN, errors
from shared.schemas import Wire
from shared.services import Services

from .access import audit
from .schemas import SettingsOut

__all__ = ["SettingsController"]


async def _current(tenant_id: str) -> tuple[str, TenantSettings]:
    row = (
        await Tenant.select(Tenant.widget_key, Tenant.settings)
        .where(Tenant.id == uuid.UUID(tenant_id))
        .first()
    )
    if row is None:
        raise KefuError(404, "tenant_not_found", "no such tenant")
    try:
        return row["widget_key"], parse_settings(row["settings"])
    except (msgspec.ValidationError, msgspec.DecodeError):
        return row["widget_key"], TenantSettings()


def _out(tenant_id: str, widget_key: str, settings: TenantSettings) -> SettingsOut:
    return SettingsOut(
        tenant_id=tenant_id, widget_key=widget_key, settings=msgspec.to_builtins(settings)
    )


class IdentitySecret(Wire):
    """``secret`` appears only when made or rotated: keep it on the site's server, never in
    pages. Sign each signed-in user: ``user_hash = HMAC-SHA256(secret, user_id)`` in hex."""

    enabled: bool
    secret: str = ""


@errors(400, 401, 403, 404, 409, 422)
class SettingsController(Controller):
    path = "/api/v1/admin/settings"
    tags = ["admin: settings"]
    security = ADMIN

    @get("/")
    async def get_settings(self, principal: NamedDependency[Principal]) -> SettingsOut:
        """The tenant's settings, every field shown with its current value or default."""
        tenant_id = principal.require("settings:read")
        return _out(tenant_id, *await _current(tenant_id))

    @put("/")
    async def put_settings(
        self,
        request: Request,
        data: Annotated[TenantSettings, Body()],
        principal: NamedDependency[Principal],
        services: NamedDependency[Services],
    ) -> SettingsOut:
        """Replace the settings; fields left out take their defaults. Checked before stored."""
        tenant_id = principal.require("settings:write")
        _, before = await _current(tenant_id)
        await Tenant.update({Tenant.settings: msgspec.to_builtins(data)}).where(
            Tenant.id == uuid.UUID(tenant_id)
        )
        await services.caches.forget("rules", tenant_id)
        changed = sorted(
            f for f in data.__struct_fields__ if getattr(data, f) != getattr(before, f)
        )
        await audit(request, services, principal, "settings.update", "", {"changed": changed})
        widget_key, stored = await _current(tenant_id)
        return _out(tenant_id, widget_key, stored)

    @get("/identity-secret")
    async def identity_secret(self, principal: NamedDependency[Principal]) -> IdentitySecret:
        """Whether visitors' identities can be verified (the secret itself is never shown)."""
        tenant_id = principal.require("settings:read")
        row = (
            await Tenant.select(Tenant.identity_secret)
            .where(Tenant.id == uuid.UUID(tenant_id))
            .first()
        )
        return IdentitySecret(enabled=bool(row and row["identity_secret"]))

    @post("/identity-secret", status_code=201)
    async def rotate_identity_secret(
        self,
        request: Request,
        principal: NamedDependency[Principal],
        services: NamedDependency[Services],
    ) -> IdentitySecret:
        """Make (or replace) the secret that signs visitors' identities; the old one stops
        verifying at once. Shown this once."""
        tenant_id = principal.require("settings:write")
        secret = new_identity_secret()
        await Tenant.update({Tenant.identity_secret: secret}).where(
            Tenant.id == uuid.UUID(tenant_id)
        )
        await audit(request, services, principal, "settings.identity_secret", "")
        return IdentitySecret(enabled=True, secret=secret)
