"""A visitor with no agent online leaves an email address; the agent's later reply reaches
them by email (a real SMTP exchange with a local aiosmtpd server)."""

from __future__ import annotations

import asyncio
from email import message_from_bytes

import pytest
from aiosmtpd.controller import Controller

from tests.conftest import free_port
from tests.unit.test_handoff import act, login, queued_conversation
from tests.unit.test_protection import app_with


class Inbox:
    def __init__(self) -> None:
        self.mail: list = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's naming
        self.mail.append((envelope.rcpt_tos, message_from_bytes(envelope.content)))
        return "250 OK"


@pytest.fixture
def smtp():
    inbox, port = Inbox(), free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield inbox, port
    controller.stop()


async def reply(client, agent, cid, text):
    resp = await client.post(
        f"/api/v1/agent/conversations/{cid}/messages", headers=agent, json={"content": text}
    )
    assert resp.status_code == 201, resp.text


async def test_a_reply_reaches_a_visitor_who_left_their_email(tmp_path, smtp):
    inbox, port = smtp
    async with app_with(tmp_path, smtp_url=f"smtp://127.0.0.1:{port}",
                        mail_from="Maple & Moss <help@maple.example>") as client:  # fmt: skip
        agent = await login(client)
        cid, visitor = await queued_conversation(client)
        bad = await client.post(
            f"/api/v1/conversations/{cid}/contact", headers=visitor, json={"email": "not-an-email"}
        )
        assert bad.status_code == 400
        left = await client.post(
            f"/api/v1/conversations/{cid}/contact",
            headers=visitor,
            json={"email": "ana@example.com"},
        )
        assert left.status_code == 200, left.text
        assert (await act(client, agent, cid, "claim")).status_code == 200
        await reply(client, agent, cid, "Your parcel left our warehouse this morning.")
        for _ in range(100):
            if inbox.mail:
                break
            await asyncio.sleep(0.05)
        [(to, mail)] = inbox.mail
        assert to == ["ana@example.com"]
        assert mail["From"] == "Maple & Moss <help@maple.example>"
        assert "reply to your question" in mail["Subject"]
        assert (
            "Your parcel left our warehouse this morning." in mail.get_payload(decode=True).decode()
        )

        # A visitor who left no address gets no email.
        cid2, _ = await queued_conversation(client)
        assert (await act(client, agent, cid2, "claim")).status_code == 200
        await reply(client, agent, cid2, "Hello?")
        await asyncio.sleep(0.5)
        assert len(inbox.mail) == 1
