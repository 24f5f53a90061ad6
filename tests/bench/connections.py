"""Many idle visitors on ONE worker: server memory per connection, heartbeats flowing.

    scripts/uv run python -m tests.bench.connections --count 10000 [--json out.json]

One `kefu serve` process (one Granian worker) on Postgres + Valkey holds ``count`` SSE streams,
then ``count`` WebSockets (heartbeats every 5 s). Memory per connection = RSS growth / count on a
warmed server. The WebSocket floor is the same measurement against a bare Litestar app under
Granian that only accepts sockets: kefu's own cost is the difference.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import websockets

from tests.bench.harness import machine, production_stack, rss_kib, server_pids
from tests.client import Visitor
from tests.servers import free_port

FLOOR_APP = """
import asyncio
from litestar import Litestar, WebSocket, websocket

@websocket("/ws")
async def hold(socket: WebSocket) -> None:
    await socket.accept()
    try:
        while True:
            await socket.receive_data(mode="text")
    except Exception:
        pass

app = Litestar([hold])
"""


async def open_sse(url: str, visitors: list[Visitor], count: int):
    limits = httpx.Limits(max_connections=count + 10, max_keepalive_connections=count + 10)
    client = httpx.AsyncClient(timeout=None, limits=limits)
    streams = []
    for i in range(count):
        v = visitors[i % len(visitors)]
        resp = await client.send(
            client.build_request("GET", f"{v.api}/events?token={v.token}"), stream=True
        )
        assert resp.status_code == 200
        streams.append(resp)
    return client, streams


async def heartbeats_seen(streams, sample: int, wait_s: float) -> float:
    """Share of a sample of streams that received a `: ping` within ``wait_s``."""

    async def one(resp) -> bool:
        try:
            async with asyncio.timeout(wait_s):
                async for chunk in resp.aiter_bytes():
                    if b": ping" in chunk or b":ping" in chunk:
                        return True
        except TimeoutError:
            return False
        return False

    picks = streams[:: max(1, len(streams) // sample)][:sample]
    results = await asyncio.gather(*(one(r) for r in picks))
    return sum(results) / len(results)


async def measure_ws(url_ws: str, count: int, pids: list[int]) -> float:
    warm = [await websockets.connect(url_ws(i), ping_interval=None) for i in range(5)]
    for ws in warm:
        await ws.close()
    await asyncio.sleep(1)
    before = rss_kib(pids)
    sockets = []
    for i in range(count):
        sockets.append(await websockets.connect(url_ws(i), ping_interval=5, ping_timeout=30))
    await asyncio.sleep(6)  # pings flow
    after = rss_kib(pids)
    alive = sum(1 for s in sockets if s.state.name == "OPEN")
    for s in sockets:
        await s.close()
    assert alive == count, f"{count - alive} sockets dropped"
    return round((after - before) / count, 1)


async def main_async(args) -> dict:
    results: dict = {"machine": machine(), "count": args.count}
    env = {"KEFU_SSE_HEARTBEAT_S": "5", "KEFU_RATE_LIMITS": "false"}
    with production_stack(replicas=1, workers=1, extra_env=env) as stack:
        url = stack.urls[0]
        pids = server_pids([url])
        async with httpx.AsyncClient(timeout=30) as http:
            visitors = [await Visitor.start(http, url) for _ in range(50)]
        if "sse" in args.kinds:
            results["sse"] = await measure_sse(url, visitors, args.count, pids)
            print("sse", results["sse"], flush=True)
        if "ws" not in args.kinds:
            return results
        ws_base = url.replace("http", "ws")

        def kefu_ws(i: int) -> str:
            v = visitors[i % len(visitors)]
            return f"{ws_base}/api/v1/conversations/{v.conversation_id}/ws?token={v.token}&after_seq=1000000"

        kefu_ws_kib = await measure_ws(kefu_ws, args.count, pids)
    return await _floor(results, args, kefu_ws_kib)


async def measure_sse(url: str, visitors: list[Visitor], count: int, pids: list[int]) -> dict:
    # Warm the SSE path, then measure.
    client, warm = await open_sse(url, visitors, 5)
    for r in warm:
        await r.aclose()
    await client.aclose()
    await asyncio.sleep(1)
    before = rss_kib(pids)
    started = time.perf_counter()
    client, streams = await open_sse(url, visitors, count)
    opened_s = time.perf_counter() - started
    await asyncio.sleep(2)
    after = rss_kib(pids)
    share = await heartbeats_seen(streams, sample=200, wait_s=12)
    result = {
        "kib_per_connection": round((after - before) / count, 1),
        "server_rss_mib": round(after / 1024, 1),
        "open_s": round(opened_s, 1),
        "heartbeat_share": share,
    }
    for r in streams:
        await r.aclose()
    await client.aclose()
    await asyncio.sleep(2)
    return result


async def _floor(results: dict, args, kefu_ws_kib: float) -> dict:
    floor_dir = Path(tempfile.mkdtemp())
    (floor_dir / "floorws.py").write_text(FLOOR_APP)
    port = free_port()
    granian = str(Path(sys.executable).parent / "granian")
    floor = subprocess.Popen(  # noqa: ASYNC220 - the floor server, started once
        [granian, "--interface", "asgi", "--port", str(port), "--backlog", "4096", "floorws:app"],
        cwd=floor_dir,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            try:
                async with websockets.connect(f"ws://127.0.0.1:{port}/ws"):
                    break
            except OSError:
                await asyncio.sleep(0.1)
        floor_kib = await measure_ws(
            lambda i: f"ws://127.0.0.1:{port}/ws",
            args.count,
            server_pids([f"http://127.0.0.1:{port}"]),
        )
    finally:
        floor.terminate()
        floor.wait()
    results["websocket"] = {
        "kib_per_connection": kefu_ws_kib,
        "floor_kib_per_connection": floor_kib,
        "kefu_own_kib_per_connection": round(kefu_ws_kib - floor_kib, 1),
    }
    print("websocket", results["websocket"], flush=True)
    return results


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--json")
    parser.add_argument("--kinds", default="sse,ws", help="sse, ws or both (comma-separated)")
    args = parser.parse_args()
    results = asyncio.run(main_async(args))
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
