"""Model engines behind one interface, chosen by the ``KEFU_LLM_URL`` setting."""

from __future__ import annotations

from urllib.parse import urlsplit

from ..settings import Settings
from .base import ChatModel, ModelError, ModelRequest, Turn

__all__ = [
    "ChatModel", "ModelError", "ModelRequest", "Turn", "open_model", "http_model",
    "settings_fingerprint",
]  # fmt: skip


def open_model(settings: Settings) -> ChatModel:
    """The engine ``KEFU_LLM_URL`` names: empty -> retrieval-only; ``http(s)://…/v1`` ->
    an OpenAI-compatible server (``mlc_llm serve``, llama.cpp, vLLM…); ``mlc://…`` -> MLC in-process.
    """
    url = settings.llm_url
    if not url:
        from .retrieval import RetrievalOnlyModel

        return RetrievalOnlyModel()
    scheme = urlsplit(url).scheme
    if scheme in {"http", "https"}:
        return http_model(
            settings,
            url,
            model=settings.llm_model,
            api_key=settings.llm_api_key,
            tool_mode="native" if settings.llm_tools == "auto" else settings.llm_tools,
        )
    if scheme == "mlc":
        from .mlc import MLCEngineModel, parse_mlc_url

        return MLCEngineModel(
            parse_mlc_url(url),
            tool_mode="prompt" if settings.llm_tools == "auto" else settings.llm_tools,
            **_generation(settings),
        )
    raise ValueError(
        f"unsupported model URL {url!r}: use http(s)://host/v1, mlc://model, or leave it empty"
    )


def http_model(
    settings: Settings,
    url: str,
    *,
    model: str,
    api_key: str,
    tool_mode: str,
    public_only: bool = False,
) -> ChatModel:
    """An OpenAI-compatible server at ``url``, with the deployment's deadlines, server streams
    and generation defaults (the deployment's model, or a tenant's own: ``public_only``, unless
    private addresses are allowed)."""
    from .openai_http import OpenAICompatibleModel

    return OpenAICompatibleModel(
        url,
        tool_mode=tool_mode,
        model=model,
        api_key=api_key,
        connect_timeout_s=settings.llm_connect_timeout_s,
        first_token_timeout_s=settings.llm_first_token_timeout_s,
        total_timeout_s=settings.llm_total_timeout_s,
        server_streams=settings.llm_server_streams,
        public_only=public_only,
        **_generation(settings),
    )


def _generation(settings: Settings) -> dict:
    return {
        "max_tokens": settings.llm_max_tokens,
        "temperature": settings.llm_temperature,
        "context_tokens": settings.llm_context_tokens,
    }


def settings_fingerprint(settings: Settings) -> str:
    """Settings that change an answer; a change makes earlier cached answers unreachable."""
    return "|".join(
        str(v)
        for v in (
            settings.llm_url,
            settings.llm_model,
            settings.llm_max_tokens,
            settings.llm_temperature,
            settings.bot_persona,
        )
    )
