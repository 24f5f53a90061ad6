"""Agents' canned responses, internal notes (never the visitor's) and labels."""

from __future__ import annotations

from tests.unit.test_handoff import act, login, queued_conversation, second_agent
from tests.unit.test_visitor_api import start

AGENT = "/api/v1/agent"


async def test_canned_responses_are_shared_by_the_tenants_agents(app_client):
    agent = await login(app_client)
    other, _ = await second_agent(app_client)
    made = await app_client.post(
        f"{AGENT}/canned-responses",
        headers=agent,
        json={"shortcut": "/Refund", "content": "Hi {{visitor.name}}, refunds take 5 days."},
    )
    assert made.status_code == 201, made.text
    assert made.json()["shortcut"] == "refund"
    listed = (await app_client.get(f"{AGENT}/canned-responses", headers=other)).json()
    assert [c["shortcut"] for c in listed] == ["refund"]
    taken = await app_client.post(
        f"{AGENT}/canned-responses", headers=other, json={"shortcut": "refund", "content": "x"}
    )
    assert (taken.status_code, taken.json()["code"]) == (409, "shortcut_taken")
    bad = await app_client.post(
        f"{AGENT}/canned-responses", headers=agent, json={"shortcut": "a b", "content": "x"}
    )
    assert bad.status_code == 400
    edited = await app_client.put(
        f"{AGENT}/canned-responses/{made.json()['id']}",
        headers=other,
        json={"shortcut": "refund", "content": "Refunds take 3-5 days."},
    )
    assert edited.json()["content"] == "Refunds take 3-5 days."
    gone = await app_client.delete(f"{AGENT}/canned-responses/{made.json()['id']}", headers=agent)
    assert gone.status_code == 204
    assert (await app_client.get(f"{AGENT}/canned-responses", headers=agent)).json() == []


async def test_notes_are_for_agents_only_and_labels_are_a_set(app_client):
    agent = await login(app_client)
    cid, visitor = await queued_conversation(app_client)
    note = await app_client.post(
        f"{AGENT}/conversations/{cid}/notes",
        headers=agent,
        json={"content": "Asked twice about the same parcel: check the courier."},
    )
    assert note.status_code == 201, note.text
    assert note.json()["author_name"] == "Demo Agent"
    notes = (await app_client.get(f"{AGENT}/conversations/{cid}/notes", headers=agent)).json()
    assert [n["content"] for n in notes] == [
        "Asked twice about the same parcel: check the courier."
    ]
    history = (
        await app_client.get(f"/api/v1/conversations/{cid}/messages", headers=visitor)
    ).json()
    assert "courier" not in str(history)  # the visitor never sees it
    own = await app_client.get(f"{AGENT}/conversations/{cid}/notes", headers=visitor)
    assert own.status_code == 401

    labels = await app_client.put(
        f"{AGENT}/conversations/{cid}/labels",
        headers=agent,
        json={"labels": ["VIP", "refund ", "vip"]},
    )
    assert labels.json() == {"labels": ["refund", "vip"]}
    labels = await app_client.put(
        f"{AGENT}/conversations/{cid}/labels", headers=agent, json={"labels": ["refund"]}
    )
    assert (await app_client.get(f"{AGENT}/conversations/{cid}/labels", headers=agent)).json() == {
        "labels": ["refund"]
    }
    other_cid, _ = await start(app_client, widget_key="demo")
    assert (
        await app_client.get(f"{AGENT}/conversations/{other_cid}/labels", headers=agent)
    ).json() == {"labels": []}


async def test_the_agent_taking_over_sees_what_the_bot_was_asked_and_a_drafted_reply(app_client):
    from tests.unit.test_visitor_api import say, wait_for_messages

    agent = await login(app_client)
    cid, visitor = await start(app_client)
    await say(app_client, cid, visitor, "How much does shipping cost?")
    await wait_for_messages(app_client, cid, visitor, 2)
    await say(app_client, cid, visitor, "Can I pay in installments with Klarna?")
    await wait_for_messages(app_client, cid, visitor, 4)
    await say(app_client, cid, visitor, "Can I rent a canoe from you?")
    await wait_for_messages(app_client, cid, visitor, 6)
    await say(app_client, cid, visitor, "I want to talk to a person")
    await wait_for_messages(app_client, cid, visitor, 8)

    help_ = (await app_client.get(f"{AGENT}/conversations/{cid}/assist", headers=agent)).json()
    asked = [(a["question"], a["answered"]) for a in help_["asked"]]
    assert asked[:3] == [
        ("How much does shipping cost?", True),
        ("Can I pay in installments with Klarna?", True),
        ("Can I rent a canoe from you?", False),
    ]
    assert help_["asked"][0]["source"] == "How much does shipping cost?"
    assert help_["handoff_reason"] == "visitor_asked"
    # The latest question is the canoe: the knowledge base has nothing to draft from.
    assert help_["suggestion"] == ""

    # Asked, then pressed "Talk to a human": the draft answers the question.
    cid2, visitor2 = await start(app_client)
    await say(app_client, cid2, visitor2, "Do you ship internationally?")
    await wait_for_messages(app_client, cid2, visitor2, 2)
    await app_client.post(f"/api/v1/conversations/{cid2}/handoff", headers=visitor2)
    drafted = (await app_client.get(f"{AGENT}/conversations/{cid2}/assist", headers=agent)).json()
    assert "7-14 business days" in drafted["suggestion"]
    assert drafted["suggestion_sources"] == ["Do you ship internationally?"]


async def test_lists_show_previews_labels_and_closed_conversations(app_client):
    from tests.unit.test_visitor_api import say, wait_for_messages

    agent = await login(app_client)
    first, visitor = await start(app_client)
    await say(app_client, first, visitor, "Where is my parcel?")
    await wait_for_messages(app_client, first, visitor, 2)
    await app_client.post(f"/api/v1/conversations/{first}/handoff", headers=visitor)
    second, _ = await queued_conversation(app_client)
    queue = (await app_client.get(f"{AGENT}/queue", headers=agent)).json()
    by_id = {c["conversation_id"]: c for c in queue}
    # The bot's answer is the latest message from someone; the queue notice after it is not.
    assert by_id[first]["preview_role"] == "bot" and by_id[first]["preview"]
    assert by_id[second]["preview"] == ""  # only notices so far
    await app_client.put(
        f"{AGENT}/conversations/{second}/labels", headers=agent, json={"labels": ["vip"]}
    )
    for cid in (first, second):
        assert (await act(app_client, agent, cid, "close")).status_code == 200
    closed = (await app_client.get(f"{AGENT}/conversations?status=closed", headers=agent)).json()
    assert [c["conversation_id"] for c in closed][:2] == [second, first]  # latest closed first
    vip = (
        await app_client.get(f"{AGENT}/conversations?status=closed&label=VIP", headers=agent)
    ).json()
    assert [(c["conversation_id"], c["labels"]) for c in vip] == [(second, ["vip"])]
    none = await app_client.get(f"{AGENT}/conversations?status=closed&label=nobody", headers=agent)
    assert none.json() == []
