"""Tool calls: the model asks for a plugin, kefu runs it, the model answers from its result.

Two ways, chosen per engine (``KEFU_LLM_TOOLS``):

- ``native``: OpenAI ``tools`` in the request; the server streams ``tool_calls`` (mlc_llm
  serve, vLLM, llama.cpp with a tool-capable chat template).
- ``prompt``: for models and servers without tool support (MLC's own tool calls are partial):
  the tools are described in the system prompt and the model answers either normally or with
  one line ``CALL <name> <JSON arguments>``, which kefu parses. Text that is not a call streams
  through untouched.
"""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator
from typing import Any

import msgspec

__all__ = ["ToolCall", "tools_prompt", "parse_prompted_calls", "TOOL_MODES"]

TOOL_MODES = ("native", "prompt", "off")
_CALL = re.compile(r"^\s*CALL\s+([a-z][a-z0-9_]{1,63})\s*(\{.*\})?\s*$", re.S)


class ToolCall(msgspec.Struct, frozen=True):
    """Yielded by an engine's stream instead of text: run this plugin with these arguments."""

    name: str
    arguments: dict[str, Any]


def tools_prompt(tools: list[dict[str, Any]]) -> str:
    lines = [
        "\nTools you may use. If answering needs one, reply with exactly one line and nothing "
        "else:\nCALL <tool name> <JSON object of arguments>\nOtherwise answer normally.",
    ]
    for tool in tools:
        fn = tool["function"]
        lines.append(
            f"- {fn['name']}: {fn['description']} Arguments: {json.dumps(fn['parameters'])}"
        )
    return "\n".join(lines)


def parse_call(text: str) -> ToolCall | None:
    found = _CALL.match(text)
    if not found:
        return None
    try:
        arguments = json.loads(found.group(2) or "{}")
    except json.JSONDecodeError:
        return None
    return ToolCall(found.group(1), arguments) if isinstance(arguments, dict) else None


async def parse_prompted_calls(pieces: AsyncIterator[str]) -> AsyncIterator[str | ToolCall]:
    """Pass text through; an answer that starts with ``CALL`` is collected and parsed."""
    head = ""
    deciding = True
    async for piece in pieces:
        if not deciding:
            yield piece
            continue
        head += piece
        stripped = head.lstrip()
        if len(stripped) < 4 and "CALL".startswith(stripped):
            continue  # not enough text yet to tell
        if not stripped.startswith("CALL"):
            deciding = False
            yield head
    if deciding and head.strip():
        call = parse_call(head)
        if call is not None:
            yield call
        # A malformed call is neither an answer nor a call: nothing is yielded (no text).
