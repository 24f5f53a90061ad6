"""The chat function: the visitor's side of a conversation (REST, WebSocket, SSE) and the bot."""

from __future__ import annotations

from litestar import Litestar
from litestar.config.app import AppConfig
from litestar.plugins import InitPluginProtocol

from shared.core import build_app
from shared.settings import Settings

from .agent import AgentController
from .agent_tools import AgentToolsController
from .agent_ws import agent_ws
from .pages import page_handlers
from .routes import VisitorController
from .sse import conversation_events
from .ws import conversation_ws

__all__ = ["ChatFunction", "create_app"]


class ChatFunction(InitPluginProtocol):
    def on_app_init(self, app_config: AppConfig) -> AppConfig:
        app_config.route_handlers.extend(
            [
                VisitorController,
                conversation_ws,
                conversation_events,
                AgentController,
                AgentToolsController,
                agent_ws,
                *page_handlers,
            ]
        )
        return app_config


def create_app(settings: Settings | None = None) -> Litestar:
    return build_app([ChatFunction()], settings)
