"""Forged, stale and misused tokens are refused (staff JWTs and visitor tokens)."""

from __future__ import annotations

import base64
import json
import time

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from shared.demo import DEMO_AGENT
from tests.unit.test_handoff import login
from tests.unit.test_visitor_api import start


def b64(data: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


async def real_access_token(client) -> str:
    return (await login(client))["Authorization"].split()[1]


def forge(
    claims: dict,
    *,
    key: str | bytes = "an attacker guessing at the signing secret",
    alg: str = "HS256",
    headers: dict | None = None,
) -> str:
    return jwt.encode(claims, key, algorithm=alg, headers=headers)


async def claims_of(client) -> tuple[dict, dict]:
    token = await real_access_token(client)
    return jwt.get_unverified_header(token), jwt.decode(token, options={"verify_signature": False})


async def queue(client, token: str):
    return await client.get("/api/v1/agent/queue", headers={"Authorization": f"Bearer {token}"})


async def test_a_real_token_works(app_client):
    assert (await queue(app_client, await real_access_token(app_client))).status_code == 200


async def test_alg_none_is_refused(app_client):
    header, claims = await claims_of(app_client)
    token = f"{b64({**header, 'alg': 'none'})}.{b64(claims)}."
    resp = await queue(app_client, token)
    assert (resp.status_code, resp.json()["code"]) == (401, "invalid_token")


async def test_a_token_signed_with_another_key_is_refused(app_client):
    header, claims = await claims_of(app_client)
    resp = await queue(app_client, forge(claims, headers={"kid": header["kid"]}))
    assert (resp.status_code, resp.json()["code"]) == (401, "invalid_token")


async def test_an_asymmetric_token_cannot_pass_as_hs256(app_client):
    header, claims = await claims_of(app_client)
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    rs256 = forge(claims, key=private, alg="RS256", headers={"kid": header["kid"]})
    assert (await queue(app_client, rs256)).status_code == 401
    # HS/RS confusion: HMAC-sign with the public key's PEM, hoping the server uses it as the secret.
    public_pem = private.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    header_b64 = b64({"alg": "HS256", "typ": "JWT", "kid": header["kid"]})
    import hashlib
    import hmac

    signing_input = f"{header_b64}.{b64(claims)}".encode()
    signature = base64.urlsafe_b64encode(
        hmac.new(public_pem, signing_input, hashlib.sha256).digest()
    ).rstrip(b"=")
    assert (
        await queue(app_client, f"{signing_input.decode()}.{signature.decode()}")
    ).status_code == 401


async def test_a_tampered_payload_is_refused(app_client):
    token = await real_access_token(app_client)
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=="))
    claims["role"] = "owner"
    resp = await queue(app_client, f"{header}.{b64(claims)}.{signature}")
    assert (resp.status_code, resp.json()["code"]) == (401, "invalid_token")


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"exp": int(time.time()) - 10}, "token_expired"),
        ({"nbf": int(time.time()) + 3600}, "invalid_token"),
        ({"typ": "refresh"}, "invalid_token"),
    ],
)
async def test_expired_not_yet_valid_or_wrong_type_tokens_are_refused(app_client, change, code):
    services = app_client.app.state.services
    header, claims = await claims_of(app_client)
    secret = services.settings.resolved_secret_key()
    token = forge({**claims, **change}, key=secret, headers={"kid": header["kid"]})
    resp = await queue(app_client, token)
    assert (resp.status_code, resp.json()["code"]) == (401, code)


async def test_a_refresh_token_is_not_an_access_token_and_vice_versa(app_client):
    resp = await app_client.post(
        "/api/v1/auth/login", json={"email": DEMO_AGENT[0], "password": DEMO_AGENT[1]}
    )
    pair = resp.json()
    assert (await queue(app_client, pair["refresh_token"])).status_code == 401
    refresh_with_access = await app_client.post(
        "/api/v1/auth/refresh", json={"refresh_token": pair["access_token"]}
    )
    assert refresh_with_access.status_code == 401


async def test_a_visitor_token_is_no_staff_token_and_a_staff_token_no_visitor_token(app_client):
    cid, visitor = await start(app_client)
    assert (await app_client.get("/api/v1/agent/queue", headers=visitor)).status_code == 401
    staff = await login(app_client)
    resp = await app_client.get(f"/api/v1/conversations/{cid}/messages", headers=staff)
    assert resp.status_code == 401
