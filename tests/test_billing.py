"""Billing lists: CSV import with errors that name line and field; confirming saves from them."""

from __future__ import annotations

import pytest

from review.errors import ImportFailed, InvalidInput
from review.importing.records import Conversation, Person
from review.importing.writer import store_records
from review.retention.billing import import_billing
from review.retention.money import parse_money
from review.retention.saves import saves_for_conversation, tag_save
from review.retention.settings import (
    confirmation_days,
    exchange_rates,
    set_exchange_rates,
    set_setting,
)

HEADER = "customer_id,email,status,mrr,currency,as_of\n"


def _customer_conversation(db, n: int, email: str | None = None) -> int:
    store_records(
        db,
        [
            Conversation(
                "zendesk",
                str(n),
                created_at="2024-05-01T09:00:00Z",
                customer=Person("zendesk", f"cust{n}", "customer", email=email),
            )
        ],
    )
    return db.execute("select id from conversations where external_id = ?", [str(n)]).fetchone()[0]


def _write(tmp_path, text: str, name="billing.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_import_counts_paying_and_gone(db, tmp_path):
    path = _write(
        tmp_path,
        "Customer ID,Email,Status,MRR,Currency,As of\n"
        "cust1,,active,49.00,USD,2024-06-15\n"
        ",Li@Example.cn,cancelled,0,CNY,2024-06-15\n"
        "cust3,,Active,0,USD,2024-06-15\n",
    )
    report = import_billing(db, path)
    assert (report.records, report.paying, report.gone) == (3, 1, 2)
    rows = db.execute(
        "select customer_key, customer_email, status, mrr_cents, currency from billing_records "
        "order by id"
    ).fetchall()
    assert rows[0] == ("cust1", None, "active", 4900, "USD")
    assert rows[1] == ("li@example.cn", "li@example.cn", "cancelled", 0, "CNY")


@pytest.mark.parametrize(
    ("line", "field", "problem"),
    [
        ("cust1,,active,4.999,USD,2024-06-15", "mrr", "fractions of a cent"),
        ("cust1,,active,49,dollars,2024-06-15", "currency", "ISO 4217"),
        ("cust1,,paused forever,49,USD,2024-06-15", "status", "not one of"),
        ("cust1,,active,49,USD,15/06/2024", "as_of", "not a date"),
        (",,active,49,USD,2024-06-15", "customer_id", "no customer id or email"),
    ],
)
def test_a_bad_value_names_line_and_field_and_stores_nothing(db, tmp_path, line, field, problem):
    path = _write(tmp_path, HEADER + "cust0,,active,10,USD,2024-06-15\n" + line + "\n")
    with pytest.raises(ImportFailed) as err:
        import_billing(db, path)
    assert err.value.record == 3 and err.value.field == field
    assert problem in str(err.value) and "record 3" in str(err.value)
    assert db.execute("select count(*) from billing_records").fetchone()[0] == 0


def test_missing_columns_are_named(db, tmp_path):
    with pytest.raises(ImportFailed, match="no currency column"):
        import_billing(db, _write(tmp_path, "email,status,mrr,as_of\na@b.c,active,1,2024-01-01\n"))
    with pytest.raises(ImportFailed, match="no customer id or email"):
        import_billing(db, _write(tmp_path, "status,mrr,currency,as_of\nactive,1,USD,2024-01-01\n"))


def test_confirm_saves_confirms_fails_and_waits(db, tmp_path):
    kept = _customer_conversation(db, 1)  # still paying 30+ days later -> confirmed
    gone = _customer_conversation(db, 2, email="gone@example.com")  # cancelled after -> failed
    early = _customer_conversation(db, 3)  # only seen 10 days later -> still pending
    unknown = _customer_conversation(db, 4)  # not on the list -> pending
    for cid in (kept, gone, early, unknown):
        tag_save(db, cid, "30", "USD", "solved", saved_on="2024-05-01")
    import_billing(
        db,
        _write(
            tmp_path,
            HEADER
            + "cust1,,active,30,USD,2024-05-31\n"  # exactly 30 days: counts
            + ",GONE@example.com,active,30,USD,2024-05-10\n"
            + ",gone@example.com,cancelled,0,USD,2024-05-20\n"
            + ",gone@example.com,active,30,USD,2024-06-30\n"  # came back later: still failed
            + "cust3,,active,30,USD,2024-05-11\n",
        ),
    )
    changes = confirm_saves_today(db)
    assert changes.conversations == {kept, gone}
    status = {
        cid: saves_for_conversation(db, cid)[0].status for cid in (kept, gone, early, unknown)
    }
    assert status == {kept: "confirmed", gone: "failed", early: "pending", unknown: "pending"}
    assert saves_for_conversation(db, kept)[0].status_checked_on == "2024-07-01"


def confirm_saves_today(db):
    from review.retention.billing import confirm_saves

    return confirm_saves(db, "2024-07-01")


def test_confirmation_days_is_a_setting(db, tmp_path):
    from review.retention.billing import confirm_saves

    cid = _customer_conversation(db, 1)
    tag_save(db, cid, "30", "USD", "solved", saved_on="2024-05-01")
    import_billing(db, _write(tmp_path, HEADER + "cust1,,active,30,USD,2024-05-15\n"))
    assert confirmation_days(db) == 30
    assert not confirm_saves(db, "2024-07-01")
    set_setting(db, "save_confirmation_days", "14")
    confirm_saves(db, "2024-07-01")
    assert saves_for_conversation(db, cid)[0].status == "confirmed"


def test_records_after_today_are_not_used(db, tmp_path):
    from review.retention.billing import confirm_saves

    cid = _customer_conversation(db, 1)
    tag_save(db, cid, "30", "USD", "solved", saved_on="2024-05-01")
    import_billing(db, _write(tmp_path, HEADER + "cust1,,cancelled,0,USD,2024-05-15\n"))
    assert not confirm_saves(db, "2024-05-10")
    assert saves_for_conversation(db, cid)[0].status == "pending"


def test_money_parsing_and_exchange_rates(db):
    assert parse_money("1,234.50") == 123450
    assert parse_money("49,90") == 4990
    assert parse_money("  7 ") == 700
    with pytest.raises(InvalidInput):
        parse_money("1e400000")
    assert exchange_rates(db) == (None, {})
    set_exchange_rates(db, "usd", {"EUR": "1.08"})
    base, rates = exchange_rates(db)
    assert base == "USD" and str(rates["EUR"]) == "1.08" and rates["USD"] == 1
    with pytest.raises(InvalidInput):
        set_exchange_rates(db, "USD", {"EUR": "0"})


def test_exchange_rates_and_confirmation_days_from_the_command_line(db_path):
    from click.testing import CliRunner

    from desktop.cli import cli
    from review.retention.settings import exchange_rates, get_setting
    from review.store import connect

    runner = CliRunner()
    ok = runner.invoke(cli, ["billing", "rates", "--db", str(db_path), "--base", "USD", "EUR=1.08"])
    assert ok.exit_code == 0, ok.output
    assert "1 EUR = 1.08 USD" in ok.output
    bad = runner.invoke(cli, ["billing", "rates", "--db", str(db_path), "--base", "USD", "GBP=x"])
    assert bad.exit_code == 1 and "is not a number" in bad.output
    days = runner.invoke(cli, ["billing", "confirm-days", "45", "--db", str(db_path)])
    assert days.exit_code == 0, days.output
    db = connect(db_path)
    base, rates = exchange_rates(db)
    assert (base, str(rates["EUR"])) == ("USD", "1.08")
    assert get_setting(db, "save_confirmation_days") == "45"
