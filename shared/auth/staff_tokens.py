"""Staff tokens: a short-lived access JWT and a rotating refresh JWT, both HS256 with a ``kid``.

Refresh tokens are single use: refreshing revokes the one presented (its ``jti`` goes on a
deny-list in the shared store until it would have expired anyway).
"""

from __future__ import annotations

import time
import uuid

import jwt
import msgspec
from litestar.stores.base import Store

from ..errors import KefuError
from .keys import SigningKeys

__all__ = ["StaffClaims", "StaffTokens", "TokenPair"]

_ISSUER = "kefu"


class StaffClaims(msgspec.Struct, frozen=True):
    user_id: str
    tenant_id: str | None  # None for a platform superadmin
    role: str  # owner | admin | agent | superadmin
    email: str = ""
    issued_at: int = 0  # epoch milliseconds (claim ``iat_ms``): compared with a password reset


class TokenPair(msgspec.Struct, frozen=True):
    access_token: str
    refresh_token: str
    token_type: str
    expires_in: int


class StaffTokens:
    def __init__(
        self,
        keys: SigningKeys,
        revoked: Store,
        *,
        access_ttl_s: int = 900,
        refresh_ttl_s: int = 30 * 24 * 3600,
    ) -> None:
        self._keys = keys
        self._revoked = revoked
        self.access_ttl_s = access_ttl_s
        self.refresh_ttl_s = refresh_ttl_s

    def _encode(self, claims: StaffClaims, typ: str, ttl: int) -> str:
        now_ms = time.time_ns() // 1_000_000
        now = now_ms // 1000
        payload = {
            "iss": _ISSUER,
            "typ": typ,
            "sub": claims.user_id,
            "tid": claims.tenant_id,
            "role": claims.role,
            "email": claims.email,
            "iat": now,
            "iat_ms": now_ms,
            "nbf": now,
            "exp": now + ttl,
            "jti": uuid.uuid4().hex,
        }
        return self._keys.sign(payload)

    def issue(self, claims: StaffClaims) -> TokenPair:
        return TokenPair(
            access_token=self._encode(claims, "access", self.access_ttl_s),
            refresh_token=self._encode(claims, "refresh", self.refresh_ttl_s),
            token_type="bearer",
            expires_in=self.access_ttl_s,
        )

    def _decode(self, token: str | None, typ: str) -> dict:
        if not token:
            raise KefuError(401, "missing_token", "a bearer token is required")
        secret = self._keys.verify_key(token)
        try:
            payload = jwt.decode(
                token,
                secret,
                algorithms=["HS256"],
                issuer=_ISSUER,
                options={"require": ["exp", "iat", "nbf", "sub", "jti", "typ"]},
            )
        except jwt.ExpiredSignatureError:
            raise KefuError(401, "token_expired", "the token has expired") from None
        except jwt.PyJWTError:
            raise KefuError(401, "invalid_token", "the token is not valid") from None
        if payload.get("typ") != typ:
            raise KefuError(401, "invalid_token", f"not an {typ} token")
        return payload

    @staticmethod
    def _claims(payload: dict) -> StaffClaims:
        issued = payload.get("iat_ms")
        return StaffClaims(
            payload["sub"],
            payload.get("tid"),
            payload["role"],
            payload.get("email", ""),
            issued if isinstance(issued, int) else payload["iat"] * 1000,
        )

    def verify_access(self, token: str | None) -> StaffClaims:
        """Who the token says (signature, expiry); what they may do is the database's word
        (:meth:`shared.auth.users.Users.authority`)."""
        return self._claims(self._decode(token, "access"))

    async def refresh(self, token: str | None, authority) -> TokenPair:
        """A new pair for a valid, unused refresh token; the presented one is revoked.

        ``authority`` turns the token's claims into the holder's current ones (role, tenant)
        or refuses them; the new pair carries what it returns, never the old token's role."""
        payload = self._decode(token, "refresh")
        key = f"revoked:{payload['jti']}"
        if await self._revoked.exists(key):
            raise KefuError(401, "token_revoked", "this refresh token was already used or revoked")
        await self._revoked.set(key, b"1", expires_in=max(1, payload["exp"] - int(time.time())))
        claims = await authority(self._claims(payload))
        return self.issue(claims)
