"""Readability of the agent's replies: mean sentence length (words; Han characters in
Chinese) and a reading-ease index for English (Flesch) and Russian (Oborneva's adaptation of
Flesch). A hint for a person, never a score on its own."""

from __future__ import annotations

import re

from review.reviewing.autoqa.checks import Read
from review.reviewing.autoqa.conversation import Finding
from review.reviewing.autoqa.text import han_count

_VOWELS = {"en": re.compile(r"[aeiouy]+"), "ru": re.compile(r"[аеёиоуыэюя]")}
_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")
LONG_SENTENCE = {"en": 25, "ru": 20, "zh": 60}  # mean length past which the reply reads heavy


# an English word's final silent "e" ("make", not "be" or "table")
_SILENT_E = re.compile(r"[a-z]*[aeiouy][a-z]*[^aeiouyl\W]e\b")


def _syllables(chunk: str, language: str, n_words: int) -> int:
    """Syllables of a text: vowel groups (Russian: vowels), at least one a word."""
    lowered = chunk.lower()
    count = len(_VOWELS[language].findall(lowered))
    if language == "en":
        count -= len(_SILENT_E.findall(lowered))
    return max(count, n_words)


def readability(agent: list[Read], language: str) -> Finding:
    """Mean sentence length (value) with the reading-ease index in the note; found when the
    replies read heavy (mean sentence over LONG_SENTENCE)."""
    n_sentences = n_words = n_syllables = 0
    family = language.split("-")[0]
    for read in agent:
        text = read.text
        if family == "zh":
            size = han_count(text)
        else:
            size = len(_WORD.findall(text))
            if family in _VOWELS and size:
                n_syllables += _syllables(text, family, size)
        if size:
            n_sentences += len(read.sentences())
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
