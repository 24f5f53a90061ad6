"""Running plugins: which ones a tenant has, argument validation, time budget, metrics.

:class:`PluginRunner` executes plugin code; it runs inside the plugins function (and inside the
all-in-one app). The chat side talks to it through the :class:`Plugins` interface: directly
in-process, or over HTTP with :class:`~shared.plugins.client.RemotePlugins`.
"""

from __future__ import annotations

import asyncio
import time
from abc import ABC, abstractmethod
from typing import Any

import httpx
import msgspec

from ..conversations.rules import TenantRules
from ..db.tables import json_value
from ..metrics import PLUGIN_CALLS, PLUGIN_SECONDS
from ..urls import outbound_transport
from .base import Plugin, PluginContext, PluginError, PluginResult, registered
from .http import HttpPlugin, HttpSpec
from .store import TenantPlugins

__all__ = ["Plugins", "PluginRunner", "PluginInfo"]


class PluginInfo(msgspec.Struct, frozen=True, kw_only=True):
    """A plugin as the chat side sees it: enough to offer it to a model or match a trigger."""

    name: str
    description: str
    parameters: dict[str, Any]
    patterns: list[str] = []
    keywords: list[str] = []
    timeout_s: float = 5.0


def info(plugin: Plugin) -> PluginInfo:
    return PluginInfo(
        name=plugin.name,
        description=plugin.description,
        parameters=plugin.parameters,
        patterns=list(plugin.triggers.patterns),
        keywords=list(plugin.triggers.keywords),
        timeout_s=plugin.timeout_s,
    )


class Plugins(ABC):
    """What the bot needs: the tenant's enabled plugins, and a way to call one."""

    @abstractmethod
    async def available(self, tenant_id: str) -> list[PluginInfo]: ...

    @abstractmethod
    async def invoke(
        self,
        tenant_id: str,
        name: str,
        args: dict[str, Any],
        *,
        conversation_id: str = "",
        language: str = "en",
    ) -> PluginResult: ...


class _TenantRow(msgspec.Struct, frozen=True):
    name: str
    kind: str
    enabled: bool
    description: str
    spec: dict[str, Any]
    secret: str
    secret_headers: dict[str, str]


class PluginRunner(Plugins):
    def __init__(self, rules: TenantRules, *, allow_private: bool = False, cache_s: float = 5.0):
        self._rules = rules
        self._allow_private = allow_private
        self._cache_s = cache_s
        self._rows: dict[str, tuple[float, list[_TenantRow]]] = {}
        self._http: httpx.AsyncClient | None = None

    @property
    def http(self) -> httpx.AsyncClient:
        if self._http is None:
            self._http = httpx.AsyncClient(
                follow_redirects=False,
                transport=outbound_transport(allow_private=self._allow_private),
            )
        return self._http

    async def close(self) -> None:
        if self._http is not None:
            await self._http.aclose()

    def forget(self, tenant_id: str | None) -> None:
        """Read the tenant's plugin settings again on next use (every tenant's: None)."""
        if tenant_id is None:
            self._rows.clear()
        else:
            self._rows.pop(tenant_id, None)

    async def _tenant_rows(self, tenant_id: str) -> list[_TenantRow]:
        hit = self._rows.get(tenant_id)
        now = time.monotonic()
        if hit is not None and now - hit[0] < self._cache_s:
            return hit[1]
        rows = await TenantPlugins().rows(tenant_id)
        parsed = [
            _TenantRow(
                r["name"],
                r["kind"],
                r["enabled"],
                r["description"],
                json_value(r["spec"], {}),  # type: ignore[arg-type]
                r["secret"],
                json_value(r["secret_headers"], {}),  # type: ignore[arg-type]
            )
            for r in rows
        ]
        self._rows[tenant_id] = (now, parsed)
        return parsed

    async def enabled(self, tenant_id: str) -> dict[str, tuple[Plugin, dict[str, Any]]]:
        """name -> (plugin, its tenant configuration) for every plugin on for this tenant."""
        rows = {r.name: r for r in await self._tenant_rows(tenant_id)}
        out: dict[str, tuple[Plugin, dict[str, Any]]] = {}
        for name, plugin in registered().items():
            row = rows.get(name)
            on = (
                row.enabled if row is not None and row.kind == "builtin" else plugin.default_enabled
            )
            if on:
                config = dict(row.spec) if row else {}
                if row and row.secret:
                    config["secret"] = row.secret
                if row and row.secret_headers:
                    config["headers"] = row.secret_headers
                out[name] = (plugin, config)
        for row in rows.values():
            if row.kind == "http" and row.enabled and row.name not in registered():
                try:
                    spec = msgspec.convert(row.spec, HttpSpec)
                except msgspec.ValidationError:
                    continue  # stored before a stricter version: skip it, never fail the chat
                plugin = HttpPlugin(
                    row.name,
                    row.description,
                    spec,
                    client=self.http,
                    secret=row.secret,
                    headers=row.secret_headers,
                    allow_private=self._allow_private,
                )
                out[row.name] = (plugin, {})
        return out

    async def available(self, tenant_id: str) -> list[PluginInfo]:
        return [info(p) for p, _ in (await self.enabled(tenant_id)).values()]

    async def invoke(
        self,
        tenant_id: str,
        name: str,
        args: dict[str, Any],
        *,
        conversation_id: str = "",
        language: str = "en",
    ) -> PluginResult:
        found = (await self.enabled(tenant_id)).get(name)
        if found is None:
            raise PluginError("unknown_plugin", f"no plugin {name!r} is enabled for this tenant")
        plugin, config = found
        started = time.perf_counter()
        outcome = "ok"
        try:
            _validate(plugin, args)
            context = PluginContext(
                tenant_id=tenant_id,
                conversation_id=conversation_id,
                language=language,
                config=config,
                settings=await self._rules.settings(tenant_id),
                http=self.http,
                allow_private_urls=self._allow_private,
            )
            try:
                async with asyncio.timeout(plugin.timeout_s):
                    result = await plugin.run(args, context)
            except TimeoutError:
                raise PluginError(
                    "timeout", f"{name} took longer than {plugin.timeout_s}s"
                ) from None
            except PluginError:
                raise
            except Exception as exc:  # a plugin's own bug is its error, not the chat's
                raise PluginError("plugin_failed", f"{type(exc).__name__}: {exc}") from None
            if not isinstance(result, PluginResult) or not (result.text.strip() or result.data):
                raise PluginError("bad_result", f"{name} returned {type(result).__name__}")
            return result
        except PluginError as exc:
            outcome = exc.code
            raise
        except BaseException:
            outcome = "cancelled"  # the caller's budget ran out first: it counts the timeout
            raise
        finally:
            # Installed plugins by name; a tenant's own HTTP plugins as one kind: their names
            # would tell anyone who reads /metrics which tenants exist and what they run.
            label = name if name in registered() else "tenant_http"
            PLUGIN_CALLS.labels(label, outcome).inc()
            PLUGIN_SECONDS.labels(label).observe(time.perf_counter() - started)


def _validate(plugin: Plugin, args: dict[str, Any]) -> None:
    """The model's (or a trigger's) arguments, checked against the plugin's schema before run."""
    from jsonschema import Draft202012Validator  # on first call: off the cold start
    from jsonschema.exceptions import SchemaError

    if not isinstance(args, dict):
        raise PluginError("invalid_arguments", "arguments must be a JSON object")
    try:
        errors = sorted(
            Draft202012Validator(plugin.parameters).iter_errors(args), key=lambda e: e.path
        )
    except SchemaError as exc:
        raise PluginError("invalid_schema", str(exc.message)) from None
    if errors:
        where = "/".join(str(p) for p in errors[0].path) or "arguments"
        raise PluginError("invalid_arguments", f"{where}: {errors[0].message}")
