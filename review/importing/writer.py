"""Stores normalised records: upserts keyed on the helpdesk's own ids, counted as it goes.

Conversation and message ids never change once given, so reviews, tags and notes that point at
them survive any later import. Nothing here opens a transaction: the caller (review.importing.run)
wraps a whole import in one, so it lands whole or not at all.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Iterable

from sqlite_utils import Database

from review.importing.records import (
    Conversation,
    Message,
    Messages,
    PassedOver,
    Person,
    Rating,
    Record,
    Rejected,
    Team,
    Warning_,
)
from review.search import index_text

_CONVERSATION_FIELDS = (
    "number",
    "subject",
    "channel",
    "status",
    "created_at",
    "updated_at",
    "closed_at",
    "customer_id",
    "agent_id",
    "team_id",
    "custom_fields",
)
_BATCH = 2000


def _digest(values: tuple) -> str:
    return hashlib.blake2b(repr(values).encode("utf-8", "surrogatepass"), digest_size=8).hexdigest()


def _message_values(m: Message) -> tuple:
    return (
        m.kind,
        m.author_role,
        m.author_external_id,
        m.author_name,
        1 if m.is_internal else 0,
        m.created_at,
        m.body_text or "",
        m.body_html,
    )


class StoreWriter:
    """Writes records into an open database inside the caller's transaction.

    `outcomes` counts added / updated / unchanged per record kind; `rejected`, `passed_over`
    and `warnings` collect what was not stored. Call `finish()` once after the last record.
    """

    def __init__(self, db: Database, import_id: int | None = None):
        self.db = db
        self.conn = db.conn
        self.import_id = import_id
        self.outcomes: dict[str, Counter] = {}
        self.rejected: list[Rejected] = []
        self.passed_over: Counter = Counter()
        self.warnings: list[str] = []
        self._people: dict[tuple[str, str, str], int] = {}
        self._teams: dict[tuple[str, str], int] = {}
        self._tags: dict[str, int] = {}
        self._touched: set[int] = set()
        self._sources: set[str] = set()
        self._message_rows: list[tuple] = []
        self._search_rows: list[tuple] = []
        self._added_messages = 0
        self._next_message_id = (db.execute("select max(id) from messages").fetchone()[0] or 0) + 1

    # -- public -------------------------------------------------------------------------------

    def write(self, record: Record) -> None:
        """Store one record (or note it as rejected, passed over or a warning)."""
        if isinstance(record, Conversation):
            self._count("conversations", self._write_conversation(record))
        elif isinstance(record, Messages):
            self._count("messages", self._write_loose_messages(record))
        elif isinstance(record, Person):
            self._count("people", self._write_person(record)[1])
        elif isinstance(record, Team):
            self._count("teams", self._write_team(record)[1])
        elif isinstance(record, Rating):
            self._count("ratings", self._write_rating(record, None))
        elif isinstance(record, Rejected):
            self.rejected.append(record)
        elif isinstance(record, PassedOver):
            self.passed_over[record.kind] += record.count
        elif isinstance(record, Warning_):
            self.warnings.append(record.message)
        else:  # a reader bug, not bad input
            raise TypeError(f"not a record: {record!r}")

    def finish(self) -> None:
        """Flush buffered rows, work out authors' roles from people records, recount messages."""
        self._flush()
        for source in self._sources:
            resolve_author_roles(self.db, source)
        if self._touched:
            self.conn.executemany(
                "update conversations set message_count = (select count(*) from messages "
                "where conversation_id = ? and kind = 'message') where id = ?",
                ((cid, cid) for cid in self._touched),
            )

    @property
    def totals(self) -> Counter:
        """added / updated / unchanged summed over every kind of record."""
        total: Counter = Counter()
        for counter in self.outcomes.values():
            total.update(counter)
        return total

    # -- records ------------------------------------------------------------------------------

    def _count(self, kind: str, outcome: str) -> None:
        self.outcomes.setdefault(kind, Counter())[outcome] += 1

    def _write_conversation(self, c: Conversation) -> str:
        self._sources.add(c.source)
        values = {
            "number": c.number,
            "subject": c.subject,
            "channel": c.channel,
            "status": c.status,
            "created_at": c.created_at,
            "updated_at": c.updated_at,
            "closed_at": c.closed_at,
            "customer_id": self._write_person(c.customer)[0] if c.customer else None,
            "agent_id": self._write_person(c.agent)[0] if c.agent else None,
            "team_id": self._write_team(c.team)[0] if c.team else None,
            "custom_fields": json.dumps(c.custom_fields, ensure_ascii=False, sort_keys=True)
            if c.custom_fields
            else None,
        }
        if c.created_at is None and c.messages:
            values["created_at"] = min(
                (m.created_at for m in c.messages if m.created_at), default=None
            )
        conversation_id, outcome = self._upsert_conversation(c.source, c.external_id, values)
        changed = self._merge_messages(conversation_id, c.messages, new=outcome == "added")
        if c.tags is not None:
            changed |= self._set_helpdesk_tags(conversation_id, c.tags)
        for rating in c.ratings:
            changed |= self._write_rating(rating, conversation_id) != "unchanged"
        if outcome == "unchanged" and changed:
            outcome = "updated"
        return outcome

    def _write_loose_messages(self, record: Messages) -> str:
        self._sources.add(record.source)
        row = self.db.execute(
            "select id from conversations where source = ? and external_id = ?",
            [record.source, record.conversation_external_id],
        ).fetchone()
        if row:
            conversation_id, new = row[0], False
        else:
            first = min((m.created_at for m in record.messages if m.created_at), default=None)
            conversation_id, _ = self._upsert_conversation(
                record.source, record.conversation_external_id, {"created_at": first}
            )
            new = True
        before = self._added_messages
        changed = self._merge_messages(conversation_id, record.messages, new=new)
        if self._added_messages > before:
            return "added"
        return "updated" if changed else "unchanged"

    def _upsert_conversation(self, source: str, external_id: str, values: dict) -> tuple[int, str]:
        row = self.db.execute(
            f"select id, content_hash, {', '.join(_CONVERSATION_FIELDS)} from conversations "
            "where source = ? and external_id = ?",
            [source, external_id],
        ).fetchone()
        if row is None:
            merged = {k: values.get(k) for k in _CONVERSATION_FIELDS}
            digest = _digest(tuple(merged.values()))
            cursor = self.conn.execute(
                f"insert into conversations (source, external_id, {', '.join(_CONVERSATION_FIELDS)}, "
                f"content_hash, first_import_id, last_import_id) values "
                f"(?, ?, {', '.join('?' * len(_CONVERSATION_FIELDS))}, ?, ?, ?)",
                [source, external_id, *merged.values(), digest, self.import_id, self.import_id],
            )
            if merged["subject"]:
                self.conn.execute(
                    "insert into search_subjects(rowid, subject) values (?, ?)",
                    [cursor.lastrowid, index_text(merged["subject"])],
                )
            return cursor.lastrowid, "added"
        conversation_id, old_digest, *old_values = row
        old = dict(zip(_CONVERSATION_FIELDS, old_values, strict=True))
        merged = {
            k: (values.get(k) if values.get(k) is not None else old[k])
            for k in _CONVERSATION_FIELDS
        }
        digest = _digest(tuple(merged.values()))
        if digest == old_digest:
            return conversation_id, "unchanged"
        assignments = ", ".join(f"{k} = ?" for k in _CONVERSATION_FIELDS)
        self.conn.execute(
            f"update conversations set {assignments}, content_hash = ?, last_import_id = ? where id = ?",
            [*merged.values(), digest, self.import_id, conversation_id],
        )
        if merged["subject"] != old["subject"]:
            if old["subject"]:
                self.conn.execute(
                    "insert into search_subjects(search_subjects, rowid, subject) values ('delete', ?, ?)",
                    [conversation_id, index_text(old["subject"])],
                )
            if merged["subject"]:
                self.conn.execute(
                    "insert into search_subjects(rowid, subject) values (?, ?)",
                    [conversation_id, index_text(merged["subject"])],
                )
        return conversation_id, "updated"

    def _merge_messages(self, conversation_id: int, messages: list[Message], *, new: bool) -> bool:
        if not messages:
            return False
        existing: dict[str, tuple[int, str, str]] = {}
        if not new:
            existing = {
                ext: (mid, digest, body)
                for mid, ext, digest, body in self.db.execute(
                    "select id, external_id, content_hash, body_text from messages where conversation_id = ?",
                    [conversation_id],
                )
            }
        changed = False
        seen: set[str] = set()
        for m in messages:
            if m.external_id in seen:
                continue
            seen.add(m.external_id)
            values = _message_values(m)
            digest = _digest(values)
            found = existing.get(m.external_id)
            if found is None:
                message_id = self._next_message_id
                self._next_message_id += 1
                self._message_rows.append(
                    (message_id, conversation_id, m.external_id, *values, digest)
                )
                if m.body_text:
                    self._search_rows.append((message_id, index_text(m.body_text)))
                self._added_messages += 1
                changed = True
            elif found[1] != digest:
                self._flush()
                message_id, _, old_body = found
                self.conn.execute(
                    "update messages set kind = ?, author_role = ?, author_external_id = ?, "
                    "author_name = ?, is_internal = ?, created_at = ?, body_text = ?, body_html = ?, "
                    "content_hash = ? where id = ?",
                    [*values, digest, message_id],
                )
                if old_body != (m.body_text or ""):
                    if old_body:
                        self.conn.execute(
                            "insert into search_messages(search_messages, rowid, body) values ('delete', ?, ?)",
                            [message_id, index_text(old_body)],
                        )
                    if m.body_text:
                        self.conn.execute(
                            "insert into search_messages(rowid, body) values (?, ?)",
                            [message_id, index_text(m.body_text)],
                        )
                changed = True
        if changed:
            self._touched.add(conversation_id)
        if len(self._message_rows) >= _BATCH:
            self._flush()
        return changed

    def _flush(self) -> None:
        if self._message_rows:
            self.conn.executemany(
                "insert into messages (id, conversation_id, external_id, kind, author_role, "
                "author_external_id, author_name, is_internal, created_at, body_text, body_html, "
                "content_hash) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                self._message_rows,
            )
            self._message_rows.clear()
        if self._search_rows:
            self.conn.executemany(
                "insert into search_messages(rowid, body) values (?, ?)", self._search_rows
            )
            self._search_rows.clear()

    def _write_person(self, p: Person) -> tuple[int, str]:
        self._sources.add(p.source)
        table = "agents" if p.kind == "agent" else "customers"
        key = (table, p.source, p.external_id)
        team_id = self._write_team(Team(p.source, p.team))[0] if p.team else None
        values = {"name": p.name, "email": p.email, "phone": p.phone}
        if table == "agents":
            values["team_id"] = team_id
        cached = self._people.get(key)
        if cached is not None and all(v is None for v in values.values()):
            return cached, "unchanged"
        columns = list(values)
        row = self.db.execute(
            f"select id, {', '.join(columns)} from {table} where source = ? and external_id = ?",
            [p.source, p.external_id],
        ).fetchone()
        if row is None:
            cursor = self.conn.execute(
                f"insert into {table} (source, external_id, {', '.join(columns)}) "
                f"values (?, ?, {', '.join('?' * len(columns))})",
                [p.source, p.external_id, *values.values()],
            )
            self._people[key] = cursor.lastrowid
            return cursor.lastrowid, "added"
        person_id, *old = row
        merged = [
            new if new is not None else was for new, was in zip(values.values(), old, strict=True)
        ]
        self._people[key] = person_id
        if merged == list(old):
            return person_id, "unchanged"
        self.conn.execute(
            f"update {table} set {', '.join(f'{c} = ?' for c in columns)} where id = ?",
            [*merged, person_id],
        )
        return person_id, "updated"

    def _write_team(self, t: Team) -> tuple[int, str]:
        key = (t.source, t.external_id)
        cached = self._teams.get(key)
        if cached is not None and t.name is None:
            return cached, "unchanged"
        row = self.db.execute(
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

    def _write_rating(self, r: Rating, conversation_id: int | None) -> str:
        if conversation_id is None:
            found = self.db.execute(
                "select id from conversations where source = ? and external_id = ?",
                [r.source, r.conversation_external_id],
            ).fetchone()
            if found is None:
                conversation_id, _ = self._upsert_conversation(
                    r.source, r.conversation_external_id, {}
                )
            else:
                conversation_id = found[0]
        values = (
            conversation_id,
            r.kind,
            r.scale,
            r.raw_value,
            r.score,
            None if r.positive is None else int(r.positive),
            r.comment,
            r.created_at,
        )
        row = self.db.execute(
            "select id, conversation_id, kind, scale, raw_value, score, positive, comment, created_at "
            "from ratings where source = ? and external_id = ?",
            [r.source, r.external_id],
        ).fetchone()
        if row is None:
            self.conn.execute(
                "insert into ratings (conversation_id, kind, scale, raw_value, score, positive, "
                "comment, created_at, source, external_id) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [*values, r.source, r.external_id],
            )
            return "added"
        if tuple(row[1:]) == values:
            return "unchanged"
        self.conn.execute(
            "update ratings set conversation_id = ?, kind = ?, scale = ?, raw_value = ?, score = ?, "
            "positive = ?, comment = ?, created_at = ? where id = ?",
            [*values, row[0]],
        )
        return "updated"

    def _set_helpdesk_tags(self, conversation_id: int, names: Iterable[str]) -> bool:
        wanted = {n.strip() for n in names if n and n.strip()}
        current = {
            name: tag_id
            for tag_id, name in self.db.execute(
                "select t.id, t.name from conversation_tags ct join tags t on t.id = ct.tag_id "
                "where ct.conversation_id = ? and ct.origin = 'helpdesk'",
                [conversation_id],
            )
        }
        if wanted == set(current):
            return False
        for name in set(current) - wanted:
            self.conn.execute(
                "delete from conversation_tags where conversation_id = ? and tag_id = ? and origin = 'helpdesk'",
                [conversation_id, current[name]],
            )
        for name in wanted - set(current):
            self.conn.execute(
                "insert or ignore into conversation_tags (conversation_id, tag_id, origin) values (?, ?, 'helpdesk')",
                [conversation_id, self._tag_id(name)],
            )
        return True

    def _tag_id(self, name: str) -> int:
        if name not in self._tags:
            self.conn.execute("insert or ignore into tags (name) values (?)", [name])
            self._tags[name] = self.db.execute(
                "select id from tags where name = ?", [name]
            ).fetchone()[0]
        return self._tags[name]


def resolve_author_roles(db: Database, source: str) -> None:
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


def store_records(db: Database, records: Iterable[Record]) -> StoreWriter:
    """Write `records` in one transaction and return the writer with its counts (tests, demo)."""
    writer = StoreWriter(db)
    with db.atomic():
        for record in records:
            writer.write(record)
        writer.finish()
    return writer
