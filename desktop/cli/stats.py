"""`savedesk stats`: what the store holds, and every figure of DOMAIN.md for a period and
filters, from review.figures' overview (the same figures the dashboard and reports show).

`--json`: each figure an object {"value" (null for no data), "n", "unit", and "low", "high",
"few" where it rests on a sample}, with the targets, the exchange rates and the filters.
"""

from __future__ import annotations

import json

import click

from desktop.cli.common import db_option, guarded, open_db
from review.figures.overview import Overview, overview
from review.figures.store_contents import store_counts
from review.figures.targets import TARGETS, judge
from review.figures.values import Figure
from review.figures.wording import FEW_MARK, figure_text, value_text
from review.filters import Filters
from review.lookup import find_agent_ids, find_team_ids
from review.retention.set_aside import set_aside_counts, set_aside_sentence


def _date(ctx, param, value: str | None) -> str | None:
    if value is None:
        return None
    from datetime import date

    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date (YYYY-MM-DD)") from None


@click.command("stats")
@db_option
@click.option("--from", "date_from", callback=_date, help="First day, YYYY-MM-DD (inclusive).")
@click.option("--to", "date_to", callback=_date, help="Last day, YYYY-MM-DD (inclusive).")
@click.option("--agent", "agents", multiple=True, help="Agent id, name or email (repeatable).")
@click.option("--team", "teams", multiple=True, help="Team id or name (repeatable).")
@click.option(
    "--channel", "channels", multiple=True, help="Channel, e.g. email, chat (repeatable)."
)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@guarded
def stats_command(db_path, date_from, date_to, agents, teams, channels, as_json) -> None:
    """Counts of what the store holds, then every figure (saves, losses, quality beside
    retention, NPS, CSAT, FCR, response times, resolution, retention) for the period and
    filters given, with their n, 95% intervals and the teams' usual targets."""
    db = open_db(db_path)
    counts = store_counts(db)
    filters = Filters(
        date_from=date_from,
        date_to=date_to,
        agent_ids=tuple(i for a in agents for i in find_agent_ids(db, a)),
        team_ids=tuple(i for t in teams for i in find_team_ids(db, t)),
        channels=tuple(channels),
    )
    figures = overview(db, filters)
    if as_json:
        saves, losses = set_aside_counts(db)
        out = {**counts, **figures.as_dict(), "set_aside": {"saves": saves, "losses": losses}}
        click.echo(json.dumps(out, ensure_ascii=False, indent=2))
        return
    _print_tables(counts, figures, set_aside_sentence(db))


def _row(table, label: str, figure: Figure, noun: str, note: str = "") -> None:
    table.add_row(label, figure_text(figure), f"{figure.n:,} {noun}", note)


def _print_tables(counts: dict, f: Overview, set_aside: str | None = None) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console()
    table = Table(title="savedesk store", show_header=False)
    for key in ("conversations", "messages", "internal_notes", "events", "customers", "agents"):
        table.add_row(key.replace("_", " "), f"{counts[key]:,}")
    table.add_row("ratings", f"{counts['ratings']:,}")
    console.print(table)
    for key in ("by_source", "by_channel"):
        sub = Table(title=key.replace("_", " "))
        sub.add_column(key.split("_")[1])
        sub.add_column("conversations", justify="right")
        for name, count in counts[key].items():
            sub.add_row(str(name), f"{count:,}")
        console.print(sub)
    c = f.coverage
    console.print(
        f"\n[bold]Figures[/bold]: {c.period}; {c.filters}; {f.conversations:,} conversations; "
        f"money {c.rates}"
    )
    if set_aside:
        console.print(set_aside, markup=False)

    def figures_table(title: str):
        t = Table(title=title)
        t.add_column("figure")
        t.add_column("value (95% interval)", justify="right")
        t.add_column("n", justify="right")
        t.add_column("target / note")
        return t

    money = figures_table("Saved and lost recurring revenue")
    _row(money, "Saved MRR (confirmed + pending)", f.saved.mrr, "saves")
    _row(money, "  confirmed", f.saved.confirmed_mrr, "saves")
    _row(money, "  pending", f.saved.pending_mrr, "saves")
    _row(money, "Saved ARR (confirmed + pending)", f.saved.arr, "saves", "ARR = 12 × MRR")
    _row(money, "Lost MRR", f.lost.mrr, "losses", "right outcomes left out")
    _row(money, "  judged preventable", f.lost.preventable_mrr, "losses")
    _row(money, "Right outcomes (Not a fit)", f.lost.right_outcomes, "losses", "apart")
    _row(money, "Net MRR (saved - lost)", f.net_mrr, "saves and losses")
    _row(money, "Save rate", f.save_rate, "saves and losses", "saves / (saves + losses)")
    console.print(money)

    service = figures_table("Quality and service")
    _row(service, "Quality score", f.quality, "reviews", f.quality.note)
    auto = f.auto_quality
    _row(service, "Auto quality score (rules)", auto.people, "conversations", auto.people.note)
    _row(service, "  bots' conversations", auto.bots, "conversations", "scored apart")
    _row(service, "CSAT", f.csat, "ratings", judge("csat", f.csat))
    _row(service, "NPS", f.nps, "answers", judge("nps", f.nps))
    _row(service, "First contact resolution", f.fcr, "conversations")
    _row(service, "First response, median", f.first_response.median, "conversations")
    _row(service, "First response, 90th percentile", f.first_response.p90, "conversations")
    chat = f.first_reply_chat.median
    _row(service, "First reply on chat, median", chat, "chats", judge("first_reply_chat", chat))
    _row(service, "Resolution rate", f.resolution_rate, "conversations",
         judge("resolution_rate", f.resolution_rate))  # fmt: skip
    console.print(service)

    customers = figures_table("Customers")
    _row(customers, "Customer retention rate", f.crr, "customers at start")
    _row(customers, "Churn rate", f.churn_rate, "customers at start",
         judge("churn_rate", f.churn_rate) or TARGETS["churn_rate"].text)  # fmt: skip
    _row(customers, "Churn rate, adjusted", f.churn_rate_adjusted, "customers at start")
    _row(customers, "Retention, customers who contacted support", f.contacts.contacted,
         "customers")  # fmt: skip
    _row(customers, "Retention, customers who did not", f.contacts.not_contacted, "customers")
    console.print(customers)

    if f.reasons:
        sub = Table(title="Lost MRR by reason (right outcomes apart)")
        sub.add_column("reason")
        sub.add_column("lost MRR", justify="right")
        sub.add_column("losses", justify="right")
        for row in f.reasons:
            label = row.label + (" — right outcome" if row.right_outcome else "")
            sub.add_row(label, value_text(row.figure), f"{row.figure.n:,}")
        console.print(sub)

    for title, rows in (("agent", f.agents), ("team", f.teams)):
        sub = Table(title=f"Quality beside retention by {title}")
        for name in (title, "quality", "n", "save rate", "n", "saved MRR", "n", "lost MRR", "n"):
            sub.add_column(name, justify="left" if name == title else "right")
        for r in (*rows, f.everyone):
            sub.add_row(
                r.label,
                figure_text(r.quality), str(r.quality.n),
                figure_text(r.save_rate), str(r.save_rate.n),
                value_text(r.saved_mrr), str(r.saved_mrr.n),
                value_text(r.lost_mrr), str(r.lost_mrr.n),
            )  # fmt: skip
        console.print(sub)

    if f.categories:
        sub = Table(title="Per category: mean rating where saved against where lost (0-100)")
        for name in ("category", "saved", "n", "lost", "n", "difference"):
            sub.add_column(name, justify="left" if name == "category" else "right")
        for k in f.categories:
            diff = "no data" if k.difference is None else f"{k.difference:+.1f}"
            sub.add_row(k.category, figure_text(k.saved), str(k.saved.n),
                        figure_text(k.lost), str(k.lost.n), diff)  # fmt: skip
        console.print(sub)
    if len(f.quality_by_version) > 1:
        sub = Table(title="Quality by rubric version")
        sub.add_column("rubric")
        sub.add_column("quality", justify="right")
        sub.add_column("n", justify="right")
        for g in f.quality_by_version:
            sub.add_row(g.label, figure_text(g.figure), str(g.figure.n))
        console.print(sub)
    console.print(f"{FEW_MARK}: fewer than 10 reviews, ratings or tags under it; trust it little")
