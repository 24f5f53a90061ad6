"""Apply committed migrations to the bound database."""

from __future__ import annotations

import contextlib
import io
import os

from piccolo.apps.migrations.commands.forwards import run_forwards

__all__ = ["migrate"]


async def migrate(*, verbose: bool = False) -> str:
    """Run every pending migration; return Piccolo's report."""
    os.environ.setdefault("PICCOLO_CONF", "shared.db.piccolo_conf")
    out = io.StringIO()
    with contextlib.redirect_stdout(out) if not verbose else contextlib.nullcontext():
        result = await run_forwards(app_name="kefu")
    if not result.success:
        raise RuntimeError(f"migration failed: {result.message}\n{out.getvalue()}")
    return out.getvalue()
