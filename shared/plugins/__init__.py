"""Plugins: skills the bot can call (order lookup, business hours, a merchant's own API).

Write one in a few lines::

    from shared.plugins import Plugin, PluginResult, register_plugin

    async def run(args, context):
        return PluginResult(text=f"Parcel {args['tracking']} is out for delivery.")

    register_plugin(Plugin(name="parcel", description="Track a parcel",
                           parameters={"type": "object", "properties": {"tracking": {"type": "string"}}},
                           run=run))
"""

from __future__ import annotations

from .base import (
    ENTRY_POINT_GROUP,
    Plugin,
    PluginContext,
    PluginError,
    PluginResult,
    Triggers,
    get_plugin,
    load_entry_points,
    register_plugin,
    registered,
)

__all__ = [
    "ENTRY_POINT_GROUP",
    "Plugin",
    "PluginContext",
    "PluginError",
    "PluginResult",
    "Triggers",
    "get_plugin",
    "load_entry_points",
    "register_plugin",
    "registered",
]
