"""The `kefu` command as an operator uses it."""

from __future__ import annotations

import asyncio
import subprocess
import sys

import httpx
import websockets

from tests.client import Visitor, next_event
from tests.servers import ROOT, kefu_server


def kefu(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "shared.cli", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_help_lists_the_commands():
    out = kefu("--help")
    assert out.returncode == 0
    for command in ("serve", "migrate", "kb", "seed-demo"):
        assert command in out.stdout


def test_migrate_then_kb_import_into_the_demo_tenant(tmp_path):
    import os

    env = {**os.environ, "KEFU_DATA_DIR": str(tmp_path / "data")}
    assert kefu("migrate", env=env).returncode == 0
    assert kefu("seed-demo", env=env).returncode == 0
    doc = tmp_path / "bikes.md"
    doc.write_text("# Bikes\n\n## Do you sell e-bikes?\n\nYes, three models of e-bikes.\n")
    first = kefu("kb", "import", str(doc), env=env)
    assert first.returncode == 0, first.stderr
    assert "1 changed" in first.stdout
    again = kefu("kb", "import", str(doc), env=env)
    assert "0 changed" in again.stdout  # unchanged documents are not re-indexed
    missing = kefu("kb", "import", str(tmp_path / "nope.md"), env=env)
    assert missing.returncode == 2 and "does not exist" in missing.stderr
    unknown = kefu("kb", "import", str(doc), "--tenant", "ghost", env=env)
    assert unknown.returncode == 2 and "no tenant" in unknown.stderr


async def test_two_workers_on_embedded_defaults_share_events(tmp_path):
    """`kefu serve --workers 2` with nothing configured starts an embedded Valkey for them."""
    with kefu_server(tmp_path / "data", workers=2) as url:
        async with httpx.AsyncClient(timeout=10) as http:
            visitor = await Visitor.start(http, url)
            await visitor.handoff(http)
            sockets = [await websockets.connect(visitor.ws_url(after_seq=1)) for _ in range(12)]
            try:
                await asyncio.sleep(0.3)
                sent = await visitor.send(http, "hello from one worker")
                for ws in sockets:
                    assert (await next_event(ws))["message"]["id"] == sent["id"]
            finally:
                for ws in sockets:
                    await ws.close()
        assert (tmp_path / "data" / "valkey").is_dir()


def test_a_second_server_on_a_busy_port_is_refused_and_the_first_keeps_serving(tmp_path):
    import os

    with kefu_server(tmp_path / "first") as url:
        port = url.rsplit(":", 1)[1]
        env = {**os.environ, "KEFU_DATA_DIR": str(tmp_path / "second")}
        second = kefu("serve", "--port", port, env=env)
        assert second.returncode == 2
        assert f"cannot listen on 127.0.0.1:{port}" in second.stderr
        assert "--port" in second.stderr
        assert httpx.get(f"{url}/readyz").status_code == 200


def test_the_demo_is_seeded_only_on_loopback_unless_asked_for(tmp_path):
    """The demo agent's password is public: a server others can reach gets no demo shop by
    default, and says so; asked for explicitly, it gets one."""
    from shared.demo import DEMO_AGENT

    def demo_there(url: str) -> tuple[int, int]:
        widget = httpx.post(f"{url}/api/v1/visitor/conversations", json={"widget_key": "demo"})
        login = httpx.post(
            f"{url}/api/v1/auth/login", json={"email": DEMO_AGENT[0], "password": DEMO_AGENT[1]}
        )
        return widget.status_code, login.status_code

    with kefu_server(tmp_path / "open", host="0.0.0.0") as url:
        assert demo_there(url) == (404, 401)
        log = next((tmp_path).glob("server-*.log")).read_text()
        assert "no demo shop" in log and "KEFU_DEMO=true" in log
    with kefu_server(tmp_path / "asked", host="0.0.0.0", env={"KEFU_DEMO": "true"}) as url:
        assert demo_there(url) == (201, 200)
    with kefu_server(tmp_path / "local") as url:
        assert demo_there(url) == (201, 200)
