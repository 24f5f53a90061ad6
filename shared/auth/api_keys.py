"""Integrator API keys: ``kefu_<prefix>_<secret>``, shown once, stored as a SHA-256, revocable.

The secret has 256 bits of entropy, so a fast hash is the right one (a slow password hash
buys nothing against brute force of such keys and costs every API call). Lookups go by the
public prefix; the hash is compared in constant time. Verified keys are remembered for a few
seconds per process; a revocation is announced to every replica at once (and ``cache_s``
bounds it if the bus is away).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
import uuid
from datetime import UTC, datetime

import msgspec

from ..db.tables import ApiKey, Tenant, json_value
from ..errors import KefuError
from .scopes import API_KEY_SCOPES, Principal

__all__ = ["ApiKeys", "ApiKeyOut", "KEY_PREFIX"]

KEY_PREFIX = "kefu_"


class ApiKeyOut(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    name: str
    prefix: str
    scopes: list[str]
    created_at: datetime
    last_used_at: datetime | None = None
    revoked_at: datetime | None = None


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def _out(row: dict) -> ApiKeyOut:
    return ApiKeyOut(
        id=str(row["id"]),
        name=row["name"],
        prefix=row["prefix"],
        scopes=list(json_value(row["scopes"], [])),  # type: ignore[arg-type]
        created_at=row["created_at"],
        last_used_at=row["last_used_at"],
        revoked_at=row["revoked_at"],
    )


_COLUMNS = (
    ApiKey.id,
    ApiKey.name,
    ApiKey.prefix,
    ApiKey.scopes,
    ApiKey.created_at,
    ApiKey.last_used_at,
    ApiKey.revoked_at,
)


class ApiKeys:
    def __init__(self, cache_s: float = 10.0) -> None:
        self._cache_s = cache_s
        self._verified: dict[str, tuple[float, Principal]] = {}

    async def create(
        self, tenant_id: str, name: str, scopes: list[str], created_by: str
    ) -> tuple[ApiKeyOut, str]:
        unknown = sorted(set(scopes) - set(API_KEY_SCOPES))
        if unknown or not scopes:
            raise KefuError(
                422,
                "invalid_scope",
                f"scopes must be a non-empty subset of {', '.join(API_KEY_SCOPES)}",
            )
        prefix = secrets.token_hex(6)
        key = f"{KEY_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
        row = ApiKey(
            id=uuid.uuid4(),
            tenant=uuid.UUID(tenant_id),
            name=name,
            prefix=prefix,
            key_hash=_hash(key),
            scopes=sorted(set(scopes)),
            created_by=created_by,
            created_at=datetime.now(UTC),
        )
        await ApiKey.insert(row)
        return await self.get(tenant_id, str(row.id)), key  # type: ignore[return-value]

    async def list(self, tenant_id: str) -> list[ApiKeyOut]:
        rows = (
            await ApiKey.select(*_COLUMNS)
            .where(ApiKey.tenant == uuid.UUID(tenant_id))
            .order_by(ApiKey.created_at)
        )
        return [_out(r) for r in rows]

    async def get(self, tenant_id: str, key_id: str) -> ApiKeyOut | None:
        try:
            kid = uuid.UUID(key_id)
        except ValueError:
            return None
        row = (
            await ApiKey.select(*_COLUMNS)
            .where((ApiKey.id == kid) & (ApiKey.tenant == uuid.UUID(tenant_id)))
            .first()
        )
        return _out(row) if row else None

    async def revoke(self, tenant_id: str, key_id: str) -> ApiKeyOut | None:
        found = await self.get(tenant_id, key_id)
        if found is None:
            return None
        if found.revoked_at is None:
            await ApiKey.update({ApiKey.revoked_at: datetime.now(UTC)}).where(
                ApiKey.id == uuid.UUID(found.id)
            )
        return await self.get(tenant_id, key_id)

    def forget(self, key_id: str | None) -> None:
        """Check keys against the database again (all of them: verified keys are cached by
        their secret, which is not kept anywhere else)."""
        self._verified.clear()

    async def verify(self, key: str) -> Principal:
        """The principal of a live key; 401 for anything else."""
        hit = self._verified.get(key)
        now = time.monotonic()
        if hit is not None and now - hit[0] < self._cache_s:
            return hit[1]
        prefix = key[len(KEY_PREFIX) :].split("_", 1)[0] if key.startswith(KEY_PREFIX) else ""
        row = None
        if prefix:
            row = (
                await ApiKey.select(*_COLUMNS, ApiKey.key_hash, ApiKey.tenant)
                .where(ApiKey.prefix == prefix)
                .first()
            )
        if row is None or not hmac.compare_digest(row["key_hash"], _hash(key)):
            raise KefuError(401, "invalid_api_key", "the API key is not valid")
        if row["revoked_at"] is not None:
            raise KefuError(401, "api_key_revoked", "this API key was revoked")
        active = await Tenant.select(Tenant.active).where(Tenant.id == row["tenant"]).first()
        if not active or not active["active"]:
            raise KefuError(403, "tenant_disabled", "this tenant is disabled")
        out = _out(row)
        principal = Principal(
            kind="api_key",
            id=out.id,
            name=out.name,
            role="api_key",
            tenant_id=str(row["tenant"]),
            scopes=frozenset(out.scopes),
        )
        if len(self._verified) > 10_000:
            self._verified.clear()
        self._verified[key] = (now, principal)
        last = out.last_used_at
        if last is None or (datetime.now(UTC) - last).total_seconds() > 60:
            await ApiKey.update({ApiKey.last_used_at: datetime.now(UTC)}).where(
                ApiKey.id == uuid.UUID(out.id)
            )
        return principal
