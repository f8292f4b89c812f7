"""Churn signals: customer messages that show an intent to leave, found from phrase lists.

Phrases live in resources/churn_phrases/*.txt, one file per language (README.md there gives
the syntax); a team adds a file of its own there or in the folder named by the
`churn_phrases_folder` setting. Each phrase compiles to a regular expression; all of one
language's phrases run as one combined expression over each customer message.

Two simple rules keep false alarms down, and both are measured in tests/test_churn.py on a
labelled set: a negation word just before a phrase in the same clause cancels it ("don't cancel",
"не отменяйте", "不要取消"), and a "handled" phrase in the same sentence means the matter is
settled ("退款已经收到了" — the refund arrived).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from review.phrases import CLAUSE_END as _CLAUSE_END
from review.phrases import PhraseList, PhraseLists, read_phrase_lists
from review.phrases import normalise as _normalise
from review.store import Store

INTENTS = (
    "cancel",
    "refund",
    "downgrade",
    "close_account",
    "export_data",
    "competitor",
    "price",
    "leave",
)
SETTING_FOLDER = "churn_phrases_folder"
_NEGATION_WORDS = 3  # words (space languages) before a phrase searched for a negation
_NEGATION_CHARS = 3  # characters (Chinese) before a phrase searched for a negation
_SENTENCE_END = ".!?\n。！？"


@dataclass(frozen=True)
class SignalHit:
    """A phrase found in a text: which intent, which phrase, the words it matched and where."""

    intent: str
    phrase: str
    matched: str
    language: str
    start: int


def phrase_folders(db: Store | None = None) -> list[Path]:
    """The built-in phrase folder, then the team's folder from the settings when set."""
    folders = [Path(str(resources.files("resources.churn_phrases")))]
    if db is not None:
        row = db.execute(
            "select value from settings where key = :key", {"key": SETTING_FOLDER}
        ).fetchone()
        if row and row[0]:
            folders.append(Path(row[0]))
    return folders


def load_phrases(folders: Iterable[Path] | None = None) -> PhraseLists:
    """Read every *.txt phrase file in `folders` (default: the built-in one), merged and
    compiled per language."""
    return read_phrase_lists(folders if folders is not None else phrase_folders())


def find_signals(text: str, lists: PhraseLists | list[PhraseList]) -> list[SignalHit]:
    """The churn signals in one text: at most one per intent, the first that is neither negated
    nor settled, in the order found."""
    if not text:
        return []
    norm = _normalise(text)
    lowered = norm.lower()
    hits: dict[str, SignalHit] = {}
    if isinstance(lists, PhraseLists):
        chosen = lists.candidates(lowered)
        if not chosen:
            return []
        work = [(lists[i], indexes) for i, indexes in chosen.items()]
    else:
        work = [(pl, None) for pl in lists]
    for phrase_list, candidates in work:
        if not phrase_list.phrases or not phrase_list._script.search(norm):
            continue
        if candidates is None:
            candidates = phrase_list.candidates(lowered)
        if not candidates:
            continue
        # matches in text order, ties in phrase order, as one combined expression finds them
        found = sorted(
            (match.start(), i, match)
            for i in candidates
            for match in phrase_list._expressions[i].finditer(norm)
        )
        for _, i, match in found:
            phrase = phrase_list.phrases[i]
            if phrase.intent in hits:
                continue
            if (
                _negated(norm, match.start(), phrase_list)
                or _settled(norm, match, phrase_list)
                or _about_something_else(norm, match.end(), phrase_list)
            ):
                continue
            hits[phrase.intent] = SignalHit(
                phrase.intent,
                phrase.text,
                text[match.start() : match.end()],
                phrase.language,
                match.start(),
            )
    return sorted(hits.values(), key=lambda h: h.start)


# The checks run on every match (most customer messages of a churn-heavy export have one):
# the clause and sentence around it are found with one expression each rather than a find per
# punctuation mark, and the negations and other objects are tested as prepared in one call.
_LAST_CLAUSE_END = re.compile(f"[{re.escape(_CLAUSE_END)}](?=[^{re.escape(_CLAUSE_END)}]*\\Z)")
_NEXT_CLAUSE_END = re.compile(f"[{re.escape(_CLAUSE_END)}]")
_LAST_SENTENCE_END = re.compile(
    f"[{re.escape(_SENTENCE_END)}](?=[^{re.escape(_SENTENCE_END)}]*\\Z)"
)
_NEXT_SENTENCE_END = re.compile(f"[{re.escape(_SENTENCE_END)}]")
_WORD = re.compile(r"[\w']+")
_QUESTION_NOT = re.compile(r"(.)[不沒没]\1")


def _after_last(pattern: re.Pattern, text: str, end: int) -> int:
    """Where the text after the last `pattern` character before `end` starts (0: none)."""
    found = pattern.search(text, 0, end)
    return found.start() + 1 if found else 0


def _before_next(pattern: re.Pattern, text: str, start: int) -> int:
    """Where the next `pattern` character at or after `start` is (the end: none)."""
    found = pattern.search(text, start)
    return found.start() if found else len(text)


def _negated(text: str, start: int, phrase_list: PhraseList) -> bool:
    before = text[_after_last(_LAST_CLAUSE_END, text, start) : start].lower()
    if phrase_list.cjk:
        before = _QUESTION_NOT.sub("", before)  # 能不能, 是不是: questions, not negations
        window = before[-_NEGATION_CHARS:]
        return any(neg in window for neg in phrase_list.negations)
    tail = f" {' '.join(_WORD.findall(before)[-_NEGATION_WORDS:])} "
    return any(needle in tail for needle in phrase_list.negation_needles)


def _about_something_else(text: str, end: int, phrase_list: PhraseList) -> bool:
    objects = phrase_list.other_object_prefixes
    if not objects:
        return False
    after = text[end : _before_next(_NEXT_CLAUSE_END, text, end)].lower()
    if phrase_list.cjk:
        return after.lstrip()[:_NEGATION_CHARS].startswith(objects)
    return any(word.startswith(objects) for word in _WORD.findall(after)[:_NEGATION_WORDS])


def _settled(text: str, match: re.Match, phrase_list: PhraseList) -> bool:
    if phrase_list._handled is None:
        return False
    start = _after_last(_LAST_SENTENCE_END, text, match.start())
    end = _before_next(_NEXT_SENTENCE_END, text, match.end())
    return phrase_list._handled.search(text, start, end) is not None


# The store side lives in churn_store.py; its functions stay importable from here.
from review.retention.churn_store import (  # noqa: E402
    Signal,
    detect_churn_signals,
    detect_churn_signals_changes,
    detect_churn_signals_job,
    signals_for_conversation,
)

__all__ = [
    "INTENTS",
    "SETTING_FOLDER",
    "PhraseList",
    "PhraseLists",
    "Signal",
    "SignalHit",
    "detect_churn_signals",
    "detect_churn_signals_changes",
    "detect_churn_signals_job",
    "find_signals",
    "load_phrases",
    "phrase_folders",
    "signals_for_conversation",
]
