"""What each kind of caller may do in the admin API: roles for people, scopes for API keys."""

from __future__ import annotations

import msgspec

from ..errors import KefuError

__all__ = ["SCOPES", "API_KEY_SCOPES", "ADMIN_ROLES", "Principal"]

SCOPES = (
    "conversations:read",
    "conversations:write",
    "kb:read",
    "kb:write",
    "settings:read",
    "settings:write",
    "webhooks:read",
    "webhooks:write",
    "users:read",
    "users:write",
    "api_keys:read",
    "api_keys:write",
    "audit:read",
)
# An integrator's key never manages people or other keys.
API_KEY_SCOPES = tuple(s for s in SCOPES if not s.startswith(("users:", "api_keys:")))
ADMIN_ROLES = ("owner", "admin", "superadmin")


class Principal(msgspec.Struct, frozen=True):
    """Who is calling the admin API: a staff member (JWT) or an integrator (API key)."""

    kind: str  # user | api_key
    id: str
    name: str  # email or key name, for the audit log
    role: str  # owner | admin | superadmin | api_key
    tenant_id: str | None  # the tenant acted on (a superadmin names it per request)
    scopes: frozenset[str]

    @property
    def is_superadmin(self) -> bool:
        return self.role == "superadmin"

    def require(self, scope: str) -> str:
        """The tenant this principal acts on, if it holds ``scope``; 403 otherwise."""
        if scope not in self.scopes:
            raise KefuError(403, "insufficient_scope", f"this needs the {scope!r} permission")
        if self.tenant_id is None:
            raise KefuError(
                400, "tenant_required", "a superadmin names the tenant in the X-Kefu-Tenant header"
            )
        return self.tenant_id
