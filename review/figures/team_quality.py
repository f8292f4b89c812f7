"""Quality by team and agent, beside retention (DOMAIN.md: a manager's report): the overview's
quality, service and retention figures, quality per category, channel and rubric version, how
many reviews there are, and whether reviewers agree on the conversations several reviewed.
"""

from __future__ import annotations

from dataclasses import dataclass

from review.figures.agreement import Agreement, reviewer_agreement
from review.figures.coverage import Coverage
from review.figures.overview import Overview, overview_of
from review.figures.quality import quality_by_category, quality_by_channel
from review.figures.scope import REVIEW_AGENT, Scope, one, read_scope
from review.figures.session_agreement import SessionAgreement, closed_sessions, session_agreement
from review.figures.values import GroupFigure
from review.filters import Filters
from review.store import Store


@dataclass(frozen=True)
class TeamQuality:
    """Everything the quality report shows."""

    overview: Overview
    by_category: tuple[GroupFigure, ...]
    by_channel: tuple[GroupFigure, ...]
    reviews: int  # every review in scope, scored or not
    agreement: Agreement
    # every closed calibration session the reader may see, oldest first: each its own
    # conversations and reviewers, whatever the report's filters
    sessions: tuple[SessionAgreement, ...] = ()

    @property
    def coverage(self) -> Coverage:
        """Period, filters, teams and rates of every figure here."""
        return self.overview.coverage


def review_count(scope: Scope) -> int:
    """Reviews in scope, scored or not."""
    where, params = scope.where(REVIEW_AGENT)
    return one(
        scope,
        f"select count(*) from reviews r join conversations c on c.id = r.conversation_id "
        f"where r.calibration_session_id is null and {where}",
        params,
    )[0]


def reviewed_by_several(scope: Scope) -> list[int]:
    """Conversations in scope reviewed by two or more reviewers."""
    where, params = scope.where()
    return [
        r[0]
        for r in scope.db.execute(
            f"""select r.conversation_id from reviews r
                join conversations c on c.id = r.conversation_id
                where r.calibration_session_id is null and {where}
                group by r.conversation_id having count(distinct r.reviewer) >= 2""",
            params,
        )
    ]


def team_quality(
    db: Store, filters: Filters, *, made_on: str | None = None, team: str | None = None
) -> TeamQuality:
    """The quality figures for the conversations `filters` selects."""
    scope = read_scope(db, filters)
    return TeamQuality(
        overview_of(scope, made_on=made_on, team=team),
        tuple(quality_by_category(scope)),
        tuple(quality_by_channel(scope)),
        review_count(scope),
        reviewer_agreement(db, reviewed_by_several(scope), with_grid=False),
        tuple(session_agreement(db, s) for s in closed_sessions(db)),
    )
