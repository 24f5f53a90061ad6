"""Build the model's messages: persona, grounded passages with ids, a trimmed window, the question.

Token counts are estimated (a CJK character ~ one token, other text ~ four characters a token):
close enough to keep a prompt inside a budget without loading the model's tokenizer.
"""

from __future__ import annotations

import re

from .base import ModelRequest, Turn
from .tools import tools_prompt

__all__ = [
    "build_messages",
    "estimate_tokens",
    "LANGUAGE_NAMES",
    "cited_passages",
    "without_marks",
    "supported_by",
    "declines",
]

LANGUAGE_NAMES = {
    "en": "English",
    "zh": "Simplified Chinese (简体中文)",
    "zh-Hant": "Traditional Chinese (繁體中文)",
}
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]")

_INSTRUCTIONS = """\
You are the customer-service assistant of this business. Answer the customer's last message \
using ONLY the knowledge passages below. Quote facts (prices, days, addresses) exactly as the \
passages give them. If the passages do not contain the answer, say you don't know and offer to \
connect the customer with a human agent; never guess. Reply in {language}. Be brief and \
friendly. Mark the passages you used like [1]."""


_MARK = re.compile(r"\[(\d{1,2})\]")


def cited_passages(text: str, count: int) -> list[int]:
    """The passages (0-based, in order of first mention) an answer marks as used: ``[2]``."""
    seen: list[int] = []
    for mark in _MARK.findall(text):
        index = int(mark) - 1
        if 0 <= index < count and index not in seen:
            seen.append(index)
    return seen


# "According to [1], …", "根据[1]，…": a lead-in that only points at a passage; "See [2] for
# details.": a sentence that only does.
_LEAD_IN = re.compile(
    r"(?:\b(?:according\s+to|as\s+(?:stated|mentioned|described)\s+in)|根据|依据|参考|按照)"
    r"\s*(?:\[\d{1,2}\]\s*)+(?:中?的?(?:说明|内容|信息|规定)?)?[,，、:：]?\s*",
    re.IGNORECASE,
)
_POINTER = re.compile(
    r"(?:\b(?:see|refer\s+to)|参见|详见|请参考|请参阅)\s*(?:\[\d{1,2}\]\s*)+"
    r"[^.!?。！？\n\[]{0,30}[.!?。！？]?",
    re.IGNORECASE,
)
_MARK_SHOWN = re.compile(r"[ \t]*\[\d{1,2}\]")


def without_marks(text: str) -> str:
    """``text`` as the visitor reads it: the passage marks (``[2]``) tell kefu which passages an
    answer used — the sources are listed under it — so they, and words that only point at them,
    are left out. Local to each sentence: stripping the sentences one by one gives what
    stripping the whole answer gives."""
    text = _POINTER.sub("", text)
    out, last = [], 0
    for match in _LEAD_IN.finditer(text):
        out.append(text[last : match.start()])
        last = match.end()
        if not text[: match.start()].strip() or text[: match.start()].rstrip()[-1] in ".!?。！？":
            # It opened the sentence: the sentence now opens with what followed it.
            rest = text[last:]
            if rest[:1].islower():
                out.append(rest[:1].upper())
                last += 1
    out.append(text[last:])
    return _MARK_SHOWN.sub("", "".join(out))


def supported_by(answer: str, passages: list[str]) -> list[int]:
    """The passages (0-based, best first) whose words an unmarked answer repeats: a model that
    writes no ``[n]`` marks is cited for what it visibly used, not for all it was shown."""
    from ..kb.tokenize import CHAR_PREFIX, tokens

    terms = set(tokens(answer))
    said = {t for t in terms if not t.startswith(CHAR_PREFIX)} or terms  # words, else characters
    if not said:
        return []
    shares = [len(said & set(tokens(text))) / len(said) for text in passages]
    best = max(shares, default=0.0)
    if best < 0.3:
        return []
    return sorted(
        (i for i, share in enumerate(shares) if share >= 0.8 * best), key=lambda i: -shares[i]
    )


_DECLINES = re.compile(
    r"^\W*(?:(?:sorry|i'm sorry|i am sorry)\W+)?(?:i (?:don't|do not) know|i'm not sure|i am not "
    r"sure|i (?:couldn't|could not|can't|cannot) find|there is no information|(?:the )?"
    r"(?:passages?|information) (?:do|does) not (?:say|mention|contain))"
    r"|^\W*(?:抱歉|对不起)?\W*(?:我)?(?:不知道|不清楚|无法回答|没有找到|没有相关|暂时没有)",
    re.I,
)


def declines(answer: str) -> bool:
    """Does the model's answer say it does not know (rather than answer)?"""
    from ..kb.tokenize import simplified

    return bool(_DECLINES.match(simplified(answer)))  # 我沒有找到 as 我没有找到


def estimate_tokens(text: str) -> int:
    cjk = len(_CJK.findall(text))
    return cjk + (len(text) - cjk + 3) // 4


def _role(turn: Turn) -> str:
    return "user" if turn.role == "visitor" else "assistant"


def build_messages(
    request: ModelRequest, *, budget_tokens: int = 3000, tools_in_prompt: bool = False
) -> list[dict[str, str]]:
    """OpenAI-style messages; the oldest history turns go first when over ``budget_tokens``.

    ``tools_in_prompt``: describe ``request.tools`` in the system prompt (prompt-and-parse)."""
    language = LANGUAGE_NAMES.get(request.language, LANGUAGE_NAMES["en"])
    lines = [request.persona.strip()] if request.persona.strip() else []
    lines.append(_INSTRUCTIONS.format(language=language))
    lines.append("\nKnowledge passages:")
    for number, passage in enumerate(request.passages, start=1):
        section = passage.heading or passage.title
        lines.append(
            f"[{number}] {section} (source: {passage.source or passage.document_id})\n{passage.text}"
        )
    if tools_in_prompt and request.tools:
        lines.append(tools_prompt(request.tools))
    system = "\n".join(lines)
    question = {"role": "user", "content": request.question}
    remaining = budget_tokens - estimate_tokens(system) - estimate_tokens(request.question)
    window: list[dict[str, str]] = []
    for turn in reversed(request.history):
        if turn.role == "system":
            continue
        cost = estimate_tokens(turn.content) + 4
        if cost > remaining:
            break
        remaining -= cost
        window.append({"role": _role(turn), "content": turn.content})
    window.reverse()
    # Chat templates want user/assistant to alternate: merge neighbours with the same role.
    merged: list[dict[str, str]] = []
    for message in [*window, question]:
        if merged and merged[-1]["role"] == message["role"]:
            merged[-1] = {
                "role": message["role"],
                "content": merged[-1]["content"] + "\n" + message["content"],
            }
        else:
            merged.append(message)
    if merged[0]["role"] == "assistant":
        merged.pop(0)
    return [{"role": "system", "content": system}, *merged]
