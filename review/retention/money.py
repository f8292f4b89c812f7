"""Money as users type it and savedesk keeps it: amounts as exact INTEGER cents, ISO 4217
currency codes, exchange rates, and the dates money is recorded on.

Money comes in as Decimal (or text "49.00") and is stored as cents, so sums are exact to the
cent; floats are refused.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation

from review.errors import InvalidInput

_MONEY_LIMIT = Decimal(10) ** 12  # cents must fit SQLite's 64-bit integers with room for sums
_CURRENCY = re.compile(r"^[A-Z]{3}$")


def parse_money(value: Decimal | str | int, field_name: str = "mrr") -> int:
    """Cents from a Decimal, int or text ("49.00", "1,234.50", "49,90"); exact or refused.

    Raises InvalidInput for text that is not an amount, a negative amount, or fractions of a cent.
    Floats are refused: 0.1 + 0.2 is not 0.3 in binary.
    """
    if isinstance(value, float):
        raise InvalidInput(f"{field_name}: give money as Decimal or text, not float ({value!r})")
    if isinstance(value, str):
        text = value.strip().replace(" ", "").replace("\u00a0", "").replace("_", "")
        if "," in text and "." in text:
            text = text.replace(",", "")
        elif "," in text:
            text = text.replace(",", ".")
        try:
            amount = Decimal(text)
        except InvalidOperation:
            raise InvalidInput(f"{field_name}: {value!r} is not an amount of money") from None
    else:
        amount = Decimal(value)
    if not amount.is_finite():
        raise InvalidInput(f"{field_name}: {value!r} is not an amount of money")
    if amount < 0:
        raise InvalidInput(f"{field_name}: {value!r} is negative")
    if amount >= _MONEY_LIMIT:
        raise InvalidInput(f"{field_name}: {value!r} is too large to be a recurring revenue")
    cents = amount * 100
    if cents != cents.to_integral_value():
        raise InvalidInput(f"{field_name}: {value!r} has fractions of a cent")
    return int(cents)


def cents_to_decimal(cents: int) -> Decimal:
    """Cents as a Decimal amount (4900 -> Decimal('49.00'))."""
    return (Decimal(cents) / 100).quantize(Decimal("0.01"))


def check_currency(code: str) -> str:
    """An ISO 4217 code in upper case ("usd" -> "USD"), or InvalidInput."""
    code = (code or "").strip().upper()
    if not _CURRENCY.match(code):
        raise InvalidInput(f"currency: {code!r} is not a three-letter ISO 4217 code such as USD")
    return code


def check_date(value: str | date, field_name: str) -> str:
    """YYYY-MM-DD text from a date or text, or InvalidInput."""
    if isinstance(value, date):
        return value.isoformat()
    try:
        return date.fromisoformat(str(value).strip()[:10]).isoformat()
    except ValueError:
        raise InvalidInput(f"{field_name}: {value!r} is not a date (YYYY-MM-DD)") from None


def parse_rate(text: str | Decimal) -> Decimal:
    """An exchange rate as typed ("1.08", "1,08") as a Decimal above zero, or InvalidInput."""
    shown = str(text).strip()
    clean = shown.replace(" ", "").replace("\u00a0", "")
    if "," in clean and "." not in clean:
        clean = clean.replace(",", ".")
    try:
        value = Decimal(clean)
    except InvalidOperation:
        raise InvalidInput(f"{shown!r} is not a number") from None
    if not value.is_finite():
        raise InvalidInput(f"{shown!r} is not a number")
    if value <= 0:
        raise InvalidInput(f"{shown!r} must be above zero")
    return value
