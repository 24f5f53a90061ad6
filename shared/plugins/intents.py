"""Intent triggers: how a bot without a tool-choosing model decides to call a plugin.

Each plugin may declare regular expressions (named groups become arguments) and keywords, in
any language. Patterns are tried before keywords; the first plugin that matches is called.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from .runner import PluginInfo

__all__ = ["match_intent"]


@lru_cache(maxsize=1024)
def _compiled(pattern: str) -> re.Pattern[str] | None:
    try:
        return re.compile(pattern)
    except re.error:
        return None  # a broken pattern in one plugin never breaks the others


def match_intent(plugins: list[PluginInfo], text: str) -> tuple[str, dict[str, Any]] | None:
    """(plugin name, arguments) for the first plugin whose trigger fits ``text``."""
    for plugin in plugins:
        for pattern in plugin.patterns:
            compiled = _compiled(pattern)
            found = compiled.search(text) if compiled else None
            if found:
                args = {k: v.strip() for k, v in found.groupdict().items() if v and v.strip()}
                return plugin.name, args
    lowered = text.casefold()
    for plugin in plugins:
        if any(k.strip() and k.casefold() in lowered for k in plugin.keywords):
            return plugin.name, {}
    return None
