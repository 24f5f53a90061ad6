"""Two app processes sharing Postgres and Valkey: any replica serves any socket."""

from __future__ import annotations

import asyncio
import json

import httpx
import pytest
import websockets

from shared.demo import DEMO_AGENT
from tests.client import Visitor, collect_messages, next_event
from tests.servers import create_owner, kefu_server

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def replica_env(postgres_url, valkey_url) -> dict[str, str]:
    return {
        "KEFU_DATABASE_URL": postgres_url,
        "KEFU_VALKEY_URL": valkey_url,
        "KEFU_DEMO": "true",
        "KEFU_SECRET_KEY": "shared-secret-for-both-replicas-0123456789abcdef",
        # 500 messages on one socket in a burst: far past a visitor's limits, on purpose.
        "KEFU_RATE_LIMITS": "false",
    }


@pytest.fixture(scope="module")
def replicas(tmp_path_factory, replica_env):
    root = tmp_path_factory.mktemp("replicas")
    with (
        kefu_server(root / "a", env=replica_env) as a,
        kefu_server(root / "b", env=replica_env) as b,
    ):
        yield a, b


async def test_500_messages_sent_on_one_process_reach_a_listener_on_the_other(replicas):
    a, b = replicas
    async with httpx.AsyncClient(timeout=10) as http:
        visitor = await Visitor.start(http, a)
        await visitor.handoff(http)  # seq 1; the bot stays quiet so only our messages flow
    async with websockets.connect(visitor.ws_url(base_url=b)) as listener:
        assert (await collect_messages(listener, 1))[0]["role"] == "system"
        async with websockets.connect(visitor.ws_url(base_url=a)) as sender:
            for i in range(500):
                await sender.send(
                    json.dumps({"type": "message", "content": f"m{i}", "client_msg_id": f"c{i}"})
                )
            got = await collect_messages(listener, 500, wait=20)
            with pytest.raises(TimeoutError):
                await next_event(listener, "message", wait=0.5)
    assert [m["seq"] for m in got] == list(range(2, 502))
    assert [m["content"] for m in got] == [f"m{i}" for i in range(500)]
    assert len({m["id"] for m in got}) == 500


async def test_bot_answer_streams_to_a_listener_on_the_other_process(replicas):
    a, b = replicas
    async with httpx.AsyncClient(timeout=10) as http:
        visitor = await Visitor.start(http, a)
        async with websockets.connect(visitor.ws_url(base_url=b)) as listener:
            await asyncio.sleep(0.1)
            await visitor.send(http, "我想退货，怎么办？")
            assert (await next_event(listener))["message"]["role"] == "visitor"
            delta = await next_event(listener, "delta")
            final = (await next_event(listener))["message"]
            assert final["role"] == "bot" and delta["message_id"] == final["id"]
            assert "30天" in final["content"]


async def test_reconnecting_to_the_other_process_resumes_without_gaps(replicas):
    a, b = replicas
    async with httpx.AsyncClient(timeout=10) as http:
        visitor = await Visitor.start(http, a)
        await visitor.handoff(http)
        async with websockets.connect(visitor.ws_url(base_url=a)) as ws:
            seen = await collect_messages(ws, 1)
        missed = [await visitor.send(http, f"m{i}") for i in range(10)]
        async with websockets.connect(visitor.ws_url(after_seq=seen[-1]["seq"], base_url=b)) as ws:
            got = await collect_messages(ws, 10)
            assert [m["id"] for m in got] == [m["id"] for m in missed]
            live = await Visitor(a, visitor.conversation_id, visitor.token).send(http, "live")
            assert (await next_event(ws))["message"]["id"] == live["id"]


async def test_agent_events_reach_an_agent_on_the_other_process(replicas):
    from shared.demo import DEMO_AGENT

    a, b = replicas
    async with httpx.AsyncClient(timeout=10) as http:
        login = await http.post(
            f"{b}/api/v1/auth/login", json={"email": DEMO_AGENT[0], "password": DEMO_AGENT[1]}
        )
        token = login.json()["access_token"]
        agent_headers = {"Authorization": f"Bearer {token}"}
        async with websockets.connect(
            f"{b.replace('http', 'ws')}/api/v1/agent/ws?token={token}"
        ) as console:
            await asyncio.sleep(0.2)
            visitor = await Visitor.start(http, a)
            await visitor.send(http, "转人工")  # asks for a human on replica A
            async with asyncio.timeout(5):
                while True:
                    event = json.loads(await console.recv())
                    if (
                        event.get("conversation_id") == visitor.conversation_id
                        and event["type"] == "conversation"
                    ):
                        break
            assert event["status"] == "queued"
            await console.send(
                json.dumps({"type": "watch", "conversation_id": visitor.conversation_id})
            )
            await asyncio.sleep(0.2)
            await visitor.send(http, "I need help with my order 12345")
            async with asyncio.timeout(5):
                while True:
                    event = json.loads(await console.recv())
                    if (
                        event["type"] == "conversation_event"
                        and event["event"]["type"] == "message"
                    ):
                        break
            assert event["event"]["message"]["content"] == "I need help with my order 12345"
            claim = await http.post(
                f"{a}/api/v1/agent/conversations/{visitor.conversation_id}/claim",
                headers=agent_headers,
            )
            assert claim.status_code == 200
        async with websockets.connect(visitor.ws_url(base_url=b)) as ws:
            messages = await collect_messages(ws, 4)
        assert [m["role"] for m in messages] == ["visitor", "system", "visitor", "system"]
        assert "joined" in messages[-1]["content"]


async def _refused_soon(http: httpx.AsyncClient, url: str, headers: dict, code: str) -> float:
    """Seconds until ``url`` answers 401 with ``code`` (fails after 2 s)."""
    started = asyncio.get_running_loop().time()
    for _ in range(40):
        resp = await http.get(url, headers=headers)
        if resp.status_code == 401 and resp.json()["code"] == code:
            return asyncio.get_running_loop().time() - started
        await asyncio.sleep(0.05)
    raise AssertionError(f"{url} still answers {resp.status_code} after 2 s")


async def test_a_revoked_key_and_a_disabled_agent_are_refused_at_once_on_the_other_replica(
    replicas, replica_env, tmp_path
):
    """Replica B has just let the key and the agent in (and remembers that for 10 s); the
    revocation and the disabling happen on A, and B refuses them at once, not 10 s later."""
    a, b = replicas
    create_owner(tmp_path / "cli", "owner@replicas.example", "owner password 1", replica_env)
    async with httpx.AsyncClient(timeout=10) as http:
        login = await http.post(
            f"{a}/api/v1/auth/login",
            json={"email": "owner@replicas.example", "password": "owner password 1"},
        )
        owner = {"Authorization": f"Bearer {login.json()['access_token']}"}
        created = await http.post(
            f"{a}/api/v1/admin/api-keys/",
            headers=owner,
            json={"name": "crm", "scopes": ["kb:read"]},
        )
        as_key = {"Authorization": f"Bearer {created.json()['key']}"}
        documents = f"{b}/api/v1/admin/kb/documents"
        assert (await http.get(documents, headers=as_key)).status_code == 200
        await http.delete(f"{a}/api/v1/admin/api-keys/{created.json()['id']}", headers=owner)
        assert await _refused_soon(http, documents, as_key, "api_key_revoked") < 1.0

        email, password = DEMO_AGENT
        agent_login = await http.post(
            f"{b}/api/v1/auth/login", json={"email": email, "password": password}
        )
        as_agent = {"Authorization": f"Bearer {agent_login.json()['access_token']}"}
        queue = f"{b}/api/v1/agent/queue"
        assert (await http.get(queue, headers=as_agent)).status_code == 200
        staff = (await http.get(f"{a}/api/v1/admin/users/", headers=owner)).json()
        agent_id = next(u["id"] for u in staff if u["email"] == email)
        users = f"{a}/api/v1/admin/users/{agent_id}"
        try:
            disabled = await http.patch(users, headers=owner, json={"active": False})
            assert disabled.status_code == 200
            assert await _refused_soon(http, queue, as_agent, "account_disabled") < 1.0
        finally:
            await http.patch(users, headers=owner, json={"active": True})
        assert (await http.get(queue, headers=as_agent)).status_code == 200  # and back at once


async def test_demotion_and_a_password_reset_take_effect_on_the_next_request_on_either_replica(
    replicas, replica_env, tmp_path
):
    """Authority is the database's word, not the token's: an admin demoted on A is refused on
    B by the very next request (no waiting), their refresh token yields only an agent's token,
    and a password reset on A ends every session the old password opened, on B too."""
    a, b = replicas
    create_owner(tmp_path / "cli", "boss@authority.example", "owner password 2", replica_env)
    async with httpx.AsyncClient(timeout=10) as http:

        async def signed_in(url: str, email: str, password: str) -> tuple[dict, str]:
            resp = await http.post(
                f"{url}/api/v1/auth/login", json={"email": email, "password": password}
            )
            assert resp.status_code == 200, resp.text
            body = resp.json()
            return {"Authorization": f"Bearer {body['access_token']}"}, body["refresh_token"]

        owner, _ = await signed_in(a, "boss@authority.example", "owner password 2")
        made = await http.post(
            f"{a}/api/v1/admin/users/",
            headers=owner,
            json={"email": "deputy@authority.example", "password": "deputy password 1",
                  "role": "admin"},
        )  # fmt: skip
        assert made.status_code == 201, made.text
        deputy_url = f"{a}/api/v1/admin/users/{made.json()['id']}"
        deputy, refresh = await signed_in(b, "deputy@authority.example", "deputy password 1")
        assert (await http.get(f"{b}/api/v1/admin/users/", headers=deputy)).status_code == 200

        demoted = await http.patch(deputy_url, headers=owner, json={"role": "agent"})
        assert demoted.status_code == 200
        refused = await http.get(f"{b}/api/v1/admin/users/", headers=deputy)
        assert (refused.status_code, refused.json()["code"]) == (403, "not_an_admin")
        renewed = await http.post(f"{b}/api/v1/auth/refresh", json={"refresh_token": refresh})
        assert renewed.status_code == 200
        as_renewed = {"Authorization": f"Bearer {renewed.json()['access_token']}"}
        made_key = await http.post(
            f"{b}/api/v1/admin/api-keys/", headers=as_renewed, json={"name": "x", "scopes": []}
        )
        assert made_key.status_code == 403  # the new token is an agent's, as the database says
        assert (await http.get(f"{b}/api/v1/agent/queue", headers=as_renewed)).status_code == 200

        reset = await http.patch(deputy_url, headers=owner, json={"password": "new password 2"})
        assert reset.status_code == 200
        for token in (deputy, as_renewed):
            gone = await http.get(f"{b}/api/v1/agent/queue", headers=token)
            assert (gone.status_code, gone.json()["code"]) == (401, "token_revoked")
        stale = await http.post(
            f"{a}/api/v1/auth/refresh", json={"refresh_token": renewed.json()["refresh_token"]}
        )
        assert (stale.status_code, stale.json()["code"]) == (401, "token_revoked")
        fresh, _ = await signed_in(b, "deputy@authority.example", "new password 2")
        assert (await http.get(f"{a}/api/v1/agent/queue", headers=fresh)).status_code == 200


async def test_automatic_assignment_is_fair_and_race_free_across_replicas(
    replicas, replica_env, tmp_path
):
    """Two agents, each on another replica; three visitors ask for a person at once, on both
    replicas: one conversation each (never one twice), the third waits until an agent has room."""
    import uuid

    a, b = replicas
    slug = f"assign-{uuid.uuid4().hex[:8]}"
    create_owner(tmp_path, f"root-{slug}@example.com", "superadmin password", replica_env,
                 role="superadmin", tenant=None)  # fmt: skip
    async with httpx.AsyncClient(timeout=15) as http:

        async def login(base: str, email: str, password: str) -> str:
            resp = await http.post(
                f"{base}/api/v1/auth/login", json={"email": email, "password": password}
            )
            assert resp.status_code == 200, resp.text
            return resp.json()["access_token"]

        root = {"Authorization": "Bearer " + await login(a, f"root-{slug}@example.com",
                                                          "superadmin password")}  # fmt: skip
        made = await http.post(f"{a}/api/v1/admin/tenants/", headers=root,
                               json={"name": "Assign", "slug": slug})  # fmt: skip
        assert made.status_code == 201, made.text
        widget_key = made.json()["widget_key"]
        for who, role in (("owner", "owner"), ("ann", "agent"), ("bo", "agent")):
            create_owner(tmp_path, f"{who}-{slug}@example.com", "a long password", replica_env,
                         role=role, tenant=slug)  # fmt: skip
        owner = {"Authorization": "Bearer " + await login(b, f"owner-{slug}@example.com",
                                                           "a long password")}  # fmt: skip
        settings = (await http.get(f"{b}/api/v1/admin/settings/", headers=owner)).json()
        settings["settings"]["assignment"] = {"auto": True, "max_per_agent": 1}
        saved = await http.put(f"{b}/api/v1/admin/settings/", headers=owner,
                               json=settings["settings"])  # fmt: skip
        assert saved.status_code == 200, saved.text
        ann = await login(a, f"ann-{slug}@example.com", "a long password")
        bo = await login(b, f"bo-{slug}@example.com", "a long password")
        team = await http.get(f"{a}/api/v1/agent/agents", headers=owner)
        ids = {u["id"]: u["email"].split("-")[0] for u in team.json() if u["role"] == "agent"}

        async with (
            websockets.connect(f"{a.replace('http', 'ws')}/api/v1/agent/ws?token={ann}"),
            websockets.connect(f"{b.replace('http', 'ws')}/api/v1/agent/ws?token={bo}"),
        ):  # Ann's console on replica A, Bo's on B: both online
            await asyncio.sleep(0.5)
            visitors = [await Visitor.start(http, base, widget_key) for base in (a, b, a)]
            await asyncio.gather(*(v.handoff(http) for v in visitors))

            async def holders() -> dict[str, str | None]:
                out = {}
                for v in visitors:
                    resp = await http.get(
                        f"{b}/api/v1/admin/conversations/{v.conversation_id}", headers=owner
                    )
                    out[v.conversation_id] = resp.json()["conversation"]["assigned_agent"]
                return out

            async def until(done) -> dict[str, str | None]:
                async with asyncio.timeout(15):
                    for _ in range(150):
                        got = await holders()
                        if done(got):
                            return got
                        await asyncio.sleep(0.1)
                raise AssertionError(f"never: {got}")

            await until(lambda got: len([h for h in got.values() if h]) >= 2)
            await asyncio.sleep(1.0)  # a double assignment would show by now
            got = await holders()
            taken = [h for h in got.values() if h]
            assert sorted(ids[h] for h in taken) == ["ann", "bo"], got
            waiting = next(cid for cid, h in got.items() if h is None)
            # Bo closes his: the waiting visitor goes to him (he is the one with room).
            bos = next(cid for cid, h in got.items() if h and ids[h] == "bo")
            closed = await http.post(f"{a}/api/v1/agent/conversations/{bos}/close",
                                     headers={"Authorization": f"Bearer {bo}"})  # fmt: skip
            assert closed.status_code == 200, closed.text
            got = await until(lambda got: got[waiting] is not None)
            assert ids[got[waiting]] == "bo"
