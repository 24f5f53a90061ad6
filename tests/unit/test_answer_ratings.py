"""Visitors rate the bot's answers; owners see the totals and the unhelpful ones."""

from __future__ import annotations

from tests.staff import staff
from tests.unit.test_visitor_api import say, start, wait_for_messages

ADMIN = "/api/v1/admin"


async def test_a_visitor_rates_answers_and_the_owner_sees_what_did_not_help(app_client):
    owner = await staff(app_client)
    cid, visitor = await start(app_client)
    await say(app_client, cid, visitor, "How much does shipping cost?")
    await say(app_client, cid, visitor, "Which payment methods do you accept?")
    messages = await wait_for_messages(app_client, cid, visitor, 4)
    first, second = [m for m in messages if m["role"] == "bot"]
    rate = f"/api/v1/conversations/{cid}/messages/{{}}/rating"

    assert (await app_client.post(rate.format(first["id"]), headers=visitor,
                                  json={"helpful": True})).status_code == 200  # fmt: skip
    assert (await app_client.post(rate.format(second["id"]), headers=visitor,
                                  json={"helpful": True})).status_code == 200  # fmt: skip
    # Changed their mind about the second: the last verdict counts, once.
    changed = await app_client.post(
        rate.format(second["id"]), headers=visitor, json={"helpful": False}
    )
    assert changed.json() == {"message_id": second["id"], "helpful": False}

    summary = (await app_client.get(f"{ADMIN}/analytics/answer-ratings", headers=owner)).json()
    assert (summary["helpful"], summary["not_helpful"]) == (1, 1)
    [unhelpful] = summary["recent_not_helpful"]
    assert unhelpful["message_id"] == second["id"] and unhelpful["content"] == second["content"]

    own = next(m for m in messages if m["role"] == "visitor")
    refused = await app_client.post(rate.format(own["id"]), headers=visitor, json={"helpful": True})
    assert (refused.status_code, refused.json()["code"]) == (422, "not_a_bot_answer")
    unknown = await app_client.post(
        rate.format("00000000-0000-0000-0000-000000000000"), headers=visitor, json={"helpful": True}
    )
    assert (unknown.status_code, unknown.json()["code"]) == (404, "message_not_found")
    # Another visitor can't rate this conversation's answers.
    _, stranger = await start(app_client)
    assert (await app_client.post(rate.format(first["id"]), headers=stranger,
                                  json={"helpful": False})).status_code in (403, 404)  # fmt: skip


async def test_a_visitor_rates_a_closed_conversation_and_the_owner_reads_it(app_client):
    from tests.unit.test_handoff import act, login, queued_conversation

    owner = await staff(app_client)
    agent = await login(app_client)
    ratings = []
    for score, comment in ((5, "Quick and kind"), (2, ""), (4, "")):
        cid, visitor = await queued_conversation(app_client)
        rate = f"/api/v1/conversations/{cid}/rating"
        early = await app_client.post(rate, headers=visitor, json={"score": 5})
        assert (early.status_code, early.json()["code"]) == (409, "conversation_not_closed")
        assert (await act(app_client, agent, cid, "close")).status_code == 200
        bad = await app_client.post(rate, headers=visitor, json={"score": 6})
        assert bad.status_code == 400
        done = await app_client.post(
            rate, headers=visitor, json={"score": score, "comment": f" {comment} "}
        )
        assert done.status_code == 200, done.text
        assert done.json() == {"conversation_id": cid, "score": score, "comment": comment}
        ratings.append((cid, visitor))
    # Changed their mind: the last rating counts, once.
    cid, visitor = ratings[2]
    await app_client.post(
        f"/api/v1/conversations/{cid}/rating", headers=visitor, json={"score": 3, "comment": "ok"}
    )
    _, stranger = await start(app_client)
    foreign = await app_client.post(
        f"/api/v1/conversations/{cid}/rating", headers=stranger, json={"score": 1}
    )
    assert foreign.status_code in (403, 404)

    summary = (
        await app_client.get(f"{ADMIN}/analytics/conversation-ratings", headers=owner)
    ).json()
    assert summary["count"] == 3
    assert summary["distribution"] == {"1": 0, "2": 1, "3": 1, "4": 0, "5": 1}
    assert summary["average"] == round((5 + 2 + 3) / 3, 2)
    assert [(r["score"], r["comment"]) for r in summary["recent"]] == [
        (3, "ok"), (2, ""), (5, "Quick and kind")
    ]  # fmt: skip
