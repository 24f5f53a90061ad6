"""Cold start of each function: process start -> /readyz answers 200 (Postgres + Valkey).

    scripts/uv run python -m tests.bench.coldstart [--runs 5] [--python VENV/bin/python] [--json out.json]

The database is migrated beforehand and ``KEFU_MIGRATE_ON_START=false``, as in a Knative
deployment (a Job migrates). Also measured: the floor, a bare Litestar app under Granian.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from tests.bench.harness import machine, production_stack
from tests.servers import ROOT, free_port

FLOOR_APP = """
from litestar import Litestar, get
@get("/readyz", sync_to_thread=False)
def readyz() -> dict: return {"ok": True}
app = Litestar([readyz])
"""


def time_to_ready(command: list[str], env: dict[str, str], port: int, cwd: Path) -> float:
    started = time.perf_counter()
    proc = subprocess.Popen(
        command, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        while True:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=0.5).status_code == 200:
                    return time.perf_counter() - started
            except httpx.HTTPError:
                pass
            if proc.poll() is not None:
                raise RuntimeError(f"{command} exited with {proc.returncode}")
            time.sleep(0.005)
    finally:
        proc.terminate()
        proc.wait(15)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json")
    parser.add_argument(
        "--python",
        default=sys.executable,
        help="the interpreter to start kefu with, e.g. a production venv built like the image "
        "(uv sync --no-dev --no-editable with UV_COMPILE_BYTECODE=1)",
    )
    args = parser.parse_args()
    results: dict = {
        "machine": machine(),
        "runs": args.runs,
        "python": args.python,
        "functions": {},
    }
    with production_stack(replicas=1) as stack:  # one replica migrates the database
        base = {
            **{k: v for k, v in os.environ.items() if not k.startswith("KEFU_")},
            **stack.env,
            "KEFU_MIGRATE_ON_START": "false",
            "KEFU_DEMO": "false",
            "KEFU_LOG_LEVEL": "warning",
            "KEFU_DATA_DIR": tempfile.mkdtemp(),
        }
        for function in ("chat", "admin", "plugins", "all"):
            times = []
            for _ in range(args.runs):
                port = free_port()
                command = [
                    args.python,
                    "-m",
                    "shared.cli",
                    "serve",
                    "--function",
                    function,
                    "--port",
                    str(port),
                ]
                times.append(time_to_ready(command, base, port, ROOT))
            results["functions"][function] = {
                "median_s": round(statistics.median(times), 3),
                "min_s": round(min(times), 3),
                "max_s": round(max(times), 3),
            }
            print(function, results["functions"][function], flush=True)
    floor_dir = Path(tempfile.mkdtemp())
    (floor_dir / "floorapp.py").write_text(FLOOR_APP)
    granian = str(Path(args.python).parent / "granian")
    floor = []
    for _ in range(args.runs):
        port = free_port()
        floor.append(
            time_to_ready(
                [granian, "--interface", "asgi", "--port", str(port), "floorapp:app"],
                dict(os.environ),
                port,
                floor_dir,
            )
        )
    results["floor_bare_litestar_granian"] = {"median_s": round(statistics.median(floor), 3)}
    print("floor", results["floor_bare_litestar_granian"], flush=True)
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
