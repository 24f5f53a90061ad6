"""Handoff and the agent workspace: an explicit state machine that always works."""

from __future__ import annotations

import asyncio
import functools

import pytest

from shared.bot import DONT_KNOW
from shared.conversations.handoff import NO_AGENT, agents_key
from shared.demo import DEMO_AGENT
from shared.llm.base import ChatModel
from tests.unit.test_visitor_api import say, start, wait_for_messages


async def login(client, email: str = DEMO_AGENT[0], password: str = DEMO_AGENT[1]) -> dict:
    resp = await client.post("/api/v1/auth/login", json={"email": email, "password": password})
    assert resp.status_code == 200, resp.text
    return {"Authorization": f"Bearer {resp.json()['access_token']}"}


async def second_agent(client, email: str = "second@demo.kefu.local") -> tuple[dict, str]:
    create = functools.partial(
        client.app.state.services.users.create,
        email=email, password="second-agent-pw", role="agent", tenant_slug="demo",
        display_name="Second",
    )  # fmt: skip
    # On the app's own event loop (its database pool is bound to it: Postgres).
    user = await asyncio.to_thread(client.blocking_portal.call, create)
    return await login(client, email, "second-agent-pw"), user.id


async def queued_conversation(client) -> tuple[str, dict]:
    cid, headers = await start(client)
    resp = await client.post(f"/api/v1/conversations/{cid}/handoff", headers=headers)
    assert resp.json()["status"] == "queued"
    return cid, headers


async def act(client, agent: dict, cid: str, action: str, **body):
    return await client.post(
        f"/api/v1/agent/conversations/{cid}/{action}", headers=agent, json=body or None
    )


async def roles(client, cid: str, headers: dict) -> list[str]:
    page = await client.get(f"/api/v1/conversations/{cid}/messages", headers=headers)
    return [m["role"] for m in page.json()["messages"]]


async def test_queued_conversation_shows_in_the_queue_and_one_of_two_racing_claims_wins(app_client):
    agent_a = await login(app_client)
    agent_b, _ = await second_agent(app_client)
    cid, _ = await queued_conversation(app_client)
    queue = (await app_client.get("/api/v1/agent/queue", headers=agent_a)).json()
    assert cid in [c["conversation_id"] for c in queue]
    results = await asyncio.gather(
        act(app_client, agent_a, cid, "claim"), act(app_client, agent_b, cid, "claim")
    )
    codes = sorted(r.status_code for r in results)
    assert codes == [200, 409]
    loser = next(r for r in results if r.status_code == 409)
    assert loser.json()["code"] == "already_claimed"
    assert cid not in [
        c["conversation_id"]
        for c in (await app_client.get("/api/v1/agent/queue", headers=agent_a)).json()
    ]


async def test_agent_reply_reaches_the_visitor_and_the_bot_stays_quiet(app_client):
    agent = await login(app_client)
    cid, visitor = await queued_conversation(app_client)
    assert (await act(app_client, agent, cid, "claim")).status_code == 200
    reply = await app_client.post(
        f"/api/v1/agent/conversations/{cid}/messages",
        headers=agent,
        json={"content": "Hi, I'm here to help!", "client_msg_id": "a1"},
    )
    assert reply.status_code == 201
    await say(app_client, cid, visitor, "How much does shipping cost?")
    await asyncio.sleep(0.3)
    messages = (
        await app_client.get(f"/api/v1/conversations/{cid}/messages", headers=visitor)
    ).json()["messages"]
    assert [m["role"] for m in messages] == ["system", "system", "agent", "visitor"]
    assert "joined" in messages[1]["content"]
    assert messages[2]["content"] == "Hi, I'm here to help!"


class FakeSlowModel(ChatModel):
    """A stand-in model that takes a while, so a claim can land mid-answer."""

    name = "fake-slow"

    async def stream(self, request):
        for piece in ["Let ", "me ", "check ", "that ", "for ", "you."]:
            await asyncio.sleep(0.1)
            yield piece


async def test_the_bot_never_answers_after_a_claim_even_mid_stream(app_client):
    services = app_client.app.state.services
    services.gateway.model = FakeSlowModel()
    agent = await login(app_client)
    cid, visitor = await start(app_client)
    await say(app_client, cid, visitor, "Which payment methods do you accept?")
    await asyncio.sleep(0.25)  # the bot is streaming now
    assert (await act(app_client, agent, cid, "claim")).status_code == 200
    await asyncio.sleep(0.8)  # the bot's stream has ended by now
    assert await roles(app_client, cid, visitor) == ["visitor", "system"]


async def test_release_returns_the_conversation_to_the_bot(app_client):
    agent = await login(app_client)
    cid, visitor = await queued_conversation(app_client)
    await act(app_client, agent, cid, "claim")
    resp = await act(app_client, agent, cid, "release")
    assert resp.json()["status"] == "bot"
    await say(app_client, cid, visitor, "How much does shipping cost?")
    messages = await wait_for_messages(app_client, cid, visitor, 5)
    assert messages[-1]["role"] == "bot" and "$49" in messages[-1]["content"]


async def test_close_is_final(app_client):
    agent = await login(app_client)
    cid, visitor = await queued_conversation(app_client)
    await act(app_client, agent, cid, "claim")
    assert (await act(app_client, agent, cid, "close")).json()["status"] == "closed"
    refused = await app_client.post(
        f"/api/v1/conversations/{cid}/messages", headers=visitor, json={"content": "hello?"}
    )
    assert (refused.status_code, refused.json()["code"]) == (409, "conversation_closed")
    for action in ("claim", "release", "close"):
        resp = await act(app_client, agent, cid, action)
        assert (resp.status_code, resp.json()["code"]) == (409, "conversation_closed")
    handoff = await app_client.post(f"/api/v1/conversations/{cid}/handoff", headers=visitor)
    assert handoff.status_code == 409


async def test_illegal_transitions_are_refused_clearly(app_client):
    agent_a = await login(app_client)
    agent_b, b_id = await second_agent(app_client)
    cid, _ = await queued_conversation(app_client)
    release = await act(app_client, agent_a, cid, "release")
    assert (release.status_code, release.json()["code"]) == (409, "invalid_transition")
    await act(app_client, agent_a, cid, "claim")
    stolen = await act(app_client, agent_b, cid, "release")
    assert (stolen.status_code, stolen.json()["code"]) == (403, "not_your_conversation")
    reply = await app_client.post(
        f"/api/v1/agent/conversations/{cid}/messages", headers=agent_b, json={"content": "hi"}
    )
    assert (reply.status_code, reply.json()["code"]) == (409, "not_your_conversation")
    moved = await act(app_client, agent_a, cid, "transfer", to_agent_id=b_id)
    assert moved.status_code == 200
    reply = await app_client.post(
        f"/api/v1/agent/conversations/{cid}/messages", headers=agent_b, json={"content": "hi"}
    )
    assert reply.status_code == 201


@pytest.mark.parametrize(
    "phrase",
    [
        "转人工",
        "我要人工客服",
        "Can I talk to a human please?",
        "I want a real person",
        # No word rule has this one: the built-in embedder finds it nearest to requests.
        "I'd feel better if an employee of yours dealt with this",
    ],
)
async def test_asking_for_a_human_in_words_hands_off(app_client, phrase):
    cid, visitor = await start(app_client)
    await say(app_client, cid, visitor, phrase)
    messages = await wait_for_messages(app_client, cid, visitor, 2)
    await asyncio.sleep(0.2)
    page = (await app_client.get(f"/api/v1/conversations/{cid}/messages", headers=visitor)).json()
    assert page["status"] == "queued"
    assert [m["role"] for m in page["messages"]] == ["visitor", "system"]
    assert messages[1]["role"] == "system"


async def test_no_agent_online_tells_the_visitor_to_leave_a_message(app_client):
    cid, visitor = await queued_conversation(app_client)
    notice = (await wait_for_messages(app_client, cid, visitor, 1))[0]
    assert notice["content"] in NO_AGENT.every()


async def test_with_agents_online_the_visitor_learns_their_place_in_the_queue(app_client):
    services = app_client.app.state.services
    tenant = await services.store.tenant_by_widget_key("demo")
    await services.bus.presence_join(agents_key(tenant.id), "someone", 30)
    first, _ = await queued_conversation(app_client)
    cid, visitor = await queued_conversation(app_client)
    notice = (await wait_for_messages(app_client, cid, visitor, 1))[0]
    assert "queue" in notice["content"]
    position = await services.store.queue_position(tenant.id, cid)
    assert position >= 2 and f"position {position}" in notice["content"]


async def test_yes_after_the_bot_offers_a_human_hands_off(app_client):
    cid, visitor = await start(app_client)
    await say(app_client, cid, visitor, "What is the capital of France?")
    messages = await wait_for_messages(app_client, cid, visitor, 2)
    assert messages[1]["content"] == DONT_KNOW["en"]
    await say(app_client, cid, visitor, "yes please")
    messages = await wait_for_messages(app_client, cid, visitor, 4)
    assert messages[-1]["role"] == "system"
    assert (await app_client.get(f"/api/v1/conversations/{cid}/messages", headers=visitor)).json()[
        "status"
    ] == "queued"


async def test_two_ungrounded_answers_in_a_row_bring_a_human(app_client):
    cid, visitor = await start(app_client)
    for i, question in enumerate(["What is the capital of France?", "Who won the 1998 world cup?"]):
        await say(app_client, cid, visitor, question)
        await wait_for_messages(app_client, cid, visitor, 2 * (i + 1))
    await say(app_client, cid, visitor, "And the tallest mountain?")
    messages = await wait_for_messages(app_client, cid, visitor, 6)
    assert [m["role"] for m in messages] == [
        "visitor",
        "bot",
        "visitor",
        "bot",
        "visitor",
        "system",
    ]


async def test_asking_the_same_question_again_after_an_answer_brings_a_human(app_client):
    cid, visitor = await start(app_client)
    await say(app_client, cid, visitor, "How much does shipping cost?")
    answered = await wait_for_messages(app_client, cid, visitor, 2)
    assert answered[1]["role"] == "bot" and answered[1]["citations"]
    await say(app_client, cid, visitor, "how much does shipping cost??")
    messages = await wait_for_messages(app_client, cid, visitor, 4)
    assert messages[-1]["role"] == "system"
    queue = (await app_client.get("/api/v1/agent/queue", headers=await login(app_client))).json()
    assert {"conversation_id": cid, "reason": "asked_again"} in [
        {"conversation_id": c["conversation_id"], "reason": c["handoff_reason"]} for c in queue
    ]


@pytest.mark.parametrize(
    ("first", "then"),
    [
        ("How much does shipping cost?", "How long does shipping take?"),  # another question
        ("thanks", "thanks"),  # not a question
        ("Where is order 12345?", "Where is order 12346?"),  # another order
    ],
)
async def test_a_different_question_or_a_thanks_twice_stays_with_the_bot(app_client, first, then):
    cid, visitor = await start(app_client)
    await say(app_client, cid, visitor, first)
    await wait_for_messages(app_client, cid, visitor, 2)
    await say(app_client, cid, visitor, then)
    messages = await wait_for_messages(app_client, cid, visitor, 4)
    assert messages[-1]["role"] == "bot", messages[-1]["content"]


async def test_agent_endpoints_need_a_staff_token(app_client):
    cid, visitor = await queued_conversation(app_client)
    assert (await app_client.get("/api/v1/agent/queue")).json()["code"] == "missing_token"
    as_visitor = await app_client.get("/api/v1/agent/queue", headers=visitor)
    assert as_visitor.status_code == 401
    bad = await app_client.post(
        "/api/v1/auth/login", json={"email": DEMO_AGENT[0], "password": "wrong"}
    )
    assert (bad.status_code, bad.json()["code"]) == (401, "invalid_credentials")


async def test_refresh_tokens_rotate_and_cannot_be_reused(app_client):
    resp = await app_client.post(
        "/api/v1/auth/login", json={"email": DEMO_AGENT[0], "password": DEMO_AGENT[1]}
    )
    refresh = resp.json()["refresh_token"]
    renewed = await app_client.post("/api/v1/auth/refresh", json={"refresh_token": refresh})
    assert renewed.status_code == 200 and renewed.json()["refresh_token"] != refresh
    reused = await app_client.post("/api/v1/auth/refresh", json={"refresh_token": refresh})
    assert (reused.status_code, reused.json()["code"]) == (401, "token_revoked")


async def test_notices_follow_the_visitors_language(app_client):
    agent = await login(app_client)
    cid, visitor = await start(app_client)
    await say(app_client, cid, visitor, "转人工")
    await wait_for_messages(app_client, cid, visitor, 2)
    await act(app_client, agent, cid, "claim")
    messages = await wait_for_messages(app_client, cid, visitor, 3)
    assert messages[1]["content"] == NO_AGENT["zh"]
    assert messages[2]["content"] == "人工客服 Demo Agent 已接入。"


async def test_a_visitor_writing_traditional_chinese_reads_the_notices_in_it(app_client):
    agent = await login(app_client)
    cid, visitor = await start(app_client)
    await say(app_client, cid, visitor, "請幫我轉接真人客服")
    messages = await wait_for_messages(app_client, cid, visitor, 2)
    assert (
        messages[1]["content"]
        == NO_AGENT["zh-Hant"]
        == "當前沒有在線的人工客服。請留下您的問題，我們會盡快回復您。"
    )
    await act(app_client, agent, cid, "claim")
    await act(app_client, agent, cid, "release")
    messages = await wait_for_messages(app_client, cid, visitor, 4)
    assert messages[3]["content"] == "已轉回智能助手為您服務。"


async def test_the_talk_to_a_person_button_answers_in_the_widgets_language(app_client):
    # Pressed before writing anything: the notice is in the language of the visitor's widget.
    resp = await app_client.post(
        "/api/v1/visitor/conversations",
        json={"widget_key": "demo", "visitor": {"language": "zh", "page": "https://shop.example/"}},
    )
    body = resp.json()
    cid, visitor = body["conversation_id"], {"Authorization": f"Bearer {body['visitor_token']}"}
    handed = await app_client.post(f"/api/v1/conversations/{cid}/handoff", headers=visitor)
    assert handed.json()["status"] == "queued"
    messages = await wait_for_messages(app_client, cid, visitor, 1)
    assert messages[0]["content"] == NO_AGENT["zh"]
    # After writing in English, the button answers in English (the visitor's latest words).
    english_cid, english = await start(app_client)
    await say(app_client, english_cid, english, "Hello, where is my parcel?")
    await wait_for_messages(app_client, english_cid, english, 2)
    await app_client.post(f"/api/v1/conversations/{english_cid}/handoff", headers=english)
    messages = await wait_for_messages(app_client, english_cid, english, 3)
    assert messages[-1]["content"] == NO_AGENT["en"]


async def test_visitor_typing_over_rest_reaches_the_conversation(app_client):
    from shared.conversations.events import conversation_channel

    services = app_client.app.state.services
    cid, visitor = await start(app_client)
    async with services.bus.subscribe(conversation_channel(cid)) as sub:
        resp = await app_client.post(
            f"/api/v1/conversations/{cid}/typing", headers=visitor, json={"typing": True}
        )
        assert resp.status_code == 204
        _, payload = await sub.get(2)
    assert b'"typing"' in payload and b'"visitor"' in payload


async def set_rules(client, **handoff) -> None:
    from shared.db.tables import Tenant

    await Tenant.update({Tenant.settings: {"handoff": handoff}}).where(Tenant.slug == "demo")
    client.app.state.services.handoffs.rules._ttl = 0  # read the new rules at once


async def test_tenant_phrases_bring_a_human(app_client):
    await set_rules(app_client, phrases=["complaint", "投诉"])
    cid, visitor = await start(app_client)
    await say(app_client, cid, visitor, "I want to file a Complaint about my sofa")
    messages = await wait_for_messages(app_client, cid, visitor, 2)
    assert messages[1]["role"] == "system"
    summary = (await app_client.get("/api/v1/agent/queue", headers=await login(app_client))).json()
    assert {"conversation_id": cid, "reason": "tenant_rule"} in [
        {"conversation_id": c["conversation_id"], "reason": c["handoff_reason"]} for c in summary
    ]


async def test_outside_business_hours_the_visitor_learns_when_agents_are_back(app_client):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    tomorrow = (datetime.now(ZoneInfo("Asia/Shanghai")).weekday() + 1) % 7  # closed all of today
    hours = {"timezone": "Asia/Shanghai", "days": [tomorrow], "open": "09:00", "close": "18:00"}
    await set_rules(app_client, business_hours=hours)
    cid, visitor = await queued_conversation(app_client)
    notice = (await wait_for_messages(app_client, cid, visitor, 1))[0]["content"]
    assert "Our agents are available" in notice and "09:00-18:00 (Asia/Shanghai)" in notice


async def test_the_ungrounded_limit_is_a_tenant_setting(app_client):
    await set_rules(app_client, ungrounded_limit=1)
    cid, visitor = await start(app_client)
    await say(app_client, cid, visitor, "What is the capital of France?")
    await wait_for_messages(app_client, cid, visitor, 2)
    await say(app_client, cid, visitor, "Who painted the Mona Lisa?")
    messages = await wait_for_messages(app_client, cid, visitor, 4)
    assert [m["role"] for m in messages] == ["visitor", "bot", "visitor", "system"]


def test_business_hours_in_a_timezone():
    from datetime import UTC, datetime

    from shared.conversations.rules import BusinessHours

    hours = BusinessHours(
        timezone="Asia/Shanghai", days=[0, 1, 2, 3, 4], open="09:00", close="18:00"
    )
    monday_10_shanghai = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)
    monday_20_shanghai = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
    saturday_10_shanghai = datetime(2026, 11, 28, 2, 0, tzinfo=UTC)
    assert hours.is_open(monday_10_shanghai)
    assert not hours.is_open(monday_20_shanghai)
    assert not hours.is_open(saturday_10_shanghai)
    assert hours.describe("zh").startswith("周一, 周二")


async def test_agent_replies_are_validated_like_visitor_messages(app_client):
    agent = await login(app_client)
    cid, _ = await queued_conversation(app_client)
    await act(app_client, agent, cid, "claim")
    url = f"/api/v1/agent/conversations/{cid}/messages"
    too_long_id = await app_client.post(
        url, headers=agent, json={"content": "hi", "client_msg_id": "x" * 101}
    )
    assert (too_long_id.status_code, too_long_id.json()["code"]) == (422, "invalid_client_msg_id")
    empty = await app_client.post(url, headers=agent, json={"content": "  "})
    assert (empty.status_code, empty.json()["code"]) == (422, "empty_message")
    first = await app_client.post(
        url, headers=agent, json={"content": "hello", "client_msg_id": "a-1"}
    )
    again = await app_client.post(
        url, headers=agent, json={"content": "hello", "client_msg_id": "a-1"}
    )
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
