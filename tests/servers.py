"""Run real ``kefu serve`` processes (Granian) for end-to-end tests and benchmarks."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def kefu_server(
    data_dir: Path,
    *,
    env: dict[str, str] | None = None,
    workers: int = 1,
    timeout: float = 60.0,
    host: str = "127.0.0.1",
    warm: bool = False,
) -> Iterator[str]:
    """Start ``kefu serve`` on a free port (listening on ``host``); yield its base URL on
    loopback once /readyz answers 200 (and, with ``warm``, says the bot's text tools have
    loaded: a test that times a turn then times the turn, not the loading)."""
    port = free_port()
    full_env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("KEFU_")},
        "KEFU_DATA_DIR": str(data_dir),
        "KEFU_LOG_LEVEL": "warning",
        **(env or {}),
    }
    log = open(data_dir.parent / f"server-{port}.log", "wb")  # noqa: SIM115 - closed below
    data_dir.mkdir(parents=True, exist_ok=True)
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "shared.cli",
            "serve",
            "--host",
            host,
            "--port",
            str(port),
            "--workers",
            str(workers),
        ],
        cwd=ROOT,
        env=full_env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"kefu serve exited with {proc.returncode}: {_tail(log)}")
            try:
                ready = httpx.get(f"{url}/readyz", timeout=1.0)
                if ready.status_code == 200 and (ready.json()["warm"] or not warm):
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"kefu serve not ready in {timeout}s: {_tail(log)}")
            time.sleep(0.1)
        yield url
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
        log.close()


def _tail(log) -> str:
    log.flush()
    return Path(log.name).read_text(errors="replace")[-3000:]


def create_owner(
    data_dir: Path,
    email: str,
    password: str,
    env: dict[str, str] | None = None,
    *,
    role: str = "owner",
    tenant: str | None = "demo",
) -> None:
    """An owner of the demo tenant (or ``role`` in ``tenant``; None for the platform's
    superadmin), made as an operator makes one: `kefu create-admin`."""
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "shared.cli",
            "create-admin",
            "--email",
            email,
            "--password",
            password,
            *(["--tenant", tenant] if tenant else []),
            "--role",
            role,
        ],
        cwd=ROOT,
        env={**os.environ, **(env or {}), "KEFU_DATA_DIR": str(data_dir)},
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr


@contextmanager
def llama_cpp_server(
    model: Path, *, n_ctx: int = 2048, threads: int = 2, embedding: bool = False
) -> Iterator[tuple[str, Path, subprocess.Popen]]:
    """llama.cpp's OpenAI-compatible server (llama-cpp-python) on ``model``, on a free port:
    (its /v1 URL, its log file, the process) once /v1/models answers. One generation at a time,
    never cut short by the next request (its default interrupts a running generation when
    another request arrives)."""
    import tempfile

    port = free_port()
    log_path = Path(tempfile.mkdtemp(prefix="kefu-llama-")) / "llama-server.log"
    log = log_path.open("wb")
    args = [
        sys.executable, "-m", "llama_cpp.server", "--model", str(model),
        "--host", "127.0.0.1", "--port", str(port), "--n_ctx", str(n_ctx),
        "--n_threads", str(threads), "--interrupt_requests", "false",
    ]  # fmt: skip
    if embedding:
        args += ["--embedding", "true"]
    proc = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/v1"
    try:
        deadline = time.monotonic() + 180
        while True:
            try:
                if httpx.get(f"{url}/models", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                tail = log_path.read_bytes()[-6000:].decode("utf-8", "replace")
                raise RuntimeError(
                    f"llama.cpp server did not start (exit code {proc.poll()}); its log:\n{tail}"
                )
            time.sleep(0.25)
        yield url, log_path, proc
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        log.close()
