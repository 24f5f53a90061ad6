"""Message delivery across two processes sharing Postgres + Valkey.

A visitor's message is sent over a WebSocket to replica A, stored, published, and received by a
listener socket on replica B; latency is send -> receive. Reports p50/p99 at fixed rates and the
highest rate sustained (every message delivered, p99 under 100 ms, at least 97 % of the offered
rate sent). Messages slower than 50 ms are listed by when they were sent, to tell a stall (many
at one moment) from a spread-out tail. (Memory per idle connection: ``tests.bench.connections``.)

    uv run python -m tests.bench.delivery [--conversations 50] [--seconds 10] [--json out.json]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import time

import httpx
import psutil
import websockets

from tests.bench.harness import (
    cpu_seconds,
    cpu_share,
    machine,
    named_pids,
    percentile,
    production_stack,
    receive_events,
    run_and_report,
    server_pids,
)
from tests.client import Visitor


async def _setup(a: str, b: str, n: int):
    async with httpx.AsyncClient(timeout=30) as http:
        visitors = [await Visitor.start(http, a) for _ in range(n)]
        for v in visitors:
            await v.handoff(http)  # seq 1 is the handoff notice; the bot stays quiet
    senders = [await websockets.connect(v.ws_url(after_seq=1, base_url=a)) for v in visitors]
    listeners = [await websockets.connect(v.ws_url(after_seq=1, base_url=b)) for v in visitors]
    return visitors, senders, listeners


async def _drain(
    ws, sink: dict[str, float], received: list[tuple[float, float]], stop: asyncio.Event
) -> None:
    """Receive until stopped; for each message of ours, (sent at, latency) into ``received``."""

    def on_event(now: float, event: dict) -> None:
        if event["type"] == "message":
            sent = sink.pop(event["message"]["client_msg_id"], None)
            if sent is not None:
                received.append((sent, now - sent))

    await receive_events(ws, stop, on_event)


async def run_rate(
    senders, listeners, rate: float, seconds: float, pids: dict[str, list[int]]
) -> dict:
    """Open-loop: send ``rate`` msg/s round-robin for ``seconds``; measure delivery to listeners."""
    pending: dict[str, float] = {}
    delivered: list[tuple[float, float]] = []
    stop = asyncio.Event()
    # Senders also receive their own echo; drain them so their buffers never fill.
    echo_sink: dict[str, float] = {}
    drains = [asyncio.create_task(_drain(ws, pending, delivered, stop)) for ws in listeners]
    echoes = [asyncio.create_task(_drain(ws, echo_sink, [], stop)) for ws in senders]
    total = int(rate * seconds)
    pids = {**pids, **named_pids()}  # Postgres backends appear as pools grow
    cpu_before = {k: cpu_seconds(v) for k, v in pids.items()}
    psutil.cpu_percent()
    start = time.perf_counter()
    started_at = time.time()  # wall clock, to line the step up with server logs
    run_id = f"{rate:.0f}-{start:.3f}"
    for i in range(total):
        target = start + i / rate
        delay = target - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        cid = f"{run_id}-{i}"
        pending[cid] = time.perf_counter()
        await senders[i % len(senders)].send(
            f'{{"type":"message","content":"benchmark message {i}","client_msg_id":"{cid}"}}'
        )
    send_elapsed = time.perf_counter() - start
    deadline = time.perf_counter() + 10
    while pending and time.perf_counter() < deadline:  # noqa: ASYNC110 - polling a dict
        await asyncio.sleep(0.05)
    elapsed = time.perf_counter() - start
    cpu_after = {k: cpu_seconds(v) for k, v in pids.items()}
    machine_cpu = psutil.cpu_percent()
    stop.set()
    await asyncio.gather(*drains, *echoes)
    latencies = [latency for _, latency in delivered]
    slow = sorted((sent - start, latency) for sent, latency in delivered if latency > 0.05)
    return {
        "target_rate": rate,
        "started_at": round(started_at, 2),
        "sent": total,
        "delivered": len(latencies),
        "lost_or_late": len(pending),
        "send_rate": round(total / send_elapsed, 1),
        "delivered_rate": round(len(latencies) / elapsed, 1),
        "p50_ms": round(percentile(latencies, 50) * 1000, 2),
        "p99_ms": round(percentile(latencies, 99) * 1000, 2),
        "max_ms": round(max(latencies, default=float("nan")) * 1000, 2),
        "slow_over_50ms": len(slow),
        # when the slow ones were sent (s into the step), a tenth of a second apart at most
        "slow_sent_at_s": sorted({round(at, 1) for at, _ in slow})[:50],
        # CPU used during the step, in % of one core, per process group.
        "cpu_pct": cpu_share(cpu_before, cpu_after, elapsed),
        "machine_cpu_pct": machine_cpu,  # all cores: 100 = the whole machine busy
    }


async def main_async(args) -> dict:
    results: dict = {"machine": machine(), "conversations": args.conversations, "rates": []}
    with production_stack(replicas=2) as stack:
        a, b = stack.urls
        pids = {"replica_a": server_pids([a]), "replica_b": server_pids([b]), **named_pids()}
        pids["bench_client"] = [os.getpid()]
        _, senders, listeners = await _setup(a, b, args.conversations)
        await run_rate(senders, listeners, 200, 2, pids)  # warm-up
        for rate in args.rates:
            step = await run_rate(senders, listeners, rate, args.seconds, pids)
            print(json.dumps(step), flush=True)
            results["rates"].append(step)
        for ws in senders + listeners:
            await ws.close()
        sustained = [
            s
            for s in results["rates"]
            if s["lost_or_late"] == 0
            and s["p99_ms"] < 100
            and s["send_rate"] >= 0.97 * s["target_rate"]
        ]
        results["max_sustained_rate"] = max((s["delivered_rate"] for s in sustained), default=0)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--conversations", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--rates", type=float, nargs="+", default=[500, 1000, 1500, 2000])
    parser.add_argument("--json")
    args = parser.parse_args()
    run_and_report(main_async, args)


if __name__ == "__main__":
    main()
