"""The bot's own words (notices, refusals, "I don't know") in the visitor's language and script.

Languages are ``en``, ``zh`` and ``zh-Hant``: a visitor who writes traditional Chinese (Taiwan,
Hong Kong) reads the bot's Chinese in traditional characters, made from the simplified text by
OpenCC (:func:`shared.kb.tokenize.traditional`), so each text is written once. Made on first
use, not at import: loading OpenCC's tables costs ~60 ms that a cold start need not pay.
"""

from __future__ import annotations

from .kb.tokenize import traditional

__all__ = ["Texts"]


class Texts(dict[str, str]):
    """``{"en": …, "zh": …}``; ``texts["zh-Hant"]`` is the Chinese in traditional characters
    (placeholders such as ``{name}`` kept), any other language English."""

    def __init__(self, en: str, zh: str) -> None:
        super().__init__(en=en, zh=zh)

    def __missing__(self, language: str) -> str:
        if language == "zh-Hant":
            self[language] = written = traditional(self["zh"])
            return written
        return self["en"]  # a language the bot has no words in (a plugin's "fr"): English

    def every(self) -> tuple[str, str, str]:
        """The text in each language and script (to recognise it among stored messages)."""
        return self["en"], self["zh"], self["zh-Hant"]
