"""The plugins function: the registry of skills the bot can call, run apart from chat."""

from __future__ import annotations

from litestar import Litestar
from litestar.config.app import AppConfig
from litestar.plugins import InitPluginProtocol

from shared.core import build_app
from shared.settings import Settings

__all__ = ["PluginsFunction", "create_app"]


class PluginsFunction(InitPluginProtocol):
    """Plugin registry and tool execution; no plugin is registered in this build."""

    def on_app_init(self, app_config: AppConfig) -> AppConfig:
        return app_config


def create_app(settings: Settings | None = None) -> Litestar:
    return build_app([PluginsFunction()], settings)
