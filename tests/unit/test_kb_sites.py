"""An owner imports a website into the knowledge base: a sitemap's pages on the same site, what
robots.txt allows, redirects followed and checked; a re-sync picks up a changed page; removing
the site removes its pages; a URL into our own network is refused."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from shared.settings import load_settings
from tests.conftest import free_port, prepared
from tests.staff import staff

ADMIN = "/api/v1/admin"


class Site:
    """A small website on loopback: its pages can change between syncs."""

    def __init__(self) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.pages: dict[str, tuple[int, str, str]] = {
            "/robots.txt": (200, "text/plain", "User-agent: *\nDisallow: /private/\n"),
            "/sitemap.xml": (200, "application/xml", _index(f"{self.base}/sitemap-pages.xml")),
            "/sitemap-pages.xml": (200, "application/xml", _urlset(
                f"{self.base}/faq.html", f"{self.base}/returns", f"{self.base}/private/secret.html",
                f"{self.base}/missing.html", "http://shop.example.net/elsewhere.html",
            )),  # fmt: skip
            "/faq.html": (200, "text/html; charset=utf-8", _faq("30 dollars")),
            "/returns": (302, "/returns-policy.html", ""),
            "/returns-policy.html": (200, "text/html", "<html><title>Returns</title><body><h2>"
                                     "Can I return a rented bike early?</h2><p>Yes, unused days "
                                     "are refunded.</p></body></html>"),
            "/private/secret.html": (200, "text/html", "<p>staff only</p>"),
        }  # fmt: skip
        self.requested: list[str] = []
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server's naming
                site.requested.append(self.path)
                status, kind, body = site.pages.get(self.path, (404, "text/plain", "not found"))
                self.send_response(status)
                if status in (301, 302):
                    self.send_header("Location", kind)
                else:
                    self.send_header("Content-Type", kind)
                data = body.encode()
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def _faq(price: str) -> str:
    return (
        "<html><head><title>Bike FAQ</title><script>var tracking = 1;</script></head><body>"
        f"<h2>How much is a tandem bike?</h2><p>Tandem bikes rent for {price} a day.</p>"
        "</body></html>"
    )


def _urlset(*urls: str) -> str:
    locs = "".join(f"<url><loc>{u}</loc></url>" for u in urls)
    return f'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{locs}</urlset>'


def _index(*urls: str) -> str:
    locs = "".join(f"<sitemap><loc>{u}</loc></sitemap>" for u in urls)
    return f'<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{locs}</sitemapindex>'


@pytest.fixture
def site():
    s = Site()
    yield s
    s.stop()


async def _client(tmp_path, **overrides) -> AsyncIterator:
    from litestar.testing import AsyncTestClient

    from functions.all import create_app

    settings = load_settings({}, data_dir=str(tmp_path / "data"), demo="true", **overrides)
    await prepared(settings)
    async with AsyncTestClient(app=create_app(settings)) as client:
        yield client


@pytest.fixture
async def intranet_client(tmp_path) -> AsyncIterator:
    """Imports from private addresses allowed (the test site is on loopback)."""
    async for client in _client(tmp_path, kb_import_allow_private=True):
        yield client


@pytest.fixture
async def public_only_client(tmp_path) -> AsyncIterator:
    async for client in _client(tmp_path):
        yield client


async def synced(client, owner: dict, site_id: str) -> dict:
    for _ in range(200):
        [found] = [s for s in (await client.get(f"{ADMIN}/kb/sites", headers=owner)).json()
                   if s["id"] == site_id]  # fmt: skip
        if found["state"] != "syncing":
            return found
        await asyncio.sleep(0.05)
    raise AssertionError("the sync never finished")


async def ask(client, owner: dict, question: str) -> dict:
    resp = await client.post(f"{ADMIN}/kb/playground", headers=owner, json={"question": question})
    return resp.json()


async def test_a_sitemap_is_imported_within_robots_txt_and_resynced(intranet_client, site):
    client = intranet_client
    owner = await staff(client)
    started = await client.post(
        f"{ADMIN}/kb/sites", headers=owner, json={"url": f"{site.base}/sitemap.xml"}
    )
    assert started.status_code == 202, started.text
    result = await synced(client, owner, started.json()["id"])
    assert (result["state"], result["pages"]) == ("done", 2), result
    skipped = {s["url"].removeprefix(site.base): s["why"] for s in result["skipped"]}
    assert skipped == {
        "/private/secret.html": "robots",
        "/missing.html": "http_404",
        "http://shop.example.net/elsewhere.html": "other_site",
    }
    assert "/private/secret.html" not in site.requested  # never fetched, not just dropped

    docs = (await client.get(f"{ADMIN}/kb/documents", headers=owner)).json()
    by_source = {d["source"]: d for d in docs}
    assert by_source[f"{site.base}/faq.html"]["title"] == "Bike FAQ"
    assert f"{site.base}/returns" in by_source  # stored under the URL named, after the redirect
    passages = (
        await client.get(
            f"{ADMIN}/kb/documents/{by_source[f'{site.base}/faq.html']['id']}/passages",
            headers=owner,
        )
    ).json()
    assert not any("tracking" in p["text"] for p in passages)  # scripts are not text

    answer = await ask(client, owner, "How much is a tandem bike?")
    assert answer["outcome"] == "answer" and "30 dollars" in answer["answer"]

    site.pages["/faq.html"] = (200, "text/html", _faq("35 dollars"))
    resynced = await client.post(f"{ADMIN}/kb/sites/{result['id']}/sync", headers=owner)
    assert resynced.status_code == 202
    assert (await synced(client, owner, result["id"]))["pages"] == 2
    assert "35 dollars" in (await ask(client, owner, "How much is a tandem bike?"))["answer"]
    after = (await client.get(f"{ADMIN}/kb/documents", headers=owner)).json()
    assert len(after) == len(docs)  # replaced in place, nothing doubled

    assert (
        await client.delete(f"{ADMIN}/kb/sites/{result['id']}", headers=owner)
    ).status_code == 204
    left = {d["source"] for d in (await client.get(f"{ADMIN}/kb/documents", headers=owner)).json()}
    assert not any(source.startswith(site.base) for source in left)
    assert (await ask(client, owner, "How much is a tandem bike?"))["outcome"] == "decline"


async def test_robots_txt_can_forbid_the_whole_site(intranet_client, site):
    site.pages["/robots.txt"] = (200, "text/plain", "User-agent: kefu\nDisallow: /\n")
    owner = await staff(intranet_client)
    started = await intranet_client.post(
        f"{ADMIN}/kb/sites", headers=owner, json={"url": f"{site.base}/faq.html"}
    )
    result = await synced(intranet_client, owner, started.json()["id"])
    assert result["state"] == "failed" and "robots.txt" in result["last_error"]
    assert site.requested == ["/robots.txt"]


async def test_a_url_into_our_own_network_is_refused(public_only_client, site):
    owner = await staff(public_only_client)
    for url, code in (
        (f"{site.base}/sitemap.xml", "url_not_allowed"),
        ("http://169.254.169.254/latest/meta-data/", "url_not_allowed"),
        ("ftp://example.com/faq.html", "invalid_url"),
    ):
        resp = await public_only_client.post(f"{ADMIN}/kb/sites", headers=owner, json={"url": url})
        assert (resp.status_code, resp.json()["code"]) == (422, code), url
    assert site.requested == []
