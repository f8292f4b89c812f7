"""How one agent compares with their team and with everyone in scope: quality beside retention
for the three, quality over time and per category against the team, and which behaviours keep
the team's customers. The coaching page and the coaching review read this.

The agent's rows are credited to them; the team's are the conversations of their team (as the
Team filter selects them); everyone's are the scope's own, so "All agents" here is the same
figure as on the dashboard for the same filters.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from review.figures.agents import AgentInfo, agent_info
from review.figures.lost import lost_totals, save_rate
from review.figures.outcomes import (
    EVERYONE,
    CategoryOutcome,
    RetentionRow,
    category_saved_vs_lost,
)
from review.figures.quality import quality_by_category, quality_by_period, quality_score
from review.figures.saved import saved_totals
from review.figures.scope import Scope
from review.figures.values import Figure, GroupFigure, no_data


@dataclass(frozen=True)
class CategoryScore:
    """Mean score of one rubric category (0-100) for the agent and for the team."""

    category: str
    agent: Figure
    team: Figure


@dataclass(frozen=True)
class AgentComparison:
    """The agent against the team and everyone in scope."""

    agent: AgentInfo
    rows: tuple[RetentionRow, ...]  # the agent, their team (if any), everyone
    trend_period: str  # week | month
    trend: tuple[GroupFigure, ...]  # the agent's quality per period
    team_trend: tuple[GroupFigure, ...]
    categories: tuple[CategoryScore, ...]
    behaviours: tuple[CategoryOutcome, ...]  # the team's (else everyone's) saved vs lost
    behaviours_of: str  # whose behaviours: the team's name or EVERYONE

    @property
    def mine(self) -> RetentionRow:
        """The agent's own row."""
        return self.rows[0]

    @property
    def everyone(self) -> RetentionRow:
        """Everyone in scope (the same figures as the dashboard's for these filters)."""
        return self.rows[-1]


def retention_row(scope: Scope, key: int | str | None, label: str) -> RetentionRow:
    """Quality beside retention for everything `scope` selects, as one row."""
    lost = lost_totals(scope)
    return RetentionRow(
        key,
        label,
        quality_score(scope),
        save_rate(scope),
        saved_totals(scope).mrr,
        lost.mrr,
        lost.right_outcomes.n,
    )


def agent_scopes(scope: Scope, info: AgentInfo) -> tuple[Scope, Scope | None, Scope]:
    """(the agent's, the team's or None, everyone's) scopes within `scope`'s filters (any
    agent restriction in them is replaced)."""
    everyone = scope.with_filters(replace(scope.filters, agent_ids=()))
    mine = everyone.with_filters(replace(everyone.filters, agent_ids=(info.id,)))
    team = None
    if info.team_ids:
        team = everyone.with_filters(replace(everyone.filters, team_ids=info.team_ids))
    return mine, team, everyone


def agent_comparison(scope: Scope, agent_id: int, period: str | None = None) -> AgentComparison:
    """The agent `agent_id` against their team and everyone in `scope`. `period` of the
    trend: "week" or "month" (None: by week, by month over more than 16 weeks)."""
    info = agent_info(scope.db, agent_id)
    mine, team, everyone = agent_scopes(scope, info)
    team_label = f"Team {info.team_name}" if info.team_name else "Team"
    rows = [retention_row(mine, info.id, info.name)]
    if team is not None:
        rows.append(retention_row(team, info.team_name, team_label))
    rows.append(retention_row(everyone, None, EVERYONE))
    period = period or _trend_period(mine)
    trend = tuple(quality_by_period(mine, period))
    team_trend = tuple(quality_by_period(team, period)) if team is not None else ()
    by_team = {g.label: g.figure for g in quality_by_category(team)} if team is not None else {}
    categories = tuple(
        CategoryScore(g.label, g.figure, by_team.get(g.label, no_data("score", sampled=True)))
        for g in quality_by_category(mine)
    )
    whose = team if team is not None else everyone
    return AgentComparison(
        info,
        tuple(rows),
        period,
        trend,
        team_trend,
        categories,
        tuple(category_saved_vs_lost(whose)),
        team_label if team is not None else EVERYONE,
    )


def _trend_period(scope: Scope) -> str:
    weeks = quality_by_period(scope, "week")
    return "month" if len(weeks) > 16 else "week"
