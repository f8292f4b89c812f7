"""Which language a text is in (en, ru, zh-Hans, zh-Hant), from its letters, and which Chinese
script it is written in, from OpenCC's conversion tables.

Letters decide the language: Han characters make it Chinese, Cyrillic Russian, Latin English
(the rules have no other lists yet; "und" when a text has no letters). For Chinese, a character
that OpenCC's t2s table changes is Traditional-only, one that s2t changes is Simplified-only;
most characters are shared, so a short text may show neither.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

LANGUAGES = ("en", "ru", "zh-Hans", "zh-Hant")
_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_CYRILLIC = re.compile(r"[А-Яа-яЁё]")
_LATIN = re.compile(r"[A-Za-z]")
SAMPLE = 1500  # characters of a text read to tell its language or its script
_MIN_DISTINCT = 2  # script-only characters a text needs before its script is called


@dataclass(frozen=True)
class ScriptCount:
    """Characters of a Chinese text found only in Traditional, and only in Simplified."""

    traditional: int
    simplified: int

    @property
    def script(self) -> str | None:
        """ "zh-Hant", "zh-Hans", or None when the text shows too few of either."""
        if max(self.traditional, self.simplified) < _MIN_DISTINCT:
            return None
        return "zh-Hant" if self.traditional > self.simplified else "zh-Hans"


@lru_cache(maxsize=2)
def converter(config: str):
    """OpenCC's converter for `config` ("t2s", "s2t"), made once."""
    import opencc

    return opencc.OpenCC(config)


def script_positions(text: str, script: str) -> list[int]:
    """Positions of the characters in `text` that belong only to `script` (zh-Hant: changed
    by t2s; zh-Hans: changed by s2t)."""
    config = "t2s" if script == "zh-Hant" else "s2t"
    converted = converter(config).convert(text)
    if converted == text:  # the common case (a text in the other script): nothing to find
        return []
    if len(converted) != len(text):  # a phrase table changed the length: compare by character
        convert = converter(config).convert
        return [i for i, ch in enumerate(text) if _HAN.match(ch) and convert(ch) != ch]
    return [i for i, (a, b) in enumerate(zip(text, converted, strict=True)) if a != b]


@lru_cache(maxsize=4096)
def count_scripts(text: str) -> ScriptCount:
    """How many Traditional-only and Simplified-only characters a text has (in its first
    SAMPLE characters)."""
    text = text[:SAMPLE]
    return ScriptCount(
        len(script_positions(text, "zh-Hant")), len(script_positions(text, "zh-Hans"))
    )


def language_of(text: str, default: str = "und") -> str:
    """The language of a text: zh-Hans or zh-Hant (Simplified when unsure), ru, en, or
    `default` when it has no letters. The first SAMPLE characters decide."""
    text = text[:SAMPLE]
    han = len(_HAN.findall(text))
    cyrillic = len(_CYRILLIC.findall(text))
    latin = len(_LATIN.findall(text))
    # one Han character carries about as much as three letters
    if han and han * 3 >= max(cyrillic, latin):
        return count_scripts(text).script or "zh-Hans"
    if cyrillic and cyrillic >= latin / 2:
        return "ru"
    if latin:
        return "en"
    return default
