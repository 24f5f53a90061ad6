"""Handoff intent on messages written after the detector was built (never used to change it).

Scores the detector on tests/data/kb_eval/handoff_heldout97.json (held out: written before the
ninety-seventh round and never read for it) with the word rules alone and with the nearest-example check
on the built-in embedder, as the bot runs it. Also: how often an ordinary message is taken for a
request (the held-out set's ordinary messages and every labelled knowledge-base question), and
the word rules alone on the examples the check compares with (shared/conversations/
human_examples/: the set the rules were built with and the ninety-six earlier held-out sets, each
read after its round).

    uv run python -m tests.bench.handoff [--json out]
"""

from __future__ import annotations

import argparse
import asyncio
import json
from pathlib import Path

from shared.conversations.asks_human import NearestRequests, asks_for_human
from shared.kb.embed import LocalEmbedder

DATA = Path(__file__).parents[1] / "data"
EXAMPLES = Path(__file__).parents[2] / "shared" / "conversations" / "human_examples"


class Detector:
    def __init__(self) -> None:
        self.embedder = LocalEmbedder()
        self.nearest = NearestRequests.for_embedder(self.embedder)

    async def __call__(self, text: str, *, nearest: bool) -> bool:
        if asks_for_human(text):
            return True
        if not nearest or not self.nearest.long_enough(text):
            return False
        return await self.nearest.is_request(text, self.embedder.questions([text])[0])


async def score(detect: Detector, path: Path, nearest: bool) -> dict:
    data = json.loads(path.read_text())
    asks, alikes = data["asks"], data["look_alikes"]
    ordinary = data.get("ordinary", [])
    missed = [t for t in asks if not await detect(t, nearest=nearest)]
    fired = [t for t in alikes if await detect(t, nearest=nearest)]
    fired_ordinary = [t for t in ordinary if await detect(t, nearest=nearest)]
    caught = len(asks) - len(missed)
    wrong = len(fired) + len(fired_ordinary)
    return {
        "asks": len(asks),
        "look_alikes": len(alikes),
        "ordinary": len(ordinary),
        "precision": round(caught / (caught + wrong), 4) if caught + wrong else 1.0,
        "recall": round(caught / len(asks), 4),
        "missed": missed,
        "fired_on_look_alikes": fired,
        "fired_on_ordinary": fired_ordinary,
    }


async def questions_taken_for_requests(detect: Detector) -> dict:
    labelled = json.loads((DATA / "kb_eval" / "questions.json").read_text())["questions"]
    texts = list(dict.fromkeys([q["q"] for q in labelled] + [
        q["q"] for q in json.loads((DATA / "demo_questions.json").read_text())
    ]))  # fmt: skip
    return {
        "questions": len(texts),
        "rules": [t for t in texts if await detect(t, nearest=False)],
        "with_nearest": [t for t in texts if await detect(t, nearest=True)],
    }


async def run() -> dict:
    detect = Detector()
    out: dict = {}
    for name in ("handoff_heldout97",):
        path = DATA / "kb_eval" / f"{name}.json"
        out[name] = {
            "rules": await score(detect, path, nearest=False),
            "with_nearest": await score(detect, path, nearest=True),
        }
    out["knowledge_base_questions"] = await questions_taken_for_requests(detect)
    for path in sorted(EXAMPLES.glob("*.json")):
        if "asks" in json.loads(path.read_text()):
            out[f"examples/{path.stem} (rules)"] = await score(detect, path, nearest=False)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--json")
    args = parser.parse_args()
    out = asyncio.run(run())
    print(json.dumps(out, indent=1, ensure_ascii=False))
    if args.json:
        Path(args.json).write_text(json.dumps(out, indent=1, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
