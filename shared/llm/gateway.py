"""Around the model: answer cache, single-flight coalescing, and a bounded queue.

- **Cache**: a grounded answer is kept (Valkey or memory) under a key made of the tenant, the
  normalised question, the tenant's kb_version and the engine's settings; a KB change moves
  kb_version, so stale answers are never served.
- **Coalescing**: identical cacheable questions in flight share ONE generation; every asker
  streams the same pieces.
- **Backpressure**: at most ``max_concurrency`` generations run; up to ``max_queue`` wait (for at
  most ``queue_timeout_s``); beyond that the asker gets ``model_busy`` at once, not a pile-up.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import re
import time
import unicodedata
from collections.abc import AsyncIterator

from litestar.stores.base import Store

from ..metrics import (
    ANSWER_CACHE,
    COALESCED,
    MODEL_DURATION,
    MODEL_IN_FLIGHT,
    MODEL_QUEUE_DEPTH,
    MODEL_REQUESTS,
    MODEL_TTFT,
)
from .base import ChatModel, ModelError, ModelRequest
from .guard import guard_answer
from .prompt import declines

__all__ = ["ModelGateway", "normalise_question"]

_PUNCT = re.compile(r"[\s\W_]+", re.UNICODE)


def normalise_question(text: str) -> str:
    """Case, width, spacing, punctuation, word order, stop words and word forms don't make a
    different question: its retrieval terms (stemmed, thesaurus concepts) do. On the labelled
    paraphrase pairs (tests/data/kb_eval/paraphrases.json) this shares 4 of 30 same-meaning
    pairs and none of 30 same-topic, different-ask pairs."""
    from ..kb.tokenize import tokens

    terms = sorted(set(tokens(text)))
    if terms:
        return " ".join(terms)
    return _PUNCT.sub(" ", unicodedata.normalize("NFKC", text).casefold()).strip()


class _Flight:
    """One generation, many listeners: pieces are kept so late joiners replay them."""

    def __init__(self) -> None:
        self.pieces: list[str] = []
        self.done = False
        self.error: BaseException | None = None
        self.listeners = 0
        self.task: asyncio.Task[None] | None = None
        self._changed = asyncio.Event()

    def push(self, piece: str) -> None:
        self.pieces.append(piece)
        self._changed.set()

    def finish(self, error: BaseException | None = None) -> None:
        self.done, self.error = True, error
        self._changed.set()

    async def follow(self) -> AsyncIterator[str]:
        seen = 0
        while True:
            while seen < len(self.pieces):
                seen += 1
                yield self.pieces[seen - 1]
            if self.done:
                if self.error is not None:
                    raise self.error
                return
            self._changed.clear()
            if seen == len(self.pieces) and not self.done:
                await self._changed.wait()


class ModelGateway:
    def __init__(
        self,
        model: ChatModel,
        cache: Store | None,
        *,
        max_concurrency: int = 8,
        max_queue: int = 64,
        queue_timeout_s: float = 10.0,
        cache_ttl_s: int = 3600,
        settings_fingerprint: str = "",
    ) -> None:
        self.model = model
        self._cache = cache
        self._slots = asyncio.Semaphore(max_concurrency)
        self._max_queue = max_queue
        self._queue_timeout_s = queue_timeout_s
        self._cache_ttl_s = cache_ttl_s
        self._fingerprint = settings_fingerprint
        self._max_concurrency = max_concurrency
        self._admitted = 0
        self._flights: dict[str, _Flight] = {}
        self.generations = 0  # how many times the model itself was asked (tests, metrics)

    @property
    def idle(self) -> bool:
        """Nothing running or waiting here."""
        return self._admitted == 0 and not self._flights

    def cache_key(self, request: ModelRequest, kb_version: int) -> str:
        raw = "\x1f".join(
            (
                request.tenant_id,
                str(kb_version),
                self.model.name,
                self._fingerprint,
                request.persona,
                ",".join(sorted(t["function"]["name"] for t in request.tools)),
                str(request.temperature),
                str(request.max_tokens),
                request.language,
                normalise_question(request.question),
            )
        )
        return hashlib.sha256(raw.encode()).hexdigest()

    async def cached(self, key: str) -> str | None:
        if self._cache is None:
            return None
        value = await self._cache.get(key)
        ANSWER_CACHE.labels("hit" if value is not None else "miss").inc()
        return value.decode() if value is not None else None

    async def stream(self, request: ModelRequest, key: str | None = None) -> AsyncIterator[str]:
        """Pieces of the answer; ``key`` (cacheable request) enables coalescing and caching."""
        if key is None:
            async with contextlib.aclosing(self._generate(request)) as pieces:
                async for piece in pieces:
                    yield piece
            return
        flight = self._flights.get(key)
        if flight is None:
            flight = self._flights[key] = _Flight()
            flight.task = asyncio.create_task(self._lead(flight, request, key))
        else:
            COALESCED.inc()
        flight.listeners += 1
        try:
            async with contextlib.aclosing(flight.follow()) as pieces:
                async for piece in pieces:
                    yield piece
        finally:
            flight.listeners -= 1
            if flight.listeners == 0 and not flight.done and flight.task is not None:
                flight.task.cancel()  # nobody is listening any more: stop the model

    async def _lead(self, flight: _Flight, request: ModelRequest, key: str) -> None:
        try:
            async with contextlib.aclosing(self._generate(request)) as pieces:
                async for piece in pieces:
                    flight.push(piece)
            # Only a grounded final answer is kept: a passage quoted as it stands, or a model's
            # answer that marks the passages it used. An answer that asked for a tool depends
            # on live data; one that cites nothing may be the model's own invention.
            asked_tool = any(not isinstance(p, str) for p in flight.pieces)
            text = "" if asked_tool else "".join(flight.pieces).strip()
            grounded = bool(self.model.sources(text, request.passages)) and not declines(text)
            if text and grounded and self._cache is not None:
                await self._cache.set(key, text.encode(), expires_in=self._cache_ttl_s)
            flight.finish()
        except BaseException as exc:  # noqa: BLE001 - every listener must hear about it
            flight.finish(exc)
            if isinstance(exc, asyncio.CancelledError):
                raise
        finally:
            if self._flights.get(key) is flight:
                del self._flights[key]

    async def _generate(self, request: ModelRequest) -> AsyncIterator[str]:
        engine = self.model.name
        async with self._slot():
            self.generations += 1
            MODEL_IN_FLIGHT.inc()
            started = time.perf_counter()
            first = True
            outcome = "error"
            try:
                tools = [t["function"]["name"] for t in request.tools]
                # Tool calls printed as JSON and echoed prompt text never reach anyone.
                guarded = guard_answer(self.model.stream(request), tools)
                async with contextlib.aclosing(guarded) as pieces:
                    async for piece in pieces:
                        if first:
                            MODEL_TTFT.labels(engine).observe(time.perf_counter() - started)
                            first = False
                        yield piece
                outcome = "ok"
            except ModelError as exc:
                outcome = exc.code
                raise
            except (asyncio.CancelledError, GeneratorExit):
                outcome = "cancelled"
                raise
            finally:
                MODEL_IN_FLIGHT.dec()
                MODEL_DURATION.labels(engine).observe(time.perf_counter() - started)
                MODEL_REQUESTS.labels(engine, outcome).inc()

    def _slot(self) -> _Slot:
        return _Slot(self)


class _Slot:
    """Wait for a model slot within the queue's bounds, or refuse with ``model_busy``."""

    def __init__(self, gateway: ModelGateway) -> None:
        self._gateway = gateway

    async def __aenter__(self) -> None:
        gw = self._gateway
        # Admitted = running + waiting; counted before the first await so a burst can't slip by.
        if gw._admitted >= gw._max_concurrency + gw._max_queue:
            MODEL_REQUESTS.labels(gw.model.name, "model_busy").inc()
            raise ModelError("model_busy", "too many questions are waiting for the model")
        gw._admitted += 1
        MODEL_QUEUE_DEPTH.inc()
        try:
            async with asyncio.timeout(gw._queue_timeout_s):  # (wait_for may eat a cancel)
                await gw._slots.acquire()
        except TimeoutError:
            gw._admitted -= 1
            MODEL_REQUESTS.labels(gw.model.name, "model_busy").inc()
            raise ModelError("model_busy", "no model slot freed up in time") from None
        except BaseException:
            gw._admitted -= 1
            raise
        finally:
            MODEL_QUEUE_DEPTH.dec()

    async def __aexit__(self, *exc: object) -> None:
        self._gateway._slots.release()
        self._gateway._admitted -= 1
