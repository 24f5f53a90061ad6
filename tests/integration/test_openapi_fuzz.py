"""Property-based fuzzing of the whole OpenAPI surface (schemathesis + Hypothesis), bounded for CI.

A real ``kefu serve`` (Granian, embedded defaults) is fuzzed with the schema it publishes: every
operation, with generated bodies, parameters and ids, as an owner, an agent and a visitor.
It must never answer 5xx, and every response must be one the schema documents, in shape too.
Rate limits are off here (the fuzzer is one client hammering every endpoint); they have their
own tests.
"""

from __future__ import annotations

import os

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from shared.demo import DEMO_AGENT
from tests.servers import create_owner, kefu_server

# Bounded by examples, not by time: ~3,000 requests (every operation x KEFU_FUZZ_EXAMPLES), which
# on a slow 2-core host take longer than the suite's 120 s guard against hangs.
pytestmark = [pytest.mark.integration, pytest.mark.timeout(600)]

EXAMPLES = int(os.environ.get("KEFU_FUZZ_EXAMPLES", "50"))
CHECKS = (
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
)


def _login(url: str, email: str, password: str) -> str:
    resp = httpx.post(f"{url}/api/v1/auth/login", json={"email": email, "password": password})
    resp.raise_for_status()
    return resp.json()["access_token"]


@pytest.fixture(scope="module")
def fuzz_target(tmp_path_factory):
    root = tmp_path_factory.mktemp("fuzz")
    env = {"KEFU_DEMO": "true", "KEFU_RATE_LIMITS": "false"}
    with kefu_server(root / "data", env=env) as url:
        create_owner(root / "data", "owner@fuzz.example", "fuzz owner password")
        started = httpx.post(
            f"{url}/api/v1/visitor/conversations", json={"widget_key": "demo"}
        ).json()
        yield {
            "url": url,
            "owner": _login(url, "owner@fuzz.example", "fuzz owner password"),
            "agent": _login(url, *DEMO_AGENT),
            "visitor": started["visitor_token"],
        }


def _token_for(path: str, target: dict) -> str:
    if path.startswith("/api/v1/agent"):
        return target["agent"]
    if path.startswith("/api/v1/conversations"):
        return target["visitor"]
    return target["owner"]


def _fuzz(operation, base_url: str, headers: dict[str, str]) -> None:
    @given(case=operation.as_strategy())
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        derandomize=True,
        database=None,
    )
    def run(case) -> None:
        case.call_and_validate(base_url=base_url, headers=headers, checks=CHECKS)

    run()


def test_no_operation_fails_or_breaks_its_schema(fuzz_target):
    schema = schemathesis.openapi.from_url(f"{fuzz_target['url']}/schema/openapi.json")
    failures: list[str] = []
    operations = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1
        headers = {"Authorization": f"Bearer {_token_for(operation.path, fuzz_target)}"}
        try:
            _fuzz(operation, fuzz_target["url"], headers)
        except (Exception, BaseExceptionGroup) as exc:  # collect all operations' failures
            # A flaky failure's own message says only that; the failures it saw say why.
            inner = "; ".join(repr(e) for e in getattr(exc, "exceptions", ()))
            failures.append(f"{operation.method.upper()} {operation.path}: {exc} {inner}"[:3000])
    assert operations >= 30, "the schema lost its operations"
    assert not failures, "\n\n".join(failures)
