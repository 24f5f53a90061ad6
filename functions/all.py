"""The all-in-one app: every function's plugin in one Litestar app (the laptop default)."""

from __future__ import annotations

from litestar import Litestar

from shared.core import build_app
from shared.settings import Settings

from .admin import AdminFunction
from .chat import ChatFunction
from .plugins import PluginsFunction

__all__ = ["create_app"]


def create_app(settings: Settings | None = None) -> Litestar:
    return build_app([ChatFunction(), AdminFunction(), PluginsFunction()], settings)
