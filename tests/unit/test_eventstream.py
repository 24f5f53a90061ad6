"""The SSE response on a server whose ``receive()`` is a plain coroutine (not Granian's future):
the stream still ends, and cleans up, the moment the client disconnects."""

from __future__ import annotations

import asyncio

from shared.eventstream import SSE_PING, EventStream, sse_event, sse_retry


async def test_a_disconnect_ends_the_stream_and_runs_its_cleanup():
    cleaned = asyncio.Event()

    async def events():
        try:
            yield sse_retry(2000)
            yield sse_event(b'{"type":"message"}', 7)
            while True:
                await asyncio.sleep(3600)  # an idle stream
                yield SSE_PING
        finally:
            cleaned.set()

    inbox: asyncio.Queue[dict] = asyncio.Queue()
    inbox.put_nowait({"type": "http.request", "body": b"", "more_body": False})
    sent: list[dict] = []
    two_events = asyncio.Event()

    async def receive() -> dict:
        return await inbox.get()

    async def send(message: dict) -> None:
        sent.append(message)
        if len(sent) == 3:  # the start, then two events
            two_events.set()

    response = EventStream(events()).to_asgi_response(None, None)  # type: ignore[arg-type]
    scope = {"type": "http", "method": "GET", "path": "/events", "headers": []}
    serving = asyncio.create_task(response(scope, receive, send))
    await asyncio.wait_for(two_events.wait(), 2)
    inbox.put_nowait({"type": "http.disconnect"})
    done, _ = await asyncio.wait({serving}, timeout=2)
    assert serving in done, "the stream outlived its client"
    serving.result()  # ends normally: no error for a client that left
    assert cleaned.is_set()
    start, *bodies = sent
    assert start["status"] == 200
    assert any(
        k == b"content-type" and v.startswith(b"text/event-stream") for k, v in start["headers"]
    )
    assert bodies[0]["body"] == b"retry: 2000\r\n\r\n"
    assert bodies[1]["body"] == b'id: 7\r\ndata: {"type":"message"}\r\n\r\n'


async def test_a_stream_that_ends_by_itself_stops_waiting_for_the_client():
    async def events():
        await asyncio.sleep(0.05)  # long enough for the server to be asked for the disconnect
        yield sse_event(b"last")

    calls = 0

    async def receive() -> dict:
        nonlocal calls
        calls += 1
        if calls == 1:
            return {"type": "http.request", "body": b"", "more_body": False}
        await asyncio.sleep(3600)  # a client that never leaves
        return {"type": "http.disconnect"}

    async def send(message: dict) -> None:
        pass

    response = EventStream(events()).to_asgi_response(None, None)  # type: ignore[arg-type]
    await asyncio.wait_for(response({"type": "http", "headers": []}, receive, send), 2)
    assert calls == 2
    await asyncio.sleep(0.05)
    left = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
    assert left == []  # the wait for the client's disconnect went with the stream
