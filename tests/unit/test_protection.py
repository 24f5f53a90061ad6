"""Abuse protection a user would notice: rate limits, frame floods, origin allow-lists, CORS,
secure headers; and data care: PII redaction before the model, retention purges, key rotation."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta

import httpx
import jwt
import pytest
import websockets
from litestar.testing import AsyncTestClient

from functions.all import create_app
from shared.conversations.archive import Archive
from shared.db.tables import Conversation
from shared.llm.base import ChatModel
from shared.settings import load_settings
from tests.conftest import prepared
from tests.servers import kefu_server
from tests.staff import staff
from tests.unit.test_handoff import login, wait_for_messages
from tests.unit.test_visitor_api import say, start


@asynccontextmanager
async def app_with(tmp_path, **overrides) -> AsyncIterator[AsyncTestClient]:
    settings = load_settings({}, data_dir=str(tmp_path / "data"), demo="true", **overrides)
    await prepared(settings)
    async with AsyncTestClient(app=create_app(settings)) as client:
        yield client


async def test_a_chatty_visitor_is_slowed_down_and_told_when_to_retry(tmp_path):
    async with app_with(tmp_path, rate_visitor="3/60") as client:
        cid, visitor = await start(client)
        codes = [(await say(client, cid, visitor, f"hello {i}")).status_code for i in range(4)]
        assert codes == [201, 201, 201, 429]
        refused = await say(client, cid, visitor, "hello again")
        assert refused.json()["code"] == "rate_limited"
        assert 1 <= int(refused.headers["retry-after"]) <= 60
        # Another visitor is not affected.
        other, other_visitor = await start(client)
        assert (await say(client, other, other_visitor, "hi")).status_code == 201


async def test_password_guessing_is_cut_off(tmp_path):
    async with app_with(tmp_path, rate_login="5/300") as client:
        codes = [
            (
                await client.post(
                    "/api/v1/auth/login",
                    json={"email": "agent@demo.kefu.local", "password": f"guess-{i}"},
                )
            ).status_code
            for i in range(6)
        ]
        assert codes == [401] * 5 + [429]


async def test_guessing_from_everywhere_slows_refusals_but_never_locks_the_owner_out(tmp_path):
    """Wrong passwords for one email from 12 addresses: each address stays under its own limit,
    the refusals get slower, and the account's owner, with the right password, gets in at once
    (the per-email lock this replaces kept the owner out for 5 minutes)."""
    async with app_with(
        tmp_path, rate_login="5/300", trust_forwarded=True, login_slow_down_s=0.01
    ) as client:

        async def attempt(address: str, password: str, email: str = "agent@demo.kefu.local"):
            started = asyncio.get_running_loop().time()
            resp = await client.post(
                "/api/v1/auth/login",
                headers={"X-Forwarded-For": address},
                json={"email": email, "password": password},
            )
            return resp.status_code, asyncio.get_running_loop().time() - started

        guesses = [await attempt(f"203.0.113.{i}", f"guess-{i}") for i in range(12)]
        assert [code for code, _ in guesses] == [401] * 12
        # Past 5 failures each refusal waits longer: 0.01 s, 0.02, 0.04, ... (capped at 8 s).
        assert guesses[-1][1] >= 0.01 * 2**5
        owner_code, _ = await attempt("198.51.100.7", "demo-agent-password")
        assert owner_code == 200
        # One address guessing at one email is still cut off at its limit (5 per 5 minutes).
        other = "owner@nowhere.example"
        codes = [(await attempt("203.0.113.250", f"x-{i}", other))[0] for i in range(6)]
        assert codes == [401] * 5 + [429]


async def test_one_address_cannot_flood_the_api(tmp_path):
    async with app_with(tmp_path, rate_ip="10/60") as client:
        codes = [(await client.get("/api/v1/agent/queue")).status_code for _ in range(12)]
        assert codes[:10] == [401] * 10 and codes[10:] == [429, 429]
        assert (await client.get("/healthz")).status_code == 200  # probes are never limited


async def test_limits_can_be_switched_off(tmp_path):
    async with app_with(tmp_path, rate_limits=False, rate_visitor="1/60") as client:
        cid, visitor = await start(client)
        codes = [(await say(client, cid, visitor, f"hello {i}")).status_code for i in range(3)]
        assert codes == [201, 201, 201]


async def test_a_socket_flooding_frames_gets_told_then_cut(tmp_path):
    # 5 frames an hour: no token comes back while the test runs, however slow the machine.
    env = {"KEFU_RATE_WS_FRAMES": "5/3600", "KEFU_DEMO": "true"}
    with kefu_server(tmp_path / "data", env=env) as url:
        async with httpx.AsyncClient(base_url=url) as http:
            cid, visitor = await start(http)
        token = visitor["Authorization"].split()[1]
        ws_url = url.replace("http", "ws") + f"/api/v1/conversations/{cid}/ws?token={token}"
        async with websockets.connect(ws_url) as ws:
            for _ in range(5):  # the allowance
                await ws.send(json.dumps({"type": "typing"}))
            # Then in lockstep: each refused frame is answered before the next is sent, so the
            # client never writes into a socket the server has already closed.
            refusals = []
            with pytest.raises(websockets.ConnectionClosed) as closed:
                for _ in range(200):
                    await ws.send(json.dumps({"type": "typing"}))
                    while True:
                        event = json.loads(await asyncio.wait_for(ws.recv(), 10))
                        if event["type"] == "error":
                            refusals.append(event["code"])
                            break
            # Told 99 times, then disconnected with 1008 (policy violation) on the 100th.
            assert refusals == ["rate_limited"] * 99
            assert closed.value.rcvd.code == 1008


async def test_a_tenants_widget_works_only_on_its_own_sites(app_client):
    owner = await staff(app_client)
    await app_client.put(
        "/api/v1/admin/settings/",
        headers=owner,
        json={"allowed_origins": ["https://shop.example.com"]},
    )
    body = {"widget_key": "demo"}
    elsewhere = await app_client.post(
        "/api/v1/visitor/conversations", json=body, headers={"Origin": "https://evil.example"}
    )
    assert (elsewhere.status_code, elsewhere.json()["code"]) == (403, "origin_not_allowed")
    home = await app_client.post(
        "/api/v1/visitor/conversations", json=body, headers={"Origin": "https://shop.example.com"}
    )
    assert home.status_code == 201
    assert home.headers["access-control-allow-origin"] == "https://shop.example.com"
    token = home.json()["visitor_token"]
    cid = home.json()["conversation_id"]
    stolen = await app_client.get(
        f"/api/v1/conversations/{cid}/messages",
        headers={"Authorization": f"Bearer {token}", "Origin": "https://evil.example"},
    )
    assert (stolen.status_code, stolen.json()["code"]) == (403, "origin_not_allowed")
    server_side = await app_client.post("/api/v1/visitor/conversations", json=body)
    assert server_side.status_code == 201  # no Origin: an integrator's server, not a page


async def test_cors_answers_the_widget_anywhere_but_the_staff_api_only_where_configured(app_client):
    preflight = {"Origin": "https://shop.example.com", "Access-Control-Request-Method": "POST"}
    visitor = await app_client.options("/api/v1/visitor/conversations", headers=preflight)
    assert visitor.status_code == 204
    assert visitor.headers["access-control-allow-origin"] == "https://shop.example.com"
    assert "authorization" in visitor.headers["access-control-allow-headers"].lower()
    staff_api = await app_client.options("/api/v1/admin/users/", headers=preflight)
    assert "access-control-allow-origin" not in staff_api.headers


async def test_responses_carry_secure_headers(app_client):
    api = await app_client.get("/api/v1/agent/queue")
    assert api.headers["x-content-type-options"] == "nosniff"
    assert api.headers["cache-control"] == "no-store"
    assert api.headers["x-frame-options"] == "DENY"
    console = await app_client.get("/console")
    assert "frame-ancestors 'none'" in console.headers["content-security-policy"]
    widget = await app_client.get("/widget.js")
    assert widget.headers["cross-origin-resource-policy"] == "cross-origin"


class FakeRecordingModel(ChatModel):
    """A stand-in model that remembers what it was sent."""

    name = "fake-recording"

    def __init__(self) -> None:
        self.requests = []

    async def stream(self, request):
        self.requests.append(request)
        yield "Here is what I found."


async def test_emails_and_phone_numbers_never_reach_the_model_when_redaction_is_on(app_client):
    services = app_client.app.state.services
    model = services.gateway.model = FakeRecordingModel()
    owner = await staff(app_client)
    await app_client.put(
        "/api/v1/admin/settings/",
        headers=owner,
        json={"redact_pii": True, "persona": "You are Mia.", "model": {"temperature": 0.7}},
    )
    cid, visitor = await start(app_client)
    question = "How much does shipping cost? I'm jane@example.com, call +86 138 0013 8000"
    await say(app_client, cid, visitor, question)
    await wait_for_messages(app_client, cid, visitor, 2)
    answer = (await wait_for_messages(app_client, cid, visitor, 2))[-1]
    assert model.requests, answer
    sent = model.requests[-1]
    assert "jane@example.com" not in sent.question and "138 0013 8000" not in sent.question
    assert "[email]" in sent.question and "[phone]" in sent.question
    assert sent.persona == "You are Mia." and sent.temperature == 0.7
    # What the visitor wrote is stored as written: the tenant's own agents see it.
    history = (
        await app_client.get(f"/api/v1/conversations/{cid}/messages", headers=visitor)
    ).json()["messages"]
    assert history[0]["content"] == question


async def test_conversations_past_retention_are_purged_and_fresh_ones_kept(app_client):
    owner = await staff(app_client)
    await app_client.put("/api/v1/admin/settings/", headers=owner, json={"retention_days": 30})
    old, _ = await start(app_client)
    fresh, fresh_visitor = await start(app_client)
    await Conversation.update(
        {Conversation.updated_at: datetime.now(UTC) - timedelta(days=31)}
    ).where(Conversation.id == uuid.UUID(old))
    removed = await Archive().purge()
    assert removed == {"demo": 1}
    left = {str(r["id"]) for r in await Conversation.select(Conversation.id)}
    assert old not in left and fresh in left
    assert (await say(app_client, fresh, fresh_visitor, "still here?")).status_code == 201


async def test_rotated_keys_keep_old_tokens_valid_until_the_old_key_is_dropped(tmp_path):
    old_key = "old-signing-secret-0123456789abcdef0123"
    new_key = "new-signing-secret-0123456789abcdef0123"
    async with app_with(tmp_path, secret_key=old_key) as client:
        agent = await login(client)
        cid, visitor = await start(client)
    async with app_with(tmp_path, secret_key=new_key, previous_secret_keys=old_key) as client:
        assert (await client.get("/api/v1/agent/queue", headers=agent)).status_code == 200
        assert (await say(client, cid, visitor, "after rotation")).status_code == 201
        fresh = await login(client)
        header = jwt.get_unverified_header(fresh["Authorization"].split()[1])
        assert header["kid"] != jwt.get_unverified_header(agent["Authorization"].split()[1])["kid"]
    async with app_with(tmp_path, secret_key=new_key) as client:
        refused = await client.get("/api/v1/agent/queue", headers=agent)
        assert (refused.status_code, refused.json()["code"]) == (401, "invalid_token")
        assert (await client.get("/api/v1/agent/queue", headers=fresh)).status_code == 200
