"""One laptop record onto the team store as one row (a save, a loss, a coaching note's own row):
found by whose it is, what it is about and when it was made; added, left, updated or kept by
review.importing.push.merge's rule; and every write guarded by the row's version."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from review.errors import EditConflict, NotAllowed
from review.importing.push.context import Pushing
from review.importing.push.merge import Found, decide, digest
from review.importing.push.report import ADDED, CONFLICT, REFUSED, UPDATED


def find(
    pushing: Pushing, table: str, identity: Mapping[str, Any], columns: tuple[str, ...],
    content_of: Callable[[int, dict[str, Any]], dict[str, Any]] | None = None,
    changed_of: Callable[[int, str], str] | None = None,
) -> Found | None:  # fmt: skip
    """The team store's row of `table` with `identity` (whose, about what, made when) that no
    other laptop record of this push has matched yet, with its content (the `columns`, and
    whatever `content_of` adds from its other tables) fingerprinted; None if there is none."""
    where = " and ".join(f"{c} = :{c}" for c in identity)
    rows = pushing.target.execute(
        f"select id, version, pushed_digest, updated_at, {', '.join(columns)} from {table} "
        f"where {where} order by id",
        dict(identity),
    ).fetchall()
    for row in rows:
        if (table, row[0]) in pushing.claimed:
            continue
        pushing.claimed.add((table, row[0]))
        content = dict(zip(columns, row[4:], strict=True))
        if content_of is not None:
            content.update(content_of(row[0], content))
        changed = changed_of(row[0], row[3]) if changed_of is not None else row[3]
        return Found(row[0], row[1], digest(content), row[2], changed)
    return None


def put(
    pushing: Pushing,
    kind: str,
    record: str,
    table: str,
    identity: Mapping[str, Any],
    content: Mapping[str, Any],
    *,
    changed_at: str,
    updated_at: str | None = None,
    on_insert: Mapping[str, Any] | None = None,
    compared: Mapping[str, Any] | None = None,
    children: Callable[[int, str], None] | None = None,
    content_of: Callable[[int, dict[str, Any]], dict[str, Any]] | None = None,
    changed_of: Callable[[int, str], str] | None = None,
) -> int | None:
    """Push one laptop record of `kind` (named `record` in the report) as a row of `table`:
    its `identity` and `content` columns (the team store's ids), `on_insert` columns only when
    added, and `compared` (content kept in other tables: a note's items) in its fingerprint.
    `children(row_id, outcome)` writes those other tables after an add or an update. Counts the
    outcome; `updated_at` is the row's (default: `changed_at`). A refusal or a conflict is named and leaves the team store as it was. The team
    store's row id, or None where there is none."""
    mine = {**content, **(compared or {})}
    stamp = {"updated_at": updated_at or changed_at}
    fingerprint = digest(mine)
    try:
        with pushing.target.atomic():
            found = find(pushing, table, identity, tuple(content), content_of, changed_of)
            outcome = decide(found, fingerprint, changed_at)
            row_id = found.id if found is not None else None
            if outcome == ADDED:
                row_id = pushing.target.insert(
                    table,
                    {**identity, **content, **(on_insert or {}), **stamp,
                     "pushed_digest": fingerprint},
                )  # fmt: skip
            elif outcome == UPDATED:
                assert found is not None
                _update(pushing, table, found, {**content, **stamp}, fingerprint)
            if children is not None and row_id is not None and outcome in (ADDED, UPDATED):
                children(row_id, outcome)
    except NotAllowed:
        pushing.report.add_named(kind, REFUSED, record)
        return None
    except EditConflict:
        pushing.report.add_named(kind, CONFLICT, record)
        return found.id if found is not None else None
    if outcome == CONFLICT or outcome.startswith("kept"):
        pushing.report.add_named(kind, outcome, record)
    else:
        pushing.report.add(kind, outcome)
    return row_id


def _update(pushing: Pushing, table: str, found: Found, values: dict, fingerprint: str) -> None:
    """Write the laptop's content over the row as the last push left it, only if it is still
    at the version just read: a colleague's change in between is not overwritten."""
    sets = ", ".join(f"{c} = :{c}" for c in values)
    changed = pushing.target.execute(
        f"update {table} set {sets}, pushed_digest = :_digest, version = version + 1 "
        "where id = :_id and version = :_version",
        {**values, "_digest": fingerprint, "_id": found.id, "_version": found.version},
    ).rowcount
    if changed:
        return
    now = pushing.target.execute(
        f"select version, updated_at from {table} where id = :id", {"id": found.id}
    ).fetchone()
    if now is not None and now[0] != found.version:
        raise EditConflict(f"{table} {found.id}", None, now[1], "the push")
    # the row is there, at the version read, and still not changed: the server's row-level
    # security kept it out of this login's reach
    raise NotAllowed(pushing.who, f"{table} {found.id} is not this login's to change")
