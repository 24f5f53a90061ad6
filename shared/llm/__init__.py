"""Model engines behind one interface, chosen by the ``KEFU_LLM_URL`` setting."""

from __future__ import annotations

from urllib.parse import urlsplit

from ..settings import Settings
from .base import ChatModel, ModelError, ModelRequest, Turn

__all__ = ["ChatModel", "ModelError", "ModelRequest", "Turn", "open_model"]


def open_model(settings: Settings) -> ChatModel:
    """The engine ``KEFU_LLM_URL`` names: empty -> retrieval-only; ``http(s)://…/v1`` ->
    an OpenAI-compatible server (``mlc_llm serve``, llama.cpp, vLLM…); ``mlc://…`` -> MLC in-process.
    """
    url = settings.llm_url
    common = {
        "max_tokens": settings.llm_max_tokens,
        "temperature": settings.llm_temperature,
        "context_tokens": settings.llm_context_tokens,
    }
    if not url:
        from .retrieval import RetrievalOnlyModel

        return RetrievalOnlyModel()
    scheme = urlsplit(url).scheme
    if scheme in {"http", "https"}:
        from .openai_http import OpenAICompatibleModel

        return OpenAICompatibleModel(
            url,
            tool_mode="native" if settings.llm_tools == "auto" else settings.llm_tools,
            model=settings.llm_model,
            api_key=settings.llm_api_key,
            connect_timeout_s=settings.llm_connect_timeout_s,
            first_token_timeout_s=settings.llm_first_token_timeout_s,
            total_timeout_s=settings.llm_total_timeout_s,
            server_streams=settings.llm_server_streams,
            **common,
        )
    if scheme == "mlc":
        from .mlc import MLCEngineModel, parse_mlc_url

        return MLCEngineModel(
            parse_mlc_url(url),
            tool_mode="prompt" if settings.llm_tools == "auto" else settings.llm_tools,
            **common,
        )
    raise ValueError(
        f"unsupported model URL {url!r}: use http(s)://host/v1, mlc://model, or leave it empty"
    )
