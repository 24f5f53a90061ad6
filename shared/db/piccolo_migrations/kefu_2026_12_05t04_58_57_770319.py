from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import BigInt
from piccolo.columns.indexes import IndexMethod

ID = "2026-12-05T04:58:57:770319"
VERSION = "1.38.0"
DESCRIPTION = "user.tokens_valid_after: tokens issued earlier are refused"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="kefu", description=DESCRIPTION)

    manager.add_column(
        table_class_name="User",
        tablename="kefu_user",
        column_name="tokens_valid_after",
        db_column_name="tokens_valid_after",
        column_class_name="BigInt",
        column_class=BigInt,
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
