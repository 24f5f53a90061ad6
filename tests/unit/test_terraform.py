"""Offline checks of the Terraform module (no terraform binary or providers reachable here):
every file parses, variables are typed, described and validated, and the templates the module
renders are the ones tested against the Knative CRD (linters: tests/unit/test_deploy_lint.py)."""

from __future__ import annotations

import re
from pathlib import Path

import hcl2
import pytest

ROOT = Path(__file__).resolve().parents[2]
MODULE = ROOT / "terraform"
FILES = sorted(MODULE.rglob("*.tf"))


def parsed(path: Path) -> dict:
    with path.open() as fh:
        return hcl2.load(fh)


def names(blocks: list[dict]) -> dict[str, dict]:
    """Block label -> body (python-hcl2 keeps the quotes around labels)."""
    return {k.strip('"'): v for block in blocks for k, v in block.items()}


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(MODULE)))
def test_every_file_parses(path):
    assert parsed(path)


def test_every_variable_is_typed_and_described():
    variables = names(parsed(MODULE / "variables.tf")["variable"])
    for name, body in variables.items():
        assert "type" in body and body.get("description"), name
    for name in ("namespace", "image", "secret_key", "functions", "model", "postgres"):
        assert variables[name].get("validation"), f"{name} has no validation"
    assert variables["secret_key"]["sensitive"] is True


def test_the_module_has_outputs_and_the_staged_resources():
    outputs = set(names(parsed(MODULE / "outputs.tf")["output"]))
    assert {"chat_url", "admin_url", "widget_snippet"} <= outputs
    text = (MODULE / "main.tf").read_text()
    for resource in (
        'resource "kubernetes_namespace_v1"',
        'resource "kubernetes_secret_v1"',
        'resource "helm_release" "cnpg"',
        'resource "helm_release" "valkey"',
        'resource "kubernetes_manifest" "postgres"',
        'resource "kubernetes_job_v1" "migrate"',
        'resource "kubernetes_manifest" "function"',
        'resource "kubernetes_manifest" "model"',
        'resource "kubernetes_manifest" "pod_monitor"',
    ):
        assert resource in text, resource
    assert 'repository = "https://valkey.io/valkey-helm/"' in text  # the official chart


def test_default_pools_fit_the_default_database():
    """Every pod keeps its whole database pool open: at max_scale the defaults must fit the
    cluster's max_connections (the precondition on the Postgres cluster would stop the plan)."""
    variables = names(parsed(MODULE / "variables.tf")["variable"])
    functions = variables["functions"]["default"]
    postgres = variables["postgres"]["default"]
    needed = sum(f["max_scale"] * f["db_pool_size"] for f in functions.values()) + 20
    assert needed <= postgres["max_connections"]
    main = (MODULE / "main.tf").read_text()
    assert "f.max_scale * f.db_pool_size" in main and "var.postgres.max_connections" in main


def test_templates_get_every_value_they_need():
    """The keys main.tf passes to templatefile cover every ${...} in the template."""
    text = (MODULE / "main.tf").read_text()
    local_values = {
        k: v for block in parsed(MODULE / "main.tf")["locals"] for k, v in block.items()
    }
    common = {k.strip('"') for k in local_values["common"]}
    function_call = text.split('templates/kefu-service.yaml.tftpl"')[1].split("})))")[0]
    passed = common | set(re.findall(r"^\s+(\w+)\s+=", function_call, re.M))
    needed = set(
        re.findall(
            r"\$\{([a-z_]+)\}", (MODULE / "templates" / "kefu-service.yaml.tftpl").read_text()
        )
    )
    assert needed <= passed, needed - passed
    model_call = text.split('templates/model-service.yaml.tftpl"')[1].split("}))")[0]
    model_needed = set(
        re.findall(
            r"\$\{([a-z_]+)\}", (MODULE / "templates" / "model-service.yaml.tftpl").read_text()
        )
    )
    assert model_needed <= set(re.findall(r"^\s+(\w+)\s+=", model_call, re.M))
