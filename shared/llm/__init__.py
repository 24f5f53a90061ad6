"""Model engines behind one interface, chosen by the ``KEFU_LLM_URL`` setting."""

from __future__ import annotations

from urllib.parse import urlsplit

from .base import ChatModel, ModelRequest, Turn

__all__ = ["ChatModel", "ModelRequest", "Turn", "open_model"]


def open_model(url: str) -> ChatModel:
    """Empty URL -> retrieval-only answers from the knowledge base."""
    if not url:
        from .retrieval import RetrievalOnlyModel

        return RetrievalOnlyModel()
    scheme = urlsplit(url).scheme
    raise ValueError(
        f"model URL scheme {scheme!r} is not supported by this build; leave KEFU_LLM_URL empty "
        "for retrieval-only answers"
    )
