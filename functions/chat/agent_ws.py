"""The agent console's socket: ``WS /api/v1/agent/ws?token=…``.

In: the tenant's conversation changes (queue, claims, closes) as ``{"type": "conversation", …}``,
and every event of the conversations the agent watches, wrapped as
``{"type": "conversation_event", "conversation_id": …, "event": {…}}``.
Out: ``watch`` / ``unwatch`` a conversation, ``typing`` in one, ``presence`` online/away.
While the socket is open and the agent is online, they count as present for their tenant (the
process keeps that presence fresh; several sockets of one agent: present until the last goes).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

import msgspec
from litestar import WebSocket, websocket
from litestar.di import NamedDependency

from shared.auth.staff_tokens import StaffClaims
from shared.bus import CLOSE, GAP
from shared.conversations.events import conversation_channel, tenant_channel
from shared.conversations.handoff import agents_key
from shared.errors import KefuError
from shared.schemas import (
    AgentFrame,
    AgentPresence,
    AgentTyping,
    AgentUnwatch,
    AgentWatch,
)
from shared.services import Services
from shared.tasks import cancel_and_wait

from .agent import authorize_agent
from .frames import frames, send_error

__all__ = ["agent_ws"]

log = logging.getLogger("kefu.chat.agent_ws")
_frames = msgspec.json.Decoder(AgentFrame)
_PREFIX = "kefu:conv:"
_ACCESS_CHANGED = b'{"type":"access_changed"'


@websocket("/api/v1/agent/ws")
async def agent_ws(socket: WebSocket, services: NamedDependency[Services]) -> None:
    await socket.accept()
    token = socket.query_params.get("token")  # browsers can't set headers on a WebSocket
    try:
        agent = await authorize_agent(services, token)
    except KefuError as exc:
        await send_error(socket, exc.code, exc.detail)
        await socket.close(code=4000 + exc.status, reason=exc.code)
        return
    assert agent.tenant_id is not None
    presence = agents_key(agent.tenant_id)
    state = {"online": True}
    async with services.bus.subscribe(tenant_channel(agent.tenant_id)) as sub:
        tasks: set[asyncio.Task] = set()
        refusal: KefuError | None = None
        try:
            await services.bus.presence_hold(presence, agent.user_id)
            services.tasks.spawn(services.assigner.run(agent.tenant_id), name="assign-on-connect")
            forward = asyncio.create_task(_forward(socket, sub, services, agent, token))
            tasks = {forward, asyncio.create_task(_read(socket, services, agent, sub, state))}
            await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
            if forward.done() and not forward.cancelled() and forward.exception() is None:
                refusal = forward.result()
            if services.draining.is_set():  # this replica is stopping: reconnect elsewhere
                with contextlib.suppress(Exception):
                    await socket.close(code=1012, reason="restarting: reconnect")
        finally:
            await cancel_and_wait(*tasks, ignore=(Exception,))
            if state["online"]:
                with contextlib.suppress(Exception):
                    await services.bus.presence_release(presence, agent.user_id)
    if refusal is not None:  # closed once the reader is gone (a close beside it hangs)
        with contextlib.suppress(Exception):
            await send_error(socket, refusal.code, refusal.detail)
            await socket.close(code=4000 + refusal.status, reason=refusal.code)


async def _forward(
    socket: WebSocket, sub, services: Services, agent: StaffClaims, token: str | None
) -> KefuError | None:
    """Tenant and watched conversations' events to the console, until the process stops
    (None) or the agent's access is gone (the refusal)."""
    async for channel, payload in sub:
        if payload == CLOSE:
            return None  # this process is stopping
        if payload.startswith(_ACCESS_CHANGED):
            who = msgspec.json.decode(payload).get("user_id")
            if who in (None, agent.user_id):
                try:  # demoted, disabled, signed out, or the tenant disabled: the socket ends
                    await authorize_agent(services, token)
                except KefuError as exc:
                    return exc
            continue
        if channel.startswith(_PREFIX):
            conversation_id = channel[len(_PREFIX) :]
            if payload == GAP:
                payload = b'{"type":"resync"}'  # the console re-reads the conversation
            wrapped = b'{"type":"conversation_event","conversation_id":"%s","event":%s}' % (
                conversation_id.encode(),
                payload,
            )
            await socket.send_data(wrapped.decode(), mode="text")
        elif payload != GAP:
            await socket.send_data(payload.decode(), mode="text")
    return None


async def _read(
    socket: WebSocket, services: Services, agent: StaffClaims, sub, state: dict
) -> None:
    async for frame in frames(
        socket, _frames, services.settings.max_body_bytes, services.limiter.frame_limit
    ):
        if isinstance(frame, AgentPresence):
            online = frame.status == "online"
            if online != state["online"]:  # this socket holds the agent's presence, or not
                state["online"] = online
                assert agent.tenant_id is not None
                key = agents_key(agent.tenant_id)
                if online:
                    await services.bus.presence_hold(key, agent.user_id)
                    services.tasks.spawn(services.assigner.run(agent.tenant_id), name="assign")
                else:
                    await services.bus.presence_release(key, agent.user_id)
                    services.tasks.spawn(
                        services.assigner.agent_left(agent.tenant_id, agent.user_id),
                        name="agent-left",
                    )
            continue
        conversation = await services.store.get(frame.conversation_id)
        if conversation is None or conversation.tenant_id != agent.tenant_id:
            await send_error(socket, "conversation_not_found", "no such conversation")
            continue
        if isinstance(frame, AgentWatch):
            await sub.add(conversation_channel(conversation.id))
        elif isinstance(frame, AgentUnwatch):
            await sub.remove(conversation_channel(conversation.id))
        elif isinstance(frame, AgentTyping):
            await services.publisher.typing(conversation.id, "agent", frame.typing)
