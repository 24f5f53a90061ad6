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


async def test_no_admin_endpoint_shows_or_touches_another_tenants_data(app_client):
    """Everything tenant A owns, tried by tenant B's owner, B's full-scope API key, and a
    token carrying a forged tenant header: 403/404 every time, and A's data unchanged."""
    from shared.auth.scopes import API_KEY_SCOPES
    from tests.staff import api_key, new_tenant, staff
    from tests.unit.test_visitor_api import start

    a = await staff(app_client)  # owner of the demo tenant
    cid, visitor = await start(app_client)
    await app_client.post(
        f"/api/v1/conversations/{cid}/messages",
        headers=visitor,
        json={"content": "secret order QX4411"},
    )
    doc = (
        await app_client.post(
            "/api/v1/admin/kb/documents", headers=a, json={"title": "Private", "content": "A only"}
        )
    ).json()
    user = (
        await app_client.post(
            "/api/v1/admin/users/",
            headers=a,
            json={"email": "a.agent@example.com", "password": "agent pw 12345", "role": "agent"},
        )
    ).json()
    key = (
        await app_client.post(
            "/api/v1/admin/api-keys/", headers=a, json={"name": "k", "scopes": ["kb:read"]}
        )
    ).json()
    app_client.app.state.services.webhooks.allow_private = True  # a local receiver URL
    hook = (
        await app_client.post(
            "/api/v1/admin/webhooks/",
            headers=a,
            json={"url": "http://127.0.0.1:9/hook", "events": ["message.created"]},
        )
    ).json()
    demo_tenant = (await app_client.get("/api/v1/admin/settings/", headers=a)).json()["tenant_id"]

    acme = await new_tenant(app_client, "acme")
    b_owner = await staff(app_client, "owner", "acme")
    b_key = await api_key(app_client, b_owner, list(API_KEY_SCOPES))
    b_forging = {**b_owner, "X-Kefu-Tenant": demo_tenant}  # only superadmins may name a tenant

    base = "/api/v1/admin"
    attempts = [
        ("GET", f"{base}/kb/documents/{doc['id']}", None),
        ("DELETE", f"{base}/kb/documents/{doc['id']}", None),
        ("GET", f"{base}/conversations/{cid}", None),
        ("PATCH", f"{base}/users/{user['id']}", {"active": False}),
        ("PATCH", f"{base}/users/{user['id']}", {"role": "owner"}),
        ("DELETE", f"{base}/api-keys/{key['id']}", None),
        ("DELETE", f"{base}/webhooks/{hook['id']}", None),
        ("GET", f"{base}/webhooks/{hook['id']}/deliveries", None),
        ("GET", f"{base}/tenants/{demo_tenant}", None),
        ("PATCH", f"{base}/tenants/{demo_tenant}", {"active": False}),
    ]
    for headers in (b_owner, b_key, b_forging):
        for method, path, body in attempts:
            resp = await app_client.request(method, path, headers=headers, json=body)
            assert resp.status_code in (403, 404), (method, path, resp.status_code, resp.text)
            assert "A only" not in resp.text and "QX4411" not in resp.text
        lists = [
            "/kb/documents",
            "/users/",
            "/api-keys/",
            "/webhooks/",
            "/audit/",
            "/conversations/",
            "/conversations/export.jsonl",
            "/conversations/export.csv",
        ]
        for path in lists:
            resp = await app_client.get(base + path, headers=headers)
            if resp.status_code == 200:
                text = resp.text
                assert "A only" not in text and "QX4411" not in text and cid not in text, path
                assert doc["id"] not in text and user["id"] not in text and key["id"] not in text
            else:
                assert resp.status_code == 403, (path, resp.status_code)
        search = await app_client.get(f"{base}/kb/search", headers=headers, params={"q": "A only"})
        assert doc["id"] not in search.text
    # Tenant A's things are all still there.
    assert (await app_client.get(f"{base}/kb/documents/{doc['id']}", headers=a)).status_code == 200
    assert [u["active"] for u in (await app_client.get(f"{base}/users/", headers=a)).json()]
    assert acme["id"] != demo_tenant
