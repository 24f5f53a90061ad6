"""Agents search every message of their tenant: English by word stems, Chinese by words, all
words must match, the most recent match first; another tenant's messages are never found."""

from __future__ import annotations

from tests.staff import new_tenant
from tests.unit.test_handoff import login
from tests.unit.test_visitor_api import say, start, wait_for_messages

AGENT = "/api/v1/agent/conversations"


async def conversation_with(client, text: str, widget_key: str = "demo") -> str:
    cid, visitor = await start(client, widget_key)
    await say(client, cid, visitor, text)
    await wait_for_messages(client, cid, visitor, 2)
    return cid


async def test_search_finds_words_in_any_form_and_language(app_client):
    agent = await login(app_client)
    refund = await conversation_with(app_client, "I was promised a refund for the broken lamp")
    zh = await conversation_with(app_client, "我想退货，运费谁出？")
    other = await conversation_with(app_client, "Where is my parcel?")

    async def find(q: str, **params) -> list[str]:
        resp = await app_client.get(AGENT, headers=agent, params={"q": q, **params})
        assert resp.status_code == 200, resp.text
        return [c["conversation_id"] for c in resp.json()]

    assert await find("refunds") == [refund]  # stemmed
    assert await find("broken lamps refund") == [refund]  # every word, any order
    assert await find("refund parcel") == []
    assert await find("退货") == [zh]  # segmented
    assert await find("运费") == [zh]
    # Segmentation cuts "需要开发票" into 开发/票: a search for 发票 still finds it.
    invoice = await conversation_with(app_client, "我需要开发票")
    assert await find("发票") == [invoice]
    assert await find("PARCEL") == [other]
    hit = (await app_client.get(AGENT, headers=agent, params={"q": "refund"})).json()[0]
    assert "broken lamp" in hit["preview"] and hit["status"] == "bot"
    assert await find("refund", status="closed") == []
    assert await find("the") == []  # stop words alone find nothing

    acme = await new_tenant(app_client)
    await conversation_with(app_client, "refund please", widget_key=acme["widget_key"])
    assert await find("refund") == [refund]  # never another tenant's


async def test_a_message_is_found_right_after_it_is_sent(app_client):
    agent = await login(app_client)
    cid = await conversation_with(app_client, "My invoice number is wrong")
    found = (await app_client.get(AGENT, headers=agent, params={"q": "invoice"})).json()
    assert [c["conversation_id"] for c in found] == [cid]
