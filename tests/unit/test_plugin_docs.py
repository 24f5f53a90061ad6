"""The plugin example in docs/plugins.md works as written: register, call, test."""

from __future__ import annotations

import re
import sys
import types
from pathlib import Path

from shared.plugins.base import _REGISTRY

DOC = Path(__file__).resolve().parents[2] / "docs" / "plugins.md"


async def test_the_documented_plugin_and_its_test_run_as_written():
    blocks = re.findall(r"```python\n(.*?)```", DOC.read_text(), re.S)
    plugin_code, test_code = blocks[0], blocks[1]
    assert len(plugin_code.splitlines()) + len(test_code.splitlines()) < 30
    module = types.ModuleType("kefu_parcels")
    sys.modules["kefu_parcels"] = module
    try:
        exec(compile(plugin_code, "kefu_parcels.py", "exec"), module.__dict__)  # noqa: S102
        assert "parcel_tracker" in _REGISTRY
        namespace: dict = {}
        exec(compile(test_code, "test_kefu_parcels.py", "exec"), namespace)  # noqa: S102
        await namespace["test_parcel"]()
    finally:
        sys.modules.pop("kefu_parcels", None)
        _REGISTRY.pop("parcel_tracker", None)
