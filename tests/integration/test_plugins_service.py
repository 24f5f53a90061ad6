"""Plugins as their own service, and plugins installed as packages.

- A third-party package with an entry point in ``kefu.plugins`` is discovered and callable.
- Chat calls a separate plugins service over HTTP (service token); when that service is down,
  chat keeps answering from the knowledge base, order questions get a polite answer at once
  (circuit breaker), and nothing piles up.
"""

from __future__ import annotations

import asyncio
import contextlib
import textwrap
import time

import httpx
import pytest

from shared.plugins.step import PLUGIN_FAILED
from tests.merchant import MerchantApi
from tests.servers import create_owner, kefu_server
from tests.unit.test_handoff import login, wait_for_messages
from tests.unit.test_visitor_api import say, start

pytestmark = pytest.mark.integration


def install_fake_package(site: str) -> None:
    """Lay out an installed distribution as pip would: a module plus its dist-info."""
    from pathlib import Path

    root = Path(site)
    (root / "kefu_parcels.py").write_text(
        textwrap.dedent(
            """
            from shared.plugins import Plugin, PluginResult, Triggers

            async def run(args, context):
                return PluginResult(text=f"Parcel {args['tracking']} is out for delivery.",
                                    source="Parcel tracker")

            parcel = Plugin(
                name="parcel_tracker",
                description="Track a parcel by its tracking number",
                parameters={"type": "object",
                            "properties": {"tracking": {"type": "string", "pattern": "^PX\\\\d+$"}},
                            "required": ["tracking"]},
                triggers=Triggers(patterns=[r"(?P<tracking>PX\\d+)"]),
                run=run,
                default_enabled=True,
            )
            """
        )
    )
    info = root / "kefu_parcels-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: kefu-parcels\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text("[kefu.plugins]\nparcel = kefu_parcels:parcel\n")
    (info / "RECORD").write_text("")


async def test_a_plugin_installed_as_a_package_is_discovered_and_answers(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    install_fake_package(str(site))
    env = {"KEFU_DEMO": "true", "PYTHONPATH": str(site)}
    with kefu_server(tmp_path / "data", env=env) as url:
        async with httpx.AsyncClient(base_url=url, timeout=10) as http:
            cid, visitor = await start(http)
            await say(http, cid, visitor, "Where is my parcel PX778899?")
            answer = (await wait_for_messages(http, cid, visitor, 2))[-1]
    assert answer["content"] == "Parcel PX778899 is out for delivery."
    assert answer["citations"][0]["title"] == "Parcel tracker"


async def count(http, cid: str, visitor: dict) -> int:
    page = await http.get(f"/api/v1/conversations/{cid}/messages", headers=visitor)
    return len(page.json()["messages"])


async def test_chat_calls_the_plugins_service_and_survives_it_going_down(tmp_path):
    merchant = MerchantApi()
    data = tmp_path / "data"
    common = {
        "KEFU_DEMO": "true",
        "KEFU_PLUGINS_ALLOW_PRIVATE": "true",
        "KEFU_SECRET_KEY": "plugins-service-secret-0123456789abcdef0123",
    }
    with contextlib.ExitStack() as stack:
        stack.callback(merchant.stop)
        plugins_service = kefu_server(data, env={**common, "KEFU_FUNCTIONS": "plugins"})
        plugins_url = plugins_service.__enter__()
        chat_env = {
            **common,
            "KEFU_PLUGINS_URL": plugins_url,
            "KEFU_PLUGINS_BUDGET_S": "3",
            "KEFU_PLUGINS_BREAKER_FAILURES": "2",
            "KEFU_PLUGINS_BREAKER_COOLDOWN_S": "60",
        }
        chat = stack.enter_context(
            kefu_server(tmp_path / "chat-data", env={**chat_env, "KEFU_DATA_DIR": str(data)})
        )
        create_owner(data, "owner@plugins.example", "owner plugins pw", common)
        async with httpx.AsyncClient(base_url=chat, timeout=10) as http:
            owner = await login(http, "owner@plugins.example", "owner plugins pw")
            resp = await http.put(
                "/api/v1/admin/plugins/order_status",
                headers=owner,
                json={"enabled": True, "config": {"url": f"{merchant.url}/orders/{{order_id}}"}},
            )
            assert resp.status_code == 200, resp.text
            # The plugins service refuses anyone but kefu's own functions.
            direct = await http.post(
                f"{plugins_url}/api/v1/plugins/invoke",
                headers=owner,
                json={"tenant_id": "x", "name": "order_status"},
            )
            assert direct.status_code in (401, 403)
            await asyncio.sleep(5.5)  # the plugins service re-reads tenant settings every 5 s
            cid, visitor = await start(http)
            await say(http, cid, visitor, "Where is my order 12345?")
            answer = (await wait_for_messages(http, cid, visitor, 2))[-1]
            assert "shipped" in answer["content"]
            assert any(r["path"] == "/orders/12345" for r in merchant.requests)

            plugins_service.__exit__(None, None, None)  # the plugins service goes down
            timings = []
            for _ in range(4):
                before = await count(http, cid, visitor)
                started = time.monotonic()
                await say(http, cid, visitor, "And where is my order 12345 now?")
                reply = (await wait_for_messages(http, cid, visitor, before + 2))[-1]
                timings.append(time.monotonic() - started)
                assert reply["content"] == PLUGIN_FAILED["en"]
            assert max(timings) < 4.0  # bounded by the budget, never a hang
            assert timings[-1] < 1.0  # the breaker is open: no wait at all
            # Questions the knowledge base answers are answered as before.
            before = await count(http, cid, visitor)
            await say(http, cid, visitor, "How much does shipping cost?")
            kb = (await wait_for_messages(http, cid, visitor, before + 2))[-1]
            assert "$49" in kb["content"]
