"""The search index's rows, written by the import on each engine: index these messages, these
subjects; take one out again (its text changed or it was replaced).

SQLite: the contentless FTS5 tables take the text itself (review.store.search.index_text), a
message's row under its packed rowid (review.store.search.message_rowid); taking a row out
needs the text it was indexed with. PostgreSQL: `search_messages(message_id, conversation_id,
document)` and `search_subjects(conversation_id, document)`, each document a tsvector literal
of exactly the words FTS5 would index (review.store.tokens.words) with their positions, so a
search finds the same conversations on both engines (review.store.search_tables).
"""

from __future__ import annotations

from collections.abc import Sequence
from operator import itemgetter

from review.store.bulk import Insert, Statement
from review.store.search import MESSAGE_BITS, index_text, message_rowid
from review.store.store import Store
from review.store.tokens import words

MessageText = tuple[int, int, str]  # conversation id, message id, body
_MAX_POSITION = 16383  # PostgreSQL keeps positions up to this (later ones are set to it)
_MAX_WORD_BYTES = 2046  # a longer lexeme is refused by PostgreSQL: left out (FTS5 keeps it)
_MAX_DOCUMENT = 1_000_000  # a tsvector holds at most 1 MB: a longer text's later words left out


def document(text: str | None) -> str:
    """The tsvector literal of `text`: each word FTS5 would index, with its positions."""
    positions: dict[str, list[str]] = {}
    for at, word in enumerate(words(index_text(text)), 1):
        if word in positions:
            positions[word].append(str(min(at, _MAX_POSITION)))
        elif len(word.encode()) <= _MAX_WORD_BYTES:
            positions[word] = [str(min(at, _MAX_POSITION))]
    parts = []
    size = 0
    for word, where in positions.items():
        quoted = word.replace("\\", "\\\\").replace("'", "''")
        part = f"'{quoted}':{','.join(where[:256])}"
        size += len(part.encode()) + 1
        if size > _MAX_DOCUMENT:
            break
        parts.append(part)
    return " ".join(parts)


def messages_indexed(db: Store, rows: Sequence[MessageText]) -> Insert:
    """The search rows of new messages (bodies not empty)."""
    server = db.target.is_server
    if not server:
        in_index_range(rows)
    return Insert(
        "search_messages", message_index_columns(server), message_index_rows(server, rows)
    )


def in_index_range(rows: Sequence[MessageText]) -> None:
    """Raise ValueError when a message's ids do not fit SQLite's packed rowid."""
    if rows:
        message_rowid(max(map(itemgetter(0), rows)), max(map(itemgetter(1), rows)))


def message_index_columns(server: bool) -> tuple[str, ...]:
    """The columns of search_messages the import writes, on a server or a file."""
    return ("message_id", "conversation_id", "document") if server else ("rowid", "body")


def message_index_rows(server: bool, rows: Sequence[MessageText]) -> list[tuple]:
    """The search rows of messages, in `message_index_columns(server)`' order: pure work on
    their text, which an import may hand to a worker (review.importing.text_work)."""
    if server:
        return [(m, c, document(body)) for c, m, body in rows]
    return [(c << MESSAGE_BITS | m, index_text(body)) for c, m, body in rows]


def message_unindexed(db: Store, conversation_id: int, message_id: int, body: str) -> Statement:
    """Take a message's row out of the index (`body`: the text it was indexed with)."""
    if db.target.is_server:
        return "delete from search_messages where message_id = :id", [{"id": message_id}]
    return (
        "insert into search_messages(search_messages, rowid, body) values ('delete', :rowid, :body)",
        [{"rowid": message_rowid(conversation_id, message_id), "body": index_text(body)}],
    )


def subjects_indexed(db: Store, rows: Sequence[tuple[int, str]]) -> Insert:
    """The search rows of conversations' subjects (conversation id, subject not empty)."""
    if db.target.is_server:
        return Insert(
            "search_subjects",
            ("conversation_id", "document"),
            [(c, document(subject)) for c, subject in rows],
        )
    return Insert("search_subjects", ("rowid", "subject"), [(c, index_text(s)) for c, s in rows])


def subject_unindexed(db: Store, conversation_id: int, subject: str) -> Statement:
    """Take a conversation's subject out of the index (`subject`: as it was indexed)."""
    if db.target.is_server:
        return "delete from search_subjects where conversation_id = :id", [{"id": conversation_id}]
    return (
        "insert into search_subjects(search_subjects, rowid, subject) "
        "values ('delete', :rowid, :subject)",
        [{"rowid": conversation_id, "subject": index_text(subject)}],
    )
