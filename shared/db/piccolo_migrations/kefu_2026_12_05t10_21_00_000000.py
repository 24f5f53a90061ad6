"""Indexes the owner's analytics read ranges of (portable SQL; the partial index too)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

ID = "2026-12-05T10:21:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "analytics indexes"

STATEMENTS = (
    "CREATE INDEX IF NOT EXISTS conversation_tenant_created ON conversation (tenant, created_at)",
    "CREATE INDEX IF NOT EXISTS conversation_tenant_queued ON conversation (tenant, queued_at)",
    # The agents' first replies (first response times), without reading visitor/bot messages.
    "CREATE INDEX IF NOT EXISTS message_agent_reply ON message (conversation, created_at) "
    "WHERE role = 'agent'",
    "CREATE INDEX IF NOT EXISTS unanswered_tenant_created "
    "ON unanswered_question (tenant, created_at)",
)


async def forwards():
    # Tenant is rebound to the current engine by shared.db.engine.bind(); any table would do.
    from shared.db.tables import Tenant as RawSQL

    manager = MigrationManager(migration_id=ID, app_name="kefu", description=DESCRIPTION)

    async def run():
        for statement in STATEMENTS:
            await RawSQL.raw(statement)

    async def run_backwards():
        for statement in STATEMENTS:
            await RawSQL.raw(f"DROP INDEX IF EXISTS {statement.split(' ON ')[0].split()[-1]}")

    manager.add_raw(run)
    manager.add_raw_backwards(run_backwards)
    return manager
