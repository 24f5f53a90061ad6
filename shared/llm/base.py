"""The model interface every engine implements (retrieval-only, OpenAI-compatible HTTP, MLC)."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import AsyncIterator, Sequence

import msgspec

from ..kb.retriever import Passage

__all__ = ["ChatModel", "ModelError", "ModelRequest", "Turn", "record_usage"]


class Turn(msgspec.Struct, frozen=True):
    role: str  # visitor | bot | agent | system
    content: str


class ModelRequest(msgspec.Struct, frozen=True, kw_only=True):
    """What the bot knows when it answers: the question, the window, grounded passages."""

    tenant_id: str
    question: str
    language: str  # "en" | "zh" | "zh-Hant": answer in the visitor's language (and script)
    passages: list[Passage]
    history: list[Turn] = []
    persona: str = ""
    # Per-tenant generation knobs; None: the engine's configured default.
    temperature: float | None = None
    max_tokens: int | None = None
    # OpenAI-format tool definitions the model may call (the tenant's plugins); the stream
    # then yields a ToolCall instead of text when the model asks for one.
    tools: list[dict] = []
    # Names the visitor also asked about that no passage mentions (that ask is left out of
    # ``question``): whatever the model says of them is left out of the answer.
    unanswered: tuple[str, ...] = ()


class ModelError(Exception):
    """The model could not answer: ``code`` says why (stable, for logs and metrics)."""

    def __init__(self, code: str, detail: str, *, retryable: bool = False) -> None:
        super().__init__(f"{code}: {detail}")
        self.code = code
        self.detail = detail
        self.retryable = retryable


class ChatModel(ABC):
    """A text generator that streams an answer for a grounded request."""

    name: str = "model"
    supports_tools: bool = False  # can it ask for a plugin (ModelRequest.tools)?

    async def start(self) -> None:  # noqa: B027 - optional lifecycle hook
        """Load weights or open connections; called once per process."""

    async def stop(self) -> None:  # noqa: B027 - optional lifecycle hook
        """Release the engine."""

    @abstractmethod
    def stream(self, request: ModelRequest) -> AsyncIterator[str]:
        """Yield the answer in pieces as they are produced."""

    def sources(self, answer: str, passages: Sequence[Passage]) -> list[int]:
        """Which of the ``passages`` (0-based) the ``answer`` stands on, as far as can be told:
        those it marks (``[2]``, as the prompt asks). Empty: it says nothing of its sources."""
        from .prompt import cited_passages  # the prompt owns the mark's format (and imports us)

        return cited_passages(answer, len(passages))

    def shown(self, text: str) -> str:
        """``text`` (a sentence or more of an answer) as the visitor reads it: without the
        passage marks, which only tell kefu the sources (listed under the answer)."""
        from .prompt import without_marks

        return without_marks(text)

    async def ping(self) -> bool:
        return True

    async def embed(self, texts: list[str]) -> list[list[float]] | None:
        """Embeddings of ``texts``, or None when this engine offers none."""
        return None


def record_usage(engine: str, usage: dict) -> None:
    """Count the prompt and completion tokens an engine reports."""
    from ..metrics import MODEL_TOKENS

    for kind in ("prompt_tokens", "completion_tokens"):
        value = usage.get(kind)
        if isinstance(value, int) and value > 0:
            MODEL_TOKENS.labels(engine, kind.removesuffix("_tokens")).inc(value)
