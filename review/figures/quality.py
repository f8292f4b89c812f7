"""Quality scores (DOMAIN.md): the mean of review scores, overall and by agent, team, category,
channel, period and rubric version, each with its 95% interval and a "few" mark under 10.

A review with no score (nothing rated) is left out. A review counts for the agent it credits
(the reviewer may change it from the conversation's assignee); the agent filter follows that.
A team is the conversation's team (teams of one name across helpdesks are one team), as the
Team filter selects it. A category's figure is the mean of its ratings put on 0-100:
100 * (rating - min) / (max - min). When the reviews span rubric versions the quality score
says so in its note, and `quality_by_rubric_version` gives it per version. A scope
`without_disputed` leaves out reviews under open dispute, and the quality score's note says how
many.
"""

from __future__ import annotations

from review.figures.scope import REVIEW_AGENT, Scope
from review.figures.tallies import ReviewTally, review_tallies
from review.figures.values import Figure, GroupFigure, mean_figure
from review.store.dialect import PERIOD_FORMATS

RATING_PERCENT = "100.0 * (rr.rating - rc.scale_min) / (rc.scale_max - rc.scale_min)"
PERIODS = (*PERIOD_FORMATS, "quarter")


def combined(rows: list[ReviewTally]) -> Figure:
    """The quality score of tallied reviews: their mean with its 95% interval."""
    n = sum(r.n for r in rows)
    if not n:
        return mean_figure(0, None, None)
    return mean_figure(n, sum(r.total for r in rows) / n, sum(r.squares for r in rows) / n)


def _by_version(scope: Scope) -> dict[int, list[ReviewTally]]:
    by: dict[int, list[ReviewTally]] = {}
    for r in review_tallies(scope):
        by.setdefault(r.rubric_id, []).append(r)
    return dict(sorted(by.items(), key=lambda kv: (kv[1][0].rubric, kv[1][0].version)))


def _version_label(name: str, version: int) -> str:
    return f"{name} v{version}"


def quality_score(scope: Scope) -> Figure:
    """Mean review score (0-100) with its 95% interval; n = scored reviews. When the reviews
    were made under more than one rubric version, the note names them with their n."""
    versions = _by_version(scope)
    figure = combined(review_tallies(scope))
    if len(versions) > 1:
        parts = ", ".join(
            f"{_version_label(rows[0].rubric, rows[0].version)}: n={sum(r.n for r in rows)}"
            for rows in versions.values()
        )
        figure = figure.noted(f"reviews span {len(versions)} rubric versions ({parts})")
    left_out = scope.disputed_left_out()
    if left_out:
        said = f"{left_out} review{'s' * (left_out != 1)} under open dispute left out"
        figure = figure.noted(f"{figure.note}; {said}" if figure.note else said)
    return figure


def quality_by_rubric_version(scope: Scope) -> list[GroupFigure]:
    """Quality score per rubric version the reviews were made under (key: rubric id)."""
    return [
        GroupFigure(rid, _version_label(rows[0].rubric, rows[0].version), combined(rows))
        for rid, rows in _by_version(scope).items()
    ]


def _tallied(scope: Scope, key: str, missing: str) -> list[GroupFigure]:
    by: dict = {}
    for r in review_tallies(scope):
        k = getattr(r, key)
        by.setdefault(k, []).append(r)
    label = "agent" if key == "agent_id" else "team"
    return sorted(
        (
            GroupFigure(k, getattr(rows[0], label) or missing, combined(rows))
            for k, rows in by.items()
        ),
        key=lambda g: (g.key is None, str(g.label).casefold()),
    )


def _grouped(
    scope: Scope, key: str, label: str, joins: str = "", missing: str = "(none)"
) -> list[GroupFigure]:
    where, params = scope.where(REVIEW_AGENT)
    rows = scope.db.execute(
        f"""select {key} as k, {label} as label, count(*), avg(r.score), avg(r.score * r.score)
            from reviews r join conversations c on c.id = r.conversation_id {joins}
            where r.score is not null and {where} and {scope.reviews_kept("r")}
            group by k order by {scope.db.dialect.order("k")}""",
        params,
    ).fetchall()
    return [
        GroupFigure(k, lab if lab is not None else missing, mean_figure(n, m, m2))
        for k, lab, n, m, m2 in rows
    ]


def quality_by_agent(scope: Scope) -> list[GroupFigure]:
    """Quality score per agent credited (key: agent id, label: name)."""
    return _tallied(scope, "agent_id", "(no agent)")


def quality_by_team(scope: Scope) -> list[GroupFigure]:
    """Quality score per team of the conversation, by the team's name (key and label)."""
    return _tallied(scope, "team", "(no team)")


def quality_by_channel(scope: Scope) -> list[GroupFigure]:
    """Quality score per channel of the conversation."""
    return _grouped(scope, "c.channel", "coalesce(c.channel, 'unknown')")


def quality_by_period(scope: Scope, period: str = "month") -> list[GroupFigure]:
    """Quality score per day, week ("2024-W18"), month, quarter ("2024-Q2") or year of the
    conversation's creation."""
    if period not in PERIODS:
        raise ValueError(f"period must be one of {', '.join(PERIODS)}")
    key = scope.db.dialect.period_of("c.created_at", period)
    return _grouped(scope, key, key)


def quality_by_category(scope: Scope) -> list[GroupFigure]:
    """Mean rating per rubric category on 0-100 (categories of every rubric version merged by
    name, in rubric order); n = ratings (N/A and unrated left out)."""
    where, params = scope.where(REVIEW_AGENT)
    rows = scope.db.execute(
        f"""select rc.name, count(*), avg({RATING_PERCENT}), avg(({RATING_PERCENT}) *
                   ({RATING_PERCENT})), min(rc.position) as pos
            from reviews r join conversations c on c.id = r.conversation_id
            join review_ratings rr on rr.review_id = r.id
            join rubric_categories rc on rc.id = rr.category_id
            where rr.rating is not null and rr.is_na = 0 and rc.scale_max > rc.scale_min
              and {where} and {scope.reviews_kept("r")}
            group by rc.name order by pos, rc.name""",
        params,
    ).fetchall()
    return [GroupFigure(name, name, mean_figure(n, m, m2)) for name, n, m, m2, _ in rows]
