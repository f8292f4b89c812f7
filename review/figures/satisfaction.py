"""What customers said: NPS and CSAT, from the ratings the helpdesk exports carried."""

from __future__ import annotations

from sqlite_utils import Database

from review.figures.figure import Figure, one, percent, scope
from review.filters import Filters


def nps(db: Database, filters: Filters) -> Figure:
    """% promoters (9-10) - % detractors (0-6) of the 0-10 answers; n = answers."""
    where, params = scope(filters)
    n, promoters, detractors = one(
        db,
        f"""select count(*), sum(r.score >= 9), sum(r.score <= 6) from ratings r
            join conversations c on c.id = r.conversation_id
            where r.kind = 'nps' and r.score is not null and {where}""",
        params,
    )
    if not n:
        return Figure(None, 0)
    return Figure(100.0 * (promoters - detractors) / n, n)


def csat(db: Database, filters: Filters) -> Figure:
    """% of satisfaction ratings that are positive (good, or 4-5 of 5); n = ratings."""
    where, params = scope(filters)
    n, positive = one(
        db,
        f"""select count(*), sum(r.positive) from ratings r
            join conversations c on c.id = r.conversation_id
            where r.kind = 'csat' and r.positive is not null and {where}""",
        params,
    )
    return percent(positive, n)
