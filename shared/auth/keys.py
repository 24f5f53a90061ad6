"""Signing keys with ``kid``: sign with the current secret, still accept the previous ones.

Rotation: set ``KEFU_SECRET_KEY`` to a new secret and move the old one to
``KEFU_PREVIOUS_SECRET_KEYS`` (comma-separated). Tokens signed with the old key keep working
until they expire; once the longest token lifetime has passed, drop the old key.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Sequence

import jwt

from ..errors import KefuError

__all__ = ["SigningKeys"]


def key_id(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()[:12]


class SigningKeys:
    def __init__(self, current: str, previous: Sequence[str] = ()) -> None:
        if len(current) < 32:
            raise ValueError("the signing secret needs at least 32 characters")
        self.kid = key_id(current)
        self.secret = current
        self._by_kid = {key_id(s): s for s in (*previous, current) if s}

    def sign(self, payload: dict) -> str:
        return jwt.encode(payload, self.secret, algorithm="HS256", headers={"kid": self.kid})

    def service_token(self, ttl_s: int = 60) -> str:
        """A short-lived token one kefu function shows another (chat -> plugins)."""
        now = int(time.time())
        return self.sign({"iss": "kefu", "typ": "service", "iat": now, "exp": now + ttl_s})

    def verify_service_token(self, token: str | None) -> None:
        if not token:
            raise KefuError(401, "missing_token", "a service token is required")
        secret = self.verify_key(token)
        try:
            payload = jwt.decode(
                token, secret, algorithms=["HS256"], issuer="kefu", options={"require": ["exp"]}
            )
        except jwt.PyJWTError:
            raise KefuError(401, "invalid_token", "the service token is not valid") from None
        if payload.get("typ") != "service":
            raise KefuError(403, "not_a_service", "only kefu's own functions call this")

    def verify_key(self, token: str, *, allow_missing_kid: bool = False) -> str:
        """The secret that should have signed ``token``, chosen by its ``kid`` header."""
        try:
            kid = jwt.get_unverified_header(token).get("kid")
        except jwt.PyJWTError:
            raise KefuError(401, "invalid_token", "the token is not valid") from None
        if kid is None and allow_missing_kid:
            return self.secret
        secret = self._by_kid.get(kid) if isinstance(kid, str) else None
        if secret is None:
            raise KefuError(401, "invalid_token", "the token was signed with an unknown key")
        return secret
