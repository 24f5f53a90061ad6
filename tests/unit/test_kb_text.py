"""Tokens and chunks: Chinese is segmented, English stemmed, paraphrases meet on concepts."""

from __future__ import annotations

from shared.kb.chunk import chunk_markdown, chunk_section, chunk_text
from shared.kb.tokenize import CHAR_PREFIX, detect_language, tokens


def test_chinese_is_segmented_into_words_not_split_on_whitespace():
    terms = tokens("我的订单什么时候发货")
    assert "订单" in terms
    assert "的" not in terms and "我" not in terms
    assert any(t.startswith(CHAR_PREFIX) for t in terms)


def test_english_is_stemmed_and_stop_words_dropped():
    assert tokens("The orders were cancelled") == tokens("order cancel")


def test_paraphrases_share_a_concept_across_languages():
    assert set(tokens("parcel")) & set(tokens("shipping")) & set(tokens("快递"))


def test_fullwidth_text_is_normalised():
    assert tokens("ＡＢＣ１２３") == tokens("abc123")


def test_language_detection():
    assert detect_language("退款多久到账") == "zh"
    assert detect_language("When is my refund due?") == "en"
    assert detect_language("订单 12345 refund") == "zh"


def test_markdown_chunks_follow_sections_and_unwrap_lines():
    chunks = chunk_markdown("# FAQ\n\n## Shipping\n\nWe ship\nfast.\n\n## Returns\n\n30 days.\n")
    assert [(c.heading, c.text) for c in chunks] == [
        ("FAQ > Shipping", "We ship fast."),
        ("FAQ > Returns", "30 days."),
    ]


def test_long_text_is_split_with_overlap_and_nothing_lost():
    paragraphs = [f"Paragraph {i} " + "word " * 40 for i in range(12)]
    chunks = chunk_text("\n\n".join(paragraphs), max_chars=600)
    assert len(chunks) > 1
    joined = "\n\n".join(c.text for c in chunks)
    assert all(p.strip() in joined for p in paragraphs)
    assert chunks[1].text.split("\n\n")[0] == chunks[0].text.split("\n\n")[-1]  # overlap
    assert all(len(c.text) <= 600 for c in chunks)


def test_tokenising_in_several_threads_at_once_gives_each_the_same_terms():
    """Documents are tokenised in worker threads while questions are tokenised on the event
    loop: a shared stemmer mixed their words up (wrong terms, or an IndexError)."""
    import random
    import threading

    from shared.kb.tokenize import tokens

    rng = random.Random(7)
    texts = [
        " ".join("".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(9)) + "ational"
                 for _ in range(40))
        for _ in range(40)
    ]  # fmt: skip
    expected = [tokens(t) for t in texts[:5]]
    results: dict[int, list] = {}
    errors: list[str] = []

    def work(n: int) -> None:
        try:
            results[n] = [tokens(t) for t in texts[5:]] + [tokens(t) for t in texts[:5]]
        except Exception as exc:  # noqa: BLE001 - any failure fails the test below
            errors.append(repr(exc))

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert all(got[-5:] == expected for got in results.values())


PLAIN_FAQ = """Acme Bikes - FAQ

Q: How long does delivery take?
A: Two to three working days
in mainland China.

Q: Can I return an opened item?
A: Yes, within 14 days.

3. Do you ship abroad?
Not yet.

**Is there a student discount?**
10% with a valid student card.
"""


def test_a_plain_text_faq_is_one_passage_per_answer_named_by_its_question():
    chunks = chunk_section(PLAIN_FAQ, heading="acme faq")
    assert [(c.heading, c.text) for c in chunks] == [
        ("acme faq > Acme Bikes - FAQ > How long does delivery take?",
         "Two to three working days in mainland China."),
        ("acme faq > Acme Bikes - FAQ > Can I return an opened item?", "Yes, within 14 days."),
        ("acme faq > Acme Bikes - FAQ > Do you ship abroad?", "Not yet."),
        ("acme faq > Acme Bikes - FAQ > Is there a student discount?",
         "10% with a valid student card."),
    ]  # fmt: skip


def test_a_chinese_faq_and_a_markdown_section_of_questions_split_the_same_way():
    zh = "门店须知\n\n问：几点开门？\n答：每天9点。\n\n问：可以带宠物吗？\n答：可以，需要拴绳。\n"
    assert [(c.heading, c.text) for c in chunk_section(zh, heading="门店")] == [
        ("门店 > 门店须知 > 几点开门？", "每天9点。"),
        ("门店 > 门店须知 > 可以带宠物吗？", "可以，需要拴绳。"),
    ]
    md = "# Help\n\n## Payments\n\nWe take cards.\nAnd cash in store.\n\nHow do I pay online?\nBy card.\n\nCan I pay later?\nNo.\n"
    assert [(c.heading, c.text) for c in chunk_markdown(md)] == [
        ("Help > Payments", "We take cards. And cash in store."),  # what comes before: its own
        ("Help > Payments > How do I pay online?", "By card."),
        ("Help > Payments > Can I pay later?", "No."),
    ]


def test_prose_with_a_question_in_it_is_not_taken_for_a_faq():
    prose = "We love our customers.\n\nWondering about sizes?\nSee the chart.\n\nThanks!"
    assert [c.text for c in chunk_section(prose, heading="About")] == [
        "We love our customers.\n\nWondering about sizes? See the chart.\n\nThanks!"
    ]
    unanswered = "Questions to ask your vet:\n- Is my dog healthy?\n- Does it need shots?\n"
    assert len(chunk_section(unanswered, heading="Vet")) == 1


def test_a_table_is_one_line_per_row_each_cell_named_by_its_column():
    md = (
        "# Plans\n\n## Prices\n\nOur plans:\n"
        "| Plan | Price | Devices |\n|:-----|------:|---|\n| Free | ¥0 | 3 |\n| Pro | ¥18/month | |\n\n"
        "A | on its own is just text.\n"
    )
    assert [c.text for c in chunk_markdown(md)] == [
        "Our plans:\n- Plan: Free; Price: ¥0; Devices: 3\n- Plan: Pro; Price: ¥18/month\n\n"
        "A | on its own is just text."
    ]
