"""The visitor's REST surface on embedded defaults: conversations, messages, bot, bad input."""

from __future__ import annotations

import asyncio
import uuid

import pytest


async def start(client, widget_key: str = "demo") -> tuple[str, dict]:
    resp = await client.post("/api/v1/visitor/conversations", json={"widget_key": widget_key})
    assert resp.status_code == 201, resp.text
    body = resp.json()
    return body["conversation_id"], {"Authorization": f"Bearer {body['visitor_token']}"}


async def say(client, cid: str, headers: dict, content: str):
    return await client.post(
        f"/api/v1/conversations/{cid}/messages", headers=headers, json={"content": content}
    )


async def wait_for_messages(client, cid: str, headers: dict, count: int, timeout: float = 15.0):
    for _ in range(int(timeout / 0.05)):
        page = (await client.get(f"/api/v1/conversations/{cid}/messages", headers=headers)).json()
        if len(page["messages"]) >= count:
            return page["messages"]
        await asyncio.sleep(0.05)
    raise AssertionError(f"expected {count} messages, got {page['messages']}")


async def test_start_returns_a_token_scoped_to_the_new_conversation(app_client):
    resp = await app_client.post(
        "/api/v1/visitor/conversations", json={"widget_key": "demo", "visitor": {"name": "Ana"}}
    )
    assert resp.status_code == 201
    body = resp.json()
    assert body["status"] == "bot"
    assert uuid.UUID(body["conversation_id"])
    assert body["visitor_token"].count(".") == 2


async def test_visitor_message_is_stored_then_answered_from_the_kb_with_citations(app_client):
    cid, headers = await start(app_client)
    resp = await say(app_client, cid, headers, "How much does shipping cost?")
    assert resp.status_code == 201
    assert resp.json()["seq"] == 1
    visitor, bot = await wait_for_messages(app_client, cid, headers, 2)
    assert (visitor["role"], bot["role"]) == ("visitor", "bot")
    assert bot["seq"] == 2
    assert "$49" in bot["content"]
    assert bot["citations"] and bot["citations"][0]["source"] == "faq_en.md"
    assert "shipping cost" in bot["citations"][0]["title"].lower()


async def test_chinese_question_gets_a_chinese_answer(app_client):
    cid, headers = await start(app_client)
    await say(app_client, cid, headers, "退款多久能到账？")
    _, bot = await wait_for_messages(app_client, cid, headers, 2)
    assert "5个工作日" in bot["content"]
    assert bot["citations"][0]["source"] == "faq_zh.md"


async def test_a_traditional_chinese_question_is_answered_in_traditional_characters(app_client):
    from shared.bot import DONT_KNOW

    cid, headers = await start(app_client)
    await say(app_client, cid, headers, "法國的首都是哪裡？")
    _, bot = await wait_for_messages(app_client, cid, headers, 2)
    assert bot["content"] == DONT_KNOW["zh-Hant"] != DONT_KNOW["zh"]
    assert "沒有找到" in bot["content"] and "轉接人工客服" in bot["content"]
    # The same question in simplified characters: the simplified text.
    cid, headers = await start(app_client)
    await say(app_client, cid, headers, "法国的首都是哪里？")
    _, bot = await wait_for_messages(app_client, cid, headers, 2)
    assert bot["content"] == DONT_KNOW["zh"]


async def test_question_outside_the_kb_gets_an_honest_dont_know(app_client):
    cid, headers = await start(app_client)
    await say(app_client, cid, headers, "What is the capital of France?")
    _, bot = await wait_for_messages(app_client, cid, headers, 2)
    assert "couldn't find" in bot["content"]
    assert "human" in bot["content"]
    assert bot["citations"] == []


async def test_same_client_msg_id_twice_is_one_message(app_client):
    cid, headers = await start(app_client)
    body = {"content": "hello there, what are your hours?", "client_msg_id": "c-1"}
    first = await app_client.post(
        f"/api/v1/conversations/{cid}/messages", headers=headers, json=body
    )
    again = await app_client.post(
        f"/api/v1/conversations/{cid}/messages", headers=headers, json=body
    )
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    messages = await wait_for_messages(app_client, cid, headers, 2)
    await asyncio.sleep(0.3)
    messages = (
        await app_client.get(f"/api/v1/conversations/{cid}/messages", headers=headers)
    ).json()["messages"]
    assert [m["role"] for m in messages] == ["visitor", "bot"]  # one answer, for one message


async def test_history_pages_after_seq(app_client):
    cid, headers = await start(app_client)
    for i in range(3):
        await say(app_client, cid, headers, f"question number {i} about returns")
    await wait_for_messages(app_client, cid, headers, 6)
    page = (
        await app_client.get(
            f"/api/v1/conversations/{cid}/messages?after_seq=2&limit=2", headers=headers
        )
    ).json()
    assert [m["seq"] for m in page["messages"]] == [3, 4]
    assert page["has_more"] is True
    assert page["last_seq"] == 6


async def test_handoff_stops_the_bot(app_client):
    cid, headers = await start(app_client)
    resp = await app_client.post(f"/api/v1/conversations/{cid}/handoff", headers=headers)
    assert resp.json()["status"] == "queued"
    await say(app_client, cid, headers, "How much does shipping cost?")
    await asyncio.sleep(0.3)
    messages = (
        await app_client.get(f"/api/v1/conversations/{cid}/messages", headers=headers)
    ).json()["messages"]
    assert [m["role"] for m in messages] == ["system", "visitor"]


# --- bad input: a clear 4xx with a stable code, and the conversation stays intact ---------


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        (b'{"content": "hi"', 400, "invalid_json"),
        (b"not json at all", 400, "invalid_json"),
        (b'{"content": 42}', 400, "invalid_body"),
        (b'{"client_msg_id": "x"}', 400, "invalid_body"),
        (b"[1, 2, 3]", 400, "invalid_body"),
        (b'{"content": "   "}', 422, "empty_message"),
        (b'{"content": ""}', 422, "empty_message"),
        (('{"content": "' + "x" * 4001 + '"}').encode(), 422, "message_too_long"),
        (b'{"content": "ok", "client_msg_id": ""}', 422, "invalid_client_msg_id"),
    ],
)
async def test_bad_message_bodies_are_refused_clearly(app_client, body, status, code):
    cid, headers = await start(app_client)
    ok = await say(app_client, cid, headers, "first message about warranty")
    assert ok.status_code == 201
    resp = await app_client.post(
        f"/api/v1/conversations/{cid}/messages",
        headers={**headers, "content-type": "application/json"},
        content=body,
    )
    assert resp.status_code == status, resp.text
    assert resp.json()["code"] == code
    assert resp.json()["detail"]
    messages = await wait_for_messages(app_client, cid, headers, 2)
    assert messages[0]["content"] == "first message about warranty"


async def test_message_limit_is_configurable(tmp_path):
    from litestar.testing import AsyncTestClient

    from functions.all import create_app
    from shared.settings import load_settings
    from tests.conftest import prepared

    settings = await prepared(load_settings({}, data_dir=str(tmp_path), max_message_chars=10))
    async with AsyncTestClient(app=create_app(settings)) as client:
        cid, headers = await start(client)
        resp = await client.post(
            f"/api/v1/conversations/{cid}/messages",
            headers=headers,
            json={"content": "eleven char"},
        )
        assert resp.status_code == 422
        assert resp.json()["code"] == "message_too_long"


@pytest.mark.parametrize(
    ("token", "status", "code"),
    [
        (None, 401, "missing_token"),
        ("garbage", 401, "invalid_token"),
        ("eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.", 401, "invalid_token"),
    ],
)
async def test_missing_or_bad_tokens_are_refused(app_client, token, status, code):
    cid, _ = await start(app_client)
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    resp = await app_client.get(f"/api/v1/conversations/{cid}/messages", headers=headers)
    assert resp.status_code == status
    assert resp.json()["code"] == code


async def test_a_token_cannot_read_another_conversation(app_client):
    cid_a, _ = await start(app_client)
    _, headers_b = await start(app_client)
    resp = await app_client.get(f"/api/v1/conversations/{cid_a}/messages", headers=headers_b)
    assert resp.status_code == 403
    assert resp.json()["code"] == "wrong_conversation"


@pytest.mark.parametrize(
    "cid", ["0b6f3c1e-6a2d-4f7e-9c35-2d8e4a1f7b90", "not-a-uuid"], ids=["unknown", "not-a-uuid"]
)
async def test_unknown_conversation_is_404(app_client, cid):
    _, headers = await start(app_client)
    resp = await app_client.post(
        f"/api/v1/conversations/{cid}/messages", headers=headers, json={"content": "hello"}
    )
    assert resp.status_code == 404
    assert resp.json()["code"] == "conversation_not_found"


async def test_unknown_widget_key_is_404(app_client):
    resp = await app_client.post("/api/v1/visitor/conversations", json={"widget_key": "nope"})
    assert resp.status_code == 404
    assert resp.json()["code"] == "unknown_widget_key"


@pytest.mark.parametrize("query", ["after_seq=-1", "after_seq=abc", "limit=0"])
async def test_bad_query_parameters_are_400(app_client, query):
    cid, headers = await start(app_client)
    resp = await app_client.get(f"/api/v1/conversations/{cid}/messages?{query}", headers=headers)
    assert resp.status_code == 400
    assert resp.json()["code"] in {"invalid_parameter", "invalid_body"}


async def test_health_and_readiness(app_client):
    assert (await app_client.get("/healthz")).json() == {"status": "ok"}
    ready = await app_client.get("/readyz")
    assert ready.status_code == 200
    body = ready.json()
    assert {k: body[k] for k in ("status", "database", "storage", "bus")} == {
        "status": "ok", "database": True, "storage": True, "bus": True
    }  # fmt: skip
    # A bot turn waits for the text tools to load: once one is answered, the replica says warm.
    cid, headers = await start(app_client)
    await say(app_client, cid, headers, "How much is shipping?")
    await wait_for_messages(app_client, cid, headers, 2)
    assert (await app_client.get("/readyz")).json()["warm"] is True


async def test_unknown_route_is_a_json_404(app_client):
    resp = await app_client.get("/api/v1/nothing-here")
    assert resp.status_code == 404
    assert resp.json()["code"] == "not_found"


async def test_openapi_documents_the_visitor_surface(app_client):
    resp = await app_client.get("/schema/openapi.json")
    assert resp.status_code == 200
    paths = resp.json()["paths"]
    for path in (
        "/api/v1/visitor/conversations",
        "/api/v1/conversations/{conversation_id}/messages",
        "/api/v1/conversations/{conversation_id}/handoff",
        "/api/v1/conversations/{conversation_id}/events",
    ):
        assert path in paths, path


async def test_index_points_to_the_api_reference(app_client):
    body = (await app_client.get("/")).json()
    assert body["api_reference"] == "/schema"
