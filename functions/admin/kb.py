"""Knowledge base: add documents (JSON or a file), list, read, delete, re-index, search preview."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from litestar import Controller, Request, delete, get, post, put
from litestar.datastructures import UploadFile
from litestar.di import NamedDependency
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath, Parameter

from shared.auth.scopes import Principal
from shared.errors import KefuError
from shared.kb.checks import CheckRun, StoredCheck
from shared.kb.evaluate import Expected
from shared.kb.extract import SUPPORTED_SUFFIXES, UnreadableDocument, UnsupportedDocument
from shared.kb.sites import SiteOut
from shared.kb.store import DocumentRow, PassageRow
from shared.kb.worker import OverBudget, prepare_upload
from shared.openapi import ADMIN, errors
from shared.playground import Preview, preview
from shared.services import Services, kb_changed
from shared.tasks import ClientLeft, until_disconnected

from .access import audit
from .schemas import (
    CheckIn,
    CheckOut,
    CheckResult,
    CheckRunOut,
    DocumentEdit,
    DocumentIn,
    DocumentOut,
    ExpectedSource,
    PlaygroundIn,
    QaIn,
    ReindexResult,
    SearchHit,
    SearchPreview,
    SiteIn,
)

__all__ = ["KbController"]


@dataclass
class KbUpload:
    """The multipart form of an upload: one file in the field ``file``."""

    file: UploadFile


def _out(doc: DocumentRow, changed: bool | None = None) -> DocumentOut:
    return DocumentOut(
        id=doc.id,
        title=doc.title,
        source=doc.source,
        content_type=doc.content_type,
        chunks=doc.chunks,
        created_at=doc.created_at,
        updated_at=doc.updated_at,
        content=doc.content,
        changed=changed,
        status=doc.status,
    )


def _sources(expected: list[Expected] | None) -> list[ExpectedSource] | None:
    return None if expected is None else [ExpectedSource(e.document, e.section) for e in expected]


def _check_out(check: StoredCheck) -> CheckOut:
    return CheckOut(
        id=check.id,
        question=check.question,
        history=check.history,
        expect=_sources(check.expect),
        created_at=check.created_at,
    )


def _run_out(run: CheckRun, current_version: int) -> CheckRunOut:
    report = run.report
    return CheckRunOut(
        id=run.id,
        kb_version=run.kb_version,
        current=run.kb_version == current_version,
        created_at=run.created_at,
        cases=report.cases,
        score=report.score,
        hit_at_1=report.hit_at_1,
        hit_at_3=report.hit_at_3,
        decline_precision=report.decline_precision,
        decline_recall=report.decline_recall,
        citation_precision=report.citation_precision,
        failures=[
            CheckResult(
                id=r.id,
                question=r.question,
                expect=_sources(r.expected),
                cited=_sources(r.cited) or [],
                ranked=_sources(r.ranked) or [],
                passed=False,
            )
            for r in report.failures()
        ],
    )


async def _document(services: Services, tenant_id: str, document_id: str) -> DocumentRow:
    doc = await services.kb.document(tenant_id, document_id)
    if doc is None:
        raise KefuError(404, "document_not_found", "no such document")
    return doc


@errors(400, 401, 403, 404, 413, 415, 422)
class KbController(Controller):
    path = "/api/v1/admin/kb"
    tags = ["admin: knowledge base"]
    security = ADMIN

    @get("/documents")
    async def list_documents(
        self, principal: NamedDependency[Principal], services: NamedDependency[Services]
    ) -> list[DocumentOut]:
        """Every document with its chunk count (without the text)."""
        return [_out(d) for d in await services.kb.documents(principal.require("kb:read"))]

    @post("/documents", status_code=201)
    async def add_document(
        self,
        request: Request,
        data: Annotated[DocumentIn, Body()],
        principal: NamedDependency[Principal],
        services: NamedDependency[Services],
    ) -> DocumentOut:
        """Add a document from JSON; the same ``source`` replaces the earlier version."""
        tenant_id = principal.require("kb:write")
        doc_id, changed = await services.kb.upsert_document(
            tenant_id,
            title=data.title,
            content=data.content,
            source=data.source,
            content_type=data.content_type,
        )
        await kb_changed(services, tenant_id)
        await audit(request, services, principal, "kb.add", doc_id, {"title": data.title})
        return _out(await _document(services, tenant_id, doc_id), changed)

    @post("/qa", status_code=201)
    async def add_answer(
        self,
        request: Request,
        data: Annotated[QaIn, Body()],
        principal: NamedDependency[Principal],
        services: NamedDependency[Services],
    ) -> DocumentOut:
        """Add a question and its answer as one entry; the same question replaces its answer."""
        tenant_id = principal.require("kb:write")
        doc_id, changed = await services.kb.add_answer(tenant_id, data.question, data.answer)
        await kb_changed(services, tenant_id)
        await audit(request, services, principal, "kb.add", doc_id, {"title": data.question})
        return _out(await _document(services, tenant_id, doc_id), changed)

    @post("/playground", status_code=200)
    async def playground(
        self,
        data: Annotated[PlaygroundIn, Body()],
        principal: NamedDependency[Principal],
        services: NamedDependency[Services],
    ) -> Preview:
        """What the bot would answer to ``question`` (after the visitor's ``history``): the
        passages found with their scores, the answer with the passages it cites, or why it
        would decline, refuse or hand off. Nothing is stored or cached."""
        tenant_id = principal.require("kb:read")
        rules = await services.handoffs.rules.settings(tenant_id)
        return await preview(
            services.conversations.bot, rules, tenant_id, data.question, data.history
        )

    @get("/sites")
    async def list_sites(
        self, principal: NamedDependency[Principal], services: NamedDependency[Services]
    ) -> list[SiteOut]:
        """Websites imported: state of the last sync, pages stored, pages skipped and why."""
        return await services.sites.list(principal.require("kb:read"))

    @post("/sites", status_code=202)
    async def import_site(
        self,
        request: Request,
        data: Annotated[SiteIn, Body()],
        principal: NamedDependency[Principal],
        services: NamedDependency[Services],
    ) -> SiteOut:
        """Import a web page, or every page of a sitemap on the same site, in the background
        (robots.txt respected; the URL must resolve to public addresses). Poll the site for its
        state. The same URL again re-syncs it."""
        tenant_id = principal.require("kb:write")
        site = await services.sites.add(tenant_id, data.url)
        await audit(request, services, principal, "kb.site_import", site.id, {"url": site.url})
        return site

    @post("/sites/{site_id:str}/sync", status_code=202)
    async def sync_site(
        self,
        request: Request,
        site_id: FromPath[str],
        principal: NamedDependency[Principal],
        services: NamedDependency[Services],
    ) -> SiteOut:
        """Fetch the site's pages again: changed pages are replaced, the rest left alone."""
        tenant_id = principal.require("kb:write")
        site = await services.sites.sync(tenant_id, site_id)
        await audit(request, services, principal, "kb.site_sync", site.id, {"url": site.url})
        return site

    @delete("/sites/{site_id:str}", status_code=204)
    async def delete_site(
        self,
        request: Request,
        site_id: FromPath[str],
        principal: NamedDependency[Principal],
        services: NamedDependency[Services],
    ) -> None:
        """Forget the site and delete the documents its pages became."""
        tenant_id = principal.require("kb:write")
        if not await services.sites.delete(tenant_id, site_id):
            raise KefuError(404, "site_not_found", "no such website")
        await audit(request, services, principal, "kb.site_delete", site_id)

    @post("/upload", status_code=201, request_max_body_size=None)
    async def upload_document(
        self,
        request: Request,
        data: Annotated[KbUpload, Body(media_type=RequestEncodingType.MULTI_PART)],
        principal: NamedDependency[Principal],
        services: NamedDependency[Services],
    ) -> DocumentOut:
        """Upload a file (form field ``file``): Markdown, text, HTML, PDF or DOCX."""
        tenant_id = principal.require("kb:write")
        limit = services.settings.max_upload_bytes
        upload = data.file
        content = await upload.read(limit + 1)
        if len(content) > limit:
            raise KefuError(413, "file_too_large", f"files are limited to {limit} bytes")
        name = (upload.filename or "upload").rsplit("/", 1)[-1][:200]
        try:
            # Reading a file is CPU work the uploader controls: a child process with a time
            # and memory budget, killed when over it or when the uploader goes away.
            doc = await until_disconnected(
                request, prepare_upload(content, name, services.settings.kb_budget)
            )
        except ClientLeft:  # nobody waits for the answer: the child was stopped with it
            raise KefuError(400, "client_left", "the uploader went away") from None
        except OverBudget as exc:
            raise KefuError(422, "document_over_budget", f"{name}: {exc}") from None
        except UnreadableDocument as exc:
            raise KefuError(422, "unreadable_document", f"{name}: {exc}") from None
        except UnsupportedDocument as exc:
            raise KefuError(
                415,
                "unsupported_document",
                f"{exc}; supported: {', '.join(sorted(SUPPORTED_SUFFIXES))}",
            ) from None
        if not doc.text.strip():
            raise KefuError(422, "empty_document", f"{name} has no text kefu can read")
        doc_id, changed = await services.kb.store_prepared(tenant_id, doc, name)
        await kb_changed(services, tenant_id)
        await audit(request, services, principal, "kb.upload", doc_id, {"filename": name})
        return _out(await _document(services, tenant_id, doc_id), changed)

    @get("/documents/{document_id:str}")
    async def get_document(
        self,
        document_id: FromPath[str],
        principal: NamedDependency[Principal],
        services: NamedDependency[Services],
    ) -> DocumentOut:
        """One document with its text."""
        return _out(await _document(services, principal.require("kb:read"), document_id))

    @put("/documents/{document_id:str}")
    async def edit_document(
        self,
        request: Request,
        document_id: FromPath[str],
        data: Annotated[DocumentEdit, Body()],
        principal: NamedDependency[Principal],
        services: NamedDependency[Services],
    ) -> DocumentOut:
        """Replace a document's title and text (Markdown); its passages are made again."""
        tenant_id = principal.require("kb:write")
        done = await services.kb.edit_document(
            tenant_id, document_id, title=data.title, content=data.content
        )
        if done is None:
            raise KefuError(404, "document_not_found", "no such document")
        await kb_changed(services, tenant_id)
        await audit(request, services, principal, "kb.edit", document_id, {"title": data.title})
        return _out(await _document(services, tenant_id, document_id), done[1])

    @get("/documents/{document_id:str}/passages")
    async def document_passages(
        self,
        document_id: FromPath[str],
        principal: NamedDependency[Principal],
        services: NamedDependency[Services],
    ) -> list[PassageRow]:
        """A document's passages in order, as the bot searches them."""
        found = await services.kb.passages(principal.require("kb:read"), document_id)
        if found is None:
            raise KefuError(404, "document_not_found", "no such document")
        return found

    @delete("/documents/{document_id:str}", status_code=204)
    async def delete_document(
        self,
        request: Request,
        document_id: FromPath[str],
        principal: NamedDependency[Principal],
        services: NamedDependency[Services],
    ) -> None:
        """Delete a document; the bot stops citing it at once."""
        tenant_id = principal.require("kb:write")
        if not await services.kb.delete_document(tenant_id, document_id):
            raise KefuError(404, "document_not_found", "no such document")
        await kb_changed(services, tenant_id)
        await audit(request, services, principal, "kb.delete", document_id)

    @post("/reindex", status_code=200)
    async def reindex(
        self,
        request: Request,
        principal: NamedDependency[Principal],
        services: NamedDependency[Services],
    ) -> ReindexResult:
        """Chunk every document again and rebuild the search indexes."""
        tenant_id = principal.require("kb:write")
        chunks = await services.kb.reindex(tenant_id)
        await kb_changed(services, tenant_id)
        await audit(request, services, principal, "kb.reindex", "", {"chunks": chunks})
        return ReindexResult(chunks=chunks)

    @get("/search")
    async def search_preview(
        self,
        principal: NamedDependency[Principal],
        services: NamedDependency[Services],
        q: Annotated[str, Parameter(min_length=1, max_length=1000)],
        k: Annotated[int, Parameter(ge=1, le=20)] = 5,
    ) -> SearchPreview:
        """The passages the bot would find for ``q``, and whether it would answer from them."""
        tenant_id = principal.require("kb:read")
        bot = services.conversations.bot
        found = await bot.search(tenant_id, q, k=max(k, 6))  # one search, as the bot runs it
        grounded = {p.chunk_id for p in bot.grounded(found[:6], await bot.bars(tenant_id))}
        hits = found[:k]
        return SearchPreview(
            query=q,
            hits=[
                SearchHit(
                    document_id=p.document_id,
                    title=p.title,
                    heading=p.heading,
                    source=p.source,
                    text=p.text,
                    score=round(p.score, 4),
                    coverage=round(p.coverage, 4),
                    grounded=p.chunk_id in grounded,
                )
                for p in hits
            ],
        )

    @get("/checks")
    async def list_checks(
        self, principal: NamedDependency[Principal], services: NamedDependency[Services]
    ) -> list[CheckOut]:
        """The owner's test questions, each with where its answer must come from."""
        return [_check_out(c) for c in await services.kb_checks.list(principal.require("kb:read"))]

    @post("/checks", status_code=201)
    async def add_check(
        self,
        request: Request,
        data: Annotated[CheckIn, Body()],
        principal: NamedDependency[Principal],
        services: NamedDependency[Services],
    ) -> CheckOut:
        """Keep a test question; it runs after every knowledge-base change."""
        tenant_id = principal.require("kb:write")
        expect = (
            None if data.expect is None else [Expected(e.document, e.section) for e in data.expect]
        )
        check = await services.kb_checks.add(tenant_id, data.question, expect, list(data.history))
        await audit(request, services, principal, "kb.check.add", check.id, {})
        return _check_out(check)

    @delete("/checks/{check_id:str}", status_code=204)
    async def delete_check(
        self,
        request: Request,
        check_id: FromPath[str],
        principal: NamedDependency[Principal],
        services: NamedDependency[Services],
    ) -> None:
        tenant_id = principal.require("kb:write")
        if not await services.kb_checks.delete(tenant_id, check_id):
            raise KefuError(404, "check_not_found", "no such check")
        await audit(request, services, principal, "kb.check.delete", check_id, {})

    @post("/checks/run", status_code=200)
    async def run_checks(
        self, principal: NamedDependency[Principal], services: NamedDependency[Services]
    ) -> CheckRunOut:
        """Run every check now against the knowledge base as it is, and keep the result."""
        tenant_id = principal.require("kb:read")
        run = await services.kb_checks.run(tenant_id)
        if run is None:
            raise KefuError(404, "no_checks", "this tenant keeps no test questions yet")
        return _run_out(run, await services.kb.version(tenant_id))

    @get("/checks/runs/latest")
    async def latest_run(
        self, principal: NamedDependency[Principal], services: NamedDependency[Services]
    ) -> CheckRunOut:
        """The last run (after the last change, or on demand); ``current`` says whether it
        scored the knowledge base as it is now."""
        tenant_id = principal.require("kb:read")
        run = await services.kb_checks.latest(tenant_id)
        if run is None:
            raise KefuError(404, "no_check_runs", "no run yet")
        return _run_out(run, await services.kb.version(tenant_id))
