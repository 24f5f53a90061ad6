"""Composite unique indexes the conversation core relies on (portable SQL)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

ID = "2026-11-24T22:05:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "message seq and client_msg_id unique per conversation"

STATEMENTS = (
    # Gapless per-conversation sequence: one row per (conversation, seq).
    "CREATE UNIQUE INDEX IF NOT EXISTS message_conversation_seq ON message (conversation, seq)",
    # Idempotent sends: the same client_msg_id twice in one conversation is one message.
    "CREATE UNIQUE INDEX IF NOT EXISTS message_conversation_client_msg_id "
    "ON message (conversation, client_msg_id)",
    "CREATE INDEX IF NOT EXISTS kb_chunk_tenant_document ON kb_chunk (tenant, document)",
)


async def forwards():
    # Tenant is rebound to the current engine by shared.db.engine.bind(); any table would do.
    from shared.db.tables import Tenant as RawSQL

    manager = MigrationManager(migration_id=ID, app_name="kefu", description=DESCRIPTION)

    async def run():
        for statement in STATEMENTS:
            await RawSQL.raw(statement)

    async def run_backwards():
        for name in (
            "message_conversation_seq",
            "message_conversation_client_msg_id",
            "kb_chunk_tenant_document",
        ):
            await RawSQL.raw(f"DROP INDEX IF EXISTS {name}")

    manager.add_raw(run)
    manager.add_raw_backwards(run_backwards)
    return manager
