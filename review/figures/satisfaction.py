"""What customers said: NPS and CSAT from the ratings the helpdesk exports carried, each with
its 95% interval. Both come from one pass over the ratings of the scope."""

from __future__ import annotations

from review.figures.scope import Scope
from review.figures.values import Figure, nps_figure, rate_figure


def _ratings(scope: Scope) -> dict[str, tuple[int, int, int, int]]:
    """kind -> (answers, positive, promoters, detractors) of the scope's CSAT and NPS."""

    def count() -> dict[str, tuple[int, int, int, int]]:
        if scope.filters.is_empty():
            params: dict[str, object] = {}
            join, where = "", "r.conversation_id is not null"
        else:
            join, joined = scope.conversations_of("r")
            where, params = scope.where()
            where = f"{joined} and {where}"
        rows = scope.db.execute(
            f"""select r.kind,
                       count(case when r.kind = 'csat' and r.positive is not null
                                    or r.kind = 'nps' and r.score is not null then 1 end),
                       sum(case when r.kind = 'csat' and r.positive = 1 then 1 else 0 end),
                       sum(case when r.kind = 'nps' and r.score >= 9 then 1 else 0 end),
                       sum(case when r.kind = 'nps' and r.score <= 6 then 1 else 0 end)
                from ratings r {join}
                where r.kind in ('csat', 'nps') and {where} group by r.kind""",
            params,
        ).fetchall()
        return {kind: tuple(values) for kind, *values in rows}

    return scope.once("ratings", count)


def nps(scope: Scope) -> Figure:
    """% promoters (9-10) - % detractors (0-6) of the 0-10 answers; n = answers."""
    n, _, promoters, detractors = _ratings(scope).get("nps", (0, 0, 0, 0))
    return nps_figure(n, promoters, detractors)


def csat(scope: Scope) -> Figure:
    """% of satisfaction ratings that are positive (good, or 4-5 of 5); n = ratings."""
    n, positive, _, _ = _ratings(scope).get("csat", (0, 0, 0, 0))
    return rate_figure(positive, n)
