"""The load harness: N visitor sockets, M agent sockets, a message rate, bot on or off.

    scripts/uv run python -m tests.bench.load --visitors 200 --agents 10 --rate 100 \\
        --seconds 30 [--no-bot] [--workers 1] [--json out.json] [--plot out.png]

One `kefu serve` on Postgres + Valkey. Each visitor holds a WebSocket and sends messages at the
aggregate ``rate`` (open loop, round robin). Bot on: every message gets a bot answer (the answer
cache is off, so each is a real bot turn) and the time to the final answer is measured. Bot off:
conversations are handed to the agents first; each agent socket watches its share of them and
the time from a visitor's send to the agent's receipt is measured. Always measured: the time to
the visitor's own stored copy (store + publish + forward). Reports p50/p95/p99, throughput,
server memory per connection, CPU; ``--plot`` draws the latency distributions.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time

import httpx
import psutil
import websockets

from shared.demo import DEMO_AGENT
from tests.bench.harness import (
    cpu_seconds,
    cpu_share,
    machine,
    named_pids,
    percentile,
    production_stack,
    receive_events,
    rss_kib,
    run_and_report,
    server_pids,
)
from tests.client import Visitor


def summary(values: list[float]) -> dict:
    return {
        "count": len(values),
        "p50_ms": round(percentile(values, 50) * 1000, 2),
        "p95_ms": round(percentile(values, 95) * 1000, 2),
        "p99_ms": round(percentile(values, 99) * 1000, 2),
    }


async def main_async(args) -> dict:
    env = {"KEFU_RATE_LIMITS": "false", "KEFU_ANSWER_CACHE_TTL_S": "0"}
    with production_stack(replicas=1, workers=args.workers, extra_env=env) as stack:
        url = stack.urls[0]
        pids = server_pids([url])
        rss_start = rss_kib(pids)
        async with httpx.AsyncClient(timeout=30) as http:
            visitors = [await Visitor.start(http, url) for _ in range(args.visitors)]
            token = (
                await http.post(
                    f"{url}/api/v1/auth/login",
                    json={"email": DEMO_AGENT[0], "password": DEMO_AGENT[1]},
                )
            ).json()["access_token"]
            if not args.bot:
                for v in visitors:
                    await v.handoff(http)
        sockets = [
            await websockets.connect(v.ws_url(base_url=url), max_queue=None) for v in visitors
        ]
        ws_base = url.replace("http", "ws")
        agents = [
            await websockets.connect(f"{ws_base}/api/v1/agent/ws?token={token}", max_queue=None)
            for _ in range(args.agents)
        ]
        if not args.bot and agents:
            for i, v in enumerate(visitors):
                await agents[i % len(agents)].send(
                    json.dumps({"type": "watch", "conversation_id": v.conversation_id})
                )
        await asyncio.sleep(1)
        connections = len(sockets) + len(agents)
        rss_connected = rss_kib(pids)

        sent_at: dict[str, float] = {}
        own: list[float] = []
        answers: list[float] = []
        to_agents: list[float] = []
        last_question: dict[str, float] = {}
        stop = asyncio.Event()

        async def read(ws, on_message) -> None:
            """Hand each message event (agent sockets wrap theirs) to ``on_message``."""

            def on_event(now: float, event: dict) -> None:
                message = (event.get("event") or event).get("message")
                if message:
                    on_message(now, message)

            await receive_events(ws, stop, on_event)

        def at_visitor(cid: str):
            def seen(now: float, message: dict) -> None:
                if message["role"] == "visitor" and message.get("client_msg_id") in sent_at:
                    own.append(now - sent_at[message["client_msg_id"]])
                elif message["role"] == "bot" and cid in last_question:
                    answers.append(now - last_question.pop(cid))

            return seen

        def at_agent(now: float, message: dict) -> None:
            if message.get("role") == "visitor" and message.get("client_msg_id") in sent_at:
                to_agents.append(now - sent_at[message["client_msg_id"]])

        readers = [
            asyncio.create_task(read(ws, at_visitor(v.conversation_id)))
            for ws, v in zip(sockets, visitors, strict=True)
        ] + [asyncio.create_task(read(ws, at_agent)) for ws in agents]
        all_pids = {"kefu": pids, **named_pids()}
        cpu_before = {k: cpu_seconds(v) for k, v in all_pids.items()}
        psutil.cpu_percent()
        total = int(args.rate * args.seconds)
        start = time.perf_counter()
        for i in range(total):
            delay = start + i / args.rate - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            n = i % len(visitors)
            cid_msg = f"load-{i}"
            sent_at[cid_msg] = time.perf_counter()
            last_question[visitors[n].conversation_id] = sent_at[cid_msg]
            await sockets[n].send(
                json.dumps(
                    {
                        "type": "message",
                        "content": "How much does shipping cost?",
                        "client_msg_id": cid_msg,
                    }
                )
            )
        await asyncio.sleep(5)  # let the last answers arrive
        elapsed = time.perf_counter() - start
        cpu_after = {k: cpu_seconds(v) for k, v in all_pids.items()}
        machine_cpu = psutil.cpu_percent()
        stop.set()
        await asyncio.gather(*readers)
        for ws in sockets + agents:
            await ws.close()
    results = {
        "machine": machine(),
        "visitors": args.visitors,
        "agents": args.agents,
        "rate": args.rate,
        "seconds": args.seconds,
        "bot": args.bot,
        "workers": args.workers,
        "sent": total,
        "throughput_msg_s": round(len(own) / elapsed, 1),
        "visitor_sees_own_message": summary(own),
        "server_kib_per_connection": round((rss_connected - rss_start) / max(1, connections), 1),
        "cpu_pct_of_one_core": cpu_share(cpu_before, cpu_after, elapsed),
        "machine_cpu_pct": machine_cpu,
    }
    if args.bot:
        results["bot_answer"] = summary(answers)
    else:
        results["agent_receives_message"] = summary(to_agents)
    if args.plot:
        plot(args.plot, {"own message": own, "bot answer": answers, "to agent": to_agents}, results)
    return results


def plot(path: str, series: dict[str, list[float]], results: dict) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(8, 4.5), dpi=110)
    for name, values in series.items():
        if values:
            ordered = sorted(v * 1000 for v in values)
            ax.plot(
                ordered,
                [i / len(ordered) for i in range(len(ordered))],
                label=f"{name} (n={len(ordered)})",
            )
    ax.set_xscale("log")
    ax.set_xlabel("latency (ms, log scale)")
    ax.set_ylabel("share of messages")
    mode = "bot on" if results["bot"] else "bot off, agents"
    ax.set_title(
        f"{results['visitors']} visitors, {results['agents']} agents, {results['rate']} msg/s, {mode}"
    )
    ax.grid(True, which="both", alpha=0.3)
    ax.legend()
    fig.tight_layout()
    fig.savefig(path)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--visitors", type=int, default=200)
    parser.add_argument("--agents", type=int, default=10)
    parser.add_argument("--rate", type=float, default=100)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--no-bot", dest="bot", action="store_false")
    parser.add_argument("--json")
    parser.add_argument("--plot")
    run_and_report(main_async, parser.parse_args())


if __name__ == "__main__":
    main()
