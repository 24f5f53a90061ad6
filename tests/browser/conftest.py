"""Browser fixtures: one kefu server per module, a real headless Chromium per test.

Screenshots go to a temporary folder, or to ``KEFU_SCREENSHOTS`` when set (``make screenshots``
refreshes docs/img/ that way), so a test run never rewrites files the repository tracks.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import NamedTuple

import pytest

from tests.servers import kefu_server

CHROMIUM = os.environ.get("KEFU_CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")
SHOTS = Path(os.environ.get("KEFU_SCREENSHOTS") or tempfile.mkdtemp(prefix="kefu-shots-"))
VARIANT_SHOTS = Path(tempfile.mkdtemp(prefix="kefu-shots-variants-"))
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


SERVER_DATA: dict[str, Path] = {}


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"no Chromium at {CHROMIUM} (required under CI)")
        pytest.skip(f"no Chromium at {CHROMIUM}")
    data_dir = tmp_path_factory.mktemp("browser") / "data"
    # Imports, webhooks, plugins and own models reach test servers on loopback (refused by default).
    env = {
        "KEFU_KB_IMPORT_ALLOW_PRIVATE": "true",
        "KEFU_WEBHOOK_ALLOW_PRIVATE": "true",
        "KEFU_PLUGINS_ALLOW_PRIVATE": "true",
        "KEFU_LLM_TENANT_ALLOW_PRIVATE": "true",
        # Every test signs the demo agent in and starts visitors, from one address, in four
        # languages and screens.
        "KEFU_RATE_LOGIN": "1000/300",
        "KEFU_RATE_LOGIN_IP": "1000/300",
        "KEFU_RATE_START": "1000/60",
    }
    with kefu_server(data_dir, env=env) as url:
        SERVER_DATA[url] = data_dir
        yield url


class Variant(NamedTuple):
    """A language and a screen the people-facing tests run in."""

    name: str
    locale: str
    viewport: dict

    @property
    def zh(self) -> bool:
        return self.locale.startswith("zh")

    @property
    def phone(self) -> bool:
        return self.viewport["width"] < 700

    def text(self, en: str, zh: str) -> str:
        return zh if self.zh else en


_DESKTOP, _PHONE = {"width": 1280, "height": 800}, {"width": 390, "height": 844}
VARIANTS = [
    Variant("en-desktop", "en-US", _DESKTOP),
    Variant("en-phone", "en-US", _PHONE),
    Variant("zh-desktop", "zh-CN", _DESKTOP),
    Variant("zh-phone", "zh-CN", _PHONE),
]


@pytest.fixture(params=VARIANTS, ids=lambda v: v.name)
def variant(request) -> Variant:
    """English and Chinese, desktop and phone."""
    return request.param


@pytest.fixture
async def browser():
    from playwright.async_api import async_playwright

    async with async_playwright() as pw:
        instance = await pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield instance
        await instance.close()
