"""Make knowledge-base text safe to repeat: the bot quotes passages to visitors and integrators.

At ingest, raw HTML tags are dropped (the content of ``<script>``/``<style>`` with them) and links
or images whose scheme is not http(s), mailto or tel (``javascript:``, ``data:``, ``vbscript:``…)
keep only their text. Every scan here is linear in the text: a document of 20,000 unclosed
``<script>`` tags costs what its length costs, never the square of it.
"""

from __future__ import annotations

import re

__all__ = ["sanitize", "SAFE_SCHEMES"]

SAFE_SCHEMES = ("http", "https", "mailto", "tel")

# A tag: "<", a name, then anything but angle brackets, then ">". [^<>]* stops at the next
# bracket, so a scan from each "<" never reaches past the next one: linear overall.
_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9:-]*+(?:\s[^<>]*+)?/?>")
_COMMENT_START = "<!--"
_RAW_TEXT = ("script", "style", "iframe", "object", "embed", "template", "noscript")
# The start of a Markdown link or image whose target has a scheme: [text](scheme:…, ![alt](…
# Possessive quantifiers (*+): nothing is tried twice, so each match is one pass.
_LINK_START = re.compile(r"(!?)\[([^\[\]\n]*+)\]\(\s*+<?([A-Za-z][A-Za-z0-9+.-]*+):")
# Reference definitions and autolinks: "[id]: javascript:…", "<javascript:…>".
_REFERENCE = re.compile(r"(?m)^[ \t]*+\[[^\[\]\n]++\]:[ \t]*+<?([A-Za-z][A-Za-z0-9+.-]*+):[^\n]*+")
_AUTOLINK = re.compile(r"<([A-Za-z][A-Za-z0-9+.-]*+):[^<>\s]*+>")


def _drop_raw_text_elements(text: str) -> str:
    """Remove <script>…</script> (and the like) with their content, and HTML comments."""
    lower = text.lower()
    out: list[str] = []
    at = 0
    # Where each kind next starts; a kind is searched again only once ``at`` has passed it.
    openers = {name: f"<{name}" for name in _RAW_TEXT} | {"!--": _COMMENT_START}
    upcoming = {name: lower.find(opener) for name, opener in openers.items()}
    while True:
        for name, position in upcoming.items():
            if 0 <= position < at:
                upcoming[name] = lower.find(openers[name], at)
        found = [(i, name) for name, i in upcoming.items() if i >= 0]
        if not found:
            out.append(text[at:])
            return "".join(out)
        start, name = min(found)
        out.append(text[at:start])
        closing = "-->" if name == "!--" else f"</{name}"
        end = lower.find(closing, start + 1)
        if end < 0:  # never closed: everything after it is that element's
            return "".join(out)
        end = lower.find(">", end) if name != "!--" else end + 2
        at = len(text) if end < 0 else end + 1


def _unsafe(scheme: str) -> bool:
    return scheme.lower() not in SAFE_SCHEMES


def _link_end(text: str, open_paren: int) -> int:
    """Index just past the ``)`` that closes the link target opened at ``open_paren``."""
    depth = 0
    for i in range(open_paren, len(text)):
        char = text[i]
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                return i + 1
        elif char == "\n":
            return i
    return len(text)


def _safe_links(text: str) -> str:
    out: list[str] = []
    at = 0
    for match in _LINK_START.finditer(text):
        if match.start() < at or not _unsafe(match.group(3)):
            continue
        out.append(text[at : match.start()])
        out.append(match.group(2))  # the link's text (an image's alt text) stays
        at = _link_end(text, match.start() + len(match.group(1)) + len(match.group(2)) + 2)
    out.append(text[at:])
    return "".join(out)


def sanitize(text: str) -> str:
    """``text`` without raw HTML tags, active content or unsafe link schemes."""
    if "<" in text:
        text = _drop_raw_text_elements(text)
        text = _TAG.sub("", text)
    if "](" in text:
        text = _safe_links(text)
    if ":" in text:
        text = _REFERENCE.sub(lambda m: "" if _unsafe(m.group(1)) else m.group(0), text)
        text = _AUTOLINK.sub(lambda m: "" if _unsafe(m.group(1)) else m.group(0), text)
    return text
