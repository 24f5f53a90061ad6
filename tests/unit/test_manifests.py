"""Every Knative manifest (checked in, and as the Terraform templates render it) validates
against the Knative Service CRD's schema, strictly: a misspelled field is an error here, as
pruning would silently drop it in a cluster. Every function has its probes."""

from __future__ import annotations

import copy
import importlib.util
from pathlib import Path

import pytest
import yaml
from jsonschema import Draft7Validator

ROOT = Path(__file__).resolve().parents[2]
CRD = ROOT / "tests" / "data" / "knative-serving-service-crd.yaml"
KNATIVE = ROOT / "infra" / "knative"


def _render_module():
    spec = importlib.util.spec_from_file_location("knative_render", KNATIVE / "render.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _strict(schema: dict) -> dict:
    """Close every object schema that lists its properties (as structural pruning would)."""
    schema = copy.deepcopy(schema)

    def walk(node: object) -> None:
        if isinstance(node, dict):
            if (
                "properties" in node
                and "additionalProperties" not in node
                and not node.get("x-kubernetes-preserve-unknown-fields")
            ):
                node["additionalProperties"] = False
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(schema)
    return schema


@pytest.fixture(scope="module")
def validator() -> Draft7Validator:
    crd = yaml.safe_load(CRD.read_text())
    version = next(v for v in crd["spec"]["versions"] if v["name"] == "v1")
    return Draft7Validator(_strict(version["schema"]["openAPIV3Schema"]))


def _manifests() -> dict[str, str]:
    return _render_module().rendered()


def test_checked_in_manifests_are_what_the_templates_render():
    for name, text in _manifests().items():
        assert (KNATIVE / name).read_text() == text, f"re-run infra/knative/render.py ({name})"


@pytest.mark.parametrize("name", sorted(_manifests()))
def test_each_manifest_validates_against_the_crd(validator, name):
    document = yaml.safe_load(_manifests()[name])
    errors = sorted(validator.iter_errors(document), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors)


def test_a_typo_is_caught(validator):
    document = yaml.safe_load(_manifests()["chat.yaml"])
    document["spec"]["template"]["spec"]["containers"][0]["readinesProbe"] = {}
    assert list(validator.iter_errors(document))


@pytest.mark.parametrize("name", ["chat.yaml", "admin.yaml", "plugins.yaml"])
def test_every_function_has_its_probes_and_scaling(name):
    document = yaml.safe_load(_manifests()[name])
    template = document["spec"]["template"]
    container = template["spec"]["containers"][0]
    assert container["readinessProbe"]["httpGet"]["path"] == "/readyz"
    assert container["livenessProbe"]["httpGet"]["path"] == "/healthz"
    annotations = template["metadata"]["annotations"]
    assert {"autoscaling.knative.dev/min-scale", "autoscaling.knative.dev/target"} <= set(
        annotations
    )
    assert container["securityContext"]["runAsNonRoot"] is True
    env = {e["name"]: e for e in container["env"]}
    assert env["KEFU_FUNCTIONS"]["value"] == name.removesuffix(".yaml")
    assert "secretKeyRef" in env["KEFU_SECRET_KEY"]["valueFrom"]


def test_chat_never_scales_to_zero_and_the_rest_may():
    scale = {
        name: yaml.safe_load(text)["spec"]["template"]["metadata"]["annotations"][
            "autoscaling.knative.dev/min-scale"
        ]
        for name, text in _manifests().items()
    }
    assert scale["chat.yaml"] == "1"
    assert scale["admin.yaml"] == "0" and scale["plugins.yaml"] == "0"


def test_the_model_service_asks_for_a_gpu():
    model = yaml.safe_load(_manifests()["model.yaml"])
    container = model["spec"]["template"]["spec"]["containers"][0]
    assert container["resources"]["limits"]["nvidia.com/gpu"] == "1"
    assert container["command"][:2] == ["mlc_llm", "serve"]
