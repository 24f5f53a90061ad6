"""The index the conversation-ratings analytics read a range of (portable SQL)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

ID = "2026-12-05T11:08:30:000000"
VERSION = "1.38.0"
DESCRIPTION = "conversation ratings index"

STATEMENT = (
    "CREATE INDEX IF NOT EXISTS conversation_rating_tenant_created "
    "ON conversation_rating (tenant, created_at)"
)


async def forwards():
    # Tenant is rebound to the current engine by shared.db.engine.bind(); any table would do.
    from shared.db.tables import Tenant as RawSQL

    manager = MigrationManager(migration_id=ID, app_name="kefu", description=DESCRIPTION)

    async def run():
        await RawSQL.raw(STATEMENT)

    async def run_backwards():
        await RawSQL.raw("DROP INDEX IF EXISTS conversation_rating_tenant_created")

    manager.add_raw(run)
    manager.add_raw_backwards(run_backwards)
    return manager
