"""A model's answer is shown a sentence at a time, and only sentences the passages support.

Small models fill gaps: asked "Can I pay with PayPal?" with passages that never mention PayPal,
a 1.5B model answers "Yes, you can pay with PayPal online." The tell is generic: the sentence
repeats something the visitor named (PayPal, Spanish, 字数统计) that no passage it was given
mentions. Such a sentence is never shown; an answer left with nothing to show is the bot's "I
don't know". Sentences are released only when complete and checked, so nothing shown is ever
taken back.

Terms are the retrieval terms, stemmed but not mapped to concepts (PayPal and Apple Pay are
one concept for finding a passage, not for what it says). To spare honest rewording ("sell" in
the question, "sold" in the passage), only distinctive terms count: Latin words of five letters
or more, Chinese words of two characters or more, and a term one edit from a passage's term is
supported.

A denial is held to more: "No, we do not sell dog food at reception." was a 1.5B model's answer
from a passage about flea treatments sold there — an inference from what the passages leave out,
not something they say ("food" is too short a word for the rule above). A sentence that denies
(no, not, n't, never…) and names any word of the question of three letters or more that no
passage holds is left out too: the bot says it doesn't know rather than "no".
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator

from rapidfuzz.distance import OSA

from ..kb.tokenize import CHAR_PREFIX, tokens
from .tools import ToolCall

__all__ = ["SupportCheck", "supported_sentences", "sentences"]

_SENTENCE_END = re.compile(r"[.!?。！？；;]+[\"'”’)）]*\s*|\n+")
#: "3." opening a line is a list item's number, not a sentence: it goes with what follows.
_LIST_NUMBER = re.compile(r"(?:^|\n)[ \t]*\d{1,2}\.[ \t]*$")


_DENIES = re.compile(r"\b(?:no|not|never|none|nor|neither|cannot)\b|n['’]t\b", re.IGNORECASE)


def _distinctive(term: str) -> bool:
    if term.startswith((CHAR_PREFIX, "~")) or term.isdigit():
        return False
    return len(term) >= 5 if term.isascii() else len(term) >= 2


class SupportCheck:
    """What the visitor named that the passages never mention."""

    def __init__(self, question: str, passages: list[str]) -> None:
        self._held = set()
        for text in passages:
            self._held.update(tokens(text, concepts=False))
        asked = tokens(question, concepts=False)
        self._unsupported = {t for t in asked if _distinctive(t) and not self._near_held(t)}
        # Shorter words too, for a sentence that denies: "we do not sell dog food".
        self._unsupported_if_denied = self._unsupported | {
            t for t in asked
            if t.isascii() and t.isalpha() and len(t) >= 3 and t not in self._held
        }  # fmt: skip

    def _near_held(self, term: str) -> bool:
        if term in self._held:
            return True
        return term.isascii() and any(
            OSA.distance(term, held, score_cutoff=1) <= 1 for held in self._held if held.isascii()
        )

    def supports(self, sentence: str) -> bool:
        named = set(tokens(sentence, concepts=False))
        if _DENIES.search(sentence):
            return not (self._unsupported_if_denied & named)
        return not (self._unsupported & named)


async def supported_sentences(
    pieces: AsyncIterator[str | ToolCall], check: SupportCheck, dropped: list[str]
) -> AsyncIterator[str | ToolCall]:
    """``pieces`` re-cut into whole sentences, those ``check`` does not support left out (and
    appended to ``dropped``); a tool call passes through."""
    held = ""
    async for piece in pieces:
        if isinstance(piece, ToolCall):
            yield piece
            return
        held += piece
        end = 0
        for match in _SENTENCE_END.finditer(held):
            end = match.end()
        if not end:
            continue
        text, held = held[:end], held[end:]
        number = _LIST_NUMBER.search(text)
        if number is not None:  # wait for the item the number belongs to
            text, held = text[: number.start()], text[number.start() :] + held
        for sentence in sentences(text):
            if check.supports(sentence):
                yield sentence
            else:
                dropped.append(sentence)
    if held.strip():
        if check.supports(held):
            yield held
        else:
            dropped.append(held)


def sentences(text: str) -> list[str]:
    out, start = [], 0
    for match in _SENTENCE_END.finditer(text):
        if _LIST_NUMBER.fullmatch("\n" + text[start : match.end()]) and (
            start == 0 or text[start - 1] == "\n"
        ):
            continue  # "2." opening a line of a numbered list: the item's sentence goes on
        out.append(text[start : match.end()])
        start = match.end()
    if start < len(text):
        out.append(text[start:])
    return out
