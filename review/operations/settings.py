"""The review's own settings (Edit > Preferences): totals across currencies, when a save is
confirmed, the team's churn-phrase folder. Only what differs from the stored value is written."""

from __future__ import annotations

from decimal import Decimal

from review.changes import Changes
from review.operations.core import Actor, operation
from review.retention.churn import SETTING_FOLDER
from review.retention.money import check_currency
from review.retention.settings import (
    SETTING_BASE_CURRENCY,
    SETTING_CONFIRM_DAYS,
    SETTING_RATES,
    confirmation_days,
    exchange_rates,
    get_setting,
    set_exchange_rates,
    set_setting,
)
from review.store import Store


@operation("preferences", "Preferences")
def preferences(
    db: Store,
    actor: Actor,
    base_currency: str,
    rates: dict[str, str],
    confirm_days: int,
    churn_folder: str,
) -> Changes:
    """Store the preferences that changed; an empty base currency keeps totals per currency."""
    base = check_currency(base_currency) if base_currency.strip() else ""
    stored_base, stored_rates = exchange_rates(db)
    stored_rates = {c: r for c, r in stored_rates.items() if c != stored_base}
    changes = Changes()
    wanted = {check_currency(c): Decimal(r) for c, r in rates.items()}
    if (base, wanted) != (stored_base or "", stored_rates):
        if base:
            typed: dict[str, Decimal | str] = dict(rates)
            changes |= set_exchange_rates(db, base, typed)
        else:
            set_setting(db, SETTING_BASE_CURRENCY, None)
            changes |= set_setting(db, SETTING_RATES, None)
    if confirm_days != confirmation_days(db):
        changes |= set_setting(db, SETTING_CONFIRM_DAYS, str(confirm_days))
    if churn_folder != (get_setting(db, SETTING_FOLDER) or ""):
        changes |= set_setting(db, SETTING_FOLDER, churn_folder or None)
    return changes
