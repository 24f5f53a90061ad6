"""Staff accounts of a tenant: list, create, change role, disable, reset password."""

from __future__ import annotations

import asyncio
import uuid
from typing import Annotated

from litestar import Controller, Request, get, patch, post
from litestar.di import NamedDependency
from litestar.params import Body, FromPath

from shared.auth.passwords import hash_password
from shared.auth.scopes import Principal
from shared.auth.users import UserOut, signed_out_now
from shared.db.tables import Tenant, User
from shared.errors import KefuError
from shared.openapi import ADMIN, errors
from shared.services import Services

from .access import audit
from .schemas import UserIn, UserPatch

__all__ = ["UserController"]


def _may_touch_owners(principal: Principal) -> None:
    if principal.role not in ("owner", "superadmin"):
        raise KefuError(403, "owner_only", "only an owner manages owners")


async def _user(services: Services, tenant_id: str, user_id: str) -> UserOut:
    user = await services.users.get(user_id)
    if user is None or user.tenant_id != tenant_id:
        raise KefuError(404, "user_not_found", "no such user")
    return user


@errors(400, 401, 403, 404, 409, 422)
class UserController(Controller):
    path = "/api/v1/admin/users"
    tags = ["admin: users"]
    security = ADMIN

    @get("/")
    async def list_users(
        self, principal: NamedDependency[Principal], services: NamedDependency[Services]
    ) -> list[UserOut]:
        """Every staff account of the tenant, disabled ones included."""
        tenant_id = principal.require("users:read")
        return await services.users.of_tenant(tenant_id)

    @post("/", status_code=201)
    async def create_user(
        self,
        request: Request,
        data: Annotated[UserIn, Body()],
        principal: NamedDependency[Principal],
        services: NamedDependency[Services],
    ) -> UserOut:
        """A new agent, admin or (by an owner) owner of this tenant."""
        tenant_id = principal.require("users:write")
        if data.role == "owner":
            _may_touch_owners(principal)
        slug = await Tenant.select(Tenant.slug).where(Tenant.id == uuid.UUID(tenant_id)).first()
        user = await services.users.create(
            email=data.email,
            password=data.password,
            role=data.role,
            tenant_slug=slug["slug"] if slug else None,
            display_name=data.display_name,
        )
        await audit(request, services, principal, "user.create", user.id, {"role": data.role})
        return user

    @patch("/{user_id:str}")
    async def update_user(
        self,
        request: Request,
        user_id: FromPath[str],
        data: Annotated[UserPatch, Body()],
        principal: NamedDependency[Principal],
        services: NamedDependency[Services],
    ) -> UserOut:
        """Change role or name, disable/enable, or set a new password."""
        tenant_id = principal.require("users:write")
        user = await _user(services, tenant_id, user_id)
        if user.role == "owner" or data.role == "owner":
            _may_touch_owners(principal)
        if user.id == principal.id and (data.active is False or data.role not in (None, user.role)):
            raise KefuError(409, "cannot_change_self", "ask another owner to disable or demote you")
        changes: dict = {}
        if data.role is not None:
            changes[User.role] = data.role
        if data.active is not None:
            changes[User.active] = data.active
        if data.display_name is not None:
            changes[User.display_name] = data.display_name
        if data.password is not None:
            changes[User.password_hash] = await asyncio.to_thread(hash_password, data.password)
            # Every session the old password opened ends on its next request.
            changes[User.tokens_valid_after] = signed_out_now()
        if changes:
            await User.update(changes).where(User.id == uuid.UUID(user.id))
            await services.publisher.access_changed(tenant_id, user.id)
            detail = {
                c._meta.name: v
                for c, v in changes.items()
                if c not in (User.password_hash, User.tokens_valid_after)
            }
            if data.password is not None:
                detail["password"] = "changed"
            await audit(request, services, principal, "user.update", user.id, detail)
        return await _user(services, tenant_id, user_id)
