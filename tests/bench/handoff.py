"""Handoff intent on messages written after the detector was built (never used to change it).

Scores asks_for_human() on tests/data/kb_eval/handoff_heldout2.json (held out: written before
the detector's second round and never read for it), on handoff_heldout.json (held out for the
first round, then read for the second) and on the set it was built with
(tests/data/human_requests.json): precision, recall, and every miss.

    uv run python -m tests.bench.handoff [--json out]
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from shared.conversations.asks_human import asks_for_human

DATA = Path(__file__).parents[1] / "data"


def score(path: Path) -> dict:
    data = json.loads(path.read_text())
    asks, alikes = data["asks"], data["look_alikes"]
    missed = [t for t in asks if not asks_for_human(t)]
    fired = [t for t in alikes if asks_for_human(t)]
    caught = len(asks) - len(missed)
    return {
        "asks": len(asks),
        "look_alikes": len(alikes),
        "precision": round(caught / (caught + len(fired)), 4) if caught + len(fired) else 1.0,
        "recall": round(caught / len(asks), 4),
        "missed": missed,
        "fired_on_look_alikes": fired,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--json")
    args = parser.parse_args()
    out = {
        "held_out": score(DATA / "kb_eval" / "handoff_heldout2.json"),
        "first_held_out_then_read": score(DATA / "kb_eval" / "handoff_heldout.json"),
        "built_with": score(DATA / "human_requests.json"),
    }
    print(json.dumps(out, indent=1, ensure_ascii=False))
    if args.json:
        Path(args.json).write_text(json.dumps(out, indent=1, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
