"""An FAQ uploaded as plain text answers each question with its own answer, not the page."""

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
