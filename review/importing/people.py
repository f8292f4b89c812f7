"""Customers, agents and teams as imports meet them, and the authors' roles they settle.

Part of the import writer (review.importing.writer), inside its transaction: people are keyed
on (source, the helpdesk's id) and never lose a name or e-mail to a later record without one.
"""

from __future__ import annotations

import sqlite3
from collections import OrderedDict
from collections.abc import Callable

from review.importing.records import Conversation, Person, Team
from review.importing.seen import SeenKeys
from review.store import Store

_CACHED = 50_000  # people whose id and last values are kept; the rest are looked up again


class PeopleWriter:
    """Upserts people and teams, caching the ids of the people met lately.

    `is_fresh(table, source)` tells whether the database had no rows of that source before
    this import: then a person this import has not met is new, and no lookup is needed. What
    it has met is kept in a fixed-size filter and the latest people in a bounded cache, so an
    export of a million customers takes no more memory than one of fifty thousand.
    """

    def __init__(self, conn: sqlite3.Connection, is_fresh: Callable[[str, str], bool]):
        self.conn = conn
        self.is_fresh = is_fresh
        # key -> (id, the values last written), the latest _CACHED people met
        self._people: OrderedDict[tuple[str, str, str], tuple[int, dict]] = OrderedDict()
        self._met = SeenKeys()  # every person this import wrote ("maybe", never a false "no")
        # ids at or past these were added by this import
        self._first_new = {
            table: (conn.execute(f"select max(id) from {table}").fetchone()[0] or 0) + 1
            for table in ("agents", "customers")
        }
        self._named: dict[tuple[str, str, str], bool] = {}
        self._teams: dict[tuple[str, str], int] = {}

    def has_named(self, kind: str, source: str, name: str) -> bool:
        """True when a customer or agent (`kind`) of `source` called `name` is stored (an
        author known by name only is then that person, not another)."""
        key = (kind, source, name)
        if key not in self._named:
            table = "agents" if kind == "agent" else "customers"
            self._named[key] = (
                self.conn.execute(
                    f"select 1 from {table} where source = :source and name = :name limit 1",
                    {"source": source, "name": name},
                ).fetchone()
                is not None
            )
        return self._named[key]

    def has_met(self, p: Person) -> bool:
        """True when this import has (very likely) written `p` already."""
        key = _key(p)
        return key in self._people or key in self._met  # the cache answers most, in C

    def added_here(self, person_id: int, p: Person) -> bool:
        """True when this import added `p` (a later record filling them in is no update)."""
        return person_id >= self._first_new["agents" if p.kind == "agent" else "customers"]

    def _remember(self, key: tuple[str, str, str], person_id: int, values: dict) -> None:
        self._people[key] = (person_id, values)
        self._people.move_to_end(key)
        if len(self._people) > _CACHED:
            self._people.popitem(last=False)
        self._met.add(key)

    def write_person(self, p: Person) -> tuple[int, str]:
        """(id, "added" | "updated" | "unchanged") of a customer or agent."""
        table = "agents" if p.kind == "agent" else "customers"
        key = (table, p.source, p.external_id)
        team_id = self.write_team(Team(p.source, p.team))[0] if p.team else None
        values = {"name": p.name, "email": p.email, "phone": p.phone}
        if table == "agents":
            values["team_id"] = team_id
        found = self._people.get(key)
        cached = found[0] if found is not None else None
        if found is not None and (all(v is None for v in values.values()) or found[1] == values):
            return found[0], "unchanged"
        columns = list(values)
        row = None
        if cached is not None or not self.is_fresh(table, p.source) or key in self._met:
            row = self.conn.execute(
                f"select id, {', '.join(columns)} from {table} where source = ? and external_id = ?",
                [p.source, p.external_id],
            ).fetchone()
        if row is None:
            cursor = self.conn.execute(
                f"insert into {table} (source, external_id, {', '.join(columns)}) "
                f"values (?, ?, {', '.join('?' * len(columns))})",
                [p.source, p.external_id, *values.values()],
            )
            self._remember(key, cursor.lastrowid, values)
            return cursor.lastrowid, "added"
        person_id, *old = row
        merged = [
            new if new is not None else was for new, was in zip(values.values(), old, strict=True)
        ]
        self._remember(key, person_id, values)
        if merged == list(old):
            return person_id, "unchanged"
        self.conn.execute(
            f"update {table} set {', '.join(f'{c} = ?' for c in columns)} where id = ?",
            [*merged, person_id],
        )
        return person_id, "updated"

    def write_team(self, t: Team) -> tuple[int, str]:
        """(id, "added" | "updated" | "unchanged") of a team."""
        key = (t.source, t.external_id)
        cached = self._teams.get(key)
        if cached is not None and t.name is None:
            return cached, "unchanged"
        row = self.conn.execute(
            "select id, name from teams where source = ? and external_id = ?", list(key)
        ).fetchone()
        if row is None:
            cursor = self.conn.execute(
                "insert into teams (source, external_id, name) values (?, ?, ?)", [*key, t.name]
            )
            self._teams[key] = cursor.lastrowid
            return cursor.lastrowid, "added"
        self._teams[key] = row[0]
        if t.name is None or t.name == row[1]:
            return row[0], "unchanged"
        self.conn.execute("update teams set name = ? where id = ?", [t.name, row[0]])
        return row[0], "updated"


def _key(p: Person) -> tuple[str, str, str]:
    return ("agents" if p.kind == "agent" else "customers", p.source, p.external_id)


def assign_known_roles(c: Conversation) -> None:
    """Authors that are the conversation's own customer or agent get that role at once
    (the rest wait for people records, see resolve_author_roles)."""
    known = {}
    if c.customer is not None:
        known[c.customer.external_id] = "customer"
    if c.agent is not None:
        known.setdefault(c.agent.external_id, "agent")
    if not known:
        return
    for m in c.messages:
        if m.author_role == "unknown" and m.author_external_id in known:
            m.author_role = known[m.author_external_id]


def resolve_author_roles(db: Store, source: str) -> None:
    """Give messages whose author was unknown at import the role their people record now shows.

    Zendesk comments name only an author id: the users export (maybe a later file) tells agent
    from customer. The conversation's own customer is a customer whatever the users file says.
    """
    db.execute(
        """update messages set author_role = 'customer'
           where author_role = 'unknown' and author_external_id is not null
             and author_external_id = (select cu.external_id from conversations c
                  join customers cu on cu.id = c.customer_id where c.id = messages.conversation_id)"""
    )
    for table, role in (("agents", "agent"), ("customers", "customer")):
        db.execute(
            f"""update messages set author_role = '{role}'
                where author_role = 'unknown' and author_external_id is not null
                  and conversation_id in (select id from conversations where source = :source)
                  and author_external_id in (select external_id from {table} where source = :source)""",
            {"source": source},
        )
