"""What a model streams is held back wherever it might be something other than the answer.

Small models print their tool calls as JSON (``{"name": "business_hours", "arguments": {}}``)
instead of calling, or echo the prompt's passage headers (``[1] Returns > Refunds (source:
faq.md)``). Such text must never reach a visitor, not even as a streamed delta that is taken
back later. So the stream passes through this guard: plain text flows at once; from a ``{`` or a
line that starts with ``[`` the text is held until it can be judged. A held JSON object shaped
like a call of an offered tool becomes a :class:`ToolCall` (the tool is then really called);
any other JSON object is dropped; a passage header line is dropped; anything else is released.
"""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator, Collection
from typing import Any

from .tools import ToolCall

__all__ = ["guard_answer", "as_tool_call"]

_HEADER = re.compile(r"^\[\d{1,2}\][^\n]*(?:\(source:[^\n)]*\)|>)[^\n]*$")
_JSON_START = re.compile(r'\{[\s{]*"')
_CALL_KEYS = re.compile(r'"(?:name|arguments|parameters|function)"\s*:')
_MAX_HELD = 4000  # a held stretch longer than this is not a call or a header: let it go
#: Markup a model writes around tool calls or as special tokens (<tools>, </tool_call>,
#: <|im_end|>): never part of an answer.
_TOOL_TAG = re.compile(r"</?\s*(?:tools?|tool_calls?|tool_response|functions?|function_calls?)"
                       r"\b[^<>]*>|<\|[^<>|]{1,40}\|>", re.I)  # fmt: skip
_MAX_TAG = 64


def as_tool_call(value: Any, tools: Collection[str]) -> ToolCall | None:
    """``{"name": …, "arguments": {…}}`` (or ``parameters``, or OpenAI's ``function`` wrapper)
    naming an offered tool, as a call."""
    if isinstance(value, dict) and isinstance(value.get("function"), dict):
        value = value["function"]
    if not isinstance(value, dict) or value.get("name") not in tools:
        return None
    arguments = value.get("arguments", value.get("parameters", {}))
    if isinstance(arguments, str):
        try:
            arguments = json.loads(arguments)
        except json.JSONDecodeError:
            return None
    return ToolCall(value["name"], arguments) if isinstance(arguments, dict) else None


def _json_end(text: str) -> int | None:
    """Index just past the JSON object that starts ``text`` (balanced braces outside strings)."""
    depth, in_string, escaped = 0, False, False
    for i, char in enumerate(text):
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                return i + 1
    return None


async def guard_answer(
    pieces: AsyncIterator[str | ToolCall], tools: Collection[str] = ()
) -> AsyncIterator[str | ToolCall]:
    """``pieces`` with tool-call JSON turned into calls (or dropped) and prompt echoes dropped."""
    held = ""
    at_line_start = True

    def judge(final: bool) -> tuple[str, ToolCall | None, bool]:
        """(text now safe to show, a call found, whether text is still held)."""
        nonlocal held, at_line_start
        out: list[str] = []
        while held:
            if held[0] == "{":
                end = _json_end(held)
                if end is None:
                    if final or len(held) > _MAX_HELD:
                        if not _JSON_START.match(held):  # "{braces} in a sentence": text
                            out.append(held)
                        held = ""  # an unfinished call is no answer either: dropped
                        continue
                    return "".join(out), None, True
                try:
                    value = json.loads(held[:end])
                except json.JSONDecodeError:
                    # Broken JSON that names a tool or its arguments ({{"name": …}}) is a
                    # mangled call, never an answer; other braces are text.
                    if not _CALL_KEYS.search(held[:end]):
                        out.append(held[:end])
                        held = held[end:]
                    else:  # its unbalanced closing braces go with it
                        held = held[end:].lstrip("}")
                    continue
                call = as_tool_call(value, tools)
                held = held[end:]
                if call is not None:
                    return "".join(out), call, False
                continue  # JSON that is not a call of an offered tool: never shown
            if held[0] == "<":
                close = held.find(">")
                if close < 0 and not final and len(held) <= _MAX_TAG:
                    return "".join(out), None, True  # a tag may be arriving
                tag = held[: close + 1] if close >= 0 else ""
                if tag and _TOOL_TAG.fullmatch(tag):
                    held = held[close + 1 :]  # a tool-call or special-token tag: never shown
                    continue
                out.append("<")
                at_line_start = False
                held = held[1:]
                continue
            if at_line_start and held[0] == "[":
                line, newline, rest = held.partition("\n")
                if not newline and not final and len(held) <= _MAX_HELD:
                    return "".join(out), None, True
                if _HEADER.match(line):
                    held = rest  # an echoed passage header
                    continue
                out.append(line + newline)
                held = rest
                at_line_start = bool(newline)
                continue
            brace = held.find("{")
            angle = held.find("<")
            newline_bracket = held.find("\n[")
            cuts = [
                c
                for c in (brace, angle, newline_bracket + 1 if newline_bracket >= 0 else -1)
                if c > 0
            ]
            if not cuts:
                out.append(held)
                at_line_start = held.endswith("\n")
                held = ""
                break
            cut = min(cuts)
            out.append(held[:cut])
            at_line_start = held[cut - 1] == "\n"
            held = held[cut:]
        return "".join(out), None, bool(held)

    async for piece in pieces:
        if isinstance(piece, ToolCall):
            yield piece
            return
        held += piece
        if not held.strip():
            continue
        text, call, _ = judge(final=False)
        if text:
            yield text
        if call is not None:
            yield call
            return
    text, call, _ = judge(final=True)
    if text:
        yield text
    if call is not None:
        yield call
