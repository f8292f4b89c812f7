"""What customers said: NPS and CSAT from the ratings the helpdesk exports carried, each with
its 95% interval."""

from __future__ import annotations

from review.figures.scope import Scope, one
from review.figures.values import Figure, nps_figure, rate_figure


def nps(scope: Scope) -> Figure:
    """% promoters (9-10) - % detractors (0-6) of the 0-10 answers; n = answers."""
    where, params = scope.where()
    n, promoters, detractors = one(
        scope,
        f"""select count(*), sum(case when r.score >= 9 then 1 else 0 end),
                   sum(case when r.score <= 6 then 1 else 0 end)
            from ratings r join conversations c on c.id = r.conversation_id
            where r.kind = 'nps' and r.score is not null and {where}""",
        params,
    )
    return nps_figure(n, promoters, detractors)


def csat(scope: Scope) -> Figure:
    """% of satisfaction ratings that are positive (good, or 4-5 of 5); n = ratings."""
    where, params = scope.where()
    n, positive = one(
        scope,
        f"""select count(*), sum(r.positive) from ratings r
            join conversations c on c.id = r.conversation_id
            where r.kind = 'csat' and r.positive is not null and {where}""",
        params,
    )
    return rate_figure(positive, n)
