"""The bot turn's plugin step: does the question call for a plugin, and what did it say?

Triggers (patterns, keywords) pick the plugin; the call is bounded by ``budget_s``; the result
becomes a passage the answer stands on (with its source as the citation), a handoff, or a polite
failure. Every call is recorded in the conversation's audit trail (``plugin_call``).
"""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from datetime import UTC, datetime
from typing import Any

import msgspec

from ..db.tables import PluginCall
from ..kb.retriever import Passage
from ..kb.tokenize import base_language, traditional
from ..metrics import PLUGIN_CALLS
from ..redact import redact
from ..texts import Texts
from .base import PluginError
from .intents import match_intent
from .runner import Plugins

__all__ = ["PluginStep", "PluginOutcome", "PLUGIN_FAILED", "PLUGIN_NOT_FOUND"]

log = logging.getLogger("kefu.plugins")

PLUGIN_FAILED = Texts(
    en="Sorry, I couldn't look that up right now. Please try again in a moment, "
    "or ask for a human agent.",
    zh="抱歉，暂时无法为您查询。请稍后再试，或转接人工客服。",
)
PLUGIN_NOT_FOUND = Texts(
    en="I couldn't find anything for that. Please check the number, or ask for a human agent.",
    zh="没有查到相关信息，请核对号码，或转接人工客服。",
)


#: Built-in plugins whose text is kefu's own words (not the owner's template): a visitor who
#: writes traditional Chinese reads them in it, as every other text of the bot.
_KEFUS_OWN_WORDS = frozenset({"business_hours"})


class PluginOutcome(msgspec.Struct, frozen=True, kw_only=True):
    plugin: str
    passage: Passage | None = None
    handoff_reason: str | None = None
    failure: str | None = None  # a polite sentence for the visitor
    #: The call never ran: its arguments broke the plugin's schema (a model's malformed call).
    malformed: bool = False


class PluginStep:
    def __init__(self, plugins: Plugins, *, budget_s: float = 8.0) -> None:
        self.plugins = plugins
        self.budget_s = budget_s

    async def tools(self, tenant_id: str) -> list[dict[str, Any]]:
        """The tenant's plugins as OpenAI tool definitions (for models that choose tools)."""
        try:
            available = await self.plugins.available(tenant_id)
        except Exception:  # no plugins today: answer from the knowledge base alone
            return []
        return [
            {
                "type": "function",
                "function": {
                    "name": p.name,
                    "description": p.description,
                    "parameters": p.parameters,
                },
            }
            for p in available
        ]

    async def run(
        self,
        tenant_id: str,
        conversation_id: str,
        question: str,
        language: str,
        *,
        redact_pii: bool = False,
    ) -> PluginOutcome | None:
        try:
            available = await self.plugins.available(tenant_id)
        except Exception as exc:  # no plugins today: the bot answers from the knowledge base
            log.warning("plugins unavailable for tenant %s: %s", tenant_id, exc)
            return None
        found = match_intent(available, question)
        if found is None:
            return None
        name, args = found
        return await self.call(
            tenant_id, conversation_id, name, args, language, redact_pii=redact_pii
        )

    async def call(
        self,
        tenant_id: str,
        conversation_id: str,
        name: str,
        args: dict[str, Any],
        language: str,
        *,
        redact_pii: bool = False,
    ) -> PluginOutcome:
        started = time.perf_counter()
        outcome = "ok"
        try:
            async with asyncio.timeout(self.budget_s):
                result = await self.plugins.invoke(
                    tenant_id,
                    name,
                    args,
                    conversation_id=conversation_id,
                    language=base_language(language),  # plugins are told en or zh
                )
        except TimeoutError:
            outcome = "timeout"
            PLUGIN_CALLS.labels(name, outcome).inc()
        except PluginError as exc:
            outcome = exc.code
            log.info("plugin %s failed for %s: %s", name, conversation_id, exc.code)
        await self._record(
            tenant_id, conversation_id, name, args, outcome, started, redact_pii=redact_pii
        )
        if outcome == "not_applicable":
            return PluginOutcome(plugin=name)  # nothing to add: the bot answers as usual
        if outcome == "not_found":
            return PluginOutcome(plugin=name, failure=PLUGIN_NOT_FOUND[language])
        if outcome != "ok":
            return PluginOutcome(
                plugin=name,
                failure=PLUGIN_FAILED[language],
                malformed=outcome == "invalid_arguments",
            )
        if (result.data or {}).get("action") == "handoff":
            return PluginOutcome(plugin=name, handoff_reason="plugin")
        source = result.source or name
        text = result.text
        if name in _KEFUS_OWN_WORDS and language == "zh-Hant":
            text = traditional(text)  # told zh like every plugin, written for this visitor
        passage = Passage(
            chunk_id=f"plugin:{name}",
            document_id=f"plugin:{name}",
            title=source,
            source=f"plugin:{name}",
            heading=source,
            text=text,
            score=1.0,
            coverage=1.0,
        )
        return PluginOutcome(plugin=name, passage=passage)

    async def _record(
        self,
        tenant_id: str,
        conversation_id: str,
        name: str,
        args: dict[str, Any],
        outcome: str,
        started: float,
        *,
        redact_pii: bool,
    ) -> None:
        shown = {k: redact(str(v)) if redact_pii else v for k, v in args.items()}
        try:
            await PluginCall.insert(
                PluginCall(
                    id=uuid.uuid4(),
                    tenant=uuid.UUID(tenant_id),
                    conversation=uuid.UUID(conversation_id) if conversation_id else None,
                    plugin=name,
                    arguments=shown,
                    outcome=outcome,
                    latency_ms=int((time.perf_counter() - started) * 1000),
                    created_at=datetime.now(UTC),
                )
            )
        except Exception as exc:  # the audit row must not cost the visitor their answer
            log.error("could not record plugin call %s: %s", name, exc)
