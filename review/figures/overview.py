"""Every figure of DOMAIN.md for one set of conversations, read once: what the dashboard shows,
what `savedesk stats` prints, and what each report leads with.

`overview(db, filters)` reads the settings once (review.figures.scope) and asks each question
once; the surfaces only lay out what it returns, so they cannot disagree.
"""

from __future__ import annotations

from dataclasses import dataclass

from review.figures.auto_quality import AutoQuality, auto_quality
from review.figures.coverage import Coverage, coverage
from review.figures.customers import ContactRetention, contact_retention, customer_rates
from review.figures.lost import LostTotals, ReasonFigure, lost_mrr_by_reason, lost_totals, save_rate
from review.figures.outcomes import (
    EVERYONE,
    CategoryOutcome,
    RetentionRow,
    category_saved_vs_lost,
    quality_beside_retention,
)
from review.figures.quality import quality_by_rubric_version, quality_score
from review.figures.responsiveness import (
    ResponseTimes,
    fcr,
    first_response_times,
    resolution_rate,
)
from review.figures.satisfaction import csat, nps
from review.figures.saved import SavedTotals, WeekSaves, save_currencies, saved_mrr_by_week
from review.figures.saved import saved_totals as read_saved_totals
from review.figures.scope import Scope, read_scope
from review.figures.targets import judge, targets_as_dict
from review.figures.values import Figure, GroupFigure
from review.filters import Filters
from review.store import Store

# The keys under which `Overview.as_dict` gives a single figure ({value, n, unit, ...}).
FIGURE_KEYS = (
    "quality_score",
    "auto_quality_score",
    "auto_quality_score_bots",
    "saved_mrr",
    "saved_arr",
    "saved_mrr_confirmed",
    "saved_arr_confirmed",
    "saved_mrr_pending",
    "saved_arr_pending",
    "lost_mrr",
    "lost_arr",
    "lost_mrr_preventable",
    "right_outcomes_mrr",
    "losses_preventable_share",
    "net_mrr",
    "save_rate",
    "nps",
    "csat",
    "fcr",
    "first_response_median_s",
    "first_response_p90_s",
    "first_reply_chat_median_s",
    "resolution_rate",
    "crr",
    "churn_rate",
    "churn_rate_adjusted",
)


@dataclass(frozen=True)
class Overview:
    """Every headline figure for one scope. Money is in the base currency (see `coverage`)."""

    coverage: Coverage
    conversations: int
    saved: SavedTotals
    lost: LostTotals
    net_mrr: Figure  # saved MRR (not failed) - lost MRR (right outcomes left out)
    save_rate: Figure
    quality: Figure
    quality_by_version: tuple[GroupFigure, ...]
    auto_quality: AutoQuality  # the rules' score, beside people's, never in it
    csat: Figure
    nps: Figure
    fcr: Figure
    resolution_rate: Figure
    first_response: ResponseTimes
    first_reply_chat: ResponseTimes
    crr: Figure
    churn_rate: Figure
    churn_rate_adjusted: Figure
    contacts: ContactRetention
    weeks: tuple[WeekSaves, ...]
    week_currency: str | None  # set when the weekly series is one currency of several
    reasons: tuple[ReasonFigure, ...]
    agents: tuple[RetentionRow, ...]
    teams: tuple[RetentionRow, ...]
    everyone: RetentionRow
    categories: tuple[CategoryOutcome, ...]

    @property
    def losses(self) -> tuple[ReasonFigure, ...]:
        """The reasons that are losses (the Pareto's bars), largest first."""
        return tuple(r for r in self.reasons if not r.right_outcome)

    @property
    def right_outcomes(self) -> tuple[ReasonFigure, ...]:
        """The reasons that are the right outcome (Not a fit), reported apart."""
        return tuple(r for r in self.reasons if r.right_outcome)

    def as_dict(self) -> dict:
        """Every figure as plain data (`savedesk stats --json`): each a {value, n, unit, and
        low, high, few where sampled}, keyed as DOMAIN.md names them."""
        c = self.coverage
        figures = {
            "quality_score": self.quality.as_dict(),
            "auto_quality_score": self.auto_quality.people.as_dict(),
            "auto_quality_score_bots": self.auto_quality.bots.as_dict(),
            **self.saved.as_dict(),
            **self.lost.as_dict(),
            "net_mrr": self.net_mrr.as_dict(),
            "save_rate": self.save_rate.as_dict(),
            "lost_mrr_by_reason": [{"reason": r.label, **r.figure.as_dict()} for r in self.losses],
            "right_outcomes_by_reason": [
                {"reason": r.label, **r.figure.as_dict()} for r in self.right_outcomes
            ],
            "nps": {**self.nps.as_dict(), "judged": judge("nps", self.nps)},
            "csat": {**self.csat.as_dict(), "judged": judge("csat", self.csat)},
            "fcr": self.fcr.as_dict(),
            "first_response_median_s": self.first_response.median.as_dict(),
            "first_response_p90_s": self.first_response.p90.as_dict(),
            "first_reply_chat_median_s": {
                **self.first_reply_chat.median.as_dict(),
                "judged": judge("first_reply_chat", self.first_reply_chat.median),
            },
            "resolution_rate": {
                **self.resolution_rate.as_dict(),
                "judged": judge("resolution_rate", self.resolution_rate),
            },
            "crr": self.crr.as_dict(),
            "churn_rate": {
                **self.churn_rate.as_dict(),
                "judged": judge("churn_rate", self.churn_rate),
            },
            "churn_rate_adjusted": self.churn_rate_adjusted.as_dict(),
            "contact_retention": self.contacts.as_dict(),
            "quality_by_rubric_version": [
                {"rubric": g.label, **g.figure.as_dict()} for g in self.quality_by_version
            ],
            "quality_beside_retention": {
                "all": self.everyone.as_dict(),
                "agents": [r.as_dict() for r in self.agents],
                "teams": [r.as_dict() for r in self.teams],
            },
            "categories_saved_vs_lost": [k.as_dict() for k in self.categories],
        }
        return {
            "period": c.period,
            "filters": c.filters,
            "exchange_rates": c.rates,
            "conversations": self.conversations,
            "targets": targets_as_dict(),
            **figures,
        }


def weekly_series(scope: Scope) -> tuple[list[WeekSaves], str | None]:
    """Saved MRR by week in the base currency; where some currency has no exchange rate, the
    commonest currency alone (named as the second value)."""
    weeks = saved_mrr_by_week(scope)
    figures = [f for w in weeks for f in (w.confirmed, w.pending) if f.n]
    if any(f.value is None for f in figures) or len({f.unit for f in figures}) > 1:
        currency = save_currencies(scope)[0][0]
        return saved_mrr_by_week(scope, currency), currency
    return weeks, None


def overview(
    db: Store,
    filters: Filters | None = None,
    *,
    made_on: str | None = None,
    without_disputed: bool = False,
) -> Overview:
    """Every headline figure for the conversations `filters` selects (all when None);
    `without_disputed` leaves reviews under open dispute out of the quality figures."""
    return overview_of(read_scope(db, filters, without_disputed=without_disputed), made_on=made_on)


def overview_of(scope: Scope, *, made_on: str | None = None, team: str | None = None) -> Overview:
    """Every headline figure of `scope` (its settings already read); `team`: the team line of
    its coverage (default: the filters' teams)."""
    saved = read_saved_totals(scope)
    lost = lost_totals(scope)
    rate = save_rate(scope)
    quality = quality_score(scope)
    resolution = resolution_rate(scope)
    customers = customer_rates(scope)
    weeks, week_currency = weekly_series(scope)
    currencies = tuple(
        sorted({c for f in (saved.mrr, lost.mrr, lost.right_outcomes) for c in (f.parts or {})})
    )
    return Overview(
        coverage=coverage(scope, currencies=currencies, made_on=made_on, team=team),
        conversations=resolution.n,
        saved=saved,
        lost=lost,
        net_mrr=scope.rates.difference(saved.mrr, lost.mrr),
        save_rate=rate,
        quality=quality,
        quality_by_version=tuple(quality_by_rubric_version(scope)),
        auto_quality=auto_quality(scope),
        csat=csat(scope),
        nps=nps(scope),
        fcr=fcr(scope),
        resolution_rate=resolution,
        first_response=first_response_times(scope),
        first_reply_chat=first_response_times(scope, "chat"),
        crr=customers.crr,
        churn_rate=customers.churn,
        churn_rate_adjusted=customers.churn_adjusted,
        contacts=contact_retention(scope),
        weeks=tuple(weeks),
        week_currency=week_currency,
        reasons=tuple(lost_mrr_by_reason(scope)),
        agents=tuple(quality_beside_retention(scope, "agent")),
        teams=tuple(quality_beside_retention(scope, "team")),
        everyone=RetentionRow(
            None, EVERYONE, quality, rate, saved.mrr, lost.mrr, lost.right_outcomes.n
        ),
        categories=tuple(category_saved_vs_lost(scope)),
    )
