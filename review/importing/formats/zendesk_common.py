"""Zendesk objects (tickets, comments, audits, users, groups, satisfaction ratings) to records.

Shared by the API JSON reader, the full-export NDJSON reader and Airbyte's Zendesk streams
(see ../shared/samples/FORMATS.md sections 1 and 1b). Each mapper raises `BadRecord` naming the
field at fault; the readers turn that into a `Rejected` and go on. The NDJSON export is
benchmarked, so the comment path avoids work it does not need (no HTML parsing when the export
already holds plain text, no datetime round trip for timestamps already in our form).
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Literal, overload

from review.importing.records import (
    Rejected,
)
from review.importing.times import BadTimestamp, to_utc

SOURCE = "zendesk"
SYSTEM_AUTHOR = "-1"  # Zendesk's own actions ("Zendesk" as actor) use id -1
_fromiso = datetime.fromisoformat
_ID_IN_TEXT = re.compile(r'"id"\s*:\s*"?(\d+)')


class BadRecord(ValueError):
    """One Zendesk object that cannot be read: `field` names where, `problem` says what."""

    def __init__(self, field: str | None, problem: str, helpdesk_id: str | None = None):
        super().__init__(problem)
        self.field = field
        self.problem = problem
        self.helpdesk_id = helpdesk_id

    def rejected(self, record: int | None, helpdesk_id: str | None = None) -> Rejected:
        """This problem as a Rejected record at `record` (line or ordinal in the file)."""
        return Rejected(record, self.problem, self.helpdesk_id or helpdesk_id, self.field)


@overload
def ident(value: object, field: str = "id", *, required: Literal[True] = True) -> str: ...
@overload
def ident(value: object, field: str = "id", *, required: bool) -> str | None: ...
def ident(value: object, field: str = "id", *, required: bool = True) -> str | None:
    """A Zendesk id as text: ints, integral floats (Airbyte writes some ids as 123.0), strings."""
    kind = type(value)
    if kind is int:
        return str(value)
    if kind is str:
        text = value.strip()
        if text:
            return text
    elif kind is float and value.is_integer():
        return str(int(value))
    elif value is None:
        pass
    else:
        raise BadRecord(field, f"{field} is not an id: {_show(value)}")
    if required:
        raise BadRecord(field, f"{field} is missing")
    return None


def safe_ident(value: object) -> str | None:
    """`ident` for naming a rejected record: None instead of an error when the id is unusable."""
    try:
        return ident(value, required=False)
    except BadRecord:
        return None


def stamp(value: object, field: str) -> str | None:
    """A Zendesk time as our UTC text. Zendesk already writes "YYYY-MM-DDTHH:MM:SSZ": such a
    value is only checked for being a real date, not reformatted."""
    if type(value) is str and len(value) == 20 and _is_zulu(value):
        return value
    try:
        return to_utc(value)
    except (BadTimestamp, ValueError, OverflowError) as exc:
        raise BadRecord(field, f"{field} is not a time: {_show(value)}") from exc


def text_field(obj: dict, key: str) -> str | None:
    """An optional text field; numbers become text, other types are refused."""
    value = obj.get(key)
    if value is None or type(value) is str:
        return value
    if type(value) in (int, float):
        return str(value)
    raise BadRecord(key, f"{key} is not text: {_show(value)}")


def id_in_text(text: str | bytes) -> str | None:
    """The first `"id": n` in a line that is not valid JSON, to name the record to the user."""
    if isinstance(text, bytes):
        text = text.decode("utf-8", errors="replace")
    found = _ID_IN_TEXT.search(text)
    return found.group(1) if found else None


def may_hold_lone_surrogates(line: bytes) -> bool:
    """True when a JSON line has a \\uD8xx-style escape, the only way json.loads makes a lone
    surrogate (which SQLite refuses); a cheap byte search, so clean only such lines."""
    return b"\\ud" in line or b"\\uD" in line


def without_lone_surrogates(value: object) -> object:
    """`value` with every lone surrogate in its strings (keys too) made U+FFFD."""
    kind = type(value)
    if kind is str:
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return value.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
        return value
    if kind is dict:
        return {without_lone_surrogates(k): without_lone_surrogates(v) for k, v in value.items()}
    if kind is list:
        return [without_lone_surrogates(v) for v in value]
    return value


# -- messages -----------------------------------------------------------------------------------


def _is_zulu(value: str) -> bool:
    """True for a real "YYYY-MM-DDTHH:MM:SSZ" time (the form Zendesk writes and we store)."""
    if value[19] != "Z" or value[10] != "T":
        return False
    try:
        _fromiso(value[:19])
    except ValueError:
        return False
    return True


# -- tickets ------------------------------------------------------------------------------------


# -- people -------------------------------------------------------------------------------------


def _show(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
