"""Many idle visitors on ONE worker: server memory per connection, heartbeats flowing.

    scripts/uv run python -m tests.bench.connections --count 10000 [--json out.json]

One `kefu serve` process (one Granian worker) on Postgres + Valkey holds ``count`` SSE streams,
then ``count`` WebSockets (heartbeats every 5 s). Memory per connection = RSS growth / count on a
warmed server. The floors are the same measurements against bare apps under Granian that only
hold connections: a Litestar app (SSE with Litestar's own ServerSentEvent; WebSocket) and, for
SSE, a plain ASGI function (Granian's own cost). kefu's own cost is the difference.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
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
from litestar import Litestar, WebSocket, get, websocket
from litestar.response import ServerSentEvent, ServerSentEventMessage

@websocket("/ws")
async def hold(socket: WebSocket) -> None:
    await socket.accept()
    try:
        while True:
            await socket.receive_data(mode="text")
    except Exception:
        pass

@get("/sse")
async def sse() -> ServerSentEvent:
    async def pings():
        while True:
            await asyncio.sleep(5)
            yield ServerSentEventMessage(comment="ping", data=None)
    return ServerSentEvent(pings())

app = Litestar([hold, sse])

async def raw(scope, receive, send):  # plain ASGI: Granian's own cost of a stream
    if scope["type"] == "lifespan":
        while (await receive())["type"] != "lifespan.shutdown":
            await send({"type": "lifespan.startup.complete"})
        await send({"type": "lifespan.shutdown.complete"})
        return
    start = {"type": "http.response.start", "status": 200,
             "headers": [(b"content-type", b"text/event-stream")]}
    await send(start)
    while True:
        await asyncio.sleep(5)
        await send({"type": "http.response.body", "body": b": ping\\n\\n", "more_body": True})
"""


async def open_streams(
    port: int, paths: list[str], concurrency: int = 50
) -> list[tuple[asyncio.StreamReader, asyncio.StreamWriter]]:
    """Open one SSE stream per path over raw HTTP/1.1, ``concurrency`` at a time.

    A plain socket per stream (not an HTTP client library) keeps the load generator's own cost
    out of the way: 10,000 streams open in seconds instead of minutes.
    """
    gate = asyncio.Semaphore(concurrency)

    async def one(path: str) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        async with gate:
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.write(
                f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n".encode()
            )
            head = await reader.readuntil(b"\r\n\r\n")
            assert head.startswith(b"HTTP/1.1 200"), head[:200]
            return reader, writer

    return list(await asyncio.gather(*(one(p) for p in paths)))


def close_streams(streams) -> None:
    for _, writer in streams:
        writer.close()


async def heartbeats_seen(streams, sample: int, wait_s: float) -> float:
    """Share of a sample of streams that received a `: ping` within ``wait_s``."""

    async def one(reader: asyncio.StreamReader) -> bool:
        seen = b""
        try:
            async with asyncio.timeout(wait_s):
                while b": ping" not in seen and b":ping" not in seen:
                    chunk = await reader.read(4096)
                    if not chunk:
                        return False
                    seen = seen[-16:] + chunk
                return True
        except TimeoutError:
            return False

    picks = streams[:: max(1, len(streams) // sample)][:sample]
    results = await asyncio.gather(*(one(reader) for reader, _ in picks))
    return sum(results) / len(results)


async def measure_ws(url_ws, count: int, pids: list[int], concurrency: int = 50) -> float:
    warm = [await websockets.connect(url_ws(i), ping_interval=None) for i in range(5)]
    for ws in warm:
        await ws.close()
    await asyncio.sleep(1)
    before = rss_kib(pids)
    gate = asyncio.Semaphore(concurrency)

    async def one(i: int):
        async with gate:
            return await websockets.connect(url_ws(i), ping_interval=5, ping_timeout=30)

    sockets = await asyncio.gather(*(one(i) for i in range(count)))
    await asyncio.sleep(7)  # pings flow
    after = rss_kib(pids)
    alive = sum(1 for s in sockets if s.state.name == "OPEN")
    await asyncio.gather(*(s.close() for s in sockets))
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
            paths = [
                f"/api/v1/conversations/{v.conversation_id}/events?token={v.token}"
                for v in visitors
            ]
            port = int(url.rsplit(":", 1)[1])
            results["sse"] = await measure_sse(
                port, [paths[i % len(paths)] for i in range(args.count)], pids
            )
            print("sse", results["sse"], flush=True)
        if "ws" in args.kinds:
            # A fresh replica: one that just let 10,000 streams go reuses their freed memory,
            # and its RSS would hardly grow.
            with stack.another("ws") as ws_url:
                ws_base = ws_url.replace("http", "ws")

                def kefu_ws(i: int) -> str:
                    v = visitors[i % len(visitors)]
                    return f"{ws_base}/api/v1/conversations/{v.conversation_id}/ws?token={v.token}&after_seq=1000000"

                per_socket = await measure_ws(kefu_ws, args.count, server_pids([ws_url]))
            results["websocket"] = {"kib_per_connection": per_socket}
    if "sse" in args.kinds:
        for name, app in (("litestar", "floor:app"), ("granian", "floor:raw")):
            async with floor_server(app) as (port, floor_pids):
                floor = await measure_sse(port, ["/sse"] * args.count, floor_pids)
            results["sse"][f"floor_{name}_kib_per_connection"] = floor["kib_per_connection"]
        results["sse"]["kefu_own_kib_per_connection"] = round(
            results["sse"]["kib_per_connection"]
            - results["sse"]["floor_litestar_kib_per_connection"],
            1,
        )
        print("sse", results["sse"], flush=True)
    if "ws" in args.kinds:
        async with floor_server("floor:app") as (port, floor_pids):
            floor_kib = await measure_ws(
                lambda i: f"ws://127.0.0.1:{port}/ws", args.count, floor_pids
            )
        ws = results["websocket"]
        ws["floor_kib_per_connection"] = floor_kib
        ws["kefu_own_kib_per_connection"] = round(ws["kib_per_connection"] - floor_kib, 1)
        print("websocket", ws, flush=True)
    return results


async def measure_sse(port: int, paths: list[str], pids: list[int]) -> dict:
    """Hold one stream per path; RSS growth per stream on a server warmed by a few streams."""
    close_streams(await open_streams(port, paths[:20]))
    await asyncio.sleep(2)
    before = rss_kib(pids)
    started = time.perf_counter()
    streams = await open_streams(port, paths)
    opened_s = time.perf_counter() - started
    await asyncio.sleep(7)  # a heartbeat round has gone out on every stream
    after = rss_kib(pids)
    share = await heartbeats_seen(streams, sample=200, wait_s=12)
    close_streams(streams)
    await asyncio.sleep(2)
    return {
        "kib_per_connection": round((after - before) / len(paths), 1),
        "server_rss_mib": round(after / 1024, 1),
        "open_s": round(opened_s, 1),
        "heartbeat_share": share,
    }


@contextlib.asynccontextmanager
async def floor_server(app: str):
    """A bare app (``module:attr`` of :data:`FLOOR_APP`) under Granian, one worker, the same
    connection limits as ``kefu serve``; yields (port, pids)."""
    floor_dir = Path(tempfile.mkdtemp())
    (floor_dir / "floor.py").write_text(FLOOR_APP)
    port = free_port()
    granian = str(Path(sys.executable).parent / "granian")
    proc = subprocess.Popen(  # noqa: ASYNC220 - the floor server, started once
        [granian, "--interface", "asgi", "--port", str(port), "--loop", "uvloop"]
        + ["--backlog", "4096", "--backpressure", "16384", app],
        cwd=floor_dir,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            try:
                _, writer = await asyncio.open_connection("127.0.0.1", port)
                writer.close()
                break
            except OSError:
                await asyncio.sleep(0.1)
        yield port, server_pids([f"http://127.0.0.1:{port}"])
    finally:
        proc.terminate()
        proc.wait()


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
