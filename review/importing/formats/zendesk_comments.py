"""Zendesk comments and audits to messages: a comment's `public` false is an internal note, and an audit's Create and Change events make the ticket where no ticket record is."""

from __future__ import annotations

import hashlib

from review.importing.formats.zendesk_common import (
    SOURCE,
    SYSTEM_AUTHOR,
    BadRecord,
    _is_zulu,
    _show,
    ident,
    stamp,
    text_field,
)
from review.importing.records import (
    Conversation,
    Message,
    Messages,
    PassedOver,
    Person,
    Record,
    Role,
    Team,
    Unread,
)
from review.importing.text import html_to_text
from review.importing.unread import unread_fields

_COMMENT_KNOWN = frozenset(
    [
        "id",
        "type",
        "author_id",
        "body",
        "html_body",
        "plain_body",
        "public",
        "created_at",
        "audit_id",
        "ticket_id",
        "url",
    ]
)


_AUDIT_KNOWN = frozenset(("id", "ticket_id", "created_at", "author_id", "events", "url"))


# Create events of an audit that make the ticket when no ticket record is present
_CREATE_FIELDS = frozenset(("requester_id", "subject", "status", "assignee_id", "group_id"))


def comment_message(
    c: object, default_time: str | None = None, roles: dict | None = None
) -> Message:
    """A comment (or an audit's Comment event) as a Message; public false is an internal note.

    The author's role is "unknown" (the writer settles it from people records) unless `roles`
    (user id -> role, from users met earlier in the same file) knows it.
    """
    if type(c) is not dict:
        raise BadRecord("comment", f"a comment is not an object: {_show(c)}")
    get = c.get
    author = get("author_id")
    # Fast paths first: this runs once per comment of a multi-gigabyte export.
    if type(author) is int:
        author = str(author)
    elif author is not None:
        author = ident(author, "author_id", required=False)
    role: Role
    if author == SYSTEM_AUTHOR:
        role = "system"
    elif roles and author in roles:
        role = roles[author]
    else:
        role = "unknown"
    created = get("created_at")
    if created is None:
        created = default_time
    elif not (type(created) is str and len(created) == 20 and _is_zulu(created)):
        created = stamp(created, "created_at") or default_time
    public = get("public", True)
    if public is None:
        public = True
    elif type(public) is not bool:
        raise BadRecord("public", f"public is not true or false: {_show(public)}")
    html = get("html_body")
    if html is not None and type(html) is not str:
        raise BadRecord("html_body", f"html_body is not text: {_show(html)}")
    key = "plain_body"
    plain = get(key)
    if plain is None:
        key = "body"
        plain = get(key)
    if plain is None:
        plain = html_to_text(html)
    elif type(plain) is not str:
        raise BadRecord(key, f"{key} is not text: {_show(plain)}")
    external = get("id")
    if type(external) is int:
        external = str(external)
    else:
        external = ident(external, "id", required=False)
        if external is None:
            digest = hashlib.blake2b(
                repr((created, author, plain)).encode("utf-8", "surrogatepass"), digest_size=8
            )
            external = "h" + digest.hexdigest()
    return Message(external, role, created, plain, html or None, not public, "message", author)


def comments_messages(
    comments: object, ticket_id: str, roles: dict | None = None
) -> tuple[list[Message], list[BadRecord]]:
    """The messages of a ticket's embedded comments, and a BadRecord for each unreadable one."""
    if comments is None:
        return [], []
    if type(comments) is not list:
        return [], [BadRecord("comments", f"comments is not a list: {_show(comments)}", ticket_id)]
    messages: list[Message] = []
    problems: list[BadRecord] = []
    for index, comment in enumerate(comments):
        try:
            messages.append(comment_message(comment, None, roles))
        except BadRecord as exc:
            exc.field = f"comments[{index}].{exc.field}"
            exc.helpdesk_id = ticket_id
            problems.append(exc)
    return messages, problems


def audit_records(audit: object, roles: dict | None = None) -> list[Record]:
    """The records of one audit: its Comment events as Messages; its Create and Change events
    of the requester, subject, status, assignee and group as the ticket's Conversation, dated
    the audit's time so that a newer ticket record (or later audit) wins where both are
    present; its other events counted as passed over by type, and Create and Change fields
    nothing reads as not read."""
    if type(audit) is not dict:
        raise BadRecord("audit", f"an audit is not an object: {_show(audit)}")
    ticket_id = ident(audit.get("ticket_id"), "ticket_id")
    created = stamp(audit.get("created_at"), "created_at")
    events = audit.get("events") or []
    if type(events) is not list:
        raise BadRecord("events", f"events is not a list: {_show(events)}", ticket_id)
    messages: list[Message] = []
    made: dict[str, object] = {}
    creates = False  # the audit that made the ticket: its time is the ticket's creation
    others: dict[str, int] = {}
    unread = unread_fields(audit, _AUDIT_KNOWN, "audits[].")
    for index, event in enumerate(events):
        kind = event.get("type") if type(event) is dict else None
        if kind in ("Comment", "VoiceComment"):
            if event.get("author_id") is None and audit.get("author_id") is not None:
                event = {**event, "author_id": audit.get("author_id")}
            try:
                messages.append(comment_message(event, created, roles))
            except BadRecord as exc:
                exc.field = f"events[{index}].{exc.field}"
                exc.helpdesk_id = ticket_id
                raise
            unread += comment_unread(event, "audits[].events[Comment].")
        elif kind in ("Create", "Change") and event.get("field_name") in _CREATE_FIELDS:
            made[event["field_name"]] = event.get("value")
            creates = creates or kind == "Create"
        elif kind in ("Create", "Change"):
            if event.get("value") not in (None, "", []):
                unread.append(f"audits[].events[{kind}].{event.get('field_name')}")
        else:
            label = f"audit events of kinds savedesk does not use ({kind or 'no type'})"
            others[label] = others.get(label, 0) + 1
    records: list[Record] = []
    if made:
        records.append(_created_ticket(ticket_id, created, made, creates))
    if messages:
        records.append(Messages(SOURCE, ticket_id, messages))
    records.extend(PassedOver(kind, n) for kind, n in others.items())
    if unread:
        records.append(Unread(tuple(unread)))
    return records


def _created_ticket(ticket_id: str, when: str | None, made: dict, creates: bool) -> Conversation:
    try:
        requester = ident(made.get("requester_id"), "requester_id", required=False)
        assignee = ident(made.get("assignee_id"), "assignee_id", required=False)
        group = ident(made.get("group_id"), "group_id", required=False)
        return Conversation(
            source=SOURCE,
            external_id=ticket_id,
            number=ticket_id,
            subject=text_field(made, "subject"),
            status=text_field(made, "status"),
            created_at=when if creates else None,
            updated_at=when,
            customer=Person(SOURCE, requester, "customer") if requester else None,
            agent=Person(SOURCE, assignee, "agent") if assignee else None,
            team=Team(SOURCE, group) if group else None,
        )
    except BadRecord as exc:
        exc.field = f"events[Create].{exc.field}"
        exc.helpdesk_id = ticket_id
        raise


def comment_unread(c: dict, prefix: str = "") -> list[str]:
    """The fields of a comment that hold a value no mapper reads."""
    return unread_fields(c, _COMMENT_KNOWN, prefix)


def comment_records(c: object, ticket_id: str, roles: dict | None = None) -> list[Record]:
    """A comment listed apart from its ticket as Messages, and its fields nothing reads."""
    message = comment_message(c, None, roles)
    unread = comment_unread(c)  # type: ignore[arg-type]
    records: list[Record] = [Messages(SOURCE, ticket_id, [message])]
    return [*records, Unread(tuple(unread))] if unread else records
