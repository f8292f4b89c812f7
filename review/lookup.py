"""Agents and teams from what a person types on the command line: an id, a name, an email."""

from __future__ import annotations

from sqlite_utils import Database

from review.errors import InvalidInput


def _find(db: Database, table: str, text: str, columns: tuple[str, ...]) -> list[int]:
    text = text.strip()
    if text.isdigit():
        rows = db.execute(f"select id from {table} where id = ?", [int(text)]).fetchall()
        if rows:
            return [rows[0][0]]
    conditions = " or ".join(f"lower({c}) = lower(:t)" for c in columns)
    rows = db.execute(f"select id from {table} where {conditions}", {"t": text}).fetchall()
    if not rows:
        raise InvalidInput(f"no {table[:-1]} called {text!r}")
    return [r[0] for r in rows]


def find_agent_ids(db: Database, text: str) -> list[int]:
    """Agent ids matching an id, a name, an email or the helpdesk's id (every match: the same
    person may be in several helpdesks). InvalidInput when none."""
    return _find(db, "agents", text, ("name", "email", "external_id"))


def find_team_ids(db: Database, text: str) -> list[int]:
    """Team ids matching an id, a name or the helpdesk's id. InvalidInput when none."""
    return _find(db, "teams", text, ("name", "external_id"))
