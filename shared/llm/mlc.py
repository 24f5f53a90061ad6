"""MLC-LLM in-process engine: a compiled, quantized model in this process's GPU.

``mlc_llm`` is an optional extra (its wheels live on MLC's own index), imported only when this
engine is asked for. The engine is built off the event loop (construction blocks for seconds
to minutes), in ``server`` mode (``local`` allows only 4 sequences), and bound to this process:
run one worker per GPU. Closing a stream aborts its request; ``terminate()`` on shutdown.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import logging
import uuid
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from ..metrics import MODEL_DECODE_RATE
from .base import ChatModel, ModelError, ModelRequest, record_usage
from .prompt import build_messages
from .tools import ToolCall, parse_prompted_calls

__all__ = ["MLCEngineModel", "MLCSpec", "parse_mlc_url", "INSTALL_HINT", "timing_of", "usage_dict"]

log = logging.getLogger("kefu.llm.mlc")

INSTALL_HINT = (
    "the in-process MLC-LLM engine needs the mlc-llm package, which is not on PyPI: "
    "pip install --pre -f https://mlc.ai/wheels mlc-llm-nightly-cu128 mlc-ai-nightly-cu128 "
    "(or -cpu); or serve the model with `mlc_llm serve` and set KEFU_LLM_URL=http://host:port/v1"
)

# EngineConfig fields we pass through from the URL's query string, with their types.
_ENGINE_FIELDS: dict[str, type] = {
    "max_num_sequence": int,
    "max_total_sequence_length": int,
    "max_single_sequence_length": int,
    "prefill_chunk_size": int,
    "gpu_memory_utilization": float,
    "prefix_cache_mode": str,
    "speculative_mode": str,
    "tensor_parallel_shards": int,
}


class MLCSpec:
    """What ``mlc://<model>?device=…&model_lib=…&<EngineConfig field>=…`` asks for."""

    def __init__(
        self, model: str, device: str, model_lib: str | None, engine_config: dict[str, Any]
    ):
        self.model, self.device, self.model_lib, self.engine_config = (
            model,
            device,
            model_lib,
            engine_config,
        )


def parse_mlc_url(url: str) -> MLCSpec:
    """``mlc:///models/Qwen2.5-7B-Instruct-q4f16_1-MLC?device=cuda&model_lib=/models/lib.so``.

    ``mlc://HF://mlc-ai/<Model>-MLC`` names a Hugging Face model (downloaded at start).
    """
    rest = url[len("mlc://") :]
    if rest.startswith("HF://") or rest.startswith("hf://"):
        model, _, query = rest.partition("?")
    else:
        parts = urlsplit(url)
        model, query = (parts.netloc + parts.path), parts.query
    params = dict(parse_qsl(query))
    if not model:
        raise ValueError(
            "mlc:// URL names no model: mlc:///path/to/model-dir or mlc://HF://org/model"
        )
    config: dict[str, Any] = {}
    for key, value in params.items():
        if key in ("device", "model_lib"):
            continue
        if key not in _ENGINE_FIELDS:
            raise ValueError(
                f"unknown MLC engine option {key!r}; known: {', '.join(sorted(_ENGINE_FIELDS))}"
            )
        config[key] = _ENGINE_FIELDS[key](value)
    return MLCSpec(model, params.get("device", "auto"), params.get("model_lib"), config)


def _import_mlc() -> Any:
    try:
        return importlib.import_module("mlc_llm")
    except ImportError as exc:
        raise RuntimeError(INSTALL_HINT) from exc


class MLCEngineModel(ChatModel):
    name = "mlc"

    def __init__(
        self,
        spec: MLCSpec,
        *,
        max_tokens: int = 512,
        temperature: float = 0.2,
        context_tokens: int = 3000,
        tool_mode: str = "prompt",
        module: Any = None,
    ) -> None:
        self.spec = spec
        self.max_tokens = max_tokens
        self.temperature = temperature
        self.context_tokens = context_tokens
        self.tool_mode = tool_mode
        self.supports_tools = tool_mode != "off"
        self._module = module  # tests pass a stand-in; production imports mlc_llm lazily
        self._engine: Any = None

    def engine_kwargs(self, mlc: Any) -> dict[str, Any]:
        """Constructor arguments: server mode, EngineConfig from the URL."""
        kwargs: dict[str, Any] = {"device": self.spec.device, "mode": "server"}
        if self.spec.model_lib:
            kwargs["model_lib"] = self.spec.model_lib
        kwargs["engine_config"] = mlc.serve.config.EngineConfig(**self.spec.engine_config)
        return kwargs

    async def start(self) -> None:
        mlc = self._module or _import_mlc()
        self._module = mlc
        kwargs = self.engine_kwargs(mlc)
        log.info("starting MLC engine for %s (%s)", self.spec.model, kwargs)
        self._engine = await asyncio.to_thread(mlc.AsyncMLCEngine, self.spec.model, **kwargs)

    async def stop(self) -> None:
        if self._engine is not None:
            self._engine.terminate()
            self._engine = None

    async def stream(self, request: ModelRequest) -> AsyncIterator[str | ToolCall]:
        # MLC's own tool calling is partial (see docs/models.md): tools go in the prompt.
        prompted = bool(request.tools) and self.tool_mode != "off"
        text = self._stream_text(request, prompted)
        pieces = parse_prompted_calls(text) if prompted else text
        async with contextlib.aclosing(pieces) as stream:  # type: ignore[type-var]
            async for piece in stream:
                yield piece

    async def _stream_text(self, request: ModelRequest, prompted: bool) -> AsyncIterator[str]:
        if self._engine is None:
            raise ModelError("model_unavailable", "the MLC engine is not running")
        request_id = f"kefu-{uuid.uuid4().hex}"  # never reuse a live id (MLC raises)
        messages = build_messages(
            request, budget_tokens=self.context_tokens, tools_in_prompt=prompted
        )
        finished = False
        try:
            responses = await self._engine.chat.completions.create(
                messages=messages,
                stream=True,
                max_tokens=request.max_tokens or self.max_tokens,
                temperature=(
                    self.temperature if request.temperature is None else request.temperature
                ),
                stream_options={"include_usage": True},
                request_id=request_id,
            )
            async for chunk in responses:
                usage = getattr(chunk, "usage", None)
                if usage is not None:
                    self._record(usage)
                for choice in chunk.choices or ():
                    text = getattr(choice.delta, "content", None)
                    if text:
                        yield text
            finished = True
        except (asyncio.CancelledError, GeneratorExit):
            raise
        except Exception as exc:
            raise ModelError("model_error", f"{type(exc).__name__}: {exc}") from exc
        finally:
            if not finished and self._engine is not None:
                # The visitor left or a human took over: free the sequence's KV cache now.
                await self._engine.abort(request_id)

    def _record(self, usage: Any) -> None:
        data = usage_dict(usage)
        record_usage(self.name, data)
        timing = timing_of(data)
        if "decode_tokens_per_s" in timing:
            MODEL_DECODE_RATE.labels(self.name).observe(timing["decode_tokens_per_s"])


def usage_dict(usage: Any) -> dict[str, Any]:
    """MLC's usage object (pydantic) or a plain mapping, as a dict."""
    if hasattr(usage, "model_dump"):
        return usage.model_dump()
    return dict(usage)


def timing_of(usage: dict[str, Any]) -> dict[str, float]:
    """MLC's engine timings from ``usage.extra``: ttft_s, prefill/decode tokens/s, inter-token latency."""
    extra = usage.get("extra") or {}
    keys = ("ttft_s", "prefill_tokens_per_s", "decode_tokens_per_s", "inter_token_latency_s")
    return {k: float(extra[k]) for k in keys if extra.get(k) is not None}
