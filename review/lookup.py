"""Conversations, agents and teams from what a person types: an id, a helpdesk's id or number,
a name, an email. One resolver for the command line and the app, so `savedesk review 4512`
finds what `savedesk tag save 4512` finds."""

from __future__ import annotations

from review.errors import InvalidInput, NotFound
from review.store import Store


def find_conversation(db: Store, ref: str | int) -> int:
    """A conversation id from what a user types: savedesk's id ("123"), the helpdesk's id or
    number with its source ("zendesk:4512"), or without it ("4512") when only one
    conversation has it. NotFound when none does; InvalidInput when several do."""
    text = str(ref).strip()
    rows: list[tuple[int, str, str]] = []
    if ":" in text:
        source, external = (part.strip() for part in text.split(":", 1))
        rows = db.execute(
            "select id, source, external_id from conversations where source = :source "
            "and (external_id = :ext or number = :ext) order by id",
            {"source": source.lower(), "ext": external},
        ).fetchall()
    else:
        if text.isdigit():
            rows = db.execute(
                "select id, source, external_id from conversations where id = :id",
                {"id": int(text)},
            ).fetchall()
        if not rows and text:
            rows = db.execute(
                "select id, source, external_id from conversations "
                "where external_id = :ext or number = :ext order by id",
                {"ext": text},
            ).fetchall()
    if not rows:
        raise NotFound("conversation", text)
    if len(rows) > 1:
        named = ", ".join(f"{source}:{external}" for _, source, external in rows[:4])
        raise InvalidInput(
            f"{text!r} names {len(rows)} conversations ({named}); write it as source:id"
        )
    return rows[0][0]


def _find(db: Store, table: str, text: str, columns: tuple[str, ...]) -> list[int]:
    text = text.strip()
    if text.isdigit():
        rows = db.execute(f"select id from {table} where id = :id", {"id": int(text)}).fetchall()
        if rows:
            return [rows[0][0]]
    conditions = " or ".join(f"lower({c}) = lower(:t)" for c in columns)
    rows = db.execute(f"select id from {table} where {conditions}", {"t": text}).fetchall()
    if not rows:
        raise InvalidInput(f"no {table[:-1]} called {text!r}")
    return [r[0] for r in rows]


def find_agent_ids(db: Store, text: str) -> list[int]:
    """Agent ids matching an id, a name, an email or the helpdesk's id (every match: the same
    person may be in several helpdesks). InvalidInput when none."""
    return _find(db, "agents", text, ("name", "email", "external_id"))


def find_agent(db: Store, text: str) -> int:
    """The one agent `text` names (see find_agent_ids); InvalidInput when none or several."""
    ids = find_agent_ids(db, text)
    if len(ids) > 1:
        raise InvalidInput(f"{text!r} names {len(ids)} agents; give the id")
    return ids[0]


def find_team_ids(db: Store, text: str) -> list[int]:
    """Team ids matching an id, a name or the helpdesk's id. InvalidInput when none."""
    return _find(db, "teams", text, ("name", "external_id"))
