"""Database engines: pick Postgres or SQLite from a URL and bind every table to it."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from urllib.parse import urlsplit

from piccolo.apps.migrations.tables import Migration
from piccolo.engine.base import Engine
from piccolo.engine.postgres import PostgresEngine
from piccolo.engine.sqlite import SQLiteEngine

from .tables import ALL_TABLES

__all__ = [
    "engine_from_url",
    "write_transaction",
    "bind",
    "current_engine",
    "open_engine",
    "fill_pool",
    "close_engine",
    "is_postgres",
]

_current: Engine | None = None
log = logging.getLogger("kefu.db")


def engine_from_url(url: str, statement_timeout_s: float = 30.0) -> Engine:
    """``postgres://…`` -> PostgresEngine; ``sqlite:///path`` -> SQLiteEngine (WAL, busy timeout)."""
    scheme = urlsplit(url).scheme
    if scheme in {"postgres", "postgresql"}:
        # Bounded waits: an unreachable database is a quick 503, never a hung request.
        return PostgresEngine(
            config={"dsn": url, "timeout": 5, "command_timeout": statement_timeout_s}
        )
    if scheme == "sqlite":
        # sqlite:///relative/or/./path and sqlite:////absolute/path, as in SQLAlchemy
        path = url[len("sqlite:///") :]
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        return SQLiteEngine(path=path, timeout=30)
    raise ValueError(f"unsupported database URL scheme {scheme!r}: use postgres:// or sqlite:///")


_sqlite_writers: dict[int, asyncio.Lock] = {}


def _sqlite_writer() -> asyncio.Lock:
    """This process's turn to write to SQLite, first come first served (per event loop)."""
    loop = asyncio.get_running_loop()
    lock = _sqlite_writers.get(id(loop))
    if lock is None:
        _sqlite_writers.clear()  # an earlier loop's lock (tests run many loops) is done with
        lock = _sqlite_writers[id(loop)] = asyncio.Lock()
    return lock


@asynccontextmanager
async def write_transaction(engine: Engine) -> AsyncIterator[None]:
    """A transaction that writes.

    SQLite has one writer. Its own busy handler polls (up to 100 ms apart), so a long series of
    writes starves whoever waits; here writers of this process queue in order instead, and the
    transaction takes the write lock at BEGIN (IMMEDIATE): a deferred one that reads and then
    writes fails at once with "database is locked" when another writer got in between.
    Postgres needs nothing special."""
    if is_postgres(engine):
        async with engine.transaction():
            yield
        return
    from piccolo.engine.sqlite import TransactionType

    async with _sqlite_writer(), engine.transaction(transaction_type=TransactionType.immediate):
        yield


def is_postgres(engine: Engine) -> bool:
    return engine.engine_type in {"postgres", "cockroach"}


def bind(engine: Engine) -> None:
    """Point every table (and Piccolo's migration table) at this engine."""
    global _current
    for table in (*ALL_TABLES, Migration):
        table._meta.db = engine
    _current = engine


def current_engine() -> Engine:
    if _current is None:
        raise RuntimeError("no database engine bound; call shared.db.engine.bind() first")
    return _current


async def open_engine(engine: Engine, *, pool_size: int = 10) -> None:
    """Open pools (Postgres) or switch on WAL (SQLite) once per process.

    The pool starts with one connection, so the process is ready at once; :func:`fill_pool`
    opens the rest right after, and they stay open (no idle expiry).
    """
    bind(engine)
    if isinstance(engine, PostgresEngine):
        await engine.start_connection_pool(
            min_size=1,
            max_size=pool_size,
            max_inactive_connection_lifetime=0,
            reset=_keep_session,
        )
    elif isinstance(engine, SQLiteEngine):
        with sqlite3.connect(engine.path) as conn:
            conn.execute("PRAGMA journal_mode=WAL")


async def fill_pool(engine: Engine) -> None:
    """Open every pooled connection now, in the background after start-up.

    A pool that grows under load makes the requests of that moment wait for new connections
    (a stall of ~100 ms in every reply at 1,000 messages/s); filled beforehand, it never grows.
    """
    pool = getattr(engine, "pool", None)
    if pool is None:
        return

    async def touch() -> None:
        async with pool.acquire():
            pass  # connected; handed straight back

    try:
        await asyncio.gather(*(touch() for _ in range(pool.get_max_size())))
    except Exception as exc:  # the database is away: the pool grows on demand later
        log.warning("could not open the whole database pool (%s)", exc)


async def _keep_session(connection: object) -> None:
    """Skip asyncpg's per-release session reset (a round trip per query).

    kefu keeps no session state on pooled connections (no SET, LISTEN or cursors; the one
    advisory lock is released explicitly); open transactions are still rolled back by asyncpg.
    """


async def close_engine(engine: Engine) -> None:
    if isinstance(engine, PostgresEngine):
        await engine.close_connection_pool()
