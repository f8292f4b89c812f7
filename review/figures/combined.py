"""The two figures no QA tool offers, because none tracks retention: quality next to
retention per agent, and per rubric category the mean rating in conversations that ended saved
against those that ended lost (the behaviours that keep customers). Also every figure at once
for `savedesk stats --json`.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlite_utils import Database

from review.figures.figure import Figure, mean_figure, money_figure, percent, scope
from review.figures.quality import RATING_PERCENT, REVIEW_AGENT, quality_score
from review.figures.responsiveness import fcr, first_response_times, resolution_rate
from review.figures.retention import (
    churn_rate,
    crr,
    lost_mrr,
    lost_mrr_by_reason,
    save_rate,
    saved_arr,
    saved_mrr,
)
from review.figures.satisfaction import csat, nps
from review.filters import Filters


@dataclass(frozen=True)
class AgentRetention:
    """One agent: quality score beside saves, losses, save rate and saved MRR (not failed)."""

    agent_id: int
    name: str
    quality: Figure
    saves: int
    losses: int
    save_rate: Figure
    saved_mrr: Figure


@dataclass(frozen=True)
class CategoryOutcome:
    """One rubric category: mean rating (0-100) where the customer was saved, and where lost."""

    category: str
    saved: Figure
    lost: Figure

    @property
    def difference(self) -> float | None:
        """Saved minus lost, in points; None unless both have data."""
        if self.saved.value is None or self.lost.value is None:
            return None
        return self.saved.value - self.lost.value


_AGENT_SQL = """
with q as (
    select {review_agent} as a, count(*) as n, avg(r.score) as m, avg(r.score * r.score) as m2
    from reviews r join conversations c on c.id = r.conversation_id
    where r.score is not null and {review_where} group by a
),
s as (
    select coalesce(s.agent_id, c.agent_id) as a, count(*) as n, sum(s.status <> 'failed') as kept
    from saves s join conversations c on c.id = s.conversation_id where {save_where} group by a
),
l as (
    select coalesce(l.agent_id, c.agent_id) as a, count(*) as n
    from losses l join conversations c on c.id = l.conversation_id where {loss_where} group by a
),
ids as (select a from q union select a from s union select a from l)
select ids.a, coalesce(ag.name, ag.email, ag.external_id), q.n, q.m, q.m2,
       coalesce(s.n, 0), coalesce(s.kept, 0), coalesce(l.n, 0)
from ids left join q on q.a = ids.a left join s on s.a = ids.a left join l on l.a = ids.a
left join agents ag on ag.id = ids.a
where ids.a is not null
order by 2, 1
"""


def quality_retention_by_agent(db: Database, filters: Filters) -> list[AgentRetention]:
    """Per agent: quality score (with interval), saves, losses, save rate and saved MRR."""
    review_where, params = scope(filters, REVIEW_AGENT)
    save_where, _ = scope(filters, "coalesce(s.agent_id, c.agent_id)")
    loss_where, _ = scope(filters, "coalesce(l.agent_id, c.agent_id)")
    rows = db.execute(
        _AGENT_SQL.format(
            review_agent=REVIEW_AGENT,
            review_where=review_where,
            save_where=save_where,
            loss_where=loss_where,
        ),
        params,
    ).fetchall()
    money: dict[int, list] = {}
    for agent, currency, count, cents in db.execute(
        f"""select coalesce(s.agent_id, c.agent_id) as a, s.currency, count(*), sum(s.mrr_cents)
            from saves s join conversations c on c.id = s.conversation_id
            where s.status <> 'failed' and {save_where} group by a, s.currency""",
        params,
    ):
        money.setdefault(agent, []).append((currency, count, cents))
    return [
        AgentRetention(
            agent,
            name or f"agent {agent}",
            mean_figure(qn, qm, qm2),
            saves,
            losses,
            percent(kept, saves + losses),
            money_figure(db, money.get(agent, [])),
        )
        for agent, name, qn, qm, qm2, saves, kept, losses in rows
    ]


_CATEGORY_SQL = """
with outcome as (
    select conversation_id as cid, 'saved' as o from saves where status <> 'failed'
    union select conversation_id, 'lost' from losses
    union select conversation_id, 'lost' from saves where status = 'failed'
)
select rc.name, o.o, count(*), avg({pct}), avg(({pct}) * ({pct})), min(rc.position) as pos
from review_ratings rr join reviews r on r.id = rr.review_id
join rubric_categories rc on rc.id = rr.category_id
join conversations c on c.id = r.conversation_id
join outcome o on o.cid = c.id
where rr.rating is not null and rr.is_na = 0 and rc.scale_max > rc.scale_min and {where}
group by rc.name, o.o
order by pos, rc.name
"""


def category_saved_vs_lost(db: Database, filters: Filters) -> list[CategoryOutcome]:
    """Per rubric category, the mean rating in reviewed conversations that ended saved (a save
    that has not failed) against those that ended lost (a loss or a failed save), largest
    difference first: the behaviours that keep customers."""
    where, params = scope(filters, REVIEW_AGENT)
    found: dict[str, dict[str, Figure]] = {}
    for name, outcome, n, m, m2, _ in db.execute(
        _CATEGORY_SQL.format(pct=RATING_PERCENT, where=where), params
    ):
        found.setdefault(name, {})[outcome] = mean_figure(n, m, m2)
    empty = mean_figure(0, None, None)
    result = [
        CategoryOutcome(name, parts.get("saved", empty), parts.get("lost", empty))
        for name, parts in found.items()
    ]
    result.sort(key=lambda c: (c.difference is None, -(c.difference or 0)))
    return result


def all_metrics(db: Database, filters: Filters) -> dict[str, Figure]:
    """Every headline figure of DOMAIN.md under the keys `savedesk stats --json` prints."""
    times = first_response_times(db, filters)
    reasons = lost_mrr_by_reason(db, filters)
    lost = lost_mrr(db, filters)
    return {
        "quality_score": quality_score(db, filters),
        "saved_mrr": saved_mrr(db, filters),
        "saved_arr": saved_arr(db, filters),
        "saved_mrr_confirmed": saved_mrr(db, filters, confirmed_only=True),
        "saved_arr_confirmed": saved_arr(db, filters, confirmed_only=True),
        "lost_mrr": lost,
        "lost_mrr_by_reason": _reasons_figure(lost, reasons),
        "save_rate": save_rate(db, filters),
        "nps": nps(db, filters),
        "csat": csat(db, filters),
        "fcr": fcr(db, filters),
        "first_response_median_s": times.median,
        "first_response_p90_s": times.p90,
        "resolution_rate": resolution_rate(db, filters),
        "crr": crr(db, filters),
        "churn_rate": churn_rate(db, filters),
        "churn_rate_adjusted": churn_rate(db, filters, adjusted=True),
    }


@dataclass(frozen=True)
class ReasonsFigure(Figure):
    """Total lost MRR with the per-reason rows, largest first."""

    rows: tuple = ()

    def as_dict(self) -> dict:
        out = super().as_dict()
        out["by_reason"] = [{"reason": r.label, **r.figure.as_dict()} for r in self.rows]
        return out


def _reasons_figure(total: Figure, reasons: list) -> ReasonsFigure:
    return ReasonsFigure(
        total.value, total.n, total.unit, total.low, total.high, total.parts, tuple(reasons)
    )
