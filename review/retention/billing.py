"""Money, domain settings, billing lists, and confirming saves from them.

Money comes in as Decimal (or text "49.00") and is stored as INTEGER cents, so sums are exact
to the cent. A billing or customer list (CSV: customer id or email, status, MRR, currency,
as-of date) tells who is still paying on a date: `confirm_saves` turns a pending save into
confirmed once the customer is seen paying `days` after the save, or failed when the list shows
them gone first.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from pathlib import Path

from sqlite_utils import Database

from review.changes import Changes
from review.errors import ImportFailed, InvalidInput

DEFAULT_CONFIRM_DAYS = 30
SETTING_CONFIRM_DAYS = "save_confirmation_days"
SETTING_BASE_CURRENCY = "base_currency"
SETTING_RATES = "exchange_rates"  # JSON {"EUR": "1.08"}: units of the base currency per unit

# Words billing systems use for a customer who still pays, and for one who left.
PAYING_WORDS = {"active", "paying", "paid", "trial", "trialing", "past_due", "past due", "current"}
GONE_WORDS = {
    "cancelled",
    "canceled",
    "churned",
    "inactive",
    "closed",
    "ended",
    "expired",
    "unpaid",
    "lost",
}
_MONEY_LIMIT = Decimal(10) ** 12  # cents must fit SQLite's 64-bit integers with room for sums
_CURRENCY = re.compile(r"^[A-Z]{3}$")
_COLUMNS = {
    "customer_id": ("customer_id", "customer id", "customer", "id", "external_id", "account_id"),
    "email": ("email", "customer_email", "customer email", "e-mail"),
    "status": ("status", "state"),
    "mrr": ("mrr", "monthly recurring revenue", "mrr_amount"),
    "currency": ("currency", "currency_code"),
    "as_of": ("as_of", "as-of", "as of", "as_of_date", "date", "as-of date"),
}


# -- money ------------------------------------------------------------------------------------


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


# -- settings ---------------------------------------------------------------------------------


def get_setting(db: Database, key: str, default: str | None = None) -> str | None:
    """A domain setting's text value, or `default` when unset."""
    row = db.execute("select value from settings where key = ?", [key]).fetchone()
    return row[0] if row else default


def set_setting(db: Database, key: str, value: str | None) -> Changes:
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


def confirmation_days(db: Database) -> int:
    """Days a saved customer must be seen still paying before the save is confirmed."""
    return int(get_setting(db, SETTING_CONFIRM_DAYS, str(DEFAULT_CONFIRM_DAYS)))


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


def set_exchange_rates(db: Database, base: str, rates: dict[str, Decimal | str]) -> Changes:
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


def exchange_rates(db: Database) -> tuple[str | None, dict[str, Decimal]]:
    """(base currency, {code: rate to base}); (None, {}) when the user set none."""
    base = get_setting(db, SETTING_BASE_CURRENCY)
    if not base:
        return None, {}
    rates = {k: Decimal(v) for k, v in json.loads(get_setting(db, SETTING_RATES, "{}")).items()}
    rates[base] = Decimal(1)
    return base, rates


# -- billing lists ----------------------------------------------------------------------------


@dataclass
class BillingReport:
    """What a billing-list import stored, and what confirming saves then changed."""

    path: str
    import_id: int
    records: int
    paying: int
    gone: int
    changes: Changes = field(default_factory=Changes)

    def as_dict(self) -> dict:
        """Plain data for --json output."""
        return {
            "path": self.path,
            "import_id": self.import_id,
            "records": self.records,
            "paying": self.paying,
            "gone": self.gone,
        }


def import_billing(db: Database, path: str | os.PathLike) -> BillingReport:
    """Store a billing or customer list (CSV with a header row) in one transaction.

    Needs a customer id or email column, status, MRR, currency and as-of date columns (common
    spellings accepted). A bad value refuses the whole file with ImportFailed naming the line and
    the field; nothing is stored then.
    """
    path = Path(path)
    name = str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ImportFailed(name, f"cannot read the file ({exc.strerror})") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportFailed(name, "the file is not UTF-8 text") from None
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None)
    if not header:
        raise ImportFailed(name, "the file is empty")
    columns = _map_columns(name, header)
    rows = []
    for row in reader:
        if not any(cell.strip() for cell in row):
            continue
        rows.append(_billing_row(name, reader.line_num, columns, row))
    if not rows:
        raise ImportFailed(name, "the list has a header but no customers")
    now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    with db.atomic():
        import_id = (
            db["billing_imports"]
            .insert({"path": name, "imported_at": now, "records": len(rows)})
            .last_pk
        )
        db["billing_records"].insert_all(
            ({**r, "import_id": import_id} for r in rows), batch_size=1000
        )
    paying = sum(1 for r in rows if r["status"] == "active" and r["mrr_cents"] > 0)
    return BillingReport(
        name,
        import_id,
        len(rows),
        paying,
        len(rows) - paying,
        Changes.of(("billing_records", "billing_imports")),
    )


def _map_columns(name: str, header: list[str]) -> dict[str, int]:
    normal = [h.strip().lower().replace("\ufeff", "") for h in header]
    found: dict[str, int] = {}
    for key, spellings in _COLUMNS.items():
        for i, h in enumerate(normal):
            if h in spellings:
                found[key] = i
                break
    if "customer_id" not in found and "email" not in found:
        raise ImportFailed(name, "no customer id or email column", 1, field="customer_id")
    for key in ("status", "mrr", "currency", "as_of"):
        if key not in found:
            raise ImportFailed(name, f"no {key} column (header: {', '.join(header)})", 1, field=key)
    return found


def _billing_row(name: str, line: int, columns: dict[str, int], row: list[str]) -> dict:
    def cell(key: str) -> str:
        i = columns.get(key)
        return row[i].strip() if i is not None and i < len(row) else ""

    customer_id, email = cell("customer_id"), cell("email").lower()
    if not customer_id and not email:
        raise ImportFailed(name, "no customer id or email", line, field="customer_id")
    status_word = cell("status").lower()
    if status_word in PAYING_WORDS:
        status = "active"
    elif status_word in GONE_WORDS:
        status = "cancelled"
    else:
        known = ", ".join(sorted(PAYING_WORDS | GONE_WORDS))
        raise ImportFailed(
            name, f"status {cell('status')!r} is not one of: {known}", line, field="status"
        )
    try:
        mrr_cents = parse_money(cell("mrr") or "0")
        currency = check_currency(cell("currency"))
    except InvalidInput as exc:
        field_name = "mrr" if str(exc).startswith("mrr") else "currency"
        raise ImportFailed(name, str(exc), line, field=field_name) from None
    try:
        as_of = check_date(cell("as_of"), "as_of")
    except InvalidInput as exc:
        raise ImportFailed(name, str(exc), line, field="as_of") from None
    return {
        "customer_key": customer_id or email,
        "customer_email": email or None,
        "status": status,
        "mrr_cents": mrr_cents,
        "currency": currency,
        "as_of": as_of,
    }


# -- confirming saves -------------------------------------------------------------------------

# For each pending save: the first billing record after the save that shows the customer gone,
# and the first that shows them paying `days` or more after it. Whichever comes first decides.
_CHECK_SQL = """
with pending as (
    select s.id, s.saved_on, cu.external_id as key, lower(cu.email) as email
    from saves s
    join conversations c on c.id = s.conversation_id
    join customers cu on cu.id = c.customer_id
    where s.status = 'pending'
),
seen as (
    select p.id,
        min(case when (b.status <> 'active' or b.mrr_cents = 0) and b.as_of > p.saved_on
            then b.as_of end) as gone_on,
        min(case when b.status = 'active' and b.mrr_cents > 0
                  and b.as_of >= date(p.saved_on, '+' || :days || ' days')
            then b.as_of end) as paying_on
    from pending p
    join billing_records b
      on (b.customer_key = p.key or (p.email is not null and
          (b.customer_email = p.email or b.customer_key = p.email)))
     and b.as_of <= :today
    group by p.id
)
select id,
    case when gone_on is not null and (paying_on is null or gone_on < paying_on)
         then 'failed'
         when paying_on is not null then 'confirmed' end as status
from seen
"""


def confirm_saves(db: Database, today: str | date, days: int | None = None) -> Changes:
    """Confirm or fail pending saves from the billing lists imported so far.

    A save is confirmed when its customer (matched on customers.external_id or email) is seen
    active with MRR above zero on a list dated `days` (default: the setting, 30) or more after
    `saved_on`; failed when a list dated after the save but before that shows them cancelled or
    at MRR 0. Other saves stay pending. Records dated after `today` are not used.
    """
    today = check_date(today, "today")
    days = confirmation_days(db) if days is None else int(days)
    if days < 0:
        raise InvalidInput(f"days: {days} must be zero or more")
    decided = db.execute(_CHECK_SQL, {"days": days, "today": today}).fetchall()
    decided = [(status, today, sid) for sid, status in decided if status]
    if not decided:
        return Changes()
    with db.atomic():
        db.conn.executemany(
            "update saves set status = ?, status_checked_on = ? where id = ?", decided
        )
        touched = [
            r[0]
            for r in db.execute(
                f"select distinct conversation_id from saves where id in "
                f"({','.join(str(int(d[2])) for d in decided)})"
            )
        ]
    return Changes.of("saves", tuple(touched))


# -- customer counts per period ---------------------------------------------------------------


def set_period_counts(
    db: Database,
    period_start: str | date,
    period_end: str | date,
    customers_start: int,
    customers_end: int,
    customers_new: int,
    customers_lost: int | None = None,
) -> Changes:
    """Enter the customer counts of a period (for CRR and churn when no billing list has them).

    `customers_lost` left None is taken as start + new - end.
    """
    start, end = check_date(period_start, "period_start"), check_date(period_end, "period_end")
    if end < start:
        raise InvalidInput(f"period: {end} is before {start}")
    counts = (customers_start, customers_end, customers_new, customers_lost)
    if any(v is not None and int(v) < 0 for v in counts):
        raise InvalidInput("customer counts must be zero or more")
    with db.atomic():
        db["period_counts"].upsert(
            {
                "period_start": start,
                "period_end": end,
                "customers_start": int(customers_start),
                "customers_end": int(customers_end),
                "customers_new": int(customers_new),
                "customers_lost": None if customers_lost is None else int(customers_lost),
            },
            pk=("period_start", "period_end"),
        )
    return Changes.of("period_counts")


def add_days(day: str, days: int) -> str:
    """YYYY-MM-DD plus `days`."""
    return (date.fromisoformat(day) + timedelta(days=days)).isoformat()
