"""The single Piccolo app holding kefu's tables and committed migrations."""

from __future__ import annotations

import os

from piccolo.conf.apps import AppConfig

from .tables import ALL_TABLES

APP_CONFIG = AppConfig(
    app_name="kefu",
    migrations_folder_path=os.path.join(os.path.dirname(__file__), "piccolo_migrations"),
    table_classes=list(ALL_TABLES),
    migration_dependencies=[],
    commands=[],
)
