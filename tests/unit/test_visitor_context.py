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
    forged = jwt.encode(jwt.decode(first_token, options={"verify_signature": False}), "guess")
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
