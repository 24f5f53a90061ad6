"""No tenant's input can stall the server: knowledge-base files are read in a budgeted child
process, tenants' trigger patterns run on a linear-time engine, and everything the bot may
quote is cleaned at ingest.

The stall tests measure what another tenant's visitor sees during the attack. Each bound (3 s)
is 10x or more below what the code before it showed (the server stood still for 33 s), so a
regression can't pass them, and more than twice the worst this code has shown on a busy machine
(1.3 s, with a second run of the suite on the same two cores; 0.1-0.4 s alone: docs/benchmarks.md
has the numbers).
"""

from __future__ import annotations

import asyncio
import io
import time
import zipfile

import httpx
import pytest

from shared.kb.chunk import chunk_text
from shared.kb.extract import UnreadableDocument, extract
from shared.kb.sanitize import sanitize
from shared.kb.worker import Budget, OverBudget, prepare_upload
from shared.plugins.intents import PatternError, compile_pattern, match_intent
from shared.plugins.runner import PluginInfo
from tests.servers import create_owner, kefu_server

ADMIN = "/api/v1/admin"

#: The longest another tenant's visitor may wait for an answer during the attack (seconds).
STALL_BOUND = 3.0


async def _visitor_latencies(http: httpx.AsyncClient, stop: asyncio.Event) -> list[float]:
    """Another tenant's visitor chatting (and a probe of /healthz) until ``stop``."""
    started = await http.post("/api/v1/visitor/conversations", json={"widget_key": "demo"})
    body = started.json()
    headers = {"Authorization": f"Bearer {body['visitor_token']}"}
    url = f"/api/v1/conversations/{body['conversation_id']}/messages"
    latencies: list[float] = []
    i = 0
    while not stop.is_set():
        t0 = time.perf_counter()
        sent = await http.post(url, headers=headers, json={"content": f"Is delivery free? {i}"})
        assert sent.status_code == 201, sent.text
        assert (await http.get("/healthz")).status_code == 200
        latencies.append(time.perf_counter() - t0)
        i += 1
        await asyncio.sleep(0.02)
    return latencies


async def _while_uploading(url: str, owner: dict, files: dict) -> tuple[httpx.Response, list]:
    async with httpx.AsyncClient(base_url=url, timeout=120) as http:
        stop = asyncio.Event()
        chatter = asyncio.create_task(_visitor_latencies(http, stop))
        await asyncio.sleep(0.3)
        try:
            upload = await http.post(f"{ADMIN}/kb/upload", headers=owner, files=files)
            # The uploader's tenant answers from the new document: its index is built too.
            await http.get(f"{ADMIN}/kb/search", headers=owner, params={"q": "line 1"})
        finally:
            stop.set()
        return upload, await chatter


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    data = tmp_path_factory.mktemp("budget") / "data"
    # The read budget is wall-clock time, and what these tests measure is the other tenant's wait, not
    # the budget (tested on its own below): set far above what reading the 20 MiB file takes on a slow,
    # busy host (over 20 s with the suite's second worker beside it on two cores), under the clients'
    # 120 s timeout.
    env = {"KEFU_DEMO": "true", "KEFU_RATE_LIMITS": "false", "KEFU_KB_READ_SECONDS": "100"}
    with kefu_server(data, env=env) as url:
        create_owner(data, "root@budget.example", "platform password", role="superadmin",
                     tenant=None)  # fmt: skip
        with httpx.Client(base_url=url, timeout=30) as http:
            root = http.post("/api/v1/auth/login", json={
                "email": "root@budget.example", "password": "platform password"}).json()  # fmt: skip
            headers = {"Authorization": f"Bearer {root['access_token']}"}
            acme = http.post(f"{ADMIN}/tenants/", headers=headers,
                             json={"name": "Acme", "slug": "acme"}).json()  # fmt: skip
            # The platform's superadmin acts in Acme: the uploader is another tenant.
            yield url, {**headers, "X-Kefu-Tenant": acme["id"]}


async def test_a_20_mib_file_of_short_lines_does_not_stall_another_tenants_visitor(server):
    url, owner = server
    body = "\n".join(f"line {i} of a long list" for i in range(900_000)).encode()[: 20 * 2**20]
    upload, latencies = await _while_uploading(url, owner, {"file": ("list.txt", body)})
    assert upload.status_code == 201, upload.text
    assert upload.json()["chunks"] > 10_000
    latencies.sort()
    print(f"\nother tenant during a 20 MiB upload: {len(latencies)} requests, "
          f"p50 {latencies[len(latencies) // 2] * 1000:.1f} ms, "
          f"p99 {latencies[int(len(latencies) * 0.99)] * 1000:.1f} ms, "
          f"max {latencies[-1] * 1000:.1f} ms")  # fmt: skip
    assert len(latencies) >= 5
    assert latencies[-1] < STALL_BOUND, f"the other tenant's visitor waited {latencies[-1]:.2f} s"


def _readers() -> list:
    import psutil

    return [
        p
        for p in psutil.process_iter(["cmdline"])
        if "shared.kb.worker" in (p.info["cmdline"] or [])
    ]


async def test_an_upload_whose_uploader_leaves_stops_reading(server):
    url, owner = server
    body = "\n".join(f"row {i} of another long list" for i in range(600_000)).encode()
    async with httpx.AsyncClient(base_url=url, timeout=120) as http:
        upload = asyncio.create_task(
            http.post(f"{ADMIN}/kb/upload", headers=owner, files={"file": ("rows.txt", body)})
        )
        for _ in range(200):  # until the server is reading it in its child process
            if _readers():
                break
            await asyncio.sleep(0.05)
        assert _readers(), "the upload never reached its reader"
        upload.cancel()  # the uploader leaves (the connection closes)
    for _ in range(100):
        if not _readers():
            break
        await asyncio.sleep(0.05)
    assert not _readers(), "the reader kept running after its uploader left"


async def test_html_of_20000_script_tags_is_read_fast_and_keeps_no_script(server):
    url, owner = server
    page = b"<html><title>Hours</title><body><p>Open 9-5.</p>" + b"<script>" * 20_000
    upload, latencies = await _while_uploading(url, owner, {"file": ("hours.html", page)})
    assert upload.status_code == 201, upload.text
    assert max(latencies) < STALL_BOUND
    async with httpx.AsyncClient(base_url=url) as http:
        doc = (await http.get(f"{ADMIN}/kb/documents/{upload.json()['id']}", headers=owner)).json()
    assert "Open 9-5." in doc["content"] and "script" not in doc["content"]


def _zip_bomb(unpacked_mib: int) -> bytes:
    """A .docx-shaped zip whose document part inflates to ``unpacked_mib`` MiB of zeros."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w") as part:
            chunk = b"\0" * 2**20
            for _ in range(unpacked_mib):
                part.write(chunk)
    return out.getvalue()


async def test_a_docx_zip_bomb_is_refused_before_it_is_inflated(server):
    url, owner = server
    bomb = _zip_bomb(100)
    assert len(bomb) < 200_000
    upload, latencies = await _while_uploading(url, owner, {"file": ("bomb.docx", bomb)})
    assert upload.status_code == 422, upload.text
    assert "unpacks to" in upload.json()["detail"]
    assert max(latencies) < STALL_BOUND


def test_the_zip_check_needs_no_inflating():
    with pytest.raises(UnreadableDocument, match="unpacks to"):
        extract(_zip_bomb(100), "bomb.docx")


async def test_a_file_over_the_time_budget_is_stopped_and_the_uploader_told():
    # A PDF parser fed a huge page tree stands for any slow document; here: a 1 ms budget.
    with pytest.raises(OverBudget, match="longer than"):
        await prepare_upload(b"# Title\n\ntext", "a.md", Budget(seconds=0.001))


async def test_a_file_over_the_memory_budget_is_stopped_and_the_uploader_told():
    body = ("word " * 2_000_000).encode()  # ~10 MB of text needs far more than 64 MiB to chunk
    with pytest.raises(OverBudget, match="memory"):
        await prepare_upload(body, "big.txt", Budget(seconds=60, memory_bytes=64 * 2**20))


def test_chunking_many_short_lines_is_linear():
    lines = "\n".join(["line of twenty-four ch"] * 200_000)
    started = time.process_time()
    chunks = chunk_text(lines)
    small = time.process_time() - started
    assert chunks and all(len(c.text) <= 1200 for c in chunks)
    # Four times the text takes about four times as long (quadratic would be sixteen).
    started = time.process_time()
    chunk_text("\n".join(["line of twenty-four ch"] * 800_000))
    assert time.process_time() - started < 8 * max(small, 0.01)


# --- tenants' patterns ----------------------------------------------------------------------


def test_a_catastrophic_pattern_answers_a_4000_character_message_at_once():
    evil = PluginInfo(name="evil", description="", parameters={}, patterns=[r"^(a+)+$"])
    message = "a" * 4000 + "!"
    started = time.process_time()
    assert match_intent([evil], message) is None
    assert time.process_time() - started < 0.5  # Python's engine: longer than the universe


def test_patterns_re2_cannot_run_are_refused_with_a_reason():
    with pytest.raises(PatternError):
        compile_pattern(r"(a)\1")
    with pytest.raises(PatternError):
        compile_pattern(r"(?<=order )\d+")
    assert compile_pattern(r"(?i)order\D{0,12}(?P<order_id>\d{4,})").search("ORDER 12345")


async def test_the_admin_api_refuses_a_pattern_re2_cannot_run(app_client):
    from tests.staff import staff

    owner = await staff(app_client)
    resp = await app_client.post(
        f"{ADMIN}/plugins/",
        headers=owner,
        json={"name": "lookup", "description": "Look up", "spec": {
            "url": "https://example.com/x", "triggers": {"patterns": [r"(\w+)\1"]}}},
    )  # fmt: skip
    assert resp.status_code == 422, resp.text
    assert resp.json()["code"] == "invalid_pattern"


# --- what the bot may quote -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("dirty", "clean"),
    [
        ("See [our page](javascript:alert(document.cookie)) now", "See our page now"),
        ("![x](data:text/html;base64,PHNjcmlwdD4=) pic", "x pic"),
        ("[a](JaVaScRiPt:evil) [b](vbscript:x)", "a b"),
        ("<img src=x onerror=alert(1)>Hi <b>there</b>", "Hi there"),
        ("before<script>steal()</script>after", "beforeafter"),
        ("[ok](https://shop.example/faq) and [rel](/returns)",
         "[ok](https://shop.example/faq) and [rel](/returns)"),
        ("[id]: javascript:alert(1)\ntext", "\ntext"),
        ("prices < 10 and > 5", "prices < 10 and > 5"),
    ],
)  # fmt: skip
def test_unsafe_links_and_raw_tags_are_removed_at_ingest(dirty, clean):
    assert sanitize(dirty) == clean


async def test_the_bot_never_repeats_an_unsafe_link_from_the_knowledge_base(app_client):
    from tests.staff import staff
    from tests.unit.test_visitor_api import say, start, wait_for_messages

    owner = await staff(app_client)
    created = await app_client.post(
        f"{ADMIN}/kb/documents",
        headers=owner,
        json={"title": "Gift cards", "content": "## Gift cards\n\nGift cards are sold "
              "[here](javascript:alert(1)) <script>steal()</script>and never expire."},
    )  # fmt: skip
    assert created.status_code == 201, created.text
    cid, visitor = await start(app_client)
    await say(app_client, cid, visitor, "Do gift cards expire?")
    answer = (await wait_for_messages(app_client, cid, visitor, 2))[-1]["content"]
    assert "never expire" in answer
    assert "javascript" not in answer and "<script" not in answer and "steal" not in answer
