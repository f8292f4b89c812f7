"""What a set of figures covers, stated the same way on every surface: the period, the filters
in words (agents and teams by name), the teams, the exchange rates, the day it was made.

DOMAIN.md: every figure in a report says the period, the filters, and how many conversations or
reviews it rests on; money totals name the rates they were converted at.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from review.figures.scope import Scope
from review.filters import Filters


@dataclass(frozen=True)
class Coverage:
    """The period, filters, teams and exchange rates of a figure set, and when it was made.

    `subject`: the agent of a coaching review. `masked`: customers' details are masked in
    what follows (set by a report that masks them).
    """

    period: str
    filters: str
    team: str
    rates: str
    made_on: str
    subject: str | None = None
    masked: bool = False


def period_text(filters: Filters) -> str:
    """The period the filters' dates cover, in words."""
    if filters.date_from and filters.date_to:
        return f"{filters.date_from} to {filters.date_to}"
    if filters.date_from:
        return f"from {filters.date_from}"
    if filters.date_to:
        return f"until {filters.date_to}"
    return "all time"


def _names(scope: Scope, table: str, ids: tuple[int, ...]) -> list[str]:
    if not ids:
        return []
    marks = ", ".join(f":id{i}" for i in range(len(ids)))
    found = dict(
        scope.db.execute(
            f"select id, coalesce(name, external_id) from {table} where id in ({marks})",
            {f"id{i}": int(v) for i, v in enumerate(ids)},
        ).fetchall()
    )
    names: list[str] = []
    for i in ids:
        name = found.get(i) or f"#{i}"
        if name not in names:  # a team of one name in several helpdesks is named once
            names.append(name)
    return names


def filters_text(scope: Scope) -> str:
    """The filters in words, agents and teams by name ("all conversations" when none)."""
    f = scope.filters
    parts = []
    agents = _names(scope, "agents", f.agent_ids)
    teams = _names(scope, "teams", f.team_ids)
    rest = replace(f, agent_ids=(), team_ids=())
    if rest.date_from or rest.date_to:
        parts.append(f"created {rest.date_from or '…'} to {rest.date_to or '…'}")
        rest = replace(rest, date_from=None, date_to=None)
    if agents:
        parts.append(f"agents: {', '.join(agents)}")
    if teams:
        parts.append(f"teams: {', '.join(teams)}")
    if not rest.is_empty():
        parts.append(rest.describe())
    return "; ".join(parts) if parts else "all conversations"


def coverage(
    scope: Scope,
    *,
    currencies: tuple[str, ...] = (),
    made_on: str | None = None,
    team: str | None = None,
    subject: str | None = None,
) -> Coverage:
    """The coverage of `scope`; `currencies`: those its money figures add up (their rates are
    named); `team`: the team line (default: the filters' teams, or "All teams")."""
    if team is None:
        team = ", ".join(_names(scope, "teams", scope.filters.team_ids)) or "All teams"
    rates = scope.rates.used(currencies)
    if scope.rates.base:
        rates = f"in {scope.rates.base}" + (f" at {rates}" if rates else "")
    elif len(set(currencies)) > 1:
        rates = "no exchange rates set: money is totalled per currency"
    else:
        rates = "one currency, no conversion"
    return Coverage(
        period_text(scope.filters),
        filters_text(scope),
        team,
        rates,
        made_on or date.today().isoformat(),
        subject,
    )


def quarters(scope: Scope) -> list[tuple[str, str, str]]:
    """(label "2024 Q2", first day, last day) of every quarter from the first conversation to
    the last, newest first: the periods a page offers to look at."""
    first, last = scope.db.execute(
        "select min(created_at), max(created_at) from conversations"
    ).fetchone()
    if not first or not last:
        return []
    out = []
    year, quarter = int(first[:4]), (int(first[5:7]) - 1) // 3
    end = (int(last[:4]), (int(last[5:7]) - 1) // 3)
    while (year, quarter) <= end:
        start = date(year, 3 * quarter + 1, 1)
        after = date(year + (quarter == 3), (3 * quarter + 3) % 12 + 1, 1)
        out.append(
            (
                f"{year} Q{quarter + 1}",
                start.isoformat(),
                date.fromordinal(after.toordinal() - 1).isoformat(),
            )
        )
        year, quarter = (year + 1, 0) if quarter == 3 else (year, quarter + 1)
    return out[::-1]
