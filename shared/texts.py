"""The bot's own words (notices, refusals, "I don't know") in the visitor's language and script.

Languages are ``en``, ``zh`` and ``zh-Hant``: a visitor who writes traditional Chinese (Taiwan,
Hong Kong) reads the bot's Chinese in traditional characters, made from the simplified text by
OpenCC (:func:`shared.kb.tokenize.traditional`), so each text is written once.
"""

from __future__ import annotations

from .kb.tokenize import traditional

__all__ = ["Texts"]


class Texts(dict[str, str]):
    """``{"en": …, "zh": …}``, with ``"zh-Hant"`` added: the Chinese in traditional characters
    (placeholders such as ``{name}`` kept)."""

    def __init__(self, en: str, zh: str) -> None:
        super().__init__(en=en, zh=zh)
        self["zh-Hant"] = traditional(zh)

    def __missing__(self, language: str) -> str:
        return self["en"]  # a language the bot has no words in (a plugin's "fr"): English
