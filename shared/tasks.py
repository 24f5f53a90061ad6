"""Background work owned by the app (bot turns), awaited on shutdown instead of dropped."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Coroutine
from typing import Any, TypeVar

T = TypeVar("T")

__all__ = ["BackgroundTasks", "cancel_and_wait", "until_disconnected", "ClientLeft"]

log = logging.getLogger("kefu.tasks")


async def cancel_and_wait(
    *tasks: asyncio.Future[Any], ignore: tuple[type[BaseException], ...] = ()
) -> None:
    """Cancel ``tasks`` and wait until each has unwound. Their cancellation is expected, and so
    are errors of the types in ``ignore`` (a socket's task that failed as its peer left)."""
    for task in tasks:
        task.cancel()
    for task in tasks:
        with contextlib.suppress(asyncio.CancelledError, *ignore):
            await task


class ClientLeft(Exception):
    """The HTTP client went away before its request was answered."""


async def until_disconnected(request: Any, work: Coroutine[Any, Any, T]) -> T:
    """``work``'s result, or :class:`ClientLeft` (``work`` cancelled) if the client goes away
    first. For requests whose body was read in full: ASGI then says only ``http.disconnect``."""

    async def gone() -> None:
        while (await request.receive())["type"] != "http.disconnect":
            pass

    task = asyncio.ensure_future(work)
    watcher = asyncio.ensure_future(gone())
    try:
        await asyncio.wait({task, watcher}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        if not task.done():
            await cancel_and_wait(task)
        await cancel_and_wait(watcher, ignore=(Exception,))
    if task.cancelled():
        raise ClientLeft
    return task.result()


class BackgroundTasks:
    def __init__(self) -> None:
        self._tasks: set[asyncio.Task[Any]] = set()

    def spawn(
        self, coro: Coroutine[Any, Any, Any], *, name: str | None = None
    ) -> asyncio.Task[Any]:
        task = asyncio.create_task(coro, name=name)
        self._tasks.add(task)
        task.add_done_callback(self._done)
        return task

    def _done(self, task: asyncio.Task[Any]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("background task %s failed", task.get_name(), exc_info=task.exception())

    def __len__(self) -> int:
        return len(self._tasks)

    def running(self, prefix: str) -> int:
        """How many tasks whose name starts with ``prefix`` are still running."""
        return sum(1 for t in self._tasks if t.get_name().startswith(prefix))

    async def drain(self, timeout_s: float) -> None:
        """Let running work finish within ``timeout_s``, then cancel the rest."""
        if not self._tasks:
            return
        _, pending = await asyncio.wait(set(self._tasks), timeout=timeout_s)
        for task in pending:
            task.cancel()
        if pending:
            await asyncio.wait(pending, timeout=1.0)
