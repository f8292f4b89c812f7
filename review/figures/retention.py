"""Retention figures: saved MRR and ARR, save rate, lost MRR by reason, CRR, churn, and the
retention of customers who contacted support against those who did not.

Saves and losses are counted on the conversations `filters` select (period = the conversation's
creation date); an agent filter applies to the agent credited with the save or loss. Customer
counts for CRR and churn come from the counts entered per period, else from the billing lists;
they describe the whole customer base, so only the filter's dates apply to them.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlite_utils import Database

from review.figures.figure import Figure, money_figure, one, percent, scope
from review.filters import Filters

_SAVE_AGENT = "coalesce(s.agent_id, c.agent_id)"
_LOSS_AGENT = "coalesce(l.agent_id, c.agent_id)"


@dataclass(frozen=True)
class ReasonFigure:
    """Lost MRR of one reason. `parent` is the group's name (Natural causes) or None."""

    reason_id: int
    name: str
    parent: str | None
    figure: Figure

    @property
    def label(self) -> str:
        return f"{self.parent}: {self.name}" if self.parent else self.name


@dataclass(frozen=True)
class CustomerCounts:
    """Customers at the start (S) and end (E) of a period, new (N) and lost during it."""

    start: int
    end: int
    new: int
    lost: int
    source: str  # "periods" (entered) or "billing" (from the billing lists)


def _saves_by_currency(db: Database, filters: Filters, statuses: tuple[str, ...]) -> list:
    where, params = scope(filters, _SAVE_AGENT)
    marks = ", ".join(f"'{s}'" for s in statuses)
    return db.execute(
        f"""select s.currency, count(*), sum(s.mrr_cents) from saves s
            join conversations c on c.id = s.conversation_id
            where s.status in ({marks}) and {where} group by s.currency""",
        params,
    ).fetchall()


def saved_mrr(db: Database, filters: Filters, confirmed_only: bool = False) -> Figure:
    """MRR kept by saves: confirmed ones only, or all that have not failed."""
    statuses = ("confirmed",) if confirmed_only else ("pending", "confirmed")
    return money_figure(db, _saves_by_currency(db, filters, statuses))


def saved_arr(db: Database, filters: Filters, confirmed_only: bool = False) -> Figure:
    """ARR = 12 * saved MRR."""
    statuses = ("confirmed",) if confirmed_only else ("pending", "confirmed")
    return money_figure(db, _saves_by_currency(db, filters, statuses), factor=12)


def save_rate(db: Database, filters: Filters) -> Figure:
    """Saves / (saves + losses), in percent, over conversations tagged either way.

    A tag is the lead's judgement that the customer meant to leave, so every tagged save and
    loss counts, whether or not a churn signal was detected. A failed save counts in the
    denominator only: the customer was not kept.
    """
    save_where, params = scope(filters, _SAVE_AGENT)
    loss_where, _ = scope(filters, _LOSS_AGENT)
    kept, total = one(
        db,
        f"""select sum(kept), count(*) from (
                select s.status <> 'failed' as kept from saves s
                join conversations c on c.id = s.conversation_id where {save_where}
                union all
                select 0 from losses l
                join conversations c on c.id = l.conversation_id where {loss_where})""",
        params,
    )
    return percent(kept, total)


def lost_mrr(db: Database, filters: Filters) -> Figure:
    """Sum of MRR over losses."""
    where, params = scope(filters, _LOSS_AGENT)
    rows = db.execute(
        f"""select l.currency, count(*), sum(l.mrr_cents) from losses l
            join conversations c on c.id = l.conversation_id where {where} group by l.currency""",
        params,
    ).fetchall()
    return money_figure(db, rows)


def lost_mrr_by_reason(db: Database, filters: Filters) -> list[ReasonFigure]:
    """Lost MRR per reason, largest first (the bars of a Pareto chart).

    Reasons in several currencies without exchange rates have no single value: they sort
    after the others, by number of losses.
    """
    where, params = scope(filters, _LOSS_AGENT)
    rows = db.execute(
        f"""select l.reason_id, r.name, p.name, l.currency, count(*), sum(l.mrr_cents)
            from losses l join conversations c on c.id = l.conversation_id
            join loss_reasons r on r.id = l.reason_id
            left join loss_reasons p on p.id = r.parent
            where {where} group by l.reason_id, l.currency""",
        params,
    ).fetchall()
    grouped: dict[int, tuple[str, str | None, list]] = {}
    for reason_id, name, parent, currency, count, cents in rows:
        grouped.setdefault(reason_id, (name, parent, []))[2].append((currency, count, cents))
    result = [
        ReasonFigure(rid, name, parent, money_figure(db, money))
        for rid, (name, parent, money) in grouped.items()
    ]
    result.sort(key=lambda r: (r.figure.value is None, -(r.figure.value or 0), -r.figure.n, r.name))
    return result


# -- customer counts: CRR and churn -------------------------------------------------------------

_PERIODS_SQL = """
with p as (
    select * from period_counts
    where (:start is null or period_start >= :start) and (:end is null or period_end <= :end)
)
select (select customers_start from p order by period_start limit 1),
       (select customers_end from p order by period_end desc limit 1),
       sum(customers_new),
       sum(coalesce(customers_lost, customers_start + customers_new - customers_end)),
       count(*)
from p
"""

_BILLING_SQL = """
with bounds as (
    select coalesce(:start, min(as_of)) as d0, coalesce(:end, max(as_of)) as d1
    from billing_records
),
at_start as (
    select customer_key, status, mrr_cents, max(as_of) from billing_records, bounds
    where as_of <= d0 group by customer_key
),
at_end as (
    select customer_key, status, mrr_cents, max(as_of) from billing_records, bounds
    where as_of <= d1 group by customer_key
),
s as (select customer_key from at_start where status = 'active' and mrr_cents > 0),
e as (select customer_key from at_end where status = 'active' and mrr_cents > 0)
select (select count(*) from s), (select count(*) from e),
       (select count(*) from e where customer_key not in (select customer_key from s)),
       (select count(*) from s where customer_key not in (select customer_key from e)),
       (select count(*) from at_start)
"""


def customer_counts(db: Database, filters: Filters) -> CustomerCounts | None:
    """S, E, N and lost for the filter's dates: from the counts entered per period inside them
    (S of the first, E of the last, N and lost summed), else from the billing lists (who was
    paying on the first and last day). None when neither knows the start."""
    dates = {"start": filters.date_from, "end": filters.date_to}
    start, end, new, lost, periods = one(db, _PERIODS_SQL, dates)
    if periods:
        return CustomerCounts(start, end, new or 0, lost or 0, "periods")
    start, end, new, lost, known = one(db, _BILLING_SQL, dates)
    if not known:
        return None
    return CustomerCounts(start, end, new, lost, "billing")


def crr(db: Database, filters: Filters) -> Figure:
    """Customer retention rate (E - N) / S * 100; n = S."""
    counts = customer_counts(db, filters)
    if counts is None or not counts.start:
        return Figure(None, 0, "%")
    return Figure(100.0 * (counts.end - counts.new) / counts.start, counts.start, "%")


def churn_rate(db: Database, filters: Filters, adjusted: bool = False) -> Figure:
    """Customers lost / S * 100, or adjusted: lost / ((S + E) / 2) * 100; n = S."""
    counts = customer_counts(db, filters)
    if counts is None or not counts.start:
        return Figure(None, 0, "%")
    base = (counts.start + counts.end) / 2 if adjusted else counts.start
    return Figure(100.0 * counts.lost / base, counts.start, "%")


_CONTACT_SQL = """
with bounds as (
    select coalesce(:date_from, min(as_of)) as d0, coalesce(:date_to, max(as_of)) as d1
    from billing_records
),
at_start as (
    select customer_key, customer_email, status, mrr_cents, max(as_of) from billing_records, bounds
    where as_of <= d0 group by customer_key
),
at_end as (
    select customer_key, status, mrr_cents, max(as_of) from billing_records, bounds
    where as_of <= d1 group by customer_key
),
contacted as (
    select distinct cu.external_id as key, lower(cu.email) as email
    from conversations c join customers cu on cu.id = c.customer_id where {where}
),
base as (
    select s.customer_key,
        exists(select 1 from contacted k where k.key = s.customer_key
               or k.email = s.customer_email or k.email = s.customer_key) as contacted,
        exists(select 1 from at_end e where e.customer_key = s.customer_key
               and e.status = 'active' and e.mrr_cents > 0) as kept
    from at_start s where s.status = 'active' and s.mrr_cents > 0
)
select contacted, count(*), sum(kept) from base group by contacted
"""


def contact_retention(db: Database, filters: Filters) -> dict[str, Figure]:
    """Retention (share of customers paying at the start still paying at the end) of those
    who contacted support in the period against those who did not; needs a billing list.

    Keys "contacted" and "not_contacted"; no data where the list does not cover the start.
    """
    where, params = scope(filters)
    params.setdefault("date_from", filters.date_from)
    params.setdefault("date_to", filters.date_to)
    rows = {
        bool(contacted): (count, kept)
        for contacted, count, kept in db.execute(_CONTACT_SQL.format(where=where), params)
    }
    result = {}
    for key, flag in (("contacted", True), ("not_contacted", False)):
        count, kept = rows.get(flag, (0, 0))
        result[key] = percent(kept, count)
    return result
