"""Absent facts made from answerable ones: each dev question asked again with the passages that
answer it hidden from the knowledge base (the rest of it unchanged: its words, names, vectors).
The bot should then decline; whatever it cites is a wrong passage, found near the question's
topic — the class of absent fact that is hardest to tell ("the best passage does not hold what
was asked"). Dev items only (they may be read), one-turn questions with a right passage.

    uv run python -m tests.bench.leave_out [--set questions|gym|vet_zh|grocery_en ...] [--list]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import tempfile
from pathlib import Path

from shared.db.engine import close_engine, engine_from_url, open_engine
from shared.db.migrate import migrate
from shared.kb.checks import answering_bot
from shared.kb.evaluate import matches
from shared.kb.retriever import Passage
from shared.kb.store import KbStore
from shared.settings import Settings

from .answers import DATA, case, labelled, new_tenant

DEV_SETS = ("questions", "gym", "vet_zh", "grocery_en")


class Hiding:
    """A knowledge base store that hides some passages (and says its version moved)."""

    def __init__(self, store: KbStore) -> None:
        self._store = store
        self.hidden: set[str] = set()
        self.generation = 0

    async def version(self, tenant_id: str) -> int:
        return await self._store.version(tenant_id) * 100_000 + self.generation

    async def chunks(self, tenant_id: str):
        return [c for c in await self._store.chunks(tenant_id) if c.id not in self.hidden]

    def __getattr__(self, name):
        return getattr(self._store, name)


async def run(sets: list[str], directory: Path) -> dict:
    engine = engine_from_url(f"sqlite:///{directory}/kefu.db")
    await open_engine(engine)
    out: dict = {}
    try:
        await migrate()
        store = KbStore(engine)
        hiding = Hiding(store)
        bot, retriever = answering_bot(hiding, Settings(), "local")  # type: ignore[arg-type]
        tenants: dict[str, str] = {}
        for name in sets:
            rows = []
            items = [
                i for i in labelled(name)
                if i["split"] == "dev" and i["expect"] and not i["history"]
            ]  # fmt: skip
            for item in items:
                kb = item["kb"]
                if kb not in tenants:
                    tenants[kb] = await new_tenant(f"{kb}-{len(tenants)}")
                    await store.import_path(tenants[kb], DATA / kb)
                tenant = tenants[kb]
                expected = case(item).expect or []
                # the passages that answer it, as the bot would cite them (read from the store
                # itself: nothing hidden)
                whole = await store.chunks(tenant)
                hiding.hidden = {
                    c.id for c in whole
                    if any(matches(Passage(c.id, c.document_id, c.title, c.source, c.heading,
                                           c.text, 0.0, 0.0), e) for e in expected)
                }  # fmt: skip
                hiding.generation += 1
                retriever.forget(tenant)
                cited, _ = await bot.answer_sources(tenant, item["q"], [])
                rows.append(
                    {
                        "id": item["id"],
                        "q": item["q"],
                        "hidden": len(hiding.hidden),
                        "declined": not cited,
                        "cited": [f"{p.source} > {p.heading}" for p in cited],
                        "similarity": cited[0].similarity if cited else None,
                        "coverage": cited[0].coverage if cited else None,
                    }
                )
            declined = sum(r["declined"] for r in rows)
            out[name] = {
                "questions": len(rows),
                "declined": declined,
                "share": round(declined / len(rows), 4) if rows else 1.0,
                "rows": rows,
            }
        return out
    finally:
        await close_engine(engine)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--set", action="append", choices=DEV_SETS)
    parser.add_argument("--list", action="store_true", help="list the questions answered")
    parser.add_argument("--json")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        out = asyncio.run(run(args.set or list(DEV_SETS), Path(tmp)))
    total = sum(v["questions"] for v in out.values())
    declined = sum(v["declined"] for v in out.values())
    for name, v in out.items():
        print(f"{name:12} declined {v['declined']}/{v['questions']} ({v['share']})")
        if args.list:
            for r in v["rows"]:
                if not r["declined"]:
                    print(
                        f"   {r['id']:10} {r['q']}  ->  {r['cited']} sim {r['similarity']} cov {r['coverage']}"
                    )
    print(f"all          declined {declined}/{total} ({round(declined / total, 4)})")
    if args.json:
        Path(args.json).write_text(json.dumps(out, indent=1, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
