"""The OpenAI-compatible engine against a real server (llama.cpp), end to end through kefu."""

from __future__ import annotations

import asyncio
import json
import time

import httpx
import pytest
import websockets

from shared.bot import INTERRUPTED, MODEL_FAILED
from shared.kb.retriever import Passage
from shared.llm.base import ModelError, ModelRequest
from shared.llm.openai_http import OpenAICompatibleModel
from tests.client import Visitor, next_event
from tests.servers import free_port, kefu_server

QUESTION = ModelRequest(
    tenant_id="t",
    question="Is delivery free?",
    language="en",
    passages=[Passage("c", "d", "FAQ", "faq.md", "Shipping cost", "Free over $49.", 3.0, 0.9)],
)


async def test_engine_streams_pieces_from_a_real_server(llama_server):
    model = OpenAICompatibleModel(llama_server, max_tokens=24)
    await model.start()
    try:
        assert await model.ping()
        pieces = [p async for p in model.stream(QUESTION)]
    finally:
        await model.stop()
    assert len(pieces) >= 2
    assert "".join(pieces).strip()


async def test_a_server_that_is_down_fails_fast_with_a_clear_error():
    model = OpenAICompatibleModel(
        f"http://127.0.0.1:{free_port()}/v1", model="m", first_token_timeout_s=5
    )
    await model.start()
    started = time.monotonic()
    with pytest.raises(ModelError) as failed:
        [p async for p in model.stream(QUESTION)]
    await model.stop()
    assert failed.value.code == "model_unavailable"
    assert time.monotonic() - started < 3


async def test_a_silent_server_hits_the_first_token_deadline(silent_server):
    model = OpenAICompatibleModel(silent_server, model="m", first_token_timeout_s=1.0)
    await model.start()
    started = time.monotonic()
    with pytest.raises(ModelError) as failed:
        [p async for p in model.stream(QUESTION)]
    await model.stop()
    assert failed.value.code == "model_timeout"
    # The 1 s deadline set here, not the 15 s default: a bound far from both (a busy host may
    # take seconds to get round to the timer).
    assert 0.9 < time.monotonic() - started < 8


# --- end to end: a visitor, kefu, and the model server ----------------------------------------


def kefu_with_model(tmp_path, url: str, **extra: str):
    # Same prompt every run (lexical retrieval only) and greedy decoding: the tiny base model's
    # output is then the same every time, instead of sometimes an immediate end of text.
    env = {
        "KEFU_LLM_URL": url,
        "KEFU_LLM_FIRST_TOKEN_TIMEOUT_S": "20",
        "KEFU_KB_EMBEDDER": "off",
        "KEFU_LLM_TEMPERATURE": "0",
        **extra,
    }
    return kefu_server(tmp_path / "data", env=env)


async def test_streamed_deltas_reach_the_visitor_and_one_final_message_is_stored(
    tmp_path, llama_server
):
    with kefu_with_model(tmp_path, llama_server, KEFU_LLM_MAX_TOKENS="24") as url:
        async with httpx.AsyncClient(timeout=30) as http:
            visitor = await Visitor.start(http, url)
            async with websockets.connect(visitor.ws_url()) as ws:
                await ws.send(json.dumps({"type": "message", "content": "Is delivery free?"}))
                deltas, final = [], None
                async with asyncio.timeout(60):
                    while final is None:
                        event = json.loads(await ws.recv())
                        if event["type"] == "delta":
                            deltas.append(event["delta"])
                        elif event["type"] == "message" and event["message"]["role"] == "bot":
                            final = event["message"]
            assert len(deltas) >= 2, final
            assert final["content"] == "".join(deltas).strip()
            assert final["citations"][0]["source"] == "faq_en.md"
            stored = await visitor.messages(http)
            assert [m["role"] for m in stored] == ["visitor", "bot"]


async def test_a_visitor_who_leaves_mid_answer_cancels_the_upstream_generation(
    tmp_path, llama_server
):
    with kefu_with_model(tmp_path, llama_server, KEFU_LLM_MAX_TOKENS="1500") as url:
        async with httpx.AsyncClient(timeout=30) as http:
            visitor = await Visitor.start(http, url)
            async with websockets.connect(visitor.ws_url()) as ws:
                await ws.send(json.dumps({"type": "message", "content": "How do returns work?"}))
                await next_event(ws, "delta", wait=60)
            left = time.monotonic()
            for _ in range(100):
                messages = await visitor.messages(http)
                if len(messages) == 2:
                    break
                await asyncio.sleep(0.1)
            assert messages[-1]["content"] == INTERRUPTED["en"]
            assert time.monotonic() - left < 6
            # The server is free again: a new request starts at once instead of queueing behind
            # the abandoned 1,500-token generation.
            model = OpenAICompatibleModel(llama_server, max_tokens=4)
            await model.start()
            started = time.monotonic()
            [p async for p in model.stream(QUESTION)]
            await model.stop()
            assert time.monotonic() - started < 8
            # The abandoned generation counts as cancelled once its task has unwound (it is
            # cancelled asynchronously, so give a busy machine a moment).
            cancelled = 'kefu_model_requests_total{engine="openai-http",outcome="cancelled"} 1.0'
            for _ in range(50):
                metrics = (await http.get(f"{url}/metrics")).text
                if cancelled in metrics:
                    break
                await asyncio.sleep(0.1)
            outcomes = [m for m in metrics.splitlines() if m.startswith("kefu_model_requests")]
            assert cancelled in metrics, outcomes


@pytest.mark.parametrize("server", ["down", "silent"])
async def test_a_down_or_silent_model_server_gives_the_visitor_a_clear_message_in_time(
    tmp_path, silent_server, server
):
    target = silent_server if server == "silent" else f"http://127.0.0.1:{free_port()}/v1"
    env = {"KEFU_LLM_FIRST_TOKEN_TIMEOUT_S": "2", "KEFU_LLM_MODEL": "m"}
    # warm: the clock below times the turn, not the first turn's wait for the text tools to load
    # (a busy CI host spent over 5 s of it there).
    with kefu_server(tmp_path / "data", env={"KEFU_LLM_URL": target, **env}, warm=True) as url:
        async with httpx.AsyncClient(timeout=30) as http:
            visitor = await Visitor.start(http, url)
            async with websockets.connect(visitor.ws_url()) as ws:
                started = time.monotonic()
                await ws.send(json.dumps({"type": "message", "content": "Is delivery free?"}))
                while True:
                    event = await next_event(ws, "message", wait=14)
                    if event["message"]["role"] == "bot":
                        break
            assert event["message"]["content"] == MODEL_FAILED["en"]
            # The 2 s first-token timeout set here, not the 15 s default nor a hang: a bound far
            # from both (a busy CI host took 4.04 s of the 2 s timeout and the turn around it).
            assert time.monotonic() - started < 12
            await visitor.send(http, "still there?")  # the conversation goes on


async def test_embeddings_from_the_real_server_feed_hybrid_retrieval(llama_server, tmp_path):
    from shared.db.engine import close_engine, engine_from_url, open_engine
    from shared.db.migrate import migrate
    from shared.demo import seed_demo
    from shared.kb.retriever import Retriever
    from shared.kb.store import KbStore

    model = OpenAICompatibleModel(llama_server)
    await model.start()
    engine = engine_from_url(f"sqlite:///{tmp_path}/kefu.db")
    await open_engine(engine)
    await migrate()
    try:
        vectors = await model.embed(["free shipping", "退货"])
        assert vectors is not None and len(vectors) == 2 and len(vectors[0]) == len(vectors[1]) > 16
        tenant_id = await seed_demo(KbStore(engine))
        retriever = Retriever(KbStore(engine), embedder=model.embed, embed_timeout_s=10)
        await retriever.warm(tenant_id)
        passages = await retriever.search(tenant_id, "Is delivery free?")
        assert passages and any(p.similarity != 0.0 for p in passages)
    finally:
        await close_engine(engine)
        await model.stop()


def test_the_test_model_server_is_built_for_any_cpu_of_this_kind():
    """llama.cpp is compiled here from source; tuned to the build machine's CPU it would use AMX
    tiles or AVX-512 where the CPU has them, and die on the first matrix multiply on a machine
    of the same kind whose CPU lacks them (or, with AMX, fault on it). The portable build holds
    no such instruction (pyproject.toml, [tool.uv.extra-build-variables])."""
    import shutil
    import subprocess
    from pathlib import Path

    llama_cpp = pytest.importorskip("llama_cpp")
    objdump = shutil.which("objdump")
    if objdump is None:
        pytest.skip("no objdump (binutils) to read the library with")
    [library] = sorted((Path(llama_cpp.__file__).parent / "lib").glob("libggml-cpu.so"))
    code = subprocess.run(
        [objdump, "-d", "--no-show-raw-insn", str(library)],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    assert "ymm" in code  # AVX2: it did read the machine code
    for instruction in ("ldtilecfg", "tdpbssd", "tileloadd", "zmm"):
        assert instruction not in code, f"{library.name} uses {instruction}"
