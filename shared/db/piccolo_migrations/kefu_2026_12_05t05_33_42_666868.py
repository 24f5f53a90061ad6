from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import Integer, Text
from piccolo.columns.indexes import IndexMethod

ID = "2026-12-05T05:33:42:666868"
VERSION = "1.38.0"
DESCRIPTION = "kb_chunk.terms, kb_chunk.terms_version: retrieval terms computed at ingest"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="kefu", description=DESCRIPTION)

    manager.add_column(
        table_class_name="KbChunk",
        tablename="kb_chunk",
        column_name="terms",
        db_column_name="terms",
        column_class_name="Text",
        column_class=Text,
        params={
            "default": "",
            "null": False,
            "primary_key": False,
            "unique": False,
            "index": False,
            "index_method": IndexMethod.btree,
            "choices": None,
            "db_column_name": None,
            "secret": False,
        },
        schema=None,
    )

    manager.add_column(
        table_class_name="KbChunk",
        tablename="kb_chunk",
        column_name="terms_version",
        db_column_name="terms_version",
        column_class_name="Integer",
        column_class=Integer,
        params={
            "default": 0,
            "null": False,
            "primary_key": False,
            "unique": False,
            "index": False,
            "index_method": IndexMethod.btree,
            "choices": None,
            "db_column_name": None,
            "secret": False,
        },
        schema=None,
    )

    return manager
