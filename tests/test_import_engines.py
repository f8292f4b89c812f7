"""What the import asks of each engine (review.store.bulk, review.store.search_rows): the same
rows and search hits on SQLite and PostgreSQL, one import at a time into a server, and ids the
engine hands out after an import never clashing with the ones the import handed out."""

from __future__ import annotations

import json
import threading
import time

import pytest

from review.store import connect
from review.store.bulk import IMPORT_LOCK
from review.store.search import match_expression
from tests.conftest import ON_SERVER
from tests.helpers import import_paths, stored_rows

TICKETS = [
    {
        "id": 1,
        "subject": "Отменить подписку",
        "status": "open",
        "created_at": "2024-05-01T09:00:00Z",
        "updated_at": "2024-05-01T09:00:00Z",
        "requester_id": 7000,
        "assignee_id": 9000,
        "via": {"channel": "email"},
        "tags": ["billing"],
        "comments": [
            {
                "id": 101,
                "author_id": 7000,
                "plain_body": "我要退款, it's O'Brien\\ here: e-mail a.b@c.d",
                "public": True,
                "created_at": "2024-05-01T09:00:00Z",
            },
            {
                "id": 102,
                "author_id": 9000,
                "plain_body": "Hello\u0000 there",
                "public": True,
                "created_at": "2024-05-01T09:05:00Z",
            },
        ],
    },
    {
        "id": 2,
        "subject": "Refund question",
        "status": "solved",
        "created_at": "2024-05-02T09:00:00Z",
        "updated_at": "2024-05-02T09:00:00Z",
        "requester_id": 7001,
        "via": {"channel": "chat"},
        "tags": [],
        "comments": [
            {
                "id": 201,
                "author_id": 7001,
                "plain_body": "Please refund, отмените заказ",
                "public": True,
                "created_at": "2024-05-02T09:00:00Z",
            }
        ],
    },
]


@pytest.fixture
def export(tmp_path):
    path = tmp_path / "tickets.json"
    path.write_text("".join(json.dumps(t) + "\n" for t in TICKETS), "utf-8")
    return path


def _hits(db_path, query: str) -> tuple[list[int], list[int]]:
    """(message ids, conversation ids by subject) a search for `query` finds, read straight
    from the index tables on either engine."""
    db = connect(db_path)
    try:
        if not ON_SERVER:
            q = {"q": match_expression(query)}
            messages = db.execute(
                "select rowid & 4294967295 from search_messages where search_messages match :q",
                q,
            )
            subjects = db.execute(
                "select rowid from search_subjects where search_subjects match :q", q
            )
        else:
            q = {"q": _tsquery(query)}
            messages = db.execute(
                "select message_id from search_messages where document @@ cast(:q as tsquery)", q
            )
            subjects = db.execute(
                "select conversation_id from search_subjects where document @@ cast(:q as tsquery)",
                q,
            )
        return sorted(r[0] for r in messages), sorted(r[0] for r in subjects)
    finally:
        db.close()


def _tsquery(query: str) -> str:
    # the test's own reading of match_expression's semantics: a Chinese run a phrase, a word a
    # prefix (review/store/search_tables.py)
    from review.store.search import _query_words
    from review.store.tokens import words

    terms = []
    for word, pieces in _query_words(query):
        if pieces is None:
            terms.append(" & ".join(f"'{w}':*" for w in words(word)))
        else:
            terms.append("(" + " <-> ".join(f"'{w}'" for p in pieces for w in words(p)) + ")")
    return " & ".join(terms)


@pytest.mark.parametrize(
    ("query", "messages", "subjects"),
    [
        ("退款", [1], []),
        ("отмен", [3], [1]),
        ("refund", [3], [2]),
        ("o'brien", [1], []),
        ("a.b", [1], []),
        ("hello", [2], []),
    ],
)
def test_the_index_finds_the_same_messages_and_subjects_on_either_engine(
    db_path, export, query, messages, subjects
):
    import_paths(db_path, export)
    assert _hits(db_path, query) == (messages, subjects)


def test_a_nul_is_stored_as_u_fffd_and_a_reimport_changes_nothing(db_path, export):
    first = import_paths(db_path, export).files[0]
    assert first.error is None
    assert stored_rows(db_path, "select body_text from messages where external_id = '102'") == [
        ("Hello\ufffd there",)
    ]
    again = import_paths(db_path, export).files[0]
    assert (again.added, again.updated) == (0, 0)


def test_rows_added_after_an_import_get_ids_past_the_ones_it_handed_out(db_path, export):
    import_paths(db_path, export)
    db = connect(db_path)
    try:
        with db.atomic():
            conversation = db.insert(
                "conversations", {"source": "manual", "external_id": "m1", "message_count": 0}
            )
            message = db.insert(
                "messages", {"conversation_id": conversation, "external_id": "m1-1"}
            )
            customer = db.insert("customers", {"source": "manual", "external_id": "c1"})
    finally:
        db.close()
    assert (conversation, message, customer) == (3, 4, 3)


@pytest.mark.skipif(not ON_SERVER, reason="SQLite's write lock does it; this is the server's lock")
def test_an_import_into_a_server_waits_for_the_one_already_writing(db_path, export):
    holder = connect(db_path)  # stands for another import: it holds the import lock
    with holder.atomic():
        holder.execute("select pg_advisory_xact_lock(:key)", {"key": IMPORT_LOCK})
        done: list = []
        worker = threading.Thread(target=lambda: done.append(import_paths(db_path, export)))
        worker.start()
        time.sleep(1.5)
        assert not done  # waiting: it has written nothing
        assert stored_rows(db_path, "select count(*) from conversations") == [(0,)]
    holder.close()
    worker.join(30)
    assert done and done[0].files[0].added == 2
