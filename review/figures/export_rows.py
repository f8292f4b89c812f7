"""Rows for the CSV exports (conversations, reviews one row per rating, saves, losses).

Each export is a header and a lazy iterator of rows for the conversations a Filters selects,
so 100,000 conversations stream to a file without being held in memory. Money is exact: cents
become Decimal text ("49.00"); ARR is 12 x MRR; each save and loss is also given in the base
currency at the team's rates (read once), as the figures total it, and a loss says whether
its reason is a loss or the right outcome. reports.csv_export writes these to disk.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from review.errors import InvalidInput
from review.filters import Filters, conversation_where
from review.retention.money import cents_to_decimal
from review.retention.settings import exchange_rates
from review.store import Store

EXPORT_KINDS = ("conversations", "reviews", "saves", "losses")


@dataclass(frozen=True)
class ExportRows:
    """An export's column names, how many rows it will give, and the rows themselves."""

    kind: str
    columns: tuple[str, ...]
    count: int
    rows: Iterator[tuple]


_CONVERSATION = """
    c.id as conversation_id, c.source, c.external_id, c.number, c.subject, c.channel,
    c.status, c.created_at"""

_QUERIES: dict[str, tuple[tuple[str, ...], str, str]] = {
    "conversations": (
        ("conversation_id", "source", "external_id", "number", "subject", "channel", "status",
         "created_at", "updated_at", "closed_at", "customer", "customer_email", "agent", "team",
         "messages", "tags", "reviews", "quality_score", "churn_signal"),
        f"""select {_CONVERSATION}, c.updated_at, c.closed_at, cu.name, cu.email, a.name, t.name,
              c.message_count,
              (select {{tags}} from (select tg.name from conversation_tags ct
                 join tags tg on tg.id = ct.tag_id where ct.conversation_id = c.id
                 order by tg.name) tg),
              (select count(*) from reviews r where r.conversation_id = c.id
                 and r.calibration_session_id is null),
              (select {{score}} from reviews r where r.conversation_id = c.id
                 and r.calibration_session_id is null),
              {{churn}}
           from conversations c
           left join customers cu on cu.id = c.customer_id
           left join agents a on a.id = c.agent_id
           left join teams t on t.id = c.team_id
           where {{where}} order by c.created_at, c.id""",
        "select count(*) from conversations c where {where}",
    ),
    "reviews": (
        ("review_id", "conversation_id", "external_id", "subject", "reviewer", "agent", "rubric",
         "rubric_version", "review_score", "critical_failed", "category_key", "category",
         "scale", "rating", "not_applicable", "comment", "overall_comment", "created_at",
         "updated_at"),
        """select r.id, c.id, c.external_id, c.subject, r.reviewer, a.name, ru.name, ru.version,
              r.score, r.critical_failed, rc.key, rc.name, rc.scale, rr.rating, rr.is_na,
              rr.comment, r.overall_comment, r.created_at, r.updated_at
           from reviews r
           join conversations c on c.id = r.conversation_id
           join rubrics ru on ru.id = r.rubric_id
           left join agents a on a.id = r.agent_id
           left join review_ratings rr on rr.review_id = r.id
           left join rubric_categories rc on rc.id = rr.category_id
           where r.calibration_session_id is null and {where} order by r.id, {position}""",
        """select count(*) from reviews r join conversations c on c.id = r.conversation_id
           left join review_ratings rr on rr.review_id = r.id
           where r.calibration_session_id is null and {where}""",
    ),
    "saves": (
        ("save_id", "conversation_id", "external_id", "subject", "customer", "agent", "saved_on",
         "currency", "mrr", "arr", "mrr_in_base", "base_currency", "method", "status",
         "status_checked_on", "story"),
        """select s.id, c.id, c.external_id, c.subject, cu.name, a.name, s.saved_on, s.currency,
              s.mrr_cents, s.mrr_cents * 12, s.mrr_cents, null, s.method, s.status,
              s.status_checked_on, s.story
           from saves s
           join conversations c on c.id = s.conversation_id
           left join customers cu on cu.id = c.customer_id
           left join agents a on a.id = s.agent_id
           where {where} order by s.saved_on, s.id""",
        """select count(*) from saves s join conversations c on c.id = s.conversation_id
           where {where}""",
    ),
    "losses": (
        ("loss_id", "conversation_id", "external_id", "subject", "customer", "agent", "lost_on",
         "currency", "mrr", "arr", "mrr_in_base", "base_currency", "reason", "reason_group",
         "outcome", "preventable", "customer_words"),
        """select l.id, c.id, c.external_id, c.subject, cu.name, a.name, l.lost_on, l.currency,
              l.mrr_cents, l.mrr_cents * 12, l.mrr_cents, null, lr.name, parent.name,
              case lr.outcome when 'right_outcome' then 'right outcome' else 'loss' end,
              case l.preventable when 1 then 'yes' when 0 then 'no' end, l.customer_words
           from losses l
           join conversations c on c.id = l.conversation_id
           join loss_reasons lr on lr.id = l.reason_id
           left join loss_reasons parent on parent.id = lr.parent
           left join customers cu on cu.id = c.customer_id
           left join agents a on a.id = l.agent_id
           where {where} order by l.lost_on, l.id""",
        """select count(*) from losses l join conversations c on c.id = l.conversation_id
           where {where}""",
    ),
}  # fmt: skip

_MONEY_COLUMNS = {"mrr", "arr"}
# In the base currency at the team's exchange rates, as every total savedesk shows (empty when
# no rate is set for the row's currency).
_BASE_COLUMN = "mrr_in_base"


def export_rows(db: Store, kind: str, filters: Filters | None = None) -> ExportRows:
    """The rows of one export ("conversations", "reviews", "saves", "losses") for the
    conversations `filters` selects (all when None). Raises InvalidInput for another kind."""
    if kind not in _QUERIES:
        raise InvalidInput(f"unknown export {kind!r}: choose one of {', '.join(EXPORT_KINDS)}")
    columns, query, count_query = _QUERIES[kind]
    where, params = conversation_where(filters or Filters(), "c")
    query = query.format(where=where, **_fragments(db))
    count = db.execute(count_query.format(where=where), params).fetchone()[0]
    money = [i for i, name in enumerate(columns) if name in _MONEY_COLUMNS]
    base_at = columns.index(_BASE_COLUMN) if _BASE_COLUMN in columns else None
    base, rates = exchange_rates(db)  # read once for the whole file

    def rows() -> Iterator[tuple]:
        # one read-only snapshot, read a thousand rows at a time: the file is written as it is read
        with db.atomic(write=False):
            for stored in db.stream(query, params, size=1000):
                row = list(stored)
                for i in money:
                    if row[i] is not None:
                        row[i] = str(cents_to_decimal(row[i]))
                if money and base_at is not None:
                    row[base_at], row[base_at + 1] = _in_base(
                        row[base_at], row[columns.index("currency")], base, rates
                    )
                yield tuple(row)

    return ExportRows(kind, columns, count, rows())


def _fragments(db: Store) -> dict[str, str]:
    # the SQL of the queries above that each engine spells its own way
    sql = db.dialect
    return {
        "tags": sql.string_agg("tg.name", ", "),
        "score": sql.round("avg(r.score)", 2),
        "churn": sql.flag("exists(select 1 from churn_signals s where s.conversation_id = c.id)"),
        "position": sql.order("rc.position"),
    }


def _in_base(
    cents: int | None, currency: str, base: str | None, rates: dict[str, Decimal]
) -> tuple[str | None, str | None]:
    if cents is None or base is None or currency not in rates:
        return None, base
    return str((Decimal(cents) * rates[currency] / 100).quantize(Decimal("0.01"))), base
