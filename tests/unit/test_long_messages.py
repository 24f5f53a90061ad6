"""A visitor's message at the length cap (4,000 characters) costs other visitors nothing they
would notice: every step that reads it on the event loop takes time that grows with its length,
not its square; the handoff rules read a long message in pieces, in a worker thread; a message
that asks a thousand things is searched for its first few; a long question's words are read for
the search in a worker thread; the embedding engine every tenant's questions share reads a long
question from its two ends (500 characters in all).

The time bounds are 100x or more above what this code takes, and 5x or more below what the code
before it took where its cost grew with the square of the length (question_parts 5.7 s,
without_courtesy 11 s on the spaces; docs/benchmarks.md, "A hostile message at the length
cap"), so a busy machine cannot fail them and a regression cannot pass them.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable
from itertools import pairwise
from typing import TypeVar

import pytest

from shared.conversations.asks_human import PIECE, asks_for_human, pieces, without_declined_person
from shared.conversations.handoff import read_wants_human
from shared.conversations.injection import refusal_kind
from shared.kb.embed import QUESTION_CHARS, LocalEmbedder, as_asked
from shared.kb.query import MOST_ASKS, question_parts, without_courtesy
from shared.kb.tokenize import detect_language

T = TypeVar("T")

# Five times the cap: a step whose cost grows with the square of the length takes seconds.
LONG = 20_000
RUNS = {
    "spaces": "x" + " " * LONG + "y",
    "tabs": "how" + "\t" * LONG + "and",
    "newlines": "a" + "\n" * LONG + "b",
    "commas and spaces": "x" + ", " * (LONG // 2) + "thanks",
    "declines": "不要转人工，" * (LONG // 6),
}
STEPS = {
    "question_parts": question_parts,
    "without_courtesy": without_courtesy,
    "detect_language": detect_language,
    "refusal_kind": refusal_kind,
    "without_declined_person": without_declined_person,
}


@pytest.mark.parametrize("step", STEPS)
@pytest.mark.parametrize("run", RUNS)
def test_no_step_that_reads_a_message_on_the_loop_takes_time_growing_with_its_square(step, run):
    STEPS[step]("warm up 們")  # load what it reads with (a dictionary, OpenCC's tables)
    started = time.perf_counter()
    STEPS[step](RUNS[run])
    took = time.perf_counter() - started
    assert took < 1.0, f"{step} took {took:.2f} s on {len(RUNS[run]):,} characters of {run}"


def test_a_message_asking_a_thousand_things_is_searched_for_its_first_few():
    assert question_parts("可以吗？" * 1000) == ["可以吗？"] * MOST_ASKS
    many = " ".join(f"Do you ship to city {i}?" for i in range(50))
    assert question_parts(many) == [f"Do you ship to city {i}?" for i in range(MOST_ASKS)]
    assert question_parts("配送费多少，晚上几点前能送到？") == ["配送费多少", "晚上几点前能送到？"]


FILLER = "My order 4471 came with the wrong lid and the box was crushed at one corner. " * 45


@pytest.mark.parametrize(
    "text",
    [
        FILLER + "Can I talk to a real person about this?",
        "Can I talk to a real person about this? " + FILLER,
        FILLER[:2000] + "I want a human. " + FILLER[2000:],
        "order 4471 " * 350 + "get me a human",  # no sentence ends: read in windows
        FILLER + "我要找人工客服",
        # Chinese words read as longer English ones ("a转me" → "a transfer me"): a piece grows three
        # times over and is read in windows — the request at its end is still in one
        "a转me " * 700 + "can 你们 staff call 我 back",
        "x我 " * 100 + "can 你们 staff call 我 back " + "x我 " * 900,
    ],
)
def test_a_request_for_a_person_anywhere_in_a_long_message_is_heard(text):
    assert len(text) > 3000
    assert asks_for_human(text)


@pytest.mark.parametrize(
    "text",
    [
        FILLER,
        FILLER + "No need for a person, just tell me when the new lid ships.",
        "I'm a human resources manager and we order for the whole office. " * 50,
        "superhuman " * 400,  # a window never starts inside a word
        "不要转人工，" * 600,
    ],
)
def test_a_long_message_that_asks_for_no_one_stays_with_the_bot(text):
    assert not asks_for_human(text)


@pytest.mark.parametrize(
    "text", [FILLER, "x" * 4000, "order 4471 " * 400, "可以吗？" * 1000, FILLER + "x" * 1200]
)
def test_a_long_message_is_read_in_pieces_that_leave_nothing_out(text):
    parts = pieces(text)
    assert len(parts) > 1 and all(0 < len(p) <= PIECE for p in parts)
    # Each piece starts where the one before it ended, or (a window) inside it: every place each
    # piece can start at is followed (a text that repeats itself has many), and one reaches the end.
    assert text.startswith(parts[0])
    starts = {0}
    for before, part in pairwise(parts):
        starts = {
            s for p in starts for s in range(p + 1, p + len(before) + 1) if text.startswith(part, s)
        }
        assert starts, "a piece skips part of the message"
    assert any(s + len(parts[-1]) == len(text) for s in starts)
    assert pieces("Can I talk to a person?") == ["Can I talk to a person?"]


async def served_while(work: Awaitable[T]) -> tuple[T, int]:
    """``work``'s result, and how many turns the event loop gave other visitors while it ran."""
    served = 0

    async def other_visitors() -> None:
        nonlocal served
        while True:
            served += 1
            await asyncio.sleep(0)

    others = asyncio.create_task(other_visitors())
    await asyncio.sleep(0)
    before = served
    try:
        result = await work
    finally:
        others.cancel()
    return result, served - before


async def test_a_long_message_is_read_while_other_visitors_are_served():
    asks, during = await served_while(
        read_wants_human(FILLER + "Can I talk to a real person about this?")
    )
    assert asks
    assert during > 0, "the loop served no one while the long message was read"


def test_the_shared_embedding_engine_reads_a_long_question_from_its_two_ends():
    embedder = LocalEmbedder()
    story = "我上个月在你们店买了一件外套，一直很喜欢，这次出差前想再买一件送给朋友。" * 120
    long = story[:3990] + "运费怎么算？"  # 4,000 characters: ~4,000 tokens, seconds read whole
    read = as_asked(long)
    assert (
        len(read) <= QUESTION_CHARS + 3
        and read.startswith(long[:100])
        and read.endswith("运费怎么算？")
    )
    got = embedder.questions([long, read])
    assert (got[0] == got[1]).all()


async def test_a_question_asked_while_the_server_warms_up_waits_for_it_off_the_loop(app_client):
    """The dictionaries a turn reads load in a thread after start-up; a turn that came first
    loaded them itself on the event loop (1.1 s once). It now waits for the warm-up."""
    from tests.unit.test_visitor_api import say, start, wait_for_messages

    bot = app_client.app.state.services.conversations.bot
    app_loop = bot.warming.get_loop()  # the app runs on a loop of its own, in another thread
    await asyncio.wrap_future(  # this app's own warm-up first
        asyncio.run_coroutine_threadsafe(asyncio.wait([bot.warming]), app_loop)
    )
    bot.warming = warming = app_loop.create_future()  # then one that has not finished
    cid, visitor = await start(app_client)
    assert (await say(app_client, cid, visitor, "How much does shipping cost?")).status_code == 201
    for _ in range(20):  # a second: the bot answers this one in milliseconds once warm
        await asyncio.sleep(0.05)
        page = await app_client.get(f"/api/v1/conversations/{cid}/messages", headers=visitor)
        assert [m["role"] for m in page.json()["messages"]] == ["visitor"]
    app_loop.call_soon_threadsafe(warming.set_result, None)
    messages = await wait_for_messages(app_client, cid, visitor, 2)
    assert messages[-1]["role"] == "bot" and messages[-1]["citations"]


async def test_a_long_question_is_searched_while_other_visitors_are_served(tmp_path, monkeypatch):
    """A question's words are cut, mended (pinyin-keyboard homophones, syllable by syllable) and
    bridged before they are searched: ~50 ms for 4,000 characters of Chinese, held on the loop
    until a long one was read in a worker thread. The words read are the same either way."""
    from shared.db.engine import close_engine, engine_from_url, open_engine
    from shared.db.migrate import migrate
    from shared.demo import seed_demo
    from shared.kb import retriever as retrieval
    from shared.kb.store import KbStore

    engine = engine_from_url(f"sqlite:///{tmp_path}/kefu.db")
    await open_engine(engine)
    await migrate()
    try:
        tenant_id = await seed_demo(KbStore(engine))
        words_only = retrieval.Retriever(KbStore(engine))  # nothing else to wait for
        await words_only.warm(tenant_id)
        story = "我上个月在你们店买了一件外套，一直很喜欢，这次出差前想再买一件送给朋友。" * 120
        long = story[:3990] + "运费怎么算？"
        found, during = await served_while(words_only.search(tenant_id, long, history=[long]))
        assert during > 0, "the loop served no one while the long question was searched"
        monkeypatch.setattr(retrieval, "LOOP_CHARS", 10_000)  # read on the loop, as before
        assert await words_only.search(tenant_id, long, history=[long]) == found
    finally:
        await close_engine(engine)
