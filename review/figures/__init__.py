"""Every figure of DOMAIN.md's table, each a `Figure(value, n)`: value None is "no data".

Each figure is one aggregate query over the conversations a `Filters` selects (see the theme
modules: retention, satisfaction, responsiveness, quality, combined).
"""

from __future__ import annotations

from review.figures.combined import (
    AgentRetention,
    CategoryOutcome,
    all_metrics,
    category_saved_vs_lost,
    quality_retention_by_agent,
)
from review.figures.figure import FEW_REVIEWS, Figure
from review.figures.quality import (
    GroupFigure,
    quality_by_agent,
    quality_by_category,
    quality_by_channel,
    quality_by_period,
    quality_by_team,
    quality_score,
)
from review.figures.responsiveness import (
    ResponseTimes,
    fcr,
    first_response_times,
    resolution_rate,
)
from review.figures.retention import (
    CustomerCounts,
    ReasonFigure,
    churn_rate,
    contact_retention,
    crr,
    customer_counts,
    lost_mrr,
    lost_mrr_by_reason,
    save_rate,
    saved_arr,
    saved_mrr,
)
from review.figures.satisfaction import csat, nps
from review.lookup import find_agent_ids, find_team_ids

__all__ = [
    "FEW_REVIEWS",
    "AgentRetention",
    "CategoryOutcome",
    "CustomerCounts",
    "Figure",
    "GroupFigure",
    "ReasonFigure",
    "ResponseTimes",
    "all_metrics",
    "category_saved_vs_lost",
    "churn_rate",
    "contact_retention",
    "crr",
    "csat",
    "customer_counts",
    "fcr",
    "find_agent_ids",
    "find_team_ids",
    "first_response_times",
    "lost_mrr",
    "lost_mrr_by_reason",
    "nps",
    "quality_by_agent",
    "quality_by_category",
    "quality_by_channel",
    "quality_by_period",
    "quality_by_team",
    "quality_retention_by_agent",
    "quality_score",
    "resolution_rate",
    "save_rate",
    "saved_arr",
    "saved_mrr",
]
