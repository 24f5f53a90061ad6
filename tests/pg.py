"""Postgres administration for tests and benchmarks (create and drop throwaway databases)."""

from __future__ import annotations

import asyncio
import os
from concurrent.futures import ThreadPoolExecutor

PG_SERVER = os.environ.get("KEFU_TEST_POSTGRES", "postgres://postgres@127.0.0.1:5432")


def pg_admin(sql: str) -> None:
    """Run one statement against the server's ``postgres`` database.

    It runs on its own event loop in a thread, so callers may be inside a running loop.
    """
    import asyncpg

    async def run() -> None:
        conn = await asyncpg.connect(f"{PG_SERVER}/postgres", timeout=5)
        try:
            await conn.execute(sql)
        finally:
            await conn.close()

    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, run()).result()
