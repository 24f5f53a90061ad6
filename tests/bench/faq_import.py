"""Plain-text FAQs: is the right answer shown, and only it?

Imports two FAQs written for this as plain text (tests/data/kb_faq/: a climbing gym in English
with "Q: … A: …", a dental clinic in Chinese with "问：… 答：…"; no Markdown headings) through the
real import path, one tenant each, and asks each labelled question as the bot does (retrieval
engine: the answer shown is the best grounded passage, verbatim). Scores: the right answer shown
(its labelled phrase in what the visitor reads), shown alone (no other question's answer in it),
absent facts declined, and how long the shown answer is.

``--whole-sections`` chunks as kefu did before FAQs were split into one passage per answer
(paragraph windows of up to 1,200 characters), for comparison.

    uv run python -m tests.bench.faq_import [--whole-sections] [--json out.json]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import tempfile
from pathlib import Path

from shared.db.engine import close_engine, engine_from_url, open_engine
from shared.db.migrate import migrate
from shared.kb import chunk
from shared.kb.checks import answering_bot
from shared.kb.extract import extract
from shared.kb.store import KbStore
from shared.settings import Settings
from tests.bench.answers import new_tenant

DATA = Path(__file__).parents[1] / "data" / "kb_faq"
FILES = {"climb": "climbing_faq.txt", "dental": "dental_faq.txt"}


async def run(directory: Path) -> dict:
    items = json.loads((DATA / "questions.json").read_text())["questions"]
    engine = engine_from_url(f"sqlite:///{directory}/kefu.db")
    await open_engine(engine)
    try:
        await migrate()
        kb = KbStore(engine)
        bot, _ = answering_bot(kb, Settings())
        tenants = {}
        for prefix, name in FILES.items():
            tenants[prefix] = await new_tenant(prefix)
            # The upload's steps (extract, clean, chunk), in this process: --whole-sections
            # reaches them.
            doc = extract((DATA / name).read_bytes(), name)
            await kb.upsert_document(
                tenants[prefix],
                title=doc.title,
                content=doc.text,
                content_type=doc.content_type,
                source=name,
            )
        results = []
        for item in items:
            prefix = item["id"].split("-")[0]
            cited, _ = await bot.answer_sources(tenants[prefix], item["q"], [])
            shown = cited[0].text if cited else ""
            others = {
                o["expect"]
                for o in items
                if o["id"].startswith(prefix)
                and o["fact"]
                and o["expect"] != item["expect"]
                and o["fact"] in shown
            }
            results.append(
                {
                    "id": item["id"],
                    "question": item["q"],
                    "absent": item["expect"] is None,
                    "declined": not cited,
                    "right": bool(item["fact"]) and item["fact"] in shown,
                    "other_answers_shown": len(others),
                    "shown_chars": len(shown),
                    "heading": cited[0].heading if cited else "",
                }
            )
    finally:
        await close_engine(engine)
    answerable = [r for r in results if not r["absent"]]
    absent = [r for r in results if r["absent"]]
    shown = [r["shown_chars"] for r in results if not r["declined"]]
    return {
        "answerable": len(answerable),
        "absent": len(absent),
        "right_answer_shown": round(sum(r["right"] for r in answerable) / len(answerable), 3),
        "right_answer_shown_alone": round(
            sum(r["right"] and not r["other_answers_shown"] for r in answerable) / len(answerable),
            3,
        ),
        "answerable_declined": sum(r["declined"] for r in answerable),
        "absent_declined": round(sum(r["declined"] for r in absent) / len(absent), 3),
        "shown_chars_median": statistics.median(shown) if shown else 0,
        "results": results,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--whole-sections", action="store_true")
    parser.add_argument("--json")
    args = parser.parse_args()
    if args.whole_sections:  # as before: no section is read as questions and answers
        chunk.questions_and_answers = lambda body: None
    with tempfile.TemporaryDirectory() as tmp:
        out = asyncio.run(run(Path(tmp)))
    print(json.dumps({k: v for k, v in out.items() if k != "results"}, indent=1))
    for r in out["results"]:
        if not (r["right"] and not r["other_answers_shown"]) and not (
            r["absent"] and r["declined"]
        ):
            print(f"  {r['id']:10} {r['question']} -> {r['heading']!r} ({r['shown_chars']} chars)")
    if args.json:
        Path(args.json).write_text(json.dumps(out, indent=1, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
