"""SIGTERM (a rolling update, a scale-down): live streams are told to reconnect elsewhere at
once, and the process exits promptly instead of waiting for visitors to leave."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time

import httpx
import pytest
import websockets

from tests.servers import ROOT, free_port

pytestmark = pytest.mark.integration


async def test_sigterm_sends_sockets_elsewhere_and_exits_promptly(tmp_path):
    port = free_port()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("KEFU_")},
        "KEFU_DATA_DIR": str(tmp_path / "data"),
        "KEFU_DEMO": "true",
    }
    server = subprocess.Popen(  # noqa: ASYNC220 - started once, before any traffic
        [sys.executable, "-m", "shared.cli", "serve", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        async with httpx.AsyncClient(base_url=url, timeout=30) as http:
            for _ in range(300):
                try:
                    if (await http.get("/readyz")).status_code == 200:
                        break
                except httpx.HTTPError:
                    await asyncio.sleep(0.1)
            started = (
                await http.post("/api/v1/visitor/conversations", json={"widget_key": "demo"})
            ).json()
            cid, token = started["conversation_id"], started["visitor_token"]
            ws = await websockets.connect(
                f"ws://127.0.0.1:{port}/api/v1/conversations/{cid}/ws?token={token}"
            )

            async def sse() -> float:
                async with http.stream(
                    "GET", f"/api/v1/conversations/{cid}/events?token={token}"
                ) as r:
                    async for _ in r.aiter_lines():
                        pass
                return time.monotonic()

            stream = asyncio.create_task(sse())
            await asyncio.sleep(0.5)
            sent = time.monotonic()
            os.killpg(server.pid, signal.SIGTERM)
            with pytest.raises(websockets.ConnectionClosed) as closed:
                while True:
                    await asyncio.wait_for(ws.recv(), 10)
            assert closed.value.rcvd is not None and closed.value.rcvd.code == 1012  # reconnect
            ended = await asyncio.wait_for(stream, 10)
            assert ended - sent < 3.0  # the SSE stream ended: EventSource resumes elsewhere
        for _ in range(100):
            if server.poll() is not None:
                break
            await asyncio.sleep(0.1)
        assert server.poll() == 0 and time.monotonic() - sent < 10
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
