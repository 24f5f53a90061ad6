"""No tenant sees another's data: every agent endpoint with another tenant's ids -> 404/403."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from shared.db.tables import Tenant
from tests.unit.test_handoff import login, queued_conversation


async def other_tenant_agent(client) -> tuple[dict, str]:
    """A second tenant with its own agent; returns (agent headers, agent id)."""
    await Tenant.insert(
        Tenant(
            id=uuid.uuid4(),
            name="Other shop",
            slug="other",
            widget_key="other-key",
            created_at=datetime.now(UTC),
        )
    )
    user = await client.app.state.services.users.create(
        email="agent@other.example", password="other-agent-pw", role="agent", tenant_slug="other"
    )
    return await login(client, "agent@other.example", "other-agent-pw"), user.id


async def test_another_tenants_agent_cannot_see_or_touch_a_conversation(app_client):
    cid, _ = await queued_conversation(app_client)
    outsider, _ = await other_tenant_agent(app_client)
    queue = (await app_client.get("/api/v1/agent/queue", headers=outsider)).json()
    assert cid not in [c["conversation_id"] for c in queue]
    for status in ("bot", "queued", "agent", "closed"):
        listing = await app_client.get(
            f"/api/v1/agent/conversations?status={status}&mine=false", headers=outsider
        )
        assert cid not in [c["conversation_id"] for c in listing.json()]
    base = f"/api/v1/agent/conversations/{cid}"
    attempts = [
        ("GET", f"{base}/messages", None),
        ("POST", f"{base}/messages", {"content": "hello from elsewhere"}),
        ("POST", f"{base}/claim", None),
        ("POST", f"{base}/release", None),
        ("POST", f"{base}/close", None),
        ("POST", f"{base}/transfer", {"to_agent_id": str(uuid.uuid4())}),
    ]
    for method, path, body in attempts:
        resp = await app_client.request(method, path, headers=outsider, json=body)
        assert resp.status_code in (403, 404), (path, resp.status_code, resp.text)
        assert "messages" not in resp.json(), path


async def test_a_conversation_cannot_be_transferred_to_another_tenants_agent(app_client):
    cid, _ = await queued_conversation(app_client)
    insider = await login(app_client)
    _, outsider_id = await other_tenant_agent(app_client)
    await app_client.post(f"/api/v1/agent/conversations/{cid}/claim", headers=insider)
    resp = await app_client.post(
        f"/api/v1/agent/conversations/{cid}/transfer",
        headers=insider,
        json={"to_agent_id": outsider_id},
    )
    assert (resp.status_code, resp.json()["code"]) == (404, "agent_not_found")


async def test_staff_lists_are_per_tenant(app_client):
    outsider, outsider_id = await other_tenant_agent(app_client)
    insider = await login(app_client)
    ids = [a["id"] for a in (await app_client.get("/api/v1/agent/agents", headers=insider)).json()]
    assert outsider_id not in ids
    theirs = [
        a["email"] for a in (await app_client.get("/api/v1/agent/agents", headers=outsider)).json()
    ]
    assert theirs == ["agent@other.example"]


async def test_a_widget_key_opens_conversations_only_in_its_own_tenant(app_client):
    started = await app_client.post(
        "/api/v1/visitor/conversations", json={"widget_key": "other-key"}
    )
    assert started.status_code == 404  # no such tenant yet
    await other_tenant_agent(app_client)
    started = await app_client.post(
        "/api/v1/visitor/conversations", json={"widget_key": "other-key"}
    )
    cid = started.json()["conversation_id"]
    insider = await login(app_client)
    resp = await app_client.get(f"/api/v1/agent/conversations/{cid}/messages", headers=insider)
    assert (resp.status_code, resp.json()["code"]) == (404, "conversation_not_found")
