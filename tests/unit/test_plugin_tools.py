"""A model that chooses tools: native OpenAI tool calls and the prompt-and-parse fallback.

The model is a scripted fake server speaking the real protocol (FakeToolModelServer); the
plugin calls a real merchant API on loopback.
"""

from __future__ import annotations

import json
from contextlib import asynccontextmanager

import pytest

from shared.bot import DONT_KNOW
from shared.plugins.step import PLUGIN_FAILED
from tests.fake_openai import FakeToolModelServer
from tests.staff import staff
from tests.unit.test_handoff import wait_for_messages
from tests.unit.test_plugins import configure_order_status
from tests.unit.test_protection import app_with
from tests.unit.test_visitor_api import say, start


@pytest.fixture
def model():
    server = FakeToolModelServer()
    yield server
    server.stop()


@asynccontextmanager
async def shop_with_order_lookup(tmp_path, model, merchant, mode: str = "native"):
    """The demo shop with a model server and order_status pointed at the merchant's API."""
    async with app_with(
        tmp_path, llm_url=model.url, llm_tools=mode, plugins_allow_private=True
    ) as client:
        owner = await staff(client)
        await configure_order_status(client, owner, f"{merchant.url}/orders/{{order_id}}")
        yield client


async def answer_to(client, text: str) -> dict:
    cid, visitor = await start(client)
    await say(client, cid, visitor, text)
    return (await wait_for_messages(client, cid, visitor, 2))[-1]


@pytest.mark.parametrize("mode", ["native", "prompt"])
async def test_the_model_calls_a_plugin_and_answers_from_its_result(
    tmp_path, model, merchant, mode
):
    async with shop_with_order_lookup(tmp_path, model, merchant, mode) as client:
        call = ("order_status", json.dumps({"order_id": "12345"}))
        model.replies = [
            {"call": call} if mode == "native" else {"text": f"CALL {call[0]} {call[1]}"},
            {"text": "Your parcel 12345 has shipped and arrives Friday [1]."},
        ]
        answer = await answer_to(client, "Can you check on 12345 for me?")

    assert answer["content"] == "Your parcel 12345 has shipped and arrives Friday."
    assert answer["citations"][0]["source"] == "plugin:order_status"
    assert merchant.requests[-1]["path"] == "/orders/12345"
    first, second = model.requests[-2:]
    if mode == "native":
        names = [t["function"]["name"] for t in first["tools"]]
        assert "order_status" in names and "business_hours" in names
    else:
        assert "tools" not in first
        assert "CALL <tool name>" in first["messages"][0]["content"]
    assert "tools" not in second  # the answer pass offers no tools
    assert "Order 12345 is shipped, arriving Friday." in second["messages"][0]["content"]


async def test_offered_only_tools_the_model_may_not_invent_an_answer(tmp_path, model):
    async with app_with(tmp_path, llm_url=model.url, llm_tools="native") as client:
        model.replies = [{"text": "The meaning of life is 42."}]
        answer = await answer_to(client, "What is the meaning of life, really?")
    assert answer["content"] == DONT_KNOW["en"]
    assert "tools" in model.requests[-1]


async def test_arguments_from_the_model_are_checked_before_the_plugin_runs(
    tmp_path, model, merchant
):
    async with shop_with_order_lookup(tmp_path, model, merchant) as client:
        model.replies = [
            {"call": ("order_status", json.dumps({"order_id": "../../admin"}))},
            {"text": "Standard shipping takes 3-5 business days [1]."},
        ]
        # The visitor wrote it (so it is theirs to look up); the plugin's schema still refuses it.
        answer = await answer_to(client, "How long does shipping take for order ../../admin?")
        assert merchant.requests == []  # the plugin never ran
        # The call never ran, so it answered nothing: the passages do, the model offered no tool.
        assert "tools" not in model.requests[-1]
        assert answer["content"] == "Standard shipping takes 3-5 business days."
        # With nothing to answer from, the visitor hears that it could not be looked up.
        model.replies = [{"call": ("order_status", json.dumps({"order_id": "../../x"}))}]
        nothing = await answer_to(client, "../../x?")
    assert nothing["content"] == PLUGIN_FAILED["en"]


async def test_a_call_whose_arguments_the_plugin_refuses_is_dropped_and_the_passages_answer(
    tmp_path, model
):
    """A 1.5B model asked "怎么删除账号" sent business_hours its own schema as arguments; the
    call was refused and the visitor read "couldn't look that up" though the passages answered."""
    schema = {"type": "object", "properties": {}, "additionalProperties": False}
    async with app_with(tmp_path, llm_url=model.url, llm_tools="native") as client:
        model.replies = [
            {"call": ("business_hours", json.dumps(schema))},
            {"text": "Standard shipping takes 3-5 business days [1]."},
        ]
        answer = await answer_to(client, "How long does shipping take?")
    assert "tools" not in model.requests[-1] and len(model.requests) == 2
    assert answer["content"] == "Standard shipping takes 3-5 business days."
    assert answer["citations"]
