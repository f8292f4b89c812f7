"""When a conversation's real first message replaces the stand-in made from a summary.

A Zendesk ticket list carries the first message only as the ticket's `description`; the
reader stores it as a stand-in (records.OPENING_STAND_IN). The first comment, when it comes (in
the same import or a later one), is the same message: written when the ticket was, with the same
text. It then takes the stand-in's place, so the opening is never shown twice.
"""

from __future__ import annotations

from datetime import datetime

from review.importing.records import OPENING_STAND_IN, Message

_SAME_MOMENT = 120  # seconds: the first comment and the ticket are written together


def _words(text: str | None) -> str:
    return " ".join((text or "").split())


def _close(a: str | None, b: str | None) -> bool:
    if not a or not b:
        return False
    try:
        gap = datetime.fromisoformat(a.replace("Z", "+00:00")) - datetime.fromisoformat(
            b.replace("Z", "+00:00")
        )
    except ValueError:
        return False
    return abs(gap.total_seconds()) <= _SAME_MOMENT


def opens_with(m: Message, stand_in_time: str | None, stand_in_text: str | None) -> bool:
    """True when `m` (a real message) is the opening the stand-in stood for."""
    if m.external_id == OPENING_STAND_IN or m.kind != "message":
        return False
    return _close(m.created_at, stand_in_time) or (
        bool(_words(m.body_text)) and _words(m.body_text) == _words(stand_in_text)
    )


def opens_with_row(row: tuple, stand_in: Message) -> bool:
    """`opens_with` for a stored message row (id, external_id, kind, ..., created_at at 7,
    body_text at 8)."""
    if row[2] != "message":
        return False
    return _close(row[7], stand_in.created_at) or (
        bool(_words(row[8])) and _words(row[8]) == _words(stand_in.body_text)
    )


def without_replaced_stand_in(messages: list[Message]) -> list[Message]:
    """`messages` without the stand-in when the real opening is among them."""
    stand_in = next(m for m in messages if m.external_id == OPENING_STAND_IN)
    if any(opens_with(m, stand_in.created_at, stand_in.body_text) for m in messages):
        return [m for m in messages if m.external_id != OPENING_STAND_IN]
    return messages
