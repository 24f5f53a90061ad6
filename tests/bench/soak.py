"""A bounded mixed soak on loopback: is memory flat?

    scripts/uv run python -m tests.bench.soak --minutes 10 [--json out.json] [--plot out.png]

One `kefu serve` (one worker) on Postgres + Valkey. Every second: new visitors start
conversations and ask the bot (cache off), some stream over SSE for a few seconds and leave,
some ask for a human, an agent claims and closes those. Server RSS is sampled every 10 s;
the result reports its growth over the second half of the run (after warm-up).
"""

from __future__ import annotations

import argparse
import asyncio
import random
import time

import httpx

from shared.demo import DEMO_AGENT
from tests.bench.harness import machine, production_stack, rss_kib, run_and_report, server_pids
from tests.client import Visitor

QUESTIONS = [
    "How much does shipping cost?",
    "Can I return a lamp?",
    "退货政策是什么？",
    "Do you ship to Canada?",
    "What payment methods do you accept?",
]


async def visitor_session(http: httpx.AsyncClient, url: str, agent: dict, stats: dict) -> None:
    try:
        v = await Visitor.start(http, url)
        headers = {"Authorization": f"Bearer {v.token}"}
        if random.random() < 0.5:  # half of them watch a live stream for a while
            async with http.stream("GET", f"{v.api}/events?token={v.token}") as resp:
                await http.post(
                    f"{v.api}/messages", headers=headers, json={"content": random.choice(QUESTIONS)}
                )
                async with asyncio.timeout(random.uniform(1, 4)):
                    async for _ in resp.aiter_bytes():
                        pass
        else:
            await http.post(
                f"{v.api}/messages", headers=headers, json={"content": random.choice(QUESTIONS)}
            )
        if random.random() < 0.2:  # a human, please: an agent takes it and closes it
            await http.post(f"{v.api}/handoff", headers=headers)
            base = f"{url}/api/v1/agent/conversations/{v.conversation_id}"
            await http.post(f"{base}/claim", headers=agent)
            await http.post(
                f"{base}/messages", headers=agent, json={"content": "Hello, I can help."}
            )
            await http.post(f"{base}/close", headers=agent)
        stats["sessions"] += 1
    except TimeoutError:
        stats["sessions"] += 1
    except Exception:  # noqa: BLE001 - counted, the soak goes on
        stats["errors"] += 1


async def main_async(args) -> dict:
    env = {"KEFU_RATE_LIMITS": "false", "KEFU_ANSWER_CACHE_TTL_S": "0"}
    with production_stack(replicas=1, workers=1, extra_env=env) as stack:
        url = stack.urls[0]
        pids = server_pids([url])
        stats = {"sessions": 0, "errors": 0}
        samples: list[tuple[float, float]] = []
        limits = httpx.Limits(max_connections=500)
        async with httpx.AsyncClient(timeout=30, limits=limits) as http:
            login = await http.post(
                f"{url}/api/v1/auth/login", json={"email": DEMO_AGENT[0], "password": DEMO_AGENT[1]}
            )
            agent = {"Authorization": f"Bearer {login.json()['access_token']}"}
            start = time.monotonic()
            end = start + args.minutes * 60
            tasks: set[asyncio.Task] = set()
            next_sample = start
            while time.monotonic() < end:
                for _ in range(args.per_second):
                    task = asyncio.create_task(visitor_session(http, url, agent, stats))
                    tasks.add(task)
                    task.add_done_callback(tasks.discard)
                if time.monotonic() >= next_sample:
                    samples.append(
                        (round(time.monotonic() - start, 1), round(rss_kib(pids) / 1024, 1))
                    )
                    next_sample += 10
                await asyncio.sleep(1)
            await asyncio.gather(*tasks, return_exceptions=True)
    half = [mib for t, mib in samples if t >= args.minutes * 30]
    results = {
        "machine": machine(),
        "minutes": args.minutes,
        "sessions": stats["sessions"],
        "errors": stats["errors"],
        "rss_mib_samples": samples,
        "second_half_rss_mib": {
            "first": half[0],
            "last": half[-1],
            "max": max(half),
            "min": min(half),
        },
        "second_half_growth_mib": round(half[-1] - half[0], 1),
    }
    if args.plot:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        fig, ax = plt.subplots(figsize=(8, 4), dpi=110)
        ax.plot([t / 60 for t, _ in samples], [m for _, m in samples], marker=".")
        ax.set_xlabel("minutes")
        ax.set_ylabel("server RSS (MiB)")
        ax.set_ylim(bottom=0)
        ax.set_title(f"{args.minutes}-minute mixed soak: {stats['sessions']} visitor sessions")
        ax.grid(True, alpha=0.3)
        fig.tight_layout()
        fig.savefig(args.plot)
    return results


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--per-second", type=int, default=5)
    parser.add_argument("--json")
    parser.add_argument("--plot")
    run_and_report(main_async, parser.parse_args())


if __name__ == "__main__":
    main()
