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
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from sqlite_utils import Database

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
_CJK_GAP = 5  # characters "..." may skip in Chinese
_WORD_GAP = 3  # words "..." may skip elsewhere
_NEGATION_WORDS = 3  # words (space languages) before a phrase searched for a negation
_NEGATION_CHARS = 3  # characters (Chinese) before a phrase searched for a negation
_CLAUSE_END = ",;:.!?\n，；：。！？、—–"
_SENTENCE_END = ".!?\n。！？"
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
            self._expressions.append(
                re.compile(_compile_phrase(phrase.text, self.cjk), re.IGNORECASE)
            )
            pieces = _anchor_pieces(phrase.text)
            if not pieces:
                self._always.append(i)
            for piece in pieces:
                self._by_anchor.setdefault(piece, []).append(i)
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


@dataclass(frozen=True)
class SignalHit:
    """A phrase found in a text: which intent, which phrase, the words it matched and where."""

    intent: str
    phrase: str
    matched: str
    language: str
    start: int


def _compile_token(token: str, cjk: bool) -> str:
    if token == "<Name>":
        return _NAME
    alternatives = []
    for alt in token.split("|"):
        if alt.endswith("*") and len(alt) > 1:
            alternatives.append(re.escape(_normalise(alt[:-1])) + r"\w*")
        else:
            alternatives.append(re.escape(_normalise(alt)))
    return "(?:" + "|".join(alternatives) + ")"


def _compile_phrase(text: str, cjk: bool) -> str:
    tokens = text.split()
    out = []
    gap_before = False
    for token in tokens:
        if token == "...":
            gap_before = True
            continue
        if out:
            if cjk:
                out.append(
                    rf"[^\s{re.escape(_CLAUSE_END)}]{{0,{_CJK_GAP}}}" if gap_before else _CJK_SEP
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
        pieces = tuple(_normalise(alt.rstrip("*")).lower() for alt in token.split("|"))
        shortest = min(len(p) for p in pieces)
        if shortest > best_length:
            best, best_length = pieces, shortest
    return best


def _normalise(text: str) -> str:
    # same length as the input, so match positions stay valid in the original text
    return text.replace("ё", "е").replace("Ё", "Е").replace("’", "'").replace("‘", "'")


def phrase_folders(db: Database | None = None) -> list[Path]:
    """The built-in phrase folder, then the team's folder from the settings when set."""
    folders = [Path(str(resources.files("resources.churn_phrases")))]
    if db is not None:
        row = db.execute("select value from settings where key = ?", [SETTING_FOLDER]).fetchone()
        if row and row[0]:
            folders.append(Path(row[0]))
    return folders


class PhraseLists(list):
    """Every language's compiled PhraseList, with one Aho-Corasick automaton over all their
    anchors: a single pass in C over a message tells which phrases of which language to run
    (a Python loop of `in` checks per language cost three times as much)."""

    def __init__(self, lists: Iterable[PhraseList] = ()):
        super().__init__(lists)
        self._automaton = None
        self._always_by_list = [(i, pl._always) for i, pl in enumerate(self) if pl._always]

    def candidates(self, lowered: str) -> dict[int, set[int]]:
        """{index of a list: indexes of its phrases worth running} for a lowercase text."""
        if self._automaton is None:
            self._automaton = _anchor_automaton(self)
        found: dict[int, set[int]] = {i: set(always) for i, always in self._always_by_list}
        for _, hits in self._automaton.iter(lowered):
            for list_index, indexes in hits:
                found.setdefault(list_index, set()).update(indexes)
        return found


def _anchor_automaton(lists: list[PhraseList]):
    import ahocorasick

    by_anchor: dict[str, list[tuple[int, list[int]]]] = {}
    for list_index, phrase_list in enumerate(lists):
        for anchor, indexes in phrase_list._by_anchor.items():
            by_anchor.setdefault(anchor, []).append((list_index, indexes))
    automaton = ahocorasick.Automaton()
    for anchor, hits in by_anchor.items():
        automaton.add_word(anchor, hits)
    if by_anchor:
        automaton.make_automaton()
    return automaton


def load_phrases(folders: Iterable[Path] | None = None) -> PhraseLists:
    """Read every *.txt phrase file in `folders` (default: the built-in one), merged and
    compiled per language."""
    lists: dict[str, PhraseList] = {}
    for folder in folders if folders is not None else phrase_folders():
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
            target.negations.append(_normalise(line.lower()))
        elif section == "handled":
            target.handled.append(line)
        elif section == "not_after":
            target.other_objects.append(_normalise(line.lower()))
        else:
            target.phrases.append(Phrase(language, section, line))


def find_signals(text: str, lists: list[PhraseList]) -> list[SignalHit]:
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


def _negated(text: str, start: int, phrase_list: PhraseList) -> bool:
    clause_start = max(text.rfind(c, 0, start) for c in _CLAUSE_END) + 1
    before = text[clause_start:start].lower()
    if phrase_list.cjk:
        before = re.sub(r"(.)[不沒没]\1", "", before)  # 能不能, 是不是: questions, not negations
        window = before[-_NEGATION_CHARS:]
        return any(neg in window for neg in phrase_list.negations)
    words = re.findall(r"[\w']+", before)[-_NEGATION_WORDS:]
    tail = f" {' '.join(words)} "
    return any(f" {neg} " in tail for neg in phrase_list.negations)


def _about_something_else(text: str, end: int, phrase_list: PhraseList) -> bool:
    if not phrase_list.other_objects:
        return False
    ends = [i for i in (text.find(c, end) for c in _CLAUSE_END) if i >= 0]
    after = text[end : min(ends) if ends else len(text)].lower()
    if phrase_list.cjk:
        window = after.lstrip()[:_NEGATION_CHARS]
        return any(window.startswith(obj) for obj in phrase_list.other_objects)
    words = re.findall(r"[\w']+", after)[:_NEGATION_WORDS]
    return any(word.startswith(obj) for word in words for obj in phrase_list.other_objects)


def _settled(text: str, match: re.Match, phrase_list: PhraseList) -> bool:
    if phrase_list._handled is None:
        return False
    start = max(text.rfind(c, 0, match.start()) for c in _SENTENCE_END) + 1
    ends = [i for i in (text.find(c, match.end()) for c in _SENTENCE_END) if i >= 0]
    return phrase_list._handled.search(text, start, min(ends) if ends else len(text)) is not None


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
    "Phrase",
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
