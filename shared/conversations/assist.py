"""Help for the agent who takes a conversation over: what the visitor asked the bot (and which
of it the bot answered, from where), and a reply drafted from the knowledge base for the
visitor's latest question — by the same steps as the owner's playground (grounding, the model
when one is configured, the sentence support check) — which the agent edits and sends."""

from __future__ import annotations

import asyncio

import msgspec

from ..playground import preview
from ..schemas import MessageOut
from .handoff import wants_human
from .rules import TenantSettings

__all__ = ["Assist", "AskedBot", "assist"]

_LAST_QUESTIONS = 8


class AskedBot(msgspec.Struct, frozen=True):
    question: str
    answered: bool  # the bot answered it from the knowledge base or a plugin
    source: str  # where the answer came from (its heading), empty when it did not answer


class Assist(msgspec.Struct, frozen=True, kw_only=True):
    asked: list[AskedBot]  # what the visitor asked the bot, in order (the latest 8)
    handoff_reason: str
    suggestion: str  # a reply from the knowledge base for the latest question; empty: none
    suggestion_sources: list[str]


def _read(messages: list[MessageOut]) -> tuple[list[AskedBot], list[str]]:
    """(what the visitor asked the bot, and how the bot did; the visitor's questions, in order).
    A request for a person is why the agent is here, not a question."""
    questions = [
        i for i, m in enumerate(messages) if m.role == "visitor" and not wants_human(m.content)
    ]
    asked: list[AskedBot] = []
    for i in questions:
        m = messages[i]
        reply = next((r for r in messages[i + 1 :] if r.role != "visitor"), None)
        if reply is None or reply.role != "bot":
            if reply is None or reply.role == "system":
                asked.append(AskedBot(m.content, False, ""))
            continue
        source = reply.citations[0].title.split(" > ")[-1] if reply.citations else ""
        asked.append(AskedBot(m.content, bool(reply.citations), source))
    return asked[-_LAST_QUESTIONS:], [messages[i].content for i in questions]


async def assist(
    bot, settings: TenantSettings, tenant_id: str, messages: list[MessageOut], handoff_reason: str
) -> Assist:
    # Read in a worker thread: a conversation may hold many messages at the length cap, each
    # costing the handoff rules tens of milliseconds. The latest question, not the request for
    # a person that usually follows it, is the one a reply is drafted for.
    asked, visitor = await asyncio.to_thread(_read, messages)
    suggestion, sources = "", []
    if visitor:
        found = await preview(bot, settings, tenant_id, visitor[-1], visitor[-3:-1])
        if found.outcome == "answer":
            suggestion = found.answer
            sources = [p.heading.split(" > ")[-1] or p.title for p in found.passages if p.cited]
    return Assist(
        asked=asked,
        handoff_reason=handoff_reason,
        suggestion=suggestion,
        suggestion_sources=sources,
    )
