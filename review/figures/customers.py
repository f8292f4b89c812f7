"""The customer base: customer retention rate, churn, and the retention of customers who
contacted support against those who did not (DOMAIN.md's table).

Customer counts come from the counts entered per period, else from the billing lists; they
describe the whole customer base, so only the scope's dates apply to them. Contact retention
needs a billing list: who was paying on the first day, and who still was on the last.
"""

from __future__ import annotations

from dataclasses import dataclass

from review.figures.scope import Scope, one
from review.figures.values import Figure, count_rate, no_data, rate_figure


@dataclass(frozen=True)
class CustomerCounts:
    """Customers at the start (S) and end (E) of a period, new (N) and lost during it."""

    start: int
    end: int
    new: int
    lost: int
    source: str  # "periods" (entered) or "billing" (from the billing lists)


@dataclass(frozen=True)
class ContactRetention:
    """Retention of customers who contacted support, and of those who did not (n: customers
    paying at the start)."""

    contacted: Figure
    not_contacted: Figure

    def as_dict(self) -> dict:
        """Both figures as {value, n, low, high, few}."""
        return {
            "contacted": self.contacted.as_dict(),
            "not_contacted": self.not_contacted.as_dict(),
        }


_PERIODS_SQL = """
with p as (
    select * from period_counts
    where (cast(:start as text) is null or period_start >= :start)
      and (cast(:end as text) is null or period_end <= :end)
)
select (select customers_start from p order by period_start limit 1),
       (select customers_end from p order by period_end desc limit 1),
       sum(customers_new),
       sum(coalesce(customers_lost, customers_start + customers_new - customers_end)),
       count(*)
from p
"""


def _billing_bounds(start: str, end: str) -> str:
    """CTEs `at_start` and `at_end`: each customer's latest billing record on or before the first
    and the last day (parameters `start` and `end`; None: the list's first and last day)."""
    latest = """
    select b.customer_key, b.customer_email, b.status, b.mrr_cents,
           row_number() over (partition by b.customer_key order by b.as_of desc, b.id desc) as n
    from billing_records b, bounds where b.as_of <= {bound}"""
    return f"""
bounds as (
    select coalesce(cast(:{start} as text), min(as_of)) as d0,
           coalesce(cast(:{end} as text), max(as_of)) as d1
    from billing_records
),
latest_at_start as ({latest.format(bound="d0")}),
at_start as (select * from latest_at_start where n = 1),
latest_at_end as ({latest.format(bound="d1")}),
at_end as (select * from latest_at_end where n = 1),"""


_BILLING_SQL = f"""
with {_billing_bounds("start", "end")}
s as (select customer_key from at_start where status = 'active' and mrr_cents > 0),
e as (select customer_key from at_end where status = 'active' and mrr_cents > 0)
select (select count(*) from s), (select count(*) from e),
       (select count(*) from e where customer_key not in (select customer_key from s)),
       (select count(*) from s where customer_key not in (select customer_key from e)),
       (select count(*) from at_start)
"""


def customer_counts(scope: Scope) -> CustomerCounts | None:
    """S, E, N and lost for the filter's dates: from the counts entered per period inside them
    (S of the first, E of the last, N and lost summed), else from the billing lists (who was
    paying on the first and last day). None when neither knows the start."""
    dates = {"start": scope.filters.date_from, "end": scope.filters.date_to}
    start, end, new, lost, periods = one(scope, _PERIODS_SQL, dates)
    if periods:
        return CustomerCounts(start, end, new or 0, lost or 0, "periods")
    start, end, new, lost, known = one(scope, _BILLING_SQL, dates)
    if not known:
        return None
    return CustomerCounts(start, end, new, lost, "billing")


@dataclass(frozen=True)
class CustomerRates:
    """Customer retention rate and churn (simple and adjusted) of one period; n = S."""

    crr: Figure
    churn: Figure
    churn_adjusted: Figure


def customer_rates(scope: Scope) -> CustomerRates:
    """CRR = (E - N) / S * 100; churn = lost / S * 100; adjusted churn = lost / ((S + E) / 2)
    * 100; all no data when the start is not known."""
    counts = customer_counts(scope)
    if counts is None or not counts.start:
        return CustomerRates(no_data("%"), no_data("%"), no_data("%"))
    middle = (counts.start + counts.end) / 2
    return CustomerRates(
        count_rate(counts.end - counts.new, counts.start),
        count_rate(counts.lost, counts.start),
        Figure(100.0 * counts.lost / middle if middle else None, counts.start, "%"),
    )


_CONTACT_SQL = (
    "with "
    + _billing_bounds("date_from", "date_to")
    + """
contacted as (
    select cu.external_id as k from conversations c join customers cu on cu.id = c.customer_id
    where {where}
    union
    select lower(cu.email) from conversations c join customers cu on cu.id = c.customer_id
    where cu.email is not null and {where}
),
base as (
    select s.customer_key,
        case when s.customer_key in (select k from contacted)
                  or s.customer_email in (select k from contacted) then 1 else 0 end as contacted,
        case when s.customer_key in (select e.customer_key from at_end e
                  where e.status = 'active' and e.mrr_cents > 0) then 1 else 0 end as kept
    from at_start s where s.status = 'active' and s.mrr_cents > 0
)
select contacted, count(*), sum(kept) from base group by contacted
"""
)


def contact_retention(scope: Scope) -> ContactRetention:
    """Retention (share of customers paying at the start still paying at the end) of those
    who contacted support in the period against those who did not, each with its Wilson
    interval; needs a billing list (no data where the list does not cover the start)."""
    where, params = scope.where()
    params.setdefault("date_from", scope.filters.date_from)
    params.setdefault("date_to", scope.filters.date_to)
    rows = {
        bool(contacted): (count, kept)
        for contacted, count, kept in scope.db.execute(_CONTACT_SQL.format(where=where), params)
    }
    return ContactRetention(
        rate_figure(rows.get(True, (0, 0))[1], rows.get(True, (0, 0))[0]),
        rate_figure(rows.get(False, (0, 0))[1], rows.get(False, (0, 0))[0]),
    )
