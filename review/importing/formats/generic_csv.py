"""Any other CSV: one row per message, or one row per conversation, read through a column map.

Columns are matched to savedesk fields by `--map column=field,...` (ReadOptions.mapping) and,
for the rest, by common header names in English, Chinese and Russian (`guess_columns`). Every
row is one message (when it has a body) plus whatever conversation fields it carries; rows
that follow each other with the same conversation id form one Conversation record (an unsorted
file gives several records for one conversation, which the writer merges). Without a
conversation id column each row is its own conversation, keyed by a digest of what does not
change between exports of it (time, customer, subject, body).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

from review.errors import ImportFailed
from review.importing.csvfiles import CsvRow, csv_head, open_csv, unique_names
from review.importing.formats import Format, Head, ReadOptions
from review.importing.formats.generic_csv_columns import (
    _ZONED,
    guess_columns,
    is_true,
    rating_values,
    role_of,
)
from review.importing.records import (
    Conversation,
    Message,
    Person,
    Rating,
    Record,
    Rejected,
    Team,
    Warning_,
)
from review.importing.sources import HEAD_BYTES
from review.importing.text import body_pair
from review.importing.times import BadTimestamp, to_utc

SOURCE = "csv"


def sniff(head: Head) -> bool:
    """Any table of at least two columns. A .csv/.tsv whose encoding cannot be told is taken
    too, so that the reader can say so instead of "not a known format"."""
    if head.first_char in ("{", "[", "<"):
        return False
    shape = csv_head(head.data, complete=len(head.data) < HEAD_BYTES)
    if shape is None:
        return head.name.lower().endswith((".csv", ".tsv"))
    named = [name for name in shape.header if name]
    return len(shape.header) >= 2 and len(named) >= 2 and shape.steady >= 0.5


@dataclass
class _Group:
    """Rows in a row sharing one conversation id, becoming one Conversation record."""

    conversation_id: str
    rows: list[tuple[CsvRow, dict[str, str], str | None]]


class _Reader:
    def __init__(self, name: str, columns: dict[str, str], options: ReadOptions):
        self.name = name
        self.columns = columns
        self.zone = options.local_zone
        self.warned_zone = False
        self.bad_ratings = 0

    def value(self, fields: dict[str, str], field: str) -> str:
        column = self.columns.get(field)
        return fields[column].strip() if column is not None else ""

    def time(self, fields: dict[str, str]) -> Iterator[Warning_]:
        text = self.value(fields, "created_at")
        if text and not self.zone and not self.warned_zone and not _ZONED.search(text):
            self.warned_zone = True
            yield Warning_(
                f"{self.name}: the times in this file carry no time zone; they were read as "
                "UTC. If they are local times, import again with --timezone (for example "
                "--timezone Asia/Shanghai)."
            )

    def conversation_id(self, fields: dict[str, str]) -> str:
        if "conversation_id" in self.columns:
            return self.value(fields, "conversation_id")
        parts = [self.value(fields, f) for f in ("created_at", "customer", "subject", "body")]
        return "r" + _digest(parts)

    def records(self, rows: Iterator[CsvRow], header: list[str]) -> Iterator[Record]:
        group: _Group | None = None
        for row in rows:
            if row.problem:
                yield Rejected(row.line, row.problem)
                continue
            fields = row.fields(header)
            if fields is None:
                yield Rejected(
                    row.line,
                    f"the row has {len(row.values)} fields but there are {len(header)} columns",
                )
                continue
            conversation_id = self.conversation_id(fields)
            if not conversation_id:
                yield Rejected(
                    row.line,
                    "the row has no conversation id",
                    field=self.columns["conversation_id"],
                )
                continue
            yield from self.time(fields)
            try:
                created = to_utc(self.value(fields, "created_at"), local_zone=self.zone)
            except BadTimestamp as exc:
                yield Rejected(
                    row.line, str(exc), conversation_id, field=self.columns["created_at"]
                )
                continue
            if group is None or group.conversation_id != conversation_id:
                if group is not None:
                    yield self.conversation(group)
                group = _Group(conversation_id, [])
            group.rows.append((row, fields, created))
        if group is not None:
            yield self.conversation(group)
        if self.bad_ratings:
            yield Warning_(
                f"{self.name}: {self.bad_ratings} satisfaction value(s) were not a CSAT "
                "(1-5, good/bad) or NPS (0-10) answer; those rows were kept without a rating"
            )

    def conversation(self, group: _Group) -> Conversation:
        first: dict[str, str] = {}
        tags: list[str] = []
        messages: list[Message] = []
        seen: dict[str, int] = {}
        ratings: dict[str, Rating] = {}
        for _row, fields, created in group.rows:
            for field in (
                "subject",
                "channel",
                "status",
                "customer",
                "customer_email",
                "agent",
                "agent_email",
                "team",
            ):
                value = self.value(fields, field)
                if value and (field == "status" or field not in first):
                    first[field] = value  # the latest status, the first of the rest
            for tag in re.split(r"[,;|]", self.value(fields, "tags")):
                if tag.strip() and tag.strip() not in tags:
                    tags.append(tag.strip())
            for kind in ("csat", "nps"):
                rating = self.rating(group.conversation_id, kind, self.value(fields, kind), created)
                if rating is not None:
                    ratings[kind] = rating
            message = self.message(fields, created, seen)
            if message is not None:
                messages.append(message)
        customer_key = first.get("customer_email") or first.get("customer")
        agent_key = first.get("agent_email") or first.get("agent")
        return Conversation(
            source=SOURCE,
            external_id=group.conversation_id,
            subject=first.get("subject"),
            channel=first["channel"].lower() if "channel" in first else None,
            status=first["status"].lower() if "status" in first else None,
            created_at=None if messages else group.rows[0][2],
            customer=Person(
                SOURCE,
                customer_key,
                "customer",
                name=first.get("customer"),
                email=first.get("customer_email"),
            )
            if customer_key
            else None,
            agent=Person(
                SOURCE,
                agent_key,
                "agent",
                name=first.get("agent"),
                email=first.get("agent_email"),
                team=first.get("team"),
            )
            if agent_key
            else None,
            team=Team(SOURCE, first["team"], first["team"]) if "team" in first else None,
            tags=tags or None,
            messages=messages,
            ratings=list(ratings.values()),
        )

    def message(self, fields: dict[str, str], created: str | None, seen: dict) -> Message | None:
        if "body" not in self.columns:
            return None
        raw = fields[self.columns["body"]]
        if not raw.strip():
            return None
        text, markup = body_pair(raw.replace("\r\n", "\n").replace("\r", "\n"))
        author = self.value(fields, "author") or None
        role = role_of(self.value(fields, "author_role"))
        if role == "unknown" and author:
            if author in (self.value(fields, "agent"), self.value(fields, "agent_email")):
                role = "agent"
            elif author in (self.value(fields, "customer"), self.value(fields, "customer_email")):
                role = "customer"
        external = self.value(fields, "message_id")
        if not external:
            external = "h" + _digest([created or "", author or "", role, text])
            seen[external] = seen.get(external, 0) + 1
            if seen[external] > 1:  # the same words twice ("ok"), both kept
                external = f"{external}-{seen[external]}"
        return Message(
            external_id=external,
            author_role=role,
            created_at=created,
            body_text=text,
            body_html=markup,
            is_internal=is_true(self.value(fields, "is_internal")),
            author_external_id=author,
            author_name=author,
        )

    def rating(self, conversation_id: str, kind: str, value: str, created) -> Rating | None:
        if not value:
            return None
        parsed = rating_values(kind, value)
        if parsed is None:
            self.bad_ratings += 1
            return None
        scale, score, positive = parsed
        return Rating(
            source=SOURCE,
            external_id=f"{kind}-{conversation_id}",
            conversation_external_id=conversation_id,
            kind=kind,
            scale=scale,
            raw_value=value,
            score=score,
            positive=positive,
            created_at=created,
        )


def _digest(parts: list[str]) -> str:
    data = "\x1f".join(parts).encode("utf-8", "surrogatepass")
    return hashlib.blake2b(data, digest_size=8).hexdigest()


def read(stream: BinaryIO, name: str, options: ReadOptions) -> Iterator[Record]:
    """Yield Conversations grouped from the rows, Rejected rows, and warnings."""
    csv_file = open_csv(stream, name)
    header = unique_names(csv_file.header)
    columns = guess_columns(header, options.mapping, name)
    if "body" not in columns and "conversation_id" not in columns:
        raise ImportFailed(
            name,
            f"none of its columns ({', '.join(header)}) looks like a message body or a "
            "conversation id; name them with --map, for example "
            f"--map '{header[0] if header else 'Text'}=body,Ticket=conversation_id'",
        )
    yield from _Reader(name, columns, options).records(csv_file.rows(), header)


FORMAT = Format(
    name="csv", label="CSV (generic, with a column map)", sniff=sniff, read=read, reads_lines=True
)
