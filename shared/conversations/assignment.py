"""Automatic assignment: with a tenant's ``assignment.auto`` on, a queued conversation goes to
the online agent with the fewest open conversations, below their limit
(``assignment.max_per_agent``). It runs when a conversation is queued, when an agent comes
online, and when an agent's load drops (close, release, transfer). An agent who sets themselves
away hands their conversations back to the queue, to go to the agents still online.

Race-free across replicas: one assigner per tenant at a time (a lease in the bus), and each
assignment is the same conditional claim agents make (``queued -> agent`` in one statement),
so a conversation is never given twice and an agent never over their limit by a concurrent
assigner. A replica that finds the lease held waits for it, then looks at the queue again."""

from __future__ import annotations

import asyncio
import logging
import uuid

from piccolo.query.functions.aggregate import Count

from ..auth.staff_tokens import StaffClaims
from ..bus import Bus
from ..db.tables import Conversation
from ..errors import KefuError
from .handoff import Handoff, agents_key
from .rules import TenantRules

__all__ = ["Assigner"]

log = logging.getLogger("kefu.assignment")

_LEASE_S = 10.0
_WAIT_S = 5.0


class Assigner:
    def __init__(self, store, handoffs: Handoff, bus: Bus, rules: TenantRules, users) -> None:
        self._store = store
        self._handoffs = handoffs
        self._bus = bus
        self._rules = rules
        self._users = users

    async def run(self, tenant_id: str) -> int:
        """Assign what can be assigned now; how many conversations were."""
        rules = (await self._rules.settings(tenant_id)).assignment
        if not rules.auto:
            return 0
        key, owner = f"assign:{tenant_id}", uuid.uuid4().hex
        waited = 0.0
        while not await self._bus.lease(key, owner, _LEASE_S):
            if waited >= _WAIT_S:
                log.warning(
                    "assignment for tenant %s: lease still held after %ss", tenant_id, waited
                )
                return 0
            await asyncio.sleep(0.1)
            waited += 0.1
        try:
            return await self._assign(tenant_id, rules.max_per_agent)
        finally:
            await self._bus.release(key, owner)

    async def agent_left(self, tenant_id: str, agent_id: str) -> int:
        """With automatic assignment on, an agent who goes away hands their conversations back
        to the queue (each visitor is told), and they go to the agents still online. How many
        went back."""
        if not (await self._rules.settings(tenant_id)).assignment.auto:
            return 0
        held = await self._store.listing(tenant_id, status="agent", agent=agent_id, limit=500)
        back = 0
        for row in held:
            back += await self._handoffs.requeue(str(row["id"]), agent_id) is not None
        if back:
            await self.run(tenant_id)
        return back

    async def _assign(self, tenant_id: str, limit: int) -> int:
        assigned = 0
        unable: set[str] = set()  # online, but no longer an active user of the tenant
        while True:
            online = set(await self._bus.presence_members(agents_key(tenant_id))) - unable
            queue = await self._store.listing(tenant_id, status="queued", limit=20)
            if not online or not queue:
                return assigned
            load = await self._open(tenant_id)
            free = [a for a in sorted(online) if load.get(a, 0) < limit]
            if not free:
                return assigned
            agent = min(free, key=lambda a: (load.get(a, 0), a))  # fewest open first
            user = await self._users.get(agent)
            if user is None or not user.active:
                unable.add(agent)  # deactivated while still connected: the others take it
                continue
            claims = StaffClaims(agent, tenant_id, user.role, user.email)
            try:
                await self._handoffs.claim(str(queue[0]["id"]), claims, user.display_name)
                assigned += 1
            except KefuError:  # claimed by a person meanwhile: look again
                continue

    async def _open(self, tenant_id: str) -> dict[str, int]:
        """Each agent's open conversations, in one query (not one per agent online)."""
        rows = (
            await Conversation.select(Conversation.assigned_agent, Count())
            .where((Conversation.tenant == uuid.UUID(tenant_id)) & (Conversation.status == "agent"))
            .group_by(Conversation.assigned_agent)
        )
        return {str(r["assigned_agent"]): r["count"] for r in rows if r["assigned_agent"]}
