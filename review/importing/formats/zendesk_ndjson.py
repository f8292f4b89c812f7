"""Zendesk's account "Full JSON export": one complete object per line (FORMATS.md section 1b).

Ticket lines carry their `comments` (and maybe `satisfaction_rating` and metrics); the users and
organisations exports use the same one-object-per-line style, so a user line becomes a Person
and an organisation line is passed over. A line that cannot be read is rejected with its line
number and the rest lands. This reader is benchmarked against plain `json.loads` +
`executemany`, so it does one parse per line (orjson where it agrees with `json`, see
review.importing.jsonlines) and nothing it can skip.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from functools import partial
from hashlib import sha256
from typing import BinaryIO

from review.importing.formats import Format, Head, ReadOptions
from review.importing.formats.zendesk_common import (
    SOURCE,
    BadRecord,
    id_in_text,
    ident,
    may_hold_lone_surrogates,
    safe_ident,
    without_lone_surrogates,
)
from review.importing.formats.zendesk_tickets import (
    ticket_records,
)
from review.importing.formats.zendesk_users import (
    group_team,
    user_records,
)
from review.importing.jsonlines import loads_line_noting
from review.importing.records import PassedOver, Record, Rejected, Unconverted

_TICKET_KEYS = ("requester_id", "comments", "via")
_USER_ROLES = {"end-user", "agent", "admin"}
_PAGE_KEYS = {"tickets", "ticket", "users", "user", "comments", "audits", "audit", "results"}
_FIRST_KEY = re.compile(r'\s*\{\s*"([^"]+)"')


def sniff(head: Head) -> bool:
    """One Zendesk ticket (or user) object per line, not an API page nor an Airbyte record."""
    first = head.first_line_json
    if first is not None:
        if "stream" in first or "record" in first or "id" not in first:
            return False
        if _looks_like_freshdesk(first):
            return False
        return _kind(first) in ("ticket", "user") and "id" in first
    # A first line longer than the head (a ticket with many comments): look at its text.
    text = head.text
    if "\n" in text.strip():
        return False
    found = _FIRST_KEY.match(text)
    if not found or found.group(1) in _PAGE_KEYS or found.group(1) in ("stream", "type"):
        return False
    if re.search(r'"status"\s*:\s*\d', text) or '"fr_due_by"' in text or '"frDueBy"' in text:
        return False  # Freshdesk: integer status codes, first-response due dates
    return '"requester_id"' in text and ('"comments"' in text or '"via"' in text)


def _looks_like_freshdesk(obj: dict) -> bool:
    """A Freshdesk ticket also has requester_id, but integer status codes and fr_due_by."""
    return isinstance(obj.get("status"), int) or "fr_due_by" in obj or "frDueBy" in obj


def read(stream: BinaryIO, name: str, options: ReadOptions) -> Iterator[Record]:
    """Stream the records of a Zendesk NDJSON export, one line at a time.

    Each line comes as an Unconverted record with the digest of its bytes: a line the store
    holds already (an unchanged ticket on re-import) is not even parsed again."""
    roles: dict[str, str] = {}
    for number, line in enumerate(stream, 1):
        if number == 1 and line.startswith(b"\xef\xbb\xbf"):
            line = line[3:]
        if not line.strip():
            continue
        digest = sha256(line.rstrip(b"\r\n")).hexdigest()[:32]
        yield Unconverted(SOURCE, digest, partial(_line_records, line, number, roles))


def _line_records(line: bytes, number: int, roles: dict[str, str]) -> list[Record]:
    """The records of one line (when the store does not hold it as it is)."""
    try:
        obj, standard = loads_line_noting(line)
    except (ValueError, RecursionError) as exc:
        return [Rejected(number, _json_problem(exc), id_in_text(line))]
    if (standard or b"\\u0000" in line) and may_hold_lone_surrogates(line):
        obj = without_lone_surrogates(obj)
    return list(_records(obj, number, roles))


def _records(obj: object, number: int, roles: dict[str, str]) -> Iterator[Record]:
    if type(obj) is not dict:
        yield Rejected(number, f"the line is not a JSON object but {type(obj).__name__}")
        return
    kind = _kind(obj)
    try:
        if kind == "ticket":
            yield from ticket_records(obj, number, roles)
        elif kind == "user":
            yield from user_records(obj, roles)
        elif kind == "group":
            yield group_team(obj)
        elif kind == "organization":
            yield PassedOver("organizations")
        else:
            ident(obj.get("id"))  # a missing id is the likelier fault: name it
            yield Rejected(
                number,
                "not a Zendesk ticket, user or organization (keys: "
                + ", ".join(list(obj)[:6])
                + ")",
                safe_ident(obj.get("id")),
            )
    except BadRecord as exc:
        yield exc.rejected(number, safe_ident(obj.get("id")))


def _kind(obj: dict) -> str:
    for key in _TICKET_KEYS:
        if key in obj:
            return "ticket"
    if obj.get("role") in _USER_ROLES or ("role" in obj and "email" in obj):
        return "user"
    url = obj.get("url")
    if "domain_names" in obj or (type(url) is str and "/organizations/" in url):
        return "organization"
    if type(url) is str and "/groups/" in url:
        return "group"
    return ""


def _json_problem(exc: Exception) -> str:
    if isinstance(exc, json.JSONDecodeError):
        return f"the line is not valid JSON ({exc.msg} at column {exc.colno})"
    if isinstance(exc, UnicodeDecodeError):
        return f"the line is not UTF-8 text ({exc.reason} at byte {exc.start})"
    if isinstance(exc, RecursionError):
        return "the line nests JSON too deeply to read"
    return f"the line is not valid JSON ({exc})"


FORMAT = Format(
    name="zendesk-ndjson",
    label="Zendesk full export (NDJSON, one ticket per line)",
    sniff=sniff,
    read=read,
    reads_lines=True,
)
