"""Helpers for admin-API tests: tenants, owners, superadmins and API keys, made the real way."""

from __future__ import annotations

import asyncio
import functools
import uuid

from tests.unit.test_handoff import login


async def staff(client, role: str = "owner", slug: str | None = "demo") -> dict:
    """A new account with ``role`` in tenant ``slug``, logged in: its auth headers."""
    email = f"{role}-{uuid.uuid4().hex[:8]}@example.com"
    create = functools.partial(
        client.app.state.services.users.create,
        email=email, password="correct horse battery", role=role, tenant_slug=slug,
    )  # fmt: skip
    # On the app's own event loop (its database pool is bound to it).
    await asyncio.to_thread(client.blocking_portal.call, create)
    return await login(client, email, "correct horse battery")


async def superadmin(client) -> dict:
    return await staff(client, "superadmin", None)


async def new_tenant(client, slug: str = "acme") -> dict:
    """A tenant created through the API by a superadmin: its JSON (id, widget_key, ...)."""
    resp = await client.post(
        "/api/v1/admin/tenants/",
        headers=await superadmin(client),
        json={"name": slug.title(), "slug": slug},
    )
    assert resp.status_code == 201, resp.text
    return resp.json()


async def api_key(client, owner: dict, scopes: list[str]) -> dict:
    resp = await client.post(
        "/api/v1/admin/api-keys/", headers=owner, json={"name": "integration", "scopes": scopes}
    )
    assert resp.status_code == 201, resp.text
    return {"Authorization": f"Bearer {resp.json()['key']}"}
