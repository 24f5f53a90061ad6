"""Retrieval-only engine: answers with the best knowledge-base passage, no model needed.

The embedded default. It never invents: it repeats what the tenant wrote and points at the
source; the bot turn decides beforehand whether the passages are good enough to answer with.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator

from .base import ChatModel, ModelRequest

__all__ = ["RetrievalOnlyModel"]

_SEE_ALSO = {"en": "You may also find this helpful: {}", "zh": "相关内容：{}"}
_PIECE = re.compile(r"[^\n。！？.!?]*[\n。！？.!?]*")


class RetrievalOnlyModel(ChatModel):
    name = "retrieval"

    async def stream(self, request: ModelRequest) -> AsyncIterator[str]:
        if not request.passages:
            return
        best = request.passages[0]
        text = best.text.strip()
        others = [
            p.heading.split(" > ")[-1]
            for p in request.passages[1:2]
            if p.heading != best.heading and p.score >= 0.75 * best.score
        ]
        if others:
            text += "\n\n" + _SEE_ALSO.get(request.language, _SEE_ALSO["en"]).format(others[0])
        # Stream sentence by sentence, as a model would, so every engine looks the same to clients.
        for piece in _PIECE.findall(text):
            if piece:
                yield piece
