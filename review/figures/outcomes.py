"""Quality beside retention, the figures no QA tool offers because none tracks retention
(DOMAIN.md): per agent and team the quality score next to the save rate, saved MRR and lost MRR,
each with its n; and per rubric category the mean rating in conversations that ended saved
against those that ended lost, so a coach sees which behaviours keep customers.

A conversation ended saved when it has a save that has not failed, lost when it has a loss that
is not the right outcome, or a failed save. Right outcomes (Not a fit) are neither.
"""

from __future__ import annotations

from dataclasses import dataclass

from review.figures.quality import RATING_PERCENT, combined
from review.figures.scope import REVIEW_AGENT, Scope
from review.figures.tallies import loss_tallies, review_tallies, save_tallies
from review.figures.values import Figure, mean_figure, rate_figure

EVERYONE = "All agents"


@dataclass(frozen=True)
class RetentionRow:
    """One agent, team or everyone in scope: quality score beside save rate, saved MRR (not
    failed) and lost MRR (right outcomes left out), and how many right outcomes there were."""

    key: int | str | None
    label: str
    quality: Figure
    save_rate: Figure
    saved_mrr: Figure
    lost_mrr: Figure
    right_outcomes: int = 0

    def as_dict(self) -> dict:
        """The row with each figure as {value, n, ...}."""
        return {
            "key": self.key,
            "label": self.label,
            "quality_score": self.quality.as_dict(),
            "save_rate": self.save_rate.as_dict(),
            "saved_mrr": self.saved_mrr.as_dict(),
            "lost_mrr": self.lost_mrr.as_dict(),
            "right_outcomes": self.right_outcomes,
        }


@dataclass(frozen=True)
class CategoryOutcome:
    """One rubric category: its mean rating (0-100) where the customer was saved and where
    they were lost, each with its 95% interval and n (ratings)."""

    category: str
    saved: Figure
    lost: Figure

    @property
    def difference(self) -> float | None:
        """Saved minus lost, in points; None unless both have data."""
        if self.saved.value is None or self.lost.value is None:
            return None
        return self.saved.value - self.lost.value

    def as_dict(self) -> dict:
        """The category with both means and the difference."""
        return {
            "category": self.category,
            "saved": self.saved.as_dict(),
            "lost": self.lost.as_dict(),
            "difference": self.difference,
        }


def quality_beside_retention(scope: Scope, by: str = "agent") -> list[RetentionRow]:
    """One row per agent (`by="agent"`, the agent each record credits) or per team (the
    conversation's team), for everyone with a review, save or loss in scope; by name."""
    if by not in ("agent", "team"):
        raise ValueError("by must be 'agent' or 'team'")

    def key(r) -> int | str | None:
        return r.agent_id if by == "agent" else r.team

    rows: dict = {}

    def entry(r) -> dict:
        return rows.setdefault(key(r), {"label": r.agent if by == "agent" else r.team,
                                        "reviews": [], "saved": [], "lost": [], "kept": 0,
                                        "tagged": 0, "right": 0})  # fmt: skip

    for r in review_tallies(scope):
        entry(r)["reviews"].append(r)
    for s in save_tallies(scope):
        e = entry(s)
        e["tagged"] += s.n
        if s.kept:
            e["kept"] += s.n
            e["saved"].append((s.currency, s.n, s.cents))
    for loss in loss_tallies(scope):
        e = entry(loss)
        if loss.right_outcome:
            e["right"] += loss.n
        else:
            e["tagged"] += loss.n
            e["lost"].append((loss.currency, loss.n, loss.cents))
    missing = "(no agent)" if by == "agent" else "(no team)"
    result = [
        RetentionRow(
            k,
            e["label"] or missing,
            combined(e["reviews"]),
            rate_figure(e["kept"], e["tagged"]),
            scope.rates.total(e["saved"]),
            scope.rates.total(e["lost"]),
            e["right"],
        )
        for k, e in rows.items()
    ]
    result.sort(key=lambda r: (r.key is None, r.label.casefold(), str(r.key)))
    return result


# Driven from the few conversations that ended saved or lost (cross joins keep SQLite's
# planner from scanning every rating first); the conditions are in the where clause.
_CATEGORY_SQL = """
with outcome as (
    select s.conversation_id as cid, 'saved' as o from saves s where s.status <> 'failed'
    union select l.conversation_id, 'lost' from losses l where not ({right})
    union select s.conversation_id, 'lost' from saves s where s.status = 'failed'
)
select rc.name, o.o, count(*), avg({pct}), avg(({pct}) * ({pct})), min(rc.position) as pos
from outcome o cross join reviews r {conversations}
cross join review_ratings rr cross join rubric_categories rc
where r.conversation_id = o.cid and r.calibration_session_id is null {joined}
  and rr.review_id = r.id and rc.id = rr.category_id
  and rr.rating is not null and rr.is_na = 0 and rc.scale_max > rc.scale_min and {where}
group by rc.name, o.o
order by pos, rc.name, o.o
"""


def category_saved_vs_lost(scope: Scope) -> list[CategoryOutcome]:
    """Per rubric category (merged by name across versions), the mean rating in reviewed
    conversations that ended saved against those that ended lost, largest difference first."""
    where, params = scope.where(REVIEW_AGENT)
    joined = not scope.filters.is_empty()  # every conversation: no need to look each one up
    found: dict[str, dict[str, Figure]] = {}
    sql = _CATEGORY_SQL.format(
        pct=RATING_PERCENT,
        where=where,
        right=scope.right_outcome(),
        conversations="cross join conversations c" if joined else "",
        joined="and c.id = r.conversation_id" if joined else "",
    )
    for name, outcome, n, m, m2, _ in scope.db.execute(sql, params):
        found.setdefault(name, {})[outcome] = mean_figure(n, m, m2)
    empty = mean_figure(0, None, None)
    result = [
        CategoryOutcome(name, parts.get("saved", empty), parts.get("lost", empty))
        for name, parts in found.items()
    ]
    result.sort(key=lambda c: (c.difference is None, -(c.difference or 0)))
    return result
