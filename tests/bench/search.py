"""Agents' message search over 1,000,000 messages on Postgres, as the console asks it.

A throwaway database migrated by a real `kefu serve`; 100,000 conversations of the demo tenant
with 10 messages each (plus another tenant's 20,000 × 10), the text drawn from 3,000 generated
customer-service sentences in English and Chinese whose search terms are computed once, as the
indexer computes them. Then every query of QUERIES is asked ``--runs`` times over HTTP with an
agent's token: rare and common words, two words, Chinese.

    uv run python -m tests.bench.search [--conversations 100000] [--runs 20] [--json out]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import tempfile
import time
import uuid
from pathlib import Path

import httpx

from shared.conversations.search import terms_of
from shared.demo import DEMO_AGENT
from tests.bench.analytics import _tenant_id
from tests.bench.harness import machine, percentile
from tests.pg import PG_SERVER, pg_admin
from tests.servers import kefu_server

DB = "kefu_bench_search"
_ITEMS = "lamp chair sofa table rug mug kettle pillow blanket vase shelf mirror desk bed".split()
_PROBLEMS = [
    "arrived broken", "never arrived", "is the wrong colour", "is missing a screw",
    "was charged twice", "needs an invoice", "came late", "smells odd", "is too small",
    "has a scratch", "was returned but not refunded", "tracking stopped updating",
]  # fmt: skip
_ASKS = ["Hi, my", "Hello, the", "Help: my", "Sorry to bother you, my", "Why is it that my"]
_ZH_ITEMS = "台灯 椅子 沙发 桌子 地毯 杯子 水壶 枕头 毯子 花瓶 书架 镜子 书桌 床".split()
_ZH_PROBLEMS = ["到货时坏了", "一直没到", "颜色不对", "少了一个螺丝", "被扣了两次款", "需要开发票",
                "退货了还没退款", "物流一直不更新", "尺寸太小", "有划痕"]  # fmt: skip
QUERIES = {
    "one word, common": ["lamp", "broken", "refund"],
    "one word, rare": ["screw", "scratch", "smells"],
    "two words": ["lamp broken", "invoice desk", "tracking mirror"],
    "Chinese": ["退款", "台灯 划痕", "发票"],
    "nothing matches": ["submarine"],
}


def pool(size: int, seed: int = 3) -> list[str]:
    rng = random.Random(seed)
    out = []
    for i in range(size):
        if i % 3 == 0:
            out.append(
                f"我的{rng.choice(_ZH_ITEMS)}{rng.choice(_ZH_PROBLEMS)}，订单号{rng.randint(10000, 99999)}"
            )
        else:
            out.append(f"{rng.choice(_ASKS)} {rng.choice(_ITEMS)} {rng.choice(_PROBLEMS)} "
                       f"(order {rng.randint(10000, 99999)})")  # fmt: skip
    return out


async def write_history(url: str, tenant: str, conversations: int) -> dict[str, int]:
    import asyncpg

    texts = pool(3000)
    terms = [" ".join(terms_of(t)) for t in texts]
    conn = await asyncpg.connect(url)
    try:
        other = str(uuid.uuid4())
        await conn.execute(
            "INSERT INTO tenant (id, name, slug, widget_key, kb_version, settings, active, "
            "identity_secret, created_at) VALUES ($1, 'Other', 'other-search', 'other-search', 0, "
            "'{}', true, '', now())",
            uuid.UUID(other),
        )
        for who, n, salt in ((tenant, conversations, "a"), (other, conversations // 5, "b")):
            await conn.execute(
                "INSERT INTO visitor (id, tenant, profile, external_id, created_at) "
                "SELECT md5($2 || 'v' || i)::uuid, $1::uuid, '{}', '', now() "
                "FROM generate_series(1, $3) i",
                who, salt, n,
            )  # fmt: skip
            await conn.execute(
                "INSERT INTO conversation (id, tenant, visitor, status, last_seq, queued_at, "
                "handoff_reason, created_at, updated_at) "
                "SELECT md5($2 || 'c' || i)::uuid, $1::uuid, md5($2 || 'v' || i)::uuid, "
                "CASE WHEN i % 3 = 0 THEN 'closed' ELSE 'bot' END, 10, NULL, '', "
                "now() - interval '1 minute' * i, now() - interval '1 minute' * i "
                "FROM generate_series(1, $3) i",
                who, salt, n,
            )  # fmt: skip
            await conn.execute(
                "INSERT INTO message (id, conversation, seq, role, content, client_msg_id, "
                "citations, created_at, search_terms) "
                "SELECT md5($1 || 'm' || i || '-' || s)::uuid, md5($1 || 'c' || i)::uuid, s, "
                "CASE WHEN s % 2 = 1 THEN 'visitor' ELSE 'bot' END, "
                "($3::text[])[1 + (i * 31 + s * 17) % 3000], NULL, '[]', "
                "now() - interval '1 minute' * i + interval '1 second' * s, "
                "($4::text[])[1 + (i * 31 + s * 17) % 3000] "
                "FROM generate_series(1, $2) i CROSS JOIN generate_series(1, 10) s",
                salt, n, texts, terms,
            )  # fmt: skip
        await conn.execute("ANALYZE")
        return {
            t: await conn.fetchval(f"SELECT count(*) FROM {t}")  # noqa: S608
            for t in ("conversation", "message")
        }
    finally:
        await conn.close()


def measure(base: str, runs: int) -> dict[str, dict]:
    with httpx.Client(base_url=base, timeout=30) as http:
        login = http.post(
            "/api/v1/auth/login", json={"email": DEMO_AGENT[0], "password": DEMO_AGENT[1]}
        )
        headers = {"Authorization": f"Bearer {login.json()['access_token']}"}
        out = {}
        for kind, queries in QUERIES.items():
            times, found = [], []
            for q in queries:
                hits = http.get("/api/v1/agent/conversations", params={"q": q}, headers=headers)
                assert hits.status_code == 200, hits.text
                found.append(len(hits.json()))
                for _ in range(runs):
                    start = time.perf_counter()
                    resp = http.get("/api/v1/agent/conversations", params={"q": q}, headers=headers)
                    times.append((time.perf_counter() - start) * 1000)
                    assert resp.status_code == 200
            out[kind] = {
                "queries": queries,
                "conversations found (each)": found,
                "p50_ms": round(percentile(times, 50), 1),
                "p95_ms": round(percentile(times, 95), 1),
                "max_ms": round(max(times), 1),
            }
        return out


async def plan(url: str, tenant: str) -> str:
    import asyncpg

    conn = await asyncpg.connect(url)
    try:
        rows = await conn.fetch(
            "EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) SELECT m.conversation, m.content, "
            "m.created_at FROM message m JOIN conversation c ON c.id = m.conversation "
            "WHERE c.tenant = $1 AND string_to_array(m.search_terms, ' ') @> $2::text[] "
            "ORDER BY m.created_at DESC LIMIT 200",
            uuid.UUID(tenant), terms_of("lamp broken"),
        )  # fmt: skip
        return "\n".join(r[0] for r in rows)
    finally:
        await conn.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--conversations", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    pg_admin(f'DROP DATABASE IF EXISTS "{DB}" WITH (FORCE)')
    pg_admin(f'CREATE DATABASE "{DB}"')
    url = f"{PG_SERVER}/{DB}"
    env = {"KEFU_DATABASE_URL": url, "KEFU_DEMO": "true", "KEFU_RATE_LIMITS": "false",
           "KEFU_SECRET_KEY": "bench-secret-for-search-0123456789abcdef"}  # fmt: skip
    try:
        with (
            tempfile.TemporaryDirectory() as tmp,
            kefu_server(Path(tmp) / "data", env=env, timeout=180) as base,
        ):
            tenant = asyncio.run(_tenant_id(url))
            started = time.perf_counter()
            rows = asyncio.run(write_history(url, tenant, args.conversations))
            generated = round(time.perf_counter() - started, 1)
            results = measure(base, args.runs)
            query_plan = asyncio.run(plan(url, tenant))
    finally:
        pg_admin(f'DROP DATABASE IF EXISTS "{DB}" WITH (FORCE)')
    report = {"machine": machine(), "rows": rows, "generated_s": generated, "runs": args.runs,
              "queries": results, "plan (lamp broken)": query_plan}  # fmt: skip
    print(json.dumps(report, indent=1, ensure_ascii=False))
    if args.json:
        args.json.write_text(json.dumps(report, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
