"""The message half of the import writer: messages added, merged or replaced, their search
rows, their conversations' message counts, reply times and churn signals, written a batch at a
time.

Nothing here outlives a batch: message counts, reply times (review.figures.reply_times) and
churn signals are settled when a batch is written, so a million conversations cost no more
memory than fifty thousand, and a figure read after the import finds them current. Ids are handed
out here rather than by SQLite so that rows can be buffered and written with executemany; the
import holds the write lock, so nobody else inserts.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence

from review.figures import reply_times
from review.importing.opening import opens_with, opens_with_row
from review.importing.records import OPENING_STAND_IN, Message
from review.importing.text_work import Rows, TextWork
from review.retention.churn import phrase_folders
from review.store.bulk import BulkWriter, Insert, Statement, Write
from review.store.search import MESSAGE_MASK, message_rowid
from review.store.search_rows import (
    in_index_range,
    message_index_columns,
    message_unindexed,
    messages_indexed,
)

BATCH = 2000  # message rows buffered between writes
_CHURN_ROLES = ("customer", "unknown")  # unknown: the role may settle to customer at the end
_NAMES = (
    "id",
    "conversation_id",
    "external_id",
    "kind",
    "author_role",
    "author_external_id",
    "author_name",
    "is_internal",
    "created_at",
    "body_text",
    "body_html",
    "updated_at",
)
_COLUMNS = ", ".join(_NAMES)
# most messages have no author name nor time of change (only some helpdesks give them): their
# rows leave both columns out rather than bind two NULLs, which sqlite3 does slowly
_BARE_NAMES = tuple(n for n in _NAMES if n not in ("author_name", "updated_at"))
_ROW_NAMES = (*_BARE_NAMES, "author_name", "updated_at")  # the others' rows
_UPDATED = ("kind", "role", "author", "name", "internal", "at", "body", "html", "updated", "id")
_SIGNAL_COLUMNS = ("conversation_id", "message_id", "phrase", "matched", "intent", "language")


def message_values(m: Message) -> tuple:
    """What is compared and stored of a message (kind .. body_html, in the table's order)."""
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


class MessageWriter:
    """Buffers and writes messages for the StoreWriter. `counts` is the ledger's messages
    counter; `before_write()` flushes the rows messages depend on (their conversations)."""

    def __init__(
        self,
        db,
        counts: Counter,
        before_write: Callable[[list[Write]], None],
        find_churn: bool,
        bulk: BulkWriter,
        text_worker: bool = False,
    ):
        self.db = db
        self.find_churn = find_churn
        self.counts = counts
        self._before_write = before_write
        self._bulk = bulk
        self.next_id = (db.execute("select max(id) from messages").scalar() or 0) + 1
        self.first_new_id = self.next_id
        self.first_new_conversation = 0  # set by the StoreWriter
        self._rows: list[tuple] = []  # in _ROW_NAMES' order
        self._bare_rows: list[tuple] = []  # in _BARE_NAMES' order
        self._search: list[tuple] = []
        self._new_counts: Counter = Counter()  # conversation -> messages added, this batch
        self._recount: set[int] = set()  # conversations to count again, this batch
        # stored conversations this batch changed (messages, fields, tags, authors' roles):
        # their reply times are made again and they are stamped with this import
        self._changed: set[int] = set()
        self._replies: list[dict] = []  # reply-time rows of conversations added, this batch
        self.import_id: int | None = None  # set by the StoreWriter
        # churn candidates: positions in _search of new messages, and changed messages
        self._churn_at: list[int] = []
        self._churn: list[tuple[int, int, str]] = []
        self._changed_old: list[int] = []  # stored messages whose role may change at the end
        # whether a new message of an author not yet known as the customer was looked at for
        # churn signals (its role settles at the end, and may not be the customer's)
        self._unsettled_signals = False
        # an import's churn signals and search rows, worked here or in a worker beside it
        self._texts: TextWork | None = (
            TextWork(phrase_folders(db), db.target.is_server, text_worker) if find_churn else None
        )

    # -- merging --------------------------------------------------------------------------------

    def add_new(
        self, conversation_id: int, messages: list[Message], conversation: dict | None = None
    ) -> None:
        """The messages of a conversation: nothing to compare, only to add (the hot path of a
        first import, kept free of per-message calls). For a conversation this import created,
        `conversation` holds the columns its reply times copy (reply_times.add_rows: created_at,
        agent_id, team_id, channel, resolved), and its reply times come from these messages;
        None for more messages of a stored conversation (made again from the store)."""
        seen: set[str] = set()
        rows, bare, search, churn_at = self._rows, self._bare_rows, self._search, self._churn_at
        count = 0
        message_id = self.next_id
        asked = None  # the customer's first public message
        agent_times: list[str | None] = []  # the agents' public replies
        public = False
        for m in messages:
            external_id = m.external_id
            if external_id in seen:
                continue
            seen.add(external_id)
            body = m.body_text or ""
            row = (
                message_id,
                conversation_id,
                external_id,
                m.kind,
                m.author_role,
                m.author_external_id,
                1 if m.is_internal else 0,
                m.created_at,
                body,
                m.body_html,
            )
            name, updated = m.author_name, m.updated_at
            if name is None and updated is None:
                bare.append(row)
            else:
                rows.append((*row, name, updated))
            if body:
                search.append((conversation_id, message_id, body))
            if m.kind == "message":
                count += 1
                if not m.is_internal:
                    public = True
                    role = m.author_role
                    if role == "agent":
                        agent_times.append(m.created_at)
                    elif role in _CHURN_ROLES:
                        if role == "customer":
                            at = m.created_at
                            if at is not None and (asked is None or at < asked):
                                asked = at
                        if body:
                            churn_at.append(len(search) - 1)
                            if role != "customer":
                                self._unsettled_signals = True
            message_id += 1
        if message_id - 1 > MESSAGE_MASK:  # inlined above for speed; this raises the error
            message_rowid(conversation_id, message_id - 1)
        added = message_id - self.next_id
        if added:
            self.counts["added"] += added
        self.next_id = message_id
        if count:
            self._new_counts[conversation_id] += count
        if public and conversation is not None:
            conversation["id"] = conversation_id
            conversation["asked"] = asked
            conversation["replied"] = reply_times.first_reply(asked, agent_times)
            conversation["replies"] = len(agent_times)
            self._replies.append(conversation)
        if len(rows) + len(bare) >= BATCH:
            self.flush()

    def merge(self, conversation_id: int, messages: list[Message]) -> bool:
        """Merge `messages` into a stored conversation (matched on external_id; none deleted
        but a stand-in opening its real first message replaces). True when anything changed."""
        if not messages:
            return False
        self.flush()
        existing = {
            row[2]: row
            for row in self.db.execute(
                f"select {_COLUMNS} from messages where conversation_id = :id",
                {"id": conversation_id},
            )
        }
        counts = self.counts
        changed = False
        stand_in = existing.get(OPENING_STAND_IN)
        if stand_in is not None and any(opens_with(m, stand_in[8], stand_in[9]) for m in messages):
            self._delete(conversation_id, stand_in)  # the real first message takes its place
            del existing[OPENING_STAND_IN]
            changed = True
        elif stand_in is None and any(m.external_id == OPENING_STAND_IN for m in messages):
            opening = next(m for m in messages if m.external_id == OPENING_STAND_IN)
            if any(opens_with_row(row[1:], opening) for row in existing.values()):
                counts["unchanged"] += 1  # stored already, as the real first message
                messages = [m for m in messages if m.external_id != OPENING_STAND_IN]
        seen: set[str] = set()
        for m in messages:
            if m.external_id in seen:
                continue
            seen.add(m.external_id)
            values = message_values(m)
            found = existing.get(m.external_id)
            if found is None:
                self.add_new(conversation_id, [m])
                changed = True
                continue
            if values[1] == "unknown":  # keep the role resolved from people records
                values = (values[0], found[4], *values[2:])
            if m.updated_at and found[11] and m.updated_at < found[11]:
                counts["unchanged"] += 1  # an older snapshot: the stored one is newer
            elif tuple(found[3:11]) != values:
                self._update(conversation_id, found, values, m.updated_at)
                counts["updated"] += 1
                changed = True
            else:
                counts["unchanged"] += 1
        if changed:
            self._recount.add(conversation_id)
            self._changed.add(conversation_id)
        return changed

    def changed(self, conversation_id: int) -> None:
        """A stored conversation whose fields, tags or ratings this import changed: its reply
        times are made again and it is stamped with this import at the next write."""
        self._changed.add(conversation_id)

    def settled(self, conversation_ids: list[int]) -> None:
        """Conversations whose authors' roles were settled after their messages were written:
        made again and stamped now."""
        self._run(reply_times.refigure_statements(self.db, conversation_ids))
        self._run(self._stamps(conversation_ids))

    def _update(
        self, conversation_id: int, found: tuple, values: tuple, updated_at: str | None
    ) -> None:
        message_id, old_body = found[0], found[9]
        self._write_worked()  # its search row and signals are written before they are changed
        self.db.execute(
            "update messages set kind = :kind, author_role = :role, "
            "author_external_id = :author, author_name = :name, is_internal = :internal, "
            "created_at = :at, body_text = :body, body_html = :html, "
            "updated_at = coalesce(:updated, updated_at) where id = :id",
            dict(zip(_UPDATED, (*values, updated_at, message_id), strict=True)),
        )
        if old_body != values[6]:
            if old_body:
                self._bulk.write(
                    [message_unindexed(self.db, conversation_id, message_id, old_body)]
                )
            if values[6]:
                self._bulk.write(
                    [messages_indexed(self.db, [(conversation_id, message_id, values[6])])]
                )
        if self.find_churn:
            self.db.execute("delete from churn_signals where message_id = :id", {"id": message_id})
        if values[0] == "message" and not values[4] and values[1] in _CHURN_ROLES and values[6]:
            self._churn.append((conversation_id, message_id, values[6]))
            self._changed_old.append(message_id)

    def _delete(self, conversation_id: int, found: tuple) -> None:
        message_id, body = found[0], found[9]
        self._write_worked()
        if body:
            self._bulk.write([message_unindexed(self.db, conversation_id, message_id, body)])
        if self.find_churn:
            self.db.execute("delete from churn_signals where message_id = :id", {"id": message_id})
        self.db.execute("delete from messages where id = :id", {"id": message_id})

    # -- writing --------------------------------------------------------------------------------

    def pending(self) -> int:
        """Message rows waiting to be written."""
        return len(self._rows) + len(self._bare_rows)

    def flush(self) -> None:
        """Write one batch: the buffered conversations (and the rows of theirs the StoreWriter
        holds) first, then the messages, their search rows, churn signals, their
        conversations' message counts and reply times."""
        batch: list[Write] = []
        self._before_write(batch)
        if self._bare_rows:
            batch.append(Insert("messages", _BARE_NAMES, self._bare_rows))
            self._bare_rows = []
        if self._rows:
            batch.append(Insert("messages", _ROW_NAMES, self._rows))
            self._rows = []
        if self._texts is not None:
            if self._search or self._churn:
                if not self.db.target.is_server:
                    in_index_range(self._search)  # refused now, not a batch or two later
                self._worked(self._texts.add((self._search, self._churn_at, self._churn)), batch)
        elif self._search:
            batch.append(messages_indexed(self.db, self._search))
        self._search, self._churn_at, self._churn = [], [], []
        self._counts(batch)
        if self._replies:
            batch.append(reply_times.add_statement(self.db, self._replies))
            self._replies = []
        if self._changed:
            changed = sorted(self._changed)
            batch.extend(reply_times.refigure_statements(self.db, changed))
            batch.extend(self._stamps(changed))
            self._changed = set()
        self._run(batch)

    def _run(self, batch: Sequence[Write]) -> None:
        self._bulk.write(batch)

    def _stamps(self, conversation_ids: list[int]) -> list[Statement]:
        """Mark conversations as changed by this import (the suggestions phase scores the
        conversations an import touched: review.importing.suggesting)."""
        if self.import_id is None:
            return []
        return [
            (
                "update conversations set last_import_id = :run where id = :id",
                [{"run": self.import_id, "id": cid} for cid in conversation_ids],
            )
        ]

    def _write_worked(self) -> None:
        """Write the rows still being worked (a worker's) now."""
        if self._texts is not None:
            found: list[Write] = []
            self._worked(self._texts.rest(), found)
            self._run(found)

    def _worked(self, rows: Rows, batch: list[Write]) -> None:
        signals, indexed = rows
        if indexed:
            columns = message_index_columns(self.db.target.is_server)
            batch.append(Insert("search_messages", columns, indexed))
        # the signals a lead most needs to see, found as each batch is written rather than by
        # reading every message of the import back at the end
        if signals:
            batch.append(Insert("churn_signals", _SIGNAL_COLUMNS, signals))

    def take_counts(self, first_conversation: int) -> dict[int, int]:
        """The messages added this batch to conversations from `first_conversation` on (those
        whose rows are still buffered: ids are handed out in order), taken out of the counts
        the batch will update."""
        taken = {cid: n for cid, n in self._new_counts.items() if cid >= first_conversation}
        for cid in taken:
            del self._new_counts[cid]
        return taken

    def _counts(self, batch: list[Write]) -> None:
        recount = self._recount
        new = [{"n": n, "id": cid} for cid, n in self._new_counts.items() if cid not in recount]
        if new:
            batch.append(
                (
                    "update conversations set message_count = coalesce(message_count, 0) + :n "
                    "where id = :id",
                    new,
                )
            )
        if recount:
            batch.append(
                (
                    "update conversations set message_count = (select count(*) from messages "
                    "where conversation_id = :id and kind = 'message') where id = :id",
                    [{"id": cid} for cid in recount],
                )
            )
        self._new_counts = Counter()
        self._recount = set()

    def finish(self) -> None:
        """After the authors' roles are settled: drop the signals of this import's messages
        whose author turned out not to be the customer."""
        self.flush()
        if not self.find_churn:
            return
        self._write_worked()
        self.close()
        if self._unsettled_signals:
            self.db.execute(
                "delete from churn_signals where message_id >= :first and message_id in "
                "(select id from messages where id >= :first and author_role <> 'customer')",
                {"first": self.first_new_id},
            )
        for start in range(0, len(self._changed_old), 500):
            chunk = self._changed_old[start : start + 500]
            marks = ", ".join(f":m{i}" for i in range(len(chunk)))
            self.db.execute(
                f"delete from churn_signals where message_id in ({marks}) and message_id in "
                "(select id from messages where author_role <> 'customer')",
                {f"m{i}": m for i, m in enumerate(chunk)},
            )

    def close(self) -> None:
        """Stop the text worker, if one was started; called however the import ends."""
        if self._texts is not None:
            self._texts.close()
