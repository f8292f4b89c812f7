"""CSV exports: UTF-8 with BOM, every kind, one row per rating, exact money, filters, safety."""

from __future__ import annotations

import csv

import pytest

from reports.csv_export import export_csv, export_job, safe_cell
from review.errors import InvalidInput
from review.filters import Filters
from review.importing.records import Conversation, Message, Person, Team
from review.importing.writer import store_records
from review.retention.losses import loss_reasons, tag_loss
from review.retention.saves import tag_save
from review.retention.settings import set_exchange_rates
from review.reviewing.reviews import rate, start_review
from review.reviewing.rubrics import current_rubric

SUBJECTS = ("取消订阅", "請問可以退款嗎", "Отмена подписки", '=HYPERLINK("http://x")')


def _store(db) -> list[int]:
    team = Team("csv", "t1", "Поддержка")
    agent = Person("csv", "a1", "agent", "李娜", team="t1")
    records = [
        Conversation(
            "csv",
            str(i),
            subject=subject,
            channel="email",
            status="solved",
            created_at=f"2024-05-0{i + 1}T09:00:00Z",
            customer=Person("csv", f"c{i}", "customer", "Анна Петрова", f"anna{i}@example.com"),
            agent=agent,
            team=team,
            messages=[Message("m1", "customer", f"2024-05-0{i + 1}T09:00:00Z", subject)],
        )  # fmt: skip
        for i, subject in enumerate(SUBJECTS)
    ]
    store_records(db, records)
    return [row[0] for row in db.execute("select id from conversations order by external_id")]


def _read(path) -> list[dict]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "no UTF-8 byte-order mark"
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def test_conversations_export_keeps_every_script(db, db_path, tmp_path):
    _store(db)
    path = tmp_path / "conversations.csv"
    assert export_csv(db_path, "conversations", path) == 4
    rows = _read(path)
    assert [r["subject"] for r in rows[:3]] == list(SUBJECTS[:3])
    assert rows[0]["customer"] == "Анна Петрова" and rows[0]["agent"] == "李娜"
    assert rows[0]["team"] == "Поддержка"
    # A subject a spreadsheet would run as a formula is written as text.
    assert rows[3]["subject"] == "'" + SUBJECTS[3]


def test_saves_and_losses_are_exact_to_the_cent_and_filtered(db, db_path, tmp_path):
    ids = _store(db)
    tag_save(db, ids[0], "49.99", "EUR", "discount", saved_on="2024-05-02", story="Скидка 20%")
    tag_save(db, ids[1], "0.10", "CNY", "solved", saved_on="2024-05-03")
    price = next(r for r in loss_reasons(db) if r.name == "Price")
    tag_loss(db, ids[2], "1234.56", "USD", price.id, preventable=True, customer_words="太贵了",
             lost_on="2024-05-04")  # fmt: skip
    export_csv(db_path, "saves", tmp_path / "saves.csv")
    saves = _read(tmp_path / "saves.csv")
    assert [(s["mrr"], s["arr"], s["currency"]) for s in saves] == [
        ("49.99", "599.88", "EUR"),
        ("0.10", "1.20", "CNY"),
    ]
    assert saves[0]["story"] == "Скидка 20%" and saves[0]["status"] == "pending"
    assert (saves[0]["mrr_in_base"], saves[0]["base_currency"]) == ("", "")  # no rates set
    export_csv(db_path, "losses", tmp_path / "losses.csv")
    (loss,) = _read(tmp_path / "losses.csv")
    assert (loss["mrr"], loss["arr"], loss["reason"], loss["preventable"]) == (
        "1234.56", "14814.72", "Price", "yes",
    )  # fmt: skip
    assert loss["customer_words"] == "太贵了" and loss["outcome"] == "loss"
    set_exchange_rates(db, "EUR", {"CNY": "0.13", "USD": "0.92"})
    export_csv(db_path, "saves", tmp_path / "based.csv")
    assert [(s["mrr_in_base"], s["base_currency"]) for s in _read(tmp_path / "based.csv")] == [
        ("49.99", "EUR"),
        ("0.01", "EUR"),
    ]
    export_csv(db_path, "losses", tmp_path / "based.csv")
    assert _read(tmp_path / "based.csv")[0]["mrr_in_base"] == "1135.80"  # 1234.56 x 0.92
    not_a_fit = next(r for r in loss_reasons(db) if r.right_outcome)
    tag_loss(db, ids[3], "5", "EUR", not_a_fit.id, lost_on="2024-05-05")
    export_csv(db_path, "losses", tmp_path / "both.csv")
    assert [r["outcome"] for r in _read(tmp_path / "both.csv")] == ["loss", "right outcome"]
    only_first = Filters(date_from="2024-05-01", date_to="2024-05-01")
    assert export_csv(db_path, "saves", tmp_path / "one.csv", only_first) == 1


def test_reviews_export_has_one_row_per_rating(db, db_path, tmp_path):
    ids = _store(db)
    rubric = current_rubric(db)
    review = start_review(db, ids[0], "lead")
    rated = [c for c in rubric.categories if not c.critical][:3]
    for category in rated:
        rate(db, review.id, category.id, category.scale_max)
    export_csv(db_path, "reviews", tmp_path / "reviews.csv")
    rows = _read(tmp_path / "reviews.csv")
    assert len(rows) == 3
    assert {r["category_key"] for r in rows} == {c.key for c in rated}
    assert all(r["review_score"] == "100.0" and r["reviewer"] == "lead" for r in rows)


def test_export_job_reports_progress_and_leaves_nothing_when_cancelled(db, db_path, tmp_path):
    _store(db)
    path = tmp_path / "c.csv"
    job = export_job(db_path, "conversations", path)
    first = next(job)
    assert (first.done, first.total) == (0, 4)
    job.close()
    assert list(tmp_path.glob("*c.csv*")) == []


def test_unknown_export_is_refused(db_path, tmp_path):
    with pytest.raises(InvalidInput):
        export_csv(db_path, "customers", tmp_path / "x.csv")


def test_safe_cell_keeps_numbers_and_phones():
    assert safe_cell("-12.50") == "-12.50"
    assert safe_cell("+86 138 1234 5678") == "+86 138 1234 5678"
    assert safe_cell("@SUM(A1)") == "'@SUM(A1)"
    assert safe_cell("-cmd") == "'-cmd"
    assert safe_cell(42) == 42
