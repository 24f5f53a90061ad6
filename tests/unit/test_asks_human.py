"""Requests for a human, told apart from messages that only mention people, on a labelled set
in English and Chinese (tests/data/human_requests.json)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from shared.conversations.handoff import wants_human

DATA = json.loads((Path(__file__).parents[1] / "data" / "human_requests.json").read_text())


def test_recall_and_precision_on_the_labelled_set():
    asks, look_alikes = DATA["asks"], DATA["look_alikes"]
    found = [t for t in asks if wants_human(t)]
    false_alarms = [t for t in look_alikes if wants_human(t)]
    recall = len(found) / len(asks)
    precision = len(found) / max(1, len(found) + len(false_alarms))
    missed = sorted(set(asks) - set(found))
    assert recall >= 0.95, f"recall {recall:.2f}; missed: {missed}"
    assert precision >= 0.95, f"precision {precision:.2f}; false alarms: {false_alarms}"


@pytest.mark.parametrize(
    "text",
    ["I'm a human resources manager, what's your return policy?", "Do you sell human hair wigs?"],
)
def test_the_bare_word_human_is_not_a_request(text):
    assert not wants_human(text)


def test_yes_after_the_bot_offered_a_human():
    assert wants_human("yes please", bot_offered_human=True)
    assert not wants_human("yes please")
