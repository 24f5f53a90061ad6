"""Prompt building, error decoding, engine selection, and the MLC adapter against a stand-in."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace

import pytest

from shared.kb.retriever import Passage
from shared.llm import open_model
from shared.llm.base import ModelError, ModelRequest, Turn
from shared.llm.mlc import INSTALL_HINT, MLCEngineModel, parse_mlc_url, timing_of
from shared.llm.openai_http import OpenAICompatibleModel, error_message
from shared.llm.prompt import build_messages, estimate_tokens
from shared.llm.retrieval import RetrievalOnlyModel
from shared.settings import load_settings

PASSAGES = [
    Passage("c1", "d1", "Help", "faq_en.md", "Help > Returns", "Return within 30 days.", 5.0, 0.9),
    Passage("c2", "d1", "Help", "faq_en.md", "Help > Refunds", "Refunds take 5 days.", 4.0, 0.5),
]


def req(**kw) -> ModelRequest:
    base = {
        "tenant_id": "t",
        "question": "How do returns work?",
        "language": "en",
        "passages": PASSAGES,
    }
    return ModelRequest(**{**base, **kw})


def test_prompt_carries_persona_passages_with_ids_and_language():
    messages = build_messages(req(persona="You are Mia from Maple & Moss.", language="zh"))
    system = messages[0]["content"]
    assert messages[0]["role"] == "system"
    assert system.startswith("You are Mia from Maple & Moss.")
    assert "[1] Help > Returns (source: faq_en.md)" in system and "[2] Help > Refunds" in system
    assert "Simplified Chinese" in system
    assert messages[-1] == {"role": "user", "content": "How do returns work?"}


def test_history_is_trimmed_from_the_oldest_turn_to_fit_the_budget():
    history = [
        Turn("visitor" if i % 2 == 0 else "bot", f"turn {i} " + "word " * 50) for i in range(20)
    ]
    messages = build_messages(req(history=history), budget_tokens=600)
    contents = [m["content"] for m in messages[1:-1]]
    assert contents, "some history fits"
    assert "turn 19" in contents[-1]
    assert not any("turn 0 " in c for c in contents)
    assert sum(estimate_tokens(m["content"]) for m in messages) <= 600 + 60


def test_roles_alternate_and_system_messages_are_left_out():
    history = [
        Turn("visitor", "hi"),
        Turn("visitor", "anyone?"),
        Turn("system", "queued"),
        Turn("bot", "hello"),
    ]
    roles = [m["role"] for m in build_messages(req(history=history))]
    assert roles == ["system", "user", "assistant", "user"]


def test_cjk_text_counts_a_token_per_character():
    assert estimate_tokens("退款多久到账") == 6
    assert estimate_tokens("abcdefgh") == 2


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            b'"{\\"object\\":\\"error\\",\\"message\\":\\"prompt too long\\",\\"code\\":400}"',
            "prompt too long",
        ),
        (
            b'{"error": {"message": "model not found", "type": "invalid_request_error"}}',
            "model not found",
        ),
        (b'{"detail": [{"loc": ["body", "messages"], "msg": "field required"}]}', "field required"),
        (b"Internal Server Error", "Internal Server Error"),
    ],
)
def test_error_bodies_are_decoded_however_wrapped(body, expected):
    assert error_message(body) == expected


def test_engine_is_chosen_by_url():
    assert isinstance(open_model(load_settings({})), RetrievalOnlyModel)
    http = open_model(load_settings({}, llm_url="http://gpu:8000/v1", llm_first_token_timeout_s=5))
    assert isinstance(http, OpenAICompatibleModel) and http.first_token_timeout_s == 5
    assert isinstance(open_model(load_settings({}, llm_url="mlc:///models/qwen")), MLCEngineModel)
    with pytest.raises(ValueError):
        open_model(load_settings({}, llm_url="ftp://nope"))


def test_mlc_urls_map_to_engine_config():
    spec = parse_mlc_url(
        "mlc:///models/Qwen-q4f16_1-MLC?device=cuda&model_lib=/m/lib.so&max_num_sequence=32&gpu_memory_utilization=0.9"
    )
    assert (spec.model, spec.device, spec.model_lib) == (
        "/models/Qwen-q4f16_1-MLC",
        "cuda",
        "/m/lib.so",
    )
    assert spec.engine_config == {"max_num_sequence": 32, "gpu_memory_utilization": 0.9}
    assert parse_mlc_url("mlc://HF://mlc-ai/Qwen-MLC?device=auto").model == "HF://mlc-ai/Qwen-MLC"
    with pytest.raises(ValueError, match="unknown MLC engine option"):
        parse_mlc_url("mlc:///m?max_batch=3")


# --- the MLC adapter against a stand-in of mlc_llm (nothing here claims MLC itself ran) ------


class StandInMLC:
    """Mimics the parts of mlc_llm the adapter uses: AsyncMLCEngine, EngineConfig, chunks."""

    def __init__(self, pieces=("Re", "turns ", "take 30 days."), delay=0.0):
        self.pieces, self.delay = pieces, delay
        self.engines = []
        self.serve = SimpleNamespace(
            config=SimpleNamespace(EngineConfig=lambda **kw: ("EngineConfig", kw))
        )
        outer = self

        class AsyncMLCEngine:
            def __init__(self, model, **kwargs):
                self.model, self.kwargs = model, kwargs
                self.aborted, self.terminated, self.requests = [], False, []
                self.chat = SimpleNamespace(completions=SimpleNamespace(create=self.create))
                outer.engines.append(self)

            async def create(self, **kwargs):
                self.requests.append(kwargs)
                return self._chunks()

            async def _chunks(self):
                for piece in outer.pieces:
                    await asyncio.sleep(outer.delay)
                    yield SimpleNamespace(
                        choices=[SimpleNamespace(delta=SimpleNamespace(content=piece))], usage=None
                    )
                usage = {
                    "prompt_tokens": 40,
                    "completion_tokens": 3,
                    "extra": {
                        "ttft_s": 0.05,
                        "decode_tokens_per_s": 88.0,
                        "prefill_tokens_per_s": 900.0,
                    },
                }
                yield SimpleNamespace(choices=[], usage=usage)

            async def abort(self, request_id):
                self.aborted.append(request_id)

            def terminate(self):
                self.terminated = True

        self.AsyncMLCEngine = AsyncMLCEngine


async def test_mlc_adapter_builds_a_server_mode_engine_off_the_loop_and_streams():
    mlc = StandInMLC()
    model = MLCEngineModel(
        parse_mlc_url("mlc:///m?device=cuda&model_lib=/lib.so&max_num_sequence=16"), module=mlc
    )
    await model.start()
    engine = mlc.engines[0]
    assert engine.kwargs["mode"] == "server"
    assert engine.kwargs["model_lib"] == "/lib.so"
    assert engine.kwargs["engine_config"] == ("EngineConfig", {"max_num_sequence": 16})
    text = "".join([p async for p in model.stream(req())])
    assert text == "Returns take 30 days."
    sent = engine.requests[0]
    assert sent["stream"] is True and sent["stream_options"] == {"include_usage": True}
    assert sent["messages"][0]["role"] == "system"
    assert "user" not in sent
    assert engine.aborted == []  # finished normally: nothing to abort
    await model.stop()
    assert engine.terminated


async def test_mlc_adapter_aborts_the_request_when_the_stream_is_abandoned():
    mlc = StandInMLC(pieces=tuple(f"p{i}" for i in range(100)), delay=0.01)
    model = MLCEngineModel(parse_mlc_url("mlc:///m"), module=mlc)
    await model.start()
    stream = model.stream(req())
    await anext(stream)
    await stream.aclose()
    engine = mlc.engines[0]
    assert engine.aborted == [engine.requests[0]["request_id"]]


async def test_each_mlc_request_gets_its_own_id():
    mlc = StandInMLC()
    model = MLCEngineModel(parse_mlc_url("mlc:///m"), module=mlc)
    await model.start()
    await asyncio.gather(*[_drain(model) for _ in range(3)])
    ids = [r["request_id"] for r in mlc.engines[0].requests]
    assert len(set(ids)) == 3


async def _drain(model):
    return "".join([p async for p in model.stream(req())])


def test_mlc_usage_timings_are_extracted():
    usage = {"prompt_tokens": 1, "extra": {"ttft_s": 0.05, "decode_tokens_per_s": 88.0, "other": 1}}
    assert timing_of(usage) == {"ttft_s": 0.05, "decode_tokens_per_s": 88.0}
    assert timing_of({"prompt_tokens": 1}) == {}


async def test_mlc_missing_says_how_to_install_it():
    model = MLCEngineModel(parse_mlc_url("mlc:///m"))
    with pytest.raises(RuntimeError) as missing:
        await model.start()
    assert "mlc.ai/wheels" in str(missing.value) and str(missing.value) == INSTALL_HINT


async def test_mlc_errors_become_model_errors():
    mlc = StandInMLC()
    model = MLCEngineModel(parse_mlc_url("mlc:///m"), module=mlc)
    await model.start()

    async def broken(**kwargs):
        raise ValueError("KV cache exhausted")

    mlc.engines[0].chat.completions.create = broken
    with pytest.raises(ModelError, match="KV cache exhausted"):
        await _drain(model)
