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
