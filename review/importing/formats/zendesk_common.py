"""Zendesk objects (tickets, comments, audits, users, groups, satisfaction ratings) to records.

Shared by the API JSON reader, the full-export NDJSON reader and Airbyte's Zendesk streams
(see ../shared/samples/FORMATS.md sections 1 and 1b). Each mapper raises `BadRecord` naming the
field at fault; the readers turn that into a `Rejected` and go on. The NDJSON export is
benchmarked, so the comment path avoids work it does not need (no HTML parsing when the export
already holds plain text, no datetime round trip for timestamps already in our form).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from datetime import datetime

from review.importing.records import (
    OPENING_STAND_IN,
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
)
from review.importing.text import html_to_text
from review.importing.times import BadTimestamp, to_utc
from review.importing.unread import unread_fields

SOURCE = "zendesk"
SYSTEM_AUTHOR = "-1"  # Zendesk's own actions ("Zendesk" as actor) use id -1
_USER_ROLES = {"end-user": "customer", "agent": "agent", "admin": "agent"}
_RATED = {"good": (1.0, True), "bad": (0.0, False)}
_UNRATED = {"offered", "unoffered"}
_fromiso = datetime.fromisoformat
_ID_IN_TEXT = re.compile(r'"id"\s*:\s*"?(\d+)')

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
_USER_KNOWN = frozenset(
    [
        "id",
        "url",
        "name",
        "email",
        "phone",
        "role",
        "default_group_id",
        "created_at",
        "updated_at",
        "result_type",
    ]
)
_AUDIT_KNOWN = frozenset(("id", "ticket_id", "created_at", "author_id", "events", "url"))
# Create events of an audit that make the ticket when no ticket record is present
_CREATE_FIELDS = frozenset(("requester_id", "subject", "status", "assignee_id", "group_id"))


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


def _is_zulu(value: str) -> bool:
    """True for a real "YYYY-MM-DDTHH:MM:SSZ" time (the form Zendesk writes and we store)."""
    if value[19] != "Z" or value[10] != "T":
        return False
    try:
        _fromiso(value[:19])
    except ValueError:
        return False
    return True


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


# -- tickets ------------------------------------------------------------------------------------


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
    role = roles.get(author, "unknown") if roles and author else "unknown"
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
        for comment in comments:
            if type(comment) is dict:
                found += unread_fields(comment, _COMMENT_KNOWN, "comments[].")
    return found


def comment_unread(c: dict, prefix: str = "") -> list[str]:
    """The fields of a comment that hold a value no mapper reads."""
    return unread_fields(c, _COMMENT_KNOWN, prefix)


def user_unread(u: dict) -> list[str]:
    """The fields of a user that hold a value no mapper reads."""
    return unread_fields(u, _USER_KNOWN)


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


# -- people -------------------------------------------------------------------------------------


def user_person(u: object) -> Person:
    """A Zendesk user: end-user -> customer, agent/admin -> agent (no role: end-user, Zendesk's
    default)."""
    if type(u) is not dict:
        raise BadRecord("user", f"a user is not an object: {_show(u)}")
    user_id = ident(u.get("id"))
    role = u.get("role")
    if role is None:
        kind = "customer"
    elif type(role) is str and role in _USER_ROLES:
        kind = _USER_ROLES[role]
    else:
        raise BadRecord("role", f"unknown user role: {_show(role)}", user_id)
    try:
        return Person(
            SOURCE,
            user_id,
            kind,
            name=text_field(u, "name"),
            email=text_field(u, "email"),
            phone=text_field(u, "phone"),
            team=ident(u.get("default_group_id"), "default_group_id", required=False)
            if kind == "agent"
            else None,
        )
    except BadRecord as exc:
        exc.helpdesk_id = user_id
        raise


def user_records(u: object, roles: dict[str, str]) -> list[Record]:
    """A user as a Person (its role noted in `roles` for later comments), and its fields that
    nothing reads."""
    person = user_person(u)
    roles[person.external_id] = user_role(person)
    unread = user_unread(u)  # type: ignore[arg-type]  # a dict, or user_person raised
    return [person, Unread(tuple(unread))] if unread else [person]


def comment_records(c: object, ticket_id: str, roles: dict | None = None) -> list[Record]:
    """A comment listed apart from its ticket as Messages, and its fields nothing reads."""
    message = comment_message(c, None, roles)
    unread = comment_unread(c)  # type: ignore[arg-type]
    records: list[Record] = [Messages(SOURCE, ticket_id, [message])]
    return [*records, Unread(tuple(unread))] if unread else records


def user_role(person: Person) -> str:
    """The author role a person's comments carry."""
    return "agent" if person.kind == "agent" else "customer"


def group_team(g: object) -> Team:
    """A Zendesk group as a Team."""
    if type(g) is not dict:
        raise BadRecord("group", f"a group is not an object: {_show(g)}")
    group_id = ident(g.get("id"))
    try:
        return Team(SOURCE, group_id, text_field(g, "name"))
    except BadRecord as exc:
        exc.helpdesk_id = group_id
        raise


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


def _show(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
