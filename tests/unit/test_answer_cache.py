"""The answer cache end to end on embedded defaults: repeats come from cache; KB edits invalidate."""

from __future__ import annotations

from prometheus_client import REGISTRY

from tests.unit.test_visitor_api import say, start, wait_for_messages


def answers(kind: str) -> float:
    return REGISTRY.get_sample_value("kefu_bot_answers_total", {"kind": kind}) or 0.0


async def ask_new_conversation(client, question: str) -> dict:
    cid, headers = await start(client)
    await say(client, cid, headers, question)
    return (await wait_for_messages(client, cid, headers, 2))[1]


async def test_a_repeated_question_is_answered_from_cache_until_the_kb_changes(app_client):
    services = app_client.app.state.services
    services.retriever._ttl = 0  # see KB edits at once
    cached_before = answers("cached")

    first = await ask_new_conversation(app_client, "How much does shipping cost?")
    again = await ask_new_conversation(app_client, "how much does SHIPPING cost")
    assert again["content"] == first["content"] and "$49" in first["content"]
    assert again["citations"] == first["citations"]
    assert answers("cached") == cached_before + 1

    tenant_id = (await services.store.tenant_by_widget_key("demo")).id
    await services.kb.upsert_document(
        tenant_id,
        title="Maple & Moss Help Center",
        source="faq_en.md",
        content="# Maple & Moss Help Center\n\n## How much does shipping cost?\n\n"
        "Standard shipping is free on orders over $59.\n",
    )
    after_edit = await ask_new_conversation(app_client, "How much does shipping cost?")
    assert "$59" in after_edit["content"]
    assert answers("cached") == cached_before + 1  # the edit made the old answer unreachable


async def test_follow_up_questions_are_not_served_from_cache(app_client):
    cached_before = answers("cached")
    await ask_new_conversation(app_client, "Which payment methods do you accept?")
    cid, headers = await start(app_client)
    await say(app_client, cid, headers, "Do you have a physical store?")
    await wait_for_messages(app_client, cid, headers, 2)
    await say(app_client, cid, headers, "Which payment methods do you accept?")
    await wait_for_messages(app_client, cid, headers, 4)
    assert answers("cached") == cached_before  # a second question depends on the conversation


async def test_paraphrases_of_an_opening_question_share_one_answer(app_client):
    """Same words in another order, or (built-in embedder) the same meaning on the same best
    passage: one answer. Same topic, different ask: its own answer."""
    cached_before = answers("cached")
    first = await ask_new_conversation(app_client, "Is delivery free?")
    await ask_new_conversation(app_client, "free delivery, is it?")  # same terms, reordered
    assert answers("cached") == cached_before + 1

    await ask_new_conversation(app_client, "怎么修改收货地址？")
    again = await ask_new_conversation(app_client, "收货地址写错了怎么改？")  # cosine 0.98
    assert answers("cached") == cached_before + 2
    assert again["citations"][0]["title"] != first["citations"][0]["title"]

    await ask_new_conversation(app_client, "退款多久到账？")
    await ask_new_conversation(app_client, "退款会退到哪里？")  # cosine 0.95: another question
    assert answers("cached") == cached_before + 2
