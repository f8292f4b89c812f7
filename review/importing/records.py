"""The normalised records every format reader yields, whatever the helpdesk.

A reader turns its file into a stream of these; `review.importing.writer` stores them. Fields
left as None mean "this export says nothing about it": a newer or richer record fills them in,
and None never erases what an earlier import stored.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

Role = Literal["customer", "agent", "bot", "system", "unknown"]
ROLES: tuple[str, ...] = ("customer", "agent", "bot", "system", "unknown")


@dataclass(slots=True)
class Person:
    """A customer or an agent as the helpdesk knows them (`external_id` is the helpdesk's id)."""

    source: str
    external_id: str
    kind: Literal["customer", "agent"]
    name: str | None = None
    email: str | None = None
    phone: str | None = None
    team: str | None = None  # team (group) external id, agents only


@dataclass(slots=True)
class Team:
    """A team (Zendesk group, Intercom team, Freshdesk group)."""

    source: str
    external_id: str
    name: str | None = None


OPENING_STAND_IN = "opening-stand-in"
"""The external id of a conversation's first message when the export gives only its text (a
Zendesk ticket list's `description`): the writer drops it once the real first message (the
first comment) is stored, so the opening is never there twice."""


@dataclass(slots=True)
class Message:
    """One message or event in a conversation's timeline.

    `external_id` must be unique within the conversation and stable across exports of it
    (use the helpdesk's message id; else something derived from the message itself).
    `created_at` is ISO 8601 UTC ("2024-05-01T09:30:00Z"); see review.importing.times.
    """

    external_id: str
    author_role: Role
    created_at: str | None
    body_text: str
    body_html: str | None = None
    is_internal: bool = False
    kind: Literal["message", "event"] = "message"
    author_external_id: str | None = None
    author_name: str | None = None
    # when the helpdesk last changed the message (Intercom parts): an older snapshot of a
    # message never overwrites a newer one (a redaction stays redacted)
    updated_at: str | None = None


@dataclass(slots=True)
class Rating:
    """A satisfaction answer: CSAT (good/bad, 1-5, Freshdesk's ±103) or NPS (0-10).

    `positive` follows DOMAIN.md for CSAT (good, or 4-5 of 5); None for NPS.
    """

    source: str
    external_id: str
    conversation_external_id: str
    kind: Literal["csat", "nps"]
    scale: str
    raw_value: str
    score: float | None
    positive: bool | None = None
    comment: str | None = None
    created_at: str | None = None


@dataclass(slots=True)
class Conversation:
    """A conversation (ticket) with whatever of its timeline this record carries.

    Messages here are merged with the ones already stored (matched on external_id); none are
    deleted. `tags=None` leaves stored helpdesk tags as they are; a list replaces them (tags the
    reviewer added in savedesk are never touched).
    """

    source: str
    external_id: str
    subject: str | None = None
    channel: str | None = None
    status: str | None = None
    created_at: str | None = None
    updated_at: str | None = None
    closed_at: str | None = None
    number: str | None = None
    customer: Person | None = None
    agent: Person | None = None
    team: Team | None = None
    tags: list[str] | None = None
    custom_fields: dict | None = None
    messages: list[Message] = field(default_factory=list)
    ratings: list[Rating] = field(default_factory=list)
    # a digest of the source record it was read from (see Unconverted), stored with it
    digest: str | None = None


@dataclass(slots=True)
class Messages:
    """Messages that arrive apart from their conversation (Zendesk comments and audits,
    Intercom conversation parts, Airbyte comment streams). The conversation is created bare if
    it is not stored yet; its own record may come later in the same or another file."""

    source: str
    conversation_external_id: str
    messages: list[Message]


@dataclass(slots=True)
class Unconverted:
    """A source record (a line of an export: a ticket with its comments) not yet parsed nor
    turned into records, with a digest of its bytes. When the store holds a conversation read
    from a record of the same digest, nothing in it can change, so the writer counts it
    unchanged without parsing it: re-importing an unchanged export costs little more than
    reading it. Otherwise `convert()` gives its records (a Rejected among them if it cannot be
    read) and the digest is stored with the conversation they make."""

    source: str
    digest: str
    convert: Callable[[], list[Record]]


@dataclass(slots=True)
class Rejected:
    """A record that could not be read: skipped, listed for the user, everything else lands.

    `record` is the 1-based record number or line in the file.
    """

    record: int | None
    problem: str
    helpdesk_id: str | None = None
    field: str | None = None


@dataclass(slots=True)
class PassedOver:
    """A record of a kind savedesk does not keep (brands, macros, articles...): counted, not an error."""

    kind: str
    count: int = 1


@dataclass(slots=True)
class Unread:
    """Fields of one source record that hold a value savedesk does not map, by dotted name
    (`satisfaction_rating.reason`, `custom_thing[]` for a list): counted in the import's ledger
    so nothing is dropped in silence."""

    fields: tuple[str, ...]


@dataclass(slots=True)
class Warning_:
    """Something the user should know that is not a rejected record (a partial page, a local-time file)."""

    message: str


Record = (
    Conversation
    | Messages
    | Person
    | Team
    | Rating
    | Rejected
    | PassedOver
    | Unread
    | Warning_
    | Unconverted
)
