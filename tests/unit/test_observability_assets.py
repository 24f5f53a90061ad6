"""The Grafana dashboard and the Prometheus rules only name metrics kefu exports; JSON logs
carry the request id."""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path

import yaml
from prometheus_client import REGISTRY

import shared.metrics  # noqa: F401 - registers the metrics
import shared.observability  # noqa: F401
from shared.observability import JsonFormatter, request_id

ROOT = Path(__file__).resolve().parents[2]
METRIC = re.compile(r"\b((?:kefu|dialog|response)_[a-z_]+)\b")


def exported() -> set[str]:
    names = set()
    for family in REGISTRY.collect():
        names.add(family.name)
        names.update(sample.name for sample in family.samples)
        if family.type == "histogram":
            names.update(f"{family.name}_{s}" for s in ("bucket", "sum", "count"))
        if family.type == "counter":
            names.add(f"{family.name}_total")
    return names


def expressions() -> list[str]:
    rules = yaml.safe_load((ROOT / "infra" / "prometheus" / "alerts.yaml").read_text())
    exprs = [r["expr"] for g in rules["spec"]["groups"] for r in g["rules"]]
    dashboard = json.loads((ROOT / "infra" / "grafana" / "kefu.json").read_text())
    exprs += [t["expr"] for p in dashboard["panels"] for t in p["targets"]]
    return exprs


def test_dashboards_and_alerts_use_only_exported_metrics():
    names = exported()
    used = {m for expr in expressions() for m in METRIC.findall(expr)}
    assert {"dialog_requests_total", "response_time_bucket"} <= used
    assert not used - names, f"unknown metrics: {sorted(used - names)}"


def test_json_log_lines_carry_the_request_id():
    token = request_id.set("req-123")
    try:
        record = logging.LogRecord("kefu.test", logging.INFO, __file__, 1, "hello %s", ("x",), None)
        line = json.loads(JsonFormatter().format(record))
    finally:
        request_id.reset(token)
    assert line["message"] == "hello x" and line["request_id"] == "req-123"
