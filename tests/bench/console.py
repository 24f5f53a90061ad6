"""An agent's console with 500 open conversations, in a real Chromium, while visitors write.

A real `kefu serve` (embedded SQLite, rate limits off) gets ``--open`` conversations of the
demo tenant: 60 % waiting in the queue, 40 % with the demo agent, each with a visitor's
question. The demo agent signs in to /console; then, for ``--seconds``, visitors write
``--rate`` messages a second across those conversations while the agent opens one conversation
after another. Measured in the page: sign-in to full lists, opening a conversation (click to
its history shown), the main thread's stalls (a 50 ms timer's lateness; long tasks), and how
often the lists were re-read.

    uv run python -m tests.bench.console [--open 500] [--rate 20] [--seconds 20] [--json out]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import tempfile
import time
from pathlib import Path

import httpx

from shared.demo import DEMO_AGENT
from tests.bench.harness import machine, percentile
from tests.browser.conftest import ARGS, CHROMIUM
from tests.servers import kefu_server

PROBES = """
window.__lag = [];
(function tick(prev) {
  setTimeout(function () { var now = performance.now(); window.__lag.push(now - prev - 50); tick(now); }, 50);
})(performance.now());
window.__long = [];
new PerformanceObserver(function (l) { l.getEntries().forEach(function (e) { window.__long.push(e.duration); }); })
  .observe({ entryTypes: ["longtask"] });
"""


async def seed(base: str, count: int) -> tuple[list[tuple[str, dict]], dict]:
    """``count`` open conversations: (id, visitor headers) each; the agent's headers."""
    async with httpx.AsyncClient(base_url=base, timeout=60) as http:
        login = await http.post(
            "/api/v1/auth/login", json={"email": DEMO_AGENT[0], "password": DEMO_AGENT[1]}
        )
        agent = {"Authorization": f"Bearer {login.json()['access_token']}"}
        gate = asyncio.Semaphore(16)

        async def one(i: int) -> tuple[str, dict]:
            async with gate:
                started = (
                    await http.post("/api/v1/visitor/conversations", json={"widget_key": "demo"})
                ).json()
                cid = started["conversation_id"]
                headers = {"Authorization": f"Bearer {started['visitor_token']}"}
                await http.post(f"/api/v1/conversations/{cid}/messages", headers=headers,
                                json={"content": f"Order {10000 + i} never arrived"})  # fmt: skip
                await http.post(f"/api/v1/conversations/{cid}/handoff", headers=headers)
                if i % 5 < 2:  # 40 % are with the agent already
                    await http.post(f"/api/v1/agent/conversations/{cid}/claim", headers=agent)
                return cid, headers

        return list(await asyncio.gather(*(one(i) for i in range(count)))), agent


async def visitors_write(base: str, conversations, rate: float, seconds: float) -> int:
    rng = random.Random(7)
    sent = 0
    async with httpx.AsyncClient(base_url=base, timeout=30) as http:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            tick = time.monotonic()
            batch = [rng.choice(conversations) for _ in range(max(1, int(rate / 4)))]
            await asyncio.gather(*(
                http.post(f"/api/v1/conversations/{cid}/messages", headers=headers,
                          json={"content": f"any news? ({sent + i})"})
                for i, (cid, headers) in enumerate(batch)
            ))  # fmt: skip
            sent += len(batch)
            await asyncio.sleep(max(0.0, 0.25 - (time.monotonic() - tick)))
    return sent


async def measure(base: str, conversations, rate: float, seconds: float) -> dict:
    from playwright.async_api import async_playwright

    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        context = await browser.new_context(viewport={"width": 1280, "height": 800})
        await context.add_init_script(PROBES)
        page = await context.new_page()
        reads = {"lists": 0}

        def count(request) -> None:
            if "/agent/queue" in request.url or "/agent/conversations?status=" in request.url:
                reads["lists"] += 1

        page.on("request", count)
        await page.goto(f"{base}/console")
        await page.fill("#email", DEMO_AGENT[0])
        await page.fill("#password", DEMO_AGENT[1])
        started = time.perf_counter()
        await page.press("#password", "Enter")
        queued = len(conversations) - sum(1 for i in range(len(conversations)) if i % 5 < 2)
        await page.wait_for_function(
            f"() => document.querySelectorAll('#queue li').length >= {queued}"
            " && document.querySelectorAll('#mine li').length > 0"
        )
        sign_in_ms = (time.perf_counter() - started) * 1000
        await page.evaluate("window.__lag = []; window.__long = []")
        reads["lists"] = 0

        opens: list[float] = []
        writing = asyncio.create_task(visitors_write(base, conversations, rate, seconds))
        rng = random.Random(3)
        while not writing.done():
            lists = rng.choice(["#queue", "#mine"])
            buttons = page.locator(f"{lists} li button")
            button = buttons.nth(rng.randrange(await buttons.count()))
            cid = await button.get_attribute("data-id")
            started = time.perf_counter()
            await button.click()
            await page.wait_for_function(
                "id => document.getElementById('chat-title').textContent.indexOf(id.slice(0, 8)) >= 0"
                " && document.querySelectorAll('#messages .msg.visitor').length > 0",
                arg=cid,
            )
            opens.append((time.perf_counter() - started) * 1000)
            if await page.locator("#back").is_visible():  # (phone layout only)
                await page.click("#back")
            await asyncio.sleep(0.3)
        sent = await writing
        lag = await page.evaluate("window.__lag")
        long_tasks = await page.evaluate("window.__long")
        items = await page.evaluate("document.querySelectorAll('#queue li, #mine li').length")
        await browser.close()
    return {
        "open_conversations": len(conversations),
        "listed": items,
        "visitor_messages": sent,
        "seconds": seconds,
        "sign_in_to_lists_ms": round(sign_in_ms),
        "open_conversation_ms": {
            "n": len(opens),
            "p50": round(percentile(opens, 50)),
            "p95": round(percentile(opens, 95)),
            "max": round(max(opens)),
        },  # fmt: skip
        "timer_lateness_ms": {
            "p50": round(percentile(lag, 50), 1),
            "p99": round(percentile(lag, 99), 1),
            "max": round(max(lag), 1),
        },  # fmt: skip
        "long_tasks": {
            "count": len(long_tasks),
            "total_ms": round(sum(long_tasks)),
            "max_ms": round(max(long_tasks, default=0)),
        },  # fmt: skip
        "list_reads_per_s": round(reads["lists"] / seconds, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--open", type=int, default=500)
    parser.add_argument("--rate", type=float, default=20.0)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        env = {"KEFU_RATE_LIMITS": "false", "KEFU_KB_EMBEDDER": "off"}
        with kefu_server(Path(tmp) / "data", env=env, timeout=120) as base:
            conversations, _ = asyncio.run(seed(base, args.open))
            report = asyncio.run(measure(base, conversations, args.rate, args.seconds))
    report = {"machine": machine(), **report}
    print(json.dumps(report, indent=1))
    if args.json:
        args.json.write_text(json.dumps(report, indent=1) + "\n")


if __name__ == "__main__":
    main()
