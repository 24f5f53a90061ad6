"""Visitors the site vouches for: ``window.kefu.identify({user_id, user_hash, name, email,
attributes})`` where ``user_hash`` is the HMAC-SHA256 of ``user_id`` under the tenant's identity
secret, computed by the site's server (as Intercom's and Chatwoot's identity verification). A
verified identity is one visitor on every device, with attributes agents can trust; a hash that
does not match is refused, so nobody can pose as another customer by typing their id."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import uuid

from ..db.tables import Tenant
from ..errors import KefuError
from ..schemas import Identity

__all__ = ["Identity", "user_hash", "verified_identity", "new_identity_secret"]


def user_hash(secret: str, user_id: str) -> str:
    """What the site's server computes for each signed-in user."""
    return hmac.new(secret.encode(), user_id.encode(), hashlib.sha256).hexdigest()


def new_identity_secret() -> str:
    return f"idv_{secrets.token_urlsafe(32)}"


async def verified_identity(tenant_id: str, identity: Identity) -> dict:
    """The profile fields a verified identity sets; 403 when it does not verify."""
    row = (
        await Tenant.select(Tenant.identity_secret).where(Tenant.id == uuid.UUID(tenant_id)).first()
    )
    secret = row["identity_secret"] if row else ""
    if not secret:
        raise KefuError(403, "identity_not_enabled", "this site has no identity secret yet")
    if not hmac.compare_digest(user_hash(secret, identity.user_id), identity.user_hash.lower()):
        raise KefuError(403, "identity_not_verified", "user_hash does not match user_id")
    profile: dict = {"user_id": identity.user_id, "verified": True}
    if identity.name:
        profile["name"] = identity.name
    if identity.email:
        profile["email"] = identity.email
    if identity.attributes:
        profile["attributes"] = dict(identity.attributes)
    return profile
