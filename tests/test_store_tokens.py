"""The search words savedesk builds PostgreSQL's documents from are FTS5's own, character for
character (review/store/tokens.py against the live SQLite library)."""

from __future__ import annotations

import sqlite3
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from review.store.tokens import words


@pytest.fixture(scope="module")
def fts5():
    conn = sqlite3.connect(":memory:")
    conn.execute("create virtual table t using fts5(x, tokenize='unicode61 remove_diacritics 2')")
    conn.execute("create virtual table v using fts5vocab(t, 'instance')")

    def tokens(text: str) -> list[str]:
        conn.execute("delete from t")
        conn.execute("insert into t values (?)", [text])
        return [row[0] for row in conn.execute("select term from v order by offset")]

    yield tokens
    conn.close()


def test_every_code_point_splits_and_folds_as_fts5_does(fts5):
    points = [cp for cp in range(1, sys.maxunicode + 1) if not 0xD800 <= cp <= 0xDFFF]
    step = 5000
    for start in range(0, len(points), step):
        text = " ".join(f"q{chr(cp)}q" for cp in points[start : start + step])
        assert words(text) == fts5(text), f"code points from {points[start]:#x}"


@pytest.mark.parametrize(
    "text",
    [
        "Cancel my subscription, please: order #4512 (e-mail: ann@example.com)",
        "Здравствуйте! Хочу ОТМЕНИТЬ подписку ёлка йод",
        "您好 我 想 退 款",
        "café naïve İstanbul ΣΑΣ straße x_y 3.14 v2.0.1",
    ],
)
def test_support_text_gives_fts5_words(fts5, text):
    assert words(text) == fts5(text)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=60))
def test_any_text_gives_fts5_words(fts5, text):
    assert words(text) == fts5(text)
