"""Piccolo configuration for the ``piccolo`` CLI and the migration runner.

``DB`` is resolved on access: the engine bound by :func:`shared.db.engine.bind`, or one built
from settings when the Piccolo CLI runs on its own.
"""

from __future__ import annotations

from piccolo.conf.apps import AppRegistry

APP_REGISTRY = AppRegistry(apps=["shared.db.piccolo_app"])


def __getattr__(name: str):
    if name != "DB":
        raise AttributeError(name)
    from shared.db import engine as engines

    try:
        return engines.current_engine()
    except RuntimeError:
        from shared.settings import get_settings

        settings = get_settings()
        engine = engines.engine_from_url(settings.resolved_database_url)
        engines.bind(engine)
        return engine
