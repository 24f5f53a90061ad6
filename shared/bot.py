"""The bot turn: retrieve, decide whether the answer is grounded, stream it, store it.

visitor message (stored) -> KB passages -> model stream through the gateway (cache, coalescing,
bounded queue; deltas to listeners) -> final message stored once with its citations ->
published. With no grounded passage the bot says it doesn't know and offers a human instead of
inventing. A model that fails, is busy, or is abandoned never leaves a half answer as final: the
final message (same id as the deltas) says what happened in the visitor's language.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
import weakref
from collections.abc import AsyncIterator, Callable
from typing import Any, NamedTuple

import msgspec

from . import observability
from .analytics.unanswered import Unanswered
from .bus import Bus
from .conversations.asks_human import NearestRequests, asks_again, without_declined_person
from .conversations.asks_human import warm_up as warm_request_rules
from .conversations.events import Publisher, listeners_key
from .conversations.handoff import Handoff, read_wants_human
from .conversations.injection import REFUSAL, refusal_kind
from .conversations.rules import TenantSettings
from .conversations.store import ConversationRow, ConversationStore, NotAppended
from .kb.embed import Similarity, as_asked
from .kb.query import question_parts
from .kb.retriever import Passage, Retriever, answering
from .kb.tokenize import base_language, detect_language
from .llm.base import ChatModel, ModelError, ModelRequest, Turn
from .llm.gateway import ModelGateway
from .llm.prompt import declines, supported_by
from .llm.support import SupportCheck, sentences, supported_sentences
from .llm.support import warm_up as warm_support_check
from .llm.tenants import TenantModels
from .llm.tools import ToolCall
from .metrics import BOT_ANSWERS
from .plugins.step import PLUGIN_FAILED, PluginStep
from .redact import redact
from .schemas import Citation, MessageOut
from .tasks import cancel_and_wait
from .texts import Texts
from .turns import TurnLeases

__all__ = ["Bot", "Bars", "DONT_KNOW", "MODEL_FAILED", "MODEL_BUSY", "INTERRUPTED"]

log = logging.getLogger("kefu.bot")

DONT_KNOW = Texts(
    en="I'm sorry, I couldn't find an answer to that in our help center. "
    "Would you like to talk to a human agent?",
    zh="抱歉，我在帮助中心没有找到相关答案。需要为您转接人工客服吗？",
)
NOT_FOUND_ABOUT = Texts(
    en="I couldn't find anything about {names} in our help center.",
    zh="帮助中心里没有找到关于 {names} 的内容。",
)
MODEL_FAILED = Texts(
    en="Sorry, I'm having trouble answering right now. Please try again, or ask for a human agent.",
    zh="抱歉，我暂时无法回答。请稍后再试，或转接人工客服。",
)
MODEL_BUSY = Texts(
    en="I'm answering a lot of questions right now. Please ask again in a moment, "
    "or ask for a human agent.",
    zh="当前咨询人数较多，请稍后再问一次，或转接人工客服。",
)
INTERRUPTED = Texts(
    en="My answer was interrupted because the chat was closed. Ask again and I'll answer.",
    zh="由于聊天窗口已关闭，回答被中断。请再问一次，我会继续为您解答。",
)


def support_check(request: ModelRequest) -> SupportCheck:
    """What holds the model's sentences to the passages: the question as asked, with the names
    of any ask left out of it (what the model says of those is left out too)."""
    return SupportCheck(
        " ".join([request.question, *request.unanswered]),
        [f"{p.heading}\n{p.text}" for p in request.passages],
    )


def unanswered_note(names: tuple[str, ...], language: str) -> str:
    """What ends an answer that left out the asks about ``names`` (never mentioned by the
    knowledge base), with the blank line before it."""
    if language.startswith("zh"):
        joined = "、".join(names)
    else:  # "Bitcoin", "Bitcoin or PayPal", "Bitcoin, Venmo or PayPal"
        joined = " or ".join([", ".join(names[:-1]), names[-1]] if len(names) > 1 else names)
    return "\n\n" + NOT_FOUND_ABOUT[language].format(names=joined)


#: Notices that ask the visitor to try again: asking again after one is doing as told.
_TRY_AGAIN = (PLUGIN_FAILED, MODEL_FAILED, MODEL_BUSY, INTERRUPTED)


def _said_dont_know(answer: str) -> bool:
    return answer in DONT_KNOW.every() or declines(answer)


#: Cosine similarity (built-in embedder) at which two opening questions are one question.
PARAPHRASE_BAR = 0.97


class Grounding(NamedTuple):
    """What a question's answer stands on: ``passages`` (none: the bot doesn't know); the
    ``question`` as it is answered — without its asks about names the knowledge base never
    mentions, which are ``unanswered`` (the visitor is told so). ``unknown``: those names,
    whether or not anything else was answered (a question about them alone is declined)."""

    passages: list[Passage]
    question: str
    unanswered: tuple[str, ...] = ()
    unknown: tuple[str, ...] = ()


class Bars(NamedTuple):
    """How sure the bot must be to answer from a passage."""

    min_coverage: float  # share of the question's words the passage holds, or …
    grounds: float  # … a similarity in meaning (embeddings) that grounds by itself
    floor: float  # with embeddings, never a passage further in meaning than this
    across: float = 0.0  # both similarity bars this much lower for the other language's passage
    stands_out: float | None = None  # with embeddings, how far the passage stands out at least

    def for_passage(self, passage: Passage) -> tuple[float, float]:
        """(grounds, floor) for ``passage``: a passage in the other language (a Chinese
        question, an English help centre) is held to bars lowered by how much lower the
        embedder reads the same closeness across languages."""
        shift = self.across if passage.across else 0.0
        return self.grounds - shift, self.floor - shift

    def holds(self, passage: Passage) -> bool:
        """Enough of the question's words, or (with embeddings) close enough in meaning; and
        with embeddings, never a passage whose meaning is far from the question's."""
        grounds, floor = self.for_passage(passage)
        if passage.similarity and passage.similarity < floor:
            return False
        return passage.coverage >= self.min_coverage or passage.similarity >= grounds

    def stands_out_from_the_rest(self, passage: Passage) -> bool:
        """With embeddings, the best passage must stand out from the rest of the knowledge base
        (:attr:`Passage.standing`) or hold every word of the question: where the passage that
        answers is missing, the best one left is near the question only as the whole knowledge
        base is. (拆线要钱吗 to an English clinic: every word of it meets the right passage
        through the dictionary, while in meaning that passage stands below the mean.)"""
        standing, least = passage.standing, self.stands_out
        return standing is None or least is None or standing >= least or passage.coverage >= 1.0


class _VisitorLeft(Exception):
    pass


def _said_by_visitor(call: ToolCall, request: ModelRequest) -> bool:
    """Did the visitor write every required argument of the model's tool call (an order id, a
    city) in this conversation? Optional ones (a handoff's reason) are the model's own words."""
    schema = next(
        (t["function"].get("parameters", {}) for t in request.tools
         if t["function"]["name"] == call.name),
        {},
    )  # fmt: skip
    said = " ".join(
        [request.question, *(t.content for t in request.history if t.role == "visitor")]
    ).casefold()
    for name in schema.get("required", ()):
        value = call.arguments.get(name)
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            continue  # flags and structures are checked by the plugin's own schema
        text = str(value).strip().casefold()
        if text and text not in said:
            return False
    return True


def _cleaned(text: str) -> str:
    """What is searched: contact details never match a help article, nor words that decline a
    person ("no need for an agent, …"); left in, they only dilute the match."""
    return without_declined_person(redact(text, "", ""))


class Bot:
    def __init__(
        self,
        store: ConversationStore,
        publisher: Publisher,
        retriever: Retriever,
        gateway: ModelGateway,
        bus: Bus,
        *,
        handoffs: Handoff | None = None,
        plugins: PluginStep | None = None,
        turns: TurnLeases | None = None,
        unanswered: Unanswered | None = None,
        models: TenantModels | None = None,
        min_coverage: float,
        similarity: Similarity | None = None,
        persona: str = "",
        history_turns: int = 8,
        leave_check_s: float = 1.0,
    ) -> None:
        self._store = store
        self._publisher = publisher
        self._retriever = retriever
        self._gateway = gateway
        self._models = models
        self._bus = bus
        self._handoffs = handoffs
        self._plugins = plugins
        self._turns = turns
        self._unanswered = unanswered
        self._min_coverage = min_coverage
        self._similarity = similarity or Similarity()
        self._persona = persona
        self._history_turns = history_turns
        self._leave_check_s = leave_check_s
        self._nearest_requests = NearestRequests.for_embedder(retriever.embedder)
        # The warm-up run after start-up (set by the app): until it is done, a turn waits for it
        # rather than load the same dictionaries itself on the event loop (one such first turn
        # held the loop for 1.1 s).
        self.warming: asyncio.Future | None = None
        # Opening questions asked lately, by what they stand on: (embedding, cache key).
        self._openers: dict[tuple, list[tuple[Any, str]]] = {}
        # One turn at a time per conversation in this process: answers never interleave.
        self._turn_locks: weakref.WeakValueDictionary[str, asyncio.Lock] = (
            weakref.WeakValueDictionary()
        )

    async def _warm(self) -> None:
        if self.warming is not None and not self.warming.done():
            # (a warm-up that failed is done too: the turn then loads what it needs itself)
            await asyncio.wait([self.warming])

    def warm_up(self) -> None:
        """Load what reading questions needs (a worker thread, after start-up)."""
        self._retriever.warm_up()
        warm_support_check()
        warm_request_rules()
        if self._nearest_requests is not None:
            self._nearest_requests.warm_up()

    async def asks_for_person(self, text: str, *, bot_offered_human: bool = False) -> bool:
        """The visitor asks for a person: by the word rules, or (built-in embedder) by being
        nearer to a labelled request than to anything else."""
        await self._warm()
        if await read_wants_human(text, bot_offered_human=bot_offered_human):
            return True
        if self._nearest_requests is None or not self._nearest_requests.long_enough(text):
            return False
        vector = await self._retriever.question_vector(text)
        return vector is not None and await self._nearest_requests.is_request(text, vector)

    @property
    def gateway(self) -> ModelGateway:
        """The deployment's model."""
        return self._gateway

    async def gateway_for(self, tenant_id: str) -> ModelGateway:
        """The model that answers for this tenant: the owner's own server, or the deployment's."""
        return await self._models.gateway(tenant_id) if self._models else self._gateway

    @property
    def default_bars(self) -> Bars:
        """The deployment's bars (KEFU_KB_MIN_COVERAGE, the embedder's similarity bars)."""
        similarity = self._similarity
        return Bars(
            self._min_coverage, similarity.grounds, similarity.floor, similarity.across,
            similarity.stands_out,
        )  # fmt: skip

    async def bars(self, tenant_id: str) -> Bars:
        """How sure the bot must be to answer for this tenant: the deployment's bars, with the
        owner's own (settings ``answering``) where set."""
        own, default = (await self._tenant_settings(tenant_id)).answering, self.default_bars
        return default._replace(
            min_coverage=default.min_coverage if own.min_coverage is None else own.min_coverage,
            grounds=default.grounds if own.min_similarity is None else own.min_similarity,
        )

    async def grounded_passages(
        self, tenant_id: str, question: str, history: list[str] | None = None
    ) -> list[Passage]:
        return (await self.grounding(tenant_id, question, history)).passages

    async def grounding(
        self, tenant_id: str, question: str, history: list[str] | None = None
    ) -> Grounding:
        """The passages the answer may stand on, best first (none: the bot doesn't know); and,
        of a question that also asks about names the knowledge base never mentions, those names
        and the asks that are answered."""
        await self._warm()
        bars = await self.bars(tenant_id)
        asks = question_parts(question)
        unknown = tuple(await self.unknown_names(tenant_id, question))
        if unknown:
            # It asks about something the knowledge base never names: that ask goes unanswered.
            # Of a question that asks several things ("Can I pay with PayPal, and how long does
            # delivery take?"), the others are still answered, as any ask no passage grounds.
            known = [a for a in asks if not await self.unknown_names(tenant_id, a)]
            if not known or len(known) == len(asks):
                return Grounding([], question, unknown=unknown)
            asks, question = known, " ".join(known)
        passages = await self._grounded_asks(tenant_id, question, asks, bars, history)
        return Grounding(passages, question, unknown if passages else (), unknown)

    async def _grounded_asks(
        self,
        tenant_id: str,
        question: str,
        asks: list[str],
        bars: Bars,
        history: list[str] | None,
    ) -> list[Passage]:
        whole = self.grounded(await self.search(tenant_id, question, 6, history), bars)
        if len(asks) < 2:
            return whole
        # It may ask more than one thing ("What does boarding cost and do you trim nails?"):
        # each ask is searched on its own words (read after the asks before it: "… And what
        # does it cost?") and the whole question's meaning. One need said twice ("我的包裹到哪
        # 了，怎么查快递单号") finds one passage for both: nothing is added.
        each = await self._retriever.search_asks(
            tenant_id,
            _cleaned(question),
            [_cleaned(a) for a in asks],
            6,
            [_cleaned(h) for h in history or ()],
        )
        grounded_each = [g for g in (self.grounded(f, bars) for f in each) if g]
        answer = whole or (grounded_each[0] if grounded_each else [])
        # The best passage for the whole question leads (it is right more often than any one
        # ask's); an ask whose own best passage is another adds it, marked for quoting.
        chosen = answer[:1]
        for found in grounded_each:
            if all(found[0].chunk_id != c.chunk_id for c in chosen):
                chosen.append(msgspec.structs.replace(found[0], part=len(chosen)))
        ids = {c.chunk_id for c in chosen}
        return chosen + [p for p in answer if p.chunk_id not in ids]

    async def unknown_names(self, tenant_id: str, question: str) -> list[str]:
        """Names the question asks about (PayPal, Evernote) that the knowledge base never
        mentions: the bot says it doesn't know rather than answer from a passage about
        something else. The business's own name is known, written in its FAQ or not."""
        unknown = await self._retriever.unknown_names(tenant_id, _cleaned(question))
        if unknown and self._handoffs is not None:
            own = (await self._handoffs.rules.name(tenant_id)).casefold()
            unknown = [word for word in unknown if word.casefold() not in own]
        return unknown

    async def answer_sources(
        self, tenant_id: str, question: str, history: list[str]
    ) -> tuple[list[Passage], list[Passage]]:
        """(the passages an answer would cite, the grounded passages best first) for a visitor
        who asks ``question`` after ``history``: what the knowledge-base evaluation scores."""
        grounded = await self.grounded_passages(tenant_id, question, history)
        return self.supporting("", grounded) if grounded else [], grounded

    async def search(
        self, tenant_id: str, question: str, k: int, history: list[str] | None = None
    ) -> list[Passage]:
        return await self._retriever.search(
            tenant_id, _cleaned(question), k=k, history=[_cleaned(h) for h in history or ()]
        )

    def grounded(self, found: list[Passage], bars: Bars) -> list[Passage]:
        """Of the passages found, those the answer may stand on (none: the bot doesn't know)."""
        # Passages compete in whatever language they are written: a help centre mixing
        # languages answers "How much is Pro?" from "Pro 版：¥18/月".
        passages = found[:3]
        if not passages or not bars.holds(passages[0]):
            return []
        if not bars.stands_out_from_the_rest(passages[0]):
            return []
        # Keep only passages close to the best one: those are what the answer stands on.
        floor = passages[0].score * 0.5
        return [p for p in passages if bars.holds(p) and (p.score >= floor or p.similarity)]

    async def respond(
        self, conversation: ConversationRow, question: MessageOut, owner: str | None = None
    ) -> MessageOut | None:
        """Answer one visitor message; None when the bot no longer holds the conversation.

        One turn at a time per conversation: in this process (a lock) and across replicas
        (a lease, renewed while the turn runs; ``owner`` when the caller already holds it)."""
        observability.conversation_id.set(conversation.id)  # this turn's log lines carry it
        lock = self._turn_locks.get(conversation.id)
        if lock is None:
            lock = self._turn_locks[conversation.id] = asyncio.Lock()
        async with lock:
            if self._turns is None:
                return await self._respond(conversation, question)
            async with self._turns.held(conversation.id, owner):
                return await self._respond(conversation, question)

    async def recover(self, conversation: ConversationRow) -> bool:
        """Answer a question left unanswered by a replica that stopped mid-turn (if any)."""
        if self._turns is None:
            return False
        return await self._turns.recover(conversation, self._store, self.respond)

    async def recover_stranded(self, conversation: ConversationRow) -> bool:
        """Answer the question of a turn whose replica stopped renewing it (the sweeper's)."""
        if self._turns is None:
            return False
        return await self._turns.recover(
            conversation, self._store, self.respond, min_age_s=0, attempts=3
        )

    async def _respond(
        self, conversation: ConversationRow, question: MessageOut
    ) -> MessageOut | None:
        cid = conversation.id
        await self._warm()
        history = await self._history(cid, question.seq)
        tenant = await self._tenant_settings(conversation.tenant_id)
        language = tenant.answer_language(detect_language(question.content))
        gateway = await self.gateway_for(conversation.tenant_id)
        if self._handoffs is not None:
            reason = await self._handoff_reason(conversation, question, history)
            if reason is not None:
                # Decided by rules, never by parsing model text: the bot steps aside.
                await self._handoffs.request(conversation, reason, language)
                BOT_ANSWERS.labels("handoff").inc()
                return None
        # "The bot is typing" goes out while retrieval runs, not before it.
        typing = asyncio.create_task(self._publisher.typing(cid, "bot", True))
        # Steering the bot off its job gets a polite refusal: no plugin, no model, no passage.
        refused = refusal_kind(question.content) is not None
        plugin = None
        if self._plugins is not None and not refused:
            plugin = await self._plugins.run(
                conversation.tenant_id,
                cid,
                question.content,
                language,
                redact_pii=tenant.redact_pii,
            )
        if plugin is not None and not (plugin.passage or plugin.failure or plugin.handoff_reason):
            plugin = None  # the plugin had nothing to say here: answer from the knowledge base
        if plugin is not None and plugin.handoff_reason and self._handoffs is not None:
            await typing
            await self._handoffs.request(conversation, plugin.handoff_reason, language)
            BOT_ANSWERS.labels("handoff").inc()
            return None
        asked = question.content
        unanswered: tuple[str, ...] = ()
        if refused:
            passages = []
        elif plugin is not None and plugin.passage is not None:
            passages = [plugin.passage]  # the answer stands on what the plugin said
        elif plugin is None:
            # (What it asks about names no passage mentions is not asked.)
            passages, asked, unanswered, _ = await self.grounding(
                conversation.tenant_id,
                question.content,
                [t.content for t in history if t.role == "visitor"],
            )
        else:
            passages = []
        tools: list[dict] = []
        if (
            not refused
            and plugin is None
            and self._plugins is not None
            and gateway.model.supports_tools
        ):
            # A model that chooses tools decides itself whether a plugin should answer.
            tools = await self._plugins.tools(conversation.tenant_id)
        message_id = str(uuid.uuid4())
        await typing
        if refused:
            text, kind = REFUSAL[language], "refused"
        elif plugin is not None and plugin.failure:
            text, kind = plugin.failure, "plugin_failed"
        elif not passages and not tools:
            text, kind = DONT_KNOW[language], "dont_know"
        else:
            private = redact if tenant.redact_pii else str
            request = ModelRequest(
                tenant_id=conversation.tenant_id,
                question=private(asked),
                unanswered=unanswered,
                language=language,
                passages=passages,
                history=[Turn(t.role, private(t.content)) for t in history],
                persona=tenant.persona or self._persona,
                temperature=tenant.model.temperature,
                max_tokens=tenant.model.max_tokens,
                tools=tools,
            )
            # A plugin's answer is live data: never cached.
            text, kind, used = await self._answer(
                conversation,
                message_id,
                request,
                gateway,
                cacheable=plugin is None,
                redact_pii=tenant.redact_pii,
            )
            if kind == "handoff" and self._handoffs is not None:
                await self._handoffs.request(conversation, "plugin", language)
                BOT_ANSWERS.labels("handoff").inc()
                return None
            if used is not None:
                passages = [used, *passages]
            if kind == "grounded" and plugin is not None:
                kind = "plugin"
            if kind not in ("grounded", "cached", "plugin"):
                passages = []
            elif used is None:
                passages = self.supporting(text, passages, gateway.model)
            # What the visitor reads (and was streamed): the passage marks were for the line
            # above. An answer that was nothing but marks ("[1]") said nothing.
            text = gateway.model.shown(text).strip()
            if not text:
                text, kind, passages = DONT_KNOW[language], "dont_know", []
            elif unanswered and kind in ("grounded", "cached"):
                # The visitor is told what went unanswered, not left to think it was.
                note = unanswered_note(unanswered, language)
                await self._publisher.delta(cid, message_id, note)
                text += note
        BOT_ANSWERS.labels(kind).inc()
        citations = [
            Citation(
                document_id=p.document_id,
                title=p.heading or p.title,
                source=p.source,
                chunk_id=p.chunk_id,
                snippet=p.text[:200],
                score=round(p.score, 3),
            )
            for p in passages
        ]
        # The bot speaks only while it holds the conversation: a human may have taken over
        # while it was generating. The check is part of the statement that stores the answer.
        try:
            # One answer per question, however many turns answer it (a stranded turn's question
            # answered again elsewhere while its own replica's next turn waited): the store
            # keeps the first and refuses the rest.
            stored = await self._store.append(
                cid, "bot", text, citations=citations, message_id=message_id,
                only_if_status="bot", client_msg_id=f"answer-to:{question.id}",
            )  # fmt: skip
        except NotAppended:
            stored = None
        if stored is None or not stored.created:
            await self._publisher.typing(cid, "bot", False)
            return None
        await self._publisher.message(cid, stored.message, tenant_id=conversation.tenant_id)
        if (kind == "dont_know" or unanswered) and self._unanswered is not None:
            await self._note_unanswered(conversation, question.content, language)
        return stored.message

    async def _note_unanswered(
        self, conversation: ConversationRow, question: str, language: str
    ) -> None:
        """Keep the question for the owner's "unanswered" list; the answer already stands."""
        assert self._unanswered is not None
        try:
            await self._unanswered.record(
                # One list for both scripts: 運費 and 运费 questions group together.
                conversation.tenant_id,
                conversation.id,
                question,
                base_language(language),
            )
        except Exception:  # noqa: BLE001 - analytics must never fail a visitor's turn
            log.warning("could not record an unanswered question", exc_info=True)

    def supporting(
        self, text: str, passages: list[Passage], model: ChatModel | None = None
    ) -> list[Passage]:
        """The passages the answer stands on: the one quoted (retrieval-only), those the model
        (default: the deployment's) marked (``[2]``), else those whose words it repeats, else
        every passage it was given (it said nothing of which)."""
        used = (model or self._gateway.model).sources(text, passages)
        if not used and text:
            used = supported_by(text, [f"{p.heading}\n{p.text}" for p in passages])
        return [passages[i] for i in used] if used else passages

    async def _answer(
        self,
        conversation: ConversationRow,
        message_id: str,
        request: ModelRequest,
        gateway: ModelGateway,
        *,
        cacheable: bool = True,
        redact_pii: bool = False,
    ) -> tuple[str, str, Passage | None]:
        """(final text, kind, the plugin passage it used). kind: grounded | cached | plugin |
        plugin_failed | dont_know | handoff | failed | busy | interrupted."""
        cid = conversation.id
        text, kind, call = await self._generate(
            cid, message_id, request, gateway, cacheable=cacheable
        )
        if call is None:
            if kind == "grounded" and not request.passages:
                # Offered only tools and it chose none: nothing grounds an answer, so none.
                return DONT_KNOW[request.language], "dont_know", None
            return text, kind, None
        assert self._plugins is not None
        dont_know = DONT_KNOW[request.language], "dont_know"
        if call.name not in {t["function"]["name"] for t in request.tools}:
            # A tool it was never offered (a small model makes one up: "delete_account") can't
            # run: the call is dropped, and the passages answer if any ground the question.
            return await self._without_tools(cid, message_id, request, gateway, dont_know)
        if not _said_by_visitor(call, request):
            # The model may pick the tool, not the data: an order number the visitor never gave
            # (another customer's, or a guess) is not looked up. The tool wasn't theirs to
            # ask for: the passages answer, if any ground the question.
            failed = PLUGIN_FAILED[request.language], "plugin_failed"
            return await self._without_tools(cid, message_id, request, gateway, failed)
        outcome = await self._plugins.call(
            conversation.tenant_id,
            cid,
            call.name,
            call.arguments,
            request.language,
            redact_pii=redact_pii,
        )
        if outcome.handoff_reason:
            return "", "handoff", None
        if outcome.failure and outcome.malformed:
            # A call the plugin's schema refused never ran (a 1.5B model sent the tool's
            # schema as its arguments): the passages answer, as for a tool never offered.
            failed = outcome.failure, "plugin_failed"
            return await self._without_tools(cid, message_id, request, gateway, failed)
        if outcome.failure:
            return outcome.failure, "plugin_failed", None
        if outcome.passage is None:  # not applicable: answer from the passages alone
            return await self._without_tools(cid, message_id, request, gateway, dont_know)
        second = msgspec.structs.replace(
            request, passages=[outcome.passage, *request.passages], tools=[]
        )
        text, kind, _ = await self._generate(cid, message_id, second, gateway, cacheable=False)
        return text, "plugin" if kind == "grounded" else kind, outcome.passage

    async def _without_tools(
        self,
        cid: str,
        message_id: str,
        request: ModelRequest,
        gateway: ModelGateway,
        otherwise: tuple[str, str],
    ) -> tuple[str, str, Passage | None]:
        """The model again, offered no tool: an answer from the passages alone; ``otherwise``
        (text, kind) when no passage grounds the question."""
        if not request.passages:
            return *otherwise, None
        plain = msgspec.structs.replace(request, tools=[])
        text, kind, _ = await self._generate(cid, message_id, plain, gateway, cacheable=False)
        return text, kind, None

    async def _generate(
        self,
        cid: str,
        message_id: str,
        request: ModelRequest,
        gateway: ModelGateway,
        *,
        cacheable: bool,
    ) -> tuple[str, str, ToolCall | None]:
        """One model pass: (text, kind, the tool it asked for, if it asked for one)."""
        key = None
        check = support_check(request)
        # A question that opens the conversation stands on its own: its answer can be shared.
        if cacheable and not any(turn.role == "visitor" for turn in request.history):
            version = await self._retriever.version(request.tenant_id)
            key = await self._shared_key(request, version, gateway)
            cached = await gateway.cached(key)
            if cached is not None and all(check.supports(s) for s in sentences(cached)):
                await self._publisher.delta(cid, message_id, gateway.model.shown(cached))
                return cached, "cached", None
        dropped: list[str] = []
        try:
            # With no passage only a tool call can answer: any text the model writes instead
            # would be withdrawn for "I don't know", so none of it is streamed.
            text, call = await self._stream_while_someone_listens(
                cid, message_id, gateway.stream(request, key), check, dropped,
                publish=bool(request.passages), shown=gateway.model.shown,
            )  # fmt: skip
        except _VisitorLeft:
            return INTERRUPTED[request.language], "interrupted", None
        except ModelError as exc:
            if exc.code == "model_busy":
                return MODEL_BUSY[request.language], "busy", None
            log.warning("model failed for conversation %s: %s", cid, exc)
            return MODEL_FAILED[request.language], "failed", None
        if call is not None:
            return "", "tool", call
        if not text and dropped:
            # Everything it wrote was about something no passage mentions: nothing to show.
            return DONT_KNOW[request.language], "dont_know", None
        if not text:
            return MODEL_FAILED[request.language], "failed", None
        if declines(text) or any(declines(s) for s in dropped):
            # The model read the passages and says they don't answer (perhaps in a sentence
            # left out for naming what no passage mentions): a decline, cited on nothing,
            # counted towards offering a human.
            return text, "dont_know", None
        return text, "grounded", None

    async def _shared_key(self, request: ModelRequest, version: int, gateway: ModelGateway) -> str:
        """The key of an earlier opening question this one paraphrases, else its own: both then
        share one generation (in flight) and one cached answer. A paraphrase stands on the same
        best passage and its embedding is within PARAPHRASE_BAR of the other's (the labelled
        pairs of tests/data/kb_eval/paraphrases.json: the lowest bar that shares no
        different-ask pair; it shares 3 of 30 same-meaning pairs, beyond the 4 whose words
        already match). Remembered in this process."""
        key = gateway.cache_key(request, version)
        if not request.passages or as_asked(request.question) != request.question:
            # (a long question's meaning is read from its two ends: two that differ only in the
            # middle would look the same)
            return key
        vector = await self._retriever.question_vector(request.question)
        if vector is None:
            return key
        # Everything the cache key holds but the question, and the best passage (of each ask,
        # for a question that asks more than one thing).
        unworded = msgspec.structs.replace(request, question="")
        answers = tuple(request.passages[i].chunk_id for i in answering(request.passages))
        # (The key names the tenant's model: a question is never shared across models.)
        group = (gateway.cache_key(unworded, version), answers)
        seen = self._openers.pop(group, [])
        self._openers[group] = seen  # most recently used last
        if len(self._openers) > 4096:
            self._openers.pop(next(iter(self._openers)))
        for other, other_key in seen:
            if float(vector @ other) >= PARAPHRASE_BAR:
                return other_key
        seen.append((vector, key))
        del seen[:-16]
        return key

    async def _stream_while_someone_listens(
        self,
        cid: str,
        message_id: str,
        answer: AsyncIterator[str | ToolCall],
        check: SupportCheck,
        dropped: list[str],
        *,
        publish: bool,
        shown: Callable[[str], str],
    ) -> tuple[str, ToolCall | None]:
        """The answer: whole sentences the passages support (the others are left out, into
        ``dropped``), published as the visitor reads them (``shown``), or the tool the model
        asked for."""
        parts: list[str] = []
        calls: list[ToolCall] = []

        async def pump() -> None:
            # aclosing: if this task is cancelled mid-publish, the stream still closes now
            # (and with it the model's request), not whenever the collector gets to it.
            async with contextlib.aclosing(supported_sentences(answer, check, dropped)) as pieces:
                async for delta in pieces:
                    if isinstance(delta, ToolCall):
                        if publish and "".join(parts).strip():
                            # It already answered in words the visitor has seen: those stand
                            # (a call now would replace them with its own answer).
                            log.info("model asked for %s after answering: kept the answer",
                                     delta.name)  # fmt: skip
                            return
                        calls.append(delta)  # the model asks for a plugin: stop here
                        return
                    parts.append(delta)
                    if publish and (visible := shown(delta)):
                        await self._publisher.delta(cid, message_id, visible)

        task = asyncio.create_task(pump())
        watcher = None
        if await self._bus.presence_members(listeners_key(cid)):
            # Someone watched when the turn began: stop the model if every stream goes away.
            watcher = asyncio.create_task(self._watch_listeners(cid, task))
        try:
            await task
        except asyncio.CancelledError:
            if (
                watcher is not None
                and watcher.done()
                and not watcher.cancelled()
                and watcher.result()
            ):
                raise _VisitorLeft from None
            raise
        finally:
            if watcher is not None:
                await cancel_and_wait(watcher)
            if not task.done():
                task.cancel()
        return "".join(parts).strip(), calls[0] if calls else None

    async def _watch_listeners(self, cid: str, generation: asyncio.Task[None]) -> bool:
        absent = 0
        while not generation.done():
            await asyncio.sleep(self._leave_check_s)
            absent = 0 if await self._bus.presence_members(listeners_key(cid)) else absent + 1
            if absent >= 2:
                generation.cancel()
                return True
        return False

    async def _tenant_settings(self, tenant_id: str) -> TenantSettings:
        if self._handoffs is None:
            return TenantSettings()
        return await self._handoffs.rules.settings(tenant_id)

    async def _handoff_reason(
        self, conversation: ConversationRow, question: MessageOut, recent: list[Turn]
    ) -> str | None:
        """Why this message should go to a human instead of the bot, if it should."""
        assert self._handoffs is not None
        rules = await self._handoffs.rules.get(conversation.tenant_id)
        if rules.matches_phrase(question.content):
            return "tenant_rule"
        bot_turns = [t.content for t in recent if t.role == "bot"]
        offered = bool(bot_turns) and _said_dont_know(bot_turns[-1])
        if await self.asks_for_person(question.content, bot_offered_human=offered):
            return "visitor_asked"
        # The same question again right after the bot answered it: the answer didn't help. (Not
        # after a notice that asked them to try again: a lookup or the model failed, was busy.)
        if (
            len(recent) >= 2
            and (recent[-2].role, recent[-1].role) == ("visitor", "bot")
            and not any(recent[-1].content in notice.every() for notice in _TRY_AGAIN)
            and asks_again(question.content, recent[-2].content)
        ):
            return "asked_again"
        # Answers in a row without grounding: this bot can't help; a person might.
        limit = max(1, rules.ungrounded_limit)
        if len(bot_turns) >= limit and all(_said_dont_know(t) for t in bot_turns[-limit:]):
            return "ungrounded"
        return None

    async def _history(self, cid: str, before_seq: int) -> list[Turn]:
        start = max(0, before_seq - 1 - self._history_turns)
        messages = await self._store.after(cid, start, self._history_turns)
        return [Turn(m.role, m.content) for m in messages if m.seq < before_seq]
