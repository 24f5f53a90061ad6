"""Visitor tokens: a JWT scoped to exactly one conversation of one tenant."""

from __future__ import annotations

import time

import jwt
import msgspec

from ..errors import KefuError
from .keys import SigningKeys

__all__ = ["VisitorClaims", "VisitorTokens"]

_ISSUER = "kefu"
_SCOPE = "visitor"


class VisitorClaims(msgspec.Struct, frozen=True):
    visitor_id: str
    conversation_id: str
    tenant_id: str


class VisitorTokens:
    """Issue and check visitor tokens (HS256; the algorithm list is fixed, never from the token)."""

    def __init__(self, keys: SigningKeys, ttl_s: int) -> None:
        self._keys = keys
        self.ttl_s = ttl_s

    def issue(self, claims: VisitorClaims) -> str:
        now = int(time.time())
        payload = {
            "iss": _ISSUER,
            "scope": _SCOPE,
            "sub": claims.visitor_id,
            "cid": claims.conversation_id,
            "tid": claims.tenant_id,
            "iat": now,
            "exp": now + self.ttl_s,
        }
        return self._keys.sign(payload)

    def verify_identity(self, token: str, conversation_id: str) -> VisitorClaims:
        """Claims of a genuine token for this conversation, expired or not: who the visitor
        was (a returning visitor's earlier conversation). Never opens a conversation."""
        return self.verify(token, conversation_id, expired_ok=True)

    def verify(
        self, token: str | None, conversation_id: str, *, expired_ok: bool = False
    ) -> VisitorClaims:
        """Claims of a valid token for this conversation, else a 401/403 KefuError."""
        if not token:
            raise KefuError(401, "missing_token", "a visitor token is required")
        # Tokens from before key ids existed carry none: they were signed with the current key.
        secret = self._keys.verify_key(token, allow_missing_kid=True)
        try:
            payload = jwt.decode(
                token,
                secret,
                algorithms=["HS256"],
                issuer=_ISSUER,
                options={
                    "require": ["exp", "iat", "sub", "cid", "tid"],
                    "verify_exp": not expired_ok,
                },
            )
        except jwt.ExpiredSignatureError:
            raise KefuError(401, "token_expired", "the visitor token has expired") from None
        except jwt.PyJWTError:
            raise KefuError(401, "invalid_token", "the visitor token is not valid") from None
        if payload.get("scope") != _SCOPE:
            raise KefuError(401, "invalid_token", "not a visitor token")
        if payload["cid"] != conversation_id:
            raise KefuError(403, "wrong_conversation", "this token belongs to another conversation")
        return VisitorClaims(payload["sub"], payload["cid"], payload["tid"])
