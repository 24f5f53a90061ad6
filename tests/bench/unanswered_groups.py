"""How the owner's "unanswered questions" are grouped, scored on labelled pairs: two questions
that ask the same thing should land in one group, two that ask different things (on the same
topic) should not.

- tests/data/kb_eval/paraphrases.json: 30 same-ask and 30 different-ask English/Chinese pairs,
  each pair in one language (GROUP_BAR was chosen on all of them);
- tests/data/kb_eval/cross_language_pairs.json: 20 + 20 pairs, one English and one Chinese
  question each (CROSS_LANGUAGE_BAR was chosen on the first 10 of each kind: "dev"; the other 10
  are "test", only scored).

    uv run python -m tests.bench.unanswered_groups
"""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime

from shared.analytics.unanswered import AskedQuestion, group_questions
from shared.kb.embed import open_embedder
from shared.kb.tokenize import detect_language
from tests.bench.answers import DATA


async def merged(pairs: list[list[str]]) -> int:
    """How many of ``pairs`` end in one group."""
    embedder, _ = open_embedder("local", None, None)
    count = 0
    for a, b in pairs:
        rows = [
            AskedQuestion(str(i), q, detect_language(q), await embedder.query(q), datetime.now(UTC))
            for i, q in enumerate((a, b))
        ]
        count += len(group_questions(rows)) == 1
    return count


async def main() -> None:
    same_language = json.loads((DATA / "paraphrases.json").read_text())
    cross = json.loads((DATA / "cross_language_pairs.json").read_text())
    report = {
        "same language (all)": {
            "same ask merged": f"{await merged(same_language['same'])}/{len(same_language['same'])}",
            "different asks merged": f"{await merged(same_language['different'])}/{len(same_language['different'])}",
        },
    }
    for split, part in (("dev", slice(0, 10)), ("test", slice(10, None))):
        report[f"across languages ({split})"] = {
            "same ask merged": f"{await merged(cross['same'][part])}/{len(cross['same'][part])}",
            "different asks merged": f"{await merged(cross['different'][part])}/{len(cross['different'][part])}",
        }
    print(json.dumps(report, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    asyncio.run(main())
