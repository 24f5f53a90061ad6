"""WebSocket and SSE against a real `kefu serve` (Granian) on embedded defaults."""

from __future__ import annotations

import asyncio
import json

import httpx
import pytest
import websockets
from httpx_sse import aconnect_sse

from tests.client import Visitor, collect_messages, next_event
from tests.servers import kefu_server


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with kefu_server(tmp_path_factory.mktemp("embedded") / "data") as url:
        yield url


@pytest.fixture
async def http():
    async with httpx.AsyncClient(timeout=10) as client:
        yield client


async def test_ws_replays_after_seq_then_streams_the_bot_answer_live(server, http):
    visitor = await Visitor.start(http, server)
    await visitor.handoff(http)  # seq 1: system notice; the bot stays quiet
    for i in range(3):
        await visitor.send(http, f"note {i}")  # seq 2..4
    async with websockets.connect(visitor.ws_url(after_seq=2)) as ws:
        replay = await collect_messages(ws, 2)
        assert [m["seq"] for m in replay] == [3, 4]
        await ws.send(
            json.dumps({"type": "message", "content": "still there?", "client_msg_id": "w1"})
        )
        live = (await next_event(ws))["message"]
        assert (live["seq"], live["client_msg_id"]) == (5, "w1")


async def test_bot_answer_streams_as_deltas_then_one_stored_message(server, http):
    visitor = await Visitor.start(http, server)
    async with websockets.connect(visitor.ws_url()) as ws:
        await ws.send(json.dumps({"type": "message", "content": "Do you ship internationally?"}))
        own = (await next_event(ws))["message"]
        assert own["role"] == "visitor"
        deltas, final = [], None
        async with asyncio.timeout(5):
            while final is None:
                event = json.loads(await ws.recv())
                if event["type"] == "delta":
                    deltas.append(event)
                elif event["type"] == "message":
                    final = event["message"]
        assert final["role"] == "bot"
        assert len(deltas) >= 2
        assert {d["message_id"] for d in deltas} == {final["id"]}
        assert "".join(d["delta"] for d in deltas).strip() == final["content"]
        assert "7-14 business days" in final["content"]
    stored = await visitor.messages(http)
    assert [m["role"] for m in stored] == ["visitor", "bot"]


async def test_ws_reconnect_gets_exactly_the_missed_messages_then_live(server, http):
    visitor = await Visitor.start(http, server)
    await visitor.handoff(http)
    async with websockets.connect(visitor.ws_url()) as ws:
        seen = await collect_messages(ws, 1)
    last = seen[-1]["seq"]
    missed = [await visitor.send(http, f"while away {i}") for i in range(5)]
    async with websockets.connect(visitor.ws_url(after_seq=last)) as ws:
        got = await collect_messages(ws, 5)
        assert [m["id"] for m in got] == [m["id"] for m in missed]
        await visitor.send(http, "live again")
        live = (await next_event(ws))["message"]
        assert live["seq"] == missed[-1]["seq"] + 1
        with pytest.raises(TimeoutError):
            await next_event(ws, "message", wait=0.5)  # nothing doubled


async def test_sse_resumes_from_last_event_id(server, http):
    visitor = await Visitor.start(http, server)
    await visitor.handoff(http)
    for i in range(3):
        await visitor.send(http, f"before {i}")
    url = f"{visitor.api}/events?token={visitor.token}"
    async with aconnect_sse(http, "GET", url) as source:
        ids = []
        async for event in source.aiter_sse():
            if event.id:
                ids.append(int(event.id))
            if len(ids) == 4:
                break
    assert ids == [1, 2, 3, 4]
    missed = [await visitor.send(http, f"missed {i}") for i in range(3)]
    async with aconnect_sse(http, "GET", url, headers={"Last-Event-ID": "4"}) as source:
        got = []
        events = source.aiter_sse()
        async for event in events:
            if event.id:
                got.append(json.loads(event.data)["message"])
            if len(got) == 3:
                break
        assert [m["id"] for m in got] == [m["id"] for m in missed]
        await visitor.send(http, "live")
        async with asyncio.timeout(5):
            async for event in events:
                if event.id:
                    assert int(event.id) == missed[-1]["seq"] + 1
                    break


def _live_sse(metrics: str) -> float:
    for line in metrics.splitlines():
        if line.startswith('kefu_live_connections{kind="sse"}'):
            return float(line.rsplit(" ", 1)[1])
    return 0.0


async def test_a_visitor_who_closes_the_stream_is_let_go_at_once(server, http):
    """No heartbeat has to fail first: the server notices the disconnect and frees the stream."""
    visitor = await Visitor.start(http, server)
    baseline = _live_sse((await http.get(f"{server}/metrics")).text)
    async with aconnect_sse(http, "GET", f"{visitor.api}/events?token={visitor.token}") as source:
        assert source.response.status_code == 200
        assert _live_sse((await http.get(f"{server}/metrics")).text) == baseline + 1
    for _ in range(60):  # 3 s; the next heartbeat is 15 s away
        if _live_sse((await http.get(f"{server}/metrics")).text) == baseline:
            break
        await asyncio.sleep(0.05)
    assert _live_sse((await http.get(f"{server}/metrics")).text) == baseline
    # and the conversation still streams to the next connection
    await visitor.send(http, "still there?")
    async with aconnect_sse(http, "GET", f"{visitor.api}/events?token={visitor.token}") as source:
        async with asyncio.timeout(5):
            async for event in source.aiter_sse():
                if event.id:
                    break


async def test_sse_rejects_a_bad_last_event_id(server, http):
    visitor = await Visitor.start(http, server)
    resp = await http.get(
        f"{visitor.api}/events?token={visitor.token}", headers={"Last-Event-ID": "x"}
    )
    assert resp.status_code == 400
    assert resp.json()["code"] == "invalid_last_event_id"


async def test_ws_bad_frames_get_error_events_and_the_socket_stays_usable(server, http):
    visitor = await Visitor.start(http, server)
    await visitor.handoff(http)
    async with websockets.connect(visitor.ws_url()) as ws:
        await collect_messages(ws, 1)
        cases = [
            ("this is not json", "invalid_json"),
            (json.dumps({"type": "message", "content": 5}), "invalid_frame"),
            (json.dumps({"type": "dance"}), "invalid_frame"),
            (json.dumps({"type": "message", "content": "  "}), "empty_message"),
            (json.dumps({"type": "message", "content": "x" * 4001}), "message_too_long"),
        ]
        for frame, code in cases:
            await ws.send(frame)
            error = await next_event(ws, "error")
            assert error["code"] == code, error
        await ws.send(json.dumps({"type": "message", "content": "a good one"}))
        assert (await next_event(ws))["message"]["content"] == "a good one"
    assert [m["content"] for m in await visitor.messages(http)][-1] == "a good one"


@pytest.mark.parametrize(
    ("token_of", "close_code", "code"),
    [
        ("none", 4401, "missing_token"),
        ("garbage", 4401, "invalid_token"),
        ("other", 4403, "wrong_conversation"),
    ],
)
async def test_ws_refuses_bad_tokens_with_a_close_code(server, http, token_of, close_code, code):
    visitor = await Visitor.start(http, server)
    other = await Visitor.start(http, server)
    token = {"none": "", "garbage": "abc", "other": other.token}[token_of]
    url = visitor.ws_url().replace(f"token={visitor.token}", f"token={token}")
    async with websockets.connect(url) as ws:
        error = await next_event(ws, "error")
        assert error["code"] == code
        with pytest.raises(websockets.ConnectionClosed) as closed:
            await ws.recv()
        assert closed.value.rcvd.code == close_code


async def test_ws_unknown_conversation_closes_4404(server, http):
    visitor = await Visitor.start(http, server)
    other = await Visitor.start(http, server)
    url = visitor.ws_url().replace(visitor.conversation_id, "00000000-0000-0000-0000-000000000000")
    url = url.replace(visitor.token, other.token)
    async with websockets.connect(url) as ws:
        assert (await next_event(ws, "error"))["code"] == "conversation_not_found"
        with pytest.raises(websockets.ConnectionClosed) as closed:
            await ws.recv()
        assert closed.value.rcvd.code == 4404


async def test_typing_reaches_other_listeners(server, http):
    visitor = await Visitor.start(http, server)
    async with websockets.connect(visitor.ws_url()) as a, websockets.connect(visitor.ws_url()) as b:
        await asyncio.sleep(0.2)
        await a.send(json.dumps({"type": "typing"}))
        event = await next_event(b, "typing")
        assert event["role"] == "visitor"
