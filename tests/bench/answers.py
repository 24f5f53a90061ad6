"""Answer quality on knowledge bases the bot was never built around.

Imports each labelled knowledge base under tests/data/kb_eval/ into its own tenant (embedded
SQLite, the real import path), asks every labelled question as a visitor would (with the
conversation before it), and scores hit@1, hit@3, decline precision/recall and citation
precision, per knowledge base, per kind of question and per split (dev items may be read while
working on retrieval; test items are only scored).

    uv run python -m tests.bench.answers [--failures] [--split test] [--set traditional|cantonese|payment_methods|hotel|vet_zh|grocery_en|gym] [--json out.json]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import tempfile
import uuid
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path

import msgspec

from shared.db.engine import close_engine, engine_from_url, open_engine
from shared.db.migrate import migrate
from shared.db.tables import Tenant
from shared.kb.checks import answering_bot
from shared.kb.evaluate import EvalCase, EvalReport, Expected, evaluate, summarize
from shared.kb.store import KbStore
from shared.settings import Settings

DATA = Path(__file__).parents[1] / "data" / "kb_eval"


def labelled(name: str = "questions") -> list[dict]:
    """A labelled set of tests/data/kb_eval/: ``questions`` (the main one), ``traditional`` or
    ``cantonese`` (the same knowledge bases asked in traditional Chinese, in written Cantonese),
    ``payment_methods`` (a probe of ways to pay), ``hotel`` (a fourth knowledge base, held out), ``vet_zh`` (Chinese questions to the English
    clinic: a dev probe), ``grocery_en`` (English questions to the Chinese grocery service: a dev
    probe), ``gym`` (a fifth knowledge base, Chinese with English words: a dev probe)."""
    return json.loads((DATA / f"{name}.json").read_text())["questions"]


def case(item: dict) -> EvalCase:
    expect = item["expect"]
    return EvalCase(
        id=item["id"],
        tag=item["tag"],
        question=item["q"],
        history=item["history"],
        expect=None if expect is None else [Expected(e["document"], e["section"]) for e in expect],
    )


async def new_tenant(slug: str) -> str:
    tenant = Tenant(
        id=uuid.uuid4(), name=slug, slug=slug, widget_key=slug, created_at=datetime.now(UTC)
    )
    await Tenant.insert(tenant)
    return str(tenant.id)


async def score(
    items: list[dict], directory: Path, embedder: str = "local"
) -> dict[str, EvalReport]:
    """One report per knowledge base, plus "all" (the cases of every one together), with the
    embedder ``KEFU_KB_EMBEDDER`` names (local | off)."""
    engine = engine_from_url(f"sqlite:///{directory}/kefu.db")
    await open_engine(engine)
    try:
        await migrate()
        kb = KbStore(engine)
        bot, _ = answering_bot(kb, Settings(), embedder)
        reports: dict[str, EvalReport] = {}
        by_kb: dict[str, list[dict]] = defaultdict(list)
        for item in items:
            by_kb[item["kb"]].append(item)
        every = []
        for name, kb_items in by_kb.items():
            tenant_id = await new_tenant(name)
            await kb.import_path(tenant_id, DATA / name)

            async def answer(question: str, history: list[str], tenant_id=tenant_id):
                return await bot.answer_sources(tenant_id, question, history)

            reports[name] = await evaluate(answer, [case(i) for i in kb_items])
            every.extend(reports[name].results)
        reports["all"] = summarize(every)
        return reports
    finally:
        await close_engine(engine)


def summary(report: EvalReport) -> dict:
    return {k: v for k, v in msgspec.to_builtins(report).items() if k not in ("results",)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--split", choices=("dev", "test"), help="score one split only")
    parser.add_argument("--failures", action="store_true", help="list the dev items answered wrong")
    parser.add_argument("--embedder", choices=("local", "off"), default="local")
    parser.add_argument(
        "--set",
        choices=(
            "questions",
            "traditional",
            "cantonese",
            "payment_methods",
            "hotel",
            "vet_zh",
            "grocery_en",
            "gym",
        ),
        default="questions",
        help="which labelled set",
    )
    parser.add_argument("--json", help="write the numbers here")
    args = parser.parse_args()
    items = [i for i in labelled(args.set) if args.split in (None, i["split"])]
    with tempfile.TemporaryDirectory() as tmp:
        reports = asyncio.run(score(items, Path(tmp), args.embedder))
    out = {name: summary(r) for name, r in reports.items()}
    tags: dict[str, list[bool]] = defaultdict(list)
    for r in reports["all"].results:
        tags[r.tag].append(r.hit_at_1 and r.hit_at_3)
    out["by_kind"] = {t: round(sum(v) / len(v), 3) for t, v in sorted(tags.items())}
    print(json.dumps(out, indent=1, ensure_ascii=False))
    if args.failures:
        dev = {i["id"] for i in items if i["split"] == "dev"}
        failures = reports["all"].failures()
        for r in (r for r in failures if r.id in dev):
            print(
                f"{r.id:12} {r.tag:10} {r.question}\n   expected {r.expected}\n   cited {r.cited}\n   ranked {r.ranked}"
            )
        if hidden := sum(r.id not in dev for r in failures):
            print(f"({hidden} failures of test items not listed: they are only scored)")
    if args.json:
        Path(args.json).write_text(json.dumps(out, indent=1, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
