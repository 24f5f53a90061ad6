"""The bot turn: retrieve, decide whether the answer is grounded, stream it, store it.

visitor message (stored) -> KB passages -> model stream (deltas to listeners) -> final message
stored once with its citations -> published. With no grounded passage the bot says it does not
know and offers a human instead of inventing an answer.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
import weakref

from .conversations.events import Publisher
from .conversations.store import ConversationRow, ConversationStore, NotAppended
from .kb.retriever import Passage, Retriever
from .kb.tokenize import detect_language
from .llm.base import ChatModel, ModelRequest, Turn
from .schemas import Citation, MessageOut

__all__ = ["Bot", "DONT_KNOW", "MODEL_FAILED"]

log = logging.getLogger("kefu.bot")

DONT_KNOW = {
    "en": "I'm sorry, I couldn't find an answer to that in our help center. "
    "Would you like to talk to a human agent?",
    "zh": "抱歉，我在帮助中心没有找到相关答案。需要为您转接人工客服吗？",
}
MODEL_FAILED = {
    "en": "Sorry, I'm having trouble answering right now. Please try again, or ask for a human agent.",
    "zh": "抱歉，我暂时无法回答。请稍后再试，或转接人工客服。",
}


class Bot:
    def __init__(
        self,
        store: ConversationStore,
        publisher: Publisher,
        retriever: Retriever,
        model: ChatModel,
        *,
        min_coverage: float,
        history_turns: int = 8,
    ) -> None:
        self._store = store
        self._publisher = publisher
        self._retriever = retriever
        self._model = model
        self._min_coverage = min_coverage
        self._history_turns = history_turns
        # One turn at a time per conversation in this process: answers never interleave.
        self._turn_locks: weakref.WeakValueDictionary[str, asyncio.Lock] = (
            weakref.WeakValueDictionary()
        )

    async def grounded_passages(self, tenant_id: str, question: str) -> list[Passage]:
        language = detect_language(question)
        found = await self._retriever.search(tenant_id, question, k=6)
        # Concepts cross languages; answer from passages in the visitor's language first.
        passages = sorted(
            found,
            key=lambda p: p.score * (1.0 if detect_language(p.text) == language else 0.5),
            reverse=True,
        )[:3]
        if not passages or passages[0].coverage < self._min_coverage:
            return []
        # Keep only passages close to the best one: those are what the answer stands on.
        floor = passages[0].score * 0.5
        return [p for p in passages if p.coverage >= self._min_coverage and p.score >= floor]

    async def respond(
        self, conversation: ConversationRow, question: MessageOut
    ) -> MessageOut | None:
        """Answer one visitor message; None when the bot no longer holds the conversation."""
        lock = self._turn_locks.get(conversation.id)
        if lock is None:
            lock = self._turn_locks[conversation.id] = asyncio.Lock()
        async with lock:
            return await self._respond(conversation, question)

    async def _respond(
        self, conversation: ConversationRow, question: MessageOut
    ) -> MessageOut | None:
        cid = conversation.id
        language = detect_language(question.content)
        passages = await self.grounded_passages(conversation.tenant_id, question.content)
        message_id = str(uuid.uuid4())
        await self._publisher.typing(cid, "bot", True)
        if not passages:
            text = DONT_KNOW[language]
        else:
            generated = await self._generate(
                cid,
                message_id,
                ModelRequest(
                    tenant_id=conversation.tenant_id,
                    question=question.content,
                    language=language,
                    passages=passages,
                    history=await self._history(cid, question.seq),
                ),
            )
            if generated is None:
                text, passages = MODEL_FAILED[language], []
            else:
                text = generated
        citations = [
            Citation(
                document_id=p.document_id,
                title=p.heading or p.title,
                source=p.source,
                chunk_id=p.chunk_id,
                snippet=p.text[:200],
                score=round(p.score, 3),
            )
            for p in passages
        ]
        # The bot speaks only while it holds the conversation: a human may have taken over
        # while it was generating. The check is part of the statement that stores the answer.
        try:
            stored = await self._store.append(
                cid, "bot", text, citations=citations, message_id=message_id, only_if_status="bot"
            )
        except NotAppended:
            stored = None
        if stored is None:
            await self._publisher.typing(cid, "bot", False)
            return None
        await self._publisher.message(cid, stored.message)
        return stored.message

    async def _generate(self, cid: str, message_id: str, request: ModelRequest) -> str | None:
        parts: list[str] = []
        try:
            async for delta in self._model.stream(request):
                parts.append(delta)
                await self._publisher.delta(cid, message_id, delta)
        except Exception:
            log.exception("model %s failed for conversation %s", self._model.name, cid)
            return None
        return "".join(parts).strip() or None

    async def _history(self, cid: str, before_seq: int) -> list[Turn]:
        start = max(0, before_seq - 1 - self._history_turns)
        messages = await self._store.after(cid, start, self._history_turns)
        return [Turn(m.role, m.content) for m in messages if m.seq < before_seq]
