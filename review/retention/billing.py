"""Billing and customer lists, confirming saves from them, and customer counts per period.

A billing or customer list (CSV: customer id or email, status, MRR, currency, as-of date) tells
who is still paying on a date: `confirm_saves` turns a pending save into confirmed once the
customer is seen paying `days` after the save, or failed when the list shows them gone first.
"""

from __future__ import annotations

import csv
import io
import os
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

from review.changes import Changes
from review.errors import ImportFailed, InvalidInput
from review.retention.money import check_currency, check_date, parse_money
from review.retention.settings import confirmation_days
from review.store import Store

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
_COLUMNS = {
    "customer_id": ("customer_id", "customer id", "customer", "id", "external_id", "account_id"),
    "email": ("email", "customer_email", "customer email", "e-mail"),
    "status": ("status", "state"),
    "mrr": ("mrr", "monthly recurring revenue", "mrr_amount"),
    "currency": ("currency", "currency_code"),
    "as_of": ("as_of", "as-of", "as of", "as_of_date", "date", "as-of date"),
}


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


def import_billing(db: Store, path: str | os.PathLike) -> BillingReport:
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
        import_id = db.insert(
            "billing_imports", {"path": name, "imported_at": now, "records": len(rows)}
        )
        db.insert_rows("billing_records", ({**r, "import_id": import_id} for r in rows))
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
                  and b.as_of >= {paying_from}
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


def confirm_saves(db: Store, today: str | date, days: int | None = None) -> Changes:
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
    check = _CHECK_SQL.format(paying_from=db.dialect.days_after("p.saved_on", ":days"))
    decided = db.execute(check, {"days": days, "today": today}).fetchall()
    decided = [(status, today, sid) for sid, status in decided if status]
    if not decided:
        return Changes()
    with db.atomic():
        db.executemany(
            "update saves set status = ?, status_checked_on = ?, version = version + 1 where id = ?",
            decided,
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
    db: Store,
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
        db.upsert(
            "period_counts",
            {
                "period_start": start,
                "period_end": end,
                "customers_start": int(customers_start),
                "customers_end": int(customers_end),
                "customers_new": int(customers_new),
                "customers_lost": None if customers_lost is None else int(customers_lost),
            },
            ("period_start", "period_end"),
        )
    return Changes.of("period_counts")
