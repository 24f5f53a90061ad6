"""Retrieval that holds on knowledge bases it was never built around: typos and pinyin slips,
questions in the other language, follow-ups, and an honest "I don't know".

The labelled set (tests/data/kb_eval/) is scored by tests.bench.answers; here it guards the
level measured (docs/benchmarks.md) so a change that makes answers worse fails.
"""

from __future__ import annotations

import contextlib
import uuid
from datetime import UTC, datetime

import pytest

from shared.conversations.rules import TenantSettings
from shared.db.engine import close_engine, engine_from_url, open_engine
from shared.db.migrate import migrate
from shared.db.tables import Tenant
from shared.kb.checks import answering_bot
from shared.kb.retriever import Passage
from shared.kb.store import KbStore
from shared.playground import preview
from shared.settings import Settings
from tests.bench.answers import DATA, labelled, score

SHOP = """# Lantern Books help

## Refund policy

Refunds are paid back to the original card within 5 business days of us receiving the book.

## 会员卡

会员卡每年 99 元，所有订单免运费，生日当月额外九折。

## 删除账户

在 设置 > 账户 里删除账户，数据保留 30 天后彻底清除。

## Gift wrapping

We wrap any order as a gift for $3. Gift wrapping is chosen at checkout.
"""


@contextlib.asynccontextmanager
async def one_document_shop(
    tmp_path, name: str, title: str, content: str, source: str, embedder: str = "off"
):
    """A tenant whose knowledge base is one document (embedder off: words alone, unless
    ``embedder`` is ``local``), and what the bot would cite for a question."""

    async def load(kb: KbStore, tenant_id: str) -> None:
        await kb.upsert_document(tenant_id, title=title, content=content, source=source)

    async with a_shop(tmp_path, name, load, embedder) as cited:
        yield cited


@contextlib.asynccontextmanager
async def a_shop(tmp_path, name: str, load, embedder: str = "off"):
    """A tenant whose knowledge base ``load(kb, tenant_id)`` fills, and what the bot would cite
    for a question."""
    engine = engine_from_url(f"sqlite:///{tmp_path}/kefu.db")
    await open_engine(engine)
    try:
        await migrate()
        tenant = Tenant(
            id=uuid.uuid4(), name=name, slug=name.lower(), widget_key=name.lower(),
            created_at=datetime.now(UTC),
        )  # fmt: skip
        await Tenant.insert(tenant)
        kb = KbStore(engine)
        await load(kb, str(tenant.id))
        bot, _ = answering_bot(kb, Settings(), embedder)

        async def cited(question: str, history: list[str] | None = None) -> list[Passage]:
            return (await bot.answer_sources(str(tenant.id), question, history or []))[0]

        cited.bot, cited.tenant_id = bot, str(tenant.id)  # type: ignore[attr-defined]
        yield cited
    finally:
        await close_engine(engine)


def sections(passages: list[Passage]) -> list[str]:
    return [p.heading.split(" > ")[-1] for p in passages]


@pytest.fixture
async def shop(tmp_path):
    async with one_document_shop(
        tmp_path, "Lantern", "Lantern Books help", SHOP, "help.md"
    ) as cited:

        async def cites(question: str, history: list[str] | None = None) -> list[str]:
            return sections(await cited(question, history))

        yield cites


async def test_english_typos_are_mended_towards_the_knowledge_bases_words(shop):
    assert await shop("how long does a refnud take") == ["Refund policy"]
    assert await shop("can you do gift wraping") == ["Gift wrapping"]


async def test_a_slip_in_a_words_ending_still_finds_the_word(shop):
    # "instalemnts", "refundabel": the stem changes with the ending, too far from the knowledge
    # base's for a one-or-two-letter mend; the word it starts with is the one meant.
    assert await shop("is it refundabel") == ["Refund policy"]
    assert await shop("are orders refundabel") == ["Refund policy"]


async def test_pinyin_slips_find_the_word_that_sounds_the_same(shop):
    assert await shop("会圆卡多少钱") == ["会员卡"]  # 会圆 typed for 会员


async def test_a_question_in_the_other_language_finds_the_passage(shop):
    assert await shop("How do I delete my account?") == ["删除账户"]
    assert await shop("退款要多久？") == ["Refund policy"]


async def test_traditional_chinese_finds_the_simplified_passage(shop):
    # Taiwan and Hong Kong write 會員卡, 帳戶, 刪除: read as simplified, the words meet.
    assert await shop("會員卡一年多少錢？") == ["会员卡"]
    assert await shop("帳戶要怎麼刪除") == ["删除账户"]
    assert sorted(await shop("會員卡多少錢，還有帳號怎麼刪除？")) == [
        "会员卡",
        "删除账户",
    ]  # two asks


async def test_written_cantonese_finds_the_passage(shop):
    # 你哋/嘅/咩/點/啲/幾耐: Cantonese's grammar words read as Mandarin's (你们/的/什么/怎么/
    # 些/多久); read as words of their own they crowded the question's real words out.
    assert await shop("你哋嘅會員卡有咩好處？") == ["会员卡"]
    assert await shop("佢哋嘅帳戶點刪？") == ["删除账户"]
    assert await shop("啲會員卡幾耐有效？") == ["会员卡"]


async def test_a_knowledge_base_in_traditional_chinese_answers_simplified_questions(tmp_path):
    faq = (
        "# 常見問題\n\n## 運費\n\n訂單滿 500 元免運費，未滿收 60 元。\n\n"
        "## 營業時間\n\n門市每天早上十點營業到晚上八點。\n\n"
        "## 匯出訂單紀錄\n\n在會員頁面可以把訂單紀錄匯出成 Excel 檔案。\n"
    )
    async with one_document_shop(tmp_path, "Harbour", "港灣茶行 常見問題", faq, "faq.md") as cited:
        found = await cited("运费怎么算？")
        assert sections(found) == ["運費"]
        assert "免運費" in found[0].text  # quoted as the owner wrote it
        assert sections(await cited("你们营业时间是几点？")) == ["營業時間"]
        # Taiwan's word is not the mainland's (匯出 for 导出): read as the mainland's, it is.
        assert sections(await cited("怎么导出订单？")) == ["匯出訂單紀錄"]


async def test_a_follow_up_is_read_with_the_question_before_it(shop):
    assert await shop("how much does that cost?") != ["Gift wrapping"]  # alone: no idea what
    assert await shop("how much does that cost?", ["Do you gift wrap orders?"]) == ["Gift wrapping"]


async def test_a_question_about_something_the_kb_never_mentions_is_declined(shop):
    assert await shop("Do you sell Kindle e-readers?") == []
    assert await shop("你们有实体店吗？") == []


async def test_a_name_the_knowledge_base_never_mentions_is_declined(tmp_path):
    """With the built-in embedder, "pay with PayPal" is close in meaning to the passage on ways
    to pay; the knowledge base never names PayPal, so it does not answer."""
    payment = (
        "# Lantern Books help\n\n## Payment methods\n\nWe accept Visa and Mastercard cards "
        "and bank transfer. 支持银行卡和银行转账付款。\n\n## Gift wrapping\n\nWe wrap any order "
        "as a gift for $3.\n"
    )
    async with one_document_shop(
        tmp_path, "Lantern", "Lantern Books help", payment, "help.md", embedder="local"
    ) as cited:
        for question in ["Can I pay with PayPal?", "可以用PayPal付款吗？"]:
            assert await cited(question) == [], question
        # What it names is answered, a slip in a name too.
        assert sections(await cited("Can I pay with Mastercard?")) == ["Payment methods"]
        assert sections(await cited("Can I pay with Mastercrad?")) == ["Payment methods"]
        assert sections(await cited("可以用Visa卡付款吗？")) == ["Payment methods"]
        # Of a question asking two things, only the ask naming PayPal goes unanswered.
        both = "Can I pay with PayPal, and how much is gift wrapping?"
        assert sections(await cited(both)) == ["Gift wrapping"]
        assert sections(await cited("Do you take PayPal? How much is gift wrapping?")) == [
            "Gift wrapping"
        ]


def test_days_months_and_the_clock_are_not_names():
    from shared.kb.query import _name_words

    assert _name_words("Are you open on Saturday until 6 PM in December?") == []
    assert _name_words("Hi Mia, can I pay with PayPal?") == ["PayPal"]  # Mia is greeted
    assert _name_words("Can I pay with PayPal on Monday?") == ["PayPal"]
    assert _name_words("可以用PayPal付款吗？", in_chinese=True) == ["PayPal"]


async def test_a_question_that_asks_two_things_cites_an_answer_for_each(shop):
    assert await shop("How much is gift wrapping, and how long do refunds take?") == [
        "Gift wrapping",
        "Refund policy",
    ]
    assert sorted(await shop("会员卡多少钱？账户怎么删除？")) == ["会员卡", "删除账户"]
    # A second ask read after the first: "it" is the gift wrapping.
    assert await shop("Do you gift wrap? And how much does it cost?") == ["Gift wrapping"]


def test_the_asks_of_a_question_are_told_apart_only_where_each_asks():
    from shared.kb.query import question_parts

    assert question_parts("What does boarding cost per night and do you trim nails?") == [
        "What does boarding cost per night",
        "do you trim nails?",
    ]
    assert question_parts("配送费多少，晚上几点前能送到？") == ["配送费多少", "晚上几点前能送到？"]
    for one in [
        "How do I reset my password and turn on two-factor authentication?",  # one "how"
        "Can I pay by card and cash?",
        "Hi, can I return this? I bought it yesterday.",  # the second is no question
        "I'm stuck in traffic and will be 20 minutes late",  # "will be": no question
        "Do you ship to Canada and how much is it?",  # "it": nothing to look up alone
        "我想退货，怎么操作？",  # the first clause asks nothing
        "笔记怎么在手机和电脑之间同步？",
    ]:
        assert question_parts(one) == [one]


def test_the_labelled_set_is_what_the_docs_say():
    items = labelled()
    kinds = {i["tag"] for i in items}
    assert len(items) >= 150 and len({i["kb"] for i in items}) >= 3
    assert {"followup", "typo", "mixed", "absent", "multi", "short"} <= kinds
    assert sum(i["expect"] is None for i in items) >= 25
    assert sum(bool(i["history"]) for i in items) >= 15


async def test_answer_quality_on_unseen_knowledge_bases_holds(tmp_path):
    report = (await score(labelled(), tmp_path))["all"]
    print(
        f"\nunseen KBs: hit@1 {report.hit_at_1}, hit@3 {report.hit_at_3}, declines "
        f"{report.decline_precision}/{report.decline_recall}, citations {report.citation_precision}"
    )
    # The level measured when this was written (docs/benchmarks.md), less one or two cases.
    assert report.hit_at_3 >= 0.85
    assert report.hit_at_1 >= 0.81
    assert report.decline_recall >= 0.77  # 0.667 before the best passage had to stand out
    assert report.citation_precision >= 0.89  # 0.861 before


async def test_answer_quality_in_the_other_language_and_on_a_held_out_knowledge_base_holds(
    tmp_path,
):
    """Chinese questions to the English-only clinic, English ones to the Chinese-only grocery
    service (dev probes), and a fourth knowledge base
    held out from all tuning (an English hotel asked in English, Chinese and mixed): the level
    measured when the bars were lowered across languages (docs/benchmarks.md), less a case."""
    for name in ("zh", "en", "hotel"):
        (tmp_path / name).mkdir()
    chinese = (await score(labelled("vet_zh"), tmp_path / "zh"))["all"]
    assert chinese.hit_at_1 >= 0.72  # 0.12 before
    english = (await score(labelled("grocery_en"), tmp_path / "en"))["all"]
    # 0.71 before; 0.857 before the best passage had to stand out, which declines "How much is
    # the delivery fee?" rather than answer it from the return shipping passage
    assert english.hit_at_3 >= 0.76
    hotel = (await score(labelled("hotel"), tmp_path / "hotel"))["all"]
    assert hotel.hit_at_3 >= 0.82  # 0.69 before
    assert hotel.decline_recall >= 0.66


async def test_an_english_help_centre_answers_questions_asked_in_chinese(tmp_path):
    """A Chinese visitor, an English-only knowledge base: the embedder reads the same closeness
    lower across the two languages (its bars are lowered by as much), single characters that
    such a knowledge base can never hold do not count against it, and a compound the
    dictionary lacks bridges through its parts (绝育手术: 绝育 + 手术)."""
    clinic = (
        "# Harbor Lane Vet help\n\n## Spaying and neutering\n\nA dog spay costs $350 and a cat "
        "neuter $120, including pain relief.\n\n## Vaccinations\n\nPuppies get their first "
        "vaccine at 8 weeks, with boosters at 12 and 16 weeks.\n\n## Opening hours\n\nWe are "
        "open Monday to Friday from 8:00 to 19:00 and on Saturday from 9:00 to 14:00.\n\n"
        "## Parking\n\nFree parking with 20 spaces is behind the building.\n"
    )
    async with one_document_shop(
        tmp_path, "Harbor", "Harbor Lane Vet help", clinic, "help.md", embedder="local"
    ) as cited:
        assert sections(await cited("绝育手术多少钱？")) == ["Spaying and neutering"]
        assert sections(await cited("小狗什么时候打第一针疫苗")) == ["Vaccinations"]
        assert sections(await cited("可以停车吗？")) == ["Parking"]
        assert await cited("你们卖宠物保险吗？") == []  # the clinic never mentions insurance


def test_the_thesaurus_words_are_cut_whole():
    """jieba's own dictionary cuts some thesaurus words apart (多少钱 → 多少 钱), and a word cut
    apart never met its concept."""
    from shared.kb.tokenize import tokens

    assert "~cost" in tokens("看一次病多少钱")
    assert "~cost" in tokens("这个多少钱？")


def test_a_compound_the_dictionary_lacks_bridges_through_its_parts():
    from shared.kb.bridge import parts_of

    assert parts_of("绝育手术") == ("绝育", "手术")
    assert parts_of("手术") == ()  # the dictionary holds it: no parts


async def test_a_chinese_help_centre_answers_questions_asked_in_english(tmp_path):
    """The dictionary's words for a compound it lacks come from its parts (手机号: 手机 "mobile
    phone"; 号 alone is too ambiguous), and a sense names its thing before a comma (支付宝: "Alipay, online
    payment service"), so "Alipay" is a name the knowledge base holds."""
    faq = (
        "# 帮助\n\n## 更换手机号\n\n在“设置 > 账户安全”更换绑定手机号，需要先通过身份验证。\n\n"
        "## 支付方式\n\n支持微信支付、支付宝和银行卡支付。\n\n## 配送时间\n\n每天早上8点到晚上9点配送。\n"
    )
    async with one_document_shop(tmp_path, "Fresh", "帮助", faq, "help.md") as cited:
        assert sections(await cited("How can I change my phone number?")) == ["更换手机号"]
        assert sections(await cited("Can I pay with Alipay?")) == ["支付方式"]


def test_a_chinese_word_is_a_name_only_where_the_dictionary_reads_it_only_as_one():
    from shared.kb.query import _chinese_names

    assert _chinese_names("你们接受微信支付吗") == ["微信"]
    assert _chinese_names("淘宝上有店吗？") == ["淘宝"]
    # Common words, a common reading beside a place name (开封: Kaifeng, "to open"), days.
    for question in [
        "没有网络的时候能写笔记吗",
        "没开封的药可以退吗",
        "周六几点关门",
        "苹果多少钱",
    ]:
        assert _chinese_names(question) == [], question


async def test_a_chinese_name_the_knowledge_base_never_mentions_is_declined(tmp_path):
    """微信 is WeChat: an English help centre that names Alipay and never WeChat answers the
    one and declines the other, as it would "Can I pay with WeChat Pay?"."""
    help_centre = (
        "# Harbor Lane Vet help\n\n## Payment methods\n\nWe accept cash, debit and credit cards, "
        "Apple Pay and Alipay. We do not accept cheques. Payment is due at the end of each "
        "visit.\n\n## Opening hours\n\nWe are open Monday to Friday from 8:00 to 19:00.\n"
    )
    async with one_document_shop(
        tmp_path, "Harbor", "Harbor Lane Vet help", help_centre, "help.md", embedder="local"
    ) as cited:
        assert await cited("你们接受微信支付吗") == []
        assert sections(await cited("可以用支付宝付款吗？")) == ["Payment methods"]


def test_greetings_and_thanks_around_a_question_are_not_what_it_means():
    from shared.kb.query import without_courtesy

    # what is left starts the sentence: read as the same question asked plainly (one vector,
    # so one answer on any CPU, not two vectors a hair apart)
    assert without_courtesy("Thanks, is delivery free?") == "Is delivery free?"
    assert without_courtesy("just tell me: is delivery free?") == "Is delivery free?"
    assert without_courtesy("Quick question - do you ship abroad?") == "Do you ship abroad?"
    assert without_courtesy("我想问一下运费多少") == "运费多少"
    assert without_courtesy("Hi there! Do you ship to Canada? Thanks so much") == (
        "Do you ship to Canada?"
    )
    assert without_courtesy("你好，请问运费多少？谢谢") == "运费多少？"
    assert without_courtesy("thanks") == "thanks"  # nothing else: left as it is


async def test_thanks_or_a_person_declined_do_not_change_an_answer(tmp_path):
    """ "Thanks," pulled the demo shop's "Is delivery free?" to the passage that apologises for a
    damaged item (the embedder reads the courtesy as part of the meaning)."""
    from pathlib import Path

    import shared.demo

    faq = (Path(shared.demo.__file__).parent / "faq_en.md").read_text()
    async with one_document_shop(
        tmp_path, "Maple", "Maple & Moss Help Center", faq, "faq_en.md", embedder="local"
    ) as cited:
        plain = sections(await cited("Is delivery free?"))
        assert plain and "shipping" in plain[0]
        assert sections(await cited("Thanks, is delivery free?"))[:1] == plain[:1]
        # Declining a person is no part of the question either ("no" and "agent" pulled it to
        # the damaged-item passage and the support hours).
        for question in [
            "no need for an agent, thanks - is delivery free?",
            "I don't need a human, just tell me: is delivery free?",
            "Don't put me through to anyone, is delivery free?",
        ]:
            assert sections(await cited(question))[:1] == plain[:1], question


def test_the_people_who_answer_are_not_the_hours_they_work():
    """ "agent" and 人工 read as the opening-hours concept: "no need for an agent" and 在线支付
    met every passage about hours."""
    from shared.kb.tokenize import tokens

    assert "~hours" not in tokens("no need for an agent")
    assert "~hours" not in tokens("支持在线支付吗")
    assert "~hours" not in tokens("Does it support Markdown?")
    asked = tokens("When are your agents available?")
    assert "~staff" in asked and "~hours" in asked


async def test_a_real_word_is_no_slip_of_a_shorter_word_it_begins_with(tmp_path):
    """ "Apple" is not a slip of the help centre's "App", nor "freeze" of "free": read as slips,
    Apple Pay was answered from the passage on the ways to pay, and freezing a membership
    from a passage about what is free. A slip still finds its word, and a real word may still
    be the help centre's longer form of it ("late" for "later")."""
    from shared.kb.index import Bm25Index
    from shared.kb.query import Vocabulary
    from shared.kb.tokenize import tokens

    words = Vocabulary(Bm25Index([tokens("Open the App. Lockers are free. Pay later.")]))
    assert words.spelled("freez", real=True) == []
    assert words.spelled("freez") != []  # the same letters as a slip would be mended
    assert words.spelled("late", real=True) == ["later"]
    faq = (
        "# 帮助\n\n## 付款方式\n\nApp 里支持微信支付和支付宝，前台还可以刷银行卡。\n\n"
        "## 储物柜\n\n储物柜免费使用，离开时需要清空。\n"
    )
    async with one_document_shop(tmp_path, "Gym", "帮助", faq, "help.md", "local") as cited:
        assert await cited("Can I pay with Apple Pay?") == []
        assert sections(await cited("Can I pay with WeChat Pay?")) == ["付款方式"]


async def test_a_slip_in_an_english_question_to_a_chinese_help_centre_is_mended(tmp_path):
    """ "stuent" is a slip of "student", a word the help centre never writes (it writes 学生):
    the slip is mended towards the English of the Chinese words it holds."""
    faq = (
        "# 帮助\n\n## 学生优惠\n\n学生凭有效学生证办卡享受 8 折优惠。\n\n"
        "## 续卡优惠\n\n会员卡到期前 30 天内续卡享受 9 折优惠。\n"
    )
    async with one_document_shop(tmp_path, "Gym", "帮助", faq, "help.md") as cited:
        assert sections(await cited("is there a stuent discount?"))[:1] == ["学生优惠"]


async def test_a_holiday_is_asked_about_as_a_date_where_the_help_centre_speaks_of_holidays(
    tmp_path,
):
    """春节 and Christmas are names, and a help centre that never mentions a holiday cannot say
    what happens on one (declined, a person offered); one that says what it does on public
    holidays answers for each of them, as "Mon-Sat" answers for Sunday."""
    holidays = (
        "# Help\n\n## Shipping on holidays\n\nOn public holidays (法定节假日) we do not ship: orders "
        "placed then ship on the next working day.\n\n## Returns\n\nReturn any item within 30 "
        "days for a full refund.\n"
    )
    async with one_document_shop(tmp_path, "Kite", "Help", holidays, "help.md", "local") as cited:
        assert sections(await cited("春节期间发货吗？")) == ["Shipping on holidays"]
        assert sections(await cited("Do you ship over Christmas?")) == ["Shipping on holidays"]
    (tmp_path / "plain").mkdir()
    plain = "# Help\n\n## Shipping\n\nWe ship every order within 24 hours.\n"
    async with one_document_shop(
        tmp_path / "plain", "Kite", "Help", plain, "help.md", "local"
    ) as cited:
        assert await cited("春节期间发货吗？") == []


async def test_a_membership_asked_for_in_english_finds_the_chinese_members_passage(tmp_path):
    """A member and a membership are one thing (会员, 会员卡): the dictionary has no word for
    "membership" that a Chinese help centre writes."""
    faq = (
        "# 帮助\n\n## 会员卡\n\n会员卡每月 30 元，会员免运费。\n\n"
        "## 配送时间\n\n每天早上 8 点到晚上 9 点配送。\n\n## 退款\n\n退款 3 天内到账。\n"
    )
    async with one_document_shop(tmp_path, "Fresh", "帮助", faq, "help.md") as cited:
        assert sections(await cited("What does the membership give me?"))[:1] == ["会员卡"]


async def test_a_passage_that_stands_out_no_more_than_the_rest_grounds_nothing(tmp_path):
    """With the passage that answers taken out of a knowledge base, the best one left is near
    the question only as much of the knowledge base is: the bot declines instead of answering
    "可以停车吗" from the group classes' booking rules (similar enough, and sharing 可以: the
    similarity floor and the words let it through)."""
    gym = DATA / "gym"

    def loads(without: str = ""):
        async def load(kb: KbStore, tenant_id: str) -> None:
            for path in sorted(gym.glob("*.md")):  # imported as tests.bench.answers does
                content = path.read_text()
                if without and without in content:  # that section, up to the next
                    start = content.index(without)
                    end = content.index("\n## ", start + 1)
                    content = content[:start] + content[end + 1 :]
                await kb.import_bytes(tenant_id, content.encode(), path.name)

        return load

    (tmp_path / "whole").mkdir()
    async with a_shop(tmp_path / "whole", "Gym", loads(), "local") as cited:
        assert sections(await cited("可以停车吗")) == ["停车"]
    (tmp_path / "without").mkdir()
    async with a_shop(tmp_path / "without", "Gym", loads("## 停车"), "local") as cited:
        assert await cited("可以停车吗") == []
        # The owner's playground says why, with the number and the bar.
        seen = await preview(cited.bot, TenantSettings(), cited.tenant_id, "可以停车吗", [])
        assert (seen.outcome, seen.reason) == ("decline", "not_distinct")
        best = seen.passages[0]
        assert best.standing is not None and best.standing < seen.needs["stands_out"]
        assert f"{best.standing:.1f} standard deviations" in seen.explanation
