"""Stores normalised records: upserts keyed on the helpdesk's own ids, counted as it goes.

Conversation and message ids never change once given, so reviews, tags and notes that point at
them survive any later import. Nothing here opens a transaction: the caller (review.importing.run)
wraps a whole import in one, so it lands whole or not at all.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable

from review.figures.reply_times import RESOLVED_STATUSES
from review.importing.channels import normalise_channel
from review.importing.conversation_rows import _CONVERSATION_COLUMNS, ConversationRows
from review.importing.message_writer import MessageWriter
from review.importing.opening import without_replaced_stand_in
from review.importing.people import PeopleWriter, assign_known_roles, settle_author_roles
from review.importing.ratings_writer import RatingWriter
from review.importing.records import (
    OPENING_STAND_IN,
    Conversation,
    Message,
    Messages,
    PassedOver,
    Person,
    Rating,
    Record,
    Rejected,
    Team,
    Unconverted,
    Unread,
    Warning_,
)
from review.importing.seen import SeenKeys
from review.importing.tags import TagWriter, clean_tags
from review.store import Store
from review.store.bulk import Insert, Write, bulk_writer
from review.store.search_rows import subjects_indexed

_IDS_HANDED_OUT = ("agents", "customers", "conversations", "messages")  # by the writers here
_PERSON_ROLES: dict[str, str] = {"customer": "customer", "agent": "agent"}


class StoreWriter(ConversationRows):
    """Writes records into an open database inside the caller's transaction.

    `outcomes` counts added / updated / unchanged per record kind; `rejected`, `passed_over`
    and `warnings` collect what was not stored. Call `finish()` once after the last record.
    With `find_churn` (an import), churn signals are found in each batch of messages written;
    with `text_worker` (a big file), they and the search rows are worked in a worker process
    (review.importing.text_work).
    Call `close()` however the import ends.
    """

    def __init__(
        self,
        db: Store,
        import_id: int | None = None,
        find_churn: bool = False,
        text_worker: bool = False,
    ):
        self.db = db
        self._bulk = bulk_writer(db)
        self.import_id = import_id
        self.outcomes: dict[str, Counter] = {}
        self.rejected: list[Rejected] = []
        self.passed_over: Counter = Counter()
        self.not_read: Counter = Counter()  # dotted field name -> records holding it unread
        self.read = 0  # records the reader handed over (not counting notes of unread fields)
        self.unchanged_unread = 0  # records the store holds as they are: not converted again
        self.on_rejected: Callable[[Rejected], None] | None = None
        self.warnings: list[str] = []
        self._people = PeopleWriter(db, self._is_fresh, self._bulk)
        self._tags = TagWriter(db)
        self._sources: set[str] = set()
        self._conversation_rows: list[tuple] = []
        self._subject_rows: list[tuple] = []
        self._tag_rows: list[tuple] = []
        self._ratings = RatingWriter(db)
        self._pending_conversations: set[tuple[str, str]] = set()
        # Sources with nothing stored before this import: a conversation or person not yet
        # seen in this import is new, so the lookup query can be skipped (first imports are
        # the big ones). `_seen` holds the conversations this import created for them.
        self._fresh: dict[tuple[str, str], bool] = {}
        self._seen = SeenKeys()
        # Ids are handed out here rather than by SQLite so that rows can be buffered and
        # written with executemany; the import holds the write lock, so nobody else inserts.
        self._next_conversation_id = self._max_id("conversations") + 1
        self._first_new_conversation = self._next_conversation_id
        self.messages = MessageWriter(
            db,
            self.outcomes.setdefault("messages", Counter()),
            self._flush_own,
            find_churn,
            self._bulk,
            text_worker,
        )
        self.messages.first_new_conversation = self._first_new_conversation
        self.messages.import_id = import_id
        self._last_conversation = 0  # id of the conversation the last record wrote
        self._last_counted: tuple[int, str] | None = None
        self._digests: list[dict] = []  # record digests of stored conversations, this batch

    def _is_fresh(self, table: str, source: str) -> bool:
        key = (table, source)
        if key not in self._fresh:
            self._fresh[key] = (
                self.db.execute(
                    f"select 1 from {table} where source = :source limit 1", {"source": source}
                ).fetchone()
                is None
            )
        return self._fresh[key]

    def _max_id(self, table: str) -> int:
        return self.db.execute(f"select max(id) from {table}").scalar() or 0

    # -- public -------------------------------------------------------------------------------

    def write(self, record: Record) -> None:
        """Store one record (or note it as rejected, passed over, unread or a warning)."""
        if isinstance(record, Unread):
            self.not_read.update(record.fields)
            return
        if isinstance(record, Unconverted):
            self._write_unconverted(record)
            return
        self.read += 1
        if isinstance(record, Conversation):
            self._count_conversation(self._write_conversation(record))
        elif isinstance(record, Messages):
            self._write_loose_messages(record)
        elif isinstance(record, Person):
            self._person(record)
        elif isinstance(record, Team):
            self._count("teams", self._people.write_team(record)[1])
        elif isinstance(record, Rating):
            self._count("ratings", self._write_rating(record, None))
        elif isinstance(record, Rejected):
            if "\n" in record.problem or "\r" in record.problem:
                record.problem = " ".join(record.problem.split())  # one line, always
            if self.on_rejected is not None:
                self.on_rejected(record)  # --strict: refuses the import by raising
            self.rejected.append(record)
        elif isinstance(record, PassedOver):
            self.passed_over[record.kind] += record.count
        elif isinstance(record, Warning_):
            self.warnings.append(record.message)
        else:  # a reader bug, not bad input
            raise TypeError(f"not a record: {record!r}")

    def finish(self) -> None:
        """Flush buffered rows, work out authors' roles from people records, and keep churn
        signals only where the author turned out to be the customer."""
        self._flush()
        for conversation_ids in settle_author_roles(self.db, self._sources):
            self.messages.settled(conversation_ids)
        self.messages.finish()
        self._bulk.finish(_IDS_HANDED_OUT)
        if not self.outcomes["messages"]:
            del self.outcomes["messages"]

    def close(self) -> None:
        """Let go of what the writer started (a worker working its texts)."""
        self.messages.close()

    @property
    def totals(self) -> Counter:
        """added / updated / unchanged summed over every kind of record (messages, counted
        one by one, apart)."""
        total: Counter = Counter()
        for kind, counter in self.outcomes.items():
            if kind != "messages":
                total.update(counter)
        return total

    # -- records ------------------------------------------------------------------------------

    def _count(self, kind: str, outcome: str, n: int = 1) -> None:
        counter = self.outcomes.get(kind)
        if counter is None:  # not setdefault: that makes a Counter on every call
            counter = self.outcomes[kind] = Counter()
        counter[outcome] += n
        if not counter[outcome]:
            del counter[outcome]

    def _write_unconverted(self, record: Unconverted) -> None:
        if not self._is_fresh("conversations", record.source):
            if self._conversation_rows:
                self._flush()
            row = self.db.execute(
                "select id, message_count from conversations where record_digest = :digest "
                "and source = :source",
                {"digest": record.digest, "source": record.source},
            ).fetchone()
            if row is not None:
                self.read += 1
                self.unchanged_unread += 1
                self._last_conversation = row[0]
                self._count_conversation("unchanged")
                if row[1]:
                    self._count("messages", "unchanged", row[1])
                return
        converted = record.convert()
        # a record with a part rejected is read again next time, so the rejection is reported
        whole = not any(isinstance(r, Rejected) for r in converted)
        conversations = [r for r in converted if isinstance(r, Conversation)]
        if whole and len(conversations) == 1:
            conversations[0].digest = record.digest
        for r in converted:
            self.write(r)

    def _count_conversation(self, outcome: str) -> None:
        """Count a conversation once however many records fill it in: one this import added
        stays "added" (its comments may come first, its ticket later); records following one
        another for the same stored conversation (a ticket and its audit) count once, as
        updated if any of them changed it."""
        conversation_id = self._last_conversation
        if outcome != "added" and conversation_id >= self._first_new_conversation:
            return
        last = self._last_counted
        if last is not None and last[0] == conversation_id:
            if outcome == "updated" and last[1] == "unchanged":
                self._count("conversations", "unchanged", -1)
                self._count("conversations", "updated")
                self._last_counted = (conversation_id, "updated")
            return
        self._last_counted = (conversation_id, outcome)
        self._count("conversations", outcome)

    def _authors_as_people(self, source: str, messages: list[Message]) -> None:
        """A name known only from a message's author lands on that person's row too."""
        for m in messages:
            if m.author_name and m.author_external_id and m.author_role in _PERSON_ROLES:
                kind = _PERSON_ROLES[m.author_role]
                if m.author_external_id == m.author_name and self._people.has_named(
                    kind, source, m.author_name
                ):
                    continue  # known by name only, and a person of that name is stored
                person = Person(source, m.author_external_id, kind)
                person.name = m.author_name
                self._person(person)

    def _write_conversation(self, c: Conversation) -> str:
        self._sources.add(c.source)
        values = {
            "number": c.number,
            "subject": c.subject,
            "channel": normalise_channel(c.channel),
            "status": c.status,
            "created_at": c.created_at,
            "updated_at": c.updated_at,
            "closed_at": c.closed_at,
            "customer_id": self._person(c.customer)[0] if c.customer else None,
            "agent_id": self._person(c.agent)[0] if c.agent else None,
            "team_id": self._people.write_team(c.team)[0] if c.team else None,
            "custom_fields": json.dumps(c.custom_fields, ensure_ascii=False, sort_keys=True)
            if c.custom_fields
            else None,
        }
        if c.created_at is None and c.messages:
            values["created_at"] = min(
                (m.created_at for m in c.messages if m.created_at), default=None
            )
        if any(m.external_id == OPENING_STAND_IN for m in c.messages):
            c.messages = without_replaced_stand_in(c.messages)
        conversation_id, outcome, stale = self._upsert_conversation(
            c.source, c.external_id, values, c.digest
        )
        self._last_conversation = conversation_id
        assign_known_roles(c)
        self._authors_as_people(c.source, c.messages)
        changed = self._merge_messages(
            conversation_id, c.messages, values if outcome == "added" else None
        )
        if c.tags is not None:
            if outcome == "added":
                self._tag_rows.extend(
                    (conversation_id, self._tags.tag_id(t)) for t in clean_tags(c.tags)
                )
            else:  # an older snapshot's tags would take back the tags added since
                self._flush()
                changed |= self._tags.set_helpdesk_tags(conversation_id, c.tags, gaps_only=stale)
        for rating in c.ratings:
            if outcome == "added":
                self._ratings.add_new(rating, conversation_id)
            else:
                changed |= self._write_rating(rating, conversation_id, stale) != "unchanged"
        if outcome == "unchanged" and changed:
            outcome = "updated"
            self.messages.changed(conversation_id)
        return outcome

    def _write_loose_messages(self, record: Messages) -> None:
        self._sources.add(record.source)
        row = self._find_conversation(record.source, record.conversation_external_id)
        if row:
            conversation_id, new = row[0], False
        else:
            first = min((m.created_at for m in record.messages if m.created_at), default=None)
            values = {"created_at": first}
            conversation_id, *_ = self._upsert_conversation(
                record.source, record.conversation_external_id, values
            )
            self._count("conversations", "added")
            new = True
        self._authors_as_people(record.source, record.messages)
        self._merge_messages(conversation_id, record.messages, values if new else None)

    def _merge_messages(
        self, conversation_id: int, messages: list[Message], added: dict | None
    ) -> bool:
        """Store a conversation's messages; `added`: the values of a conversation this import
        has just added (its messages are only added, and its reply times made from them)."""
        if not messages:
            return False
        if added is not None:
            self.messages.add_new(
                conversation_id,
                messages,
                {
                    "created_at": added.get("created_at"),
                    "agent_id": added.get("agent_id"),
                    "team_id": added.get("team_id"),
                    "channel": added.get("channel"),
                    "resolved": 1 if added.get("status") in RESOLVED_STATUSES else 0,
                },
            )
            return True
        return self.messages.merge(conversation_id, messages)

    def _flush(self) -> None:
        self.messages.flush()  # which writes this writer's own rows first

    def _flush_own(self, batch: list[Write]) -> None:
        """Hand the buffered people, conversations, tags, ratings and subjects to `batch`
        (before the messages)."""
        self._people.flush(batch)
        if self._conversation_rows:
            rows, self._conversation_rows = self._conversation_rows, []
            # their messages are counted into the rows, saving an update of each
            counts = self.messages.take_counts(rows[0][0])
            if counts:
                rows = [(*row[:-1], counts.get(row[0], 0)) for row in rows]
            batch.append(Insert("conversations", _CONVERSATION_COLUMNS, rows))
            self._pending_conversations.clear()
        if self._digests:
            rows, self._digests = self._digests, []
            batch.append(("update conversations set record_digest = :digest where id = :id", rows))
        if self._tag_rows:
            rows, self._tag_rows = self._tag_rows, []
            batch.append(
                Insert(
                    "conversation_tags",
                    ("conversation_id", "tag_id", "origin"),
                    [(c, t, "helpdesk") for c, t in rows],
                    on_conflict="nothing",
                )
            )
        self._ratings.flush(batch)
        if self._subject_rows:
            rows, self._subject_rows = self._subject_rows, []
            batch.append(subjects_indexed(self.db, rows))

    def _person(self, p: Person) -> tuple[int, str]:
        """Store a person (a record, a conversation's customer or agent, a message's author)
        and count them: added or updated each time, unchanged once, the first time this
        import meets them."""
        self._sources.add(p.source)
        met = self._people.has_met(p)
        person_id, outcome = self._people.write_person(p)
        if (
            outcome == "added"
            or (outcome == "updated" and not self._people.added_here(person_id, p))
            or outcome == "unchanged"
            and not met
        ):
            self._count("people", outcome)
        return person_id, outcome

    def _write_rating(self, r: Rating, conversation_id: int | None, gaps_only: bool = False) -> str:
        if conversation_id is None:
            found = self._find_conversation(r.source, r.conversation_external_id)
            if found is None:
                conversation_id, *_ = self._upsert_conversation(
                    r.source, r.conversation_external_id, {}
                )
            else:
                conversation_id = found[0]
        self._flush()  # the conversation row may still be in the buffer
        return self._ratings.write(r, conversation_id, gaps_only)


def store_records(db: Store, records: Iterable[Record]) -> StoreWriter:
    """Write `records` in one transaction and return the writer with its counts (tests, demo)."""
    writer = StoreWriter(db)
    with db.atomic():
        for record in records:
            writer.write(record)
        writer.finish()
    return writer
