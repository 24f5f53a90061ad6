"""Dashboards' metrics move with a chat exchange: dialog_requests_total and response_time, with
one worker and with several (every scrape sums all workers)."""

from __future__ import annotations

import re

import httpx
import pytest

from tests.servers import kefu_server
from tests.unit.test_visitor_api import say, start, wait_for_messages

pytestmark = pytest.mark.integration

MESSAGES = "/api/v1/conversations/{conversation_id}/messages"


def sample(text: str, name: str, **labels: str) -> float:
    """The value of one series in Prometheus text format (0 when absent)."""
    total = 0.0
    for line in text.splitlines():
        if not line.startswith((name + "{", name + " ")):
            continue
        head = line[: line.rindex("}")] if "{" in line else ""
        found = dict(re.findall(r'(\w+)="([^"]*)"', head))
        if all(found.get(k) == v for k, v in labels.items()):
            total += float(line.rsplit(" ", 1)[1])
    return total


@pytest.mark.parametrize("workers", [1, 2])
async def test_a_chat_exchange_moves_the_request_metrics(tmp_path, workers):
    with kefu_server(tmp_path / "data", env={"KEFU_DEMO": "true"}, workers=workers) as url:
        async with httpx.AsyncClient(base_url=url, timeout=10) as http:
            before = (await http.get("/metrics")).text
            cid, visitor = await start(http)
            for question in ("How much does shipping cost?", "Do you ship abroad?", "Returns?"):
                assert (await say(http, cid, visitor, question)).status_code == 201
            await wait_for_messages(http, cid, visitor, 6)
            scrapes = [(await http.get("/metrics")).text for _ in range(6)]
    posted = {"endpoint": MESSAGES, "method": "POST", "status": "201"}
    assert sample(before, "dialog_requests_total", **posted) == 0
    for text in scrapes:  # whichever worker answers the scrape, it reports all of them
        assert sample(text, "dialog_requests_total", **posted) == 3
        assert sample(text, "response_time_bucket", endpoint=MESSAGES, le="+Inf") >= 3
        assert sample(text, "response_time_count", endpoint=MESSAGES) >= 3
        assert sample(text, "kefu_conversations_started_total") == 1
        assert sample(text, "kefu_bot_answers_total") >= 3
