"""An in-memory BM25 inverted index over a tenant's passages.

Written here rather than taken from a library: retrieval needs our CJK-aware tokens, an index
rebuilt per tenant in milliseconds, and a *coverage* score (how much of the question's
information the best passage explains) to decide when the bot should admit it doesn't know.
"""

from __future__ import annotations

import math
from array import array
from collections import Counter
from collections.abc import Iterable, Sequence

from .tokenize import CHAR_PREFIX

#: Single Chinese characters help recall but say less than words.
_CHAR_WEIGHT = 0.4

__all__ = ["Bm25Index", "Hit", "Unit"]


class Hit(tuple):
    """(position, bm25 score, coverage 0..1)."""

    __slots__ = ()

    def __new__(cls, position: int, score: float, coverage: float) -> Hit:
        return super().__new__(cls, (position, score, coverage))

    @property
    def position(self) -> int:
        return self[0]

    @property
    def score(self) -> float:
        return self[1]

    @property
    def coverage(self) -> float:
        return self[2]


class Bm25Index:
    def __init__(
        self, documents: Sequence[Sequence[str]], *, k1: float = 1.2, b: float = 0.75
    ) -> None:
        self._k1, self._b = k1, b
        self._n = 0
        self._lengths: list[int] = []
        self._total = 0
        # term -> (position, tf, position, tf, …) in a machine-int array: a big knowledge base
        # is millions of postings, and as tuples each would be an object the garbage collector
        # walks on every full pass (100+ ms pauses for every request in the process).
        self._postings: dict[str, array[int]] = {}
        for terms in documents:
            self.add(terms)

    def add(self, terms: Sequence[str]) -> None:
        """One more document (built piece by piece, so a big one can yield in between)."""
        position = self._n
        postings = self._postings
        for term, tf in Counter(terms).items():
            entries = postings.get(term)
            if entries is None:
                postings[term] = entries = array("I")
            entries.append(position)
            entries.append(tf)
        self._lengths.append(len(terms))
        self._total += len(terms)
        self._n += 1
        self._avg = self._total / self._n

    def __len__(self) -> int:
        return self._n

    def idf(self, term: str) -> float:
        df = len(self._postings.get(term, ())) // 2
        return math.log(1.0 + (self._n - df + 0.5) / (df + 0.5))

    def __contains__(self, term: str) -> bool:
        return term in self._postings

    def vocabulary(self) -> Iterable[str]:
        return self._postings.keys()

    def unit_weight(self, unit: Unit) -> float:
        """How much a query unit says: the idf of its best-known alternative, or of the
        visitor's own word when the knowledge base holds none of them (an unknown word is the
        most telling: what it asks about is not here)."""
        known = [self.idf(t) * f for t, f in unit.alternatives.items() if t in self._postings]
        own = unit.term
        idf = max(known) if known else self.idf(own)
        return idf * unit.weight * (_CHAR_WEIGHT if own.startswith(CHAR_PREFIX) else 1.0)

    def search(self, query: Sequence[str] | Sequence[Unit], k: int = 3) -> list[Hit]:
        """Top ``k`` passages for the query (terms, or units with alternatives), best first."""
        if not self._n or not query:
            return []
        units = [u if isinstance(u, Unit) else Unit(u) for u in query]
        weights = [self.unit_weight(u) for u in units]
        total = sum(weights) or 1.0
        scores: dict[int, float] = {}
        covered: dict[int, float] = {}
        for unit, weight in zip(units, weights, strict=True):
            best: dict[int, float] = {}
            for term, factor in unit.alternatives.items():
                entries = self._postings.get(term)
                if entries is None:
                    continue
                idf = self.idf(term) * factor
                for position, tf in zip(entries[0::2], entries[1::2], strict=True):
                    norm = self._k1 * (1 - self._b + self._b * self._lengths[position] / self._avg)
                    value = idf * tf * (self._k1 + 1) / (tf + norm)
                    if value > best.get(position, 0.0):
                        best[position] = value
            scale = unit.weight * (_CHAR_WEIGHT if unit.term.startswith(CHAR_PREFIX) else 1.0)
            for position, value in best.items():
                scores[position] = scores.get(position, 0.0) + value * scale
                covered[position] = covered.get(position, 0.0) + weight
        best_positions = sorted(scores, key=scores.__getitem__, reverse=True)[:k]
        return [Hit(p, scores[p], covered[p] / total) for p in best_positions]


class Unit:
    """One thing the visitor said: their own term, and what else may stand for it (a typo's
    correction, the other language's word) at a lower factor. ``weight`` < 1 for words carried
    over from an earlier message of the conversation."""

    __slots__ = ("term", "alternatives", "weight")

    def __init__(self, term: str, weight: float = 1.0) -> None:
        self.term = term
        self.alternatives: dict[str, float] = {term: 1.0}
        self.weight = weight

    def add(self, term: str, factor: float) -> None:
        if factor > self.alternatives.get(term, 0.0):
            self.alternatives[term] = factor

    def __repr__(self) -> str:
        return f"Unit({self.alternatives}, weight={self.weight})"
