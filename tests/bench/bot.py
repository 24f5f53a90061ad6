"""Bot answers: kefu's own overhead around the model, and cached answers under load.

1. Time to first delta through kefu vs. straight to the model server, with a stand-in server
   that answers at once (so the difference is kefu's pipeline: store, retrieve, prompt, engine,
   publish, forward) and, with --llama URL, with a real llama.cpp server.
2. Cached answers end to end at N concurrent conversations: each virtual visitor starts a
   conversation, asks an FAQ question over a WebSocket, waits for the bot's final message.

    uv run python -m tests.bench.bot [--conversations 200] [--seconds 20] [--llama URL] [--json out]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import subprocess
import sys
import time

import httpx
import websockets
from prometheus_client.parser import text_string_to_metric_families

from shared.kb.retriever import Passage
from shared.llm.base import ModelRequest
from shared.llm.openai_http import OpenAICompatibleModel
from tests.bench.harness import machine, percentile, production_stack, run_and_report
from tests.client import Visitor
from tests.servers import free_port

FAQ = "How much does shipping cost?"
FOLLOW_UPS = ["Is delivery free?", "Do you ship internationally?", "How long does shipping take?"]


def ms(values: list[float]) -> dict[str, float]:
    return {f"p{q}_ms": round(percentile(values, q) * 1000, 2) for q in (50, 95, 99)}


async def direct_ttft(url: str, samples: int, request: ModelRequest | None = None) -> list[float]:
    """Time to the first piece straight from the model server, with kefu's own prompt."""
    model = OpenAICompatibleModel(url, max_tokens=32)
    await model.start()
    if request is None:
        passage = Passage(
            "c",
            "d",
            "Help",
            "faq_en.md",
            "Help > Shipping",
            "Standard shipping is free over $49.",
            5,
            0.9,
        )
        request = ModelRequest(
            tenant_id="t", question=FOLLOW_UPS[0], language="en", passages=[passage]
        )
    out = []
    for _ in range(samples):
        started = time.perf_counter()
        stream = model.stream(request)
        await anext(stream)
        out.append(time.perf_counter() - started)
        await stream.aclose()
    await model.stop()
    return out


async def demo_request(question: str) -> ModelRequest:
    """The request kefu builds for an opening question on the demo tenant (same passages)."""
    import tempfile

    from shared.bot import Bot
    from shared.db.engine import close_engine, engine_from_url, open_engine
    from shared.db.migrate import migrate
    from shared.demo import seed_demo
    from shared.kb.retriever import Retriever
    from shared.kb.store import KbStore
    from shared.settings import Settings

    engine = engine_from_url(f"sqlite:///{tempfile.mkdtemp()}/kefu.db")
    await open_engine(engine)
    await migrate()
    tenant_id = await seed_demo(KbStore(engine))
    retriever = Retriever(KbStore(engine))
    bot = Bot(None, None, retriever, None, None, min_coverage=Settings().kb_min_coverage)  # type: ignore[arg-type]
    passages = await bot.grounded_passages(tenant_id, question)
    await close_engine(engine)
    return ModelRequest(tenant_id=tenant_id, question=question, language="en", passages=passages)


async def opening_question_ttfd(base: str, samples: int) -> list[float]:
    """Time to first delta for the question that opens a new conversation (cache off)."""
    out = []
    async with httpx.AsyncClient(timeout=30) as http:
        for _ in range(samples):
            visitor = await Visitor.start(http, base)
            async with websockets.connect(visitor.ws_url()) as ws:
                started = time.perf_counter()
                await ws.send(json.dumps({"type": "message", "content": FAQ}))
                while True:
                    event = json.loads(await ws.recv())
                    if event["type"] == "delta":
                        out.append(time.perf_counter() - started)
                        break
                while not (event["type"] == "message" and event["message"]["role"] == "bot"):
                    event = json.loads(await ws.recv())
    return out


async def through_kefu(base: str, samples: int) -> tuple[list[float], list[float]]:
    """(time to first delta, time to final message) for follow-up questions (never cached)."""
    async with httpx.AsyncClient(timeout=30) as http:
        visitor = await Visitor.start(http, base)
    first, final = [], []
    async with websockets.connect(visitor.ws_url()) as ws:
        for i in range(samples + 1):
            started = time.perf_counter()
            await ws.send(
                json.dumps({"type": "message", "content": FOLLOW_UPS[i % len(FOLLOW_UPS)]})
            )
            got_delta = None
            while True:
                event = json.loads(await ws.recv())
                if event["type"] == "delta" and got_delta is None:
                    got_delta = time.perf_counter() - started
                if event["type"] == "message" and event["message"]["role"] == "bot":
                    break
            if i:  # the opening question may be cached; follow-ups never are
                first.append(got_delta)
                final.append(time.perf_counter() - started)
    return first, final


async def cached_load(base: str, conversations: int, seconds: float, think_s: float) -> dict:
    """``conversations`` visitors at once; each asks, reads the answer for ``think_s``, leaves,
    and a new visitor takes its place (think 0: back to back, i.e. saturation)."""
    latencies: list[float] = []
    errors = 0
    stop_at = time.perf_counter() + seconds

    async def visitor_loop(http: httpx.AsyncClient, offset: float) -> None:
        nonlocal errors
        await asyncio.sleep(offset)  # visitors arrive spread out, not all in the same instant
        while time.perf_counter() < stop_at:
            try:
                visitor = await Visitor.start(http, base)
                async with websockets.connect(visitor.ws_url()) as ws:
                    started = time.perf_counter()
                    await ws.send(json.dumps({"type": "message", "content": FAQ}))
                    async with asyncio.timeout(10):
                        while True:
                            event = json.loads(await ws.recv())
                            if event["type"] == "message" and event["message"]["role"] == "bot":
                                latencies.append(time.perf_counter() - started)
                                break
                    await asyncio.sleep(think_s)
            except Exception:  # noqa: BLE001 - counted, reported
                errors += 1

    limits = httpx.Limits(max_connections=conversations + 10)
    async with httpx.AsyncClient(timeout=30, limits=limits) as http:
        before = await bot_answers(http, base)
        started = time.perf_counter()
        spread = think_s or 0.0
        await asyncio.gather(
            *[visitor_loop(http, spread * i / conversations) for i in range(conversations)]
        )
        elapsed = time.perf_counter() - started
        after = await bot_answers(http, base)
    kinds = {k: after.get(k, 0) - before.get(k, 0) for k in after}
    return {
        "conversations": conversations,
        "think_s": think_s,
        "answers": len(latencies),
        "errors": errors,
        "answers_per_s": round(len(latencies) / elapsed, 1),
        "answer_kinds": kinds,
        **ms(latencies),
    }


async def bot_answers(http: httpx.AsyncClient, base: str) -> dict[str, float]:
    text = (await http.get(f"{base}/metrics")).text
    out = {}
    for family in text_string_to_metric_families(text):
        if family.name == "kefu_bot_answers":
            for sample in family.samples:
                if sample.name.endswith("_total"):
                    out[sample.labels["kind"]] = sample.value
    return out


async def standin_phase(args, results: dict) -> None:
    port = free_port()
    standin = subprocess.Popen(  # noqa: ASYNC220 - started once, before any load
        [sys.executable, "-m", "tests.bench.standin_model", str(port)]
    )
    standin_url = f"http://127.0.0.1:{port}/v1"
    try:
        await asyncio.sleep(0.5)
        env = {"KEFU_LLM_URL": standin_url}
        with production_stack(replicas=1, extra_env=env) as stack:
            base = stack.urls[0]
            await through_kefu(base, 20)  # warm-up
            direct = await direct_ttft(standin_url, args.samples)
            first, final = await through_kefu(base, args.samples)
            overhead = percentile(first, 50) - percentile(direct, 50)
            results["standin_model"] = {
                "direct_ttft": ms(direct),
                "kefu_time_to_first_delta": ms(first),
                "kefu_time_to_final_message": ms(final),
                "overhead_p50_ms": round(overhead * 1000, 2),
            }
            print(json.dumps(results["standin_model"]), flush=True)
            await cached_load(base, 10, 2, 0)  # warm the cache and the pools
            results["cached_load"] = []
            for think in args.think:
                step = await cached_load(base, args.conversations, args.seconds, think)
                results["cached_load"].append(step)
                print(json.dumps(step), flush=True)
    finally:
        standin.terminate()


async def main_async(args) -> dict:
    results: dict = {"machine": machine()}
    if not args.skip_standin:
        await standin_phase(args, results)
    if args.llama:
        # Same prompt both ways (llama.cpp reuses a cached prompt prefix, so it must match):
        # a new conversation's opening question, with kefu's answer cache off.
        env = {
            "KEFU_LLM_URL": args.llama,
            "KEFU_LLM_MAX_TOKENS": "32",
            "KEFU_ANSWER_CACHE_TTL_S": "0",
        }
        with production_stack(replicas=1, extra_env=env) as stack:
            base = stack.urls[0]
            request = await demo_request(FAQ)
            await opening_question_ttfd(base, 2)
            await direct_ttft(args.llama, 2, request)
            direct, first = [], []
            for _ in range(args.llama_samples):  # interleaved, so drift hits both alike
                direct += await direct_ttft(args.llama, 1, request)
                first += await opening_question_ttfd(base, 1)
            results["llama_cpp"] = {
                "direct_ttft": ms(direct),
                "kefu_time_to_first_delta": ms(first),
                "overhead_p50_ms": round(
                    (percentile(first, 50) - percentile(direct, 50)) * 1000, 2
                ),
            }
            print(json.dumps(results["llama_cpp"]), flush=True)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=300)
    parser.add_argument("--conversations", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument(
        "--think",
        type=float,
        nargs="+",
        default=[10, 5, 0],
        help="seconds each visitor stays after the answer (0 = back to back)",
    )
    parser.add_argument("--llama", help="an OpenAI-compatible llama.cpp server URL (…/v1)")
    parser.add_argument("--llama-samples", type=int, default=20)
    parser.add_argument("--skip-standin", action="store_true", help="only the --llama comparison")
    parser.add_argument("--json")
    args = parser.parse_args()
    run_and_report(main_async, args)


if __name__ == "__main__":
    main()
