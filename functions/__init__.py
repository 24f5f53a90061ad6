"""Deployable functions: chat, admin, plugins, or all of them in one app."""

from __future__ import annotations

import importlib

from litestar import Litestar

__all__ = ["FUNCTIONS", "create_app"]

FUNCTIONS = ("all", "chat", "admin", "plugins")


def create_app(name: str = "all") -> Litestar:
    """The app for one function by name (``all`` for every function together)."""
    if name not in FUNCTIONS:
        raise ValueError(f"unknown function {name!r}; choose one of {', '.join(FUNCTIONS)}")
    module = importlib.import_module(f"functions.{name}")
    return module.create_app()
