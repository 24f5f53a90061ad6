"""OpenAI-compatible HTTP engine: ``mlc_llm serve``, llama.cpp's server, vLLM, or any such API.

Streams with SSE and never lets the model's failures reach the visitor as a stall:
- connect, first-token and total deadlines; a stream cut by a deadline raises ``ModelError``;
- retries (with backoff) only before the first token, only for errors worth retrying;
- closing the stream (the visitor left, or a human took over) closes the HTTP response, and the
  server aborts the generation;
- MLC's deviations: errors as a JSON string holding JSON, FastAPI 422 bodies, ``/v1/models`` as
  the health probe, and no ``user`` field (MLC uses it as the request id).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from typing import Any

import httpx
import msgspec

from ..urls import outbound_transport
from .base import ChatModel, ModelError, ModelRequest, record_usage
from .prompt import build_messages
from .tools import ToolCall, parse_prompted_calls

__all__ = ["OpenAICompatibleModel", "error_message"]

log = logging.getLogger("kefu.llm.http")
_json = msgspec.json.Decoder()


def error_message(body: bytes | str) -> str:
    """The human message inside an error body, however the server wrapped it."""
    value: Any = body
    for _ in range(3):  # MLC double-encodes: a JSON string holding a JSON object
        if isinstance(value, bytes | str):
            try:
                value = _json.decode(value)
                continue
            except msgspec.DecodeError:
                break
        break
    if isinstance(value, dict):
        inner = value.get("error", value)
        if isinstance(inner, dict) and "message" in inner:
            return str(inner["message"])
        if "message" in value:
            return str(value["message"])
        if "detail" in value:  # FastAPI validation errors
            detail = value["detail"]
            if isinstance(detail, list):
                return "; ".join(
                    str(d.get("msg", d)) if isinstance(d, dict) else str(d) for d in detail
                )
            return str(detail)
    text = value.decode(errors="replace") if isinstance(value, bytes) else str(value)
    return text[:500]


class _Chunk(msgspec.Struct):
    choices: list[dict[str, Any]] = []
    usage: dict[str, Any] | None = None
    error: Any = None


_chunk = msgspec.json.Decoder(_Chunk)


class OpenAICompatibleModel(ChatModel):
    name = "openai-http"

    def __init__(
        self,
        base_url: str,
        *,
        model: str = "",
        api_key: str = "",
        connect_timeout_s: float = 3.0,
        first_token_timeout_s: float = 15.0,
        total_timeout_s: float = 60.0,
        max_tokens: int = 512,
        temperature: float = 0.2,
        context_tokens: int = 3000,
        retries: int = 2,
        tool_mode: str = "native",
        server_streams: int = 1,
        public_only: bool = False,
    ) -> None:
        """``public_only``: connect only to public internet addresses (an owner's server)."""
        self.base_url = base_url.rstrip("/") + "/"
        self.model = model
        self._api_key = api_key
        self.connect_timeout_s = connect_timeout_s
        self.first_token_timeout_s = first_token_timeout_s
        self.total_timeout_s = total_timeout_s
        self.max_tokens = max_tokens
        self.temperature = temperature
        self.context_tokens = context_tokens
        self.retries = retries
        self.tool_mode = tool_mode
        self.supports_tools = tool_mode != "off"
        self._client: httpx.AsyncClient | None = None
        self._embeddings_offered: bool | None = None  # unknown until first asked
        # Requests in flight to the server at once, generations and embeddings alike. One by
        # default: llama.cpp's server cuts a running generation short when another request
        # arrives, others run them one by one anyway; batching servers (mlc_llm serve, vLLM)
        # say more with KEFU_LLM_SERVER_STREAMS.
        self._server_streams = asyncio.Semaphore(max(1, server_streams))
        self._public_only = public_only

    async def start(self) -> None:
        headers = {"Authorization": f"Bearer {self._api_key}"} if self._api_key else {}
        limits = httpx.Limits(max_connections=256, max_keepalive_connections=64)
        self._client = httpx.AsyncClient(
            base_url=self.base_url,
            headers=headers,
            timeout=httpx.Timeout(self.total_timeout_s, connect=self.connect_timeout_s),
            limits=limits,
            transport=outbound_transport(allow_private=not self._public_only, limits=limits),
        )

    async def stop(self) -> None:
        if self._client is not None:
            await self._client.aclose()

    @property
    def client(self) -> httpx.AsyncClient:
        if self._client is None:
            raise RuntimeError("model engine not started")
        return self._client

    async def models(self) -> list[str]:
        resp = await self.client.get("models", timeout=self.connect_timeout_s + 2)
        resp.raise_for_status()
        return [m["id"] for m in resp.json().get("data", [])]

    async def ping(self) -> bool:
        try:
            await self.models()
            return True
        except (httpx.HTTPError, ValueError, KeyError):
            return False

    async def embed(self, texts: list[str]) -> list[list[float]] | None:
        """Vectors from ``/v1/embeddings``; None (and not asked again) when the server has none."""
        if self._embeddings_offered is False or not texts:
            return None
        try:
            async with self._server_streams:
                resp = await self.client.post(
                    "embeddings",
                    json={"model": await self._model_name(), "input": texts},
                    timeout=httpx.Timeout(self.total_timeout_s, connect=self.connect_timeout_s),
                )
        except (httpx.HTTPError, ModelError) as exc:
            log.warning("embeddings request failed: %s", exc)
            return None
        if resp.status_code in (400, 404, 405, 501):
            log.info(
                "the model server offers no embeddings (%s): lexical retrieval only",
                resp.status_code,
            )
            self._embeddings_offered = False
            return None
        if resp.status_code != 200:
            log.warning("embeddings failed: %s", error_message(resp.content))
            return None
        self._embeddings_offered = True
        data = sorted(resp.json()["data"], key=lambda item: item["index"])
        return [_flat(item["embedding"]) for item in data]

    async def _model_name(self) -> str:
        if not self.model:
            try:
                names = await self.models()
            except httpx.HTTPError as exc:
                raise ModelError(
                    "model_unavailable", f"cannot list models: {exc}", retryable=True
                ) from exc
            if not names:
                raise ModelError("model_unavailable", "the server lists no model")
            self.model = names[0]
        return self.model

    async def stream(self, request: ModelRequest) -> AsyncIterator[str | ToolCall]:
        tools = request.tools if self.tool_mode != "off" else []
        prompted = bool(tools) and self.tool_mode == "prompt"
        messages = build_messages(
            request, budget_tokens=self.context_tokens, tools_in_prompt=prompted
        )
        stream: AsyncIterator[str | ToolCall] = self.complete(
            messages,
            max_tokens=request.max_tokens,
            temperature=request.temperature,
            tools=tools if tools and not prompted else None,
        )
        if prompted:
            stream = parse_prompted_calls(stream)  # type: ignore[arg-type]
        # Waiting for the server's turn counts against the first-token deadline: a server busy
        # with (or stuck on) another request answers this visitor "failed" in time, not never.
        try:
            async with asyncio.timeout(self.first_token_timeout_s):
                await self._server_streams.acquire()
        except TimeoutError:
            await stream.aclose()  # never started
            raise ModelError(
                "model_timeout", "the model server is still busy with another request"
            ) from None
        try:
            async with contextlib.aclosing(stream) as pieces:
                async for piece in pieces:
                    yield piece
        finally:
            self._server_streams.release()

    async def complete(
        self,
        messages: list[dict[str, str]],
        *,
        max_tokens: int | None = None,
        temperature: float | None = None,
        tools: list[dict] | None = None,
    ) -> AsyncIterator[str | ToolCall]:
        """Stream a chat completion for ready-made messages (text pieces, or tool calls)."""
        knobs: dict[str, Any] = {
            "max_tokens": max_tokens or self.max_tokens,
            "temperature": self.temperature if temperature is None else temperature,
        }
        if tools:
            knobs["tools"] = tools
            knobs["tool_choice"] = "auto"
        loop = asyncio.get_running_loop()
        started = loop.time()
        deadline = started + self.total_timeout_s
        first_deadline = min(deadline, started + self.first_token_timeout_s)
        attempt = 0
        while True:
            attempt += 1
            produced = False
            try:
                # Closing this stream must close the HTTP response at once: that is what
                # tells the server to stop generating.
                async with contextlib.aclosing(
                    self._attempt(messages, knobs, first_deadline, deadline)
                ) as pieces:
                    async for piece in pieces:
                        produced = True
                        yield piece
                return
            except ModelError as exc:
                retry = exc.retryable and not produced and attempt <= self.retries
                if not retry or loop.time() + 0.2 * attempt >= first_deadline:
                    raise
                log.info("model attempt %d failed (%s); retrying", attempt, exc.code)
                await asyncio.sleep(0.2 * attempt)

    async def _attempt(
        self,
        messages: list[dict[str, str]],
        knobs: dict[str, Any],
        first_deadline: float,
        deadline: float,
    ) -> AsyncIterator[str | ToolCall]:
        loop = asyncio.get_running_loop()
        body = {
            "model": await self._model_name(),
            "messages": messages,
            "stream": True,
            **knobs,
            "stream_options": {"include_usage": True},
        }
        request = self.client.build_request("POST", "chat/completions", json=body)
        # asyncio.timeout, never asyncio.wait_for, around every await here: on Python 3.11,
        # wait_for swallows a cancellation that lands as the awaited step completes, and the
        # generation would then run on with nobody listening, holding the model server.
        try:
            async with asyncio.timeout_at(max(loop.time() + 0.01, first_deadline)):
                response = await self.client.send(request, stream=True)
        except TimeoutError:
            raise ModelError(
                "model_timeout", "no response before the first-token deadline"
            ) from None
        except httpx.TransportError as exc:
            raise ModelError(
                "model_unavailable", f"{type(exc).__name__}: {exc}", retryable=True
            ) from exc
        try:
            if response.status_code != 200:
                detail = error_message(await response.aread())
                retryable = response.status_code >= 500 or response.status_code == 429
                raise ModelError(f"model_http_{response.status_code}", detail, retryable=retryable)
            lines = response.aiter_lines()
            produced = False
            calls: dict[int, dict[str, str]] = {}  # streamed tool-call fragments, by index
            while True:
                limit = (deadline if produced else first_deadline) - loop.time()
                try:
                    async with asyncio.timeout(max(0.01, limit)):
                        line = await anext(lines)
                except StopAsyncIteration:
                    for call in _finished_calls(calls):
                        yield call
                    return
                except TimeoutError:
                    which = "total" if produced else "first-token"
                    raise ModelError("model_timeout", f"the {which} deadline passed") from None
                except httpx.TransportError as exc:
                    raise ModelError(
                        "model_stream_broken", str(exc), retryable=not produced
                    ) from exc
                if not line.startswith("data:"):
                    continue
                data = line[5:].strip()
                if data == "[DONE]":
                    for call in _finished_calls(calls):
                        yield call
                    return
                try:
                    chunk = _chunk.decode(data)
                except msgspec.DecodeError:
                    continue
                if chunk.error is not None:
                    raise ModelError("model_error", error_message(msgspec.json.encode(chunk.error)))
                if chunk.usage:
                    record_usage(self.name, chunk.usage)
                for choice in chunk.choices:
                    delta = choice.get("delta") or {}
                    for fragment in delta.get("tool_calls") or ():
                        produced = True
                        slot = calls.setdefault(
                            int(fragment.get("index", 0)), {"name": "", "args": ""}
                        )
                        function = fragment.get("function") or {}
                        slot["name"] += function.get("name") or ""
                        slot["args"] += function.get("arguments") or ""
                    if delta.get("content"):
                        produced = True
                        yield delta["content"]
        finally:
            await response.aclose()  # the server sees the connection close and aborts


def _finished_calls(calls: dict[int, dict[str, str]]) -> list[ToolCall]:
    """The streamed tool calls, assembled; one whose arguments are not a JSON object is dropped."""
    out = []
    for _, call in sorted(calls.items()):
        try:
            arguments = msgspec.json.decode(call["args"] or "{}")
        except msgspec.DecodeError:
            continue
        if call["name"] and isinstance(arguments, dict):
            out.append(ToolCall(call["name"], arguments))
    calls.clear()
    return out


def _flat(vector: list) -> list[float]:
    """Some servers return one vector per token ([[...], ...]): average them."""
    if vector and isinstance(vector[0], list):
        width = len(vector[0])
        return [sum(row[i] for row in vector) / len(vector) for i in range(width)]
    return [float(x) for x in vector]
