"""What one visitor's hostile message costs everyone else: the event loop's stall.

    scripts/uv run python -m tests.bench.stall [--json out.json]

One ``kefu serve`` process (embedded defaults, the demo shop, rate limits off). A probe asks
``/healthz`` every 5 ms the whole time — any request another tenant's visitor makes waits as
long as it does. A visitor then sends, one conversation each, messages at the 4,000-character
cap made to be costly to read (long runs of spaces or tabs, person words over and over, random
mixes of the words the handoff rules and the question splitter look for), each waited on until
the bot has answered; then ordinary questions the same way (asked once before, on a server
that has answered them: what its first answers load is loaded). Reported: the probe's
latency while each kind was being read (p50 / p99 / max), how long each took to be answered
(a message's reading holds the embedding engine every tenant's questions share), and the worst.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import statistics
import tempfile
import time
from pathlib import Path

import httpx

from tests.bench.harness import machine
from tests.client import Visitor
from tests.servers import kefu_server

CAP = 4000


def hostile() -> dict[str, str]:
    rng = random.Random(7)
    runs = {
        "spaces inside": "x" + " " * (CAP - 2) + "y",
        "tabs inside": "how" + "\t" * (CAP - 6) + "and",
        "newlines inside": "a" + "\n" * (CAP - 2) + "b",
    }
    units = ["don't put me ", "get me a ", "talk to ", "can someone ", "human ", "speak with your ",
             "is there a ", "agent, ", "不要转人工，", "有没有人在", "人工", "可以吗？", "and how much ",
             # Chinese words between English ones are read as English words, longer than they were
             "a转me ", "a有没有b ", "x我 "]  # fmt: skip
    runs |= {f"'{u.strip()}' repeated": (u * CAP)[:CAP] for u in units}
    words = ("human person agent staff manager please real live talk speak to with someone can "
             "could your the a is there get me and how much 人工 客服 真人 经理 转 找 吗 ？").split()  # fmt: skip
    for i in range(3):
        runs[f"random mix {i + 1}"] = " ".join(rng.choice(words) for _ in range(CAP))[:CAP]
    return runs


ORDINARY = [
    "Is delivery free?", "How long does shipping take?", "Can I return a jacket?",
    "What payment methods do you accept?", "运费怎么算？", "可以退货吗？", "Do you ship to Canada?",
    "How do I track my order?",
]  # fmt: skip


async def probe(http: httpx.AsyncClient, stop: asyncio.Event, out: list[tuple[float, float]]):
    while not stop.is_set():
        t0 = time.perf_counter()
        assert (await http.get("/healthz")).status_code == 200
        out.append((t0, time.perf_counter() - t0))
        await asyncio.sleep(0.005)


async def ask(http: httpx.AsyncClient, url: str, text: str) -> None:
    """One conversation: ``text`` sent, then waited on until the bot (or a notice) answers."""
    visitor = await Visitor.start(http, url)
    seq = (await visitor.send(http, text))["seq"]
    for _ in range(600):
        if any(m["role"] != "visitor" for m in await visitor.messages(http, seq)):
            return
        await asyncio.sleep(0.05)
    raise TimeoutError(f"no answer to {text[:40]!r}")


def summary(latencies: list[float]) -> dict:
    ms = sorted(x * 1000 for x in latencies)
    return {
        "probes": len(ms),
        "p50_ms": round(statistics.median(ms), 2),
        "p99_ms": round(ms[min(len(ms) - 1, int(len(ms) * 0.99))], 2),
        "max_ms": round(ms[-1], 2),
    }


async def run(url: str) -> dict:
    async with httpx.AsyncClient(base_url=url, timeout=60) as http:
        for text in ORDINARY:  # warm: the first answers load what reading needs
            await ask(http, url, text)
        stop, probes = asyncio.Event(), []
        prober = asyncio.create_task(probe(http, stop, probes))
        spans: dict[str, tuple[float, float]] = {}
        for name, text in hostile().items():
            t0 = time.perf_counter()
            await ask(http, url, text)
            spans[name] = (t0, time.perf_counter())
        t0 = time.perf_counter()
        for text in ORDINARY:
            await ask(http, url, text)
        spans["ordinary questions"] = (t0, time.perf_counter())
        stop.set()
        await prober

    def during(span: tuple[float, float]) -> list[float]:
        return [lat for at, lat in probes if span[0] <= at <= span[1]] or [0.0]

    kinds = {
        name: {**summary(during(span)), "answered_in_s": round(span[1] - span[0], 2)}
        for name, span in spans.items()
    }
    hostile_probes = [
        lat for name, span in spans.items() if name != "ordinary questions"
        for lat in during(span)
    ]  # fmt: skip
    worst = max((k for k in kinds if k != "ordinary questions"), key=lambda k: kinds[k]["max_ms"])
    return {
        "machine": machine(),
        "hostile_messages": summary(hostile_probes),
        "ordinary_questions": kinds["ordinary questions"],
        "worst_kind": worst,
        "kinds": kinds,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--json")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        env = {"KEFU_DEMO": "true", "KEFU_RATE_LIMITS": "false"}
        with kefu_server(Path(tmp) / "data", env=env, timeout=180) as url:
            out = asyncio.run(run(url))
    print(json.dumps(out, indent=1, ensure_ascii=False))
    if args.json:
        Path(args.json).write_text(json.dumps(out, indent=1, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
