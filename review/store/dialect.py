"""The SQL that differs between SQLite and PostgreSQL, as small named fragments.

review/ writes its SQL once; where the two engines spell a thing differently (or give a
different answer to the same words: TEAM-STORE.md's traps), it asks the open store for the
fragment: `db.dialect.monday_of("c.created_at")`. Each fragment gives the same answer on both
engines (tests/test_store_traps.py). Only this module knows both spellings; nothing outside
review/store/ asks which engine it is on.

Timestamps are stored as ISO 8601 text in UTC ("2024-05-01T09:30:00Z"), dates as "YYYY-MM-DD";
every date fragment answers text in those shapes, as SQLite's date functions do.
"""

from __future__ import annotations

# strftime patterns of the periods quality can be grouped by ("quarter" is built apart)
PERIOD_FORMATS = {"day": "%Y-%m-%d", "week": "%Y-W%W", "month": "%Y-%m", "year": "%Y"}


class Dialect:
    """SQLite's spelling of each fragment (and the shared ones)."""

    name = "sqlite"

    # --- the same words on both engines, named so they are written one way ----------------------
    always = "1 = 1"  # a condition that holds (PostgreSQL refuses `where 1`)
    never = "1 = 0"

    def flag(self, condition: str) -> str:
        """A condition as 1 or 0 (savedesk's flag columns are integers on both engines; on
        PostgreSQL a comparison is a boolean)."""
        return f"case when {condition} then 1 else 0 end"

    def contains(self, column: str, parameter: str) -> str:
        """`column` holds the text of `parameter` (a like pattern), in any case: like folds
        ASCII in SQLite and nothing on PostgreSQL; lower() folds the same on both."""
        return f"lower({column}) like lower({parameter})"

    def order(self, expression: str, *, descending: bool = False) -> str:
        """An order-by term with NULLs lowest (first ascending, last descending): SQLite's own
        order, kept plain so its planner still walks an index; PostgreSQL sorts NULLs highest
        unless told."""
        return f"{expression} {'desc' if descending else 'asc'}"

    def insert_ignore(self, table: str, columns: str, values: str) -> str:
        """An insert that does nothing where a unique key already holds the row."""
        return f"insert into {table} ({columns}) values ({values}) on conflict do nothing"

    # --- spelt differently ------------------------------------------------------------------------
    # A statement: foreign keys checked at commit from here to the end of the transaction.
    # (PostgreSQL defers only constraints made DEFERRABLE; savedesk's are not yet.)
    defer_foreign_keys = "pragma defer_foreign_keys = on"

    def truncate(self, expression: str) -> str:
        """A number as an integer, cut towards zero (PostgreSQL's cast rounds)."""
        return f"cast({expression} as integer)"

    def same(self, left: str, right: str) -> str:
        """`left` equals `right`, NULL equal to NULL (SQLite's `is`; standard SQL's
        `is not distinct from`, which SQLite learnt only in 3.39)."""
        return f"{left} is {right}"

    def nocase(self, expression: str) -> str:
        """A text expression to sort by regardless of case."""
        return f"{expression} collate nocase"

    def char(self, code: int) -> str:
        """The one-character string of a code point."""
        return f"char({int(code)})"

    def string_agg(self, expression: str, separator: str) -> str:
        """The values of `expression` joined by the literal `separator`, in the order of
        `expression` (aggregate). SQLite joins them in the order the rows come: select from an
        ordered subquery."""
        return f"group_concat({expression}, {_literal(separator)})"

    def round(self, expression: str, digits: int) -> str:
        """A number rounded to `digits` decimals (PostgreSQL rounds only numeric to digits)."""
        return f"round({expression}, {int(digits)})"

    def date_of(self, column: str) -> str:
        """The UTC day (YYYY-MM-DD) of a timestamp or date column."""
        return f"date({column})"

    def monday_of(self, column: str) -> str:
        """The Monday (YYYY-MM-DD) of the week of a timestamp or date column."""
        return (
            f"date({column}, '-' || ((cast(strftime('%w', {column}) as int) + 6) % 7) || ' days')"
        )

    def period_of(self, column: str, period: str) -> str:
        """The period label of a timestamp column: 2024-05-01, 2024-W18 (weeks begin on Monday,
        the days before a year's first Monday are week 00), 2024-05, 2024-Q2, 2024."""
        if period == "quarter":
            return (
                f"strftime('%Y', {column}) || '-Q' || "
                f"((cast(strftime('%m', {column}) as int) + 2) / 3)"
            )
        return f"strftime('{PERIOD_FORMATS[period]}', {column})"

    def seconds_between(self, start: str, end: str) -> str:
        """Seconds from one timestamp to another (a float, to the millisecond: julianday's
        days carry noise in the fifth decimal of a second, 217.99998 for 218)."""
        return f"round((julianday({end}) - julianday({start})) * 86400.0, 3)"

    def days_after(self, column: str, days: str) -> str:
        """The day (YYYY-MM-DD) `days` (an integer expression) after a date or timestamp."""
        return f"date({column}, '+' || ({days}) || ' days')"

    def day_after(self, value: str) -> str:
        """The day (YYYY-MM-DD) after a date or timestamp."""
        return f"date({value}, '+1 day')"


class PostgresDialect(Dialect):
    """PostgreSQL's spelling where it differs."""

    name = "postgresql"
    defer_foreign_keys = "set constraints all deferred"

    def order(self, expression: str, *, descending: bool = False) -> str:
        return f"{expression} desc nulls last" if descending else f"{expression} asc nulls first"

    def truncate(self, expression: str) -> str:
        return f"cast(trunc({expression}) as integer)"

    def same(self, left: str, right: str) -> str:
        return f"{left} is not distinct from {right}"

    def nocase(self, expression: str) -> str:
        return f"lower({expression})"

    def char(self, code: int) -> str:
        return f"chr({int(code)})"

    def string_agg(self, expression: str, separator: str) -> str:
        text = f"cast({expression} as text)"
        return f"string_agg({text}, {_literal(separator)} order by {text})"

    def round(self, expression: str, digits: int) -> str:
        return f"round(cast({expression} as numeric), {int(digits)})"

    @staticmethod
    def _utc(column: str) -> str:
        # the server session runs in UTC (review.store.server), as SQLite reads a bare timestamp
        return f"(cast({column} as timestamptz) at time zone 'UTC')"

    def date_of(self, column: str) -> str:
        return f"to_char({self._utc(column)}, 'YYYY-MM-DD')"

    def monday_of(self, column: str) -> str:
        return f"to_char(date_trunc('week', {self._utc(column)}), 'YYYY-MM-DD')"

    def period_of(self, column: str, period: str) -> str:
        at = self._utc(column)
        if period == "week":  # strftime's %W: (day of year - 1 + 7 - Monday-based weekday) / 7
            number = (
                f"(cast(extract(doy from {at}) as integer) + 7 "
                f"- cast(extract(isodow from {at}) as integer)) / 7"
            )
            return f"to_char({at}, 'YYYY') || '-W' || lpad(cast({number} as text), 2, '0')"
        pattern = {"day": "YYYY-MM-DD", "month": "YYYY-MM", "year": "YYYY", "quarter": 'YYYY-"Q"Q'}
        return f"to_char({at}, '{pattern[period]}')"

    def seconds_between(self, start: str, end: str) -> str:
        # via text: a parameter used both as text and here gets one type
        interval = (
            f"(cast(cast({end} as text) as timestamptz) - "
            f"cast(cast({start} as text) as timestamptz))"
        )
        return f"cast(round(extract(epoch from {interval}), 3) as double precision)"

    def days_after(self, column: str, days: str) -> str:
        return f"to_char(cast({self._utc(column)} as date) + cast({days} as integer), 'YYYY-MM-DD')"

    def day_after(self, value: str) -> str:
        return self.days_after(value, "1")


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


SQLITE = Dialect()
POSTGRESQL = PostgresDialect()


def dialect_named(name: str) -> Dialect:
    """The dialect of an engine as SQLAlchemy names it ("sqlite", "postgresql"): for a
    migration, which holds a bind rather than a Store."""
    return POSTGRESQL if name == "postgresql" else SQLITE
