"""Series for the dashboard's charts, and the conversations under each bar.

Saved MRR by week is split into confirmed and pending (failed saves kept nothing), each week
a `Figure` in the base currency when exchange rates are set, like `saved_mrr`. The `*_ids`
functions answer "which conversations make up this bar", so a click on a chart can list them:
each uses the same scope (filters, credited agent) as the figure it explains.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlite_utils import Database

from review.figures.figure import Figure, money_figure, scope
from review.figures.quality import REVIEW_AGENT
from review.filters import Filters

SAVE_AGENT = "coalesce(s.agent_id, c.agent_id)"
LOSS_AGENT = "coalesce(l.agent_id, c.agent_id)"
# Monday of the week of a YYYY-MM-DD column (strftime %w: Sunday = 0).
_MONDAY = "date({col}, '-' || ((cast(strftime('%w', {col}) as int) + 6) % 7) || ' days')"
SAVE_STATUSES = ("confirmed", "pending")


@dataclass(frozen=True)
class WeekSaves:
    """Saved MRR of one Monday-started week (by the save's date), confirmed and pending.

    A week with no save of a status has `Figure(None, 0)`: nothing was saved, and the chart
    draws no bar rather than a bar of 0.
    """

    week: str  # the Monday, YYYY-MM-DD
    confirmed: Figure
    pending: Figure

    @property
    def n(self) -> int:
        """Saves this week (confirmed and pending)."""
        return self.confirmed.n + self.pending.n


def save_currencies(db: Database, filters: Filters) -> list[tuple[str, int]]:
    """(currency, saves) of the pending and confirmed saves in scope, most saves first."""
    where, params = scope(filters, SAVE_AGENT)
    return [
        (cur, n)
        for cur, n in db.execute(
            f"""select s.currency, count(*) from saves s
                join conversations c on c.id = s.conversation_id
                where s.status in ('pending', 'confirmed') and {where}
                group by s.currency order by count(*) desc, s.currency""",
            params,
        )
    ]


def saved_mrr_by_week(
    db: Database, filters: Filters, currency: str | None = None
) -> list[WeekSaves]:
    """Saved MRR per week from the first week with a save to the last, empty weeks included.

    Only saves in `currency` when given (for a chart when several currencies have no exchange
    rate: a week's figure would then be None with `parts`, see `money_figure`).
    """
    where, params = scope(filters, SAVE_AGENT)
    if currency is not None:
        where += " and s.currency = :series_currency"
        params["series_currency"] = currency
    monday = _MONDAY.format(col="s.saved_on")
    rows = db.execute(
        f"""select {monday} as week, s.status, s.currency, count(*), sum(s.mrr_cents)
            from saves s join conversations c on c.id = s.conversation_id
            where s.status in ('pending', 'confirmed') and s.saved_on is not null and {where}
            group by week, s.status, s.currency order by week""",
        params,
    ).fetchall()
    by: dict[tuple[str, str], list] = {}
    for week, status, cur, n, cents in rows:
        by.setdefault((week, status), []).append((cur, n, cents))
    if not by:
        return []
    weeks = sorted({week for week, _ in by})
    out = []
    day, last = date.fromisoformat(weeks[0]), date.fromisoformat(weeks[-1])
    while day <= last:
        key = day.isoformat()
        confirmed, pending = (money_figure(db, by.get((key, s), [])) for s in SAVE_STATUSES)
        out.append(WeekSaves(key, confirmed, pending))
        day += timedelta(days=7)
    return out


def _ids(db: Database, sql: str, params: dict) -> list[int]:
    return [row[0] for row in db.execute(sql, params)]


def saved_week_conversation_ids(
    db: Database,
    filters: Filters,
    week: str,
    status: str | None = None,
    currency: str | None = None,
) -> list[int]:
    """Conversations with a save of `status` ("confirmed", "pending"; None: either) dated in
    the week starting on Monday `week` (YYYY-MM-DD), in `currency` when given."""
    where, params = scope(filters, SAVE_AGENT)
    statuses = (status,) if status else SAVE_STATUSES
    params.update(week=week, **{f"st{i}": s for i, s in enumerate(statuses)})
    marks = ", ".join(f":st{i}" for i in range(len(statuses)))
    if currency is not None:
        where += " and s.currency = :series_currency"
        params["series_currency"] = currency
    return _ids(
        db,
        f"""select distinct c.id from saves s join conversations c on c.id = s.conversation_id
            where s.status in ({marks}) and {_MONDAY.format(col="s.saved_on")} = :week
              and {where} order by c.id""",
        params,
    )


def lost_reason_conversation_ids(db: Database, filters: Filters, reason_id: int) -> list[int]:
    """Conversations with a loss tagged with `reason_id` (a bar of the Pareto chart)."""
    where, params = scope(filters, LOSS_AGENT)
    params["reason"] = reason_id
    return _ids(
        db,
        f"""select distinct c.id from losses l join conversations c on c.id = l.conversation_id
            where l.reason_id = :reason and {where} order by c.id""",
        params,
    )


def reviewed_conversation_ids(db: Database, filters: Filters, agent_id: int | None) -> list[int]:
    """Conversations with a scored review credited to `agent_id` (a bar of quality by agent;
    None: reviews crediting no agent)."""
    where, params = scope(filters, REVIEW_AGENT)
    params["credited"] = agent_id
    return _ids(
        db,
        f"""select distinct c.id from reviews r join conversations c on c.id = r.conversation_id
            where r.score is not null and {REVIEW_AGENT} is :credited and {where}
            order by c.id""",
        params,
    )
