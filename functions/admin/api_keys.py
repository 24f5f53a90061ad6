"""Integrators' API keys: create (the key is shown once), list, revoke."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, Request, delete, get, post
from litestar.di import NamedDependency
from litestar.params import Body, FromPath

from shared.auth.api_keys import ApiKeyOut
from shared.auth.scopes import Principal
from shared.errors import KefuError
from shared.openapi import ADMIN, errors
from shared.services import Services

from .access import audit
from .schemas import ApiKeyCreated, ApiKeyIn

__all__ = ["ApiKeyController"]


@errors(400, 401, 403, 404, 409, 422)
class ApiKeyController(Controller):
    path = "/api/v1/admin/api-keys"
    tags = ["admin: api keys"]
    security = ADMIN

    @get("/")
    async def list_keys(
        self, principal: NamedDependency[Principal], services: NamedDependency[Services]
    ) -> list[ApiKeyOut]:
        """The tenant's keys (prefix and metadata; never the key)."""
        return await services.api_keys.list(principal.require("api_keys:read"))

    @post("/", status_code=201)
    async def create_key(
        self,
        request: Request,
        data: Annotated[ApiKeyIn, Body()],
        principal: NamedDependency[Principal],
        services: NamedDependency[Services],
    ) -> ApiKeyCreated:
        """A new key with the given scopes; send it as ``Authorization: Bearer <key>``."""
        tenant_id = principal.require("api_keys:write")
        out, key = await services.api_keys.create(tenant_id, data.name, data.scopes, principal.id)
        await audit(request, services, principal, "api_key.create", out.id, {"scopes": out.scopes})
        return ApiKeyCreated(
            id=out.id, name=out.name, prefix=out.prefix, scopes=out.scopes, key=key
        )

    @delete("/{key_id:str}", status_code=200)
    async def revoke_key(
        self,
        request: Request,
        key_id: FromPath[str],
        principal: NamedDependency[Principal],
        services: NamedDependency[Services],
    ) -> ApiKeyOut:
        """Revoke a key; calls with it fail from now on, on every replica."""
        tenant_id = principal.require("api_keys:write")
        out = await services.api_keys.revoke(tenant_id, key_id)
        if out is None:
            raise KefuError(404, "api_key_not_found", "no such API key")
        await services.caches.forget("api_keys", key_id)
        await audit(request, services, principal, "api_key.revoke", key_id)
        return out
