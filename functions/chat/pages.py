"""The web pages kefu serves: the widget script, a demo shop page, the agent console and the
owner's admin."""

from __future__ import annotations

from pathlib import Path

from litestar import get
from litestar.response import File
from litestar.static_files import create_static_files_router

__all__ = ["STATIC_DIR", "page_handlers"]

STATIC_DIR = Path(__file__).parent / "static"


def _file(name: str, media_type: str) -> File:
    return File(
        STATIC_DIR / name,
        media_type=media_type,
        content_disposition_type="inline",
        headers={"Cache-Control": "no-cache"},
    )


@get("/widget.js", include_in_schema=False, sync_to_thread=False)
def widget_js() -> File:
    """The chat widget: ``<script src=".../widget.js" data-widget-key="…" async>``."""
    return _file("widget.js", "text/javascript")


@get("/demo", include_in_schema=False, sync_to_thread=False)
def demo_page() -> File:
    return _file("demo.html", "text/html")


@get("/console", include_in_schema=False, sync_to_thread=False)
def console_page() -> File:
    return _file("console.html", "text/html")


@get(["/admin", "/admin/"], include_in_schema=False, sync_to_thread=False)
def admin_page() -> File:
    """The owner's workspace: static HTML + JS over the admin API (no build step)."""
    return _file("admin.html", "text/html")


page_handlers = [
    widget_js,
    demo_page,
    console_page,
    admin_page,
    create_static_files_router(path="/static", directories=[STATIC_DIR], include_in_schema=False),
]
