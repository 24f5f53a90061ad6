"""The audit log: one row per admin action, written by the action itself, read by owners."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import msgspec

from .auth.scopes import Principal
from .db.tables import AuditLog, json_value

__all__ = ["Audit", "AuditEntry"]


class AuditEntry(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    actor_type: str
    actor_id: str
    actor_name: str
    action: str
    target: str
    detail: dict[str, Any]
    ip: str
    created_at: datetime


def _entry(row: dict) -> AuditEntry:
    return AuditEntry(
        id=str(row["id"]),
        actor_type=row["actor_type"],
        actor_id=row["actor_id"],
        actor_name=row["actor_name"],
        action=row["action"],
        target=row["target"],
        detail=json_value(row["detail"], {}),  # type: ignore[arg-type]
        ip=row["ip"],
        created_at=row["created_at"],
    )


class Audit:
    async def record(
        self,
        principal: Principal | None,
        action: str,
        target: str = "",
        detail: dict[str, Any] | None = None,
        *,
        ip: str = "",
        tenant_id: str | None = None,
    ) -> None:
        """Write one entry; ``tenant_id`` defaults to the tenant the principal acts on."""
        tenant = tenant_id if tenant_id is not None else (principal and principal.tenant_id)
        await AuditLog.insert(
            AuditLog(
                id=uuid.uuid4(),
                tenant=uuid.UUID(tenant) if tenant else None,
                actor_type=principal.kind if principal else "system",
                actor_id=principal.id if principal else "",
                actor_name=principal.name if principal else "kefu",
                action=action,
                target=target,
                detail=detail or {},
                ip=ip,
                created_at=datetime.now(UTC),
            )
        )

    async def list(
        self,
        tenant_id: str | None,
        *,
        action: str | None = None,
        actor_id: str | None = None,
        before: datetime | None = None,
        limit: int = 100,
    ) -> list[AuditEntry]:
        """Newest first; ``tenant_id`` None: platform-level entries (superadmin)."""
        query = AuditLog.select().order_by(AuditLog.created_at, ascending=False).limit(limit)
        where = (
            AuditLog.tenant.is_null()
            if tenant_id is None
            else AuditLog.tenant == uuid.UUID(tenant_id)
        )
        if action:
            where &= AuditLog.action == action
        if actor_id:
            where &= AuditLog.actor_id == actor_id
        if before is not None:
            where &= AuditLog.created_at < before
        return [_entry(r) for r in await query.where(where)]
