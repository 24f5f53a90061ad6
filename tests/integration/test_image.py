"""The Dockerfile built by a real Docker engine and run; compose.yaml run for real.

The base images are local stand-ins made from Debian packages (tests/containers.py): no image
registry is reachable here. Everything else is what a self-hoster runs: ``docker build`` of the
Dockerfile as written, ``docker run`` of the result, ``docker-compose up`` of compose.yaml with
kefu, PostgreSQL and Valkey on their own network, and a visitor's conversation through it.
"""

from __future__ import annotations

import json
import secrets
import shutil
import subprocess
import time
from pathlib import Path

import httpx
import pytest

from tests.conftest import _need
from tests.containers import DockerEngine, docker_engine, ensure_standins, why_no_engine
from tests.servers import free_port

# The first run makes the stand-in base images (a few minutes); later runs reuse them.
pytestmark = [pytest.mark.integration, pytest.mark.timeout(1200)]

ROOT = Path(__file__).resolve().parents[2]
IMAGE = "kefu:latest"  # the name compose.yaml runs


@pytest.fixture(scope="module")
def engine():
    reason = why_no_engine()
    if reason:
        _need(f"no Docker engine: {reason}")
    with docker_engine() as engine:
        ensure_standins(engine)
        # --network host: the build reaches the package registry through this machine's network.
        engine.run("build", "--network", "host", "-t", IMAGE, str(ROOT), timeout=1200)
        yield engine


def wait_healthy(engine: DockerEngine, container: str, within_s: float = 90) -> dict:
    deadline = time.monotonic() + within_s
    while True:
        state = engine.inspect(container)["State"]
        health = state.get("Health", {}).get("Status")
        if health == "healthy":
            return state
        if not state["Running"] or time.monotonic() > deadline:
            logs = engine.run("logs", container, check=False)
            raise AssertionError(f"{container}: {state}\n{logs.stdout}\n{logs.stderr}")
        time.sleep(1)


def test_the_image_runs_unprivileged_passes_its_healthcheck_and_is_ready(engine):
    name = f"kefu-image-{secrets.token_hex(4)}"
    # No network at all: embedded defaults (SQLite, in-process bus) need none.
    engine.run("run", "-d", "--name", name, "--network", "none", IMAGE)
    try:
        wait_healthy(engine, name)
        assert engine.run("exec", name, "id", "-u").stdout.strip() == "10001"
        # The server process itself (PID 1) runs as kefu, not root.
        status = engine.run("exec", name, "cat", "/proc/1/status").stdout
        assert "Uid:\t10001\t10001" in status
        ready = engine.run(
            "exec", name, "python", "-c",
            "import urllib.request as u; r = u.urlopen('http://127.0.0.1:8000/readyz');"
            "print(r.status, r.read().decode())",
        ).stdout  # fmt: skip
        assert ready.startswith("200")
        # Everything it wrote is its own (the data dir is the only writable place it needs).
        owners = engine.run("exec", name, "stat", "-c", "%u", "/data/kefu.db").stdout.strip()
        assert owners == "10001"
    finally:
        engine.run("rm", "-f", name, check=False)


def compose(engine: DockerEngine, project_dir: Path, *args: str, timeout: float = 300):
    result = subprocess.run(
        [
            shutil.which("docker-compose") or "docker-compose",
            "--project-directory", str(project_dir),
            "-f", str(ROOT / "compose.yaml"),
            "-p", project_dir.name,
            *args,
        ],
        env=engine.env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )  # fmt: skip
    if result.returncode != 0:
        raise AssertionError(f"docker-compose {' '.join(args)}:\n{result.stdout}\n{result.stderr}")
    return result


def ask(http: httpx.Client, url: str, question: str) -> tuple[str, str, list[dict]]:
    started = http.post(f"{url}/api/v1/visitor/conversations", json={"widget_key": "demo"})
    assert started.status_code == 201, started.text
    cid, token = started.json()["conversation_id"], started.json()["visitor_token"]
    headers = {"Authorization": f"Bearer {token}"}
    sent = http.post(
        f"{url}/api/v1/conversations/{cid}/messages",
        headers=headers,
        json={"content": question, "client_msg_id": "q1"},
    )
    assert sent.status_code == 201, sent.text
    for _ in range(100):
        messages = http.get(f"{url}/api/v1/conversations/{cid}/messages", headers=headers).json()
        if any(m["role"] == "bot" for m in messages["messages"]):
            return cid, token, messages["messages"]
        time.sleep(0.2)
    raise AssertionError(f"no answer: {messages}")


def test_compose_up_serves_a_conversation_stored_in_postgres(engine, tmp_path):
    if shutil.which("docker-compose") is None:
        _need("docker-compose is not installed (scripts/ensure-docker installs it)")
    project = tmp_path / f"kefucompose{secrets.token_hex(3)}"
    project.mkdir()
    port = free_port()
    (project / ".env").write_text(
        f"KEFU_SECRET_KEY={secrets.token_hex(32)}\n"
        f"POSTGRES_PASSWORD={secrets.token_hex(16)}\n"
        f"KEFU_PUBLISH=127.0.0.1:{port}\n"
        "KEFU_DEMO=true\n"
    )
    try:
        compose(engine, project, "up", "-d", "--no-build")
        kefu = compose(engine, project, "ps", "-q", "kefu").stdout.strip()
        wait_healthy(engine, kefu, within_s=120)
        url = f"http://127.0.0.1:{port}"
        with httpx.Client(timeout=10) as http:
            ready = http.get(f"{url}/readyz")
            assert ready.status_code == 200, ready.text
            cid, token, messages = ask(http, url, "Is delivery free?")
            bot = next(m for m in messages if m["role"] == "bot")
            assert "free" in bot["content"].lower() and bot["citations"]
            assert http.get(f"{url}/demo").status_code == 200
            assert "kefu" in http.get(f"{url}/widget.js").text
        # The conversation lives in PostgreSQL, not in the container: recreate kefu and read it.
        compose(engine, project, "rm", "-s", "-f", "kefu")
        compose(engine, project, "up", "-d", "--no-build", "kefu")
        kefu = compose(engine, project, "ps", "-q", "kefu").stdout.strip()
        wait_healthy(engine, kefu, within_s=120)
        with httpx.Client(timeout=10) as http:
            again = http.get(
                f"{url}/api/v1/conversations/{cid}/messages",
                headers={"Authorization": f"Bearer {token}"},
            )
        assert again.status_code == 200, again.text
        assert [m["content"] for m in again.json()["messages"]] == [m["content"] for m in messages]
        env = json.dumps(engine.inspect(kefu)["Config"]["Env"])
        assert "postgres://kefu:" in env and "valkey://valkey:6379" in env
    finally:
        subprocess.run(
            ["docker-compose", "--project-directory", str(project), "-f",
             str(ROOT / "compose.yaml"), "-p", project.name, "down", "-v", "--remove-orphans"],
            env=engine.env, capture_output=True, timeout=180,
        )  # fmt: skip
