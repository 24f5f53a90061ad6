"""Answers a visitor reads: an uploaded FAQ answers with its one answer, a question asking two
things with an answer for each."""

from __future__ import annotations

from tests.staff import staff
from tests.unit.test_handoff import wait_for_messages
from tests.unit.test_visitor_api import say, start

FAQ = """Boulder Barn - frequently asked questions

Q: Can I rent climbing shoes?
A: Yes. Shoe rental is 5 euros per visit, sizes 34 to 48.

Q: What does a day pass cost?
A: A day pass is 14 euros for adults and 10 euros for students.

Q: Is there parking?
A: There are 30 free parking spaces behind the building.

Q: Do you host birthday parties?
A: Yes, for children from 6 years, 180 euros for up to 10 children.
"""


async def test_a_visitor_gets_the_one_answer_of_an_uploaded_faq(app_client):
    owner = await staff(app_client)
    upload = await app_client.post(
        "/api/v1/admin/kb/upload",
        headers=owner,
        files={"file": ("boulder-barn-faq.txt", FAQ.encode())},
    )
    assert upload.status_code == 201, upload.text
    cid, visitor = await start(app_client)
    await say(app_client, cid, visitor, "Where can I park my car at Boulder Barn?")
    answer = (await wait_for_messages(app_client, cid, visitor, 2))[-1]
    assert answer["content"].strip() == "There are 30 free parking spaces behind the building."
    # Cited by its question: the visitor and the agent see which answer it is.
    assert answer["citations"][0]["title"].endswith("> Is there parking?")
    # The question names the passage for agents and owners (the playground shows it).
    preview = await app_client.post(
        "/api/v1/admin/kb/playground", headers=owner, json={"question": "Can I rent shoes?"}
    )
    cited = [p for p in preview.json()["passages"] if p["cited"]]
    assert cited[0]["heading"].endswith("Can I rent climbing shoes?"), cited
    assert preview.json()["answer"].startswith("Yes. Shoe rental is 5 euros")


TWO_ASKS = "How long does shipping take, and do you have a physical store?"


async def test_a_visitor_who_asks_two_things_reads_both_answers(app_client):
    cid, visitor = await start(app_client)
    await say(app_client, cid, visitor, TWO_ASKS)
    answer = (await wait_for_messages(app_client, cid, visitor, 2))[-1]
    cited = [c["title"].split(" > ")[-1] for c in answer["citations"]]
    assert cited[:2] == ["How long does shipping take?", "Do you have a physical store?"]
    assert "business days" in answer["content"] and "88 Garden Road" in answer["content"]

    # The owner's playground takes the same steps.
    preview = await app_client.post(
        "/api/v1/admin/kb/playground",
        headers=await staff(app_client),
        json={"question": TWO_ASKS},
    )
    assert preview.json()["answer"] == answer["content"]
    cited = [p["heading"].split(" > ")[-1] for p in preview.json()["passages"] if p["cited"]]
    assert sorted(cited) == ["Do you have a physical store?", "How long does shipping take?"]
