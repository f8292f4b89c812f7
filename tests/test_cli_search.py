"""`savedesk search` through click's CliRunner on a real database: hits in three languages,
the matched words in bold on a terminal and plain in a pipe, JSON lines, and no match."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from desktop.cli import cli
from review.importing.records import Conversation, Message, Person
from review.importing.writer import store_records
from review.store import connect

BOLD_YELLOW = "\x1b[33m\x1b[1m"


@pytest.fixture
def searchable(db_path):
    db = connect(db_path)
    store_records(
        db,
        [
            Conversation(
                "zendesk",
                str(n),
                subject=subject,
                created_at=f"2024-03-0{n}T10:00:00Z",
                customer=Person("zendesk", "c1", "customer", "Mia"),
                messages=[Message("m1", "customer", f"2024-03-0{n}T10:00:00Z", body)],
            )
            for n, (subject, body) in enumerate(
                [
                    ("Billing", "Please refund the second charge."),
                    ("Подписка", "Хочу отменить подписку до конца месяца."),
                    ("退款", "我要退款，谢谢"),
                ],
                start=1,
            )
        ],
    )
    db.close()
    return db_path


def search(db_path, *args, color=False):
    return CliRunner().invoke(cli, ["search", *args, "--db", str(db_path)], color=color)


@pytest.mark.parametrize(
    ("query", "subject", "word"),
    [("refund", "Billing", "refund"), ("отмен", "Подписка", "отменить"), ("退款", "退款", "退款")],
)
def test_search_prints_each_conversation_with_its_words_marked_on_a_terminal(
    searchable, query, subject, word
):
    plain = search(searchable, query)
    assert plain.exit_code == 0, plain.output
    assert "\x1b[" not in plain.output  # a pipe gets plain text
    assert subject in plain.output and word in plain.output
    coloured = search(searchable, query, color=True)
    assert f"{BOLD_YELLOW}{word}\x1b[0m" in coloured.output


def test_search_json_lines_and_no_match(searchable):
    result = search(searchable, "refund", "--json")
    [line] = result.output.splitlines()
    hit = json.loads(line)
    assert hit["subject"] == "Billing" and "refund" in hit["snippet"]
    missing = search(searchable, "kumquat")
    assert missing.exit_code == 0
    assert "No conversation matches." in missing.output
