"""The admin function: JWT-protected management of tenants, users, knowledge base, settings."""

from __future__ import annotations

from litestar import Litestar
from litestar.config.app import AppConfig
from litestar.plugins import InitPluginProtocol

from shared.core import build_app
from shared.settings import Settings

from .auth import AuthController

__all__ = ["AdminFunction", "create_app"]


class AdminFunction(InitPluginProtocol):
    """Staff authentication; management endpoints under ``/api/v1/admin``."""

    def on_app_init(self, app_config: AppConfig) -> AppConfig:
        app_config.route_handlers.append(AuthController)
        return app_config


def create_app(settings: Settings | None = None) -> Litestar:
    return build_app([AdminFunction()], settings)
