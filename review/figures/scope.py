"""What every question of the figures layer takes: which conversations (a Filters), on which
store, at which exchange rates, with which loss reasons counting as the right outcome.

`read_scope` reads the settings once; every figure of a set then shares them (the dashboard's
set no longer re-reads the rates per statement). `Scope.where` gives the SQL condition of the
filters over conversations `c`, with the agent filter following the agent a review, save or
loss credits (the reviewer may credit someone other than the assignee).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from typing import TypeVar

from review.figures.money import ExchangeRates
from review.filters import Filters, conversation_where
from review.retention.losses import RIGHT_OUTCOME
from review.retention.settings import exchange_rates
from review.store import Store

# The agent each record credits: the one it names, else the conversation's assignee.
REVIEW_AGENT = "coalesce(r.agent_id, c.agent_id)"
SAVE_AGENT = "coalesce(s.agent_id, c.agent_id)"
LOSS_AGENT = "coalesce(l.agent_id, c.agent_id)"
CONVERSATION_AGENT = "c.agent_id"


T = TypeVar("T")


@dataclass(frozen=True)
class Scope:
    """A store, the conversations `filters` select, and the settings read for them once.

    `tallies` keeps what one query per table counted for this scope (review.figures.tallies),
    so the questions of a figure set share one pass over the saves, losses and reviews.
    """

    db: Store
    filters: Filters
    rates: ExchangeRates
    right_outcome_reasons: tuple[int, ...] = ()
    tallies: dict = field(default_factory=dict, compare=False, repr=False)
    without_disputed: bool = False  # leave out reviews under open dispute (DOMAIN.md)

    def with_filters(self, filters: Filters) -> Scope:
        """The same store and settings over other conversations (nothing is read again)."""
        return replace(self, filters=filters, tallies={})

    def once(self, key: str, make: Callable[[], T]) -> T:
        """`make()` the first time `key` is asked for in this scope, then the same value."""
        if key not in self.tallies:
            self.tallies[key] = make()
        return self.tallies[key]

    def where(self, credited: str | None = None, alias: str = "c") -> tuple[str, dict]:
        """(SQL condition, named parameters) of the filters over conversations `alias`.

        `credited` (e.g. SAVE_AGENT) makes the agent filter apply to the agent a record
        credits rather than the conversation's assignee.
        """
        f = self.filters
        if credited is None or not f.agent_ids:
            return conversation_where(f, alias)
        sql, params = conversation_where(replace(f, agent_ids=()), alias)
        names = []
        for i, agent in enumerate(f.agent_ids):
            params[f"credited{i}"] = int(agent)
            names.append(f":credited{i}")
        return f"({sql}) and {credited} in ({', '.join(names)})", params

    def conversations_of(self, alias: str) -> tuple[str, str]:
        """(join, condition) from records `alias` (reviews, saves...) to their conversations c.

        Over a long period or a team, reading every record in conversation order (from the
        covering indexes) and looking its conversation up is twice as fast as finding the
        records of each conversation selected, so the records lead (a cross join keeps
        SQLite's planner to that order; other engines are free to choose). A short period or
        chosen conversations lead from the conversations instead.
        """
        condition = f"c.id = {alias}.conversation_id"
        f = self.filters
        narrow = f.conversation_ids is not None or _days(f.date_from, f.date_to) <= NARROW_DAYS
        join = f"join conversations c on {condition}" if narrow else "cross join conversations c"
        return join, condition

    def reviews_kept(self, alias: str = "r") -> str:
        """SQL (to follow an `and`) that keeps the reviews `alias` the figures count: all, or
        with `without_disputed` those not under an open dispute. Reviews written in a
        calibration session are never counted: they are the session's, not the agent's."""
        ordinary = f"{alias}.calibration_session_id is null"
        if not self.without_disputed:
            return ordinary
        return (
            f"{ordinary} and not exists (select 1 from disputes d where d.review_id = {alias}.id "
            "and d.status = 'open')"
        )

    def disputed_left_out(self) -> int:
        """How many scored reviews of the scope `without_disputed` leaves out (0 when it
        leaves none out)."""
        if not self.without_disputed:
            return 0
        where, params = self.where(REVIEW_AGENT)
        return int(
            self.db.execute(
                f"""select count(*) from reviews r join conversations c on c.id = r.conversation_id
                    where r.score is not null and r.calibration_session_id is null and {where}
                    and exists (select 1 from disputes d
                    where d.review_id = r.id and d.status = 'open')""",
                params,
            ).scalar()
            or 0
        )

    def right_outcome(self, reason_column: str = "l.reason_id") -> str:
        """SQL that is true for a loss whose reason is the right outcome (Not a fit)."""
        ids = ", ".join(str(int(i)) for i in self.right_outcome_reasons)
        return f"{reason_column} in ({ids})" if ids else "0 = 1"


NARROW_DAYS = 45  # a period this short leads a query from its conversations


def _days(date_from: str | None, date_to: str | None) -> int:
    if not date_from or not date_to:
        return 10**6
    return (date.fromisoformat(date_to) - date.fromisoformat(date_from)).days


def read_scope(
    db: Store, filters: Filters | None = None, *, without_disputed: bool = False
) -> Scope:
    """The scope of `filters` (all conversations when None), reading the exchange rates and
    the right-outcome reasons once; `without_disputed` leaves reviews under open dispute out
    of the quality figures (and their notes say how many)."""
    base, rates = exchange_rates(db)
    right = tuple(
        r[0]
        for r in db.execute(
            "select id from loss_reasons where outcome = :outcome order by id",
            {"outcome": RIGHT_OUTCOME},
        )
    )
    return Scope(
        db, filters or Filters(), ExchangeRates(base, dict(rates)), right,
        without_disputed=without_disputed,
    )  # fmt: skip


def one(scope: Scope, sql: str, params: dict | None = None) -> tuple:
    """The single row of an aggregate query."""
    return scope.db.execute(sql, params or {}).fetchone()
