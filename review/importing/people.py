"""Customers, agents and teams as imports meet them, and the authors' roles they settle.

Part of the import writer (review.importing.writer), inside its transaction: people are keyed
on (source, the helpdesk's id) and never lose a name or e-mail to a later record without one.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator

from review.importing.records import Conversation, Person, Team
from review.importing.seen import SeenKeys
from review.store import Store
from review.store.bulk import BulkWriter, Insert, Write

_CACHED = 50_000  # people whose id and last values are kept; the rest are looked up again
_SETTLED_CHUNK = 500  # conversations whose roles were settled, handed over at a time


class PeopleWriter:
    """Upserts people and teams, caching the ids of the people met lately.

    `is_fresh(table, source)` tells whether the database had no rows of that source before
    this import: then a person this import has not met is new, and no lookup is needed. What
    it has met is kept in a fixed-size filter and the latest people in a bounded cache, so an
    export of a million customers takes no more memory than one of fifty thousand.
    """

    def __init__(self, db: Store, is_fresh: Callable[[str, str], bool], bulk: BulkWriter):
        self.db = db
        self.is_fresh = is_fresh
        self._bulk = bulk
        # key -> (id, the values last written), the latest _CACHED people met
        self._people: OrderedDict[tuple[str, str, str], tuple[int, dict]] = OrderedDict()
        self._met = SeenKeys()  # every person this import wrote ("maybe", never a false "no")
        # ids at or past these were added by this import
        self._first_new = {
            table: (db.execute(f"select max(id) from {table}").scalar() or 0) + 1
            for table in ("agents", "customers")
        }
        self._named: dict[tuple[str, str, str], bool] = {}
        self._teams: dict[tuple[str, str], int] = {}
        # people added by this import, written a batch at a time (flush) with ids handed out
        # here: one insert per person cost as much as the rest of their handling
        self._next_id = dict(self._first_new)
        self._pending: dict[str, list[tuple]] = {"agents": [], "customers": []}

    def has_named(self, kind: str, source: str, name: str) -> bool:
        """True when a customer or agent (`kind`) of `source` called `name` is stored (an
        author known by name only is then that person, not another)."""
        key = (kind, source, name)
        if key not in self._named:
            self.flush()
            table = "agents" if kind == "agent" else "customers"
            self._named[key] = (
                self.db.execute(
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
            self.flush()
            row = self.db.execute(
                f"select id, {', '.join(columns)} from {table} "
                "where source = :source and external_id = :id",
                {"source": p.source, "id": p.external_id},
            ).fetchone()
        if row is None:
            person_id = self._next_id[table]
            self._next_id[table] += 1
            self._pending[table].append((person_id, p.source, p.external_id, *values.values()))
            self._remember(key, person_id, values)
            return person_id, "added"
        person_id, *old = row
        merged = [
            new if new is not None else was for new, was in zip(values.values(), old, strict=True)
        ]
        self._remember(key, person_id, values)
        if merged == list(old):
            return person_id, "unchanged"
        self.db.update(table, person_id, dict(zip(columns, merged, strict=True)))
        return person_id, "updated"

    def flush(self, batch: list[Write] | None = None) -> None:
        """Write the people added since the last flush (before the rows that point at them),
        or hand them to `batch`."""
        for table in ("agents", "customers"):
            rows = self._pending[table]
            if rows:
                self._pending[table] = []
                columns = ("id", "source", "external_id", "name", "email", "phone")
                insert = Insert(table, columns + (("team_id",) if table == "agents" else ()), rows)
                if batch is None:
                    self._bulk.write([insert])
                else:
                    batch.append(insert)

    def write_team(self, t: Team) -> tuple[int, str]:
        """(id, "added" | "updated" | "unchanged") of a team."""
        key = (t.source, t.external_id)
        cached = self._teams.get(key)
        if cached is not None and t.name is None:
            return cached, "unchanged"
        row = self.db.execute(
            "select id, name from teams where source = :source and external_id = :id",
            {"source": t.source, "id": t.external_id},
        ).fetchone()
        if row is None:
            team_id = self.db.insert(
                "teams", {"source": t.source, "external_id": t.external_id, "name": t.name}
            )
            self._teams[key] = team_id
            return team_id, "added"
        self._teams[key] = row[0]
        if t.name is None or t.name == row[1]:
            return row[0], "unchanged"
        self.db.update("teams", row[0], {"name": t.name})
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


def settle_author_roles(db: Store, sources: Iterable[str]) -> Iterator[list[int]]:
    """Resolve the authors' roles of `sources` (resolve_author_roles), then yield, in chunks
    in ascending order, the conversations with a message whose role was settled, also those of
    earlier imports: who replied to them changed (their reply times are made again).

    The messages still unknown are noted in a temporary table first, so this costs what there
    is to settle, not the size of the store."""
    db.execute("drop table if exists roles_unknown")
    db.execute(
        "create temporary table roles_unknown "
        "(message_id integer primary key, conversation_id integer not null)"
    )
    try:
        db.execute(
            "insert into roles_unknown (message_id, conversation_id) select id, conversation_id "
            "from messages where author_role = 'unknown' and author_external_id is not null"
        )
        db.execute("create index roles_unknown_conversation on roles_unknown (conversation_id)")
        for source in sources:
            resolve_author_roles(db, source)
        after = 0
        while True:
            chunk = [
                row[0]
                for row in db.execute(
                    "select distinct u.conversation_id from roles_unknown u "
                    "join messages m on m.id = u.message_id "
                    "where u.conversation_id > :after and m.author_role <> 'unknown' "
                    "order by u.conversation_id limit :limit",
                    {"after": after, "limit": _SETTLED_CHUNK},
                )
            ]
            if not chunk:
                return
            yield chunk
            after = chunk[-1]
    finally:
        db.execute("drop table if exists roles_unknown")


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
