"""Outbound URLs an owner configures (webhooks, HTTP plugins) must not reach into our network."""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from urllib.parse import urlsplit

from .errors import KefuError

__all__ = ["is_public_url", "check_outbound_url"]


async def is_public_url(url: str) -> bool:
    """Does ``url``'s host resolve only to public internet addresses? (no SSRF into the cluster)"""
    host = urlsplit(url).hostname or ""
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(host, None, type=socket.SOCK_STREAM)
    except OSError:
        return False
    return bool(infos) and all(ipaddress.ip_address(i[4][0]).is_global for i in infos)


async def check_outbound_url(url: str, *, allow_private: bool) -> None:
    """422 unless ``url`` is an absolute http(s) URL to a public address (or private is allowed)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise KefuError(422, "invalid_url", "the URL must be an absolute http(s) URL")
    if not allow_private and not await is_public_url(url):
        raise KefuError(422, "url_not_allowed", "the URL must resolve to public internet addresses")
