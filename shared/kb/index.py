"""An in-memory BM25 inverted index over a tenant's passages.

Written here rather than taken from a library: retrieval needs our CJK-aware tokens, an index
rebuilt per tenant in milliseconds, and a *coverage* score (how much of the question's
information the best passage explains) to decide when the bot should admit it doesn't know.
"""

from __future__ import annotations

import math
from array import array
from collections import Counter
from collections.abc import Sequence

from .tokenize import CHAR_PREFIX

#: Single Chinese characters help recall but say less than words.
_CHAR_WEIGHT = 0.4

__all__ = ["Bm25Index", "Hit"]


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

    def search(self, query: Sequence[str], k: int = 3) -> list[Hit]:
        """Top ``k`` passages for the query terms, best first."""
        if not self._n or not query:
            return []
        terms = Counter(query)
        weights = {
            t: self.idf(t) * (_CHAR_WEIGHT if t.startswith(CHAR_PREFIX) else 1.0) for t in terms
        }
        total = sum(weights[t] * min(c, 2) for t, c in terms.items()) or 1.0
        scores: dict[int, float] = {}
        covered: dict[int, float] = {}
        for term, count in terms.items():
            idf = weights[term]
            entries = self._postings.get(term)
            if entries is None:
                continue
            for position, tf in zip(entries[0::2], entries[1::2], strict=True):
                norm = self._k1 * (1 - self._b + self._b * self._lengths[position] / self._avg)
                scores[position] = scores.get(position, 0.0) + idf * tf * (self._k1 + 1) / (
                    tf + norm
                )
                covered[position] = covered.get(position, 0.0) + idf * min(count, 2)
        best = sorted(scores, key=scores.__getitem__, reverse=True)[:k]
        return [Hit(p, scores[p], covered[p] / total) for p in best]
