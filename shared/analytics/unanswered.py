"""Questions the bot could not ground, grouped by meaning, and answered by owners in one step.

The bot records each question it says it doesn't know (with the question's embedding when the
built-in embedder runs). Owners read them grouped: two questions are one group when their
retrieval terms are the same (any order, word forms, thesaurus concepts: ``normalise_question``)
or their embeddings are within ``GROUP_BAR`` (``CROSS_LANGUAGE_BAR`` between an English and a
Chinese question: one embedding space holds both, so "Can I bring my dog into the store?" and
"可以带狗进店吗？" meet). Answering a group writes a knowledge-base entry
(the question as its heading, the owner's answer below) and marks the group's questions answered
by it; the next visitor asking gets that answer from the knowledge base.
"""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime, timedelta

import msgspec
import numpy as np

from ..db.engine import write_transaction
from ..db.tables import UnansweredQuestion
from ..llm.gateway import normalise_question

__all__ = [
    "Unanswered",
    "UnansweredGroup",
    "GROUP_BAR",
    "CROSS_LANGUAGE_BAR",
    "MAX_READ",
    "group_questions",
    "AskedQuestion",
]

#: Cosine similarity (built-in embedder) at which two unanswered questions are one group. On the
#: labelled pairs of tests/data/kb_eval/paraphrases.json (30 same-meaning, 30 same-topic but
#: different asks) 0.92 classifies the most pairs right (37 of 60; 0.90: 34, 0.93: 34): an owner
#: reading a group sees its examples, so a same-topic merge costs less than a split.
GROUP_BAR = 0.92
#: The same across languages: an English question and its Chinese twin embed further apart than
#: two English wordings (0.80-0.89 for one ask). On tests/data/kb_eval/cross_language_pairs.json
#: 0.85 was chosen on the first 10 pairs of each kind (8 of 10 same asks merged, 0 of 10
#: different ones) and scored on the other 10: 7 of 10 merged, 2 of 10 merged wrongly
#: (tests.bench.unanswered_groups).
CROSS_LANGUAGE_BAR = 0.85
#: The most recent unanswered questions read for grouping (a bounded, index-ordered read).
MAX_READ = 2000
_EXAMPLES = 5


class UnansweredGroup(msgspec.Struct, frozen=True, kw_only=True):
    """Questions that ask one thing: the most asked wording first."""

    question: str  # the representative wording: the most frequent, else the latest
    count: int
    examples: list[str]  # distinct wordings, most frequent first
    languages: list[str]
    question_ids: list[str]  # answering the group marks these answered
    last_asked_at: datetime


class AskedQuestion(msgspec.Struct, frozen=True):
    """One unanswered question as grouping reads it."""

    id: str
    question: str
    language: str
    vector: np.ndarray | None
    created_at: datetime


def group_questions(rows: list[AskedQuestion]) -> list[list[AskedQuestion]]:
    """Greedy single-pass grouping, newest first: a question joins the group whose first
    question shares its retrieval terms, or else the one whose first question's vector is
    closest, if within ``GROUP_BAR`` (``CROSS_LANGUAGE_BAR`` across languages); else it starts
    one."""
    groups: list[list[AskedQuestion]] = []
    keys: dict[str, int] = {}
    heads: list[np.ndarray] = []
    head_language: list[str] = []
    head_group: list[int] = []
    for row in rows:
        key = normalise_question(row.question)
        found = keys.get(key)
        if found is None and row.vector is not None and heads:
            bars = np.array(
                [
                    GROUP_BAR if lang == row.language else CROSS_LANGUAGE_BAR
                    for lang in head_language
                ]
            )
            margins = np.stack(heads) @ row.vector - bars
            best = int(np.argmax(margins))
            if margins[best] >= 0:
                found = head_group[best]
        if found is None:
            found = len(groups)
            groups.append([])
            if row.vector is not None:
                heads.append(row.vector)
                head_language.append(row.language)
                head_group.append(found)
        keys.setdefault(key, found)
        groups[found].append(row)
    return groups


def _summary(members: list[AskedQuestion]) -> UnansweredGroup:
    counts: dict[str, int] = {}
    for row in members:  # newest first: ties keep the latest wording first
        wording = " ".join(row.question.split())
        counts[wording] = counts.get(wording, 0) + 1
    wordings = sorted(counts, key=lambda w: -counts[w])
    return UnansweredGroup(
        question=wordings[0],
        count=len(members),
        examples=wordings[:_EXAMPLES],
        languages=sorted({r.language for r in members}),
        question_ids=[r.id for r in members],
        last_asked_at=members[0].created_at,
    )


class Unanswered:
    """Records what the bot could not answer; reads it grouped; marks groups answered."""

    def __init__(self, engine, vectors=None) -> None:
        """``vectors``: ``(text) -> (vector | None, model name)``, the retriever's question
        embedding, or None (grouping by words only)."""
        self.engine = engine
        self._vectors = vectors

    async def record(
        self, tenant_id: str, conversation_id: str, question: str, language: str
    ) -> None:
        vector, model = (None, "")
        if self._vectors is not None:
            vector, model = await self._vectors(question)
        async with write_transaction(self.engine):
            await UnansweredQuestion.insert(
                UnansweredQuestion(
                    id=uuid.uuid4(),
                    tenant=uuid.UUID(tenant_id),
                    conversation=uuid.UUID(conversation_id),
                    question=question[:2000],
                    language=language,
                    vector=vector.astype(np.float32).tobytes() if vector is not None else None,
                    vector_model=model,
                    created_at=datetime.now(UTC),
                )
            )

    async def groups(self, tenant_id: str, days: int, limit: int = 50) -> list[UnansweredGroup]:
        """The groups of the last ``days``, the most asked first."""
        since = datetime.now(UTC) - timedelta(days=days)
        raw = (
            await UnansweredQuestion.select(
                UnansweredQuestion.id,
                UnansweredQuestion.question,
                UnansweredQuestion.language,
                UnansweredQuestion.vector,
                UnansweredQuestion.vector_model,
                UnansweredQuestion.created_at,
            )
            .where(
                (UnansweredQuestion.tenant == uuid.UUID(tenant_id))
                & (UnansweredQuestion.created_at >= since)
                & (UnansweredQuestion.answered_by == "")
            )
            .order_by(UnansweredQuestion.created_at, ascending=False)
            .limit(MAX_READ)
        )
        # Vectors of one model only (the newest question's): another model's don't compare.
        model = next((r["vector_model"] for r in raw if r["vector"]), "")
        rows = [
            AskedQuestion(
                str(r["id"]),
                r["question"],
                r["language"],
                np.frombuffer(r["vector"], dtype=np.float32)
                if r["vector"] and r["vector_model"] == model
                else None,
                r["created_at"],
            )
            for r in raw
        ]
        groups = await asyncio.to_thread(group_questions, rows)
        summaries = [_summary(g) for g in groups]
        summaries.sort(key=lambda g: (-g.count, -g.last_asked_at.timestamp()))
        return summaries[:limit]

    async def mark_answered(self, tenant_id: str, question_ids: list[str], document_id: str) -> int:
        ids = []
        for qid in question_ids:
            try:
                ids.append(uuid.UUID(qid))
            except ValueError:
                continue
        if not ids:
            return 0
        async with write_transaction(self.engine):
            marked = (
                await UnansweredQuestion.update({UnansweredQuestion.answered_by: document_id})
                .where(
                    (UnansweredQuestion.tenant == uuid.UUID(tenant_id))
                    & UnansweredQuestion.id.is_in(ids)
                )
                .returning(UnansweredQuestion.id)
            )
        return len(marked)
