"""Webhooks survive a receiver that is down for a while: stored, retried with backoff, delivered
once it is back, each signed so the receiver can verify it (Postgres + Valkey)."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest

from tests.servers import create_owner, free_port, kefu_server
from tests.unit.test_handoff import login
from tests.unit.test_visitor_api import say, start

pytestmark = pytest.mark.integration


class Receiver:
    """An integrator's endpoint: records every request it is sent."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.requests: list[tuple[dict[str, str], bytes]] = []
        received = self.requests

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's naming
                body = self.rfile.read(int(self.headers["Content-Length"]))
                received.append(({k.lower(): v for k, v in self.headers.items()}, body))
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def verified(secret: str, headers: dict[str, str], body: bytes) -> bool:
    mac = hmac.new(
        secret.encode(), f"{headers['x-kefu-timestamp']}.".encode() + body, hashlib.sha256
    )
    return hmac.compare_digest(headers["x-kefu-signature"], "sha256=" + mac.hexdigest())


async def test_deliveries_wait_out_a_receiver_outage_and_arrive_signed(
    tmp_path, postgres_url, valkey_url
):
    """Two replicas (each with a dispatcher) on Postgres + Valkey; the receiver is down first."""
    env = {
        "KEFU_DATABASE_URL": postgres_url,
        "KEFU_VALKEY_URL": valkey_url,
        "KEFU_DEMO": "true",
        "KEFU_SECRET_KEY": "webhook-test-secret-0123456789abcdef0123456789",
        "KEFU_WEBHOOK_ALLOW_PRIVATE": "true",
        "KEFU_WEBHOOK_BACKOFF_S": "0.3",
        "KEFU_WEBHOOK_BACKOFF_MAX_S": "1.0",
        "KEFU_WEBHOOK_MAX_ATTEMPTS": "100",
    }
    port = free_port()  # nothing listens here yet: the receiver is down
    with kefu_server(tmp_path / "a", env=env) as a, kefu_server(tmp_path / "b", env=env):
        create_owner(tmp_path / "cli", "owner@hooks.example", "owner password 1", env)
        async with httpx.AsyncClient(base_url=a, timeout=10) as client:
            owner = await login(client, "owner@hooks.example", "owner password 1")
            hook = (
                await client.post(
                    "/api/v1/admin/webhooks/",
                    headers=owner,
                    json={
                        "url": f"http://127.0.0.1:{port}/kefu",
                        "events": [
                            "message.created",
                            "conversation.status_changed",
                            "conversation.handoff",
                        ],
                    },
                )
            ).json()
            assert hook["secret"].startswith("whsec_")
            cid, visitor = await start(client)
            await say(client, cid, visitor, "Where is my parcel? 我的包裹在哪里")
            await client.post(f"/api/v1/conversations/{cid}/handoff", headers=visitor)

            deliveries_url = f"/api/v1/admin/webhooks/{hook['id']}/deliveries"
            for _ in range(150):  # let several attempts fail
                deliveries = (await client.get(deliveries_url, headers=owner)).json()
                # visitor message, system message, status change, handoff
                if len(deliveries) >= 4 and min(d["attempts"] for d in deliveries) >= 2:
                    break
                await asyncio.sleep(0.1)
            assert deliveries and all(d["state"] == "pending" for d in deliveries)
            assert all("ConnectError" in d["last_error"] for d in deliveries)

            receiver = Receiver(port)  # back up
            try:
                for _ in range(150):
                    deliveries = (await client.get(deliveries_url, headers=owner)).json()
                    if all(d["state"] == "delivered" for d in deliveries):
                        break
                    await asyncio.sleep(0.1)
                assert {d["state"] for d in deliveries} == {"delivered"}
                await asyncio.sleep(1.0)  # nothing more arrives later
                got = list(receiver.requests)
            finally:
                receiver.stop()

    ids = [h["x-kefu-delivery"] for h, _ in got]
    assert sorted(ids) == sorted(d["id"] for d in deliveries), "each delivered exactly once"
    assert all(verified(hook["secret"], h, body) for h, body in got)
    assert not verified("whsec_wrong", *got[0])
    events = [json.loads(body) for _, body in got]
    kinds = {e["event"] for e in events}
    assert {"conversation.handoff", "conversation.status_changed", "message.created"} <= kinds
    visitor_messages = [
        e["data"]["message"]["content"]
        for e in events
        if e["event"] == "message.created" and e["data"]["message"]["role"] == "visitor"
    ]
    assert visitor_messages == ["Where is my parcel? 我的包裹在哪里"]
    assert all(e["data"]["conversation_id"] == cid for e in events)


async def test_an_owner_sends_a_test_event_and_reads_it_in_the_delivery_log(tmp_path):
    env = {"KEFU_DEMO": "true", "KEFU_WEBHOOK_ALLOW_PRIVATE": "true"}
    receiver = Receiver(free_port())
    data = tmp_path / "data"
    try:
        with kefu_server(data, env=env) as base:
            create_owner(data, "owner@ping.example", "owner password 1", env)
            async with httpx.AsyncClient(base_url=base, timeout=10) as client:
                owner = await login(client, "owner@ping.example", "owner password 1")
                hook = (
                    await client.post(
                        "/api/v1/admin/webhooks/",
                        headers=owner,
                        json={"url": f"http://127.0.0.1:{receiver.port}/kefu",
                              "events": ["conversation.handoff"]},
                    )
                ).json()  # fmt: skip
                sent = await client.post(f"/api/v1/admin/webhooks/{hook['id']}/test", headers=owner)
                assert sent.status_code == 202
                log_url = f"/api/v1/admin/webhooks/{hook['id']}/deliveries"
                for _ in range(100):
                    [delivery] = (await client.get(log_url, headers=owner)).json()
                    if delivery["state"] == "delivered":
                        break
                    await asyncio.sleep(0.1)
                assert delivery["id"] == sent.json()["delivery_id"]
                assert (delivery["event"], delivery["state"]) == ("webhook.test", "delivered")
                unknown = await client.post(
                    "/api/v1/admin/webhooks/00000000-0000-0000-0000-000000000000/test",
                    headers=owner,
                )
                assert (unknown.status_code, unknown.json()["code"]) == (404, "webhook_not_found")
    finally:
        receiver.stop()
    [(headers, body)] = receiver.requests
    assert verified(hook["secret"], headers, body)
    assert json.loads(body)["event"] == "webhook.test"
