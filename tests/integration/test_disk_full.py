"""Embedded SQLite on a disk that fills up (a small tmpfs, really full): writes are refused
with 503 and Retry-After — never 500 — and readiness fails; room again, and the same
retry is stored once, readiness back, without a restart."""

from __future__ import annotations

import asyncio
import contextlib
import os
import subprocess

import httpx
import pytest

from tests.servers import kefu_server
from tests.unit.test_visitor_api import start

pytestmark = pytest.mark.integration


@pytest.fixture
def small_disk(tmp_path):
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root")
    mount = tmp_path / "small"
    mount.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=96m", "tmpfs", str(mount)], check=True)
    yield mount
    subprocess.run(["umount", "-l", str(mount)], check=False)


def fill(path) -> None:
    """Write until the disk says no more (large pieces, then small ones)."""
    with open(path, "wb", buffering=0) as f:
        for size in (1 << 20, 1 << 12, 1 << 9):
            with contextlib.suppress(OSError):
                while True:
                    f.write(b"\0" * size)


async def test_a_full_disk_refuses_writes_with_503_and_recovers_by_itself(small_disk):
    env = {"KEFU_DEMO": "true", "KEFU_KB_EMBEDDER": "off", "KEFU_RATE_LIMITS": "false"}
    with kefu_server(small_disk / "data", env=env) as url:
        async with httpx.AsyncClient(base_url=url, timeout=30) as http:
            cid, visitor = await start(http)
            path = f"/api/v1/conversations/{cid}/messages"
            await http.post(f"/api/v1/conversations/{cid}/handoff", headers=visitor)
            fill(small_disk / "filler")
            # Writing until the database finds no room (its log may hold a little).
            refused = None
            for i in range(5000):
                resp = await http.post(path, headers=visitor,
                                       json={"content": f"m{i}", "client_msg_id": f"m{i}"})  # fmt: skip
                assert resp.status_code in (201, 503), resp.text  # never a 500
                if resp.status_code == 503:
                    refused = (i, resp)
                    break
            assert refused is not None, "the full disk never refused a write"
            i, resp = refused
            assert resp.json()["code"] == "storage_unavailable"
            assert int(resp.headers["retry-after"]) >= 1
            started = await http.post("/api/v1/visitor/conversations", json={"widget_key": "demo"})
            assert started.status_code == 503 and started.json()["code"] == "storage_unavailable"
            ready = await http.get("/readyz")
            assert ready.status_code == 503 and ready.json()["storage"] is False
            assert int(ready.headers["retry-after"]) >= 1
            history = await http.get(path, headers=visitor)
            # (SQLite may need a little room even to read: then it says so, the same way.)
            assert history.status_code in (200, 503), history.text
            if history.status_code == 503:
                assert history.json()["code"] == "storage_unavailable"

            (small_disk / "filler").unlink()  # room again: nobody restarts anything
            retry = await http.post(path, headers=visitor,
                                    json={"content": f"m{i}", "client_msg_id": f"m{i}"})  # fmt: skip
            assert retry.status_code == 201, retry.text
            again = await http.post(path, headers=visitor,
                                    json={"content": f"m{i}", "client_msg_id": f"m{i}"})  # fmt: skip
            assert again.status_code == 200 and again.json()["id"] == retry.json()["id"]
            stored = []
            after = 0
            while True:
                page = (await http.get(path, headers=visitor,
                                       params={"after_seq": after})).json()  # fmt: skip
                if not page["messages"]:
                    break
                stored += [m["content"] for m in page["messages"] if m["role"] == "visitor"]
                after = page["messages"][-1]["seq"]
            assert stored == [f"m{n}" for n in range(i + 1)]  # none lost, none doubled
            for _ in range(100):  # readiness returns once writes work again (within ~5 s)
                ready = await http.get("/readyz")
                if ready.status_code == 200:
                    break
                await asyncio.sleep(0.1)
            assert ready.status_code == 200, ready.text
