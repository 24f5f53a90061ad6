"""Staff accounts: create, authenticate, look up (tenant-scoped roles; superadmin is platform-wide)."""

from __future__ import annotations

import asyncio
import time
import uuid
from datetime import UTC, datetime

import msgspec

from ..db.tables import Tenant, User
from ..errors import KefuError
from .passwords import dummy_hash, hash_password, verify_password
from .staff_tokens import StaffClaims

__all__ = ["Users", "UserOut", "ROLES", "signed_out_now"]

ROLES = ("owner", "admin", "agent", "superadmin")


class UserOut(msgspec.Struct, frozen=True):
    id: str
    email: str
    display_name: str
    role: str
    tenant_id: str | None
    active: bool


def _out(row: dict) -> UserOut:
    tenant = row.get("tenant")
    return UserOut(
        str(row["id"]),
        row["email"],
        row["display_name"],
        row["role"],
        str(tenant) if tenant else None,
        row["active"],
    )


_COLUMNS = (User.id, User.email, User.display_name, User.role, User.tenant, User.active)


def signed_out_now() -> int:
    """A ``tokens_valid_after`` value that ends every token issued until now."""
    return time.time_ns() // 1_000_000 + 1


class Users:
    """Staff accounts. Authority (role, tenant, enabled, signed-out-before) is read from the
    database on every request, never from the token: a demotion, a disabled account or tenant
    and a password reset take effect on the very next request, on every replica."""

    async def authority(self, claims: StaffClaims) -> StaffClaims:
        """The token's holder as the database says they are now (else 401/403).

        One primary-key read joined to the tenant: the token proves who, the row says what."""
        try:
            uid = uuid.UUID(claims.user_id)
        except ValueError:
            raise KefuError(401, "invalid_token", "the token is not valid") from None
        row = (
            await User.select(
                User.role,
                User.tenant,
                User.email,
                User.active,
                User.tokens_valid_after,
                User.tenant.active.as_alias("tenant_active"),
            )
            .where(User.id == uid)
            .first()
        )
        if row is None or not row["active"]:
            raise KefuError(401, "account_disabled", "this account is disabled")
        if claims.issued_at < row["tokens_valid_after"]:
            raise KefuError(401, "token_revoked", "signed out: the password was changed")
        tenant = row["tenant"]
        if row["role"] != "superadmin" and (tenant is None or not row["tenant_active"]):
            raise KefuError(403, "tenant_disabled", "this tenant is disabled")
        return StaffClaims(
            claims.user_id,
            str(tenant) if tenant else None,
            row["role"],
            row["email"],
            claims.issued_at,
        )

    async def create(
        self,
        *,
        email: str,
        password: str,
        role: str,
        tenant_slug: str | None,
        display_name: str = "",
    ) -> UserOut:
        email = email.strip().lower()
        if role not in ROLES:
            raise KefuError(422, "invalid_role", f"role must be one of {', '.join(ROLES)}")
        if "@" not in email or len(email) > 320:
            raise KefuError(422, "invalid_email", "that is not an email address")
        if len(password) < 8:
            raise KefuError(422, "weak_password", "passwords need at least 8 characters")
        tenant_id = None
        if role != "superadmin":
            row = await Tenant.select(Tenant.id).where(Tenant.slug == (tenant_slug or "")).first()
            if row is None:
                raise KefuError(404, "tenant_not_found", f"no tenant with slug {tenant_slug!r}")
            tenant_id = row["id"]
        if await User.exists().where(User.email == email):
            raise KefuError(409, "email_taken", "a user with this email exists")
        user = User(
            id=uuid.uuid4(),
            tenant=tenant_id,
            email=email,
            role=role,
            display_name=display_name or email.split("@")[0],
            password_hash=await asyncio.to_thread(hash_password, password),
            active=True,
            created_at=datetime.now(UTC),
        )
        await User.insert(user)
        return UserOut(
            str(user.id),
            email,
            user.display_name,
            role,
            str(tenant_id) if tenant_id else None,
            True,
        )

    async def authenticate(self, email: str, password: str) -> StaffClaims | None:
        """The account's claims for the right password (None otherwise); ``403
        tenant_disabled`` when its tenant is disabled (read in the same query)."""
        row = (
            await User.select(
                *_COLUMNS, User.password_hash, User.tenant.active.as_alias("tenant_active")
            )
            .where(User.email == email.strip().lower())
            .first()
        )
        if row is None:
            # Same cost whether or not the email exists; Argon2 is CPU work: off the event loop.
            await asyncio.to_thread(verify_password, dummy_hash(), password)
            return None
        if not await asyncio.to_thread(verify_password, row["password_hash"], password):
            return None
        if not row["active"]:
            return None
        if row["tenant"] is not None and not row["tenant_active"]:
            raise KefuError(403, "tenant_disabled", "this tenant is disabled")
        user = _out(row)
        return StaffClaims(user.id, user.tenant_id, user.role, user.email)

    async def get(self, user_id: str) -> UserOut | None:
        try:
            uid = uuid.UUID(user_id)
        except ValueError:
            return None
        row = await User.select(*_COLUMNS).where(User.id == uid).first()
        return _out(row) if row else None

    async def of_tenant(self, tenant_id: str) -> list[UserOut]:
        """Every account of the tenant, disabled ones included."""
        rows = (
            await User.select(*_COLUMNS)
            .where(User.tenant == uuid.UUID(tenant_id))
            .order_by(User.email)
        )
        return [_out(r) for r in rows]

    async def staff_of(self, tenant_id: str) -> list[UserOut]:
        rows = (
            await User.select(*_COLUMNS)
            .where(
                (User.tenant == uuid.UUID(tenant_id)) & (User.active == True)  # noqa: E712
            )
            .order_by(User.email)
        )
        return [_out(r) for r in rows]
