"""Render the Knative Services from terraform/templates with default values.

The Terraform module renders the same templates with your variables; this script writes the
defaults here for `kubectl apply -f infra/knative/` users (edit the values below, re-run):

    python infra/knative/render.py
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "terraform" / "templates"
OUT = Path(__file__).resolve().parent

NAMESPACE = "kefu"
IMAGE = "ghcr.io/kefu-dev/kefu:0.1.0"
COMMON = {
    "namespace": NAMESPACE,
    "image": IMAGE,
    "secret_name": "kefu-secrets",
    "database_secret": "kefu-postgres-app",  # written by CloudNativePG for the app user
    "valkey_url": f"valkey://kefu-valkey.{NAMESPACE}.svc.cluster.local:6379/0",
    "plugins_url": f"http://kefu-plugins.{NAMESPACE}.svc.cluster.local",
    "llm_url": f"http://kefu-model.{NAMESPACE}.svc.cluster.local/v1",
    # mlc_llm serve streams tool calls as raw text: describe tools in the prompt instead.
    "llm_tools": "prompt",
}
# Scaling per function (docs/deploy.md explains each choice).
FUNCTIONS = {
    # Chat holds visitors' SSE streams and WebSockets for minutes: each one is a request in
    # flight to Knative. Never scale to zero (the first visitor would wait for a cold start and
    # every idle tab would be cut), target many concurrent streams per pod, and let a revision
    # keep sockets up to the 600 s request timeout (clients resume with after_seq).
    "chat": {
        "min_scale": "1",
        "max_scale": "20",
        "target": "800",
        "container_concurrency": "0",
        "timeout_seconds": "600",
        "scale_down_delay": "10m",
        "cpu_request": "500m",
        "memory_request": "512Mi",
        "memory_limit": "1Gi",
        "db_pool_size": "10",
    },
    # Admin: short requests from a handful of staff; scale to zero when nobody administers.
    "admin": {
        "min_scale": "0",
        "max_scale": "3",
        "target": "50",
        "container_concurrency": "0",
        "timeout_seconds": "300",
        "scale_down_delay": "0s",
        "cpu_request": "100m",
        "memory_request": "256Mi",
        "memory_limit": "512Mi",
        "db_pool_size": "3",
    },
    # Plugins: short calls from chat, bounded there; scale to zero between bursts.
    "plugins": {
        "min_scale": "0",
        "max_scale": "10",
        "target": "100",
        "container_concurrency": "0",
        "timeout_seconds": "30",
        "scale_down_delay": "2m",
        "cpu_request": "100m",
        "memory_request": "256Mi",
        "memory_limit": "512Mi",
        "db_pool_size": "3",
    },
}
MODEL = {
    "namespace": NAMESPACE,
    "image": "ghcr.io/kefu-dev/kefu:0.1.0-gpu",
    "model": "HF://mlc-ai/Qwen2.5-3B-Instruct-q4f16_1-MLC",
    # Loading weights onto a GPU takes tens of seconds: one replica stays warm by default.
    "min_scale": "1",
    "max_scale": "2",
    "target": "16",
    "container_concurrency": "0",
    "timeout_seconds": "120",
    "scale_down_delay": "15m",
    "memory_request": "8Gi",
    "memory_limit": "16Gi",
}

_PLACEHOLDER = re.compile(r"\$\{([a-z_]+)\}")


def render(template: str, values: dict[str, str]) -> str:
    """Terraform's templatefile for plain ``${name}`` interpolation (the only kind used)."""

    def fill(match: re.Match[str]) -> str:
        if match.group(1) not in values:
            raise KeyError(f"template needs {match.group(1)!r}")
        return values[match.group(1)]

    return _PLACEHOLDER.sub(fill, template)


def rendered() -> dict[str, str]:
    service = (TEMPLATES / "kefu-service.yaml.tftpl").read_text()
    out = {
        f"{name}.yaml": render(service, {**COMMON, "function": name, **scaling})
        for name, scaling in FUNCTIONS.items()
    }
    out["model.yaml"] = render((TEMPLATES / "model-service.yaml.tftpl").read_text(), MODEL)
    return out


if __name__ == "__main__":
    for name, text in rendered().items():
        (OUT / name).write_text(text)
        print(f"wrote infra/knative/{name}")
