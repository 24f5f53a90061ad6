"""The plugins function: runs plugin code as its own service (chat calls it over HTTP)."""

from __future__ import annotations

from litestar import Litestar
from litestar.config.app import AppConfig
from litestar.plugins import InitPluginProtocol

from shared.core import build_app
from shared.settings import Settings

from .routes import PluginServiceController

__all__ = ["PluginsFunction", "create_app"]


class PluginsFunction(InitPluginProtocol):
    """Plugin execution behind a service token: ``/api/v1/plugins/available`` and ``/invoke``."""

    def on_app_init(self, app_config: AppConfig) -> AppConfig:
        app_config.route_handlers.append(PluginServiceController)
        return app_config


def create_app(settings: Settings | None = None) -> Litestar:
    return build_app([PluginsFunction()], settings)
