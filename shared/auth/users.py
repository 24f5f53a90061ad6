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

__all__ = ["Users", "UserOut", "ROLES"]

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


class Users:
    def __init__(self, cache_s: float = 10.0) -> None:
        self._cache_s = cache_s
        self._active: dict[str, tuple[float, bool]] = {}

    async def is_active(self, user_id: str) -> bool:
        """Is this account enabled? Cached briefly; a change is announced to every replica
        (:class:`~shared.invalidation.SharedCaches`), and ``cache_s`` bounds it if the bus is away."""
        hit = self._active.get(user_id)
        now = time.monotonic()
        if hit is not None and now - hit[0] < self._cache_s:
            return hit[1]
        user = await self.get(user_id)
        active = bool(user and user.active)
        if len(self._active) > 10_000:
            self._active.clear()
        self._active[user_id] = (now, active)
        return active

    def forget(self, user_id: str | None) -> None:
        """Read the account's state again on next use (every account's: None)."""
        if user_id is None:
            self._active.clear()
        else:
            self._active.pop(user_id, None)

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
        row = (
            await User.select(*_COLUMNS, User.password_hash)
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
