"""An owner points their tenant at their own model server (a scripted OpenAI-compatible one
here): their visitors are answered by it, with its own queue, cache and key; nobody else's are."""

from __future__ import annotations

import asyncio
import threading

import pytest

from shared.bot import MODEL_BUSY, MODEL_FAILED
from shared.db.tables import Tenant
from tests.fake_openai import FakeToolModelServer
from tests.staff import new_tenant, staff
from tests.unit.test_plugin_tools import answer_to
from tests.unit.test_protection import app_with
from tests.unit.test_visitor_api import say, start, wait_for_messages

MODEL = "/api/v1/admin/model"
RENTALS = "Bikes rent for 20 euros a day. Helmets come free with every bike."


@pytest.fixture
def model():
    server = FakeToolModelServer()
    yield server
    if server.hold is not None:
        server.hold.set()
    server.stop()


async def _until(condition, what: str) -> None:
    for _ in range(600):
        if condition():
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"never happened: {what}")


async def test_an_owners_own_model_answers_their_visitors_and_nobody_elses(tmp_path, model):
    async with app_with(
        tmp_path, kb_embedder="off", llm_tenant_allow_private="true",
        llm_tenant_max_concurrency="1", llm_tenant_max_queue="0",
    ) as client:  # fmt: skip
        acme = await new_tenant(client, "acme")
        owner = await staff(client, "owner", "acme")
        added = await client.post(
            "/api/v1/admin/kb/documents", headers=owner,
            json={"title": "Rentals", "content": RENTALS},
        )  # fmt: skip
        assert added.status_code == 201, added.text
        put = await client.put(
            f"{MODEL}/endpoint", headers=owner,
            json={"url": model.url, "model": "fake-tool-model", "api_key": "sk-acme-123"},
        )  # fmt: skip
        assert put.status_code == 200, put.text
        info = put.json()
        assert (info["source"], info["engine"], info["endpoint"]) == (
            "tenant", "openai-http", model.url,
        )  # fmt: skip
        assert info["own"]["api_key_set"] and "sk-acme" not in put.text
        assert "sk-acme" not in (await client.get(f"{MODEL}/", headers=owner)).text
        demo = (await client.get(f"{MODEL}/", headers=await staff(client))).json()
        assert (demo["source"], demo["engine"], demo["own"]) == ("deployment", "retrieval", None)

        # The owner's server is busy with one of their visitors (held until released)...
        model.hold = threading.Event()
        model.replies = [{"text": "A bike is 20 euros a day [1]."}]
        cid, visitor = await start(client, acme["widget_key"])
        await say(client, cid, visitor, "How much does a bike cost per day?")
        await _until(lambda: model.in_flight == 1, "the owner's server got the question")
        # ...a second visitor of theirs is told it is busy (their own queue, full)...
        busy = await answer_to_tenant(client, acme["widget_key"], "Are helmets free with a bike?")
        assert busy["content"] == MODEL_BUSY["en"]
        # ...while another tenant's visitors are answered by the deployment's model at once.
        other = await answer_to(client, "Is delivery free?")
        assert other["citations"] and other["citations"][0]["snippet"][:40] in other["content"]
        assert model.in_flight == 1, "the owner's answer is still being written"
        model.hold.set()
        answer = (await wait_for_messages(client, cid, visitor, 2))[-1]
    assert answer["content"] == "A bike is 20 euros a day."
    assert answer["citations"][0]["title"] == "Rentals"
    assert model.authorizations[0] == "Bearer sk-acme-123"
    assert len(model.requests) == 1, "only the owner's visitor reached the owner's server"


async def answer_to_tenant(client, widget_key: str, text: str) -> dict:
    cid, visitor = await start(client, widget_key)
    await say(client, cid, visitor, text)
    return (await wait_for_messages(client, cid, visitor, 2))[-1]


async def test_the_endpoint_follows_the_outbound_rules_and_only_owners_set_it(tmp_path, model):
    async with app_with(tmp_path, kb_embedder="off") as client:
        owner = await staff(client)
        private = await client.put(f"{MODEL}/endpoint", headers=owner, json={"url": model.url})
        assert (private.status_code, private.json()["code"]) == (422, "url_not_allowed")
        scheme = await client.put(
            f"{MODEL}/endpoint", headers=owner, json={"url": "file:///etc/passwd"}
        )
        assert (scheme.status_code, scheme.json()["code"]) == (422, "invalid_url")
        unknown = await client.put(
            f"{MODEL}/endpoint", headers=owner,
            json={"url": "https://models.example.com/v1", "tools": "sometimes"},
        )  # fmt: skip
        assert unknown.status_code == 400
        agent = await staff(client, "agent")
        denied = await client.put(
            f"{MODEL}/endpoint", headers=agent, json={"url": "https://models.example.com/v1"}
        )
        assert denied.status_code == 403
        info = (await client.get(f"{MODEL}/", headers=owner)).json()
        assert (info["source"], info["own"]) == ("deployment", None)
    assert not model.requests


async def test_the_key_is_write_only_and_clearing_goes_back_to_the_deployments_model(
    tmp_path, model
):
    async with app_with(tmp_path, kb_embedder="off", llm_tenant_allow_private="true") as client:
        owner = await staff(client)
        endpoint = {"url": model.url, "api_key": "first-key"}
        assert (await client.put(f"{MODEL}/endpoint", headers=owner, json=endpoint)).is_success
        model.replies = [{"text": "Answering."}, {"text": "Still answering."}]
        # Saved again without a key: the stored one stays.
        kept = await client.put(f"{MODEL}/endpoint", headers=owner, json={"url": model.url})
        assert kept.json()["own"]["api_key_set"]
        assert (await client.post(f"{MODEL}/test", headers=owner)).json()["reply"] == "Answering."
        assert model.authorizations[-1] == "Bearer first-key"
        cleared = await client.put(
            f"{MODEL}/endpoint", headers=owner, json={"url": model.url, "api_key": ""}
        )
        assert not cleared.json()["own"]["api_key_set"]
        assert (await client.post(f"{MODEL}/test", headers=owner)).json()["ok"]
        assert model.authorizations[-1] == ""
        back = await client.delete(f"{MODEL}/endpoint", headers=owner)
        assert (back.status_code, back.json()["source"]) == (200, "deployment")
        tested = (await client.post(f"{MODEL}/test", headers=owner)).json()
        assert tested["reply"] == "The help desk is connected and answering."
        log = (await client.get("/api/v1/admin/audit/", headers=owner)).json()
        assert "model.endpoint" in str(log) and "first-key" not in str(log)
    assert len(model.requests) == 2


async def test_answers_cached_from_one_model_are_never_served_for_another(tmp_path, model):
    async with app_with(tmp_path, kb_embedder="off", llm_tenant_allow_private="true") as client:
        owner = await staff(client)
        await client.put(f"{MODEL}/endpoint", headers=owner, json={"url": model.url})
        model.replies = [{"text": "Delivery is free over 49 dollars [1]."}]
        first = await answer_to(client, "Is delivery free?")
        again = await answer_to(client, "Is delivery free?")
        assert first["content"].strip() == again["content"].strip()
        assert len(model.requests) == 1, "the second visitor got the cached answer"
        await client.delete(f"{MODEL}/endpoint", headers=owner)
        quoted = await answer_to(client, "Is delivery free?")
    assert "49 dollars" not in quoted["content"]
    assert quoted["citations"][0]["snippet"][:40] in quoted["content"]


async def test_an_endpoint_that_turns_private_is_refused_when_read_again(tmp_path, model):
    async with app_with(tmp_path, kb_embedder="off") as client:
        # Stored when it was allowed (say, its name resolved to a public address then).
        await asyncio.to_thread(
            client.blocking_portal.call, _store_endpoint, "demo", {"url": model.url}
        )
        answer = await answer_to(client, "Is delivery free?")
        tested = (await client.post(f"{MODEL}/test", headers=await staff(client))).json()
    assert answer["content"] == MODEL_FAILED["en"]
    assert (tested["ok"], tested["error"]) == (False, "url_not_allowed")
    assert not model.requests, "the server was never called"


async def _store_endpoint(slug: str, endpoint: dict) -> None:
    await Tenant.update({Tenant.model_endpoint: endpoint}).where(Tenant.slug == slug)


async def test_a_deployment_can_keep_every_tenant_on_its_model(tmp_path, model):
    async with app_with(tmp_path, kb_embedder="off", llm_tenant_endpoints="false") as client:
        owner = await staff(client)
        refused = await client.put(f"{MODEL}/endpoint", headers=owner, json={"url": model.url})
        info = (await client.get(f"{MODEL}/", headers=owner)).json()
        await asyncio.to_thread(
            client.blocking_portal.call, _store_endpoint, "demo", {"url": model.url}
        )
        answer = await answer_to(client, "Is delivery free?")
    assert (refused.status_code, refused.json()["code"]) == (403, "own_model_disabled")
    assert not info["own_allowed"]
    assert answer["citations"] and not model.requests
