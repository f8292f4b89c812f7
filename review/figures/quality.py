"""Quality scores (DOMAIN.md): the mean of review scores, overall and by agent, team, category,
channel and period, each with its 95% interval and a warning under five reviews.

A review with no score (nothing rated) is left out. A review counts for the agent it names
(the reviewer may change it from the conversation's assignee); the agent filter follows that.
A category's figure is the mean of its ratings put on 0-100: 100 * (rating - min) / (max - min).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlite_utils import Database

from review.figures.figure import Figure, mean_figure, one, scope
from review.filters import Filters

REVIEW_AGENT = "coalesce(r.agent_id, c.agent_id)"
PERIODS = {"day": "%Y-%m-%d", "week": "%Y-W%W", "month": "%Y-%m", "quarter": None, "year": "%Y"}
RATING_PERCENT = "100.0 * (rr.rating - rc.scale_min) / (rc.scale_max - rc.scale_min)"


@dataclass(frozen=True)
class GroupFigure:
    """A figure for one group: an agent, team, category, channel or period."""

    key: int | str | None
    label: str
    figure: Figure


def quality_score(db: Database, filters: Filters) -> Figure:
    """Mean review score (0-100) with its 95% interval; n = scored reviews."""
    where, params = scope(filters, REVIEW_AGENT)
    n, mean, mean_sq = one(
        db,
        f"""select count(*), avg(r.score), avg(r.score * r.score) from reviews r
            join conversations c on c.id = r.conversation_id
            where r.score is not null and {where}""",
        params,
    )
    return mean_figure(n, mean, mean_sq)


def _grouped(
    db: Database, filters: Filters, key: str, label: str, joins: str = "", missing: str = "(none)"
) -> list:
    where, params = scope(filters, REVIEW_AGENT)
    rows = db.execute(
        f"""select {key} as k, {label} as label, count(*), avg(r.score), avg(r.score * r.score)
            from reviews r join conversations c on c.id = r.conversation_id {joins}
            where r.score is not null and {where}
            group by k order by k""",
        params,
    ).fetchall()
    return [
        GroupFigure(k, lab if lab is not None else missing, mean_figure(n, m, m2))
        for k, lab, n, m, m2 in rows
    ]


def quality_by_agent(db: Database, filters: Filters) -> list[GroupFigure]:
    """Quality score per agent reviewed (key: agent id, label: name)."""
    return _grouped(
        db,
        filters,
        REVIEW_AGENT,
        "coalesce(a.name, a.email, a.external_id)",
        f"left join agents a on a.id = {REVIEW_AGENT}",
    )


def quality_by_team(db: Database, filters: Filters) -> list[GroupFigure]:
    """Quality score per team: the reviewed agent's team, else the conversation's.

    Teams are grouped by name: the same team in two helpdesks (a move from one to another,
    or chat in one and e-mail in the other) is one team; the key is that name.
    """
    team = "coalesce(a.team_id, c.team_id)"
    return _grouped(
        db,
        filters,
        "coalesce(t.name, t.external_id)",
        "coalesce(t.name, t.external_id)",
        f"left join agents a on a.id = {REVIEW_AGENT} left join teams t on t.id = {team}",
        missing="(no team)",
    )


def quality_by_channel(db: Database, filters: Filters) -> list[GroupFigure]:
    """Quality score per channel of the conversation."""
    return _grouped(db, filters, "c.channel", "coalesce(c.channel, 'unknown')")


def quality_by_period(db: Database, filters: Filters, period: str = "month") -> list[GroupFigure]:
    """Quality score per day, week ("2024-W18"), month, quarter ("2024-Q2") or year of the
    conversation's creation."""
    if period not in PERIODS:
        raise ValueError(f"period must be one of {', '.join(PERIODS)}")
    if period == "quarter":
        key = (
            "strftime('%Y', c.created_at) || '-Q' || "
            "((cast(strftime('%m', c.created_at) as int) + 2) / 3)"
        )
    else:
        key = f"strftime('{PERIODS[period]}', c.created_at)"
    return _grouped(db, filters, key, key)


def quality_by_category(db: Database, filters: Filters) -> list[GroupFigure]:
    """Mean rating per rubric category on 0-100 (categories of every rubric version merged by
    name, in rubric order); n = ratings (N/A and unrated left out)."""
    where, params = scope(filters, REVIEW_AGENT)
    rows = db.execute(
        f"""select rc.name, count(*), avg({RATING_PERCENT}), avg(({RATING_PERCENT}) *
                   ({RATING_PERCENT})), min(rc.position) as pos
            from review_ratings rr join reviews r on r.id = rr.review_id
            join rubric_categories rc on rc.id = rr.category_id
            join conversations c on c.id = r.conversation_id
            where rr.rating is not null and rr.is_na = 0 and rc.scale_max > rc.scale_min
              and {where}
            group by rc.name order by pos, rc.name""",
        params,
    ).fetchall()
    return [GroupFigure(name, name, mean_figure(n, m, m2)) for name, n, m, m2, _ in rows]
