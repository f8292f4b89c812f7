"""Which fields of a source record hold a value that no reader maps: the ledger's "not read".

A reader names the keys it maps (or knowingly leaves, like links and type markers) for each
kind of object; `unread_fields` lists the others that carry a value, so the user sees
"412 `satisfaction_rating.reason` fields not read" instead of losing them in silence. Empty
values (null, "", false, 0, [], {}) are not counted: nothing is lost with them.
"""

from __future__ import annotations

from collections.abc import Iterable


def unread_fields(obj: dict, known: frozenset[str], prefix: str = "") -> list[str]:
    """Dotted names (`prefix` + key) of `obj`'s keys outside `known` that hold a value; a
    list is named with `[]` after it so nested lists stand out."""
    extra = obj.keys() - known
    if not extra:
        return []
    found = []
    for key in extra:
        value = obj[key]
        # an empty value (falsy, but for 0.0) says nothing has_value would not; skip the call
        if (value or type(value) is float) and has_value(value):
            found.append(f"{prefix}{key}[]" if isinstance(value, list) else f"{prefix}{key}")
    return found


def has_value(value: object) -> bool:
    """False for what carries nothing: null, "", false, [], {} and objects of only those."""
    if value is None or value is False or value == "" or (type(value) is int and value == 0):
        return False  # 0 is how several APIs say "none" (savedReplyId, actionSourceId)
    if isinstance(value, dict):
        return any(has_value(v) for v in value.values())
    if isinstance(value, list):
        return bool(value)
    return True


def unread_in_each(items: Iterable, known: frozenset[str], prefix: str) -> list[str]:
    """The unread fields of every object in a list (each field named once per object)."""
    found: list[str] = []
    for item in items:
        if isinstance(item, dict):
            found.extend(unread_fields(item, known, prefix))
    return found
