"""The traps where the same SQL gives SQLite and PostgreSQL different answers (TEAM-STORE.md,
/work/tools/STORE.md), each through the store's dialect fragment: the expected answer below must
come out of both engines (the suite runs once on each; SAVEDESK_TEST_STORE=postgresql)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

VALUES = "(select 1 as v union all select null union all select 2 union all select -3) t"


def one(db, sql, params=None):
    return db.execute(sql, params or {}).scalar()


def test_integer_casts_cut_towards_zero(db):
    # cast(1.5 as int) is 1 on SQLite and 2 on PostgreSQL (the median first response moved)
    cut = db.dialect.truncate
    assert db.execute(
        f"select {cut('1.5')}, {cut('-1.5')}, {cut('7 / 2.0')}, {cut('2.99')}"
    ).fetchone() == (1, -1, 3, 2)


def test_averages_come_back_as_floats_and_sums_as_integers(db):
    mean, total = db.execute(f"select avg(v), sum(v) from {VALUES}").fetchone()
    assert (mean, total) == (0.0, 0) and type(mean) is float and type(total) is int
    mean = one(db, "select avg(v) from (select 1 as v union all select 2) t")
    assert mean == 1.5 and type(mean) is float
    assert one(db, f"select {db.dialect.round('avg(v)', 2)} from {VALUES} where v > 0") == 1.5


def test_nulls_sort_lowest(db):
    order = db.dialect.order
    ascending = [r[0] for r in db.execute(f"select v from {VALUES} order by {order('v')}")]
    descending = [
        r[0] for r in db.execute(f"select v from {VALUES} order by {order('v', descending=True)}")
    ]
    assert ascending == [None, -3, 1, 2]
    assert descending == [2, 1, -3, None]


def test_lower_folds_cyrillic_and_latin(db):
    assert one(db, "select lower(:t)", {"t": "ОТМЕНА Refund Ёлка"}) == "отмена refund ёлка"


def test_case_free_like(db):
    contains = db.dialect.contains("x", ":q")
    rows = [
        r[0]
        for r in db.execute(
            f"select x from (select 'Отменить подписку' as x union all select 'REFUND me' "
            f"union all select 'other') t where {contains} order by x",
            {"q": "%отмен%"},
        )
    ]
    assert rows == ["Отменить подписку"]
    assert one(db, f"select count(*) from (select 'REFUND me' as x) t where {contains}",
               {"q": "%refund%"}) == 1  # fmt: skip


def test_conditions_as_integer_flags(db):
    flag = db.dialect.flag
    row = db.execute(
        f"select {flag('2 > 1')}, {flag('1 > 2')}, sum({flag('v > 0')}) from {VALUES}"
    ).fetchone()
    assert row == (1, 0, 2)
    assert one(db, f"select count(*) from {VALUES} where {db.dialect.always}") == 4
    assert one(db, f"select count(*) from {VALUES} where {db.dialect.never}") == 0


def test_case_free_sorting(db):
    names = ["beta", "Alpha", "alpha", "Beta", "gamma"]
    sql = " union all ".join(f"select {i} as id, '{n}' as name" for i, n in enumerate(names))
    rows = [
        r[0]
        for r in db.execute(f"select name from ({sql}) t order by {db.dialect.nocase('name')}, id")
    ]
    assert rows == ["Alpha", "alpha", "beta", "Beta", "gamma"]


def test_string_aggregation_in_order(db):
    agg = db.dialect.string_agg("name", ", ")
    sql = "select 'b' as name union all select 'c' union all select 'a'"
    assert one(db, f"select {agg} from (select name from ({sql}) s order by name) t") == "a, b, c"


def test_null_safe_equality(db):
    same = db.dialect.same("v", ":v")
    for value, n in ((None, 1), (2, 1), (5, 0)):
        assert one(db, f"select count(*) from {VALUES} where {same}", {"v": value}) == n


def test_characters_by_code(db):
    assert one(db, f"select 'a' || {db.dialect.char(31)} || 'b'") == "a\x1fb"


@pytest.mark.parametrize(
    "day",
    ["2024-01-01", "2024-01-07", "2024-01-08", "2023-01-01", "2022-01-02", "2024-12-31"]
    + [(date(2024, 5, 1) + timedelta(days=i)).isoformat() for i in range(8)],
)
def test_weeks_and_periods_as_strftime_names_them(db, day):
    stamp = f"{day}T23:30:00Z"
    d = date.fromisoformat(day)
    sql = db.dialect
    got = db.execute(
        f"select {sql.monday_of(':t')}, {sql.period_of(':t', 'week')}, "
        f"{sql.period_of(':t', 'quarter')}, {sql.period_of(':t', 'month')}, "
        f"{sql.period_of(':t', 'day')}, {sql.period_of(':t', 'year')}, {sql.date_of(':t')}",
        {"t": stamp},
    ).fetchone()
    assert got == (
        (d - timedelta(days=d.weekday())).isoformat(),
        d.strftime("%Y-W%W"),
        f"{d.year}-Q{(d.month + 2) // 3}",
        d.strftime("%Y-%m"),
        day,
        str(d.year),
        day,
    )


def test_date_arithmetic(db):
    sql = db.dialect
    row = db.execute(
        f"select {sql.day_after(':d')}, {sql.days_after(':d', ':n')}, "
        f"{sql.days_after(':t', '30')}, {sql.seconds_between(':t', ':later')}",
        {"d": "2024-02-28", "n": 2, "t": "2024-12-15T10:00:00Z", "later": "2024-12-15T11:30:15Z"},
    ).fetchone()
    assert row[:3] == ("2024-02-29", "2024-03-01", "2025-01-14")
    assert row[3] == pytest.approx(5415.0, abs=0.01)


def test_insert_ignore_keeps_the_first_row(db):
    db.execute("create table pairs (a integer, b integer, unique (a, b))")
    insert = db.dialect.insert_ignore("pairs", "a, b", ":a, :b")
    for _ in range(3):
        db.execute(insert, {"a": 1, "b": 2})
    assert one(db, "select count(*) from pairs") == 1
