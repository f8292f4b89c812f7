"""What the Help Scout, Intercom, Freshdesk and Front readers share: streaming a JSON document
whose big lists may sit anywhere in an envelope, and reading loosely typed API fields.

Vendor APIs wrap their lists differently (`_embedded.conversations`, `conversations`,
`_results`, `results`, a bare array), and a saved file may hold one object instead of a list.
`JsonSplitter` reads any of these in one streaming pass: items of the named lists come out one
at a time as they complete, and whatever else the document holds comes out last, so a 1 GB list
never sits in memory while a single object still reads whole.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator
from typing import Any, BinaryIO

import ijson
from ijson.common import ObjectBuilder

from review.errors import ImportFailed
from review.importing.formats import Head
from review.importing.limits import TooDeep, json_error_text, parse_events
from review.importing.records import Record, Rejected
from review.importing.storable import storable
from review.importing.text import body_pair, html_to_text, looks_like_html
from review.importing.times import BadTimestamp, to_utc

_START = ("start_map", "start_array")
_END = ("end_map", "end_array")


class BadRecord(ValueError):
    """One record cannot be read; becomes a `Rejected` naming the field and the problem."""

    def __init__(self, field: str | None, problem: str):
        super().__init__(problem)
        self.field = field
        self.problem = problem


class JsonSplitter:
    """Streams a JSON document, splitting out the items of the arrays at `list_paths`.

    Paths use ijson's dotted prefixes ("" is a bare top-level array, "_embedded.conversations"
    a nested one). Iterating yields (path, 1-based index, item) as each item completes; when the
    document ends `root` holds everything else (those arrays left empty). `root` can be read
    during iteration too: it holds the keys seen so far.
    """

    def __init__(self, stream: BinaryIO, name: str, list_paths: Iterable[str]):
        self.stream = stream
        self.name = name
        self._items = {(f"{p}.item" if p else "item"): p for p in list_paths}
        self._root = ObjectBuilder()

    @property
    def root(self) -> Any:
        """The document without the split-out items (partial until iteration ends)."""
        return getattr(self._root, "value", None)

    def __iter__(self) -> Iterator[tuple[str, int, Any]]:
        open_lists: set[str] = set()
        counts: dict[str, int] = {}
        item: ObjectBuilder | None = None
        path = ""
        depth = 0
        try:
            for prefix, event, value in parse_events(self.stream, use_float=True):
                if item is not None:
                    item.event(event, value)
                    depth += (event in _START) - (event in _END)
                    if depth == 0:
                        counts[path] = counts.get(path, 0) + 1
                        yield path, counts[path], item.value
                        item = None
                    continue
                list_path = self._items.get(prefix)
                if list_path is not None and list_path in open_lists:
                    if event in _START:
                        item, path, depth = ObjectBuilder(), list_path, 1
                        item.event(event, value)
                    else:  # a scalar item: yielded as is, the reader rejects it
                        counts[list_path] = counts.get(list_path, 0) + 1
                        yield list_path, counts[list_path], value
                    continue
                if event == "start_array" and prefix in self._items.values():
                    open_lists.add(prefix)
                elif event == "end_array":
                    open_lists.discard(prefix)
                self._root.event(event, value)
        except TooDeep as exc:
            raise ImportFailed(self.name, str(exc)) from exc
        except (ijson.JSONError, UnicodeDecodeError) as exc:
            raise ImportFailed(
                self.name, f"the file is not complete, valid JSON ({json_error_text(exc)})"
            ) from exc


def top_value(head: Head, key: str) -> Any:
    """The scalar value of a top-level key, if the head shows it (sniffers)."""
    if head.first_char != "{":
        return None
    try:
        for prefix, event, value in parse_events(head.data):
            if prefix == key and event not in ("start_map", "start_array", "map_key"):
                return value
    except (ijson.JSONError, UnicodeDecodeError, TooDeep):
        pass
    return None


def guarded(
    number: int | None, item: Any, convert: Callable[[Any], Iterable[Record]], id_key: str = "id"
) -> list[Record]:
    """The records `convert` makes of `item`, or one Rejected saying why it could not.

    Records are collected before any is returned, so a record that fails half way lands
    nothing. The helpdesk id is named when the item has one.
    """
    try:
        return list(convert(item))
    except BadRecord as exc:
        return [Rejected(number, exc.problem, _id_of(item, id_key), exc.field)]
    except (TypeError, ValueError, AttributeError, KeyError, IndexError) as exc:
        return [
            Rejected(
                number, f"unexpected shape ({type(exc).__name__}: {exc})", _id_of(item, id_key)
            )
        ]


def _id_of(item: Any, key: str) -> str | None:
    if isinstance(item, dict):
        value = item.get(key)
        if isinstance(value, str | int) and not isinstance(value, bool):
            return clean(str(value))
    return None


def clean(text: str) -> str:
    """`text` with lone surrogates (from "\\ud800" escapes; SQLite refuses them) and NULs
    (PostgreSQL refuses them) made U+FFFD."""
    return storable(text)


def clean_tree(value: Any) -> Any:
    """A JSON value (custom fields) with every string in it passed through `clean`."""
    if isinstance(value, str):
        return clean(value)
    if isinstance(value, dict):
        return {clean(str(k)): clean_tree(v) for k, v in value.items()}
    if isinstance(value, list):
        return [clean_tree(v) for v in value]
    return value


def obj(value: Any, field: str) -> dict:
    """A JSON object field; missing or null gives {}."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise BadRecord(field, f"expected an object, found {type(value).__name__}")
    return value


def seq(value: Any, field: str) -> list:
    """A JSON array field; missing or null gives []."""
    if value is None:
        return []
    if not isinstance(value, list):
        raise BadRecord(field, f"expected a list, found {type(value).__name__}")
    return value


def ident(value: Any, field: str = "id") -> str:
    """A required id (number or non-empty string) as text."""
    found = opt_ident(value, field)
    if found is None:
        raise BadRecord(field, "the id is missing")
    return found


def opt_ident(value: Any, field: str = "id") -> str | None:
    """An optional id as text; None, "" and 0 ("nobody" in several APIs) give None."""
    if value is None or value == "" or value == 0 or value == "0":
        return None
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise BadRecord(field, f"an id cannot be a {type(value).__name__}")
    if isinstance(value, float):
        if not value.is_integer():
            raise BadRecord(field, f"an id cannot be {value!r}")
        value = int(value)
    return clean(str(value).strip()) or None


def opt_text(value: Any, field: str) -> str | None:
    """An optional text field; numbers become text, blank gives None."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise BadRecord(field, f"expected text, found {type(value).__name__}")
    text = clean(str(value)).strip()
    return text or None


def when(value: Any, field: str) -> str | None:
    """A timestamp field as ISO 8601 UTC (ISO string with or without offset, epoch seconds)."""
    try:
        return to_utc(value)
    except (BadTimestamp, ValueError, OverflowError) as exc:
        raise BadRecord(field, str(exc)) from exc


def body(html_or_text: Any, plain: Any = None, field: str = "body") -> tuple[str, str | None]:
    """(plain text, HTML or None) of a body that may be HTML; `plain`, the export's own plain
    text, is used only when the body gives none."""
    markup = opt_text(html_or_text, field) if html_or_text is not None else None
    given = opt_text(plain, field) if plain is not None else None
    if markup is None:
        return given or "", None
    if looks_like_html(markup):
        # Text derived from the HTML keeps line breaks that exports' own plain text often drops.
        return (html_to_text(markup) or given or ""), markup
    text, html = body_pair(markup)
    return (text or given or ""), html


def tag_names(value: Any, field: str = "tags", keys: tuple[str, ...] = ("name",)) -> list[str]:
    """The names of a list of tags given as text or as objects (`{"name": ...}`; Help Scout
    2.0 says `tag`): every vendor writes one or the other."""
    names = []
    for tag in seq(value, field):
        if isinstance(tag, dict):
            name = next(
                (opt_text(tag.get(k), f"{field}.{k}") for k in keys if tag.get(k) is not None),
                None,
            )
        else:
            name = opt_text(tag, field)
        if name:
            names.append(name)
    return names


def full_name(person: dict) -> str | None:
    """A person's name from `name`, `first`/`last` (Help Scout 2.0), `firstName`/`lastName`
    (FreeScout, Help Scout 1.0) or `first_name`/`last_name` (Front)."""
    name = opt_text(person.get("name"), "name")
    if name:
        return name
    for first_key, last_key in (
        ("first", "last"),
        ("firstName", "lastName"),
        ("first_name", "last_name"),
    ):
        parts = [
            opt_text(person.get(first_key), first_key),
            opt_text(person.get(last_key), last_key),
        ]
        joined = " ".join(p for p in parts if p)
        if joined:
            return joined
    return None


def derived_id(*parts: Any) -> str:
    """A stable message id made from the message itself, for exports that give none."""
    digest = hashlib.blake2b(repr(parts).encode("utf-8", "surrogatepass"), digest_size=8)
    return "derived-" + digest.hexdigest()
