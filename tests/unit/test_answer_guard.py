"""What the model streams reaches the visitor only when it is the answer: tool calls printed as
JSON are run (or dropped), echoed prompt headers are dropped, text written when nothing grounds
an answer is never streamed, and one request at a time goes to a server that can't take more.
The model is the scripted stand-in server (FakeToolModelServer), speaking the real protocol."""

from __future__ import annotations

import asyncio
import json

import pytest

from shared.bot import DONT_KNOW, NOT_FOUND_ABOUT
from shared.llm.guard import guard_answer
from shared.llm.tools import ToolCall
from tests.fake_openai import FakeToolModelServer
from tests.unit.test_plugin_tools import answer_to, shop_with_order_lookup
from tests.unit.test_protection import app_with
from tests.unit.test_visitor_api import say, start


async def _through(pieces: list[str], tools=("business_hours", "handoff")) -> list:
    async def source():
        for piece in pieces:
            yield piece

    return [p async for p in guard_answer(source(), tools)]


async def test_a_tool_call_printed_as_json_becomes_a_call():
    out = await _through(['{"name": "business', '_hours", "arguments"', ": {}}"])
    assert out == [ToolCall("business_hours", {})]
    wrapped = await _through(
        ['{"function": {"name": "handoff", "arguments": "{\\"reason\\": \\"x\\"}"}}']
    )
    assert wrapped == [ToolCall("handoff", {"reason": "x"})]


async def test_json_that_is_not_an_offered_call_is_never_shown():
    out = await _through(
        ['Sure! {"name": "delete_everything", ', '"arguments": {}} Anything else?']
    )
    assert "".join(p for p in out if isinstance(p, str)) == "Sure!  Anything else?"
    cut_off = await _through(['{"name": "business_hours", "argu'])  # max_tokens ran out
    assert cut_off == []


async def test_an_echoed_passage_header_is_dropped_and_plain_text_flows():
    out = await _through(["[1] Returns > Refunds (source: faq.md)\n", "Refunds take 5 days [1]."])
    assert "".join(out) == "Refunds take 5 days [1]."
    zh = await _through(["[1] 云帆旅行 常见问题 > 退款\n退款在", "5个工作日内到账。"])
    assert "".join(zh) == "退款在5个工作日内到账。"
    plain = await _through(["Delivery is free ", "over $49 (use code {FREESHIP}) [2]."])
    assert "".join(plain) == "Delivery is free over $49 (use code {FREESHIP}) [2]."


@pytest.fixture
def model():
    server = FakeToolModelServer()
    yield server
    server.stop()


async def test_a_handoff_printed_as_text_really_hands_off(tmp_path, model):
    async with app_with(tmp_path, llm_url=model.url, llm_tools="native") as client:
        model.replies = [{"text": '{"name": "handoff", "arguments": {"reason": "asked"}}'}]
        cid, visitor = await start(client)
        await say(client, cid, visitor, "I have a complicated billing dispute about my order")
        for _ in range(100):
            conversation = await client.get(
                f"/api/v1/conversations/{cid}/messages", headers=visitor
            )
            if conversation.json()["status"] == "queued":
                break
            await asyncio.sleep(0.05)
        page = conversation.json()
        assert page["status"] == "queued"
        assert not any("{" in m["content"] for m in page["messages"])


async def test_a_tool_printed_as_json_runs_and_is_never_stored(tmp_path, model, merchant):
    async with shop_with_order_lookup(tmp_path, model, merchant) as client:
        printed = json.dumps({"name": "order_status", "arguments": {"order_id": "12345"}})
        model.replies = [{"text": printed}, {"text": "Order 12345 arrives Friday [1]."}]
        answer = await answer_to(client, "Can you check on 12345 for me?")
    assert answer["content"] == "Order 12345 arrives Friday."  # its passage mark is a citation
    assert merchant.requests[-1]["path"] == "/orders/12345"


async def test_with_nothing_to_stand_on_no_model_text_is_streamed(tmp_path, model):
    import httpx
    import websockets

    from tests.client import Visitor
    from tests.servers import kefu_server

    model.replies = [{"text": "Yes, we sell electric scooters for 10 yuan a day."}]
    env = {"KEFU_LLM_URL": model.url, "KEFU_LLM_TOOLS": "native", "KEFU_KB_EMBEDDER": "off"}
    with kefu_server(tmp_path / "data", env=env) as url:
        async with httpx.AsyncClient(timeout=30) as http:
            visitor = await Visitor.start(http, url)
            async with websockets.connect(visitor.ws_url()) as ws:
                await ws.send(json.dumps({"type": "message", "content": "Scooters on Mars?"}))
                events: list[dict] = []
                async with asyncio.timeout(20):
                    while not any(
                        e["type"] == "message" and e["message"]["role"] == "bot" for e in events
                    ):
                        events.append(json.loads(await ws.recv()))
    assert model.requests, "the model was offered the tools (it may call one)"
    deltas = "".join(e["delta"] for e in events if e["type"] == "delta")
    assert "scooter" not in deltas
    final = next(e["message"] for e in events if e["type"] == "message"
                 and e["message"]["role"] == "bot")  # fmt: skip
    assert final["content"] == DONT_KNOW["en"]


@pytest.mark.parametrize("streams", [1, 3])
async def test_a_server_gets_as_many_requests_at_once_as_it_takes(model, streams):
    from shared.kb.retriever import Passage
    from shared.llm.base import ModelRequest
    from shared.llm.openai_http import OpenAICompatibleModel

    model.delay_s = 0.05  # each generation takes a moment: overlaps would show
    engine = OpenAICompatibleModel(model.url, model="fake", server_streams=streams)
    await engine.start()
    request = ModelRequest(
        tenant_id="t", question="Is delivery free?", language="en",
        passages=[Passage("c", "d", "FAQ", "faq.md", "Shipping", "Free over $49.", 3.0, 0.9)],
    )  # fmt: skip

    async def answer() -> str:
        return "".join([p async for p in engine.stream(request) if isinstance(p, str)])

    try:
        answers = await asyncio.gather(answer(), answer(), answer(), engine.embed(["hello"]))
    finally:
        await engine.stop()
    assert all(a.strip() for a in answers[:3])
    assert model.most_in_flight == streams


async def test_citations_are_the_passages_the_answer_stands_on(tmp_path, model, app_client):
    # Retrieval-only: the passage it quotes, and nothing after it ("see also" is gone).
    quoted = await answer_to(app_client, "How much does shipping cost?")
    assert len(quoted["citations"]) == 1
    assert quoted["citations"][0]["snippet"][:60] in quoted["content"]
    # A model: the passages it marks, in the order it marks them.
    async with app_with(tmp_path, llm_url=model.url, llm_tools="off") as client:
        model.replies = [{"text": "We take cards and Alipay [1]; gift cards work too [2]."}]
        answer = await answer_to(client, "Can I pay with Alipay or PayPal, or with a gift card?")
    sent = model.requests[-1]["messages"][0]["content"]
    assert "\n[3] " in sent  # it was given three passages and used two
    assert len(answer["citations"]) == 2
    for number, citation in enumerate(answer["citations"], start=1):
        assert f"[{number}] {citation['title']}" in sent


async def _answer_over_ws(tmp_path, model, question: str) -> tuple[str, dict]:
    """(every delta streamed, the final bot message) for one visitor question, over a real
    ``kefu serve`` and its WebSocket (scripted model server, built-in embedder off)."""
    import httpx
    import websockets

    from tests.client import Visitor
    from tests.servers import kefu_server

    env = {"KEFU_LLM_URL": model.url, "KEFU_LLM_TOOLS": "off", "KEFU_KB_EMBEDDER": "off"}
    with kefu_server(tmp_path / "data", env=env) as url:
        async with httpx.AsyncClient(timeout=30) as http:
            visitor = await Visitor.start(http, url)
            async with websockets.connect(visitor.ws_url()) as ws:
                await ws.send(json.dumps({"type": "message", "content": question}))
                events: list[dict] = []
                async with asyncio.timeout(20):
                    while not any(
                        e["type"] == "message" and e["message"]["role"] == "bot" for e in events
                    ):
                        events.append(json.loads(await ws.recv()))
    deltas = "".join(e["delta"] for e in events if e["type"] == "delta")
    final = next(e["message"] for e in events if e["type"] == "message"
                 and e["message"]["role"] == "bot")  # fmt: skip
    return deltas, final


# Written in lower case, as visitors often do: "Bitcoin", capitalised, is a name the knowledge base
# never mentions, and an ask about it is declined before any model is asked.
QUESTION = "Which payment methods do you accept? Do you take bitcoin too?"


async def test_a_sentence_about_what_no_passage_mentions_is_never_shown(tmp_path, model):
    model.replies = [
        {"text": "We accept Visa, Mastercard and PayPal. Bitcoin is accepted as well, of course."}
    ]
    deltas, final = await _answer_over_ws(tmp_path, model, QUESTION)
    assert model.requests, "the passages grounded the question: the model answered"
    assert "Bitcoin" not in deltas and "Bitcoin" not in final["content"]
    assert final["content"].strip() == "We accept Visa, Mastercard and PayPal."
    assert final["citations"]  # what it kept stands on the payment passage


async def test_a_name_the_knowledge_base_never_mentions_never_reaches_the_model(tmp_path, model):
    model.replies = [{"text": "Yes, we take Bitcoin!"}]
    deltas, final = await _answer_over_ws(tmp_path, model, "Do you take Bitcoin?")
    assert not model.requests and deltas == ""
    assert final["content"] == DONT_KNOW["en"] and final["citations"] == []


async def test_beside_an_ask_about_an_unknown_name_the_other_ask_is_answered(tmp_path, model):
    """Of "Which payment methods do you accept? Do you take Bitcoin too?" only the ask naming
    Bitcoin goes unanswered: the model is asked the other, answers it from the payment passage,
    nothing it says about Bitcoin is shown, and the visitor is told Bitcoin went unanswered."""
    model.replies = [{"text": "We accept Visa, Mastercard and PayPal. Yes, we take Bitcoin too!"}]
    deltas, final = await _answer_over_ws(tmp_path, model, QUESTION.replace("bitcoin", "Bitcoin"))
    asked = model.requests[-1]["messages"][-1]["content"]
    assert "payment methods" in asked and "Bitcoin" not in asked
    assert "take Bitcoin" not in deltas and "take Bitcoin" not in final["content"]
    assert final["content"] == (
        "We accept Visa, Mastercard and PayPal.\n\n" + NOT_FOUND_ABOUT["en"].format(names="Bitcoin")
    )
    assert final["content"].split() == deltas.split()  # what was streamed is what stands
    assert final["citations"]


async def test_the_visitor_is_told_which_ask_went_unanswered(app_client):
    # Retrieval only: the ask the demo shop's help centre answers is quoted, and the visitor is
    # told the one about a name it never mentions went unanswered (not left to think it was).
    for question, shipping, language in [
        ("Can I pay with Bitcoin, and how long does shipping take?", "business days", "en"),
        ("可以用Bitcoin付款吗？发货要多久？", "工作日", "zh"),
    ]:
        answer = await answer_to(app_client, question)
        assert answer["citations"], question
        assert shipping in answer["content"], answer["content"]
        note = NOT_FOUND_ABOUT[language].format(names="Bitcoin")
        assert answer["content"].endswith("\n\n" + note), answer["content"]
    # One ask, about the name alone: a plain "I don't know", as before.
    alone = await answer_to(app_client, "Can I pay with Bitcoin?")
    assert alone["content"] == DONT_KNOW["en"] and alone["citations"] == []


async def test_an_answer_with_nothing_supported_left_is_a_decline(tmp_path, model):
    model.replies = [{"text": "Yes, we take Bitcoin!"}]
    deltas, final = await _answer_over_ws(tmp_path, model, QUESTION)
    assert deltas == ""  # nothing was shown and taken back
    assert final["content"] == DONT_KNOW["en"] and final["citations"] == []


async def test_passage_marks_make_the_citations_and_are_never_shown(tmp_path, model):
    model.replies = [
        {"text": "According to [1], we accept Visa, Mastercard and PayPal [1]. Thanks! [1]"}
    ]
    deltas, final = await _answer_over_ws(tmp_path, model, "Which payment methods do you accept?")
    assert "[" not in deltas and "According" not in deltas
    assert final["content"] == "We accept Visa, Mastercard and PayPal. Thanks!" == deltas.strip()
    assert len(final["citations"]) == 1 and "Visa" in final["citations"][0]["snippet"]


async def test_an_answer_of_nothing_but_marks_is_a_decline(tmp_path, model):
    model.replies = [{"text": "[1]"}]
    deltas, final = await _answer_over_ws(tmp_path, model, "Which payment methods do you accept?")
    assert deltas.strip() == ""  # nothing to read was shown
    assert final["content"] == DONT_KNOW["en"] and final["citations"] == []


@pytest.mark.parametrize(
    ("written", "read"),
    [
        ("根据[1]，取消会员可以随时取消。[1]", "取消会员可以随时取消。"),
        (
            "Yes. According to [2], delivery is free over $49 [2][3].",
            "Yes. Delivery is free over $49.",
        ),
        ("It is free. See [3] for details.", "It is free. "),
        ("按照[2]的规定，退货运费由用户承担。", "退货运费由用户承担。"),
        ("We take cards [1]; gift cards work too [2].", "We take cards; gift cards work too."),
    ],
)
def test_what_the_visitor_reads_of_a_marked_answer(written, read):
    from shared.llm.prompt import without_marks
    from shared.llm.support import sentences

    assert without_marks(written) == read
    # Sentence by sentence (as streamed) reads the same as the whole (as stored).
    assert "".join(without_marks(s) for s in sentences(written)) == read


def test_the_models_own_i_dont_know_is_a_decline_and_unmarked_answers_cite_what_they_repeat():
    from shared.llm.prompt import declines, supported_by

    assert declines("I don't know the price of a blood test.")
    assert declines("抱歉，我没有找到相关信息。")
    assert not declines("No, we do not accept cheques.")
    passages = [
        "Payment methods\nWe accept cash, cards and Apple Pay. We do not accept cheques.",
        "Payment plans\nBills over $500 can be paid in three monthly instalments.",
    ]
    assert supported_by("No, we do not accept cheques.", passages) == [0]
    assert supported_by("Completely unrelated words here.", passages) == []


async def test_a_tool_asked_for_after_a_shown_answer_does_not_replace_it(tmp_path, model, merchant):
    async with shop_with_order_lookup(tmp_path, model, merchant) as client:
        call = json.dumps({"name": "order_status", "arguments": {"order_id": "12345"}})
        model.replies = [{"text": f"Standard shipping is free on orders over $49. {call}"}]
        answer = await answer_to(client, "Is shipping free? My parcel is 12345.")
    assert answer["content"].strip() == "Standard shipping is free on orders over $49."
    assert merchant.requests == []  # the words shown stand; the call is not made


async def test_a_mangled_call_with_doubled_braces_is_never_shown():
    mangled = '{{"name": "business_hours", "arguments": {"type": "object"}}}}'
    out = await _through(["Sure. ", mangled, "\nWe open at 9."])
    shown = "".join(p for p in out if isinstance(p, str))
    assert "name" not in shown and "{" not in shown and "}" not in shown
    assert "We open at 9." in shown


async def test_tool_markup_and_special_tokens_are_never_shown():
    out = await _through(["<tools>", "</tools>\n", "We open at 9 <", "|im_end|>", " and 3 < 5."])
    shown = "".join(p for p in out if isinstance(p, str))
    assert shown == "\nWe open at 9  and 3 < 5."


async def test_a_numbered_item_left_out_takes_its_number_with_it():
    from shared.llm.support import SupportCheck, supported_sentences

    async def pieces():
        for piece in [
            "Steps:\n1. Open the",
            " note.\n2",
            ". Pay for it with Bit",
            "coin.\n3",
            ". Press Share.",
        ]:
            yield piece

    check = SupportCheck(
        "Can I share a note after paying in Bitcoin?", ["Open a note and press Share."]
    )
    dropped: list[str] = []
    shown = [s async for s in supported_sentences(pieces(), check, dropped)]
    assert "".join(shown) == "Steps:\n1. Open the note.\n3. Press Share."
    assert dropped == ["2. Pay for it with Bitcoin.\n"]


def test_a_yes_or_no_about_what_no_passage_mentions_is_left_out():
    """Asked about wine with passages that never mention it, a small model says "No, we don't
    sell wine." or "Yes, we sell wine." — from what the passages leave out. "wine" is too short
    for the distinctive-word rule; in a yes or a no it counts."""
    from shared.llm.support import SupportCheck

    check = SupportCheck(
        "Do you sell wine at the front desk?",
        ["Snacks\nCoffee, tea and snacks are sold at the front desk."],
    )
    assert not check.supports("No, we do not sell wine at the front desk.")
    assert not check.supports("Yes, we sell wine at the front desk.")
    assert not check.supports("We don't carry wine.")
    # What the passage says stays, and a short word said without a yes or a no as before.
    assert check.supports("Yes, coffee, tea and snacks are sold at the front desk.")
    assert check.supports("Wine aside, coffee and snacks are sold at the front desk.")
    # Words are compared by their dictionary form: "sell" is held by "sold".
    honest = SupportCheck("Do you sell tea?", ["Snacks\nCoffee and tea are sold at the desk."])
    assert honest.supports("Yes, we sell tea at the desk.")


def test_a_yes_or_no_must_stand_on_one_passage_not_on_words_scattered_over_several():
    """Every word of "Do you sell dog food at the front desk?" is in some passage — pet
    treats are sold at the front desk, boarders bring their dog's usual food — and none says
    whether dog food is sold: a no (or a yes) to it is made up."""
    from shared.llm.support import SupportCheck

    check = SupportCheck(
        "Do you sell dog food at the front desk?",
        [
            "Shop\nPet treats and leads are sold at the front desk.",
            "Boarding\nPlease bring your dog's usual food for its stay.",
        ],
    )
    assert not check.supports("No, we do not sell dog food at the front desk.")
    assert not check.supports("Yes, dog food is sold at the front desk.")
    # What one passage says stays, in a yes or a no too.
    assert check.supports("Pet treats and leads are sold at the front desk.")
    assert check.supports("No, but pet treats are sold at the front desk.")
    assert check.supports("Please bring your dog's usual food for its stay.")


def test_the_templates_tool_preamble_is_never_shown():
    """Answering from passages, a 1.5B model wrote out a chat template's tool preamble in
    Chinese ("# 工具 … 您提供的函数签名如下：") as its whole answer."""
    from shared.llm.support import SupportCheck

    check = SupportCheck("怎么删除账号", ["删除账号\n在设置 > 账户中点击删除账号。"])
    for sentence in [
        "# 工具\n",
        "您可以调用一个或多个函数来协助用户查询。",
        "您提供的函数签名如下：",
        "# Tools\n",
        "You are provided with function signatures within <tools>.",
    ]:
        assert not check.supports(sentence), sentence
    assert check.supports("在设置 > 账户中点击删除账号。")
    # A passage that speaks of functions (an API's help centre) may be quoted.
    api = SupportCheck(
        "What are function signatures?", ["API\nFunction signatures list each argument."]
    )
    assert api.supports("Function signatures list each argument.")
