"""Visitors who write traditional Chinese (Taiwan, Hong Kong) read the bot in traditional
characters: its own texts, the model's answers (the prompt asks for them), the day names of
business hours. Told by the characters they write, or their page's language tag."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from shared.conversations.rules import BusinessHours, HandoffRules, TenantSettings
from shared.conversations.visitors import profile_language
from shared.kb.tokenize import base_language, detect_language, simplified, writes_traditional
from shared.llm.base import ModelRequest
from shared.llm.prompt import build_messages, declines
from shared.plugins.step import PLUGIN_FAILED
from shared.texts import Texts

KB_EVAL = Path(__file__).parents[1] / "data" / "kb_eval"


def questions(name: str) -> list[str]:
    return [q["q"] for q in json.loads((KB_EVAL / f"{name}.json").read_text())["questions"]]


@pytest.mark.parametrize("name", ["traditional", "cantonese"])
def test_every_labelled_traditional_and_cantonese_question_is_told_traditional(name):
    told = {q: detect_language(q) for q in questions(name)}
    assert [q for q, language in told.items() if language != "zh-Hant"] == []


def test_no_simplified_or_english_question_is_told_traditional():
    told = {q: detect_language(q) for q in questions("questions")}
    assert [q for q, language in told.items() if language == "zh-Hant"] == []
    assert {"en", "zh"} == set(told.values())


@pytest.mark.parametrize(
    "text, traditional",
    [
        ("著名的景點", True),  # 點 is traditional only; 著 is both scripts' in 著名
        ("著名的景点", False),
        ("台北有門市嗎", True),  # 台 is Taiwan's too
        ("台北有门市吗", False),
        ("你哋有冇人", True),  # written Cantonese: Hong Kong writes traditional
        ("你好", False),  # nothing tells: simplified, the default
        ("后天能到吗", False),
        ("後天能到嗎", True),
        ("客服在么", False),  # 么 is the mainland's; Taiwan's variant table reads it as 幺
        ("客服在麼", True),
    ],
)
def test_the_script_is_read_from_the_characters_in_their_phrase(text, traditional):
    assert writes_traditional(text) is traditional


def test_the_bots_texts_in_traditional_keep_their_placeholders():
    texts = Texts(en="Hi {name}", zh="您好，{name}，为您转接")
    assert texts["zh-Hant"] == "您好，{name}，為您轉接"
    assert PLUGIN_FAILED["zh-Hant"] == "抱歉，暫時無法為您查詢。請稍後再試，或轉接人工客服。"
    assert texts["fr"] == "Hi {name}"  # no words in that language: English


def test_the_model_is_asked_for_traditional_chinese():
    request = ModelRequest(tenant_id="t", question="運費怎麼算？", language="zh-Hant", passages=[])
    system = build_messages(request)[0]["content"]
    assert "Reply in Traditional Chinese (繁體中文)" in system


def test_a_model_that_declines_in_traditional_chinese_declines():
    assert declines("抱歉，我沒有找到相關資料。")
    assert declines("我不知道這個問題的答案")


def test_traditional_is_answered_wherever_chinese_is():
    assert TenantSettings(languages=["zh", "en"]).answer_language("zh-Hant") == "zh-Hant"
    assert TenantSettings(languages=["en"]).answer_language("zh-Hant") == "en"
    assert TenantSettings().answer_language("zh-Hant") == "zh-Hant"
    assert base_language("zh-Hant") == "zh" and base_language("en") == "en"


def test_business_hours_name_the_days_in_the_visitors_script():
    hours = BusinessHours(timezone="Asia/Taipei", days=[5, 6])
    assert hours.describe("zh-Hant").startswith("週六, 週日")
    assert hours.describe("zh").startswith("周六, 周日")


def test_an_owners_handoff_phrase_matches_in_either_script():
    rules = HandoffRules(phrases=["转人工"])
    assert rules.matches_phrase("轉人工，謝謝")
    assert HandoffRules(phrases=["轉真人"]).matches_phrase("帮我转真人")


@pytest.mark.parametrize(
    "tag, language",
    [("zh-TW", "zh-Hant"), ("zh-HK", "zh-Hant"), ("zh-Hant-MO", "zh-Hant"), ("zh_hk", "zh-Hant"),
     ("zh-CN", "zh"), ("zh-Hans-HK", "zh"), ("zh", "zh"), ("en-GB", "en"), ("", "en")],
)  # fmt: skip
def test_the_pages_language_tag_tells_the_script(tag, language):
    assert profile_language({"language": tag}) == language


@pytest.mark.parametrize(
    ("text", "read_as"),
    [
        ("行程可以改吗", "行程可以改吗"),  # an itinerary, not a computer's 进程
        ("这个物件能寄吗", "这个物件能寄吗"),  # a thing, not 对象 (a partner)
        ("客服在么", "客服在么"),  # not 在幺
        ("麻烦呼叫人工", "麻烦呼叫人工"),  # not 调用, a program's call
        ("帐号怎么注销", "账号怎么注销"),  # one character for an account, as before
        ("帳號在哪裡改", "账号在哪里改"),  # traditional still read as the mainland's words
        ("網路匯出", "网络导出"),
        ("有冇人喺度", "有没有人在度"),  # Cantonese's grammar words as Mandarin's
    ],
)
def test_simplified_chinese_keeps_its_own_words(text, read_as):
    """Taiwan's word table is read only for text with a traditional character: on the
    mainland's own words it turned 行程 into 进程 and 呼叫 into 调用."""
    assert simplified(text) == read_as
