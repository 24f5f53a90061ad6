"""From what a visitor wrote to what the index is asked: typos mended against the knowledge
base's own words, Chinese and English bridged, and a follow-up read with the question before it.

Every mend is made towards words the tenant's knowledge base holds, never towards the whole
language, so a correction can only point at something the bot could answer from, and it counts
for less than the visitor's own word.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from rapidfuzz import process
from rapidfuzz.distance import OSA

from .bridge import english_for, english_words, names_for, parts_of
from .index import Bm25Index, Unit
from .tokenize import CHAR_PREFIX, CJK_CHAR, CJK_RUN, concept_of, simplified, tokens

__all__ = [
    "Vocabulary", "query_units", "is_follow_up", "question_parts", "unknown_names", "warm_up",
    "without_courtesy",
]  # fmt: skip


#: How much a stand-in counts next to the visitor's own word.
TYPO_FACTOR = 0.8
BRIDGE_FACTOR = 0.7
#: Words carried over from the visitor's previous message, for a follow-up.
CONTEXT_WEIGHT = 0.5
#: A name (capitalised mid-sentence) weighs this much more than an ordinary word.
NAME_WEIGHT = 2.0


@lru_cache(maxsize=1)
def _pinyin():
    from pypinyin import lazy_pinyin  # its dictionary loads on first use

    return lazy_pinyin


def _syllables(text: str) -> tuple[str, ...]:
    return tuple(_pinyin()(text))


def max_slips(word: str) -> int:
    """How many letters a typed word may be off the word meant: one, two from seven letters."""
    return 1 if len(word) < 7 else 2


def _slips(term: str, words: dict[str, str], real: bool, index: Bm25Index) -> list[str]:
    """``words``' values for the keys one slip away from ``term`` (two for long words)."""
    if len(term) < 4 or not term.isascii() or term in index or term.isdigit() or not words:
        return []
    found = [
        word
        for word, _, _ in process.extract(
            term, words.keys(), scorer=OSA.distance, score_cutoff=max_slips(term), limit=3
        )
        # a real word is no slip of a shorter word it begins with (freeze/free, plant/plan);
        # a longer one may be its own form ("late" for the help centre's "later")
        if not (real and term.startswith(word))
    ]
    if found or real:
        return [words[word] for word in found]
    # A slip in a word's ending changes its stem ("instalemnts" -> "instalemnt", not the
    # knowledge base's "instal"): the longest of its words the term starts with, a few
    # letters short of it.
    for size in range(len(term) - 1, max(4, len(term) - 5), -1):
        word = words.get(term[:size])
        if word is not None:
            return [word]
    return []


class Vocabulary:
    """What one knowledge base's index holds, arranged for mending questions against it."""

    def __init__(self, index: Bm25Index) -> None:
        self.index = index
        words = [t for t in index.vocabulary() if not t.startswith((CHAR_PREFIX, "~"))]
        #: Does it hold any Chinese text? (Single characters match nothing in one that doesn't.)
        self.chinese = any(CJK_CHAR.match(w) for w in words)
        # Latin words as written (stemmed) -> the index's term: a word that stands for a
        # concept ("password" for ~login) is held under the concept.
        self._latin: dict[str, str] = {
            w: w for w in words if w.isascii() and len(w) >= 3 and not w.isdigit()
        }
        for stem, concept in concept_of().items():
            if stem.isascii() and concept in index:
                self._latin.setdefault(stem, concept)
        chinese = [w for w in words if CJK_CHAR.match(w) and len(w) >= 2]
        self._sounds: dict[tuple[str, ...], str] = {}
        self._english: dict[str, list[str]] = {}
        for word in chinese:
            self._sounds.setdefault(_syllables(word), word)
            for term in english_for(word) or _parts_english(word):
                self._english.setdefault(term, []).append(word)
        self._longest = max((len(s) for s in self._sounds), default=0)
        self._bridged = {w: w for w in self._english if len(w) >= 3 and w.isascii()}
        #: Does it say what happens on holidays (节假日, public holidays)?
        self.speaks_of_holidays = any(t in index for t in _HOLIDAYS)

    def spelled(self, term: str, real: bool = False) -> list[str]:
        """The knowledge base's words one slip away from ``term`` (two for long words).
        ``real``: the visitor wrote a real word, which is no slip of a shorter word it begins
        with ("freeze" is not "free", "Apple" not "App")."""
        return _slips(term, self._latin, real, self.index)

    def spelled_bridge(self, term: str) -> list[str]:
        """The knowledge base's Chinese words for the English words one slip away from
        ``term`` ("stuent" → student → 学生): a slip in a question to a help centre written in
        the other language. Not for a real word: it means itself, and the dictionary read it
        already."""
        return [
            chinese
            for english in _slips(term, self._bridged, False, self.index)
            for chinese in self._english[english]
        ]

    def chinese_for(self, term: str) -> list[str]:
        """The knowledge base's Chinese words that mean the English ``term``."""
        return self._english.get(term, [])

    def mend_chinese(self, text: str) -> str:
        """Replace homophone slips of a pinyin keyboard (会圆 for 会员, 发飘 for 发票) with the
        knowledge base's word that sounds the same, where the written one is not a word it
        holds. Traditional Chinese is read as simplified first (the index holds it so)."""
        text = simplified(text)
        if not self._sounds:
            return text

        def mend(match: re.Match[str]) -> str:
            run = match.group(0)
            sounds = _syllables(run)
            if len(sounds) != len(run):
                return run
            out, i = [], 0
            while i < len(run):
                for size in range(min(self._longest, len(run) - i), 1, -1):
                    word = self._sounds.get(sounds[i : i + size])
                    written = run[i : i + size]
                    if word is not None and word != written and written not in self.index:
                        out.append(word)
                        i += size
                        break
                else:
                    out.append(run[i])
                    i += 1
            return "".join(out)

        return CJK_RUN.sub(mend, text)


_WORD = re.compile(r"[A-Za-z][A-Za-z0-9'-]*|[.!?。！？]")


#: Capitalised (Evernote, iPhone) or a short acronym (API, PDF, 2FA); a long word in capitals is
#: shouting, not a name.
_NAME = re.compile(r"[A-Z][a-z]|[a-z]+[A-Z]|[A-Z0-9-]{2,5}$")


#: Capitalised, but the calendar and the clock, not a thing a knowledge base may lack: "Are you
#: open on Saturday?" is answered by "Mon-Sat 9:00-18:00".
_NOT_NAMES = frozenset(
    """monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thur thurs
    fri sat sun january february march april may june july august september october november
    december jan feb mar apr jun jul aug sep sept oct nov dec am pm""".split()
)


_GREETINGS = frozenset("hi hello hey dear morning afternoon evening thanks thank".split())


def _name_words(text: str, *, in_chinese: bool = False) -> list[str]:
    """The words written as names (Evernote, Apple Watch, API): capitalised anywhere but at the
    start of a sentence. ``in_chinese``: in a question written in Chinese, a capitalised Latin
    word is a name wherever it stands (可以用PayPal付款吗)."""
    chinese = in_chinese and CJK_RUN.search(text) is not None
    words: list[str] = []
    start, before = not chinese, ""
    for word in _WORD.findall(text):
        if word in ".!?。！？":
            start = not chinese
            continue
        if (
            not start
            and word not in ("I", "I'm", "I've", "I'd", "I'll")
            and word.lower() not in _NOT_NAMES
            and before.lower() not in _GREETINGS  # "Hi Mia, …" greets; it asks about nothing
            and _NAME.match(word)
        ):
            words.append(word)
        start, before = False, word
    return words


def _names(text: str) -> set[str]:
    """Terms of the words written as names: a name says what the question is about."""
    return {term for word in _name_words(text) for term in tokens(word)}


def unknown_names(question: str, vocabulary: Vocabulary) -> list[str]:
    """The names a question asks about (Evernote, PayPal, Apple Watch), as written, that the
    knowledge base never mentions — not as written, not one slip away, not in the other
    language. A knowledge base that never names a thing cannot say anything about it: "Can I
    pay with PayPal?" is not answered by the passage listing the ways to pay it takes."""
    words = _name_words(question, in_chinese=True)
    unknown = [word for word in _chinese_names(question) if not _known_name(word, vocabulary)]
    if words:
        units = {unit.term: unit for unit in _units(question, vocabulary)}
        for word in words:
            terms = [units[t] for t in tokens(word) if t in units]
            if terms and not any(a in vocabulary.index for u in terms for a in u.alternatives):
                unknown.append(word)
    if unknown and vocabulary.speaks_of_holidays:
        # A holiday is a date, as a day of the week is: "Do you ship over Christmas?" and
        # 春节期间发货吗 are answered by a help centre that says what it does on holidays.
        unknown = [word for word in unknown if not _holiday(word)]
    return list(dict.fromkeys(unknown))


#: Holidays named in English, and the words the dictionary's names for Chinese ones end in
#: (春节: "Spring Festival", 国庆节: "National Day", 元旦: "New Year's Day").
_HOLIDAY_NAMES = frozenset(
    "christmas xmas easter thanksgiving halloween hanukkah ramadan eid diwali".split()
)
_HOLIDAY_NAME_WORDS = _HOLIDAY_NAMES | {"festival", "day", "eve"}
#: What a help centre says about holidays in general (stemmed as the index holds them).
_HOLIDAYS = ("holiday", "festiv", "节假日", "假期", "节日", "假日", "放假", "法定节假日")


def _holiday(word: str) -> bool:
    """Is the name ``word`` a holiday (Christmas, 春节, 国庆节)? As written, or as the index
    holds it (stemmed: "christma")."""
    if CJK_CHAR.match(word):
        names = names_for(word)
        return any(part.lower() in _HOLIDAY_NAME_WORDS for part in names)
    return word.lower() in _HOLIDAY_NAMES or word in _holiday_stems()


@lru_cache(maxsize=1)
def _holiday_stems() -> frozenset[str]:
    return frozenset(t for name in _HOLIDAY_NAMES for t in tokens(name, concepts=False))


def _chinese_names(question: str) -> list[str]:
    """The Chinese words of ``question`` that name something (微信, 淘宝, 北京: the dictionary's
    first sense is a name), days and months aside (周六: "Saturday")."""
    if CJK_RUN.search(question) is None:
        return []
    out = []
    for term in tokens(question, concepts=False):
        names = names_for(term) if CJK_CHAR.match(term) else ()
        if names and names[0].lower() not in _NOT_NAMES:
            out.append(term)
    return out


def _known_name(word: str, vocabulary: Vocabulary) -> bool:
    """Does the knowledge base mention the Chinese name ``word``: as written, or as the
    dictionary's name for it, as written or one slip away (微信: WeChat, Weixin)?"""
    if any(t in vocabulary.index for t in tokens(word) if not t.startswith(CHAR_PREFIX)):
        return True
    for name in names_for(word):
        for term in tokens(name, concepts=False):
            if term in vocabulary.index or vocabulary.spelled(term):
                return True
    return False


def _units(text: str, vocabulary: Vocabulary, weight: float = 1.0) -> list[Unit]:
    units: dict[str, Unit] = {}
    names = _names(text)
    real = _real_words(text)
    for term in tokens(vocabulary.mend_chinese(text)):
        if term in units or (term.startswith(CHAR_PREFIX) and not vocabulary.chinese):
            # A single character helps recall in Chinese text; a knowledge base with none
            # could only count it as a word it lacks (the question's words bridge instead).
            continue
        unit = units[term] = Unit(term, weight * (NAME_WEIGHT if term in names else 1.0))
        if term in vocabulary.index:
            continue  # the knowledge base uses the visitor's own word: nothing to mend
        for word in vocabulary.spelled(term, term in real):
            unit.add(word, TYPO_FACTOR)
        # Bridged to the other language only where the knowledge base never uses the word: a
        # help centre written in both languages answers in the visitor's own first.
        if CJK_CHAR.match(term):
            for english in english_for(term) or _parts_english(term, vocabulary):
                if english in vocabulary.index:
                    unit.add(english, BRIDGE_FACTOR)
                elif len(english) >= 6:  # its spelling (anaesthetic for anesthetic)
                    for word in vocabulary.spelled(english):
                        unit.add(word, BRIDGE_FACTOR * TYPO_FACTOR)
        elif not term.startswith(CHAR_PREFIX):
            for word in vocabulary.chinese_for(term):
                unit.add(word, BRIDGE_FACTOR)
            if len(unit.alternatives) == 1 and term not in real:
                for word in vocabulary.spelled_bridge(term):
                    unit.add(word, BRIDGE_FACTOR * TYPO_FACTOR)
        if vocabulary.speaks_of_holidays and _holiday(term):
            # one holiday is what the help centre says of holidays (Christmas, 春节)
            for word in _HOLIDAYS:
                if word in vocabulary.index:
                    unit.add(word, BRIDGE_FACTOR)
    return list(units.values())


def _real_words(text: str) -> set[str]:
    """Terms of the English words of ``text`` that the dictionary knows (real words, not
    slips)."""
    words = english_words()
    return {
        term
        for word in _WORD.findall(text)
        if word.lower() in words
        for term in tokens(word, concepts=False)
    }


def _parts_english(word: str, vocabulary: Vocabulary | None = None) -> tuple[str, ...]:
    """For a compound the dictionary lacks (手术费, 绝育手术, 手机号), the plain English words
    of its parts' senses — not a part ``vocabulary`` holds as written, and not a thesaurus
    concept (both would match the knowledge base's Chinese text: a compound it lacks would be
    answered by a passage holding half of it). The dictionary holds no single characters."""
    return tuple(
        t
        for part in parts_of(word)
        if vocabulary is None or concept_of().get(part, part) not in vocabulary.index
        for t in english_for(part)
        if not t.startswith("~")
    )


#: Courtesy around a question ("Thanks, is delivery free?", "你好，请问运费多少？谢谢"): no help
#: article is about it, and it pulls a question's meaning towards the passages that apologise
#: or thank ("We are sorry! Send us a photo of the damaged item…").
_COURTESY = re.compile(
    r"^(?:(?:hi|hello|hey|hiya|thanks|thank\s+you|thx|ok|okay|great|cool|sorry|good\s+"
    r"(?:morning|afternoon|evening)|你好|您好|哈喽|嗨|亲|请问|谢谢|好的|嗯|不好意思|"
    # a lead-in that only says a question follows: "just tell me:", "quick question -", 我想问一下
    r"(?:(?:just|so|please)\s+)?tell\s+me|(?:can|could|would)\s+you\s+(?:please\s+)?tell\s+me|"
    r"i(?:'d|\s+would)\s+like\s+to\s+know|i\s+(?:want|wanted|need)\s+to\s+know|quick\s+question|"
    r"(?:我)?想问(?:一下|下)?|告诉我|麻烦问(?:一下|下)?)"
    r"(?:\s+(?:there|again|so\s+much|a\s+lot))?[\s,，.。!！~～:：\-–—]*)+"
    # Never tried from inside a run of spaces, only from its start (from each of 4,000 spaces,
    # each try running to the run's end, it took half a second)
    r"|(?:(?<![\s,，.。!！~～])|(?![\s,，.。!！~～]))"
    r"[\s,，.。!！~～]*(?:thanks|thank\s+you|thx|cheers|please|pls|谢谢|多谢|谢啦|麻烦了)"
    r"(?:\s+(?:so\s+much|a\s+lot|in\s+advance))?[\s.。!！~～]*$",
    re.IGNORECASE,
)


def without_courtesy(text: str) -> str:
    """``text`` without the greetings and thanks around it (unchanged when nothing else is
    left): what its meaning is read from."""
    bare = _COURTESY.sub("", text).strip()
    if not bare:
        return text
    if text.lstrip()[:1] != bare[:1]:
        # what was left after a greeting starts the sentence: "Thanks, is delivery free?" is
        # read as "Is delivery free?" (the embedder reads the capital too)
        bare = bare[:1].upper() + bare[1:]
    return bare


_FOLLOW_EN = re.compile(
    r"^(?:and|also|but|so|what about|how about|what if|then)\b|\b(?:it|that|this|those|these|"
    r"them|one|ones)\b"
)
_FOLLOW_ZH = re.compile(r"^(?:那|那么|还有|另外|如果)|[它这那][个些样种]?|呢[？?]?$")


def is_follow_up(question: str, vocabulary: Vocabulary) -> bool:
    """Does ``question`` lean on what came before ("and for a cat?", "那会员呢？", "how much
    does that cost?"), or say too little to stand alone? Its words only, not what they mend or
    bridge to: cheap enough to decide before the question is searched."""
    text = simplified(unicodedata.normalize("NFKC", question)).strip().lower()
    if _FOLLOW_EN.search(text) or _FOLLOW_ZH.search(text):
        return True
    own = {t for t in tokens(vocabulary.mend_chinese(question)) if not t.startswith(CHAR_PREFIX)}
    return len(own) <= 1


def query_units(
    question: str, history: list[str], vocabulary: Vocabulary, follow_up: bool | None = None
) -> tuple[list[Unit], bool]:
    """The question's units, and whether it is a follow-up (``follow_up``: already decided by
    :func:`is_follow_up`): then the previous message's words stand beside them (at
    ``CONTEXT_WEIGHT``: the question's own words still decide)."""
    units = _units(question, vocabulary)
    if follow_up is None:
        follow_up = bool(history) and is_follow_up(question, vocabulary)
    if not (history and follow_up):
        return units, False
    held = {u.term for u in units}
    units.extend(u for u in _units(history[-1], vocabulary, CONTEXT_WEIGHT) if u.term not in held)
    return units, True


_QUESTION_WORDS_EN = r"(?:how|what|when|where|which|who|why)"
_AUXILIARIES_EN = r"(?:do|does|did|can|could|is|are|was|were|will|would|should|shall|may|have|has)"
_ASKS_EN = rf"(?:{_AUXILIARIES_EN}|{_QUESTION_WORDS_EN})"
#: Where a second question starts: after a question mark, or "and"/"also" + a question word
#: ("What does boarding cost and do you trim nails?"). "How do I reset my password and turn on
#: 2FA" stays one question: without a question word, "and" as often joins one ask's objects.
_NEXT_ASK_EN = re.compile(
    # (?<!\s): a run of spaces is tried from its start only — tried from each of its spaces, a
    # message of 4,000 spaces took a quarter of a second (each try runs to the run's end).
    rf"(?<=[?？])\s*(?=\S)|,?(?<!\s)\s+(?:and|also|plus)\s+(?=(?:also\s+)?{_ASKS_EN}\b)",
    re.I,
)
#: A clause that asks: a question word, or an auxiliary before its subject ("do you", "can
#: I"; not "will be 20 minutes late", "can be returned").
_STARTS_ASK_EN = re.compile(
    rf"(?:(?:and|also|plus)\s+)?(?:{_QUESTION_WORDS_EN}\b|{_AUXILIARIES_EN}\s+"
    r"(?:you|i|we|they|it|there|he|she|the|my|your|our|this|that|these|those|a|an)\b)",
    re.I,
)
_QUESTION_ZH = re.compile(
    r"吗|呢|多少|多久|多长时间|何时|几|怎么|怎样|什么|哪|如何|是否|能不能|可不可以|有没有|要不要|会不会"
    r"|[?？]\s*$"
)
#: Chinese clauses: a question mark, a comma or "还有/另外/以及" between two clauses that each ask.
_CLAUSE_ZH = re.compile(
    r"(?<=[?？])\s*|[，,；;]\s*(?:还有|另外|以及|顺便问一?下)?|(?:还有|另外|顺便问一?下)"
)


#: The most asks of one message searched one by one: each is a search of its own, and a message
#: of "可以吗？" a thousand times over is a thousand asks.
MOST_ASKS = 4


def question_parts(question: str) -> list[str]:
    """The separate asks of a question ("配送费多少，晚上几点前能送到？" → two); one when it
    asks one thing. A Chinese clause counts as an ask only if it has a question word or ends
    in a question mark. At most :data:`MOST_ASKS`, the first ones."""
    if CJK_RUN.search(question):
        question = simplified(question)  # 還有, 嗎, 幾: the clause words as simplified
        clauses = [c.strip() for c in _CLAUSE_ZH.split(question) if c and c.strip()]
        if len(clauses) > 1 and all(_QUESTION_ZH.search(c) for c in clauses):
            return clauses[:MOST_ASKS]
        return [question]
    parts = [p.strip() for p in _NEXT_ASK_EN.split(question) if p and p.strip()]
    asks = all(p.endswith(("?", "？")) or _STARTS_ASK_EN.match(p) for p in parts)
    if len(parts) > 1 and asks and all(tokens(p) for p in parts):
        return parts[:MOST_ASKS]
    return [question]


def warm_up() -> None:
    """Load what reading a question needs (jieba, the stemmer, the bilingual dictionary,
    pinyin) in a thread after start-up, so the first visitor does not pay for it."""
    from .bridge import warm_up as load_dictionary
    from .tokenize import warm_up as load_tokenizer

    load_tokenizer()
    load_dictionary()
    _syllables("预热")
