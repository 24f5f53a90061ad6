"""Outbound URLs an owner configures (webhooks, HTTP plugins, site imports, their own model
server) must not reach into our network.

A URL is checked when it is saved and before each use (a clear 422, or a recorded failure), and
the connection itself goes only to a public address (:func:`outbound_transport`): the address
checked is the address connected to, so a name that resolves to a public address for the check
and to a private one a moment later (DNS rebinding) still cannot reach in."""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from urllib.parse import urlsplit

import httpcore
import httpx

from .errors import KefuError

__all__ = [
    "is_public_url", "is_public_address", "check_outbound_url", "outbound_transport",
    "PublicAddressesOnly",
]  # fmt: skip

# IPv6 forms that carry an IPv4 address a router may deliver to (NAT64, 6to4, Teredo, the
# deprecated IPv4-compatible form) and IPv4's protocol-assignment block: never a webhook's home.
_TUNNELS = tuple(
    ipaddress.ip_network(n)
    for n in ("64:ff9b::/96", "64:ff9b:1::/48", "2002::/16", "2001::/32", "::/96", "192.0.0.0/24")
)


def is_public_address(address: str) -> bool:
    """A globally routable unicast address, with no private address hidden inside it."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped  # ::ffff:a.b.c.d is a.b.c.d
    if any(ip in net for net in _TUNNELS if net.version == ip.version):
        return False
    return ip.is_global and not ip.is_multicast


async def _addresses(host: str, port: int | None = None) -> list[str]:
    """Every address ``host`` resolves to (OSError when it resolves to none)."""
    infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def _all_public(addresses: list[str]) -> bool:
    return bool(addresses) and all(is_public_address(a) for a in addresses)


async def is_public_url(url: str) -> bool:
    """Does ``url``'s host resolve only to public internet addresses? (no SSRF into the cluster)"""
    try:
        return _all_public(await _addresses(urlsplit(url).hostname or ""))
    except OSError:
        return False


async def check_outbound_url(url: str, *, allow_private: bool) -> None:
    """422 unless ``url`` is an absolute http(s) URL to a public address (or private is allowed)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise KefuError(422, "invalid_url", "the URL must be an absolute http(s) URL")
    if not allow_private and not await is_public_url(url):
        raise KefuError(422, "url_not_allowed", "the URL must resolve to public internet addresses")


class PublicAddressesOnly(httpcore.AsyncNetworkBackend):
    """An httpcore network backend that resolves each host itself and connects only when every
    address it resolves to is public (as :func:`is_public_url` checks), then to those
    addresses: no second lookup between the check and the connection. TLS still verifies the
    certificate against the host's name."""

    def __init__(self) -> None:
        self._inner = httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options=None,
    ) -> httpcore.AsyncNetworkStream:
        try:
            async with asyncio.timeout(timeout):
                addresses = await _addresses(host, port)
        except TimeoutError as exc:
            raise httpcore.ConnectTimeout(f"resolving {host} timed out") from exc
        except OSError as exc:
            raise httpcore.ConnectError(f"cannot resolve {host}: {exc}") from exc
        if not _all_public(addresses):
            raise httpcore.ConnectError(f"{host} does not resolve to public internet addresses")
        failed: Exception | None = None
        for address in addresses:
            try:
                return await self._inner.connect_tcp(
                    address, port, timeout=timeout, local_address=local_address,
                    socket_options=socket_options,
                )  # fmt: skip
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                failed = exc
        assert failed is not None
        raise failed

    async def connect_unix_socket(self, path, timeout=None, socket_options=None):
        raise httpcore.ConnectError("an outbound URL is never a local socket")

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


def outbound_transport(
    *, allow_private: bool, limits: httpx.Limits | None = None
) -> httpx.AsyncHTTPTransport | None:
    """The transport for a client that calls owners' URLs: connections only to public
    addresses (None — httpx's own — where private ones are allowed)."""
    if allow_private:
        return None
    transport = httpx.AsyncHTTPTransport(
        limits=limits or httpx.Limits(max_connections=100, max_keepalive_connections=20)
    )
    # httpx builds its connection pool without a way to pass a network backend; the pool reads
    # this attribute for every new connection (tests/unit/test_outbound_urls.py fails if not).
    transport._pool._network_backend = PublicAddressesOnly()
    return transport
