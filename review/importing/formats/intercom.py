"""Intercom Conversations API (2.x): conversations with their parts, admins, contacts, teams
(../shared/samples/FORMATS.md section 3).

A file holds a `conversation.list` (whose conversations carry no parts: Intercom lists them
without), one conversation (`GET /conversations/{id}`, parts included), a webhook
`notification_event` wrapping one, a bare array of conversations, or an `admin.list`,
`team.list` or `contact.list`. Times are epoch seconds.

The conversation's `source` is message #1 and is not repeated in the parts. Parts: `comment` is
a message the customer saw, `note` an internal note, other part types (assignment, close, open,
snoozed...) are events, except that one with a body (an admin who replies and closes at once)
is a public message. Authors: user and lead (an anonymous visitor) are customers, admin and
team agents, bot the bot (Operator, Fin). `conversation_rating` is a CSAT answer on 1-5.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, BinaryIO

from review.importing.formats import Format, Head, ReadOptions
from review.importing.formats._vendor import (
    BadRecord,
    JsonSplitter,
    body,
    clean_tree,
    guarded,
    ident,
    obj,
    opt_ident,
    opt_text,
    seq,
    top_value,
    when,
)
from review.importing.formats.intercom_fields import (
    SOURCE,
    _agent,
    _closed_at,
    _customer,
    _open_flag,
    _part_message,
    _rating,
    _source_message,
    _tags,
    _team,
)
from review.importing.records import (
    Conversation,
    Messages,
    PassedOver,
    Person,
    Record,
    Rejected,
    Team,
    Unread,
    Warning_,
)
from review.importing.unread import unread_fields

# source.type -> savedesk channel; anything else is kept as Intercom names it.
CHANNELS = {
    "conversation": "chat",  # the Messenger
    "chat": "chat",
    "email": "email",
    "facebook": "social",
    "twitter": "social",
    "instagram": "social",
    "whatsapp": "messaging",
    "sms": "messaging",
    "phone_call": "phone",
    "phone": "phone",
    "push": "chat",
}
# Keys each object's mapper reads (or that are type markers and links); others holding a value
# are listed in the ledger as not read.
_CONVERSATION_KNOWN = frozenset(
    [
        "type",
        "id",
        "title",
        "created_at",
        "updated_at",
        "source",
        "conversation_message",
        "read",  # whether an admin has read it: the inbox's state, not the conversation's
        "conversation_parts",
        "state",
        "open",
        "contacts",
        "user",
        "customers",
        "admin_assignee_id",
        "team_assignee_id",
        "assignee",
        "tags",
        "custom_attributes",
        "conversation_rating",
        "statistics",
        "links",
        "app_id",
    ]
)
_SOURCE_KNOWN = frozenset(
    ["type", "id", "delivered_as", "subject", "body", "author", "url", "redacted"]
)
_PART_KNOWN = frozenset(
    [
        "type",
        "id",
        "part_type",
        "body",
        "created_at",
        "updated_at",
        "notified_at",
        "author",
        "redacted",
        "conversation_id",
        "external_id",
    ]
)
_LISTS = ["", "conversations", "data", "admins", "teams"]


# -- records ----------------------------------------------------------------------------------


def conversation_records(c: dict) -> Iterator[Record]:
    """A conversation: its source as message #1 (`conversation_message` before API 2.0), its
    parts (when present) after it."""
    conversation_id = ident(c.get("id"))
    source_key = "source" if c.get("source") is not None else "conversation_message"
    source = obj(c.get(source_key), source_key)
    messages = []
    unread = unread_fields(c, _CONVERSATION_KNOWN)
    if source:
        messages.append(_source_message(conversation_id, source, c))
        unread += unread_fields(source, _SOURCE_KNOWN, f"{source_key}.")
    parts = obj(c.get("conversation_parts"), "conversation_parts")
    for part in seq(parts.get("conversation_parts"), "conversation_parts"):
        messages.append(_part_message(obj(part, "conversation_parts")))
        unread += unread_fields(part, _PART_KNOWN, "conversation_parts[].")
    messages.sort(key=lambda m: m.created_at or "")
    channel = opt_text(source.get("type"), "source.type")
    rating = _rating(conversation_id, c.get("conversation_rating"))
    yield Conversation(
        source=SOURCE,
        external_id=conversation_id,
        subject=opt_text(c.get("title"), "title")
        # an email's subject; API 1.x wrote it as HTML ("<p>Hey there</p>")
        or body(source.get("subject"), field=f"{source_key}.subject")[0]
        or None,
        channel=CHANNELS.get(channel, channel) if channel else None,
        status=opt_text(c.get("state"), "state") or _open_flag(c.get("open")),
        created_at=when(c.get("created_at"), "created_at"),
        updated_at=when(c.get("updated_at"), "updated_at"),
        closed_at=_closed_at(c),
        customer=_customer(c, source),
        agent=_agent(c),
        team=_team(c),
        tags=_tags(c.get("tags")),
        custom_fields=clean_tree(obj(c.get("custom_attributes"), "custom_attributes")) or None,
        messages=messages,
        ratings=[rating] if rating else [],
    )
    if unread:
        yield Unread(tuple(unread))


def part_records(part: dict) -> Iterator[Record]:
    """A conversation part that names its conversation (Airbyte's conversation_parts)."""
    conversation_id = ident(part.get("conversation_id"), "conversation_id")
    yield Messages(SOURCE, conversation_id, [_part_message(part)])
    unread = unread_fields(part, _PART_KNOWN)
    if unread:
        yield Unread(tuple(unread))


def admin_records(a: dict) -> Iterator[Record]:
    """An admin (teammate): an agent, in their first team."""
    teams = seq(a.get("team_ids"), "team_ids")
    yield Person(
        SOURCE,
        ident(a.get("id")),
        "agent",
        name=opt_text(a.get("name"), "name"),
        email=opt_text(a.get("email"), "email"),
        team=opt_ident(teams[0], "team_ids") if teams else None,
    )


def contact_records(c: dict) -> Iterator[Record]:
    """A contact (user or lead): a customer, keyed on Intercom's id (conversations name it)."""
    yield Person(
        SOURCE,
        ident(c.get("id")),
        "customer",
        name=opt_text(c.get("name"), "name"),
        email=opt_text(c.get("email"), "email"),
        phone=opt_text(c.get("phone"), "phone"),
    )


def team_records(t: dict) -> Iterator[Record]:
    """A team."""
    yield Team(SOURCE, ident(t.get("id")), opt_text(t.get("name"), "name"))


def _airbyte(convert: Callable[[dict], Iterator[Record]]) -> Callable[[dict], Iterator[Record]]:
    def handle(data: dict) -> Iterator[Record]:
        yield from guarded(None, data, lambda item: convert(_need_object(item)))

    handle.__doc__ = convert.__doc__
    return handle


AIRBYTE_STREAMS: dict[str, Callable[[dict], Iterator[Record]]] = {
    "conversations": _airbyte(conversation_records),
    "conversation_parts": _airbyte(part_records),
    "admins": _airbyte(admin_records),
    "contacts": _airbyte(contact_records),
    "teams": _airbyte(team_records),
}
"""Airbyte stream name -> handler of one record's `data` (used by formats/airbyte.py).

A handler yields Rejected (record None: the caller knows the line) instead of raising.
"""


# -- reading a file ---------------------------------------------------------------------------

_BY_TYPE: dict[str, Callable[[dict], Iterator[Record]]] = {
    "conversation": conversation_records,
    "admin": admin_records,
    "contact": contact_records,
    "user": contact_records,
    "lead": contact_records,
    "team": team_records,
    "conversation_part": part_records,
}


def read(stream: BinaryIO, name: str, options: ReadOptions) -> Iterator[Record]:
    """Stream the records of an Intercom API response or webhook file."""
    splitter = JsonSplitter(stream, name, _LISTS)
    for _path, number, item in splitter:
        yield from _item_records(number, item)
    root = splitter.root
    if not isinstance(root, dict):
        return
    kind = root.get("type")
    pages = root.get("pages")
    if isinstance(pages, dict) and pages.get("next"):
        yield Warning_(f"{name} holds one page of a longer list: the other pages are not in it")
    if kind == "notification_event":
        yield from notification_records(1, root)
    elif isinstance(kind, str) and kind in _BY_TYPE:
        yield from _item_records(1, root)


def notification_records(number: int, event: dict) -> list[Record]:
    """The records of a webhook `notification_event`: its `data.item` (a conversation, a
    contact...), whatever the API version."""
    data = event.get("data")
    item = data.get("item") if isinstance(data, dict) else None
    return _item_records(number, item)


def _item_records(number: int, item: Any) -> list[Record]:
    if not isinstance(item, dict):
        return [Rejected(number, f"expected an Intercom object, found {type(item).__name__}")]
    kind = item.get("type")
    convert = _BY_TYPE.get(kind) if isinstance(kind, str) else None
    if convert is None:
        if "conversation_parts" in item or "source" in item:  # a conversation missing its type
            convert = conversation_records
        else:
            return [PassedOver(f"intercom {kind}" if isinstance(kind, str) else "intercom object")]
    return guarded(number, item, convert)


_SNIFF_TYPES = {
    "conversation",
    "conversation.list",
    "notification_event",
    "admin.list",
    "team.list",
    "contact.list",
}


def sniff(head: Head) -> bool:
    """Intercom: a typed object (`"type": "conversation.list"` ...) or an array of conversations."""
    if head.first_char == "{":
        if top_value(head, "type") in _SNIFF_TYPES:
            return True
        # a list whose "type" key comes after a long "conversations" array
        keys = head.top_keys
        return bool(keys) and keys[0] == "conversations" and '"delivered_as"' in head.text
    if head.first_char == "[":
        item = head.first_item
        text = head.text
        if item is not None:
            return item.get("type") == "conversation" and (
                "source" in item or "conversation_parts" in item
            )
        return '"type": "conversation"' in text and '"delivered_as"' in text
    return False


FORMAT = Format(name="intercom", label="Intercom API (JSON)", sniff=sniff, read=read)


# -- helpers ----------------------------------------------------------------------------------


def _need_object(item: Any) -> dict:
    if not isinstance(item, dict):
        raise BadRecord(None, f"expected an object, found {type(item).__name__}")
    return item
