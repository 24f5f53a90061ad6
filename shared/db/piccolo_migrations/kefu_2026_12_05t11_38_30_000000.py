"""Message search: on Postgres a GIN index over each message's terms (an exact-term array), on
SQLite an FTS5 table the indexer fills; on both, a partial index over messages not indexed yet."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

ID = "2026-12-05T11:38:30:000000"
VERSION = "1.38.0"
DESCRIPTION = "message search indexes"

POSTGRES = (
    "CREATE INDEX IF NOT EXISTS message_search_terms ON message "
    "USING gin (string_to_array(search_terms, ' '))",
)
SQLITE = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS message_fts USING fts5("
    "terms, message_id UNINDEXED, conversation UNINDEXED, tenant UNINDEXED, "
    "tokenize = 'unicode61 remove_diacritics 0')",
)
BOTH = (
    "CREATE INDEX IF NOT EXISTS message_search_backlog ON message (created_at) "
    "WHERE search_terms IS NULL",
)


async def forwards():
    # Tenant is rebound to the current engine by shared.db.engine.bind(); any table would do.
    from shared.db.tables import Tenant as RawSQL

    manager = MigrationManager(migration_id=ID, app_name="kefu", description=DESCRIPTION)

    def postgres() -> bool:
        return RawSQL._meta.db.engine_type in ("postgres", "cockroach")

    async def run():
        for statement in (POSTGRES if postgres() else SQLITE) + BOTH:
            await RawSQL.raw(statement)

    async def run_backwards():
        await RawSQL.raw("DROP INDEX IF EXISTS message_search_backlog")
        if postgres():
            await RawSQL.raw("DROP INDEX IF EXISTS message_search_terms")
        else:
            await RawSQL.raw("DROP TABLE IF EXISTS message_fts")

    manager.add_raw(run)
    manager.add_raw_backwards(run_backwards)
    return manager
