"""Readability of the agent's replies: mean sentence length (words; Han characters in
Chinese) and a reading-ease index for English (Flesch) and Russian (Oborneva's adaptation of
Flesch). A hint for a person, never a score on its own."""

from __future__ import annotations

import re

from review.reviewing.autoqa.checks import Read
from review.reviewing.autoqa.conversation import Finding
from review.reviewing.autoqa.text import han_count, sentences, words

_VOWELS = {"en": re.compile(r"[aeiouy]+"), "ru": re.compile(r"[аеёиоуыэюя]")}
LONG_SENTENCE = {"en": 25, "ru": 20, "zh": 60}  # mean length past which the reply reads heavy


def _syllables(word: str, language: str) -> int:
    word = word.lower()
    count = len(_VOWELS[language].findall(word))
    if language == "en" and word.endswith("e") and count > 1 and not word.endswith("le"):
        count -= 1
    return max(count, 1)


def readability(agent: list[Read], language: str) -> Finding:
    """Mean sentence length (value) with the reading-ease index in the note; found when the
    replies read heavy (mean sentence over LONG_SENTENCE)."""
    n_sentences = n_words = n_syllables = 0
    family = language.split("-")[0]
    for read in agent:
        for start, end in sentences(read.text):
            chunk = read.text[start:end]
            if family == "zh":
                size = han_count(chunk)
            else:
                spans = words(chunk)
                size = len(spans)
                if family in _VOWELS:
                    n_syllables += sum(_syllables(chunk[s:e], family) for s, e in spans)
            if size:
                n_sentences += 1
                n_words += size
    if not n_sentences:
        return Finding("readability", False)
    mean = n_words / n_sentences
    note = f"{mean:.0f} {'characters' if family == 'zh' else 'words'} a sentence"
    if family == "en" and n_words:
        ease = 206.835 - 1.015 * mean - 84.6 * n_syllables / n_words
        note += f", Flesch reading ease {ease:.0f}"
    elif family == "ru" and n_words:
        ease = 206.835 - 1.3 * mean - 60.1 * n_syllables / n_words
        note += f", reading ease (Oborneva) {ease:.0f}"
    return Finding("readability", mean > LONG_SENTENCE.get(family, 25), value=mean, note=note)
