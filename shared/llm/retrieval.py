"""Retrieval-only engine: answers with the best knowledge-base passage (one per ask, when a
question asks more than one thing), no model needed.

The embedded default. It never invents: it repeats what the tenant wrote and points at the
source; the bot turn decides beforehand whether the passages are good enough to answer with.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Sequence

from ..kb.retriever import Passage, answering
from .base import ChatModel, ModelRequest

__all__ = ["RetrievalOnlyModel"]

_PIECE = re.compile(r"[^\n。！？.!?]*[\n。！？.!?]*")


class RetrievalOnlyModel(ChatModel):
    """Answers with the best passage, verbatim; nothing else (no "see also": an unrelated
    suggestion under a right answer reads as part of it)."""

    name = "retrieval"

    def sources(self, answer: str, passages: Sequence[Passage]) -> list[int]:
        return answering(passages)  # quoted as they stand

    def shown(self, text: str) -> str:
        return text  # the tenant's own words, "[1]" and all

    async def stream(self, request: ModelRequest) -> AsyncIterator[str]:
        text = "\n\n".join(request.passages[i].text.strip() for i in answering(request.passages))
        # Stream sentence by sentence, as a model would, so every engine looks the same to clients.
        for piece in _PIECE.findall(text):
            if piece:
                yield piece
