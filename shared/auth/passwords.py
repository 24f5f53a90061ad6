"""Password hashing with Argon2id (argon2-cffi's defaults follow RFC 9106)."""

from __future__ import annotations

from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

__all__ = ["hash_password", "verify_password", "dummy_hash"]

_hasher = PasswordHasher()


@cache
def dummy_hash() -> str:
    """Verified against when the email is unknown, so a login takes as long either way.

    Made on first use, not on import: an Argon2 hash costs ~0.1 s of a cold start."""
    return _hasher.hash("no such user: constant-time refusal")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False
