"""Freshdesk API v2 responses: tickets, their conversations, agents, contacts, groups and
satisfaction ratings (../shared/samples/FORMATS.md section 4).

Files hold a bare array (one page of a list), the search envelope `{"total", "results"}`, or one
object. Each item is recognised by its own keys, so one file may mix kinds. Integer codes become
names: status 2-5 open/pending/resolved/closed (higher codes are the account's own statuses,
named only by the ticket-fields endpoint: kept as "status N"), source codes become savedesk
channels, priority 1-4 low/medium/high/urgent (kept in custom_fields["priority"]). Older
v1-style dumps (`status_name`, `description_html`, `+10:00` offsets) read the same way.

The ticket's `description` is its first message: written by the requester, except on an
outbound email (source 10), where the agent wrote it. Satisfaction answers are on Freshdesk's
±103 scale (103 extremely happy, 102 very happy, 101 happy, 100 neutral, -101..-103 unhappy);
101 and above counts as positive, neutral and below as not.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, BinaryIO

from review.importing.formats import Format, Head, ReadOptions
from review.importing.formats._vendor import (
    BadRecord,
    JsonSplitter,
    clean_tree,
    guarded,
    ident,
    obj,
    opt_ident,
    opt_text,
    seq,
    when,
)
from review.importing.formats.freshdesk_fields import (
    _OUTBOUND_EMAIL,
    PRIORITIES,
    SOURCE,
    _channel,
    _code,
    _description,
    _message,
    _requester,
    _status,
)
from review.importing.records import (
    Conversation,
    Message,
    Messages,
    PassedOver,
    Person,
    Rating,
    Record,
    Rejected,
    Team,
    Unread,
    Warning_,
)
from review.importing.unread import unread_fields, unread_in_each

# Keys the mappers read (or links and names repeated from an id); any other key holding a value
# is listed in the ledger as not read.
_TICKET_KNOWN = frozenset(
    [
        "id",
        "created_at",
        "updated_at",
        "subject",
        "description",
        "description_text",
        "description_html",
        "status",
        "status_name",
        "source",
        "source_name",
        "priority",
        "priority_name",
        "requester_id",
        "requester",
        "requester_name",
        "responder_id",
        "responder_name",
        "group_id",
        "tags",
        "custom_fields",
        "custom_field",
        "type",
        "ticket_type",
        "display_id",
        "stats",
        "conversations",
    ]
)
_CONVERSATION_KNOWN = frozenset(
    [
        "id",
        "ticket_id",
        "body",
        "body_text",
        "created_at",
        "updated_at",
        "incoming",
        "private",
        "user_id",
        "auto_response",
    ]
)
_TICKET_KEYS = ("requester_id", "responder_id", "fr_due_by", "frDueBy", "due_by")


# -- records ----------------------------------------------------------------------------------


def ticket_records(t: dict) -> Iterator[Record]:
    """A ticket as a Conversation, its description as the first message and, when it was
    fetched with `?include=conversations`, its replies and notes after it."""
    ticket_id = ident(t.get("id"))
    stats = obj(t.get("stats"), "stats")
    source_code = _code(t.get("source"), "source")
    requester_id = opt_ident(t.get("requester_id"), "requester_id")
    responder_id = opt_ident(t.get("responder_id"), "responder_id")
    customer = _requester(t, requester_id)
    agent = None
    if responder_id:
        agent = Person(
            SOURCE, responder_id, "agent", name=opt_text(t.get("responder_name"), "responder_name")
        )
    group_id = opt_ident(t.get("group_id"), "group_id")
    created = when(t.get("created_at"), "created_at")
    messages = []
    text, html = _description(t)
    if text or html:
        outbound = source_code == _OUTBOUND_EMAIL
        messages.append(
            Message(
                external_id="description",
                author_role="agent" if outbound else "customer",
                created_at=created,
                body_text=text,
                body_html=html,
                author_external_id=responder_id if outbound else requester_id,
                author_name=(agent.name if agent else None)
                if outbound
                else (customer.name if customer else None),
            )
        )
    embedded = seq(t.get("conversations"), "conversations")
    for entry in embedded:
        messages.append(_message(obj(entry, "conversations")))
    messages.sort(key=lambda m: m.created_at or "")
    unread = unread_fields(t, _TICKET_KNOWN)
    unread += unread_in_each(embedded, _CONVERSATION_KNOWN, "conversations[].")
    custom = clean_tree(obj(t.get("custom_fields") or t.get("custom_field"), "custom_fields"))
    priority = _code(t.get("priority"), "priority")
    if priority is not None and "priority" not in custom:
        custom["priority"] = PRIORITIES.get(priority, f"priority {priority}")
    kind = t.get("type") if "type" in t else t.get("ticket_type")
    if kind is not None and "type" not in custom:
        custom["type"] = opt_text(kind, "type")
    yield Conversation(
        source=SOURCE,
        external_id=ticket_id,
        number=opt_ident(t.get("display_id"), "display_id") or ticket_id,
        subject=opt_text(t.get("subject"), "subject"),
        channel=_channel(source_code, t.get("source_name")),
        status=_status(t),
        created_at=created,
        updated_at=when(t.get("updated_at"), "updated_at"),
        closed_at=when(stats.get("closed_at"), "stats.closed_at")
        or when(stats.get("resolved_at"), "stats.resolved_at"),
        customer=customer,
        agent=agent,
        team=Team(SOURCE, group_id) if group_id else None,
        tags=[opt_text(tag, "tags") or "" for tag in seq(t.get("tags"), "tags")],
        custom_fields=custom or None,
        messages=messages,
    )
    if unread:
        yield Unread(tuple(unread))


def conversation_records(c: dict) -> Iterator[Record]:
    """One entry of a ticket's conversations (reply, note, incoming email) as Messages."""
    ticket_id = ident(c.get("ticket_id"), "ticket_id")
    yield Messages(SOURCE, ticket_id, [_message(c)])
    unread = unread_fields(c, _CONVERSATION_KNOWN)
    if unread:
        yield Unread(tuple(unread))


def agent_records(a: dict) -> Iterator[Record]:
    """An agent (its person details sit in `contact`)."""
    contact = obj(a.get("contact"), "contact")
    groups = seq(a.get("group_ids"), "group_ids")
    yield Person(
        SOURCE,
        ident(a.get("id")),
        "agent",
        name=opt_text(contact.get("name"), "contact.name"),
        email=opt_text(contact.get("email"), "contact.email"),
        phone=opt_text(contact.get("phone"), "contact.phone")
        or opt_text(contact.get("mobile"), "contact.mobile"),
        team=opt_ident(groups[0], "group_ids") if groups else None,
    )


def contact_records(c: dict) -> Iterator[Record]:
    """A contact: a customer (an agent when v1's `helpdesk_agent` says so)."""
    yield Person(
        SOURCE,
        ident(c.get("id")),
        "agent" if c.get("helpdesk_agent") is True else "customer",
        name=opt_text(c.get("name"), "name"),
        email=opt_text(c.get("email"), "email"),
        phone=opt_text(c.get("phone"), "phone") or opt_text(c.get("mobile"), "mobile"),
    )


def group_records(g: dict) -> Iterator[Record]:
    """A group, savedesk's team."""
    yield Team(SOURCE, ident(g.get("id")), opt_text(g.get("name"), "name"))


def rating_records(r: dict) -> Iterator[Record]:
    """A satisfaction survey answer on the ±103 scale (the default question's answer)."""
    ratings = obj(r.get("ratings"), "ratings")
    value = ratings.get("default_question")
    if value is None and ratings:
        value = next(iter(ratings.values()))
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise BadRecord("ratings", f"no rating on the ±103 scale ({value!r})")
    yield Rating(
        source=SOURCE,
        external_id=ident(r.get("id")),
        conversation_external_id=ident(r.get("ticket_id"), "ticket_id"),
        kind="csat",
        scale="freshdesk-103",
        raw_value=str(int(value)) if float(value).is_integer() else str(value),
        score=float(value),
        positive=value >= 101,
        comment=opt_text(r.get("feedback"), "feedback"),
        created_at=when(r.get("created_at"), "created_at"),
    )


AIRBYTE_STREAMS: dict[str, Callable[[dict], Iterator[Record]]] = {}
"""Airbyte stream name -> handler of one record's `data` (used by formats/airbyte.py).

A handler yields Rejected (record None: the caller knows the line) instead of raising.
"""


def _airbyte(convert: Callable[[dict], Iterator[Record]]) -> Callable[[dict], Iterator[Record]]:
    def handle(data: dict) -> Iterator[Record]:
        yield from guarded(None, data, lambda item: convert(_need_object(item)))

    handle.__doc__ = convert.__doc__
    return handle


AIRBYTE_STREAMS.update(
    {
        "tickets": _airbyte(ticket_records),
        "conversations": _airbyte(conversation_records),
        "agents": _airbyte(agent_records),
        "contacts": _airbyte(contact_records),
        "groups": _airbyte(group_records),
        "satisfaction_ratings": _airbyte(rating_records),
    }
)


# -- reading a file ---------------------------------------------------------------------------


def kind_of(item: dict) -> str | None:
    """Which Freshdesk object `item` is, from its keys (None: not one savedesk keeps)."""
    if "ticket_id" in item and ("incoming" in item or "private" in item):
        return "conversation"
    if "ticket_id" in item and "ratings" in item:
        return "rating"
    if any(k in item for k in _TICKET_KEYS) and ("subject" in item or "status" in item):
        return "ticket"
    if isinstance(item.get("contact"), dict) and ("ticket_scope" in item or "occasional" in item):
        return "agent"
    if "helpdesk_agent" in item or ("email" in item and "name" in item and "domains" not in item):
        return "contact"
    if "name" in item and any(
        k in item for k in ("agent_ids", "group_type", "escalate_to", "auto_ticket_assign")
    ):
        return "group"
    return None


_CONVERTERS: dict[str, Callable[[dict], Iterator[Record]]] = {
    "ticket": ticket_records,
    "conversation": conversation_records,
    "agent": agent_records,
    "contact": contact_records,
    "group": group_records,
    "rating": rating_records,
}


def read(stream: BinaryIO, name: str, options: ReadOptions) -> Iterator[Record]:
    """Stream the records of a Freshdesk API response file."""
    splitter = JsonSplitter(stream, name, ["", "results"])
    shown = 0
    for path, number, item in splitter:
        shown += path == "results"
        yield from _item_records(number, item)
    root = splitter.root
    if isinstance(root, dict):
        if "results" in root:
            total = root.get("total")
            if isinstance(total, int) and total > shown:
                yield Warning_(f"{name} holds one page of a search: {total} tickets match in all")
        else:
            yield from _item_records(1, root)
    elif root is not None and not isinstance(root, list):
        yield Rejected(1, "expected Freshdesk tickets or conversations, found a lone value")


def _item_records(number: int, item: Any) -> list[Record]:
    if not isinstance(item, dict):
        return [Rejected(number, f"expected an object, found {type(item).__name__}")]
    kind = kind_of(item)
    if kind is None:
        return [PassedOver("freshdesk object")]
    return guarded(number, item, _CONVERTERS[kind])


def sniff(head: Head) -> bool:
    """Freshdesk: tickets, conversations, agents, contacts or ratings, bare or in a search."""
    if head.first_char == "{":
        keys = set(head.top_keys)
        if "results" in keys:
            return '"requester_id"' in head.text or '"ticket_id"' in head.text
        return _looks_freshdesk(keys)
    if head.first_char == "[":
        item = head.first_item
        if item is not None:
            return _looks_freshdesk(set(item))
        text = head.text  # a first item longer than the head
        return '"requester_id"' in text and ('"fr_due_by"' in text or '"frDueBy"' in text)
    return False


def _looks_freshdesk(keys: set[str]) -> bool:
    """Keys only Freshdesk's objects carry together (stricter than kind_of: this detects)."""
    return bool(
        ({"requester_id", "responder_id"} <= keys and ("status" in keys or "subject" in keys))
        or {"incoming", "private", "ticket_id"} <= keys
        or {"ticket_scope", "contact"} <= keys
        or {"helpdesk_agent", "email"} <= keys
        or ({"unique_external_id", "email"} <= keys and "twitter_id" in keys)
        or {"survey_id", "ratings", "ticket_id"} <= keys
    )


FORMAT = Format(name="freshdesk", label="Freshdesk API (JSON)", sniff=sniff, read=read)


# -- helpers ----------------------------------------------------------------------------------


def _need_object(item: Any) -> dict:
    if not isinstance(item, dict):
        raise BadRecord(None, f"expected an object, found {type(item).__name__}")
    return item
