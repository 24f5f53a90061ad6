"""Smaller doors closed: outbound URLs reach only globally routable addresses (embedded IPv4
forms too), built-in plugins call with GET or POST only, CSV exports can't smuggle formulas into a
spreadsheet, and /metrics names no tenant (and can require a token)."""

from __future__ import annotations

import csv
import io

import pytest
from litestar.testing import AsyncTestClient

from functions.admin.conversations import spreadsheet_safe
from functions.all import create_app
from shared.urls import check_outbound_url, is_public_address
from tests.conftest import prepared
from tests.staff import staff
from tests.unit.test_visitor_api import say, start

ADMIN = "/api/v1/admin"


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1", "10.1.2.3", "169.254.169.254", "100.64.0.1", "192.0.0.9", "192.0.0.170",
        "::1", "::7f00:1", "::ffff:127.0.0.1", "::ffff:169.254.169.254", "fe80::1", "fc00::1",
        "64:ff9b::a9fe:a9fe", "64:ff9b::7f00:1", "64:ff9b:1::a00:1", "2002:7f00:1::1",
        "2002:a9fe:a9fe::1", "2001:0:4136:e378:8000:63bf:3fff:fdd2", "ff02::1", "224.0.0.1",
    ],
)  # fmt: skip
def test_addresses_inside_or_hiding_inside_a_private_network_are_refused(address):
    assert not is_public_address(address)


@pytest.mark.parametrize("address", ["8.8.8.8", "::ffff:8.8.8.8", "2606:4700:4700::1111"])
def test_public_addresses_are_accepted(address):
    assert is_public_address(address)


@pytest.mark.parametrize("host", ["[::7f00:1]", "[64:ff9b::a9fe:a9fe]", "[2002:7f00:1::1]",
                                  "192.0.0.9"])  # fmt: skip
async def test_a_webhook_or_plugin_url_with_such_a_literal_address_is_refused(host):
    from shared.errors import KefuError

    with pytest.raises(KefuError) as refused:
        await check_outbound_url(f"http://{host}/hook", allow_private=False)
    assert refused.value.code == "url_not_allowed"


async def test_a_builtin_plugin_calls_with_get_or_post_only(app_client):
    owner = await staff(app_client)
    for method, status in (("DELETE", 400), ("PUT", 400), ("POST", 200)):
        resp = await app_client.put(
            f"{ADMIN}/plugins/order_status",
            headers=owner,
            json={"enabled": True, "config": {"method": method}},
        )
        assert resp.status_code in ((status,) if status == 200 else (400, 422)), resp.text


@pytest.mark.parametrize(
    ("cell", "shown"),
    [
        ('=HYPERLINK("http://evil.example","click")', '\'=HYPERLINK("http://evil.example","click")'),
        ("=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"),
        ("+SUM(A1:A9)", "'+SUM(A1:A9)"),
        ("-2+3", "'-2+3"),
        ("@SUM(1)", "'@SUM(1)"),
        ("\t=1+1", "'\t=1+1"),
        ("  =1+1", "'  =1+1"),
        ("Where is my order?", "Where is my order?"),
        ("", ""),
    ],
)  # fmt: skip
def test_cells_that_would_be_formulas_are_shown_as_text(cell, shown):
    assert spreadsheet_safe(cell) == shown


async def test_the_csv_export_neutralises_formulas(app_client):
    owner = await staff(app_client)
    cid, visitor = await start(app_client)
    await say(app_client, cid, visitor, '=HYPERLINK("http://evil.example","refund")')
    exported = await app_client.get(f"{ADMIN}/conversations/export.csv", headers=owner)
    rows = list(csv.DictReader(io.StringIO(exported.text)))
    visitor_rows = [r for r in rows if r["conversation_id"] == cid and r["role"] == "visitor"]
    assert visitor_rows[0]["content"].startswith("'=HYPERLINK")


async def test_metrics_name_no_tenant_plugin_and_can_require_a_token(tmp_path):
    from shared.plugins.base import PluginError
    from shared.settings import load_settings
    from tests.servers import free_port

    settings = load_settings(
        {},
        data_dir=str(tmp_path / "data"),
        demo="true",
        metrics_token="scrape-secret-1",
        plugins_allow_private=True,
    )
    await prepared(settings)
    async with AsyncTestClient(app=create_app(settings)) as client:
        scrape = {"Authorization": "Bearer scrape-secret-1"}
        assert (await client.get("/metrics")).status_code == 401
        assert (
            await client.get("/metrics", headers={"Authorization": "Bearer no"})
        ).status_code == 401
        owner = await staff(client)
        made = await client.post(
            f"{ADMIN}/plugins/",
            headers=owner,
            json={"name": "acme_secret_crm", "description": "CRM",
                  "spec": {"url": f"http://127.0.0.1:{free_port()}/lookup"}},
        )  # fmt: skip
        assert made.status_code == 201, made.text
        services = client.app.state.services
        tenant = (await services.store.tenant_by_widget_key("demo")).id
        with pytest.raises(PluginError) as failed:  # nothing listens there: counted
            await services.plugin_runner.invoke(tenant, "acme_secret_crm", {})
        assert failed.value.code != "unknown_plugin", failed.value
        text = (await client.get("/metrics", headers=scrape)).text
        code = failed.value.code
        assert f'kefu_plugin_calls_total{{outcome="{code}",plugin="tenant_http"}} 1.0' in text
        assert "acme_secret_crm" not in text
