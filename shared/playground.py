"""The owner's playground: what the bot would do with a question, and why — without a visitor,
a conversation or a stored message. The same steps as a bot turn (handoff rules, refusal of
steering, retrieval, grounding, the model through the gateway's concurrency limit, the sentence
support check, citations), minus the answer cache and plugins."""

from __future__ import annotations

import msgspec

from .bot import DONT_KNOW, Bot, support_check, unanswered_note
from .conversations.asks_human import asks_again
from .conversations.injection import REFUSAL, refusal_kind
from .conversations.rules import TenantSettings
from .kb.retriever import Passage
from .kb.tokenize import detect_language
from .llm.base import ModelError, ModelRequest, Turn
from .llm.prompt import declines
from .llm.support import supported_sentences
from .llm.tools import ToolCall

__all__ = ["Preview", "PreviewPassage", "preview"]


class PreviewPassage(msgspec.Struct, frozen=True, kw_only=True):
    document_id: str
    title: str
    heading: str
    text: str
    score: float  # retrieval rank score
    coverage: float  # share of the question's words the passage holds
    similarity: float  # meaning (cosine), 0 without an embedder
    grounded: bool  # the answer may stand on it
    cited: bool  # the answer cites it
    across: bool = False  # in the other language than the question (its bars are lower)
    #: How far its meaning stands out from the rest of the knowledge base (standard deviations
    #: above the mean passage's similarity); None without an embedder or with few passages.
    standing: float | None = None


class Preview(msgspec.Struct, frozen=True, kw_only=True):
    question: str
    language: str
    outcome: str  # answer | decline | handoff | refuse
    reason: str  # a stable code: grounded, no_grounding, model_declined, visitor_asked, …
    explanation: str  # the same, for a person
    #: The bars: coverage, similarity (either grounds), floor (never under); across: how much
    #: lower both similarity bars are for a passage in the other language; stands_out (with the
    #: built-in embedder): how far the best passage must stand out from the rest.
    needs: dict[str, float]
    answer: str
    passages: list[PreviewPassage]
    unknown_names: list[str] = []  # names asked about that the knowledge base never mentions


async def preview(
    bot: Bot,
    settings: TenantSettings,
    tenant_id: str,
    question: str,
    history: list[str],
) -> Preview:
    language = settings.answer_language(detect_language(question))
    bars = await bot.bars(tenant_id)

    stands_on: list[Passage] = []  # the grounded passages, once known

    unknown: list[str] = []

    def done(outcome: str, reason: str, explanation: str, answer: str = "", found=(), cited=()):
        # What the answer stands on, once grounding has run (beside an ask about a name never
        # mentioned too); before it, what the bars let ground — but nothing where a name the
        # knowledge base never mentions declines the question, whatever the bars say.
        if stands_on or unknown:
            grounded = {p.chunk_id for p in stands_on}
        else:
            grounded = {p.chunk_id for p in bot.grounded(list(found), bars)}
        used = {p.chunk_id for p in cited}
        return Preview(
            needs={
                "coverage": bars.min_coverage,
                "similarity": bars.grounds,
                "floor": bars.floor,
                "across": bars.across,
                **({} if bars.stands_out is None else {"stands_out": bars.stands_out}),
            },
            question=question,
            language=language,
            outcome=outcome,
            reason=reason,
            explanation=explanation,
            answer=answer,
            passages=[_passage(p, p.chunk_id in grounded, p.chunk_id in used) for p in found],
            unknown_names=unknown,
        )

    if settings.handoff.matches_phrase(question):
        return done("handoff", "tenant_rule", "It contains one of your handoff phrases.")
    if await bot.asks_for_person(question):
        return done("handoff", "visitor_asked", "The visitor asks for a person.")
    if history and asks_again(question, history[-1]):
        return done("handoff", "asked_again", "The visitor asks again what the bot just answered.")
    if refusal_kind(question) is not None:
        return done(
            "refuse", "steering", "It tries to steer the bot off its job.", REFUSAL[language]
        )
    found = await bot.search(tenant_id, question, 6, history)
    # As a bot turn grounds it (a question asking two things: a passage for each ask).
    grounded, answered, unanswered, names = await bot.grounding(tenant_id, question, history)
    unknown.extend(names)
    stands_on.extend(grounded)
    shown = {p.chunk_id for p in found}
    found += [p for p in grounded if p.chunk_id not in shown]
    if not grounded:
        if unknown:
            why = (
                f"It asks about {', '.join(unknown)}, which the knowledge base never mentions: "
                "add it, and the bot can answer."
            )
            return done("decline", "unknown_name", why, DONT_KNOW[language], found)
        best = found[0] if found else None
        grounds, floor = bars.for_passage(best) if best is not None else (0.0, 0.0)
        if best is None:
            why = "No passage in the knowledge base."
        elif best.similarity and best.similarity < floor:
            why = (
                f"The best passage's meaning is only {best.similarity:.2f} close to the "
                f"question's (at least {floor:.2f} is needed)."
            )
        elif bars.holds(best) and not bars.stands_out_from_the_rest(best):
            why = (
                f"The best passage is no nearer the question than much of the knowledge base: it "
                f"stands {best.standing:.1f} standard deviations above the average passage "
                f"(at least {bars.stands_out:.1f} is needed), so the answer is probably not there."
            )
            return done("decline", "not_distinct", why, DONT_KNOW[language], found)
        else:
            why = (
                f"The best passage holds {best.coverage:.0%} of the question's words (needs "
                f"{bars.min_coverage:.0%}) and its meaning is {best.similarity:.2f} close (needs "
                f"{grounds:.2f})."
            )
        return done("decline", "no_grounding", why, DONT_KNOW[language], found)
    request = ModelRequest(
        tenant_id=tenant_id,
        question=answered,
        unanswered=unanswered,
        language=language,
        passages=grounded,
        history=[Turn("visitor", h) for h in history],
        persona=settings.persona,
        temperature=settings.model.temperature,
        max_tokens=settings.model.max_tokens,
    )
    gateway = await bot.gateway_for(tenant_id)
    check = support_check(request)
    dropped: list[str] = []
    parts: list[str] = []
    try:
        async for piece in supported_sentences(gateway.stream(request), check, dropped):
            if not isinstance(piece, ToolCall):
                parts.append(piece)
    except ModelError as exc:
        return done("decline", "model_failed", f"The model failed: {exc}", "", found)
    text = "".join(parts).strip()
    visible = gateway.model.shown(text).strip()  # the passage marks are for the citations
    if not visible or declines(text) or any(declines(s) for s in dropped):
        return done(
            "decline",
            "model_declined",
            "The model read the passages and found no answer in them.",
            visible or DONT_KNOW[language],
            found,
        )
    why = "Grounded in the passages marked."
    if unanswered:
        why += (
            f" It also asks about {', '.join(unanswered)}, which the knowledge base never "
            "mentions: the answer says so (add it, and the bot can answer)."
        )
        visible += unanswered_note(unanswered, language)
    return done(
        "answer", "grounded", why, visible, found, bot.supporting(text, grounded, gateway.model)
    )


def _passage(p: Passage, grounded: bool, cited: bool) -> PreviewPassage:
    return PreviewPassage(
        document_id=p.document_id,
        title=p.title,
        heading=p.heading,
        text=p.text,
        score=round(p.score, 4),
        coverage=round(p.coverage, 4),
        similarity=round(p.similarity, 4),
        grounded=grounded,
        cited=cited,
        across=p.across,
        standing=p.standing,
    )
