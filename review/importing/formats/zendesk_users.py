"""Zendesk users and groups to people and teams (a user's role says agent or customer)."""

from __future__ import annotations

from typing import Literal

from review.importing.formats.zendesk_common import (
    SOURCE,
    BadRecord,
    _show,
    ident,
    text_field,
)
from review.importing.records import (
    Person,
    Record,
    Team,
    Unread,
)
from review.importing.unread import unread_fields

_USER_ROLES: dict[str, Literal["customer", "agent"]] = {
    "end-user": "customer",
    "agent": "agent",
    "admin": "agent",
}


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


def user_unread(u: dict) -> list[str]:
    """The fields of a user that hold a value no mapper reads."""
    return unread_fields(u, _USER_KNOWN)


def user_person(u: object) -> Person:
    """A Zendesk user: end-user -> customer, agent/admin -> agent (no role: end-user, Zendesk's
    default)."""
    if type(u) is not dict:
        raise BadRecord("user", f"a user is not an object: {_show(u)}")
    user_id = ident(u.get("id"))
    role = u.get("role")
    kind: Literal["customer", "agent"]
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
