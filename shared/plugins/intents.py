"""Intent triggers: how a bot without a tool-choosing model decides to call a plugin.

Each plugin may declare regular expressions (named groups become arguments) and keywords, in
any language. Patterns are tried before keywords; the first plugin that matches is called.

Patterns are written by tenants and run on every visitor's message, so they run on RE2
(google-re2): matching takes time linear in the message whatever the pattern, where Python's
backtracking engine lets ``^(a+)+$`` stall the server for seconds on 30 characters. RE2 has no
backreferences or lookaround; such patterns are refused when a plugin is saved.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import re2

from ..kb.tokenize import simplified
from .runner import PluginInfo

__all__ = ["match_intent", "compile_pattern", "PatternError"]

_OPTIONS = re2.Options()
_OPTIONS.log_errors = False  # a refused pattern is the caller's 422, not a line on stderr


class PatternError(ValueError):
    """A trigger pattern RE2 cannot run (syntax, backreferences, lookaround)."""


def compile_pattern(pattern: str):
    """The pattern compiled for linear-time matching, or :class:`PatternError`."""
    try:
        return re2.compile(pattern, _OPTIONS)
    except re2.error as exc:
        detail = exc.args[0] if exc.args else exc
        if isinstance(detail, bytes):
            detail = detail.decode("utf-8", "replace")
        raise PatternError(str(detail)) from None


@lru_cache(maxsize=1024)
def _compiled(pattern: str):
    try:
        return compile_pattern(pattern)
    except PatternError:
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
    # Keywords in either Chinese script: a visitor writing 營業時間 means 营业时间, and an owner
    # may write either (both are read as simplified, as the knowledge base reads them).
    lowered = text.casefold()
    plain = simplified(text).casefold()
    for plugin in plugins:
        if any(
            k.strip() and (k.casefold() in lowered or _plain_keyword(k) in plain)
            for k in plugin.keywords
        ):
            return plugin.name, {}
    return None


@lru_cache(maxsize=4096)
def _plain_keyword(keyword: str) -> str:
    """A keyword as simplified, read once (it is matched against every visitor message)."""
    return simplified(keyword).casefold()
