"""The demo tenant: a fictional shop with a bilingual FAQ, so `kefu serve` answers at once."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from pathlib import Path

from ..auth.users import Users
from ..db.tables import Tenant, User
from ..kb.store import KbStore

__all__ = ["seed_demo", "DEMO_WIDGET_KEY", "DEMO_SLUG", "DEMO_KB_DIR", "DEMO_AGENT", "DEMO_OWNER"]

DEMO_WIDGET_KEY = "demo"
DEMO_SLUG = "demo"
DEMO_KB_DIR = Path(__file__).parent
#: A console login for the demo tenant only (seeded with it; never for a real tenant).
DEMO_AGENT = ("agent@demo.kefu.local", "demo-agent-password")
#: An /admin login for the demo tenant's owner (demo only, like the agent's).
DEMO_OWNER = ("owner@demo.kefu.local", "demo-owner-password")


async def seed_demo(kb: KbStore) -> str:
    """Create the demo tenant if missing and (re)import its FAQ; returns the tenant id."""
    row = await Tenant.select(Tenant.id).where(Tenant.slug == DEMO_SLUG).first()
    if row is None:
        tenant = Tenant(
            id=uuid.uuid4(),
            name="Maple & Moss (demo)",
            slug=DEMO_SLUG,
            widget_key=DEMO_WIDGET_KEY,
            created_at=datetime.now(UTC),
        )
        await Tenant.insert(tenant)
        tenant_id = str(tenant.id)
    else:
        tenant_id = str(row["id"])
    await kb.import_path(tenant_id, DEMO_KB_DIR)
    for (email, password), role, name in (
        (DEMO_AGENT, "agent", "Demo Agent"),
        (DEMO_OWNER, "owner", "Demo Owner"),
    ):
        if not await User.exists().where(User.email == email):
            await Users().create(
                email=email, password=password, role=role, tenant_slug=DEMO_SLUG, display_name=name
            )
    return tenant_id
