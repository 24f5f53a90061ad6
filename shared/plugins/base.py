"""The plugin contract: a skill the bot can call, and the registry that finds them.

A plugin is a name, a description (what the model reads to decide to call it), a JSON Schema
of its parameters, and ``async run(args, context)`` returning a :class:`PluginResult` or raising
:class:`PluginError`. Register one with :func:`register_plugin`, or ship it in a package with an
entry point in the ``kefu.plugins`` group; kefu's built-ins register the same way.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable
from importlib.metadata import entry_points
from typing import Any

import msgspec

__all__ = [
    "Plugin",
    "PluginContext",
    "PluginResult",
    "PluginError",
    "Triggers",
    "register_plugin",
    "registered",
    "get_plugin",
    "load_entry_points",
    "ENTRY_POINT_GROUP",
]

log = logging.getLogger("kefu.plugins")

ENTRY_POINT_GROUP = "kefu.plugins"
_NAME = re.compile(r"^[a-z][a-z0-9_]{1,63}$")


class PluginResult(msgspec.Struct, frozen=True, kw_only=True):
    """What the bot answers from: ``text`` (sentences it may quote) and optional raw ``data``."""

    text: str
    data: dict[str, Any] | None = None
    source: str = ""  # shown to the visitor as where the answer came from


class PluginError(Exception):
    """The plugin could not answer; ``code`` is stable (metrics, audit), ``detail`` is for logs."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code
        self.detail = detail


class Triggers(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """When the retrieval-only bot (no model to choose tools) calls the plugin.

    ``patterns`` are regular expressions whose named groups fill parameters
    (``"order\\D{0,12}(?P<order_id>\\d{4,})"``); ``keywords`` alone call it with no arguments.
    """

    patterns: list[str] = []
    keywords: list[str] = []


class PluginContext(msgspec.Struct, kw_only=True):
    """What a plugin knows about the call: whose conversation, and the tenant's configuration."""

    tenant_id: str
    conversation_id: str = ""
    language: str = "en"
    config: dict[str, Any] = {}  # the tenant's settings for this plugin (secrets included)
    settings: Any = None  # the tenant's TenantSettings (business hours, ...)
    http: Any = None  # a shared httpx.AsyncClient for plugins that call out
    allow_private_urls: bool = False  # KEFU_PLUGINS_ALLOW_PRIVATE: endpoints on private addresses


class Plugin:
    """Subclass, or build one with ``Plugin(name=..., run=...)``."""

    name: str = ""
    description: str = ""
    parameters: dict[str, Any] = {"type": "object", "properties": {}}
    triggers: Triggers = Triggers()
    timeout_s: float = 5.0
    # Built-ins that need no configuration are on for every tenant until an owner turns them off.
    default_enabled: bool = False

    def __init__(
        self,
        *,
        name: str | None = None,
        description: str | None = None,
        parameters: dict[str, Any] | None = None,
        run: Callable[[dict[str, Any], PluginContext], Awaitable[PluginResult]] | None = None,
        triggers: Triggers | None = None,
        timeout_s: float | None = None,
        default_enabled: bool | None = None,
    ) -> None:
        self.name = name or self.name
        self.description = description or self.description
        self.parameters = parameters or self.parameters
        self.triggers = triggers or self.triggers
        self.timeout_s = timeout_s or self.timeout_s
        if default_enabled is not None:
            self.default_enabled = default_enabled
        if run is not None:
            self._run = run
        if not _NAME.match(self.name):
            raise ValueError(f"plugin names are lowercase identifiers, not {self.name!r}")

    async def run(self, args: dict[str, Any], context: PluginContext) -> PluginResult:
        runner = getattr(self, "_run", None)
        if runner is None:
            raise NotImplementedError(f"plugin {self.name} has no run()")
        return await runner(args, context)

    def tool(self) -> dict[str, Any]:
        """The OpenAI ``tools`` entry for this plugin."""
        return {
            "type": "function",
            "function": {
                "name": self.name,
                "description": self.description,
                "parameters": self.parameters,
            },
        }


_REGISTRY: dict[str, Plugin] = {}


def register_plugin(plugin: Plugin) -> Plugin:
    """Make ``plugin`` callable by the bot (the last registration of a name wins)."""
    if not isinstance(plugin, Plugin):
        raise TypeError(f"register_plugin takes a Plugin, not {type(plugin).__name__}")
    _REGISTRY[plugin.name] = plugin
    return plugin


def registered() -> dict[str, Plugin]:
    return dict(_REGISTRY)


def get_plugin(name: str) -> Plugin | None:
    return _REGISTRY.get(name)


def load_entry_points() -> list[str]:
    """Register every plugin installed in the ``kefu.plugins`` entry-point group.

    An entry point names a :class:`Plugin` instance, a Plugin subclass, or a function
    returning one. A broken package is logged and skipped, never fatal.
    """
    loaded = []
    for entry in entry_points(group=ENTRY_POINT_GROUP):
        try:
            target = entry.load()
            plugin = target() if callable(target) and not isinstance(target, Plugin) else target
            register_plugin(plugin)
            loaded.append(plugin.name)
        except Exception as exc:  # a third-party package must not stop kefu from starting
            log.error("plugin entry point %s failed to load: %s", entry.name, exc)
    return loaded
