"""Document work off the server: extraction, cleaning and chunking in a child process with a
time and memory budget.

Reading a tenant's upload is CPU work whose cost the tenant controls (a 20 MiB file, a zip that
unpacks to gigabytes, HTML built to trip a parser). Done in the server process it would stall
every tenant's visitors, even from a thread (parsers hold the GIL). So each upload is prepared
in a fresh child process (``python -m shared.kb.worker``: the file in on stdin, the chunks out on
stdout, msgpack both ways) with an address-space limit (``RLIMIT_AS``) and a deadline; over
either, the child is killed and the uploader told. If the request goes away first (the client
left), the child is killed too. asyncio's subprocesses do this in a few lines; multiprocessing's
forkserver does not survive inside Granian's workers (their children are reaped for them), and a
task queue would add a service.
"""

from __future__ import annotations

import asyncio
import resource
import sys

import msgspec

from .chunk import Chunk, chunk_markdown, chunk_section
from .extract import UnreadableDocument, UnsupportedDocument, extract
from .sanitize import sanitize
from .tokenize import passage_terms

__all__ = ["Prepared", "Budget", "OverBudget", "prepare_upload", "prepare_text"]


class Prepared(msgspec.Struct, frozen=True):
    title: str
    text: str
    content_type: str
    chunks: list[Chunk]


class Budget(msgspec.Struct, frozen=True):
    seconds: float = 60.0
    memory_bytes: int = 2 * 1024**3


class OverBudget(UnreadableDocument):
    """The document took more time or memory to read than kefu allows."""


def prepare_text(title: str, text: str, content_type: str) -> Prepared:
    """Clean, chunk and tokenise a document's text (linear in its length)."""
    text = sanitize(text)
    title = sanitize(title)
    if content_type == "text/markdown":
        chunks = chunk_markdown(text, title=title)
    else:
        chunks = chunk_section(text, heading=title)
    chunks = [Chunk(c.heading, c.text, " ".join(passage_terms(c.heading, c.text))) for c in chunks]
    return Prepared(title, text, content_type, chunks)


def _prepare_file(data: bytes, filename: str) -> Prepared:
    doc = extract(data, filename)
    return prepare_text(doc.title, doc.text, doc.content_type)


class _Job(msgspec.Struct, frozen=True):
    filename: str
    data: bytes
    memory_bytes: int


class _Outcome(msgspec.Struct, frozen=True):
    status: str  # ok | memory | UnsupportedDocument | UnreadableDocument
    detail: str = ""
    prepared: Prepared | None = None


def _run_job(job: _Job) -> _Outcome:
    try:
        resource.setrlimit(resource.RLIMIT_AS, (job.memory_bytes, job.memory_bytes))
        return _Outcome("ok", prepared=_prepare_file(job.data, job.filename))
    except MemoryError:
        return _Outcome("memory")
    except UnsupportedDocument as exc:  # and UnreadableDocument, its kind
        return _Outcome(type(exc).__name__, str(exc))
    except Exception as exc:  # a damaged file: the uploader's problem, never the server's
        return _Outcome("UnreadableDocument", f"cannot read {job.filename}: {exc}")


def main() -> None:
    """The child: one job on stdin (msgpack), its outcome on stdout."""
    job = msgspec.msgpack.decode(sys.stdin.buffer.read(), type=_Job)
    sys.stdout.buffer.write(msgspec.msgpack.encode(_run_job(job)))
    sys.stdout.flush()


async def prepare_upload(data: bytes, filename: str, budget: Budget = Budget()) -> Prepared:
    """Extract, clean and chunk an uploaded file in a budgeted child process.

    Raises :class:`~.extract.UnsupportedDocument`, :class:`~.extract.UnreadableDocument` or
    :class:`OverBudget`."""
    child = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "shared.kb.worker",
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.DEVNULL,
    )
    job = msgspec.msgpack.encode(_Job(filename, data, budget.memory_bytes))
    try:
        async with asyncio.timeout(budget.seconds):
            out, _ = await child.communicate(job)
    except TimeoutError:
        raise OverBudget(
            f"reading {filename} took longer than {budget.seconds:g} s; split it into "
            "smaller documents"
        ) from None
    finally:  # over time, or the uploader went away: the child goes too
        if child.returncode is None:
            child.kill()
            await child.wait()
    try:
        outcome = msgspec.msgpack.decode(out, type=_Outcome)
    except msgspec.DecodeError:  # died without a word: killed by the kernel for memory
        outcome = _Outcome("memory")
    if outcome.status == "ok" and outcome.prepared is not None:
        return outcome.prepared
    if outcome.status == "memory":
        raise OverBudget(
            f"reading {filename} needed more than {budget.memory_bytes // 1_048_576} MiB of "
            "memory; split it into smaller documents"
        )
    if outcome.status == "UnsupportedDocument":
        raise UnsupportedDocument(outcome.detail)
    raise UnreadableDocument(outcome.detail)


if __name__ == "__main__":
    main()
