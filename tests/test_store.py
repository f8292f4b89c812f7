"""The store: migrations, opening rules, backups, search."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from review.errors import DatabaseTooNew, NotASavedeskDatabase
from review.importing.records import Conversation, Message, Person
from review.importing.writer import store_records
from review.store import migrate, open_store
from review.store.database import migration_engine
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


LEGACY = Path(__file__).parent / "data" / "legacy"


def _legacy(tmp_path: Path, name: str) -> Path:
    """A copy of an empty database as an earlier savedesk made it (tests/data/legacy)."""
    path = tmp_path / "old.db"
    shutil.copy(LEGACY / f"{name}.db", path)
    return path


def _revision(path: Path) -> str | None:
    engine = migration_engine(path, write=False)
    try:
        with engine.connect() as conn:
            return migrate.current(conn)
    finally:
        engine.dispose()


def _store_before_later_steps(path: Path, conversations: list[Conversation]) -> None:
    """Rows as a savedesk of an earlier schema stored them (today's writer needs today's
    columns): a conversation and its messages, with only the first step's columns."""
    db = sqlite3.connect(path)
    with db:
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
    db.close()


def test_migrating_an_empty_file_creates_every_table(tmp_path):
    db = open_store(tmp_path / "new.db")
    tables = set(db.tables())
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
    assert _revision(tmp_path / "new.db") == migrate.head()
    assert db.execute("pragma journal_mode").fetchone()[0] == "wal"
    assert db.execute("pragma foreign_keys").fetchone()[0] == 1


@pytest.mark.parametrize("name", ["after-m001", "after-m003", "after-m004"])
def test_a_database_an_earlier_savedesk_made_is_backed_up_stamped_upgraded_and_keeps_its_rows(
    tmp_path, name
):
    path = _legacy(tmp_path, name)
    _store_before_later_steps(path, [_conversation()])
    reopened = open_store(path)
    assert reopened.execute("select count(*) from conversations").fetchone()[0] == 1
    assert "_sqlite_migrations" not in reopened.tables()
    reopened.close()
    assert _revision(path) == migrate.head()
    [backup] = tmp_path.glob("old.db.before-*.bak")
    copy = sqlite3.connect(backup)
    # the backup is the file as it was: the earlier savedesk's steps, the row, no new tables
    assert copy.execute("select count(*) from conversations").fetchone()[0] == 1
    assert copy.execute("select count(*) from _sqlite_migrations").fetchone()[0] >= 1
    assert not copy.execute("select 1 from sqlite_master where name = 'alembic_version'").fetchall()
    copy.close()


def _affinity(kind) -> str:
    name = kind.__class__.__name__.upper()
    return "REAL" if name in ("FLOAT", "REAL", "DOUBLE", "DOUBLE_PRECISION") else name


def _schema(path: Path) -> dict:
    from sqlalchemy import inspect

    engine = migration_engine(path, write=False)
    try:
        with engine.connect() as conn:
            found = inspect(conn)
            return {
                table: (
                    sorted((c["name"], _affinity(c["type"])) for c in found.get_columns(table)),
                    sorted((tuple(i["column_names"]), bool(i["unique"])) for i in found.get_indexes(table)),
                    found.get_pk_constraint(table)["constrained_columns"],
                    sorted((tuple(f["constrained_columns"]), f["referred_table"]) for f in found.get_foreign_keys(table)),
                )
                for table in found.get_table_names()
                if not table.startswith("search_") and table != "alembic_version"
            }  # fmt: skip
    finally:
        engine.dispose()


def test_the_last_release_upgraded_has_the_same_schema_as_a_new_database(tmp_path):
    old = _legacy(tmp_path, "after-m004")
    open_store(old).close()
    open_store(tmp_path / "new.db").close()
    assert _schema(old) == _schema(tmp_path / "new.db")


def test_a_file_that_is_not_sqlite_is_refused_and_left_untouched(tmp_path):
    path = tmp_path / "notes.db"
    path.write_bytes(b"these are my notes, not a database")
    with pytest.raises(NotASavedeskDatabase, match="not an SQLite file"):
        open_store(path)
    assert path.read_bytes() == b"these are my notes, not a database"


def test_another_programs_sqlite_file_is_refused_and_left_untouched(tmp_path):
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("create table contacts (name text)")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(NotASavedeskDatabase, match="other tables"):
        open_store(path)
    assert path.read_bytes() == before


def test_a_database_from_a_newer_savedesk_is_refused(tmp_path):
    path = tmp_path / "newer.db"
    open_store(path).close()
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("update alembic_version set version_num = '9999'")
    conn.close()
    before = path.read_bytes()
    with pytest.raises(DatabaseTooNew, match="9999"):
        open_store(path)
    assert path.read_bytes() == before


def test_a_legacy_file_with_a_step_of_a_newer_savedesk_is_refused(tmp_path):
    path = _legacy(tmp_path, "after-m004")
    conn = sqlite3.connect(path)
    with conn:
        conn.execute(
            "insert into _sqlite_migrations (migration_set, name, applied_at) "
            "values ('savedesk', 'm999_future', '2030-01-01')"
        )
    conn.close()
    with pytest.raises(DatabaseTooNew, match="m999_future"):
        open_store(path)


def test_open_without_create_refuses_a_missing_file(tmp_path):
    with pytest.raises(NotASavedeskDatabase):
        open_store(tmp_path / "missing.db", create=False)
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
    path = _legacy(tmp_path, "after-m003")
    _store_before_later_steps(
        path, [_conversation("1", "Хочу отменить подписку"), _conversation("2", "退款")]
    )
    # index the messages as savedesk before m004 did: rowid = message id
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("insert into search_messages(search_messages) values ('delete-all')")
        conn.executemany(
            "insert into search_messages(rowid, body) values (?, ?)",
            conn.execute("select id, body_text from messages").fetchall(),
        )
    conn.close()
    reopened = open_store(path)
    [hit] = search(reopened, "отмен")
    assert hit.message_id is not None and "отменить" in hit.snippet
    assert len(search_conversation_ids(reopened, "退款")) == 1
    assert list(tmp_path.glob("old.db.before-*.bak"))


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
    db = open_store(path)
    try:
        store_records(db, [_conversation("1", text, subject="x")])
        assert search_conversation_ids(db, query) != []
    finally:
        db.close()


def test_a_failed_nested_block_is_undone_and_the_rest_of_the_transaction_kept(db):
    def tags():
        return [r[0] for r in db.execute("select name from tags order by name")]

    def fail_after(name):
        with db.atomic():
            db.execute("insert into tags (name) values (:n)", {"n": name})
            raise ValueError(name)

    with db.atomic():
        db.execute("insert into tags (name) values ('kept-1')")
        for name in ("lost-1", "lost-2"):  # blocks one after another at the same depth
            with pytest.raises(ValueError):
                fail_after(name)
        with db.atomic():
            db.execute("insert into tags (name) values ('kept-2')")
            with db.atomic():
                db.execute("insert into tags (name) values ('kept-3')")
            with pytest.raises(ValueError):  # a failure deeper in rolls back only its block
                fail_after("lost-3")
            db.execute("insert into tags (name) values ('kept-4')")
        with pytest.raises(ValueError), db.atomic():
            db.execute("insert into tags (name) values ('lost-4')")
            with db.atomic():
                db.execute("insert into tags (name) values ('lost-5')")
            raise ValueError("the outer nested block, after its inner one succeeded")
    assert tags() == ["kept-1", "kept-2", "kept-3", "kept-4"]


@pytest.mark.parametrize("window", [2, 5, 500])
def test_a_first_page_of_hits_is_the_newest_matches_whatever_the_window(db, monkeypatch, window):
    from review.store import search_match

    monkeypatch.setattr(search_match, "NEWEST_WINDOW", window)
    days = [9, 3, 7, 1, 8, 2, 6, 4]  # created on these days of March; odd ones say "refund"
    store_records(
        db,
        [
            Conversation(
                "zendesk",
                f"t{n}",
                subject="Billing",
                created_at=f"2024-03-0{day}T10:00:00Z",
                messages=[
                    Message(
                        "m1",
                        "customer",
                        f"2024-03-0{day}T10:00:00Z",
                        "a refund please" if day % 2 else "thanks",
                    )
                ],
            )
            for n, day in enumerate(days)
        ],
    )
    newest_first = [
        r[0] for r in db.execute("select id from conversations order by created_at desc, id desc")
    ]
    matching = set(search_conversation_ids(db, "refund"))
    expected = [c for c in newest_first if c in matching]
    assert len(expected) == 4
    for limit in (1, 2, 3, 4, 6):
        assert search_conversation_ids(db, "refund", limit) == expected[:limit]
