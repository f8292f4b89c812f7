"""Zendesk's CSV ticket export (FORMATS.md 1c): one row per ticket, no comments.

Columns carry human titles ("Id", "Requester", "Requester email", "Assignee", "Group", "Subject",
"Tags", "Status", "Via", "Created at", "Updated at", "Satisfaction Score", then one column per
custom field). Times are the account's local time written without a zone: they are read in
ReadOptions.local_zone (`--timezone`) when given, else as UTC with a warning. Conversations keep
source "zendesk" and the ticket id, so this metadata lands on the same conversations as a
Zendesk API or full-export import of the same account.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import BinaryIO
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from review.errors import ImportFailed
from review.importing.csvfiles import csv_head, open_csv, unique_names
from review.importing.formats import Format, Head, ReadOptions
from review.importing.records import Conversation, Person, Rating, Record, Rejected, Team, Warning_
from review.importing.sources import HEAD_BYTES
from review.importing.times import BadTimestamp, to_utc

SOURCE = "zendesk"
_SIGNS = {
    "via",
    "created at",
    "updated at",
    "requester email",
    "assignee",
    "group",
    "status",
    "subject",
    "satisfaction score",
}
# Columns read into the conversation's own fields; all others become custom fields.
_KNOWN = {
    "summation column",
    "id",
    "requester",
    "requester id",
    "requester email",
    "assignee",
    "assignee id",
    "assignee email",
    "group",
    "group id",
    "subject",
    "tags",
    "status",
    "via",
    "created at",
    "updated at",
    "solved at",
    "satisfaction score",
    "satisfaction comment",
}
# The Via column's titles as the API's via.channel values (what zendesk_api stores).
_CHANNELS = {
    "web form": "web",
    "web": "web",
    "mail": "email",
    "email": "email",
    "chat": "chat",
    "voicemail": "voice",
    "voice": "voice",
    "twitter": "twitter",
    "facebook": "facebook",
    "api": "api",
    "web service": "api",
    "web widget": "web_widget",
    "mobile": "mobile",
    "mobile sdk": "mobile_sdk",
    "text": "sms",
    "sms": "sms",
    "closed ticket": "closed_ticket",
}
_STATUSES = {"on-hold": "hold", "on hold": "hold"}
_UNRATED = {"", "offered", "unoffered", "not offered"}
_ZONED = re.compile(r"(?:Z|[+-]\d\d:?\d\d)$", re.I)


def _key(name: str) -> str:
    return " ".join(name.lower().split())


def sniff(head: Head) -> bool:
    """A CSV whose columns include Zendesk's "Id" and "Requester" and two more of its titles."""
    shape = csv_head(head.data, complete=len(head.data) < HEAD_BYTES)
    if shape is None:
        return False
    keys = {_key(name) for name in shape.header}
    return {"id", "requester"} <= keys and len(keys & _SIGNS) >= 2


def _channel(via: str) -> str | None:
    key = _key(via)
    if not key:
        return None
    if key.startswith("phone"):  # "Phone call (incoming)", "Phone call (outgoing)"
        return "voice"
    return _CHANNELS.get(key, key.replace(" ", "_"))


def _rating(ticket_id: str, score: str, comment: str) -> Rating | None:
    value = _key(score)
    if value in _UNRATED:
        return None
    if value.startswith("good"):
        raw, number, positive = "good", 1.0, True
    elif value.startswith("bad"):
        raw, number, positive = "bad", 0.0, False
    else:
        raise ValueError(score)
    return Rating(
        source=SOURCE,
        external_id=f"ticket-{ticket_id}",
        conversation_external_id=ticket_id,
        kind="csat",
        scale="good-bad",
        raw_value=raw,
        score=number,
        positive=positive,
        comment=comment.strip() or None,
    )


def _person(kind, get, prefix: str) -> Person | None:
    # The API knows people by numeric id; an export without the id columns only has the
    # email or the name, which is what links the rows of this file to each other.
    name = get(prefix) or None
    email = get(f"{prefix} email") or None
    external = get(f"{prefix} id") or email or name
    if external is None or name == "-":
        return None
    return Person(SOURCE, external, kind, name=name, email=email)


def _tags(text: str) -> list[str]:
    """Zendesk tags hold no spaces; the export separates them with spaces (some tools: commas)."""
    return [tag for tag in re.split(r"[\s,]+", text) if tag]


def read(stream: BinaryIO, name: str, options: ReadOptions) -> Iterator[Record]:
    """Yield one Conversation per ticket row (or a Rejected naming the row and column)."""
    zone = options.local_zone
    if zone:
        try:
            ZoneInfo(zone)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ImportFailed(
                name, f"{zone!r} is not a time zone name (use one like Europe/Berlin)"
            ) from exc
    csv_file = open_csv(stream, name)
    titles = unique_names(csv_file.header)
    columns = {_key(title): title for title in titles}
    if "id" not in columns:
        raise ImportFailed(
            name, f"a Zendesk CSV export needs an Id column; found {', '.join(titles)}"
        )
    col = {key: columns.get(key) for key in _KNOWN}
    warned = False
    for row in csv_file.rows():
        if row.problem:
            yield Rejected(row.line, row.problem)
            continue
        values = row.fields(titles)
        if values is None:
            yield Rejected(
                row.line,
                f"the row has {len(row.values)} fields but there are {len(titles)} columns",
            )
            continue

        def get(key: str, values: dict[str, str] = values) -> str:
            return values[col[key]].strip() if col[key] is not None else ""

        ticket_id = get("id")
        if not ticket_id:
            yield Rejected(row.line, "the row has no ticket id", field=col["id"])
            continue
        times = {}
        try:
            for key in ("created at", "updated at", "solved at"):
                field_name = col[key]
                text = get(key)
                if text and not zone and not warned and not _ZONED.search(text):
                    warned = True
                    yield Warning_(
                        f"{name}: the times in this Zendesk CSV export carry no time zone; they "
                        "were read as UTC. If your Zendesk account uses another zone, import "
                        "again with --timezone (for example --timezone Europe/Berlin)."
                    )
                times[key] = to_utc(text, local_zone=zone)
        except BadTimestamp as exc:
            yield Rejected(row.line, str(exc), helpdesk_id=ticket_id, field=field_name)
            continue
        try:
            rating = _rating(ticket_id, get("satisfaction score"), get("satisfaction comment"))
        except ValueError:
            yield Rejected(
                row.line,
                f"unknown satisfaction score {get('satisfaction score')!r} (expected Good or Bad)",
                helpdesk_id=ticket_id,
                field=col["satisfaction score"],
            )
            continue
        group = get("group id") or get("group")
        agent = _person("agent", get, "assignee")
        if agent is not None and group:
            agent.team = group
        custom = {
            title: value.strip()
            for title, value in values.items()
            if _key(title) not in _KNOWN and value.strip()
        }
        status = get("status").lower()
        yield Conversation(
            source=SOURCE,
            external_id=ticket_id,
            number=ticket_id,
            subject=get("subject") or None,
            channel=_channel(get("via")),
            status=_STATUSES.get(status, status) or None,
            created_at=times["created at"],
            updated_at=times["updated at"],
            closed_at=times["solved at"],
            customer=_person("customer", get, "requester"),
            agent=agent,
            team=Team(SOURCE, group, get("group") or None) if group else None,
            tags=_tags(get("tags")) if col["tags"] is not None else None,
            custom_fields=custom or None,
            ratings=[rating] if rating else [],
        )


FORMAT = Format(
    name="zendesk-csv", label="Zendesk CSV ticket export", sniff=sniff, read=read, reads_lines=True
)
