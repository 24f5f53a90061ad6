"""Owners' URLs (webhooks, HTTP plugins, site imports, their own model server) are checked when
saved and before use, and the connection itself goes only to a public address: a name that
resolves to a public address for the check and to a private one a moment later (DNS rebinding)
still cannot reach into the cluster. A real local HTTP server plays the cluster's service."""

from __future__ import annotations

import asyncio
import socket

import httpx
import pytest

import shared.urls
from shared.conversations.rules import TenantRules
from shared.llm.openai_http import OpenAICompatibleModel
from shared.plugins.runner import PluginRunner
from shared.urls import outbound_transport


@pytest.fixture
async def local_service():
    """An HTTP service on 127.0.0.1 (the kind of thing an owner's URL must never reach)."""

    async def answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.readuntil(b"\r\n\r\n")
        writer.write(b"HTTP/1.1 200 OK\r\ncontent-length: 6\r\nconnection: close\r\n\r\nsecret")
        await writer.drain()
        writer.close()

    server = await asyncio.start_server(answer, "127.0.0.1", 0)
    yield server.sockets[0].getsockname()[1]
    server.close()
    await server.wait_closed()


async def test_a_private_address_is_never_connected_to(local_service):
    async with httpx.AsyncClient(
        transport=outbound_transport(allow_private=False), trust_env=False
    ) as client:
        for host in ("127.0.0.1", "localhost"):
            with pytest.raises(httpx.ConnectError, match="public internet addresses"):
                await client.get(f"http://{host}:{local_service}/")
    # Where private addresses are allowed (a single-business deployment), they are reached.
    async with httpx.AsyncClient(
        transport=outbound_transport(allow_private=True), trust_env=False
    ) as client:
        assert (await client.get(f"http://127.0.0.1:{local_service}/")).text == "secret"


async def test_a_name_is_resolved_once_and_the_checked_address_is_the_one_connected_to(
    local_service, monkeypatch
):
    """The name resolves to 127.0.0.1 once and to nothing after (as a rebinding name would to
    something else): treated as public for this test, the connection is made to the address
    that was checked, with no second lookup."""
    lookups: list[str] = []
    real = asyncio.get_running_loop().getaddrinfo

    async def resolver(host, port, *args, **kwargs):
        if host != "rebinding.test":
            return await real(host, port, *args, **kwargs)
        lookups.append(host)
        if len(lookups) > 1:
            raise socket.gaierror("looked up twice")
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", port))]

    monkeypatch.setattr(asyncio.get_running_loop(), "getaddrinfo", resolver)
    monkeypatch.setattr(shared.urls, "is_public_address", lambda address: address == "127.0.0.1")
    async with httpx.AsyncClient(
        transport=outbound_transport(allow_private=False), trust_env=False
    ) as client:
        assert (await client.get(f"http://rebinding.test:{local_service}/")).text == "secret"
    assert lookups == ["rebinding.test"]
    # The same name resolving to a private address at connection time is refused.
    monkeypatch.setattr(shared.urls, "is_public_address", lambda address: False)
    lookups.clear()
    async with httpx.AsyncClient(
        transport=outbound_transport(allow_private=False), trust_env=False
    ) as client:
        with pytest.raises(httpx.ConnectError, match="public internet addresses"):
            await client.get(f"http://rebinding.test:{local_service}/")


async def test_plugins_and_an_owners_model_server_connect_only_to_public_addresses(local_service):
    url = f"http://127.0.0.1:{local_service}/"
    plugins = PluginRunner(TenantRules(), allow_private=False)
    with pytest.raises(httpx.ConnectError, match="public internet addresses"):
        await plugins.http.get(url)
    await plugins.close()
    trusting = PluginRunner(TenantRules(), allow_private=True)
    assert (await trusting.http.get(url)).text == "secret"
    await trusting.close()

    owners = OpenAICompatibleModel(url, public_only=True)
    await owners.start()
    with pytest.raises(httpx.ConnectError, match="public internet addresses"):
        await owners.client.get("v1/models")
    await owners.stop()
