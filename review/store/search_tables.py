"""The tables behind full-text search, on each engine.

SQLite: two contentless FTS5 tables with the unicode61 tokenizer (case and diacritics folded).
PostgreSQL: two tables of `tsvector` documents built with the 'simple' configuration from the
same tokens savedesk feeds FTS5 (review.store.search), each with a GIN index: the same words,
the same phrase and prefix semantics, 4-9 ms on 200,000 messages (TEAM-STORE.md).
"""

from __future__ import annotations

from sqlalchemy import Connection, text

FTS5 = "tokenize='unicode61 remove_diacritics 2'"


def create(bind: Connection, *, columnsize: bool) -> None:
    """Create both search tables (`columnsize`: FTS5 keeps per-row column sizes, as before m004)."""
    if bind.dialect.name == "sqlite":
        sizes = "" if columnsize else ", columnsize=0"
        for table, column in (("search_messages", "body"), ("search_subjects", "subject")):
            bind.execute(
                text(
                    f"create virtual table {table} using fts5({column}, content=''{sizes}, {FTS5})"
                )
            )
        return
    bind.execute(
        text(
            "create table search_messages (message_id integer primary key, "
            "conversation_id integer not null, document tsvector not null)"
        )
    )
    bind.execute(
        text("create index idx_search_messages_document on search_messages using gin (document)")
    )
    bind.execute(
        text("create index idx_search_messages_conversation on search_messages (conversation_id)")
    )
    bind.execute(
        text(
            "create table search_subjects (conversation_id integer primary key, "
            "document tsvector not null)"
        )
    )
    bind.execute(
        text("create index idx_search_subjects_document on search_subjects using gin (document)")
    )


def drop(bind: Connection) -> None:
    """Drop both search tables."""
    for table in ("search_messages", "search_subjects"):
        bind.execute(text(f"drop table if exists {table}"))


def refill(bind: Connection) -> None:
    """Refill the (empty) SQLite search tables from the stored text, inside the caller's transaction."""
    from review.store.search import index_text, message_rowid

    messages = bind.execute(
        text("select id, conversation_id, body_text from messages where body_text != ''")
    ).fetchall()
    if messages:
        bind.execute(
            text("insert into search_messages (rowid, body) values (:rowid, :body)"),
            [{"rowid": message_rowid(c, i), "body": index_text(t)} for i, c, t in messages],
        )
    subjects = bind.execute(text("select id, subject from conversations")).fetchall()
    if subjects:
        bind.execute(
            text("insert into search_subjects (rowid, subject) values (:rowid, :subject)"),
            [{"rowid": i, "subject": index_text(s)} for i, s in subjects],
        )
