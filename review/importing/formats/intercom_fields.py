"""How Intercom writes a conversation's parts: authors by type, the opening (`source`, before API 2.0 `conversation_message`), parts, contacts and admins, tags, state and the rating."""

from __future__ import annotations

from typing import Any

from review.importing.formats._vendor import (
    BadRecord,
    body,
    ident,
    obj,
    opt_ident,
    opt_text,
    seq,
    tag_names,
    when,
)
from review.importing.records import (
    Message,
    Person,
    Rating,
    Role,
    Team,
)

SOURCE = "intercom"


ROLES: dict[str, Role] = {
    "user": "customer",
    "lead": "customer",
    "contact": "customer",
    "admin": "agent",
    "team": "agent",
    "bot": "bot",
}


_NOTE_PARTS = {"note", "note_and_reopen"}


def _role(author: dict) -> Role:
    kind = author.get("type")
    return ROLES.get(kind, "unknown") if isinstance(kind, str) else "unknown"


def _source_message(conversation_id: str, source: dict, c: dict) -> Message:
    author = obj(source.get("author"), "source.author")
    text, html = body(source.get("body"), field="source.body")
    source_id = opt_ident(source.get("id"), "source.id") or conversation_id
    role = _role(author)
    if role == "unknown" and author.get("id") is not None:
        # API 1.x webhooks may leave the opening's author type null: the customer wrote it
        # if the ids match, else an admin did (an admin-initiated or automated message)
        customer = _customer(c, {})
        same = customer is not None and opt_ident(author.get("id")) == customer.external_id
        role = "customer" if same else ("agent" if customer is not None else "unknown")
    return Message(
        # Prefixed: source ids and part ids are separate sequences at Intercom.
        external_id=f"source:{source_id}",
        author_role=role,
        created_at=when(c.get("created_at"), "created_at"),
        body_text=text,
        body_html=html,
        updated_at=when(source.get("updated_at"), "source.updated_at"),
        author_external_id=opt_ident(author.get("id"), "source.author.id"),
        author_name=opt_text(author.get("name"), "source.author.name"),
    )


def _part_message(part: dict) -> Message:
    author = obj(part.get("author"), "author")
    part_type = opt_text(part.get("part_type"), "part_type") or "comment"
    text, html = body(part.get("body"))
    internal = part_type in _NOTE_PARTS
    is_message = part_type == "comment" or internal or bool(text)
    return Message(
        external_id=ident(part.get("id")),
        author_role=_role(author) if is_message or author else "system",
        created_at=when(part.get("created_at"), "created_at"),
        body_text=text if is_message else (text or part_type.replace("_", " ")),
        body_html=html,
        is_internal=internal,
        kind="message" if is_message else "event",
        updated_at=when(part.get("updated_at"), "updated_at"),
        author_external_id=opt_ident(author.get("id"), "author.id"),
        author_name=opt_text(author.get("name"), "author.name"),
    )


def _customer(c: dict, source: dict) -> Person | None:
    contacts = obj(c.get("contacts"), "contacts")
    listed = seq(contacts.get("contacts"), "contacts.contacts")
    first = obj(listed[0], "contacts.contacts") if listed else {}
    if not first:  # older API versions
        first = obj(c.get("user"), "user") or next(
            (obj(x, "customers") for x in seq(c.get("customers"), "customers")), {}
        )
    contact_id = opt_ident(first.get("id"), "contacts.id")
    if contact_id is None:
        return None
    author = obj(source.get("author"), "source.author")
    same = opt_ident(author.get("id"), "source.author.id") == contact_id
    return Person(
        SOURCE,
        contact_id,
        "customer",
        # API 1.x names the customer in `user` itself; 2.x only by the opening's author
        name=opt_text(first.get("name"), "user.name")
        or (opt_text(author.get("name"), "source.author.name") if same else None),
        email=opt_text(first.get("email"), "user.email")
        or (opt_text(author.get("email"), "source.author.email") if same else None),
    )


def _agent(c: dict) -> Person | None:
    admin_id = opt_ident(c.get("admin_assignee_id"), "admin_assignee_id")
    if admin_id is None:
        assignee = obj(c.get("assignee"), "assignee")
        if assignee.get("type") in ("admin", None):
            admin_id = opt_ident(assignee.get("id"), "assignee.id")
    return Person(SOURCE, admin_id, "agent") if admin_id else None


def _team(c: dict) -> Team | None:
    team_id = opt_ident(c.get("team_assignee_id"), "team_assignee_id")
    if team_id is None:
        assignee = obj(c.get("assignee"), "assignee")
        if assignee.get("type") == "team":
            team_id = opt_ident(assignee.get("id"), "assignee.id")
    return Team(SOURCE, team_id) if team_id else None


def _tags(value: Any) -> list[str]:
    tags = obj(value, "tags") if not isinstance(value, list) else {"tags": value}
    return tag_names(tags.get("tags"))


def _open_flag(value: Any) -> str | None:
    if isinstance(value, bool):
        return "open" if value else "closed"
    return None


def _closed_at(c: dict) -> str | None:
    if c.get("state") != "closed":  # a reopened conversation keeps its last close time
        return None
    stats = obj(c.get("statistics"), "statistics")
    return when(stats.get("last_close_at"), "statistics.last_close_at")


def _rating(conversation_id: str, value: Any) -> Rating | None:
    rating = obj(value, "conversation_rating")
    score = rating.get("rating")
    if score is None:
        return None
    if isinstance(score, bool) or not isinstance(score, int | float) or not 1 <= score <= 5:
        raise BadRecord("conversation_rating.rating", f"expected 1 to 5, found {score!r}")
    return Rating(
        source=SOURCE,
        # One rating per conversation at Intercom: the conversation names it.
        external_id=f"conversation:{conversation_id}",
        conversation_external_id=conversation_id,
        kind="csat",
        scale="1-5",
        raw_value=str(int(score)) if float(score).is_integer() else str(score),
        score=float(score),
        positive=score >= 4,
        comment=opt_text(rating.get("remark"), "conversation_rating.remark"),
        created_at=when(rating.get("created_at"), "conversation_rating.created_at"),
    )
