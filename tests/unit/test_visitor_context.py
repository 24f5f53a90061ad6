"""Agents see who the visitor is: page, referrer, language, browser and system, first seen, and
the same visitor's earlier conversations — a returning visitor is recognised by a genuine token
of their earlier conversation, never by one of another tenant or a forged one."""

from __future__ import annotations

import jwt

from tests.staff import new_tenant
from tests.unit.test_handoff import login
from tests.unit.test_visitor_api import say

IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1"
)


async def start(client, previous: str | None = None, widget_key: str = "demo", **profile):
    resp = await client.post(
        "/api/v1/visitor/conversations",
        headers={"User-Agent": IPHONE},
        json={"widget_key": widget_key, "previous_token": previous,
              "visitor": {"page": "https://shop.example.com/lamps", "language": "en",
                          "referrer": "https://www.google.com/", "secret_field": "x" * 50,
                          **profile}},
    )  # fmt: skip
    assert resp.status_code == 201, resp.text
    body = resp.json()
    return body["conversation_id"], body["visitor_token"]


async def test_agents_see_the_visitor_and_their_earlier_conversations(app_client):
    agent = await login(app_client)
    first, first_token = await start(app_client)
    await say(app_client, first, {"Authorization": f"Bearer {first_token}"}, "Do you sell lamps?")
    second, _ = await start(app_client, previous=first_token, page="https://shop.example.com/cart")

    detail = await app_client.get(f"/api/v1/agent/conversations/{second}", headers=agent)
    assert detail.status_code == 200, detail.text
    visitor = detail.json()["visitor"]
    assert visitor["page"] == "https://shop.example.com/cart"  # the latest page
    assert visitor["referrer"] == "https://www.google.com/"
    assert (visitor["language"], visitor["browser"], visitor["os"], visitor["device"]) == (
        "en", "Mobile Safari 17", "iOS 17", "iPhone"
    )  # fmt: skip
    [earlier] = visitor["previous"]
    assert earlier["conversation_id"] == first and earlier["first_message"] == "Do you sell lamps?"
    assert detail.json()["conversation"]["conversation_id"] == second
    assert "secret_field" not in detail.text  # only the known fields are kept


async def test_a_forged_or_foreign_token_starts_a_new_visitor(app_client):
    agent = await login(app_client)
    first, first_token = await start(app_client)
    # signed with a guessed key (as long as a real one, so only the key is wrong)
    guess = "a-guessed-signing-key-of-32-bytes"
    forged = jwt.encode(jwt.decode(first_token, options={"verify_signature": False}), guess)
    forged_cid, _ = await start(app_client, previous=forged)
    junk_cid, _ = await start(app_client, previous="not a token")
    for cid in (forged_cid, junk_cid):
        visitor = (await app_client.get(f"/api/v1/agent/conversations/{cid}", headers=agent)).json()
        assert visitor["visitor"]["previous"] == []
    acme = await new_tenant(app_client)
    foreign, _ = await start(app_client, previous=first_token, widget_key=acme["widget_key"])
    stranger = await app_client.get(f"/api/v1/agent/conversations/{foreign}", headers=agent)
    assert stranger.status_code == 404  # another tenant's conversation: not this agent's
    mine = (await app_client.get(f"/api/v1/agent/conversations/{first}", headers=agent)).json()
    assert mine["visitor"]["previous"] == []  # nobody joined the first visitor's history


async def test_a_verified_identity_is_one_visitor_everywhere_and_cannot_be_forged(app_client):
    from shared.conversations.identity import user_hash
    from tests.staff import staff

    owner, agent = await staff(app_client), await login(app_client)
    made = await app_client.post("/api/v1/admin/settings/identity-secret", headers=owner)
    secret = made.json()["secret"]
    assert made.status_code == 201 and secret.startswith("idv_")
    shown = await app_client.get("/api/v1/admin/settings/identity-secret", headers=owner)
    assert shown.json() == {"enabled": True, "secret": ""}  # never shown again

    def identity(user_id: str, key: str = secret, **extra) -> dict:
        return {"user_id": user_id, "user_hash": user_hash(key, user_id), **extra}

    async def start_as(ident: dict) -> tuple[int, dict]:
        resp = await app_client.post(
            "/api/v1/visitor/conversations", json={"widget_key": "demo", "identity": ident}
        )
        return resp.status_code, resp.json()

    # The same signed-in customer on a laptop, then on a phone: one visitor.
    code, laptop = await start_as(
        identity("cust-42", name="Ana Li", email="ana@example.com", attributes={"plan": "pro"})
    )
    assert code == 201
    code, phone = await start_as(identity("cust-42"))
    assert code == 201
    detail = (
        await app_client.get(
            f"/api/v1/agent/conversations/{phone['conversation_id']}", headers=agent
        )
    ).json()["visitor"]
    assert (detail["verified"], detail["user_id"], detail["name"], detail["email"]) == (
        True, "cust-42", "Ana Li", "ana@example.com"
    )  # fmt: skip
    assert detail["attributes"] == {"plan": "pro"}
    assert [p["conversation_id"] for p in detail["previous"]] == [laptop["conversation_id"]]

    # Typing another customer's id without their hash, or signing with a guessed key: refused.
    code, body = await start_as({"user_id": "cust-42", "user_hash": "0" * 64})
    assert (code, body["code"]) == (403, "identity_not_verified")
    code, body = await start_as(identity("cust-42", key="guessed-secret"))
    assert (code, body["code"]) == (403, "identity_not_verified")
    # A visitor can't claim verification through the free-form profile either.
    resp = await app_client.post(
        "/api/v1/visitor/conversations",
        json={"widget_key": "demo", "visitor": {"verified": True, "user_id": "cust-42"}},
    )
    cid = resp.json()["conversation_id"]
    anon = (await app_client.get(f"/api/v1/agent/conversations/{cid}", headers=agent)).json()
    assert (anon["visitor"]["verified"], anon["visitor"]["previous"]) == (False, [])

    # Rotating the secret ends the old one at once.
    await app_client.post("/api/v1/admin/settings/identity-secret", headers=owner)
    code, body = await start_as(identity("cust-42"))
    assert (code, body["code"]) == (403, "identity_not_verified")


async def test_identities_need_a_secret_first(app_client):
    resp = await app_client.post(
        "/api/v1/visitor/conversations",
        json={"widget_key": "demo", "identity": {"user_id": "u1", "user_hash": "a" * 64}},
    )
    assert (resp.status_code, resp.json()["code"]) == (403, "identity_not_enabled")


async def test_signing_in_mid_conversation_makes_it_the_users_own(app_client):
    from shared.conversations.identity import user_hash
    from tests.staff import staff

    owner, agent = await staff(app_client), await login(app_client)
    made = await app_client.post("/api/v1/admin/settings/identity-secret", headers=owner)
    secret = made.json()["secret"]

    def identity(user_id: str, **extra) -> dict:
        return {"user_id": user_id, "user_hash": user_hash(secret, user_id), **extra}

    earlier = await app_client.post(
        "/api/v1/visitor/conversations",
        json={"widget_key": "demo", "identity": identity("cust-77", name="Bo Chen")},
    )
    # Anonymous on this browser: asks, then signs in on the site.
    cid, token = await start(app_client)
    visitor = {"Authorization": f"Bearer {token}"}
    assert (await say(app_client, cid, visitor, "Where is my order?")).status_code == 201
    url = f"/api/v1/conversations/{cid}/identify"
    forged = await app_client.post(
        url, headers=visitor, json={"user_id": "cust-77", "user_hash": "0" * 64}
    )
    assert (forged.status_code, forged.json()["code"]) == (403, "identity_not_verified")
    signed = await app_client.post(
        url, headers=visitor, json=identity("cust-77", email="bo@example.com")
    )
    assert signed.status_code == 200, signed.text
    as_user = {"Authorization": f"Bearer {signed.json()['visitor_token']}"}
    assert (await say(app_client, cid, as_user, "Any news?")).status_code == 201

    seen = (await app_client.get(f"/api/v1/agent/conversations/{cid}", headers=agent)).json()
    who = seen["visitor"]
    assert (who["verified"], who["user_id"], who["name"], who["email"]) == (
        True, "cust-77", "Bo Chen", "bo@example.com"
    )  # fmt: skip
    assert who["page"] == "https://shop.example.com/lamps", "what this visit knew is kept"
    previous = [p["conversation_id"] for p in who["previous"]]
    assert previous == [earlier.json()["conversation_id"]]
    history = await app_client.get(f"/api/v1/conversations/{cid}/messages", headers=as_user)
    assert [m["content"] for m in history.json()["messages"]][:1] == ["Where is my order?"]

    # Nobody else can sign into it; a customer never seen before takes the visitor over.
    taken = await app_client.post(url, headers=as_user, json=identity("cust-88"))
    assert (taken.status_code, taken.json()["code"]) == (409, "identity_conflict")
    fresh, fresh_token = await start(app_client)
    first = await app_client.post(
        f"/api/v1/conversations/{fresh}/identify",
        headers={"Authorization": f"Bearer {fresh_token}"},
        json=identity("cust-99"),
    )  # fmt: skip
    assert first.status_code == 200
    new = (await app_client.get(f"/api/v1/agent/conversations/{fresh}", headers=agent)).json()
    assert (new["visitor"]["user_id"], new["visitor"]["previous"]) == ("cust-99", [])
