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

A yes or a no is held to more. Asked "Do you sell wine?" with passages that never mention wine,
a small model answers "No, we don't sell wine." or "Yes, we sell wine." — inferred from what
the passages leave out, and "wine" is too short a word for the rule above. A sentence that says
yes or no (opens with yes/sure/of course, or denies: no, not, n't, never…) and names any word of
the question of three letters or more that no passage holds is left out too; words are compared
by their dictionary form (simplemma's word lists: "sell" is held by a passage that says
"sold"), so that an honest "Yes, we sell flea treatments" stands. And the question's words it
names must be held by *one* passage together: "No, we don't sell dog food at reception." is
left out where one passage sells flea treatments at reception and another asks boarders to
bring their dog's usual food — each word is held somewhere, what was asked nowhere. (Latin
words only: a Chinese yes or no is held to the distinctive-word rule alone.)

The prompt's machinery is never an answer either: a sentence that speaks of the model's own
tools (a chat template's "# Tools … function signatures", which a small model may write out,
in Chinese too: "# 工具 … 函数签名") is left out unless a passage says it.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from functools import lru_cache

import simplemma
from rapidfuzz.distance import OSA

from ..kb.tokenize import CHAR_PREFIX, simplified, tokens
from .tools import ToolCall

__all__ = ["SupportCheck", "supported_sentences", "sentences", "warm_up"]

_SENTENCE_END = re.compile(r"[.!?。！？；;]+[\"'”’)）]*\s*|\n+")
#: "3." opening a line is a list item's number, not a sentence: it goes with what follows.
_LIST_NUMBER = re.compile(r"(?:^|\n)[ \t]*\d{1,2}\.[ \t]*$")


_YES_OR_NO = re.compile(
    r"^\W*(?:yes|yeah|yep|sure|of\s+course|certainly|absolutely|indeed)\b"
    r"|\b(?:no|not|never|none|nor|neither|cannot)\b|n['’]t\b",
    re.IGNORECASE,
)
#: A chat template's tool preamble, written out by the model (Qwen's, in English or Chinese).
_ITS_TOOLS = re.compile(
    r"^\W*#+\s*(?:tools?|functions?|工具|函数)\s*$|function\s+signatures?|"
    r"call\s+one\s+or\s+more\s+functions|函数签名|调用一个或多个函数",
    re.IGNORECASE | re.MULTILINE,
)


_LATIN_WORD = re.compile(r"[a-z]+")


@lru_cache(maxsize=50_000)
def _lemma(word: str) -> str:
    """The dictionary form of an English word ("sold" -> "sell"), by simplemma's word lists:
    irregular forms that stemming leaves apart."""
    return simplemma.lemmatize(word, lang="en")


def warm_up() -> None:
    """Load the English word lists (~0.1 s, 10 MB) before the first answer needs them."""
    _lemma("sold")


def _stem(word: str) -> str | None:
    """``word`` as a retrieval term (None: a stop word)."""
    found = tokens(word, concepts=False)
    return found[0] if len(found) == 1 else None


def _distinctive(term: str) -> bool:
    if term.startswith((CHAR_PREFIX, "~")) or term.isdigit():
        return False
    return len(term) >= 5 if term.isascii() else len(term) >= 2


class SupportCheck:
    """What the visitor named that the passages never mention."""

    def __init__(self, question: str, passages: list[str]) -> None:
        # each passage's terms and dictionary forms: what a yes or a no says must be in one
        self._each = [
            (
                set(tokens(text, concepts=False)),
                {_lemma(w) for w in _LATIN_WORD.findall(text.casefold())},
            )
            for text in passages
        ]
        self._held: set[str] = set().union(*(terms for terms, _ in self._each))
        self._passages = "\n".join(passages).casefold()
        asked = tokens(question, concepts=False)
        self._unsupported = {t for t in asked if _distinctive(t) and not self._near_held(t)}
        # Shorter words too, for a yes or a no ("we do not sell dog food"), compared by their
        # dictionary form: "sell" is held by a passage that says "sold".
        held_lemmas = set().union(*(lemmas for _, lemmas in self._each))
        #: the question's words of three letters or more: stem -> dictionary form
        self._asked = {
            stem: _lemma(word)
            for word in _LATIN_WORD.findall(question.casefold())
            if len(word) >= 3 and (stem := _stem(word)) is not None
        }
        self._unsupported_in_yes_or_no = self._unsupported | {
            stem
            for stem, lemma in self._asked.items()
            if stem not in self._held and lemma not in held_lemmas
        }

    def _held_together(self, stems: set[str]) -> bool:
        """One passage holds every one of ``stems`` (a question's words), as a term or in its
        dictionary form."""
        return not stems or any(
            all(s in terms or self._asked[s] in lemmas for s in stems)
            for terms, lemmas in self._each
        )

    def _near_held(self, term: str) -> bool:
        if term in self._held:
            return True
        return term.isascii() and any(
            OSA.distance(term, held, score_cutoff=1) <= 1 for held in self._held if held.isascii()
        )

    def supports(self, sentence: str) -> bool:
        tools = _ITS_TOOLS.search(simplified(sentence))  # 函數簽名 as 函数签名
        if tools is not None and tools.group().strip().casefold() not in self._passages:
            return False
        named = set(tokens(sentence, concepts=False))
        if _YES_OR_NO.search(sentence):
            return not (self._unsupported_in_yes_or_no & named) and self._held_together(
                named & self._asked.keys()
            )
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
