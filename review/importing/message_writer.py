"""The message half of the import writer: messages added, merged or replaced, their search
rows, their conversations' message counts and their churn signals, written a batch at a time.

Nothing here outlives a batch: message counts and churn signals are settled when a batch is
written, so a million conversations cost no more memory than fifty thousand. Ids are handed
out here rather than by SQLite so that rows can be buffered and written with executemany; the
import holds the write lock, so nobody else inserts.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Callable

from review.importing.opening import opens_with, opens_with_row
from review.importing.records import OPENING_STAND_IN, Message
from review.phrases import PhraseLists
from review.retention.churn import find_signals, load_phrases, phrase_folders
from review.store.search import MESSAGE_BITS, MESSAGE_MASK, index_text, message_rowid

BATCH = 2000  # message rows buffered between writes
_CHURN_ROLES = ("customer", "unknown")  # unknown: the role may settle to customer at the end
_COLUMNS = (
    "id, conversation_id, external_id, kind, author_role, author_external_id, author_name, "
    "is_internal, created_at, body_text, body_html, updated_at"
)


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
        self, db, counts: Counter, before_write: Callable[[], None], find_churn: bool = True
    ):
        self.db = db
        self.find_churn = find_churn
        self.conn: sqlite3.Connection = db.conn
        self.counts = counts
        self._before_write = before_write
        self.next_id = (self.conn.execute("select max(id) from messages").fetchone()[0] or 0) + 1
        self.first_new_id = self.next_id
        self.first_new_conversation = 0  # set by the StoreWriter
        self._rows: list[tuple] = []
        self._search: list[tuple] = []
        self._new_counts: Counter = Counter()  # conversation -> messages added, this batch
        self._recount: set[int] = set()  # conversations to count again, this batch
        self._churn: list[tuple[int, int, str]] = []  # changed messages to look at again
        self._changed_old: list[int] = []  # stored messages whose role may change at the end
        self._phrases: PhraseLists | None = None

    # -- merging --------------------------------------------------------------------------------

    def add_new(self, conversation_id: int, messages: list[Message]) -> None:
        """The messages of a conversation this import created: nothing to compare, only to add
        (the hot path of a first import, kept free of per-message calls)."""
        seen: set[str] = set()
        rows, search, count = self._rows, self._search, 0
        message_id = self.next_id
        for m in messages:
            external_id = m.external_id
            if external_id in seen:
                continue
            seen.add(external_id)
            body = m.body_text or ""
            rows.append(
                (
                    message_id,
                    conversation_id,
                    external_id,
                    m.kind,
                    m.author_role,
                    m.author_external_id,
                    m.author_name,
                    1 if m.is_internal else 0,
                    m.created_at,
                    body,
                    m.body_html,
                    m.updated_at,
                )
            )
            if body:
                search.append((conversation_id << MESSAGE_BITS | message_id, index_text(body)))
            if m.kind == "message":
                count += 1
            message_id += 1
        if message_id - 1 > MESSAGE_MASK:  # inlined above for speed; this raises the error
            message_rowid(conversation_id, message_id - 1)
        added = message_id - self.next_id
        if added:
            self.counts["added"] += added
        self.next_id = message_id
        if count:
            self._new_counts[conversation_id] += count
        if len(rows) >= BATCH:
            self.flush()

    def merge(self, conversation_id: int, messages: list[Message]) -> bool:
        """Merge `messages` into a stored conversation (matched on external_id; none deleted
        but a stand-in opening its real first message replaces). True when anything changed."""
        if not messages:
            return False
        self.flush()
        existing = {
            row[2]: row
            for row in self.conn.execute(
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
        return changed

    def _update(
        self, conversation_id: int, found: tuple, values: tuple, updated_at: str | None
    ) -> None:
        message_id, old_body = found[0], found[9]
        search_rowid = message_rowid(conversation_id, message_id)
        self.conn.execute(
            "update messages set kind = ?, author_role = ?, author_external_id = ?, "
            "author_name = ?, is_internal = ?, created_at = ?, body_text = ?, body_html = ?, "
            "updated_at = coalesce(?, updated_at) where id = ?",
            [*values, updated_at, message_id],
        )
        if old_body != values[6]:
            if old_body:
                self.conn.execute(
                    "insert into search_messages(search_messages, rowid, body) values ('delete', ?, ?)",
                    [search_rowid, index_text(old_body)],
                )
            if values[6]:
                self.conn.execute(
                    "insert into search_messages(rowid, body) values (?, ?)",
                    [search_rowid, index_text(values[6])],
                )
        if self.find_churn:
            self.conn.execute(
                "delete from churn_signals where message_id = :id", {"id": message_id}
            )
        if values[0] == "message" and not values[4] and values[1] in _CHURN_ROLES and values[6]:
            self._churn.append((conversation_id, message_id, values[6]))
            self._changed_old.append(message_id)

    def _delete(self, conversation_id: int, found: tuple) -> None:
        message_id, body = found[0], found[9]
        if body:
            self.conn.execute(
                "insert into search_messages(search_messages, rowid, body) values ('delete', :rowid, :body)",
                {"rowid": message_rowid(conversation_id, message_id), "body": index_text(body)},
            )
        if self.find_churn:
            self.conn.execute(
                "delete from churn_signals where message_id = :id", {"id": message_id}
            )
        self.conn.execute("delete from messages where id = :id", {"id": message_id})

    # -- writing --------------------------------------------------------------------------------

    def pending(self) -> int:
        """Message rows waiting to be written."""
        return len(self._rows)

    def flush(self) -> None:
        """Write the buffered messages, their search rows, their churn signals and their
        conversations' message counts (after the conversations they belong to)."""
        self._before_write()
        rows = self._rows
        if rows:
            self.conn.executemany(
                f"insert into messages ({_COLUMNS}) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                rows,
            )
            self._churn.extend(
                (row[1], row[0], row[9])
                for row in rows
                if row[3] == "message" and not row[7] and row[4] in _CHURN_ROLES and row[9]
            )
            self._rows = []
        if self._search:
            self.conn.executemany(
                "insert into search_messages(rowid, body) values (?, ?)", self._search
            )
            self._search = []
        if self._churn:
            if self.find_churn:
                self._write_signals(self._churn)
            self._churn = []
        self._write_counts()

    def _write_signals(self, messages: list[tuple[int, int, str]]) -> None:
        # the signals a lead most needs to see, found as each batch is written rather than by
        # reading every message of the import back at the end
        if self._phrases is None:
            self._phrases = load_phrases(phrase_folders(self.db))
        lists = self._phrases
        found = [
            (conversation_id, message_id, hit.phrase, hit.matched, hit.intent, hit.language)
            for conversation_id, message_id, body in messages
            for hit in find_signals(body, lists)
        ]
        if found:
            self.conn.executemany(
                "insert into churn_signals (conversation_id, message_id, phrase, matched, "
                "intent, language) values (?, ?, ?, ?, ?, ?)",
                found,
            )

    def _write_counts(self) -> None:
        recount = self._recount
        new = [(n, cid) for cid, n in self._new_counts.items() if cid not in recount]
        if new:
            self.conn.executemany(
                "update conversations set message_count = coalesce(message_count, 0) + ? "
                "where id = ?",
                new,
            )
        if recount:
            self.conn.executemany(
                "update conversations set message_count = (select count(*) from messages "
                "where conversation_id = :id and kind = 'message') where id = :id",
                ({"id": cid} for cid in recount),
            )
        self._new_counts = Counter()
        self._recount = set()

    def finish(self) -> None:
        """After the authors' roles are settled: drop the signals of this import's messages
        whose author turned out not to be the customer."""
        self.flush()
        if not self.find_churn:
            return
        self.conn.execute(
            "delete from churn_signals where message_id >= :first and message_id in "
            "(select id from messages where id >= :first and author_role <> 'customer')",
            {"first": self.first_new_id},
        )
        for start in range(0, len(self._changed_old), 500):
            chunk = self._changed_old[start : start + 500]
            marks = ", ".join(f":m{i}" for i in range(len(chunk)))
            self.conn.execute(
                f"delete from churn_signals where message_id in ({marks}) and message_id in "
                "(select id from messages where author_role <> 'customer')",
                {f"m{i}": m for i, m in enumerate(chunk)},
            )
