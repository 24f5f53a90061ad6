"""A tenant's plugins: switch built-ins on and off and configure them, add HTTP plugins."""

from __future__ import annotations

import asyncio
import time
import uuid
from typing import Annotated, Any, Literal

import msgspec
from litestar import Controller, Request, delete, get, post, put
from litestar.di import NamedDependency
from litestar.params import Body, FromPath
from msgspec import Meta

from shared.auth.scopes import Principal
from shared.errors import KefuError
from shared.openapi import ADMIN, errors
from shared.plugins.base import PluginError, registered
from shared.plugins.http import HttpSpec
from shared.plugins.intents import PatternError, compile_pattern
from shared.plugins.store import PluginCallOut, PluginSettings, TenantPlugins
from shared.schemas import Wire
from shared.services import Services
from shared.urls import check_outbound_url

from .access import audit

__all__ = ["PluginAdminController"]

_store = TenantPlugins()
Secret = Annotated[str, Meta(max_length=200)]
Headers = Annotated[dict[str, Annotated[str, Meta(max_length=2000)]], Meta(max_length=20)]


class BuiltinConfig(Wire):
    """A built-in's switch; ``config`` for HTTP built-ins: url, method, response_template,
    source, timeout_s. ``secret`` and ``headers`` are write-only (omit them to keep the stored
    ones; ``""`` / ``{}`` clears)."""

    enabled: bool
    config: dict[str, Any] = {}
    secret: Secret | None = None
    headers: Headers | None = None


class HttpPluginIn(Wire):
    name: Annotated[str, Meta(pattern=r"^[a-z][a-z0-9_]{1,63}$")]
    description: Annotated[str, Meta(min_length=1, max_length=1000)]
    spec: HttpSpec
    enabled: bool = True
    secret: Secret | None = None
    headers: Headers | None = None


class PluginTryIn(Wire):
    """Arguments as the bot would pass them (checked against the plugin's schema)."""

    arguments: Annotated[dict[str, Any], Meta(max_length=20)] = {}
    language: Literal["en", "zh"] = "en"


class PluginTried(Wire):
    outcome: str  # ok | a stable error code (invalid_arguments, timeout, unknown_plugin, …)
    text: str = ""  # what the bot would answer from
    source: str = ""
    data: dict[str, Any] | None = None
    detail: str = ""  # why it failed, for the owner
    latency_ms: int = 0


class _BuiltinHttpConfig(msgspec.Struct, forbid_unknown_fields=True):
    url: Annotated[str, Meta(max_length=2000)] = ""
    method: Literal["GET", "POST"] = "GET"
    response_template: Annotated[str, Meta(max_length=2000)] = ""
    source: Annotated[str, Meta(max_length=200)] = ""
    timeout_s: Annotated[float, Meta(gt=0, le=30)] = 5.0


async def _check_patterns(patterns: list[str]) -> None:
    for pattern in patterns:
        try:
            compile_pattern(pattern)
        except PatternError as exc:
            raise KefuError(
                422,
                "invalid_pattern",
                f"{pattern!r}: {exc} (patterns are RE2: no backreferences or lookaround)",
            ) from None


@errors(400, 401, 403, 404, 409, 422)
class PluginAdminController(Controller):
    path = "/api/v1/admin/plugins"
    tags = ["admin: plugins"]
    security = ADMIN

    @get("/")
    async def list_plugins(self, principal: NamedDependency[Principal]) -> list[PluginSettings]:
        """Every plugin this tenant can use, on or off, with its configuration (no secrets)."""
        return await _store.list(principal.require("settings:read"))

    @put("/{name:str}")
    async def configure_builtin(
        self,
        request: Request,
        name: FromPath[str],
        data: Annotated[BuiltinConfig, Body()],
        principal: NamedDependency[Principal],
        services: NamedDependency[Services],
    ) -> PluginSettings:
        """Turn a built-in (or installed) plugin on or off and configure it."""
        tenant_id = principal.require("settings:write")
        if name not in registered():
            raise KefuError(404, "plugin_not_found", "no installed plugin has this name")
        try:
            config = msgspec.convert(data.config, _BuiltinHttpConfig)
        except msgspec.ValidationError as exc:
            raise KefuError(422, "invalid_config", str(exc)) from None
        if config.url:
            await check_outbound_url(
                config.url, allow_private=services.settings.plugins_allow_private
            )
        saved = await _store.save(
            tenant_id,
            name,
            kind="builtin",
            enabled=data.enabled,
            spec={k: v for k, v in msgspec.to_builtins(config).items() if v not in ("", None)},
            secret=data.secret,
            headers=data.headers,
        )
        await services.caches.forget("plugins", tenant_id)
        await audit(
            request, services, principal, "plugin.configure", name, {"enabled": data.enabled}
        )
        return saved

    @post("/", status_code=201)
    async def create_http_plugin(
        self,
        request: Request,
        data: Annotated[HttpPluginIn, Body()],
        principal: NamedDependency[Principal],
        services: NamedDependency[Services],
    ) -> PluginSettings:
        """A declarative HTTP plugin: the bot calls ``spec.url`` with the visitor's arguments."""
        tenant_id = principal.require("settings:write")
        if data.name in registered():
            raise KefuError(409, "plugin_exists", "an installed plugin has this name")
        if await _store.get(tenant_id, data.name) is not None:
            raise KefuError(409, "plugin_exists", "this tenant has a plugin with this name")
        await _check_patterns(data.spec.triggers.patterns)  # before any DNS look-up
        await check_outbound_url(
            data.spec.url, allow_private=services.settings.plugins_allow_private
        )
        saved = await _store.save(
            tenant_id,
            data.name,
            kind="http",
            enabled=data.enabled,
            spec=msgspec.to_builtins(data.spec),
            description=data.description,
            secret=data.secret,
            headers=data.headers,
        )
        await services.caches.forget("plugins", tenant_id)
        await audit(
            request, services, principal, "plugin.create", data.name, {"url": data.spec.url}
        )
        return saved

    @post("/{name:str}/try", status_code=200)
    async def try_plugin(
        self,
        request: Request,
        name: FromPath[str],
        data: Annotated[PluginTryIn, Body()],
        principal: NamedDependency[Principal],
        services: NamedDependency[Services],
    ) -> PluginTried:
        """Call an enabled plugin once, as the bot would, and show what it answered (or why it
        failed); no visitor sees it."""
        tenant_id = principal.require("settings:write")
        started = time.perf_counter()
        try:
            async with asyncio.timeout(services.settings.plugins_budget_s):
                result = await services.plugins.invoke(
                    tenant_id, name, data.arguments, language=data.language
                )
            tried = PluginTried(outcome="ok", text=result.text, source=result.source,
                                data=result.data)  # fmt: skip
        except TimeoutError:
            tried = PluginTried(outcome="timeout", detail="over the plugins' time budget")
        except PluginError as exc:
            tried = PluginTried(outcome=exc.code, detail=exc.detail)
        tried = msgspec.structs.replace(
            tried, latency_ms=int((time.perf_counter() - started) * 1000)
        )
        await audit(request, services, principal, "plugin.try", name, {"outcome": tried.outcome})
        return tried

    @delete("/{name:str}", status_code=204)
    async def delete_plugin(
        self,
        request: Request,
        name: FromPath[str],
        principal: NamedDependency[Principal],
        services: NamedDependency[Services],
    ) -> None:
        """Delete an HTTP plugin, or reset a built-in to its defaults."""
        tenant_id = principal.require("settings:write")
        if not await _store.delete(tenant_id, name):
            raise KefuError(404, "plugin_not_found", "this tenant has no settings for this plugin")
        await services.caches.forget("plugins", tenant_id)
        await audit(request, services, principal, "plugin.delete", name)

    @get("/calls/{conversation_id:str}")
    async def plugin_calls(
        self,
        conversation_id: FromPath[str],
        principal: NamedDependency[Principal],
    ) -> list[PluginCallOut]:
        """The plugin calls made in one conversation (its audit trail)."""
        tenant_id = principal.require("conversations:read")
        try:
            uuid.UUID(conversation_id)
        except ValueError:
            raise KefuError(404, "conversation_not_found", "no such conversation") from None
        return await _store.calls(tenant_id, conversation_id)
