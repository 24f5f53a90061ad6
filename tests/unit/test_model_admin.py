"""Owners see which model the bot answers with and test the connection before visitors do."""

from __future__ import annotations

from tests.conftest import free_port
from tests.fake_openai import FakeToolModelServer
from tests.staff import staff
from tests.unit.test_protection import app_with

MODEL = "/api/v1/admin/model"


async def test_without_a_model_the_test_quotes_the_knowledge_base(app_client):
    owner = await staff(app_client)
    info = (await app_client.get(f"{MODEL}/", headers=owner)).json()
    assert (info["engine"], info["endpoint"], info["tools"]) == ("retrieval", "", False)
    tested = (await app_client.post(f"{MODEL}/test", headers=owner)).json()
    assert tested["ok"] and tested["reply"] == "The help desk is connected and answering."


async def test_a_model_server_is_tested_through_the_real_protocol(tmp_path):
    server = FakeToolModelServer()
    server.replies.append({"text": "Yes, it is answering."})
    url = server.url.replace("http://", "http://user:secret@")
    async with app_with(tmp_path, llm_url=url) as client:
        owner = await staff(client)
        info = (await client.get(f"{MODEL}/", headers=owner)).json()
        assert info["engine"] != "retrieval"
        assert info["endpoint"] == server.url and "secret" not in info["endpoint"]
        tested = (await client.post(f"{MODEL}/test", headers=owner)).json()
        assert tested["ok"] and tested["reply"] == "Yes, it is answering."
        assert "help desk is connected" in str(server.requests[-1]["messages"])


async def test_an_unreachable_model_server_is_reported_not_raised(tmp_path):
    async with app_with(tmp_path, llm_url=f"http://127.0.0.1:{free_port()}/v1") as client:
        owner = await staff(client)
        tested = await client.post(f"{MODEL}/test", headers=owner)
        assert tested.status_code == 200
        assert not tested.json()["ok"] and tested.json()["error"]
        agent = await client.post(
            "/api/v1/auth/login", json={"email": "agent@demo.kefu.local",
                                        "password": "demo-agent-password"},
        )  # fmt: skip
        token = {"Authorization": f"Bearer {agent.json()['access_token']}"}
        assert (await client.post(f"{MODEL}/test", headers=token)).status_code == 403
