"""Churn signals: phrase lists per language, negation and settled matters, measured on a
labelled set, stored per message on import and on demand."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from review.importing.records import Conversation, Message
from review.importing.run import import_files
from review.importing.writer import store_records
from review.progress import run_to_end
from review.retention.churn import (
    detect_churn_signals,
    find_signals,
    load_phrases,
    signals_for_conversation,
)
from review.retention.settings import set_setting

DATA = Path(__file__).parent / "data"
PRECISION_FLOOR = 0.9
RECALL_FLOOR = 0.85


@pytest.fixture(scope="module")
def phrases():
    return load_phrases()


def _score(rows, phrases):
    tp = fp = fn = 0
    for row in rows:
        found = bool(find_signals(row["text"], phrases))
        truth = row["leave_intent"] == "1"
        tp += found and truth
        fp += found and not truth
        fn += truth and not found
    return tp / (tp + fp), tp / (tp + fn)


def test_precision_and_recall_on_the_labelled_set(phrases):
    with open(DATA / "churn_labelled.csv", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) >= 150
    assert abs(sum(r["leave_intent"] == "1" for r in rows) - len(rows) / 2) <= 5
    precision, recall = _score(rows, phrases)
    print(
        f"\nchurn signals on {len(rows)} labelled messages: "
        f"precision {precision:.3f}, recall {recall:.3f}"
    )
    for language in ("en", "ru", "zh-Hans", "zh-Hant"):
        subset = [r for r in rows if r["language"] == language]
        p, r = _score(subset, phrases)
        print(f"  {language:8} n={len(subset):3}  precision {p:.3f}  recall {r:.3f}")
        assert r >= 0.8, language
    assert precision >= PRECISION_FLOOR
    assert recall >= RECALL_FLOOR


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("Please cancel my Pro subscription today", "cancel"),
        ("We're switching to Zendesk", "competitor"),
        ("Хочу отменить подписку", "cancel"),
        ("Удалите мою учётную запись", "close_account"),  # ё read as е
        ("请帮我注销账号", "close_account"),
        ("怎麼匯出所有資料？", "export_data"),
        ("能不能降级到免费版？", "downgrade"),  # 能不能 asks; it does not negate
    ],
)
def test_each_language_finds_its_intents(phrases, text, intent):
    assert intent in {h.intent for h in find_signals(text, phrases)}


@pytest.mark.parametrize(
    "text",
    [
        "I cancelled the meeting, can we do Thursday?",
        "Don't cancel my subscription, I only changed cards.",
        "не отменяйте подписку",
        "Не отменяйте, пожалуйста, подписку",
        "退款已经收到了，谢谢",
        "不要取消我的订阅",
        "We are not going to cancel our subscription after all.",
        "Thanks, the refund went through. We want to stop using the old card.",
    ],
)
def test_negations_and_settled_matters_are_not_signals(phrases, text):
    assert find_signals(text, phrases) == []


def test_a_hit_names_phrase_words_and_language(phrases):
    (hit,) = find_signals("Honestly, we will cancel unless this is fixed.", phrases)
    assert hit.intent == "cancel" and hit.language == "en"
    assert hit.matched == "will cancel" and hit.phrase.startswith("will|")


def _conversation(db, external_id, messages) -> int:
    store_records(
        db,
        [
            Conversation(
                "zendesk",
                external_id,
                created_at="2024-05-01T09:00:00Z",
                messages=[
                    Message(f"m{i}", role, f"2024-05-01T09:0{i}:00Z", body, is_internal=internal)
                    for i, (role, body, internal) in enumerate(messages)
                ],
            )
        ],
    )
    return db.execute(
        "select id from conversations where external_id = ?", [external_id]
    ).fetchone()[0]


def test_only_customer_messages_are_read_and_rerunning_replaces(db):
    cid = _conversation(
        db,
        "1",
        [
            ("customer", "Hello, the export is slow.", False),
            ("agent", "If you want to cancel your subscription, go to Billing.", False),
            ("agent", "Customer may want to cancel my subscription soon", True),
            ("customer", "Then please cancel my subscription and refund please.", False),
        ],
    )
    other = _conversation(db, "2", [("customer", "我要取消订阅。", False)])
    assert detect_churn_signals(db, [cid]) == 2
    signals = signals_for_conversation(db, cid)
    assert {s.intent for s in signals} == {"cancel", "refund"}
    customer_message = db.execute(
        "select id from messages where conversation_id = ? and external_id = 'm3'", [cid]
    ).fetchone()[0]
    assert {s.message_id for s in signals} == {customer_message}
    assert signals_for_conversation(db, other) == []  # not asked for
    assert detect_churn_signals(db) == 3  # every conversation, nothing doubled
    assert detect_churn_signals(db) == 3
    assert [s.language for s in signals_for_conversation(db, other)] == ["zh-Hans"]


def test_a_team_adds_its_own_phrase_file(db, tmp_path):
    folder = tmp_path / "phrases"
    folder.mkdir()
    (folder / "team.txt").write_text("@language en\n[competitor]\nacmedesk\n", encoding="utf-8")
    cid = _conversation(db, "1", [("customer", "We are trialling acmedesk now.", False)])
    assert detect_churn_signals(db, [cid]) == 0
    set_setting(db, "churn_phrases_folder", str(folder))
    assert detect_churn_signals(db, [cid]) == 1
    assert signals_for_conversation(db, cid)[0].phrase == "acmedesk"


def test_the_import_detects_signals_in_the_conversations_it_touched(db_path, tmp_path):
    export = tmp_path / "twcs.csv"
    export.write_text(
        "tweet_id,author_id,inbound,created_at,text,response_tweet_id,in_response_to_tweet_id\n"
        '1,115712,True,Tue Oct 31 22:10:47 +0000 2017,"@acme I want to cancel my account",2,\n'
        '2,AcmeCare,False,Tue Oct 31 22:11:45 +0000 2017,"@115712 To cancel your account, DM us",,1\n'
        '3,115713,True,Tue Oct 31 23:10:47 +0000 2017,"@acme love the new app",,\n',
        encoding="utf-8",
    )
    rows = _imported(
        db_path,
        export,
        "select c.external_id, s.intent, m.author_role from churn_signals s "
        "join conversations c on c.id = s.conversation_id join messages m on m.id = s.message_id",
    )
    assert rows == [("1", "cancel", "customer")]


def test_a_signal_waits_for_its_authors_role(db_path, tmp_path):
    """Comment authors that are neither the requester nor the assignee are only known once the
    users (later in the file) are read: the signal of one who is an agent is dropped, that of
    one who is an end user kept."""
    comment = {"type": "Comment", "public": True, "body": "I want to cancel my account"}
    ticket = {
        "id": 10,
        "subject": "Billing",
        "status": "open",
        "requester_id": 1,
        "assignee_id": 2,
        "created_at": "2024-03-01T09:00:00Z",
        "updated_at": "2024-03-01T10:00:00Z",
        "comments": [
            {**comment, "id": 101, "author_id": 3, "created_at": "2024-03-01T09:00:00Z"},
            {**comment, "id": 102, "author_id": 4, "created_at": "2024-03-01T09:30:00Z"},
        ],
    }
    users = [
        {"id": 3, "name": "Ann Agent", "role": "agent", "email": "ann@example.com"},
        {"id": 4, "name": "Eve User", "role": "end-user", "email": "eve@example.com"},
    ]
    export = tmp_path / "tickets.ndjson"
    export.write_text("\n".join(json.dumps(line) for line in [ticket, *users]) + "\n")
    rows = _imported(
        db_path,
        export,
        "select m.external_id, m.author_role, s.intent from messages m "
        "left join churn_signals s on s.message_id = m.id order by m.external_id",
    )
    assert rows == [("101", "agent", None), ("102", "customer", "cancel")]


def _imported(db_path, export, query: str) -> list:
    """Import `export` into the store and give `query`'s rows."""
    from review.store import connect

    report = run_to_end(import_files(db_path, [export]))
    assert not report.failed, report.as_dict()
    db = connect(db_path)
    try:
        return db.execute(query).fetchall()
    finally:
        db.close()
