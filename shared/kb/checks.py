"""Owners' test questions for their knowledge base: kept per tenant, run after every change
to it (and on demand), each run stored with the kb_version it scored, so a KB edit that
breaks answers shows up as a lower score and a list of the questions it broke."""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING

import msgspec

from ..db.engine import write_transaction
from ..db.tables import KbCheck, KbCheckRun, Tenant, json_value
from ..errors import KefuError
from ..settings import Settings
from .embed import open_embedder
from .evaluate import EvalCase, EvalReport, Expected, evaluate
from .retriever import Passage, Retriever
from .store import KbStore

__all__ = ["KbChecks", "StoredCheck", "CheckRun", "MAX_CHECKS", "answering_bot"]

if TYPE_CHECKING:
    from ..bot import Bot

log = logging.getLogger("kefu.kb")

#: Checks a tenant may keep (each run asks them all).
MAX_CHECKS = 500
#: Runs kept per tenant.
_KEEP_RUNS = 20

Sources = Callable[[str, str, list[str]], Awaitable[tuple[list[Passage], list[Passage]]]]


def answering_bot(
    kb: KbStore, settings: Settings, embedder: str | None = None, model_embed=None
) -> tuple[Bot, Retriever]:
    """The bot as it answers from the knowledge base alone — reading the question, retrieval
    with the embedder ``KEFU_KB_EMBEDDER`` names (or ``embedder``), grounding, citations; no
    plugins, no model — and its retriever: what ``kefu kb eval`` and the quality benchmarks
    score. ``model_embed``: the model server's embeddings, for ``model``."""
    from ..bot import Bot
    from ..llm.gateway import ModelGateway
    from ..llm.retrieval import RetrievalOnlyModel

    vectors, similarity = open_embedder(
        embedder or settings.kb_embedder, model_embed, settings.kb_min_similarity
    )
    retriever = Retriever(kb, embedder=vectors)
    bot = Bot(
        None, None, retriever, ModelGateway(RetrievalOnlyModel(), None), None,  # type: ignore[arg-type]
        min_coverage=settings.kb_min_coverage,
        similarity=similarity,
    )  # fmt: skip
    return bot, retriever


class StoredCheck(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    question: str
    history: list[str]
    expect: list[Expected] | None
    created_at: datetime


class CheckRun(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    kb_version: int
    created_at: datetime
    report: EvalReport


def _case(row: dict) -> EvalCase:
    expect = json_value(row["expect"])
    return EvalCase(
        id=str(row["id"]),
        question=row["question"],
        history=msgspec.convert(json_value(row["history"], []), list[str]),
        expect=None if expect is None else msgspec.convert(expect, list[Expected]),
    )


class KbChecks:
    def __init__(self, engine, sources: Sources) -> None:
        """``sources(tenant_id, question, history)``: what the bot would cite, and the grounded
        passages best first (Bot.answer_sources)."""
        self.engine = engine
        self._sources = sources
        self._pending: dict[str, asyncio.Task[None]] = {}
        self._again: set[str] = set()

    async def add(
        self, tenant_id: str, question: str, expect: list[Expected] | None, history: list[str]
    ) -> StoredCheck:
        tid = uuid.UUID(tenant_id)
        if await KbCheck.count().where(KbCheck.tenant == tid) >= MAX_CHECKS:
            raise KefuError(422, "too_many_checks", f"a tenant keeps at most {MAX_CHECKS} checks")
        row = KbCheck(
            id=uuid.uuid4(),
            tenant=tid,
            question=question,
            history=history,
            expect=None if expect is None else msgspec.to_builtins(expect),
            created_at=datetime.now(UTC),
        )
        async with write_transaction(self.engine):
            await KbCheck.insert(row)
        return StoredCheck(
            id=str(row.id),
            question=question,
            history=history,
            expect=expect,
            created_at=row.created_at,
        )

    async def list(self, tenant_id: str) -> list[StoredCheck]:
        rows = (
            await KbCheck.select()
            .where(KbCheck.tenant == uuid.UUID(tenant_id))
            .order_by(KbCheck.created_at)
        )
        return [
            StoredCheck(
                id=str(r["id"]),
                question=r["question"],
                history=(case := _case(r)).history,
                expect=case.expect,
                created_at=r["created_at"],
            )
            for r in rows
        ]

    async def delete(self, tenant_id: str, check_id: str) -> bool:
        try:
            cid = uuid.UUID(check_id)
        except ValueError:
            return False
        async with write_transaction(self.engine):
            gone = (
                await KbCheck.delete()
                .where((KbCheck.tenant == uuid.UUID(tenant_id)) & (KbCheck.id == cid))
                .returning(KbCheck.id)
            )
        return bool(gone)

    async def run(self, tenant_id: str) -> CheckRun | None:
        """Ask every check now and store the run (None: the tenant keeps no checks)."""
        tid = uuid.UUID(tenant_id)
        rows = await KbCheck.select().where(KbCheck.tenant == tid).order_by(KbCheck.created_at)
        if not rows:
            return None
        version = await Tenant.select(Tenant.kb_version).where(Tenant.id == tid).first()

        async def answer(question: str, history: list[str]):
            return await self._sources(tenant_id, question, history)

        report = await evaluate(answer, [_case(r) for r in rows])
        run = CheckRun(
            id=str(uuid.uuid4()),
            kb_version=version["kb_version"] if version else 0,
            created_at=datetime.now(UTC),
            report=report,
        )
        async with write_transaction(self.engine):
            await KbCheckRun.insert(
                KbCheckRun(
                    id=uuid.UUID(run.id),
                    tenant=tid,
                    kb_version=run.kb_version,
                    report=msgspec.to_builtins(report),
                    created_at=run.created_at,
                )
            )
            old = (
                await KbCheckRun.select(KbCheckRun.id)
                .where(KbCheckRun.tenant == tid)
                .order_by(KbCheckRun.created_at, ascending=False)
                .limit(10_000)  # SQLite takes an offset only with a limit
                .offset(_KEEP_RUNS)
            )
            if old:
                await KbCheckRun.delete().where(KbCheckRun.id.is_in([r["id"] for r in old]))
        return run

    def after_change(self, tenant_id: str, spawn) -> None:
        """The knowledge base changed: run the checks in the background. One run at a time per
        tenant; changes that land while one runs are scored by one more run after it."""
        if tenant_id in self._pending:
            self._again.add(tenant_id)
            return

        async def runs() -> None:
            try:
                while True:
                    self._again.discard(tenant_id)
                    await self.run(tenant_id)
                    if tenant_id not in self._again:
                        return
            finally:
                self._pending.pop(tenant_id, None)

        self._pending[tenant_id] = spawn(runs(), name=f"kb-checks-{tenant_id}")

    async def latest(self, tenant_id: str) -> CheckRun | None:
        row = (
            await KbCheckRun.select()
            .where(KbCheckRun.tenant == uuid.UUID(tenant_id))
            .order_by(KbCheckRun.created_at, ascending=False)
            .first()
        )
        if row is None:
            return None
        return CheckRun(
            id=str(row["id"]),
            kb_version=row["kb_version"],
            created_at=row["created_at"],
            report=msgspec.convert(json_value(row["report"]), EvalReport),
        )
