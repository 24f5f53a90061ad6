"""Bad bytes get a 4xx with a stable code, never a 500, on SQLite and on PostgreSQL alike, and
nothing of them is stored."""

from __future__ import annotations

import pytest
from litestar.testing import AsyncTestClient

from functions.all import create_app
from shared.demo import DEMO_AGENT
from shared.inputs import MAX_SEQ
from tests.conftest import prepared

pytestmark = pytest.mark.integration


@pytest.fixture(params=["sqlite", "postgres"])
async def client(request, tmp_path):
    settings = request.getfixturevalue(f"{'pg' if request.param == 'postgres' else 'sqlite'}"
                                       "_settings")  # fmt: skip
    await prepared(settings)
    async with AsyncTestClient(app=create_app(settings)) as client:
        yield client


async def _visitor(client) -> tuple[str, dict]:
    started = await client.post("/api/v1/visitor/conversations", json={"widget_key": "demo"})
    body = started.json()
    return body["conversation_id"], {"Authorization": f"Bearer {body['visitor_token']}"}


def _refused(resp, status: int, code: str) -> None:
    assert (resp.status_code, resp.json()["code"]) == (status, code), resp.text


async def test_nul_characters_are_refused_wherever_they_come(client):
    cid, visitor = await _visitor(client)
    messages = f"/api/v1/conversations/{cid}/messages"
    for body in (
        {"content": "hello\u0000world"},
        {"content": "hi", "client_msg_id": "id\u0000"},
        {"content": "hi", "client_msg_id": "ok", "extra\u0000key": 1},
    ):
        _refused(await client.post(messages, headers=visitor, json=body), 400,
                 "invalid_characters")  # fmt: skip
    _refused(
        await client.post("/api/v1/visitor/conversations", json={"widget_key": "de\u0000mo"}),
        400, "invalid_characters",
    )  # fmt: skip
    _refused(
        await client.post("/api/v1/auth/login",
                          json={"email": f"{DEMO_AGENT[0]}\u0000", "password": DEMO_AGENT[1]}),
        400, "invalid_characters",
    )  # fmt: skip
    _refused(await client.get(f"{messages}?after_seq=0&x=%00", headers=visitor), 400,
             "invalid_characters")  # fmt: skip
    _refused(await client.get("/static/console.js%00.html"), 400, "invalid_characters")
    # Nothing of it was stored; the conversation goes on.
    assert (
        await client.post(messages, headers=visitor, json={"content": "hello"})
    ).status_code == 201
    stored = (await client.get(messages, headers=visitor)).json()["messages"]
    assert all("\x00" not in m["content"] for m in stored)
    assert [m["content"] for m in stored if m["role"] == "visitor"] == ["hello"]


async def test_a_body_that_is_not_utf8_is_refused(client):
    cid, visitor = await _visitor(client)
    resp = await client.post(
        f"/api/v1/conversations/{cid}/messages",
        headers={**visitor, "content-type": "application/json"},
        content=b'{"content": "caf\xe9 \xff"}',
    )
    _refused(resp, 400, "invalid_json")


@pytest.mark.parametrize("seq", [2**31, 2**63, 2**64 + 1])
async def test_a_seq_past_the_largest_is_refused(client, seq):
    cid, visitor = await _visitor(client)
    resp = await client.get(f"/api/v1/conversations/{cid}/messages?after_seq={seq}",
                            headers=visitor)  # fmt: skip
    _refused(resp, 400, "invalid_parameter")
    token = visitor["Authorization"].split()[1]
    events = await client.get(f"/api/v1/conversations/{cid}/events?token={token}",
                              headers={"Last-Event-ID": str(seq)})  # fmt: skip
    _refused(events, 400, "invalid_last_event_id")
    largest = await client.get(f"/api/v1/conversations/{cid}/messages?after_seq={MAX_SEQ}",
                               headers=visitor)  # fmt: skip
    assert largest.status_code == 200 and largest.json()["messages"] == []
