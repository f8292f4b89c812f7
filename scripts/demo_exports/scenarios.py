"""The conversation model: what each scenario means (META) and the hand-written scenario texts
from resources/demo/scenarios/*.toml, with the Turn and Convo values built from them.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from datetime import datetime

from .people import Customer
from .settings import OUT

# scenario -> (weight, outcome, save method or loss reason, preventable, tags, chance of good CSAT)
META: dict[str, tuple] = {
    "billing_double_charge": (5, None, None, None, ["billing", "refund"], 0.85),
    "invoice_company_details": (4, None, None, None, ["billing", "invoice"], 0.9),
    "bug_gantt_export": (4, None, None, None, ["bug", "export"], 0.75),
    "bug_notifications": (4, None, None, None, ["bug", "notifications"], 0.8),
    "howto_recurring_tasks": (5, None, None, None, ["how-to"], 0.95),
    "howto_guest_access": (4, None, None, None, ["how-to", "permissions"], 0.92),
    "password_2fa_reset": (3, None, None, None, ["account", "security"], 0.8),
    "onboarding_import": (5, None, None, None, ["onboarding", "import"], 0.9),
    "feature_time_tracking": (4, None, None, None, ["feature-request"], 0.7),
    "seats_proration": (3, None, None, None, ["billing"], 0.9),
    "integration_slack_bug": (3, None, None, None, ["bug", "integrations"], 0.85),
    "billing_failed_payment": (3, None, None, None, ["billing"], 0.9),
    "happy_thanks": (3, None, None, None, ["praise"], 1.0),
    "cancel_price_saved": (3, "saved", "discount", None, ["cancellation", "retention"], 0.8),
    "cancel_pause_saved": (2, "saved", "pause", None, ["cancellation", "retention"], 0.9),
    "downgrade_saved": (2.5, "saved", "plan_change", None, ["downgrade", "retention"], 0.8),
    "switch_competitor_saved": (2, "saved", "taught", None, ["competitor", "retention"], 0.9),
    "angry_outage_saved": (2, "saved", "discount", None, ["outage", "complaint"], 0.55),
    "cancel_business_closed_lost": (
        1.5,
        "lost",
        "Natural causes: Business closed or moved",
        False,
        ["cancellation"],
        0.8,
    ),
    "refund_not_used_lost": (2, "lost", "Success drop-off", True, ["refund", "cancellation"], 0.6),
    "switch_competitor_lost": (2, "lost", "Switched to a competitor", True, ["competitor"], 0.5),
    "export_missing_feature_lost": (
        1.5,
        "lost",
        "Missing feature",
        True,
        ["export", "feature-request"],
        0.4,
    ),
    "angry_bugs_lost": (1.2, "lost", "Bugs or reliability", True, ["bug", "complaint"], 0.1),
    "poor_service_lost": (1, "lost", "Poor service experience", True, ["complaint"], 0.0),
    "onboarding_failed_lost": (1, "lost", "Ineffective onboarding", True, ["cancellation"], 0.4),
    "pushed_too_hard_lost": (1, "lost", "Pushed too hard", True, ["complaint", "sales"], 0.3),
    "champion_left_lost": (
        1,
        "lost",
        "Natural causes: Champion or staff change",
        True,
        ["cancellation"],
        0.7,
    ),
    "budget_cut_lost": (1, "lost", "Natural causes: Budget cut", False, ["cancellation"], 0.8),
    "price_lost": (1.5, "lost", "Price", True, ["cancellation", "pricing"], 0.4),
    "not_a_fit_lost": (1, "lost", "Not a fit", False, ["refund"], 0.9),
}


@dataclass
class Turn:
    role: str  # customer | agent | note | bot
    text: str
    at: datetime


@dataclass
class Convo:
    source: str
    number: int
    lang: str
    scenario: str
    customer: Customer
    agent: tuple
    channel: object
    subject: str
    created: datetime
    turns: list[Turn] = field(default_factory=list)
    status: str = "solved"
    csat: bool | None = None  # True good, False bad, None not answered
    csat_comment: str | None = None
    nps: int | None = None
    tags: list[str] = field(default_factory=list)
    words: str | None = None  # the customer's own words, for a loss
    story: str | None = None  # what a coach can teach from, for a save


def load_scenarios() -> dict[str, dict]:
    """Read the hand-written scenarios, one TOML file per language, keyed by scenario name."""
    scenarios = {}
    for lang in ("en", "ru", "zh_hans", "zh_hant"):
        path = OUT / "scenarios" / f"{lang}.toml"
        scenarios[lang] = tomllib.loads(path.read_text("utf-8"))
        unknown = set(scenarios[lang]) - set(META)
        assert not unknown, f"{path}: scenarios without META: {unknown}"
    return scenarios
