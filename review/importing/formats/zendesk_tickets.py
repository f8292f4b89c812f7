"""Zendesk tickets to conversations: the ticket's fields, its embedded comments (or, from a ticket list, its description as a stand-in opening) and its satisfaction rating."""

from __future__ import annotations

from collections.abc import Iterator

from review.importing.formats.zendesk_comments import _COMMENT_KNOWN, comments_messages
from review.importing.formats.zendesk_common import (
    SOURCE,
    BadRecord,
    _show,
    ident,
    stamp,
    text_field,
)
from review.importing.records import (
    OPENING_STAND_IN,
    Conversation,
    Message,
    Person,
    Rating,
    Rejected,
    Role,
    Team,
    Unread,
)
from review.importing.unread import unread_fields

_RATED = {"good": (1.0, True), "bad": (0.0, False)}


_UNRATED = {"offered", "unoffered"}


# The keys each object's mapper reads (or that only repeat another, like `fields`, or are
# links and cursors); any other key that holds a value is listed in the ledger as not read.
_TICKET_KNOWN = frozenset(
    [
        "id",
        "url",
        "via",
        "created_at",
        "updated_at",
        "subject",
        "raw_subject",
        "description",
        "status",
        "requester_id",
        "submitter_id",
        "assignee_id",
        "group_id",
        "tags",
        "custom_fields",
        "fields",
        "satisfaction_rating",
        "comments",
        "metric_set",
        "metrics",
        "requester",
        "generated_timestamp",
        "is_public",
        "result_type",
    ]
)


_VIA_KNOWN = frozenset(("channel",))


_RATING_KNOWN = frozenset(
    [
        "id",
        "url",
        "score",
        "comment",
        "reason",
        "created_at",
        "updated_at",
        "ticket_id",
        "result_type",
    ]
)


def ticket_conversation(
    t: object, roles: dict | None = None
) -> tuple[Conversation, list[BadRecord]]:
    """A ticket (with embedded `comments` when the export has them) as a Conversation, and a
    BadRecord for each embedded comment that could not be read (the rest of the ticket lands)."""
    if type(t) is not dict:
        raise BadRecord("ticket", f"a ticket is not an object: {_show(t)}")
    ticket_id = ident(t.get("id"))
    try:
        conversation = _ticket(t, ticket_id)
    except BadRecord as exc:
        exc.helpdesk_id = ticket_id
        raise
    if "comments" in t:
        messages, problems = comments_messages(t.get("comments"), ticket_id, roles)
    else:  # a ticket list: its first message is only its description
        messages, problems = _opening_stand_in(t, conversation, roles), []
    conversation.messages = messages
    return conversation, problems


def _opening_stand_in(t: dict, c: Conversation, roles: dict | None) -> list[Message]:
    """The ticket's `description` as its opening message, until the first comment replaces it."""
    text = text_field(t, "description")
    if not text or not text.strip():
        return []
    author = ident(t.get("submitter_id"), "submitter_id", required=False) or (
        c.customer.external_id if c.customer else None
    )
    role: Role = roles.get(author, "unknown") if roles and author else "unknown"
    internal = t.get("is_public") is False
    return [Message(OPENING_STAND_IN, role, c.created_at, text, None, internal, "message", author)]


def ticket_unread(t: dict) -> list[str]:
    """The fields of a ticket (and of its comments, via and rating) that hold a value no
    mapper reads."""
    found = unread_fields(t, _TICKET_KNOWN)
    via = t.get("via")
    if type(via) is dict:
        found += unread_fields(via, _VIA_KNOWN, "via.")
    rating = t.get("satisfaction_rating")
    if type(rating) is dict:
        found += unread_fields(rating, _RATING_KNOWN, "satisfaction_rating.")
    comments = t.get("comments")
    if type(comments) is list:
        for comment in comments:  # the subset test runs in C: most comments have no others
            if type(comment) is dict and not comment.keys() <= _COMMENT_KNOWN:
                found += unread_fields(comment, _COMMENT_KNOWN, "comments[].")
    return found


def _ticket(t: dict, ticket_id: str) -> Conversation:
    get = t.get
    via = get("via")
    if type(via) is dict:
        channel = via.get("channel")
        if channel is not None and type(channel) is not str:
            raise BadRecord("via.channel", f"via.channel is not text: {_show(channel)}")
    elif type(via) is str:
        channel = via.strip().lower() or None
    elif via is None:
        channel = None
    else:
        raise BadRecord("via", f"via is neither an object nor text: {_show(via)}")
    requester = ident(get("requester_id"), "requester_id", required=False)
    assignee = ident(get("assignee_id"), "assignee_id", required=False)
    group = ident(get("group_id"), "group_id", required=False)
    customer = None
    if requester is not None:
        customer = Person(SOURCE, requester, "customer")
        embedded = get("requester")
        if type(embedded) is dict:
            customer.name = text_field(embedded, "name")
            customer.email = text_field(embedded, "email")
    updated = stamp(get("updated_at"), "updated_at")
    ratings = []
    rating = satisfaction_rating(get("satisfaction_rating"), ticket_id)
    if rating is not None:
        ratings.append(rating)
    return Conversation(
        source=SOURCE,
        external_id=ticket_id,
        number=ticket_id,
        subject=text_field(t, "subject") or text_field(t, "raw_subject"),
        channel=channel,
        status=text_field(t, "status"),
        created_at=stamp(get("created_at"), "created_at"),
        updated_at=updated,
        closed_at=_solved_at(t),
        customer=customer,
        # The ticket's group is the ticket's team, not the agent's: agents get theirs from the
        # users export (default_group_id), else two files would keep overwriting each other.
        agent=Person(SOURCE, assignee, "agent") if assignee is not None else None,
        team=Team(SOURCE, group) if group is not None else None,
        tags=_tags(get("tags")) if get("tags") is not None else None,
        custom_fields=_custom_fields(get("custom_fields")),
        ratings=ratings,
    )


def _tags(value: object) -> list[str]:
    if type(value) is not list:
        raise BadRecord("tags", f"tags is not a list: {_show(value)}")
    tags = []
    for tag in value:
        if type(tag) is str:
            tags.append(tag)
        elif type(tag) in (int, float):
            tags.append(str(tag))
        else:
            raise BadRecord("tags", f"a tag is not text: {_show(tag)}")
    return tags


def _custom_fields(value: object) -> dict | None:
    """{field id: value} without the empty (null) ones; the export's list or an object."""
    if not value:
        return None
    if type(value) is dict:
        return {str(k): v for k, v in value.items() if v is not None} or None
    if type(value) is not list:
        raise BadRecord("custom_fields", f"custom_fields is not a list: {_show(value)}")
    fields = {}
    for item in value:
        if type(item) is not dict:
            raise BadRecord("custom_fields", f"a custom field is not an object: {_show(item)}")
        field_id = ident(item.get("id"), "custom_fields.id")
        if item.get("value") is not None:
            fields[field_id] = item["value"]
    return fields or None


def _solved_at(t: dict) -> str | None:
    """When the ticket was solved, from the metrics a full export may embed (optional: an
    unreadable metric is ignored rather than costing the ticket)."""
    metrics = t.get("metric_set") or t.get("metrics")
    if type(metrics) is not dict:
        return None
    try:
        return stamp(metrics.get("solved_at"), "solved_at")
    except BadRecord:
        return None


def satisfaction_rating(s: object, ticket_id: str | None = None) -> Rating | None:
    """A good/bad answer as a CSAT Rating; None when nothing was answered (offered, unoffered).

    Works for the ticket's embedded `satisfaction_rating` and for the satisfaction_ratings
    endpoint's objects (which carry their own `ticket_id`).
    """
    if s is None:
        return None
    if type(s) is not dict:
        raise BadRecord("satisfaction_rating", f"satisfaction_rating is not an object: {_show(s)}")
    score = s.get("score")
    if score is None or score in _UNRATED:
        return None
    if type(score) is not str or score.split("_")[0] not in _RATED:
        raise BadRecord("satisfaction_rating.score", f"unknown satisfaction score: {_show(score)}")
    value, positive = _RATED[score.split("_")[0]]
    ticket = ident(s.get("ticket_id"), "ticket_id", required=False) or ticket_id
    if ticket is None:
        raise BadRecord("ticket_id", "the satisfaction rating names no ticket")
    rating_id = ident(s.get("id"), "satisfaction_rating.id", required=False)
    comment = text_field(s, "comment")
    reason = text_field(s, "reason")
    if reason and reason not in ("No reason provided", "None"):
        comment = f"{comment} ({reason})" if comment else reason
    return Rating(
        source=SOURCE,
        external_id=rating_id or f"ticket-{ticket}",
        conversation_external_id=ticket,
        kind="csat",
        scale="good-bad",
        raw_value=score,
        score=value,
        positive=positive,
        comment=comment,
        created_at=stamp(s.get("created_at"), "created_at") if s.get("created_at") else None,
    )


def ticket_records(
    t: object, record: int | None, roles: dict | None = None
) -> Iterator[Conversation | Rejected | Unread]:
    """The Conversation of a ticket, preceded by a Rejected for each unreadable comment in it
    and followed by the names of its fields that nothing reads."""
    conversation, problems = ticket_conversation(t, roles)
    for problem in problems:
        yield problem.rejected(record)
    yield conversation
    unread = ticket_unread(t)  # type: ignore[arg-type]  # a dict, or ticket_conversation raised
    if unread:
        yield Unread(tuple(unread))
