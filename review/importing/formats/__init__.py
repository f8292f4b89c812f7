"""The export formats savedesk reads, in detection order, and what a reader must provide.

A format is a module in this package exposing `FORMAT = Format(...)`: a name for `--format`,
a label for people, `sniff(head) -> bool` that looks only at the first bytes, and
`read(stream, name, options) -> Iterator[Record]` that streams records from the whole file.
A reader never raises for one bad record: it yields `Rejected` and goes on. It raises
`ImportFailed` only when the file as a whole cannot be read (truncated JSON, not UTF-8 ...).
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import BinaryIO

from review.importing.records import Record


@dataclass
class ReadOptions:
    """What the user may tell a reader: a column mapping for CSV, the zone of zone-less times."""

    mapping: dict[str, str] = field(default_factory=dict)  # column name -> savedesk field
    local_zone: str | None = None  # IANA zone for exports that write local times (Zendesk CSV)


@dataclass
class Head:
    """The first bytes of a file, with cheap views of them for sniffers."""

    name: str
    data: bytes

    @cached_property
    def text(self) -> str:
        """The head decoded as UTF-8 (BOM dropped, a cut multibyte char at the end ignored)."""
        data = self.data
        if data.startswith(b"\xef\xbb\xbf"):
            data = data[3:]
        return data.decode("utf-8", errors="ignore")

    @cached_property
    def first_char(self) -> str:
        """The first non-space character ('' for an empty or blank head)."""
        stripped = self.text.lstrip()
        return stripped[:1]

    @cached_property
    def first_line_json(self) -> dict | None:
        """The first non-blank line parsed as a JSON object, or None (not JSON Lines)."""
        # JSON Lines end at "\n" alone: str.splitlines() would also cut at U+0085, U+2028...,
        # which JSON may hold raw inside a string
        for line in self.text.split("\n"):
            if line.strip():
                try:
                    value = json.JSONDecoder().raw_decode(line.strip())[0]
                except ValueError:
                    return None
                return value if isinstance(value, dict) else None
        return None

    @cached_property
    def top_keys(self) -> list[str]:
        """Keys of the top-level JSON object, as far as the head shows them (in order)."""
        if self.first_char != "{":
            return []
        import ijson

        from review.importing.limits import parse_events

        keys: list[str] = []
        try:
            for prefix, event, value in parse_events(self.data):
                if prefix == "" and event == "map_key":
                    keys.append(value)
        except (ijson.IncompleteJSONError, ijson.JSONError, UnicodeDecodeError, ValueError):
            pass
        return keys

    @cached_property
    def first_item(self) -> dict | None:
        """The first element of a top-level JSON array, when the head holds it whole."""
        if self.first_char != "[":
            return None
        text = self.text.lstrip()[1:].lstrip()
        try:
            value = json.JSONDecoder().raw_decode(text)[0]
        except ValueError:
            return None
        return value if isinstance(value, dict) else None

    @cached_property
    def first_csv_line(self) -> str:
        """The first line as text, for CSV header checks (encoding guessed loosely)."""
        data = self.data
        for bom, codec in ((b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
            if data.startswith(bom):
                return data[2:].decode(codec, errors="ignore").splitlines()[0] if data[2:] else ""
        lines = self.text.splitlines()
        return lines[0] if lines else ""


@dataclass(frozen=True)
class Format:
    """One export format: how to recognise it and how to read it."""

    name: str
    label: str
    sniff: Callable[[Head], bool]
    read: Callable[[BinaryIO, str, ReadOptions], Iterator[Record]]
    # read a line at a time (NDJSON, CSV): a line, not a JSON token, is what must stay bounded
    reads_lines: bool = False


# Detection order follows ../shared/samples/FORMATS.md ("Auto-detection cheat sheet"):
# specific shapes before general ones; generic CSV last, as it accepts any CSV.
_MODULES = [
    "twitter",
    "webhook_log",
    "zendesk_csv",
    "zendesk_ndjson",
    "airbyte",
    "zendesk_api",
    "helpscout",
    "intercom",
    "front",
    "freshdesk",
    "generic_csv",
]


def all_formats() -> list[Format]:
    """Every format savedesk reads, in detection order."""
    return [importlib.import_module(f"{__name__}.{name}").FORMAT for name in _MODULES]


def format_named(name: str) -> Format:
    """The format called `name` (as given to --format); KeyError lists the known names."""
    for fmt in all_formats():
        if fmt.name == name:
            return fmt
    raise KeyError(name)


def detect(head: Head) -> Format | None:
    """The first format whose sniffer accepts `head`, or None."""
    if not head.data.strip():
        return None
    for fmt in all_formats():
        try:
            found = fmt.sniff(head)
        except (ValueError, RecursionError, UnicodeError, MemoryError):
            found = False  # a head this sniffer cannot parse is not its format
        if found:
            return fmt
    return None
