"""The store: migrations, opening rules, backups, search."""

from __future__ import annotations

import sqlite3

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from review.errors import DatabaseTooNew, NotASavedeskDatabase
from review.importing.records import Conversation, Message, Person
from review.importing.writer import store_records
from review.store.database import connect, open_database
from review.store.schema import migrations
from review.store.search import match_expression, match_spans, search, search_conversation_ids


def _conversation(external_id="1", body="Please cancel my subscription", **fields):
    return Conversation(
        "zendesk",
        external_id,
        subject=fields.pop("subject", "Cancel"),
        created_at="2024-03-01T10:00:00Z",
        customer=Person("zendesk", "c1", "customer", "Mia"),
        messages=[Message("m1", "customer", "2024-03-01T10:00:00Z", body)],
        **fields,
    )


def _store_before_later_steps(db, conversations: list[Conversation]) -> None:
    """Rows as a savedesk of an earlier schema stored them (today's writer needs today's
    columns): a conversation and its messages, with only the first step's columns."""
    with db.conn:
        for c in conversations:
            cid = db.execute(
                "insert into conversations (source, external_id, subject, created_at, "
                "message_count) values (:s, :e, :subject, :at, :n)",
                {
                    "s": c.source,
                    "e": c.external_id,
                    "subject": c.subject,
                    "at": c.created_at,
                    "n": len(c.messages),
                },
            ).lastrowid
            for m in c.messages:
                db.execute(
                    "insert into messages (conversation_id, external_id, kind, author_role, "
                    "is_internal, created_at, body_text) values (:c, :e, 'message', :r, 0, :at, :b)",
                    {
                        "c": cid,
                        "e": m.external_id,
                        "r": m.author_role,
                        "at": m.created_at,
                        "b": m.body_text,
                    },
                )


def test_migrating_an_empty_file_creates_every_table(tmp_path):
    db = open_database(tmp_path / "new.db")
    tables = set(db.table_names())
    assert {
        "conversations",
        "messages",
        "customers",
        "agents",
        "teams",
        "tags",
        "ratings",
        "imports",
    } <= tables
    assert [m.name for m in migrations.applied(db)] == [m.name for m in migrations._migrations]
    assert db.execute("pragma journal_mode").fetchone()[0] == "wal"
    assert db.execute("pragma foreign_keys").fetchone()[0] == 1


def test_a_database_frozen_at_the_first_step_migrates_forward_and_keeps_its_rows(tmp_path):
    path = tmp_path / "old.db"
    db = connect(path)
    later = [m.name for m in migrations._migrations[1:]]
    migrations.apply(db, stop_before=later[0]) if later else migrations.apply(db)
    _store_before_later_steps(db, [_conversation()])
    db.conn.close()
    reopened = open_database(path)
    assert reopened.execute("select count(*) from conversations").fetchone()[0] == 1
    assert not migrations.pending(reopened)
    if later:  # a backup was taken before the pending steps ran
        assert list(tmp_path.glob("old.db.before-*.bak"))


def test_a_file_that_is_not_sqlite_is_refused_and_left_untouched(tmp_path):
    path = tmp_path / "notes.db"
    path.write_bytes(b"these are my notes, not a database")
    with pytest.raises(NotASavedeskDatabase, match="not an SQLite file"):
        open_database(path)
    assert path.read_bytes() == b"these are my notes, not a database"


def test_another_programs_sqlite_file_is_refused_and_left_untouched(tmp_path):
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("create table contacts (name text)")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(NotASavedeskDatabase, match="other tables"):
        open_database(path)
    assert path.read_bytes() == before


def test_a_database_from_a_newer_savedesk_is_refused(tmp_path):
    path = tmp_path / "newer.db"
    db = open_database(path)
    db["_sqlite_migrations"].insert(
        {"migration_set": "savedesk", "name": "m999_future", "applied_at": "2030-01-01"}
    )
    db.conn.close()
    with pytest.raises(DatabaseTooNew, match="m999_future"):
        open_database(path)


def test_open_without_create_refuses_a_missing_file(tmp_path):
    with pytest.raises(NotASavedeskDatabase):
        open_database(tmp_path / "missing.db", create=False)
    assert not (tmp_path / "missing.db").exists()


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("退款", True),  # a two-character Chinese word
        ("取消訂閱", True),  # traditional Chinese
        ("отмен", True),  # Russian prefix of отменить
        ("ОТМЕНИТЬ", True),  # case folding in Cyrillic
        ("subscription", True),
        ("SUBSCRIPTION cancel", True),
        ("refund cancel", False),  # every word must appear
        ("款退", False),  # order of Chinese characters matters
        ('"; drop table', False),  # user text never reaches FTS syntax raw
    ],
)
def test_search_finds_words_in_chinese_russian_and_english(db, query, found):
    store_records(
        db,
        [
            _conversation("1", "我要退款"),
            _conversation("2", "請幫我取消訂閱"),
            _conversation("3", "Хочу отменить подписку"),
            _conversation("4", "Please cancel my subscription", subject="Billing"),
        ],
    )
    assert bool(search_conversation_ids(db, query)) is found


def test_search_follows_updated_message_text(db):
    store_records(db, [_conversation("1", "old words here")])
    store_records(db, [_conversation("1", "completely new text")])
    assert search_conversation_ids(db, "old") == []
    assert len(search_conversation_ids(db, "completely")) == 1
    [hit] = search(db, "completely")
    assert "completely new text" in hit.snippet


def test_match_expression_quotes_every_term():
    assert match_expression('cancel "now') == '"cancel"* AND "now"*'
    assert match_expression("退款") == '"退 款"'
    assert match_expression("   ") == ""


def test_migrating_a_database_with_the_old_search_keys_rebuilds_the_index(tmp_path):
    path = tmp_path / "m003.db"
    db = connect(path)
    migrations.apply(db, stop_before="m004_search_rowids")
    _store_before_later_steps(
        db, [_conversation("1", "Хочу отменить подписку"), _conversation("2", "退款")]
    )
    # index the messages as savedesk before m004 did: rowid = message id
    db.execute("insert into search_messages(search_messages) values ('delete-all')")
    db.conn.executemany(
        "insert into search_messages(rowid, body) values (?, ?)",
        db.execute("select id, body_text from messages").fetchall(),
    )
    db.conn.commit()
    db.conn.close()
    reopened = open_database(path)
    assert not migrations.pending(reopened)
    [hit] = search(reopened, "отмен")
    assert hit.message_id is not None and "отменить" in hit.snippet
    assert len(search_conversation_ids(reopened, "退款")) == 1
    assert list(tmp_path.glob("m003.db.before-*.bak"))


def test_search_rowids_refuse_ids_they_cannot_pack():
    from review.store.search import message_rowid

    assert message_rowid(3, 7) >> 32 == 3
    with pytest.raises(ValueError):
        message_rowid(1, 1 << 32)


@pytest.mark.parametrize(
    ("text", "query", "marked"),
    [
        ("Хочу Отменить подписку", "отмен", ["Отменить"]),  # prefix, whole word, any case
        ("I was refunded; no refund yet", "refund", ["refunded", "refund"]),
        ("The fund is prefunded", "fund", ["fund"]),  # never inside a word: the index won't match
        ("我要退款，退款太慢", "退款", ["退款", "退款"]),
        ("请退我款", "退款", []),  # the characters must stand in the order typed
        ("Cancel my subscription", "my subscription", ["my", "subscription"]),
        ("anything", '"; --', []),
    ],
)
def test_match_spans_mark_what_the_search_matched(text, query, marked):
    assert [text[a:b] for a, b in match_spans(text, query)] == marked


_LETTERS = "abПпя退款1"


@st.composite
def _text_and_a_word_in_it(draw):
    words = draw(st.lists(st.text(alphabet=_LETTERS, min_size=1, max_size=6), min_size=1))
    gaps = draw(st.lists(st.sampled_from([" ", ", ", ".", "!", "_", ""]), min_size=len(words)))
    text = "".join(g + w for g, w in zip(gaps, words, strict=False))
    word = draw(st.sampled_from(words))
    query = word[: draw(st.integers(1, len(word)))]
    return text, query.upper() if draw(st.booleans()) else query


@settings(max_examples=80, deadline=None)
@given(_text_and_a_word_in_it())
def test_a_marked_word_is_one_the_search_finds(tmp_path_factory, example):
    """The reader highlights only words whose conversation the search would list."""
    text, query = example
    assume(match_spans(text, query))
    path = tmp_path_factory.mktemp("marks") / "marks.db"
    db = open_database(path)
    try:
        store_records(db, [_conversation("1", text, subject="x")])
        assert search_conversation_ids(db, query) != []
    finally:
        db.conn.close()
