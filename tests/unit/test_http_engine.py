"""The HTTP engine's retry and error rules, against a scripted stand-in server on loopback."""

from __future__ import annotations

import asyncio
import json

import httpx
import pytest

from shared.llm.base import ModelError
from shared.llm.openai_http import OpenAICompatibleModel
from tests.unit.test_prompt_and_engines import req


def sse(*pieces: str, done: bool = True) -> bytes:
    chunks = [
        "data: " + json.dumps({"choices": [{"index": 0, "delta": {"content": p}}]}) + "\n\n"
        for p in pieces
    ]
    return ("".join(chunks) + ("data: [DONE]\n\n" if done else "")).encode()


class ScriptedStandInServer:
    """Answers each chat request with the next scripted (status, body, cut) and records bodies."""

    def __init__(self, script: list[tuple[int, bytes, bool]]) -> None:
        self.script = list(script)
        self.bodies: list[dict] = []
        self.server: asyncio.AbstractServer | None = None

    async def __aenter__(self) -> str:
        self.server = await asyncio.start_server(self._handle, "127.0.0.1", 0)
        return f"http://127.0.0.1:{self.server.sockets[0].getsockname()[1]}/v1"

    async def __aexit__(self, *exc: object) -> None:
        assert self.server is not None
        self.server.close()

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        head = await reader.readuntil(b"\r\n\r\n")
        length = next(
            (
                int(line.split(b":")[1])
                for line in head.split(b"\r\n")
                if line.lower().startswith(b"content-length")
            ),
            0,
        )
        body = await reader.readexactly(length) if length else b""
        self.bodies.append(json.loads(body) if body else {})
        status, payload, cut = self.script.pop(0)
        kind = "text/event-stream" if status == 200 else "application/json"
        size = len(payload) + (100 if cut else 0)  # a cut stream promises more than it sends
        writer.write(
            f"HTTP/1.1 {status} X\r\nContent-Type: {kind}\r\nContent-Length: {size}\r\n\r\n".encode()
        )
        writer.write(payload)
        await writer.drain()
        writer.close()


async def run(url: str, **kw) -> str:
    model = OpenAICompatibleModel(url, model="m", **kw)
    await model.start()
    try:
        return "".join([p async for p in model.stream(req())])
    finally:
        await model.stop()


async def test_retries_before_the_first_token_then_streams():
    script = [(503, b'{"error": {"message": "loading"}}', False), (200, sse("Re", "turns"), False)]
    server = ScriptedStandInServer(script)
    async with server as url:
        assert await run(url) == "Returns"
    assert len(server.bodies) == 2


async def test_never_retries_after_the_first_token():
    server = ScriptedStandInServer(
        [(200, sse("half an", done=False), True), (200, sse("whole"), False)]
    )
    async with server as url:
        with pytest.raises(ModelError) as broken:
            await run(url)
    assert broken.value.code == "model_stream_broken"
    assert len(server.bodies) == 1


async def test_client_errors_are_not_retried_and_say_why():
    body = b'"{\\"object\\":\\"error\\",\\"message\\":\\"prompt is too long\\",\\"code\\":400}"'
    server = ScriptedStandInServer([(400, body, False), (200, sse("never"), False)])
    async with server as url:
        with pytest.raises(ModelError) as refused:
            await run(url)
    assert refused.value.code == "model_http_400"
    assert refused.value.detail == "prompt is too long"
    assert len(server.bodies) == 1


async def test_the_request_is_what_mlc_serve_expects():
    server = ScriptedStandInServer([(200, sse("ok"), False)])
    async with server as url:
        await run(url, max_tokens=77, temperature=0.3)
    body = server.bodies[0]
    assert "user" not in body  # mlc_llm serve uses `user` as the request id
    assert body["stream"] is True and body["max_tokens"] == 77 and body["temperature"] == 0.3
    assert body["stream_options"] == {"include_usage": True}
    assert body["messages"][0]["role"] == "system" and body["messages"][-1]["role"] == "user"


class ScriptedStreamThatCancelsItsReader(httpx.AsyncByteStream):
    """A scripted model stream, in-process: with its fourth piece it asks for the task reading
    it to be cancelled, in the very loop turn that piece arrives — where Python 3.11's
    ``asyncio.wait_for`` would drop the cancellation and the generation would run on, holding
    the model server for a visitor who has left."""

    def __init__(self, pieces: int = 50) -> None:
        self.pieces = pieces
        self.sent = 0
        self.closed = False
        self.reader: asyncio.Task | None = None

    async def __aiter__(self):
        for i in range(self.pieces):
            if i == 3:
                assert self.reader is not None
                asyncio.get_running_loop().call_soon(self.reader.cancel)
            self.sent += 1
            yield sse(f"w{i} ", done=False)
            await asyncio.sleep(0)  # the next piece is not there yet
        yield b"data: [DONE]\n\n"

    async def aclose(self) -> None:
        self.closed = True


async def test_a_listener_who_leaves_stops_the_generation_whenever_the_cancel_lands():
    body = ScriptedStreamThatCancelsItsReader()
    model = OpenAICompatibleModel("http://model.invalid/v1", model="m")
    model._client = httpx.AsyncClient(
        base_url=model.base_url,
        transport=httpx.MockTransport(
            lambda request: httpx.Response(
                200, headers={"content-type": "text/event-stream"}, stream=body
            )
        ),
    )
    received: list[str] = []

    async def listen() -> None:
        async for piece in model.stream(req()):
            received.append(piece)

    reader = body.reader = asyncio.create_task(listen())
    try:
        with pytest.raises(asyncio.CancelledError):
            await reader
    finally:
        await model.stop()
    assert reader.cancelled()
    assert body.closed  # the response is closed: that is what stops the server generating
    assert body.sent < 10 and len(received) < 10, received
    # The server is free for the next visitor at once.
    assert not model._server_streams.locked()
