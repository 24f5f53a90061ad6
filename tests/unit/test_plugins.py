"""Plugins as a visitor meets them: an order question answered from the merchant's API, signed;
a broken plugin answered politely in time; arguments checked before any plugin code runs."""

from __future__ import annotations

import json
import time

import pytest
from prometheus_client import REGISTRY

from shared.plugins import Plugin, PluginError, PluginResult, register_plugin
from shared.plugins.base import _REGISTRY
from shared.plugins.http import sign_request
from shared.plugins.step import PLUGIN_FAILED, PLUGIN_NOT_FOUND
from tests.staff import staff
from tests.unit.test_handoff import wait_for_messages
from tests.unit.test_protection import app_with
from tests.unit.test_visitor_api import say, start

ADMIN = "/api/v1/admin/plugins"


@pytest.fixture
async def client(tmp_path):
    async with app_with(tmp_path, plugins_allow_private=True, plugins_budget_s=3.0) as client:
        yield client


def calls(plugin: str, outcome: str) -> float:
    value = REGISTRY.get_sample_value(
        "kefu_plugin_calls_total", {"plugin": plugin, "outcome": outcome}
    )
    return value or 0.0


async def ask(client, text: str) -> tuple[str, dict, dict]:
    cid, visitor = await start(client)
    await say(client, cid, visitor, text)
    return cid, visitor, (await wait_for_messages(client, cid, visitor, 2))[-1]


async def configure_order_status(client, owner, url: str, secret: str = "merchant-secret"):
    resp = await client.put(
        f"{ADMIN}/order_status",
        headers=owner,
        json={
            "enabled": True,
            "config": {
                "url": url,
                "response_template": "Order {order_id} is {status}, arriving {eta}.",
            },
            "secret": secret,
            "headers": {"Authorization": "Bearer merchant-api-key"},
        },
    )
    assert resp.status_code == 200, resp.text
    return resp.json()


async def test_an_order_question_is_answered_from_the_merchants_api_with_a_signed_request(
    client, merchant
):
    owner = await staff(client)
    saved = await configure_order_status(client, owner, f"{merchant.url}/orders/{{order_id}}")
    assert saved["has_secret"] and saved["secret_headers"] == ["Authorization"]
    assert "merchant-secret" not in json.dumps(saved) and "merchant-api-key" not in json.dumps(
        saved
    )

    cid, _, answer = await ask(client, "Hi, where is my order 12345?")
    assert "shipped" in answer["content"] and "Friday" in answer["content"]
    assert answer["citations"][0]["source"] == "plugin:order_status"
    assert answer["citations"][0]["title"] == "Order status"  # where the answer came from

    request = merchant.requests[-1]
    assert request["path"] == "/orders/12345"
    assert request["headers"]["authorization"] == "Bearer merchant-api-key"
    expected = sign_request(
        "merchant-secret",
        request["headers"]["x-kefu-timestamp"],
        "GET",
        f"{merchant.url}/orders/12345",
        b"",
    )
    assert request["headers"]["x-kefu-signature"] == expected

    trail = (await client.get(f"{ADMIN}/calls/{cid}", headers=owner)).json()
    assert [(c["plugin"], c["arguments"], c["outcome"]) for c in trail] == [
        ("order_status", {"order_id": "12345"}, "ok")
    ]

    # Chinese, and an order that does not exist.
    _, _, zh = await ask(client, "我的订单 99999 到哪里了？")
    assert zh["content"] == PLUGIN_NOT_FOUND["zh"]


async def test_an_owner_adds_an_http_plugin_without_code(client, merchant):
    owner = await staff(client)
    created = await client.post(
        f"{ADMIN}/",
        headers=owner,
        json={
            "name": "loyalty_points",
            "description": "Look up a member's loyalty points",
            "spec": {
                "url": f"{merchant.url}/points",
                "method": "POST",
                "parameters": {
                    "type": "object",
                    "properties": {"member": {"type": "string", "pattern": "^M\\d{4,}$"}},
                    "required": ["member"],
                },
                "response_template": "Member {member} has {points} points ({tier} tier).",
                "source": "Loyalty programme",
                "triggers": {"patterns": ["(?i)points.*(?P<member>M\\d{4,})"]},
            },
            "secret": "loyalty-secret",
        },
    )
    assert created.status_code == 201, created.text
    assert created.json()["has_secret"] and "loyalty-secret" not in created.text
    _, _, answer = await ask(client, "How many points does M12345 have?")
    assert answer["content"] == "Member M12345 has 420 points (gold tier)."
    sent = merchant.requests[-1]
    assert sent["method"] == "POST" and json.loads(sent["body"]) == {"member": "M12345"}
    listing = (await client.get(f"{ADMIN}/", headers=owner)).text
    assert "loyalty_points" in listing and "loyalty-secret" not in listing
    bad = await client.post(
        f"{ADMIN}/",
        headers=owner,
        json={
            "name": "x_bad",
            "description": "d",
            "spec": {"url": f"{merchant.url}/p", "triggers": {"patterns": ["(unclosed"]}},
        },
    )
    assert (bad.status_code, bad.json()["code"]) == (422, "invalid_pattern")

    # The owner tries one call before a visitor meets it: the answer, or why not.
    tried = await client.post(
        f"{ADMIN}/loyalty_points/try", headers=owner, json={"arguments": {"member": "M7777"}}
    )
    assert tried.status_code == 200, tried.text
    assert tried.json()["outcome"] == "ok"
    assert tried.json()["text"] == "Member M7777 has 420 points (gold tier)."
    invalid = await client.post(
        f"{ADMIN}/loyalty_points/try", headers=owner, json={"arguments": {"member": "nobody"}}
    )
    assert invalid.json()["outcome"] == "invalid_arguments"
    unknown = await client.post(f"{ADMIN}/no_such_plugin/try", headers=owner, json={})
    assert unknown.json()["outcome"] == "unknown_plugin"


@pytest.mark.parametrize("path", ["/slow", "/broken", "/garbage"])
async def test_a_broken_plugin_gets_a_polite_answer_in_time_and_the_chat_goes_on(
    client, merchant, path
):
    owner = await staff(client)
    await configure_order_status(client, owner, f"{merchant.url}{path}?order={{order_id}}")
    outcome = {"/slow": "timeout", "/broken": "http_error", "/garbage": "bad_result"}[path]
    before = calls("order_status", outcome)
    started = time.monotonic()
    cid, visitor, answer = await ask(client, "Where is my order 12345?")
    assert time.monotonic() - started < 7.0  # the 3 s budget, not the endpoint's 10 s hang
    assert answer["role"] == "bot" and answer["content"] == PLUGIN_FAILED["en"]
    assert calls("order_status", outcome) == before + 1
    # It asked them to try again: doing so is not "asking again" (no handoff).
    await say(client, cid, visitor, "Where is my order 12345?")
    again = (await wait_for_messages(client, cid, visitor, 4))[-1]
    assert again["role"] == "bot" and again["content"] == PLUGIN_FAILED["en"]
    await say(client, cid, visitor, "How much does shipping cost?")
    follow_up = (await wait_for_messages(client, cid, visitor, 6))[-1]
    assert "$49" in follow_up["content"]


async def test_python_plugins_that_raise_or_return_garbage_are_contained(client):
    async def raises(args, context):
        raise RuntimeError("bug in the plugin")

    async def garbage(args, context):
        return {"not": "a PluginResult"}

    register_plugin(Plugin(name="fragile", description="d", run=raises, default_enabled=True))
    register_plugin(Plugin(name="sloppy", description="d", run=garbage, default_enabled=True))
    try:
        runner = client.app.state.services.plugin_runner
        tenant = (await client.app.state.services.store.tenant_by_widget_key("demo")).id
        with pytest.raises(PluginError) as failed:
            await runner.invoke(tenant, "fragile", {})
        assert failed.value.code == "plugin_failed"
        with pytest.raises(PluginError) as sloppy:
            await runner.invoke(tenant, "sloppy", {})
        assert sloppy.value.code == "bad_result"
    finally:
        _REGISTRY.pop("fragile", None)
        _REGISTRY.pop("sloppy", None)


async def test_arguments_are_checked_against_the_schema_before_run(client):
    ran = []

    async def record(args, context):
        ran.append(args)
        return PluginResult(text="ok")

    register_plugin(
        Plugin(
            name="strict",
            description="d",
            parameters={
                "type": "object",
                "properties": {"order_id": {"type": "string", "pattern": "^\\d{5}$"}},
                "required": ["order_id"],
                "additionalProperties": False,
            },
            run=record,
            default_enabled=True,
        )
    )
    try:
        runner = client.app.state.services.plugin_runner
        tenant = (await client.app.state.services.store.tenant_by_widget_key("demo")).id
        for bad in ({}, {"order_id": "12"}, {"order_id": 12345}, {"order_id": "12345", "x": 1}):
            with pytest.raises(PluginError) as refused:
                await runner.invoke(tenant, "strict", bad)
            assert refused.value.code == "invalid_arguments", bad
        assert ran == []
        assert (await runner.invoke(tenant, "strict", {"order_id": "12345"})).text == "ok"
        assert ran == [{"order_id": "12345"}]
    finally:
        _REGISTRY.pop("strict", None)


async def test_business_hours_and_disabled_plugins(client):
    owner = await staff(client)
    await client.put(
        "/api/v1/admin/settings/",
        headers=owner,
        json={
            "handoff": {
                "business_hours": {
                    "timezone": "UTC",
                    "days": [0, 1, 2, 3, 4, 5, 6],
                    "open": "00:00",
                    "close": "23:59",
                }
            }
        },
    )
    client.app.state.services.rules.forget(
        (await client.app.state.services.store.tenant_by_widget_key("demo")).id
    )
    _, _, answer = await ask(client, "What are your opening hours?")
    assert "00:00-23:59" in answer["content"]
    # A visitor who writes traditional Chinese reads the hours in it, as every text of the bot.
    _, _, hant = await ask(client, "請問你們的營業時間是幾點？")
    assert "營業時間" in hant["content"] and "营业" not in hant["content"], hant["content"]
    off = await client.put(f"{ADMIN}/business_hours", headers=owner, json={"enabled": False})
    assert off.json()["enabled"] is False
    _, _, without = await ask(client, "What are your opening hours?")
    assert "00:00-23:59" not in without["content"]


async def test_without_business_hours_set_the_knowledge_base_answers(client):
    _, _, answer = await ask(client, "What are your customer service hours?")
    assert "Monday to Friday, 9:00-18:00" in answer["content"]  # the demo FAQ, not the plugin
