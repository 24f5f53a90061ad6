"""Outbound URLs an owner configures (webhooks, HTTP plugins) must not reach into our network."""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from urllib.parse import urlsplit

from .errors import KefuError

__all__ = ["is_public_url", "is_public_address", "check_outbound_url"]

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


async def is_public_url(url: str) -> bool:
    """Does ``url``'s host resolve only to public internet addresses? (no SSRF into the cluster)"""
    host = urlsplit(url).hostname or ""
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(host, None, type=socket.SOCK_STREAM)
    except OSError:
        return False
    return bool(infos) and all(is_public_address(i[4][0]) for i in infos)


async def check_outbound_url(url: str, *, allow_private: bool) -> None:
    """422 unless ``url`` is an absolute http(s) URL to a public address (or private is allowed)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise KefuError(422, "invalid_url", "the URL must be an absolute http(s) URL")
    if not allow_private and not await is_public_url(url):
        raise KefuError(422, "url_not_allowed", "the URL must resolve to public internet addresses")
