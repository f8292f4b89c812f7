"""The quality phrase lists (resources/autoqa_phrases, and a team's own folder) and the
rule-set version every suggestion is stored with.

The lists use the churn phrases' syntax and loader (review.phrases); each `[section]` is one
kind of phrase (greeting, closing, apology...). `Phrasebook.scan` runs one Aho-Corasick pass
over a text and then only the phrases whose anchor word is in it.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from review.phrases import PhraseLists, normalise, read_phrase_lists
from review.store import Store

ENGINE_VERSION = "1"  # bump when a rule's logic changes; the phrase lists' hash is added to it
SETTING_FOLDER = "autoqa_phrases_folder"
SECTIONS = (
    "greeting",
    "closing",
    "apology",
    "empathy",
    "solution",
    "next_steps",
    "promise",
    "help",
    "chaser",
    "retention",
    "rude",
)
# A section "[not_X]" holds phrases inside which a hit of section X does not count.

Hits = dict[str, list[tuple[int, int]]]


def builtin_folder() -> Path:
    """resources/autoqa_phrases."""
    return Path(str(resources.files("resources.autoqa_phrases")))


def phrase_folders(db: Store | None = None) -> list[Path]:
    """The built-in folder, then the team's folder from the settings when set."""
    folders = [builtin_folder()]
    if db is not None:
        row = db.execute(
            "select value from settings where key = :key", {"key": SETTING_FOLDER}
        ).fetchone()
        if row and row[0]:
            folders.append(Path(row[0]))
    return folders


def ruleset_version(folders: Iterable[Path]) -> str:
    """ "autoqa-ENGINE+HASH": the engine's version and a hash of every phrase and word file
    read, so a suggestion says which rules and which lists made it."""
    digest = hashlib.sha256()
    for folder in folders:
        for path in sorted([*Path(folder).glob("*.txt"), *Path(folder).glob("*.words")]):
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    return f"autoqa-{ENGINE_VERSION}+{digest.hexdigest()[:10]}"


@dataclass
class Phrasebook:
    """Every language's quality phrases, compiled, and the version of the rules."""

    lists: PhraseLists
    version: str
    _index: dict[str, int] = field(default_factory=dict)
    _sections: dict[tuple[int, frozenset[str]], set[int]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._index = {pl.language: i for i, pl in enumerate(self.lists)}

    @classmethod
    def load(cls, folders: list[Path] | None = None, extra_version: str = "") -> Phrasebook:
        """Read the phrase files of `folders` (default: the built-in one)."""
        folders = folders if folders is not None else [builtin_folder()]
        version = ruleset_version(folders) + extra_version
        return cls(read_phrase_lists(folders), version)

    def _of_sections(self, index: int, sections: frozenset[str]) -> set[int]:
        key = (index, sections)
        if key not in self._sections:
            wanted = sections | {f"not_{s}" for s in sections}
            self._sections[key] = {
                i for i, p in enumerate(self.lists[index].phrases) if p.intent in wanted
            }
        return self._sections[key]

    @property
    def languages(self) -> tuple[str, ...]:
        """The languages that have a list."""
        return tuple(self._index)

    def scan(
        self, text: str, languages: Iterable[str], sections: frozenset[str] | None = None
    ) -> Hits:
        """{section: spans} of the phrases of `languages` (only of `sections` when given) found
        in `text`, in text order."""
        hits: Hits = defaultdict(list)
        if not text:
            return hits
        norm = normalise(text)
        chosen = self.lists.candidates(norm.lower())
        for language in languages:
            index = self._index.get(language)
            if index is None or index not in chosen:
                continue
            phrase_list = self.lists[index]
            candidates = chosen[index]
            if sections is not None:
                candidates = candidates & self._of_sections(index, sections)
            for start, end, i in phrase_list.find(norm, candidates):
                hits[phrase_list.phrases[i].intent].append((start, end))
        for section in [s for s in hits if s.startswith("not_")]:
            # "[not_empathy] if i understand": a hit inside one of these is no empathy
            vetoes = hits.pop(section)
            kept = [
                (start, end)
                for start, end in hits.get(section[4:], ())
                if not any(v_start <= start and end <= v_end for v_start, v_end in vetoes)
            ]
            if section[4:] in hits:
                hits[section[4:]] = kept
        for spans in hits.values():
            spans.sort()
        return hits
