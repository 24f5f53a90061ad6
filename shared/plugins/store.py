"""A tenant's plugin settings: switches and configuration of built-ins, declarative HTTP plugins.

Secrets (the signing secret, header values such as an API key) are written, used, never read
back through the API: listings say only whether they are set.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import msgspec

from ..db.tables import PluginCall, TenantPlugin, json_value
from ..errors import KefuError
from .base import registered

__all__ = ["PluginSettings", "PluginCallOut", "TenantPlugins"]


class PluginSettings(msgspec.Struct, frozen=True, kw_only=True):
    name: str
    kind: str  # builtin | http
    description: str
    parameters: dict[str, Any]
    enabled: bool
    config: dict[str, Any]  # no secrets
    has_secret: bool
    secret_headers: list[str]  # header names only


class PluginCallOut(msgspec.Struct, frozen=True, kw_only=True):
    plugin: str
    arguments: dict[str, Any]
    outcome: str
    latency_ms: int
    created_at: datetime


class TenantPlugins:
    async def rows(self, tenant_id: str) -> list[dict]:
        """The tenant's stored plugin rows, secrets included (for the runner, never the API)."""
        return await TenantPlugin.select().where(TenantPlugin.tenant == uuid.UUID(tenant_id))

    async def _row(self, tenant_id: str, name: str) -> dict | None:
        return (
            await TenantPlugin.select()
            .where((TenantPlugin.tenant == uuid.UUID(tenant_id)) & (TenantPlugin.name == name))
            .first()
        )

    async def list(self, tenant_id: str) -> list[PluginSettings]:
        rows = {r["name"]: r for r in await self.rows(tenant_id)}
        out = []
        for name, plugin in sorted(registered().items()):
            row = rows.get(name)
            out.append(
                PluginSettings(
                    name=name,
                    kind="builtin",
                    description=plugin.description,
                    parameters=plugin.parameters,
                    enabled=row["enabled"] if row else plugin.default_enabled,
                    config=json_value(row["spec"], {}) if row else {},  # type: ignore[arg-type]
                    has_secret=bool(row and row["secret"]),
                    secret_headers=sorted(json_value(row["secret_headers"], {})) if row else [],  # type: ignore[arg-type]
                )
            )
        for name, row in sorted(rows.items()):
            if row["kind"] == "http" and name not in registered():
                spec = json_value(row["spec"], {})
                out.append(
                    PluginSettings(
                        name=name,
                        kind="http",
                        description=row["description"],
                        parameters=spec.get("parameters", {}),  # type: ignore[union-attr]
                        enabled=row["enabled"],
                        config=spec,  # type: ignore[arg-type]
                        has_secret=bool(row["secret"]),
                        secret_headers=sorted(json_value(row["secret_headers"], {})),  # type: ignore[arg-type]
                    )
                )
        return out

    async def get(self, tenant_id: str, name: str) -> PluginSettings | None:
        return next((p for p in await self.list(tenant_id) if p.name == name), None)

    async def save(
        self,
        tenant_id: str,
        name: str,
        *,
        kind: str,
        enabled: bool,
        spec: dict[str, Any],
        description: str = "",
        secret: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> PluginSettings:
        """Create or update; ``secret``/``headers`` None keeps what is stored."""
        now = datetime.now(UTC)
        row = await self._row(tenant_id, name)
        if row is None:
            await TenantPlugin.insert(
                TenantPlugin(
                    id=uuid.uuid4(),
                    tenant=uuid.UUID(tenant_id),
                    name=name,
                    kind=kind,
                    enabled=enabled,
                    description=description,
                    spec=spec,
                    secret=secret or "",
                    secret_headers=headers or {},
                    created_at=now,
                    updated_at=now,
                )
            )
        else:
            if row["kind"] != kind:
                raise KefuError(409, "plugin_exists", f"a {row['kind']} plugin is named {name!r}")
            changes: dict = {
                TenantPlugin.enabled: enabled,
                TenantPlugin.spec: spec,
                TenantPlugin.description: description or row["description"],
                TenantPlugin.updated_at: now,
            }
            if secret is not None:
                changes[TenantPlugin.secret] = secret
            if headers is not None:
                changes[TenantPlugin.secret_headers] = headers
            await TenantPlugin.update(changes).where(TenantPlugin.id == row["id"])
        saved = await self.get(tenant_id, name)
        assert saved is not None
        return saved

    async def delete(self, tenant_id: str, name: str) -> bool:
        gone = (
            await TenantPlugin.delete()
            .where((TenantPlugin.tenant == uuid.UUID(tenant_id)) & (TenantPlugin.name == name))
            .returning(TenantPlugin.id)
        )
        return bool(gone)

    async def calls(self, tenant_id: str, conversation_id: str) -> list[PluginCallOut]:
        rows = (
            await PluginCall.select()
            .where(
                (PluginCall.tenant == uuid.UUID(tenant_id))
                & (PluginCall.conversation == uuid.UUID(conversation_id))
            )
            .order_by(PluginCall.created_at)
        )
        return [
            PluginCallOut(
                plugin=r["plugin"],
                arguments=json_value(r["arguments"], {}),  # type: ignore[arg-type]
                outcome=r["outcome"],
                latency_ms=r["latency_ms"],
                created_at=r["created_at"],
            )
            for r in rows
        ]
