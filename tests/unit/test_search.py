"""Agents search every message of their tenant: English by word stems, Chinese by words, all
words must match, the most recent match first; another tenant's messages are never found.
(Also run on Postgres, in a database other tests write to: the words here are unusual ones.)"""

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
    refund = await conversation_with(
        app_client, "I was promised a reimbursement for the cracked lantern"
    )
    zh = await conversation_with(app_client, "我想退掉这把油纸伞，运费谁出？")
    other = await conversation_with(app_client, "Where is my zeppelin?")

    async def find(q: str, **params) -> list[str]:
        resp = await app_client.get(AGENT, headers=agent, params={"q": q, **params})
        assert resp.status_code == 200, resp.text
        return [c["conversation_id"] for c in resp.json()]

    assert await find("reimbursements") == [refund]  # stemmed
    assert await find("cracked lanterns reimbursement") == [refund]  # every word, any order
    assert await find("reimbursement zeppelin") == []
    assert await find("油纸伞") == [zh]
    assert zh in await find("运费")
    # Segmentation cuts "需要开发票" into 开发/票: a search for 发票 still finds it.
    invoice = await conversation_with(app_client, "我需要开发票")
    assert invoice in await find("发票")
    assert await find("ZEPPELINS") == [other]
    hit = (await app_client.get(AGENT, headers=agent, params={"q": "reimbursement"})).json()[0]
    assert "cracked lantern" in hit["preview"] and hit["status"] == "bot"
    assert await find("reimbursement", status="closed") == []
    assert await find("the") == []  # stop words alone find nothing

    acme = await new_tenant(app_client, "search-shop")
    await conversation_with(app_client, "reimbursement please", widget_key=acme["widget_key"])
    assert await find("reimbursement") == [refund]  # never another tenant's


async def test_a_message_is_found_right_after_it_is_sent(app_client):
    agent = await login(app_client)
    cid = await conversation_with(app_client, "My quokka invoice number is wrong")
    found = (await app_client.get(AGENT, headers=agent, params={"q": "quokka invoice"})).json()
    assert [c["conversation_id"] for c in found] == [cid]


async def test_traditional_and_simplified_chinese_find_each_other(app_client):
    from shared.conversations.search import query_forms

    agent = await login(app_client)
    taiwan = await conversation_with(app_client, "這個蠟染茶壺墊可以退貨嗎？")
    mainland = await conversation_with(app_client, "蜡染桌旗的运费怎么算")

    async def find(q: str) -> list[str]:
        resp = await app_client.get(AGENT, headers=agent, params={"q": q})
        assert resp.status_code == 200, resp.text
        return [c["conversation_id"] for c in resp.json()]

    assert await find("蜡染茶壶垫") == [taiwan]  # simplified finds traditional
    assert await find("蠟染桌旗") == [mainland]  # and the other way round
    assert sorted(await find("蠟染")) == sorted([taiwan, mainland])
    assert await find("茶壺墊 运费") == []  # still every word
    # Messages indexed before both forms were kept hold traditional as written: a query in
    # traditional is also searched as written.
    assert query_forms("圍裙缺貨") == [["·围", "·裙", "·缺", "·货"], ["·圍", "·裙", "·缺", "·貨"]]
    assert query_forms("围裙缺货") == [["·围", "·裙", "·缺", "·货"]]
