"""Phrase lists: the file syntax, the loader and the matcher shared by churn signals
(review.retention.churn) and automatic quality suggestions (review.reviewing.autoqa).

A folder holds one *.txt file per language (resources/churn_phrases/README.md gives the
syntax): `[section]` headers, one phrase a line, `a|b` alternatives, `word*` prefixes, `...`
gaps and `<Name>`. Each phrase compiles to its own regular expression, run only when its
anchor (its most distinctive word) is in the text; one Aho-Corasick pass finds the anchors.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

CLAUSE_END = ",;:.!?\n，；：。！？、—–"

_CJK_GAP = 5  # characters "..." may skip in Chinese
_WORD_GAP = 3  # words "..." may skip elsewhere

_SEP = r"[^\w.!?;。！？；]+"  # between two words: spaces and light punctuation
_CJK_SEP = r"\s*"
_NAME = r"(?-i:[A-ZА-Я][\w\-]*)"
_SCRIPTS = {
    "latin": re.compile(r"[A-Za-z]"),
    "cyrillic": re.compile(r"[А-Яа-яЁё]"),
    "han": re.compile(r"[\u3400-\u9fff\uf900-\ufaff]"),
}


@dataclass(frozen=True)
class Phrase:
    """One phrase-list entry as written in its file."""

    language: str
    intent: str
    text: str


@dataclass
class PhraseList:
    """The phrases, negations and settled-matter phrases of one language, compiled."""

    language: str
    phrases: list[Phrase] = field(default_factory=list)
    negations: list[str] = field(default_factory=list)
    handled: list[str] = field(default_factory=list)
    # words that, just after a phrase in the same clause, make it about something else
    # ("cancel order #4411", "отмените заказ", "取消订单"): not a leave intent
    other_objects: list[str] = field(default_factory=list)
    _handled: re.Pattern | None = None
    # Each phrase runs as its own expression, and only when its anchor is in the text: the
    # alternatives of its most distinctive token, as lowercase literals ("cancel", "退款").
    # One alternation of every phrase cost ~100 µs a message in Python's re; a few `in`
    # checks rule out most messages for a fraction of that.
    _expressions: list[re.Pattern] = field(default_factory=list)
    _by_anchor: dict[str, list[int]] = field(default_factory=dict)
    _always: list[int] = field(default_factory=list)  # phrases with no usable anchor
    _script: re.Pattern | None = None
    # the negations as " word " needles and the other objects as one tuple of prefixes,
    # made once by compile() (the checks of each match test them in one call)
    negation_needles: tuple[str, ...] = ()
    other_object_prefixes: tuple[str, ...] = ()

    @property
    def cjk(self) -> bool:
        """Chinese (and any language written without spaces between words)."""
        return self.language.split("-")[0] in ("zh", "ja")

    @property
    def script(self) -> re.Pattern:
        """A character a text must hold for this list to be worth running on it."""
        if self.cjk:
            return _SCRIPTS["han"]
        return (
            _SCRIPTS["cyrillic"]
            if self.language.startswith(("ru", "uk", "be"))
            else _SCRIPTS["latin"]
        )

    @property
    def compiled(self) -> bool:
        """True once compile() has run on the current phrases."""
        return self._script is not None

    def compile(self) -> None:
        """Build one expression per phrase and the anchor index that picks which to run."""
        self._expressions, self._by_anchor, self._always = [], {}, []
        for i, phrase in enumerate(self.phrases):
            self._expressions.append(_expression(_compile_phrase(phrase.text, self.cjk)))
            pieces = _anchor_pieces(phrase.text)
            if not pieces:
                self._always.append(i)
            for piece in pieces:
                self._by_anchor.setdefault(piece, []).append(i)
        self.negation_needles = tuple(f" {neg} " for neg in self.negations)
        self.other_object_prefixes = tuple(self.other_objects)
        handled = [_compile_phrase(h, self.cjk) for h in self.handled]
        self._handled = re.compile("|".join(handled), re.IGNORECASE) if handled else None
        self._script = self.script

    def candidates(self, lowered: str) -> set[int]:
        """Indexes of the phrases worth running on a text (given lowercase)."""
        found = set(self._always)
        for anchor, indexes in self._by_anchor.items():
            if anchor in lowered:
                found.update(indexes)
        return found

    def find(
        self, norm: str, candidates: Iterable[int] | None = None
    ) -> list[tuple[int, int, int]]:
        """Every match in `norm` (a text passed through `normalise`) of the phrases
        `candidates` (default: those whose anchor is in the text), as (start, end, phrase
        index), in text order."""
        if candidates is None:
            candidates = self.candidates(norm.lower())
        return sorted(
            (match.start(), match.end(), i)
            for i in candidates
            for match in self._expressions[i].finditer(norm)
        )


def _compile_token(token: str, cjk: bool) -> str:
    if token == "<Name>":
        return _NAME
    alternatives = []
    for alt in token.split("|"):
        if alt.endswith("*") and len(alt) > 1:
            alternatives.append(re.escape(normalise(alt[:-1])) + r"\w*")
        else:
            alternatives.append(re.escape(normalise(alt)))
    return "(?:" + "|".join(alternatives) + ")"


def _compile_phrase(text: str, cjk: bool) -> str:
    tokens = text.split()
    out: list[str] = []
    gap_before = False
    for token in tokens:
        if token == "...":
            gap_before = True
            continue
        if out:
            if cjk:
                out.append(
                    rf"[^\s{re.escape(CLAUSE_END)}]{{0,{_CJK_GAP}}}" if gap_before else _CJK_SEP
                )
            else:
                out.append(f"{_SEP}(?:\\w+{_SEP}){{0,{_WORD_GAP}}}" if gap_before else _SEP)
        out.append(_compile_token(token, cjk))
        gap_before = False
    body = "".join(out)
    return body if cjk else rf"(?<!\w){body}(?!\w)"


def _anchor_pieces(text: str) -> tuple[str, ...]:
    """The alternatives of the phrase's most distinctive token (its shortest alternative is the
    longest), as lowercase literals a matching text must contain; () when no token will do."""
    best: tuple[str, ...] = ()
    best_length = 0
    for token in text.split():
        if token in ("...", "<Name>"):
            continue
        pieces = tuple(normalise(alt.rstrip("*")).lower() for alt in token.split("|"))
        shortest = min(len(p) for p in pieces)
        if shortest > best_length:
            best, best_length = pieces, shortest
    return best


def normalise(text: str) -> str:
    # same length as the input, so match positions stay valid in the original text
    return text.replace("ё", "е").replace("Ё", "Е").replace("’", "'").replace("‘", "'")


class PhraseLists(list):
    """Every language's compiled PhraseList, with one Aho-Corasick automaton over all their
    anchors: a single pass in C over a message tells which phrases of which language to run
    (a Python loop of `in` checks per language cost three times as much)."""

    def __init__(self, lists: Iterable[PhraseList] = ()):
        super().__init__(lists)
        self._automaton: Any = None  # an ahocorasick.Automaton, built on first use
        self._hits: list[list[tuple[int, list[int]]]] = []
        self._always_by_list = [(i, pl._always) for i, pl in enumerate(self) if pl._always]

    def candidates(self, lowered: str) -> dict[int, set[int]]:
        """{index of a list: indexes of its phrases worth running} for a lowercase text."""
        if self._automaton is None:
            self._automaton, self._hits = _anchor_automaton(self)
        found: dict[int, set[int]] = {i: set(always) for i, always in self._always_by_list}
        # a short anchor ("hi") is found inside many words: take each anchor once
        for anchor in {value for _, value in self._automaton.iter(lowered)}:
            for list_index, indexes in self._hits[anchor]:
                found.setdefault(list_index, set()).update(indexes)
        return found


def _anchor_automaton(lists: list[PhraseList]):
    """(automaton whose values are anchor numbers, [(list index, phrase indexes)] by number)."""
    import ahocorasick

    by_anchor: dict[str, list[tuple[int, list[int]]]] = {}
    for list_index, phrase_list in enumerate(lists):
        for anchor, indexes in phrase_list._by_anchor.items():
            by_anchor.setdefault(anchor, []).append((list_index, indexes))
    automaton = ahocorasick.Automaton()
    hits = []
    for number, (anchor, found) in enumerate(by_anchor.items()):
        automaton.add_word(anchor, number)
        hits.append(found)
    if by_anchor:
        automaton.make_automaton()
    return automaton, hits


@functools.lru_cache(maxsize=8192)
def _expression(pattern: str) -> re.Pattern:
    # re's own cache holds 512: the lists' 640 expressions would be compiled afresh each time
    # the rules are loaded (every import loads them, for churn signals and suggestions)
    return re.compile(pattern, re.IGNORECASE)


def read_phrase_lists(folders: Iterable[Path]) -> PhraseLists:
    """Read every *.txt phrase file in `folders`, merged and compiled per language (later
    folders add to earlier ones)."""
    lists: dict[str, PhraseList] = {}
    for folder in folders:
        for path in sorted(Path(folder).glob("*.txt")):
            _read_file(path, lists)
    for phrase_list in lists.values():
        phrase_list.compile()
    return PhraseLists(lists.values())


def _read_file(path: Path, lists: dict[str, PhraseList]) -> None:
    language = path.name.split(".")[0]
    section = None
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        if line.startswith("@language"):
            language = line.split(None, 1)[1].strip()
            continue
        if line.startswith("[") and line.endswith("]"):
            section = line[1:-1].strip()
            continue
        if section is None:
            continue
        target = lists.setdefault(language, PhraseList(language))
        if section == "not":
            target.negations.append(normalise(line.lower()))
        elif section == "handled":
            target.handled.append(line)
        elif section == "not_after":
            target.other_objects.append(normalise(line.lower()))
        else:
            target.phrases.append(Phrase(language, section, line))
