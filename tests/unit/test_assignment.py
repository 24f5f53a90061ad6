"""Automatic assignment: queued conversations go to online agents with room, the least busy
first, each once; a conversation beyond every agent's limit waits until one has room; an agent
coming online takes from the queue; off by default."""

from __future__ import annotations

import asyncio

from tests.staff import staff
from tests.unit.test_handoff import act, login, queued_conversation, second_agent

ADMIN = "/api/v1/admin"


async def assigned(client, cid: str, visitor: dict) -> str | None:
    """The agent a conversation went to (waits for the assignment to land)."""
    for _ in range(60):
        page = (await client.get(f"/api/v1/conversations/{cid}/messages", headers=visitor)).json()
        if page["status"] == "agent":
            break
        await asyncio.sleep(0.05)
    owner = await staff(client)
    detail = (await client.get(f"{ADMIN}/conversations/{cid}", headers=owner)).json()
    return detail["conversation"]["assigned_agent"]


async def auto_assignment(client, *, max_per_agent: int) -> None:
    owner = await staff(client)
    settings = (await client.get(f"{ADMIN}/settings/", headers=owner)).json()["settings"]
    settings["assignment"] = {"auto": True, "max_per_agent": max_per_agent}
    assert (await client.put(f"{ADMIN}/settings/", headers=owner, json=settings)).status_code == 200


async def online(client, headers: dict) -> None:
    resp = await client.post("/api/v1/agent/presence", headers=headers, json={"status": "online"})
    assert resp.status_code == 200


async def test_two_visitors_go_to_two_agents_and_the_third_waits_for_room(app_client):
    await auto_assignment(app_client, max_per_agent=1)
    first = await login(app_client)
    second, second_id = await second_agent(app_client)
    await online(app_client, first)
    await online(app_client, second)

    a, va = await queued_conversation(app_client)
    b, vb = await queued_conversation(app_client)
    got = {await assigned(app_client, a, va), await assigned(app_client, b, vb)}
    assert len(got) == 2 and second_id in got  # one each
    c, vc = await queued_conversation(app_client)
    await asyncio.sleep(0.3)
    page = (await app_client.get(f"/api/v1/conversations/{c}/messages", headers=vc)).json()
    assert page["status"] == "queued"  # both agents are at their limit
    joined = [m for m in page["messages"] if m["role"] == "system"]
    assert joined  # the visitor was told they wait

    # The second agent closes theirs: the waiting visitor goes to them.
    theirs = a if await assigned(app_client, a, va) == second_id else b
    assert (await act(app_client, second, theirs, "close")).status_code == 200
    assert await assigned(app_client, c, vc) == second_id


async def test_off_by_default_agents_claim(app_client):
    agent = await login(app_client)
    await online(app_client, agent)
    cid, visitor = await queued_conversation(app_client)
    await asyncio.sleep(0.3)
    page = (await app_client.get(f"/api/v1/conversations/{cid}/messages", headers=visitor)).json()
    assert page["status"] == "queued"


async def test_an_agent_who_goes_away_hands_their_visitors_to_one_still_online(app_client):
    await auto_assignment(app_client, max_per_agent=5)
    first = await login(app_client)
    await online(app_client, first)
    cid, visitor = await queued_conversation(app_client)
    first_id = await assigned(app_client, cid, visitor)
    second, second_id = await second_agent(app_client)
    await online(app_client, second)
    assert first_id != second_id

    away = await app_client.post("/api/v1/agent/presence", headers=first, json={"status": "away"})
    assert away.status_code == 200
    for _ in range(60):
        if await assigned(app_client, cid, visitor) == second_id:
            break
        await asyncio.sleep(0.05)
    assert await assigned(app_client, cid, visitor) == second_id
    texts = [
        m["content"]
        for m in (
            await app_client.get(f"/api/v1/conversations/{cid}/messages", headers=visitor)
        ).json()["messages"]
        if m["role"] == "system"
    ]
    assert any("step away" in t for t in texts)  # the visitor is told


async def test_an_agent_disabled_while_still_online_does_not_hold_up_the_queue(app_client):
    import uuid

    from shared.db.tables import User

    await auto_assignment(app_client, max_per_agent=5)
    first = await login(app_client)
    await online(app_client, first)
    cid, visitor = await queued_conversation(app_client)
    first_id = await assigned(app_client, cid, visitor)
    assert (await act(app_client, first, cid, "close")).status_code == 200
    second, second_id = await second_agent(app_client)
    await online(app_client, second)
    # Equally free, the assigner tries the lower id first: that one is disabled, in the moment
    # before their session ends (still online).
    disabled, other = sorted([first_id, second_id])
    await User.update({User.active: False}).where(User.id == uuid.UUID(disabled))
    cid, visitor = await queued_conversation(app_client)
    assert await assigned(app_client, cid, visitor) == other
