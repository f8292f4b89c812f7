"""Spelling in English and Russian agent replies, from the hunspell dictionaries Debian ships
(hunspell-en-us, hunspell-en-gb, hunspell-ru) read by hunspell itself (the chunspell wheel
carries the C++ library: a dictionary loads in a quarter of a second and a word is looked up
in microseconds, where a pure-Python reader took seconds and milliseconds), where installed.

Skipped, because a dictionary cannot know them: words of another script, capitalised words
inside a sentence (names, products), words in capitals, with digits, inside links, shorter
than three letters, and the team's own words (resources/autoqa_phrases/LANG.words, one a
line; `word*` for every word starting so), and the customer's own name. A word known to any dictionary of the language passes (British and American English
both do). Lookups are cached per process: a support team writes the same words all day.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

from review.reviewing.autoqa.checks import Read
from review.reviewing.autoqa.conversation import Evidence, Finding, evidence
from review.reviewing.autoqa.text import words

DICTIONARY_FOLDERS = (Path("/usr/share/hunspell"), Path("/usr/share/myspell/dicts"))
DICTIONARIES = {"en": ("en_US", "en_GB"), "ru": ("ru_RU",)}
SCRIPT = {"en": re.compile(r"[A-Za-z'’-]+"), "ru": re.compile(r"[А-Яа-яЁё-]+")}
MAX_EVIDENCE = 5
KEEP_RIGHT = 500_000  # words remembered as right per speller (a set lookup is the fast path)


def dictionary_paths(language: str) -> list[Path]:
    """The installed dictionaries of a language (without the .dic/.aff suffix)."""
    found = []
    for name in DICTIONARIES.get(language, ()):
        for folder in DICTIONARY_FOLDERS:
            if (folder / f"{name}.dic").exists() and (folder / f"{name}.aff").exists():
                found.append(folder / name)
                break
    return found


def available(language: str) -> bool:
    """True when a dictionary for the language is installed."""
    return bool(dictionary_paths(language))


@lru_cache(maxsize=4)
def speller(language: str, known: frozenset[str] = frozenset()) -> Callable[[str], bool] | None:
    """A cached "is this word spelt right?" for the language, or None without a dictionary."""
    paths = dictionary_paths(language)
    if not paths:
        return None
    from hunspell import Hunspell

    dictionaries = [Hunspell(path.name, hunspell_data_dir=str(path.parent)) for path in paths]

    whole = {w for w in known if not w.endswith("*")}
    prefixes = tuple(w[:-1] for w in known if w.endswith("*"))

    @lru_cache(maxsize=200_000)
    def correct(word: str) -> bool:  # also carries `right`, the words found right so far
        lowered = word.lower()
        if lowered in whole or (prefixes and lowered.startswith(prefixes)):
            return True
        return any(d.spell(word) for d in dictionaries)

    correct.right = set()  # type: ignore[attr-defined]
    return correct


def known_words(folders: list[Path], language: str) -> frozenset[str]:
    """The team's words for a language from LANG.words files in the phrase folders."""
    out: set[str] = set()
    for folder in folders:
        path = Path(folder) / f"{language}.words"
        if path.exists():
            for line in path.read_text("utf-8").splitlines():
                word = line.split("#", 1)[0].strip().lower()
                if word:
                    out.add(word)
    return frozenset(out)


def spelling(
    agent: list[Read],
    language: str,
    check: Callable[[str], bool] | None,
    customer_name: str | None = None,
) -> Finding:
    """Words of the agent's replies the dictionaries do not know (at most MAX_EVIDENCE shown;
    value: how many). The customer's name is never flagged."""
    if check is None:
        return Finding("spelling", False, note=f"no {language} dictionary installed")
    script = SCRIPT[language]
    names = set((customer_name or "").split())
    right: set[str] = getattr(check, "right", set())
    flagged: list[Evidence] = []
    count = 0
    for read in agent:
        starts = {start for start, _ in read.sentences()}
        for start, end in words(read.text):
            word = read.text[start:end]
            if word in right or len(word) < 3:
                continue
            if not script.fullmatch(word) or word.isupper():
                continue
            if (word[0].isupper() and start not in starts) or word in names:
                continue
            if all(check(part) for part in word.strip("-'’").split("-") if part):
                if len(right) < KEEP_RIGHT:
                    right.add(word)
                continue
            count += 1
            if len(flagged) < MAX_EVIDENCE:
                flagged.append(evidence(read.message, start, end, "spelling"))
    return Finding("spelling", bool(flagged), tuple(flagged), float(count))
