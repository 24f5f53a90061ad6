"""Score the bot's retrieval against labelled questions: the owner's test questions
(``kefu kb eval``, the admin API) and the benchmark's labelled sets use this one scorer.

A case says what a visitor asks (after what they asked before) and where the answer lives: a
document (its title or file name) and optionally a section, or nothing at all: then the
knowledge base does not hold the answer and the bot must decline.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence

import msgspec

from .retriever import Passage

__all__ = [
    "Expected",
    "EvalCase",
    "CaseResult",
    "EvalReport",
    "evaluate",
    "summarize",
    "matches",
]


class Expected(msgspec.Struct, frozen=True):
    document: str  # the document's title or file name
    section: str = ""  # its section heading; empty: anywhere in the document


class EvalCase(msgspec.Struct, frozen=True, kw_only=True):
    question: str
    expect: list[Expected] | None  # None: the answer is not in the knowledge base
    history: list[str] = []  # the visitor's earlier messages in the same conversation
    id: str = ""
    tag: str = ""


class CaseResult(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    question: str
    tag: str
    expected: list[Expected] | None
    cited: list[Expected]  # what the answer would cite ([]: the bot declines)
    ranked: list[Expected]  # the best three grounded passages
    hit_at_1: bool
    hit_at_3: bool
    cited_right: int = 0  # how many of ``cited`` are a right passage


class EvalReport(msgspec.Struct, frozen=True, kw_only=True):
    cases: int
    answerable: int
    absent: int
    hit_at_1: float  # answerable: the first citation is the right passage
    hit_at_3: float  # answerable: every right passage is among the best three
    decline_precision: float  # of the declines, the share that were right to decline
    decline_recall: float  # of the absent facts, the share declined (no passage shown)
    citation_precision: float  # of all citations shown, the share from a right passage
    score: float  # share of cases fully right: the owner's one number
    results: list[CaseResult]

    def failures(self) -> list[CaseResult]:
        return [r for r in self.results if not (r.hit_at_1 and r.hit_at_3)]


def _norm(text: str) -> str:
    return " ".join(text.casefold().split())


def matches(passage: Passage, expected: Expected) -> bool:
    """Is ``passage`` where ``expected`` says the answer lives?"""
    document = _norm(expected.document)
    if document not in (_norm(passage.title), _norm(passage.source)):
        return False
    return not expected.section or _norm(passage.heading.split(" > ")[-1]) == _norm(
        expected.section
    )


def _label(passage: Passage) -> Expected:
    return Expected(passage.source or passage.title, passage.heading.split(" > ")[-1])


#: (question, earlier visitor messages) -> (passages the answer cites, best grounded passages)
Answerer = Callable[[str, list[str]], Awaitable[tuple[list[Passage], list[Passage]]]]


async def evaluate(answer: Answerer, cases: Sequence[EvalCase]) -> EvalReport:
    results: list[CaseResult] = []
    for case in cases:
        cited, ranked = await answer(case.question, list(case.history))
        ranked = ranked[:3]
        right = 0
        if case.expect is None:
            hit1 = hit3 = not cited
        else:
            hit1 = bool(cited) and any(matches(cited[0], e) for e in case.expect)
            hit3 = all(any(matches(p, e) for p in ranked) for e in case.expect)
            right = sum(any(matches(p, e) for e in case.expect) for p in cited)
        results.append(
            CaseResult(
                id=case.id,
                question=case.question,
                tag=case.tag,
                expected=case.expect,
                cited=[_label(p) for p in cited],
                ranked=[_label(p) for p in ranked],
                hit_at_1=hit1,
                hit_at_3=hit3,
                cited_right=right,
            )
        )
    return summarize(results)


def summarize(results: list[CaseResult]) -> EvalReport:
    """The report over ``results`` (one evaluation's, or several put together)."""
    answerable = [r for r in results if r.expected is not None]
    absent = [r for r in results if r.expected is None]
    declined = [r for r in results if not r.cited]

    def share(part: int, whole: int) -> float:
        return round(part / whole, 4) if whole else 1.0

    return EvalReport(
        cases=len(results),
        answerable=len(answerable),
        absent=len(absent),
        hit_at_1=share(sum(r.hit_at_1 for r in answerable), len(answerable)),
        hit_at_3=share(sum(r.hit_at_3 for r in answerable), len(answerable)),
        decline_precision=share(sum(r.expected is None for r in declined), len(declined)),
        decline_recall=share(sum(not r.cited for r in absent), len(absent)),
        citation_precision=share(
            sum(r.cited_right for r in results), sum(len(r.cited) for r in results)
        ),
        score=share(sum(r.hit_at_1 and r.hit_at_3 for r in results), len(results)),
        results=results,
    )
