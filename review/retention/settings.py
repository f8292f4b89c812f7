"""The team's domain settings kept in the store: days before a save is confirmed, the base
currency and exchange rates. (GUI state lives in QSettings, not here.)"""

from __future__ import annotations

import json
from decimal import Decimal

from review.changes import Changes
from review.errors import InvalidInput
from review.retention.money import check_currency, parse_rate
from review.store import Store

DEFAULT_CONFIRM_DAYS = 30
SETTING_CONFIRM_DAYS = "save_confirmation_days"
SETTING_BASE_CURRENCY = "base_currency"
SETTING_RATES = "exchange_rates"  # JSON {"EUR": "1.08"}: units of the base currency per unit


def get_setting(db: Store, key: str, default: str | None = None) -> str | None:
    """A domain setting's text value, or `default` when unset."""
    row = db.execute("select value from settings where key = ?", [key]).fetchone()
    return row[0] if row else default


def set_setting(db: Store, key: str, value: str | None) -> Changes:
    """Set (or with None, remove) a domain setting."""
    with db.atomic():
        if value is None:
            db.execute("delete from settings where key = ?", [key])
        else:
            db.execute(
                "insert into settings (key, value) values (?, ?) "
                "on conflict(key) do update set value = excluded.value",
                [key, str(value)],
            )
    return Changes.of("settings")


def confirmation_days(db: Store) -> int:
    """Days a saved customer must be seen still paying before the save is confirmed."""
    return int(get_setting(db, SETTING_CONFIRM_DAYS) or DEFAULT_CONFIRM_DAYS)


def set_exchange_rates(db: Store, base: str, rates: dict[str, Decimal | str]) -> Changes:
    """Totals in `base` from now on: `rates[code]` is how many `base` one unit of `code` buys."""
    base = check_currency(base)
    clean = {}
    for code, rate in rates.items():
        try:
            value = parse_rate(rate)
        except InvalidInput as exc:
            raise InvalidInput(f"exchange rate for {code}: {exc}") from None
        clean[check_currency(code)] = str(value)
    with db.atomic():
        set_setting(db, SETTING_BASE_CURRENCY, base)
        set_setting(db, SETTING_RATES, json.dumps(clean, sort_keys=True))
    return Changes.of("settings")


def exchange_rates(db: Store) -> tuple[str | None, dict[str, Decimal]]:
    """(base currency, {code: rate to base}); (None, {}) when the user set none."""
    base = get_setting(db, SETTING_BASE_CURRENCY)
    if not base:
        return None, {}
    rates = {k: Decimal(v) for k, v in json.loads(get_setting(db, SETTING_RATES) or "{}").items()}
    rates[base] = Decimal(1)
    return base, rates
