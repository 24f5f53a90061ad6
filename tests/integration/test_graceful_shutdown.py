"""SIGTERM (a rolling update, a scale-down): live streams are told to reconnect elsewhere at
once, and the process exits promptly instead of waiting for visitors to leave."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import AsyncIterator

import httpx
import pytest
import websockets

from tests.servers import ROOT, free_port

pytestmark = pytest.mark.integration


async def test_sigterm_sends_sockets_elsewhere_and_exits_promptly(tmp_path):
    port = free_port()
    server = _serve(tmp_path, port)
    url = f"http://127.0.0.1:{port}"
    try:
        async with httpx.AsyncClient(base_url=url, timeout=30) as http:
            await _ready(http)
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
        _stop(server)


def _serve(tmp_path, port: int, **extra: str) -> subprocess.Popen:
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("KEFU_")},
        "KEFU_DATA_DIR": str(tmp_path / "data"),
        "KEFU_DEMO": "true",
        "KEFU_KB_EMBEDDER": "off",
        "KEFU_RATE_LIMITS": "false",
        **extra,
    }
    return subprocess.Popen(
        [sys.executable, "-m", "shared.cli", "serve", "--port", str(port)],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True,
    )  # fmt: skip


def _stop(server: subprocess.Popen) -> None:
    """Kill the server (its whole process group) if a test left it running."""
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()


async def _ready(http: httpx.AsyncClient) -> None:
    for _ in range(600):
        try:
            if (await http.get("/readyz")).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        await asyncio.sleep(0.1)
    raise AssertionError("the server never became ready")


async def _exited(server: subprocess.Popen, within_s: float) -> float:
    started = time.monotonic()
    for _ in range(int(within_s * 10)):
        if server.poll() is not None:
            break
        await asyncio.sleep(0.1)
    assert server.poll() == 0, "the server did not stop cleanly"
    return time.monotonic() - started


def _slow_model():
    """(a scripted model server answering in ~3 s, its answer, the server's environment)."""
    from tests.fake_openai import FakeToolModelServer

    answer = "Standard shipping takes 3-5 business days. " * 4
    model = FakeToolModelServer()
    model.default_text = answer.strip()
    model.delay_s = 0.1
    extra = {"KEFU_LLM_URL": model.url, "KEFU_LLM_TOOLS": "off", "KEFU_ANSWER_CACHE_TTL_S": "0"}
    return model, answer, extra


class _MidAnswer:
    """A server (same port and data across restarts) whose slow scripted model is answering a
    visitor's question."""

    def __init__(self, tmp_path) -> None:
        self.model, self.answer, self._extra = _slow_model()
        self._tmp_path, self._port = tmp_path, free_port()
        self.url = f"http://127.0.0.1:{self._port}"
        self.server = _serve(tmp_path, self._port, **self._extra)

    def restart(self) -> None:
        self.server = _serve(self._tmp_path, self._port, **self._extra)

    async def asked(self, http: httpx.AsyncClient) -> tuple[str, dict]:
        """Once ready, a visitor asks; (conversation id, visitor headers) a third of the way
        into the answer."""
        await _ready(http)
        asked = await _ask_while_it_answers(http, self.model)
        await asyncio.sleep(1.0)
        return asked


@contextlib.asynccontextmanager
async def _mid_answer(tmp_path) -> AsyncIterator[_MidAnswer]:
    run = _MidAnswer(tmp_path)
    try:
        yield run
    finally:
        _stop(run.server)
        run.model.stop()


async def _ask_while_it_answers(http: httpx.AsyncClient, model) -> tuple[str, dict]:
    """A visitor asks; returns (conversation id, visitor headers) once the model is answering."""
    started = (await http.post("/api/v1/visitor/conversations", json={"widget_key": "demo"})).json()
    cid = started["conversation_id"]
    visitor = {"Authorization": f"Bearer {started['visitor_token']}"}
    await http.post(f"/api/v1/conversations/{cid}/messages", headers=visitor,
                    json={"content": "How long does shipping take?"})  # fmt: skip
    for _ in range(200):
        if model.requests:
            break
        await asyncio.sleep(0.05)
    return cid, visitor


async def test_sigterm_mid_answer_finishes_the_answer_before_exiting(tmp_path):
    async with _mid_answer(tmp_path) as run:
        async with httpx.AsyncClient(base_url=run.url, timeout=30) as http:
            cid, visitor = await run.asked(http)  # a third of the answer is out
            os.killpg(run.server.pid, signal.SIGTERM)
            # While it drains, a new request is refused at once, with when to retry.
            await asyncio.sleep(0.7)
            refused = await http.get(f"/api/v1/conversations/{cid}/messages", headers=visitor)
            assert refused.status_code == 503 and refused.json()["code"] == "draining"
            assert refused.headers["retry-after"] == "1"
        took = await _exited(run.server, within_s=15)
        print(f"exited {took:.1f} s after SIGTERM + 0.7 s")
        assert took < 12
        # Back up (the same data): the answer was finished and stored, whole, once.
        run.restart()
        async with httpx.AsyncClient(base_url=run.url, timeout=30) as http:
            await _ready(http)
            page = await http.get(f"/api/v1/conversations/{cid}/messages", headers=visitor)
        bots = [m for m in page.json()["messages"] if m["role"] == "bot"]
        assert [b["content"].strip() for b in bots] == [run.answer.strip()]
        assert len(run.model.requests) == 1


async def test_sigterm_under_a_stream_of_posts_answers_every_request_it_read(tmp_path):
    port = free_port()
    server = _serve(tmp_path, port)
    url = f"http://127.0.0.1:{port}"
    outcomes: dict[str, str] = {}
    try:
        async with httpx.AsyncClient(base_url=url, timeout=30) as http:
            await _ready(http)
            started = (
                await http.post("/api/v1/visitor/conversations", json={"widget_key": "demo"})
            ).json()
            cid = started["conversation_id"]
            visitor = {"Authorization": f"Bearer {started['visitor_token']}"}
            await http.post(f"/api/v1/conversations/{cid}/handoff", headers=visitor)
        # A new connection per request: a refused connection never reached the server; a
        # request cut after it was sent would show as a read or protocol error.
        fresh = httpx.Limits(max_keepalive_connections=0)
        async with httpx.AsyncClient(base_url=url, timeout=30, limits=fresh) as http:

            async def sender(n: int) -> None:
                for i in range(10_000):
                    key = f"s{n}-{i}"
                    try:
                        resp = await http.post(
                            f"/api/v1/conversations/{cid}/messages", headers=visitor,
                            json={"content": key, "client_msg_id": key},
                        )  # fmt: skip
                    except httpx.ConnectError:
                        outcomes[key] = "not connected"
                        return  # the server stopped listening
                    except httpx.HTTPError as exc:
                        outcomes[key] = f"cut: {exc!r}"
                        return
                    outcomes[key] = str(resp.status_code)
                    if resp.status_code == 503:  # as a client does: wait as told, try again
                        await asyncio.sleep(float(resp.headers["retry-after"]))

            senders = [asyncio.create_task(sender(n)) for n in range(8)]
            await asyncio.sleep(1.5)
            os.killpg(server.pid, signal.SIGTERM)
            await asyncio.wait_for(asyncio.gather(*senders), 30)
        await _exited(server, within_s=15)
        assert "201" in outcomes.values() and "503" in outcomes.values()
        # Every acknowledged message is stored; none refused is.
        server = _serve(tmp_path, port)
        async with httpx.AsyncClient(base_url=url, timeout=30) as http:
            await _ready(http)
            stored, after = [], 0
            while True:
                page = (await http.get(f"/api/v1/conversations/{cid}/messages",
                                       params={"after_seq": after}, headers=visitor)).json()  # fmt: skip
                if not page["messages"]:
                    break
                stored += [m["content"] for m in page["messages"] if m["role"] == "visitor"]
                after = page["messages"][-1]["seq"]
        print("outcomes:", Counter(v.split(":")[0] for v in outcomes.values()))
        acknowledged = {k for k, v in outcomes.items() if v == "201"}
        refused = {k for k, v in outcomes.items() if v == "503"}
        cut = {k for k, v in outcomes.items() if v.startswith("cut")}
        assert acknowledged <= set(stored)
        assert not refused & set(stored)
        # A connection the process never read (queued in the kernel as the listener closed) is
        # reset; what the server did read, it answered: no request was stored and then cut.
        assert not cut & set(stored), sorted(cut & set(stored))
    finally:
        _stop(server)


async def test_a_question_left_by_a_crash_is_answered_when_the_server_is_back(tmp_path):
    """Embedded mode (turns live in memory): kill -9 mid-answer, start it again — the question
    is answered, whole and once, with the visitor only polling (no stream reopened)."""
    async with _mid_answer(tmp_path) as run:
        async with httpx.AsyncClient(base_url=run.url, timeout=30) as http:
            cid, visitor = await run.asked(http)
        os.killpg(run.server.pid, signal.SIGKILL)
        run.server.wait()
        run.restart()
        async with httpx.AsyncClient(base_url=run.url, timeout=30) as http:
            await _ready(http)
            bots: list[dict] = []
            for _ in range(300):
                page = await http.get(f"/api/v1/conversations/{cid}/messages", headers=visitor)
                bots = [m for m in page.json()["messages"] if m["role"] == "bot"]
                if bots:
                    break
                await asyncio.sleep(0.1)
            await asyncio.sleep(1.0)  # a second answer would be stored by now
            page = await http.get(f"/api/v1/conversations/{cid}/messages", headers=visitor)
        bots = [m for m in page.json()["messages"] if m["role"] == "bot"]
        assert [b["content"].strip() for b in bots] == [run.answer.strip()]
