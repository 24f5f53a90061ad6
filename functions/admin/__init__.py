"""The admin function: JWT/API-key protected management under ``/api/v1/admin``."""

from __future__ import annotations

from litestar import Litestar
from litestar.config.app import AppConfig
from litestar.di import Provide
from litestar.plugins import InitPluginProtocol

from shared.core import build_app
from shared.settings import Settings

from .access import current_principal
from .analytics import AnalyticsController
from .api_keys import ApiKeyController
from .audit_log import AuditController
from .auth import AuthController
from .conversations import ConversationAdminController
from .kb import KbController
from .model import ModelController
from .plugins import PluginAdminController
from .settings import SettingsController
from .tenants import TenantController
from .users import UserController
from .webhooks import WebhookController

__all__ = ["AdminFunction", "create_app"]

ADMIN_CONTROLLERS = (
    TenantController,
    UserController,
    ApiKeyController,
    KbController,
    SettingsController,
    ConversationAdminController,
    AuditController,
    WebhookController,
    PluginAdminController,
    AnalyticsController,
    ModelController,
)


class AdminFunction(InitPluginProtocol):
    """Staff authentication; management endpoints under ``/api/v1/admin``."""

    def on_app_init(self, app_config: AppConfig) -> AppConfig:
        app_config.route_handlers.append(AuthController)
        for controller in ADMIN_CONTROLLERS:
            controller.dependencies = {
                **vars(controller).get("dependencies", {}),
                "principal": Provide(current_principal),
            }
            app_config.route_handlers.append(controller)
        return app_config


def create_app(settings: Settings | None = None) -> Litestar:
    return build_app([AdminFunction()], settings)
