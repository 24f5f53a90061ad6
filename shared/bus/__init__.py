"""Session/broadcast layer; the backend is chosen by URL scheme and imported lazily."""

from __future__ import annotations

from urllib.parse import urlsplit

from .base import CLOSE, GAP, PING, Bus, Subscription

__all__ = ["Bus", "Subscription", "GAP", "CLOSE", "PING", "open_bus"]


def open_bus(url: str, *, max_connections: int = 64) -> Bus:
    """``memory://`` -> in-process; ``valkey://``, ``valkeys://``, ``redis://`` -> Valkey."""
    scheme = urlsplit(url).scheme
    if scheme == "memory":
        from .memory import MemoryBus

        return MemoryBus()
    if scheme in {"valkey", "valkeys", "redis", "rediss", "unix"}:
        from .valkey import ValkeyBus

        return ValkeyBus(url, max_connections=max_connections)
    raise ValueError(f"unsupported bus URL {url!r}: use memory:// or valkey://host:port")
