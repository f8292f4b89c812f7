"""A search finds the same texts on both engines: SQLite's FTS5 `match` and PostgreSQL's
`tsvector @@ tsquery`, each asked about every text with every query (review.store.search_match).
"""

from __future__ import annotations

import sqlite3

import pytest

from review.store.search import index_text, match_expression
from review.store.search_match import tsquery
from tests.conftest import ON_SERVER

TEXTS = [
    "I want a refund for last month",
    "Refunds are processed in 5 days",
    "Prefund the account",
    "我想申请退款，谢谢",
    "退 款 are two words here",
    "款退 is the wrong order",
    "Хочу отменить подписку",
    "ОТМЕНА заказа",
    "отмена",
    "cancel-my_subscription now",
    "e-mail me at anna.bell@example.com",
    "Café crème brûlée",
    "CAFE and naïve",
    "İstanbul office, straße",
    "退款 refund отмен all three",
    "",
]
QUERIES = [
    "refund",
    "REFUND",
    "refunds",
    "fund",
    "退款",
    "款",
    "申请退款",
    "отмен",
    "ОТМЕН",
    "отмена заказа",
    "cancel",
    "my_subscription",
    "e-mail",
    "anna.bell@example.com",
    "cafe",
    "café",
    "naive",
    "strasse",
    "straße",
    "退款 refund",
    "refund отмен 退款",
    "123",
    "'quoted' \\back",
]


def test_tsquery_literals():
    assert tsquery("退款") == "('退' <-> '款')"
    assert tsquery("Отмена refund") == "'отмена':* & 'refund':*"
    assert tsquery("退款123 cancel_me") == "('退' <-> '款' <-> '123') & ('cancel' <-> 'me':*)"
    assert tsquery("  ,;  ") == ""
    assert tsquery("it's") == "'it':* & 's':*"


def _fts5_hits(query: str) -> set[int]:
    conn = sqlite3.connect(":memory:")
    conn.execute(
        "create virtual table t using fts5(body, tokenize='unicode61 remove_diacritics 2')"
    )
    conn.executemany(
        "insert into t (rowid, body) values (?, ?)",
        [(i, index_text(text)) for i, text in enumerate(TEXTS, 1)],
    )
    expression = match_expression(query)
    if not expression:
        return set()
    return {r[0] for r in conn.execute("select rowid from t where t match ?", [expression])}


@pytest.mark.skipif(not ON_SERVER, reason="asks PostgreSQL: the PostgreSQL pass (make test-pg)")
@pytest.mark.parametrize("query", QUERIES)
def test_each_query_finds_the_same_texts_on_both_engines(db, query):
    from tests.pgcopy import document

    on_server = {
        i
        for i, text in enumerate(TEXTS, 1)
        if tsquery(query)
        and db.execute(
            "select cast(:d as tsvector) @@ cast(:q as tsquery)",
            {"d": document(text), "q": tsquery(query)},
        ).scalar()
    }
    assert on_server == _fts5_hits(query)
