"""How Freshdesk writes a ticket's fields: integer codes for status, priority and source, a requester embedded or named, the description, and each conversation entry as a message."""

from __future__ import annotations

from typing import Any

from review.importing.formats._vendor import (
    BadRecord,
    body,
    ident,
    obj,
    opt_ident,
    opt_text,
    when,
)
from review.importing.records import (
    Message,
    Person,
    Role,
)

SOURCE = "freshdesk"


STATUSES = {2: "open", 3: "pending", 4: "resolved", 5: "closed"}


PRIORITIES = {1: "low", 2: "medium", 3: "high", 4: "urgent"}


# Ticket source code -> savedesk channel. 2 (Portal) is confirmed by the samples; the rest
# follow Freshdesk's API reference. Unknown codes are kept as "source N".
CHANNELS = {
    1: "email",
    2: "web",
    3: "phone",
    4: "forum",
    5: "social",  # Twitter
    6: "social",  # Facebook
    7: "chat",
    8: "chat",  # Mobihelp, in-app
    9: "web",  # feedback widget
    10: "email",  # outbound email
}


_NAMED_CHANNELS = {
    "email": "email",
    "portal": "web",
    "phone": "phone",
    "forum": "forum",
    "twitter": "social",
    "facebook": "social",
    "chat": "chat",
    "mobihelp": "chat",
    "feedback widget": "web",
    "feedback_widget": "web",
    "outbound email": "email",
    "outbound_email": "email",
}


_OUTBOUND_EMAIL = 10


def _code(value: Any, field: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool):
        raise BadRecord(field, f"expected a number code, found {value!r}")
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    raise BadRecord(field, f"expected a number code, found {value!r}")


def _status(t: dict) -> str | None:
    code = _code(t.get("status"), "status")
    if code in STATUSES:
        return STATUSES[code]
    name = opt_text(t.get("status_name"), "status_name")
    if name:
        return name.lower()
    return None if code is None else f"status {code}"


def _channel(code: int | None, name: Any) -> str | None:
    if code in CHANNELS:
        return CHANNELS[code]
    named = opt_text(name, "source_name")
    if named:
        return _NAMED_CHANNELS.get(named.lower(), named.lower())
    return None if code is None else f"source {code}"


def _requester(t: dict, requester_id: str | None) -> Person | None:
    embedded = obj(t.get("requester"), "requester")
    embedded_id = opt_ident(embedded.get("id"), "requester.id")
    person_id = requester_id or embedded_id
    if person_id is None:
        return None
    name = opt_text(t.get("requester_name"), "requester_name")
    email = phone = None
    # The embedded requester describes this person only when the ids agree.
    if embedded and embedded_id in (None, person_id):
        name = opt_text(embedded.get("name"), "requester.name") or name
        email = opt_text(embedded.get("email"), "requester.email")
        phone = opt_text(embedded.get("phone"), "requester.phone") or opt_text(
            embedded.get("mobile"), "requester.mobile"
        )
    return Person(SOURCE, person_id, "customer", name=name, email=email, phone=phone)


def _description(t: dict) -> tuple[str, str | None]:
    if t.get("description_html") is not None:  # v1: description is text, description_html HTML
        return body(t.get("description_html"), t.get("description"), "description_html")
    return body(t.get("description"), t.get("description_text"), "description")


def _message(c: dict) -> Message:
    private = c.get("private") is True
    incoming = c.get("incoming") is True
    role: Role
    if c.get("auto_response") is True:
        role = "system"
    elif incoming:
        role = "customer"
    else:
        role = "agent"
    text, html = body(c.get("body"), c.get("body_text"))
    return Message(
        external_id=ident(c.get("id")),
        author_role=role,
        created_at=when(c.get("created_at"), "created_at"),
        body_text=text,
        body_html=html,
        is_internal=private,
        author_external_id=opt_ident(c.get("user_id"), "user_id"),
        author_name=None,
    )
