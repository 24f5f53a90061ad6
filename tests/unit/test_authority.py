"""Authority follows the database: a tenant disabled by the platform locks out its staff (REST,
login, an open console socket) and its visitors' existing tokens; staff tokens travel only in
the Authorization header on REST (a URL ends up in logs and Referer headers)."""

from __future__ import annotations

import asyncio
import json

import httpx
import pytest
import websockets

from shared.demo import DEMO_AGENT
from tests.servers import create_owner, kefu_server


async def _login(http: httpx.AsyncClient, email: str, password: str) -> httpx.Response:
    return await http.post("/api/v1/auth/login", json={"email": email, "password": password})


def bearer(resp: httpx.Response) -> dict:
    assert resp.status_code == 200, resp.text
    return {"Authorization": f"Bearer {resp.json()['access_token']}"}


async def console_online(http: httpx.AsyncClient, agent: dict) -> None:
    """Until the agent's console socket holds their presence (it listens by then)."""
    for _ in range(200):
        staff = (await http.get("/api/v1/agent/agents", headers=agent)).json()
        if any(a["online"] and a["email"] == DEMO_AGENT[0] for a in staff):
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"the console never came online: {staff}")


async def test_a_disabled_tenant_locks_out_its_staff_and_visitors_until_enabled(tmp_path):
    data = tmp_path / "data"
    with kefu_server(data, env={"KEFU_DEMO": "true"}) as url:
        create_owner(data, "root@platform.example", "platform password", role="superadmin",
                     tenant=None)  # fmt: skip
        async with httpx.AsyncClient(base_url=url, timeout=10) as http:
            root = bearer(await _login(http, "root@platform.example", "platform password"))
            agent = bearer(await _login(http, *DEMO_AGENT))
            started = (
                await http.post("/api/v1/visitor/conversations", json={"widget_key": "demo"})
            ).json()
            visitor = {"Authorization": f"Bearer {started['visitor_token']}"}
            messages = f"/api/v1/conversations/{started['conversation_id']}/messages"
            assert (
                await http.post(messages, headers=visitor, json={"content": "hi"})
            ).status_code == 201
            tenants = (await http.get("/api/v1/admin/tenants/", headers=root)).json()
            demo = next(t for t in tenants if t["slug"] == "demo")
            token = agent["Authorization"].split()[1]
            ws_url = url.replace("http", "ws") + f"/api/v1/agent/ws?token={token}"
            async with websockets.connect(ws_url) as console:
                await console_online(http, agent)
                disabled = await http.patch(
                    f"/api/v1/admin/tenants/{demo['id']}", headers=root, json={"active": False}
                )
                assert disabled.status_code == 200, disabled.text
                # The open console is told and closed (403 -> close code 4403).
                with pytest.raises(websockets.ConnectionClosed) as closed:
                    while True:
                        event = json.loads(await asyncio.wait_for(console.recv(), 10))
                        if event.get("type") == "error":
                            assert event["code"] == "tenant_disabled"
                assert closed.value.rcvd.code == 4403

            def refused(resp: httpx.Response) -> tuple[int, str]:
                return resp.status_code, resp.json()["code"]

            assert refused(await http.get("/api/v1/agent/queue", headers=agent)) == (
                403, "tenant_disabled")  # fmt: skip
            claim = f"/api/v1/agent/conversations/{started['conversation_id']}/claim"
            assert refused(await http.post(claim, headers=agent)) == (403, "tenant_disabled")
            assert refused(await _login(http, *DEMO_AGENT)) == (403, "tenant_disabled")
            assert refused(
                await http.post(messages, headers=visitor, json={"content": "still there?"})
            ) == (403, "tenant_disabled")
            assert refused(
                await http.post("/api/v1/visitor/conversations", json={"widget_key": "demo"})
            ) == (404, "unknown_widget_key")
            # Nothing the visitor sent while disabled was stored.
            await http.patch(
                f"/api/v1/admin/tenants/{demo['id']}", headers=root, json={"active": True}
            )
            history = (await http.get(messages, headers=visitor)).json()["messages"]
            assert "still there?" not in [m["content"] for m in history]
            assert (await http.get("/api/v1/agent/queue", headers=agent)).status_code == 200
            assert (await _login(http, *DEMO_AGENT)).status_code == 200


async def test_staff_tokens_are_refused_in_the_url_of_rest_calls(tmp_path):
    data = tmp_path / "data"
    with kefu_server(data, env={"KEFU_DEMO": "true"}) as url:
        create_owner(data, "owner@url.example", "owner password 3")
        async with httpx.AsyncClient(base_url=url, timeout=10) as http:
            owner = bearer(await _login(http, "owner@url.example", "owner password 3"))
            agent = bearer(await _login(http, *DEMO_AGENT))
            for path, headers in (("/api/v1/admin/users/", owner), ("/api/v1/agent/queue", agent)):
                token = headers["Authorization"].split()[1]
                in_url = await http.get(path, params={"token": token})
                assert (in_url.status_code, in_url.json()["code"]) == (401, "missing_token")
                assert (await http.get(path, headers=headers)).status_code == 200
            # The console's socket still takes its token from the URL (browsers can't set
            # headers on a WebSocket).
            token = agent["Authorization"].split()[1]
            ws_url = url.replace("http", "ws") + f"/api/v1/agent/ws?token={token}"
            async with websockets.connect(ws_url):
                await console_online(http, agent)
