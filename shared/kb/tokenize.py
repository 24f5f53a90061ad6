"""Tokens for lexical retrieval: Chinese by word segmentation (jieba-rs), English stemmed.

Traditional Chinese is read as simplified first (OpenCC, Taiwan and Hong Kong words as the
mainland's), so 運費 finds 运费 and a knowledge base written in either script answers both;
written Cantonese's grammar words as Mandarin's (冇 as 没有, 點樣 as 怎么, 可唔可以 as 可不可以).

Chinese runs yield jieba words plus single characters: words give precision, characters give
recall when a visitor phrases a thing differently (发货 vs 发出). Stop words and characters
carry no meaning for retrieval and are dropped.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from functools import lru_cache

from .synonyms import CONCEPT_GROUPS

__all__ = [
    "tokens", "simplified", "traditional", "writes_traditional", "detect_language", "base_language",
    "written_in", "CHAR_PREFIX", "warm_up", "concept_of",
]  # fmt: skip

_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_RUN = re.compile(rf"[{_CJK}]+|[a-z0-9]+(?:'[a-z]+)?")
_CJK_CHAR = CJK_CHAR = re.compile(rf"[{_CJK}]")
CJK_RUN = re.compile(rf"[{_CJK}]+")
_LATIN = re.compile(r"[A-Za-z]")

_EN_STOP = frozenset(
    """a about an and are as at be been but by can could did do does doing for from had has have
    how i i'm if in into is it it's its me my of on or our please so than that the their them
    then there these they this to too us was we what when where which who why will with would
    you your yours hi hello hey thanks thank just want wanna need get got tell know any some
    work something anything way possible still really right now will should shall may might
    were am being must don't doesn't didn't can't cannot i've i'd i'll like many much until
    since also very more most other another each every same only again ever yes okay ok
    there here before after during without within because while about above below between
    through under over into onto upon whether either neither""".split()
)
#: English words that only join others (to, me, the…): read as words wherever a dictionary is asked.
ENGLISH_FUNCTION_WORDS = _EN_STOP
_ZH_STOP_WORDS = frozenset(
    "的 了 吗 呢 吧 啊 呀 我 你 您 他 她 它 我们 你们 是 在 有 和 与 及 或 也 都 就 还 要 想 请问 请 "
    "一下 一个 这个 那个 这 那 什么 怎么 怎样 如何 可以 能 能否 会 么 嘛 哦 哈 嗯 吗？ 呢？ 谢谢 "
    "你好 您好 问 下 个 些 为什么 多少 哪 哪里 哪些 时候 什么时候 东西 怎么办 怎么样 咋办 应该".split()
)
_ZH_STOP_CHARS = frozenset(
    "的了吗呢吧啊呀我你您他她它是在有和与及或也都就还要想请这那么嘛哦哈嗯个些一下问什怎如何能可以会"
)


@lru_cache(maxsize=1)
def _jieba():  # its dictionary loads on first use, not on every cold start
    import rjieba

    # The thesaurus's Chinese words are words: jieba's own dictionary cuts some of them apart
    # (多少钱 → 多少 钱, 到账 → 到 账, 礼品卡 → 礼品 卡), and a word cut apart never meets its concept.
    for words in CONCEPT_GROUPS.values():
        for word in words:
            if _CJK_CHAR.match(word) and rjieba.cut(word) != [word]:
                rjieba.add_word(word, None, None)
    return rjieba


def tagged_words(text: str) -> list[tuple[str, str]]:
    """``text`` cut into words as the index cuts it (jieba), each with its part of speech (``n`` a
    noun, ``v`` a verb…)."""
    return _jieba().tag(text)


_per_thread = threading.local()


def _english_stemmer():
    """This thread's stemmer: a Snowball stemmer keeps its word in the instance, so two threads
    sharing one (a document tokenised in a worker thread while a question is tokenised on the
    event loop) corrupt each other's word. Imported on first use: ~0.1 s off every cold start."""
    stemmer = getattr(_per_thread, "stemmer", None)
    if stemmer is None:
        import snowballstemmer

        stemmer = _per_thread.stemmer = snowballstemmer.stemmer("english")
    return stemmer


# Written Cantonese's grammar words (a closed class: negation, question words, pronouns, aspect,
# "give/look/take/come", measure words) as Mandarin's, after OpenCC has made them simplified
# (點樣 → 点样 → 怎么). Content words (生果 for 水果) are left to the embedder, as any paraphrase.
# No package on PyPI converts Cantonese to Mandarin; this table is the common core.
_CANTONESE = {
    "可唔可以": "可不可以", "系唔系": "是不是", "系咪": "是不是", "有冇": "有没有", "冇": "没有",
    "唔该": "请", "唔": "不", "点样": "怎么", "点解": "为什么", "点算": "怎么办", "点办": "怎么办",
    "点做": "怎么做", "几多": "多少", "几耐": "多久", "几时": "什么时候", "边度": "哪里",
    "边个": "谁", "边间": "哪家", "乜嘢": "什么", "咩嘢": "什么", "咩": "什么", "咗": "了",
    "嘅": "的", "佢哋": "他们", "你哋": "你们", "我哋": "我们", "哋": "们", "佢": "他",
    "喺边度": "在哪里", "喺边": "在哪", "喺": "在", "揾": "找", "俾": "给", "畀": "给", "嘢": "东西", "啲": "些",
    "嚟": "来", "睇": "看", "攞": "拿", "咁": "这么", "\U00020bb6": "那",  # 搵 and 嗰, as OpenCC writes them
}  # fmt: skip
_CANTONESE_WORD = re.compile("|".join(sorted(_CANTONESE, key=len, reverse=True)))


def _opencc(config: str):
    """This thread's OpenCC converter for ``config``: one per thread, as the stemmer (~10 ms
    and ~2 MB to load)."""
    converters = getattr(_per_thread, "opencc", None)
    if converters is None:
        converters = _per_thread.opencc = {}
    converter = converters.get(config)
    if converter is None:
        import opencc

        converter = converters[config] = opencc.OpenCC(config)
    return converter


def traditional(text: str) -> str:
    """Simplified Chinese written in traditional characters, Taiwan's standard forms (为 → 為,
    not 爲), words left as they are (OpenCC's ``s2tw``: read in Taiwan and Hong Kong alike):
    the bot's own texts for a visitor who writes traditional."""
    return _opencc("s2tw").convert(text) if _CJK_CHAR.search(text) else text


#: Written Cantonese's own characters: Hong Kong and Macau write traditional.
_CANTONESE_CHARS = frozenset("哋冇嘅咗唔嚟喺嘢啲佢攞搵畀睇")


#: The Chinese characters the script is told by: the first few hundred say it as well as
#: thousands (OpenCC reads ~100 characters per millisecond, twice over, on the event loop).
_SCRIPT_SAMPLE = 300


def writes_traditional(text: str) -> bool:
    """Is ``text`` written in traditional characters? More of its characters are
    traditional-only (們, 運, or written Cantonese's 哋, 冇) than simplified-only (们, 运);
    most characters are both, so a few decide. Each read in its phrase (著名 is simplified's
    too), by OpenCC's tables — Taiwan's for the traditional (台 is both), the plain ones for the
    simplified (Taiwan's turn the mainland's 么 into 幺, which made 客服在么 traditional); the
    first :data:`_SCRIPT_SAMPLE` decide."""
    han = "".join(_CJK_CHAR.findall(text))[:_SCRIPT_SAMPLE]
    if not han:
        return False
    as_simplified, as_traditional = _opencc("t2s").convert(han), _opencc("s2tw").convert(han)
    if len(as_simplified) != len(han) or len(as_traditional) != len(han):
        return as_simplified != han and as_traditional == han
    score = 0
    for char, simple, trad in zip(han, as_simplified, as_traditional, strict=True):
        if char != simple or char in _CANTONESE_CHARS:
            score += 1
        elif char != trad:
            score -= 1
    return score > 0


@lru_cache(maxsize=1)
def _traditional_char() -> re.Pattern[str]:
    """A character written only in traditional Chinese (們, 運, 帳: OpenCC's ``t2s`` changes it;
    3,563 of the 20,992 unified ideographs), found in one C pass."""
    han = "".join(chr(code) for code in range(0x4E00, 0xA000))
    changed = {a for a, b in zip(han, _opencc("t2s").convert(han), strict=True) if a != b}
    return re.compile("[" + "".join(sorted(changed)) + "]")


def simplified(text: str) -> str:
    """``text`` with traditional Chinese as simplified, Taiwan's and Hong Kong's words as the
    mainland's (帳號 → 账号, 匯出 → 导出, 網路 → 网络; OpenCC's ``tw2sp``), and written Cantonese's
    grammar words as Mandarin's (有冇 → 有没有). Text without Chinese is returned at once; text
    with no traditional character is not read as Taiwan's: ``tw2sp`` would turn the mainland's
    own words into others (行程 "itinerary" → 进程 "process", 呼叫 → 调用, 物件 → 对象, 在么 → 在幺)."""
    if not _CJK_CHAR.search(text):
        return text
    if _traditional_char().search(text):
        text = _opencc("tw2sp").convert(text)
    # 帳號 becomes 帐号 (both are simplified; the mainland writes 账号 for an account): one
    # character for both, so 账户 meets 帳戶 and 帐号 meets 账号.
    text = text.replace("帐", "账")
    return _CANTONESE_WORD.sub(lambda m: _CANTONESE[m.group()], text)


@lru_cache(maxsize=50_000)
def _stem(word: str) -> str:
    return _english_stemmer().stemWord(word)


@lru_cache(maxsize=1)
def concept_of() -> dict[str, str]:
    """Word (stemmed; Chinese as written) -> the concept term it stands for in the index;
    built on first use (it needs the stemmer: kept off the cold start)."""
    table: dict[str, str] = {}
    for concept, words in CONCEPT_GROUPS.items():
        for word in words:
            key = word if _CJK_CHAR.match(word) else _stem(word)
            table.setdefault(key, "~" + concept)
    return table


# Multi-word English phrases that name one concept; rewritten before tokenising.
_PHRASES = (
    (
        re.compile(r"\bsend(?:ing)? (?:it |them |this |something |an item |items? )?back\b"),
        "return",
    ),
    (re.compile(r"\b(?:money|cash) back\b"), "refund"),
    (re.compile(r"\bin person\b"), "visit"),
    (re.compile(r"\b(?:log|sign) ?in\b"), "login"),
    (re.compile(r"\bhow long\b"), "long"),
)

#: Prefix of single-character Chinese terms: they add recall, so they weigh less than words.
CHAR_PREFIX = "·"


#: Bumped whenever tokens() would split the same text differently: stored terms are then stale.
#: (4: traditional Chinese read as simplified; 5: Cantonese grammar words as Mandarin's; 6: ways
#: to pay no longer one concept; 7: the thesaurus's Chinese words cut whole; 8: the people who
#: answer no longer the hours concept; 9: a member and a membership are one concept; 10:
#: simplified Chinese no longer rewritten by Taiwan's word table — 行程 stays 行程.)
TERMS_VERSION = 10


def passage_terms(heading: str, text: str) -> list[str]:
    """A passage's retrieval terms (headings say what it is about: counted twice)."""
    return tokens(f"{heading}\n{heading}\n{text}")


def tokens(text: str, concepts: bool = True, simplify: bool = True) -> list[str]:
    """Retrieval terms of ``text`` (lower-cased, NFKC-normalised, stemmed, segmented; with
    ``simplify``, traditional Chinese read as simplified); with ``concepts``, a word of the
    thesaurus stands for its concept."""
    text = unicodedata.normalize("NFKC", text)
    text = (simplified(text) if simplify else text).lower()
    for pattern, replacement in _PHRASES:
        text = pattern.sub(replacement, text)
    out: list[str] = []
    for run in _RUN.findall(text):
        if _CJK_CHAR.match(run):
            for word in _jieba().cut(run):
                if word not in _ZH_STOP_WORDS:
                    out.append(word)
            if len(run) > 1:
                out.extend(CHAR_PREFIX + ch for ch in run if ch not in _ZH_STOP_CHARS)
        elif run not in _EN_STOP and run.split("'")[0] not in _EN_STOP:  # what's, who's
            # Numbers (order ids, prices, line numbers) have no stem; the pure-Python stemmer
            # costs ~0.1 ms a word, and a list of numbers would miss its cache every time.
            out.append(run if run[0].isdigit() or run[-1].isdigit() else _stem(run))
    if not concepts:
        return out
    # A word with a concept stands for the concept: paraphrases meet on the same term.
    return [
        concept_of().get(t.removeprefix(CHAR_PREFIX), t)
        if not t.startswith(CHAR_PREFIX) or t[1:] in concept_of()
        else t
        for t in out
    ]


def written_in(text: str) -> str:
    """``zh`` when Chinese characters dominate the letters of ``text``, else ``en`` (the
    script only: see :func:`detect_language`)."""
    cjk = len(_CJK_CHAR.findall(text))
    return "zh" if cjk and cjk * 3 >= len(_LATIN.findall(text)) else "en"


def detect_language(text: str) -> str:
    """``zh`` when Chinese characters dominate the letters of ``text`` (``zh-Hant`` when they
    are traditional: Taiwan, Hong Kong), else ``en``."""
    if written_in(text) == "en":
        return "en"
    return "zh-Hant" if writes_traditional(text) else "zh"


def base_language(language: str) -> str:
    """``en`` or ``zh``: the language without its script (``zh-Hant`` is ``zh``)."""
    return "zh" if language.lower().startswith("zh") else "en"


def warm_up() -> None:
    """Load jieba's dictionary, the stemmer and the concept table (off the cold start: the
    app calls this in a thread once it is ready, so the first question does not pay for it)."""
    tokens("warm up 预热 預熱")
