"""Where "the same question" ends: the similarity bar for sharing one generation and one cached
answer between differently worded opening questions.

Embeds the labelled pairs of tests/data/kb_eval/paraphrases.json with the built-in embedder and
reports, for each candidate bar, how many same-meaning pairs would share (recall) and how many
different-ask pairs would wrongly share (must be none). kefu's bar is the lowest that merges no
different-ask pair, plus a margin.

    uv run python -m tests.bench.paraphrase [--json out]
"""

from __future__ import annotations

import argparse
import asyncio
import json
from pathlib import Path

from shared.kb.embed import LocalEmbedder

DATA = Path(__file__).parents[1] / "data" / "kb_eval" / "paraphrases.json"


async def similarities() -> tuple[list[float], list[float]]:
    pairs = json.loads(DATA.read_text())
    embedder = LocalEmbedder()

    async def sims(kind: str) -> list[float]:
        out = []
        for a, b in pairs[kind]:
            va, vb = await embedder.query(a), await embedder.query(b)
            out.append(round(float(va @ vb), 4))
        return out

    return await sims("same"), await sims("different")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--json")
    args = parser.parse_args()
    same, different = asyncio.run(similarities())
    rows = []
    for bar in [x / 100 for x in range(85, 100)]:
        rows.append(
            {
                "bar": bar,
                "same_shared": round(sum(s >= bar for s in same) / len(same), 3),
                "different_shared": sum(d >= bar for d in different),
            }
        )
    out = {
        "same_pairs": len(same),
        "different_pairs": len(different),
        "highest_different": max(different),
        "same": sorted(same),
        "bars": rows,
    }
    print(json.dumps(out, indent=1))
    if args.json:
        Path(args.json).write_text(json.dumps(out, indent=1) + "\n")


if __name__ == "__main__":
    main()
