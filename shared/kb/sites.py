"""Websites imported into the knowledge base: one page, or every page a sitemap lists.

Every URL fetched — the page, the sitemap, robots.txt and each redirect hop — must resolve to
public internet addresses (the SSRF rule of webhooks and plugins; ``KEFU_KB_IMPORT_ALLOW_PRIVATE``
lifts it for intranet sites). Pages on another site than the one named are skipped, and so are
pages the site's robots.txt keeps from the ``kefu`` user agent (protego: Google's rules,
wildcards and Allow precedence included). A page is read like an upload (HTML, text, Markdown,
PDF, DOCX; in the budgeted child process) and stored as a document whose source is its URL, so
a re-sync replaces what changed and leaves the rest. A sync runs in the background; its state,
page count and the pages it skipped (with why) are kept with the site.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from urllib.parse import urljoin, urlsplit

import httpx
import msgspec
from defusedxml import ElementTree
from protego import Protego

from ..db.engine import write_transaction
from ..db.tables import KbDocument, KbSite, json_value
from ..errors import KefuError
from ..tasks import BackgroundTasks
from ..urls import check_outbound_url, is_public_url, outbound_transport
from .extract import UnsupportedDocument
from .store import KbStore
from .worker import Budget, OverBudget, prepare_upload

__all__ = ["Sites", "SiteOut", "SkippedPage", "USER_AGENT"]

log = logging.getLogger("kefu.kb")

USER_AGENT = "kefu"  # the name robots.txt rules address
_HEADERS = {"User-Agent": "kefu-kb-import/1.0 (+respects robots.txt; user agent kefu)"}
_MAX_REDIRECTS = 3
_SUFFIX = {
    "text/html": ".html",
    "application/xhtml+xml": ".html",
    "text/plain": ".txt",
    "text/markdown": ".md",
    "application/pdf": ".pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
}


class SkippedPage(msgspec.Struct, frozen=True):
    url: str
    why: str  # robots | other_site | not_public | unsupported | unreadable | http_<status> | …


class SiteOut(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    url: str
    state: str  # syncing | done | failed
    pages: int
    skipped: list[SkippedPage]
    last_error: str
    synced_at: datetime | None
    created_at: datetime


class _Skip(Exception):
    def __init__(self, why: str) -> None:
        super().__init__(why)
        self.why = why


def _site_out(row: dict) -> SiteOut:
    return SiteOut(
        id=str(row["id"]),
        url=row["url"],
        state=row["state"],
        pages=row["pages"],
        skipped=msgspec.convert(json_value(row["skipped"], []) or [], list[SkippedPage]),
        last_error=row["last_error"],
        synced_at=row["synced_at"],
        created_at=row["created_at"],
    )


class Sites:
    def __init__(
        self,
        kb: KbStore,
        tasks: BackgroundTasks,
        changed: Callable[[str], Awaitable[None]],
        *,
        budget: Budget,
        max_bytes: int,
        max_pages: int = 200,
        timeout_s: float = 15.0,
        allow_private: bool = False,
    ) -> None:
        self._kb = kb
        self._tasks = tasks
        self._changed = changed  # the tenant's knowledge base changed (caches, checks)
        self._budget = budget
        self._max_bytes = max_bytes
        self._max_pages = max_pages
        self._timeout_s = timeout_s
        self._allow_private = allow_private
        self._running: set[str] = set()

    async def list(self, tenant_id: str) -> list[SiteOut]:
        rows = (
            await KbSite.select()
            .where(KbSite.tenant == uuid.UUID(tenant_id))
            .order_by(KbSite.created_at)
        )
        return [_site_out(r) for r in rows]

    async def get(self, tenant_id: str, site_id: str) -> SiteOut | None:
        try:
            sid = uuid.UUID(site_id)
        except ValueError:
            return None
        row = (
            await KbSite.select()
            .where((KbSite.tenant == uuid.UUID(tenant_id)) & (KbSite.id == sid))
            .first()
        )
        return _site_out(row) if row else None

    async def add(self, tenant_id: str, url: str) -> SiteOut:
        """Import a page or a sitemap (checked now: 422 for a URL that isn't public http(s));
        the same URL again is a re-sync."""
        url = url.strip()
        await check_outbound_url(url, allow_private=self._allow_private)
        tid = uuid.UUID(tenant_id)
        async with write_transaction(self._kb.engine):
            row = (
                await KbSite.select(KbSite.id)
                .where((KbSite.tenant == tid) & (KbSite.url == url))
                .first()
            )
            if row is None:
                site = KbSite(id=uuid.uuid4(), tenant=tid, url=url, created_at=datetime.now(UTC))
                await KbSite.insert(site)
                site_id = str(site.id)
            else:
                site_id = str(row["id"])
        return await self.sync(tenant_id, site_id)

    async def sync(self, tenant_id: str, site_id: str) -> SiteOut:
        """Fetch the site again, in the background: its state says when it is done."""
        site = await self.get(tenant_id, site_id)
        if site is None:
            raise KefuError(404, "site_not_found", "no such website")
        if site_id in self._running:  # already fetching here: that sync's result stands
            return site
        async with write_transaction(self._kb.engine):
            await KbSite.update({KbSite.state: "syncing", KbSite.last_error: ""}).where(
                KbSite.id == uuid.UUID(site_id)
            )
        self._running.add(site_id)
        self._tasks.spawn(self._run(tenant_id, site_id, site.url), name=f"kb-site-{site_id}")
        return await self.get(tenant_id, site_id)  # type: ignore[return-value]

    async def delete(self, tenant_id: str, site_id: str) -> bool:
        """Forget the site and delete the documents its pages became."""
        site = await self.get(tenant_id, site_id)
        if site is None:
            return False
        tid = uuid.UUID(tenant_id)
        documents = await KbDocument.select(KbDocument.id, KbDocument.source).where(
            KbDocument.tenant == tid
        )
        for doc in documents:
            if _same_site(doc["source"], site.url):
                await self._kb.delete_document(tenant_id, str(doc["id"]))
        async with write_transaction(self._kb.engine):
            await KbSite.delete().where(KbSite.id == uuid.UUID(site_id))
        await self._changed(tenant_id)
        return True

    async def _run(self, tenant_id: str, site_id: str, url: str) -> None:
        try:
            await self._sync(tenant_id, site_id, url)
        finally:
            self._running.discard(site_id)

    async def _sync(self, tenant_id: str, site_id: str, url: str) -> None:
        pages, skipped, error = 0, [], ""
        try:
            async with httpx.AsyncClient(
                timeout=self._timeout_s,
                follow_redirects=False,
                headers=_HEADERS,
                transport=outbound_transport(allow_private=self._allow_private),
            ) as client:
                robots = await self._robots(client, url)
                for page in await self._page_urls(client, url, robots, skipped):
                    try:
                        data, content_type = await self._fetch(client, page)
                        await self._store(tenant_id, page, data, content_type)
                        pages += 1
                    except _Skip as skip:
                        skipped.append(SkippedPage(page, skip.why))
            state = "done" if pages or not skipped else "failed"
            if not pages:
                error = "no page could be imported"
        except _Skip as skip:
            state, error = "failed", skip.why
        except Exception as exc:  # noqa: BLE001 - the owner reads it with the site
            log.warning("importing %s failed: %s", url, exc)
            state, error = "failed", f"{type(exc).__name__}: {exc}"[:500]
        async with write_transaction(self._kb.engine):
            await KbSite.update(
                {
                    KbSite.state: state,
                    KbSite.pages: pages,
                    KbSite.skipped: msgspec.to_builtins(skipped[:200]),
                    KbSite.last_error: error,
                    KbSite.synced_at: datetime.now(UTC),
                }
            ).where(KbSite.id == uuid.UUID(site_id))
        if pages:
            await self._changed(tenant_id)

    async def _robots(self, client: httpx.AsyncClient, url: str) -> Protego:
        parts = urlsplit(url)
        try:
            data, _ = await self._fetch(client, f"{parts.scheme}://{parts.netloc}/robots.txt")
        except _Skip as skip:
            if skip.why.startswith("http_5"):
                raise _Skip("robots.txt unavailable (server error): nothing fetched") from None
            return Protego.parse("")  # none (404) or unreadable: nothing is disallowed
        return Protego.parse(data.decode("utf-8", "replace"))

    async def _page_urls(
        self, client: httpx.AsyncClient, url: str, robots: Protego, skipped: list[SkippedPage]
    ) -> list[str]:
        """The page itself, or the pages its sitemap (or sitemap index) lists, on its site,
        allowed by robots.txt; at most ``max_pages``."""
        if not robots.can_fetch(url, USER_AGENT):
            raise _Skip("robots.txt disallows this URL for kefu")
        data, content_type = await self._fetch(client, url)
        listed = _sitemap_urls(data, content_type)
        if listed is None:
            return [url]
        pages: list[str] = []
        queue, seen = [(u, 1) for u in listed], {url}
        while queue and len(pages) < self._max_pages:
            page, depth = queue.pop(0)
            if page in seen:
                continue
            seen.add(page)
            if not _same_site(page, url):
                skipped.append(SkippedPage(page, "other_site"))
            elif not robots.can_fetch(page, USER_AGENT):
                skipped.append(SkippedPage(page, "robots"))
            elif page.endswith(".xml") and depth < 3:  # a sitemap index's sitemap
                try:
                    nested = _sitemap_urls(*await self._fetch(client, page)) or []
                except _Skip as skip:
                    skipped.append(SkippedPage(page, skip.why))
                    continue
                queue.extend((u, depth + 1) for u in nested)
            else:
                pages.append(page)
        return pages

    async def _fetch(self, client: httpx.AsyncClient, url: str) -> tuple[bytes, str]:
        """GET ``url`` (each redirect hop checked like the first URL), at most max_bytes."""
        for _ in range(_MAX_REDIRECTS + 1):
            if urlsplit(url).scheme not in ("http", "https"):
                raise _Skip("not_http")
            if not self._allow_private and not await is_public_url(url):
                raise _Skip("not_public")
            try:
                async with client.stream("GET", url) as response:
                    if response.is_redirect:
                        url = urljoin(url, response.headers.get("location", ""))
                        continue
                    if response.status_code != 200:
                        raise _Skip(f"http_{response.status_code}")
                    body = bytearray()
                    async for piece in response.aiter_bytes():
                        body += piece
                        if len(body) > self._max_bytes:
                            raise _Skip("too_large")
                    kind = response.headers.get("content-type", "").split(";")[0].strip().lower()
                    return bytes(body), kind
            except httpx.HTTPError as exc:
                raise _Skip(f"unreachable: {type(exc).__name__}") from None
        raise _Skip("too_many_redirects")

    async def _store(self, tenant_id: str, url: str, data: bytes, content_type: str) -> None:
        # The reader picks the format by the name's suffix: the server's content type first.
        last = urlsplit(url).path.rstrip("/").rsplit("/", 1)[-1] or urlsplit(url).hostname or "page"
        stem, dot, ext = last.rpartition(".")
        suffix = _SUFFIX.get(content_type) or (f".{ext}" if dot else ".html")
        name = (stem if dot else last)[:150] + suffix
        try:
            prepared = await prepare_upload(data, name, self._budget)
        except OverBudget:
            raise _Skip("over_budget") from None
        except UnsupportedDocument as exc:  # unreadable ones too
            raise _Skip(f"unsupported: {exc}"[:200]) from None
        if not prepared.text.strip():
            raise _Skip("empty")
        await self._kb.store_prepared(tenant_id, prepared, url)


def _same_site(page: str, site: str) -> bool:
    a, b = urlsplit(page), urlsplit(site)
    return (a.scheme, a.hostname, a.port) == (b.scheme, b.hostname, b.port)


def _sitemap_urls(data: bytes, content_type: str) -> list[str] | None:
    """The <loc> URLs of a sitemap or sitemap index; None when ``data`` is not one."""
    head = data[:512].lstrip().lower()
    if "xml" not in content_type and not head.startswith(b"<?xml") and b"<urlset" not in head:
        return None
    try:
        root = ElementTree.fromstring(data)
    except Exception:  # noqa: BLE001 - defusedxml refuses entities and bombs; either way not one
        return None
    if root.tag.rsplit("}", 1)[-1] not in ("urlset", "sitemapindex"):
        return None
    return [
        el.text.strip()
        for el in root.iter()
        if el.tag.rsplit("}", 1)[-1] == "loc" and el.text and el.text.strip()
    ]
