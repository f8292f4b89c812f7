"""`savedesk stats`: what the store holds, and every figure of DOMAIN.md for a period and
filters (`--json`: each figure an object with "value", null for no data, and "n")."""

from __future__ import annotations

import json

import click

from desktop.cli.common import db_option, guarded, open_db
from review.figures import Figure, all_metrics, find_agent_ids, find_team_ids
from review.figures.counts import store_counts
from review.filters import Filters

_LABELS = {
    "quality_score": "Quality score",
    "saved_mrr": "Saved MRR (all not failed)",
    "saved_arr": "Saved ARR (all not failed)",
    "saved_mrr_confirmed": "Saved MRR (confirmed)",
    "saved_arr_confirmed": "Saved ARR (confirmed)",
    "lost_mrr": "Lost MRR",
    "save_rate": "Save rate",
    "nps": "NPS",
    "csat": "CSAT",
    "fcr": "First contact resolution",
    "first_response_median_s": "First response, median",
    "first_response_p90_s": "First response, 90th percentile",
    "resolution_rate": "Resolution rate",
    "crr": "Customer retention rate",
    "churn_rate": "Churn rate",
    "churn_rate_adjusted": "Churn rate, adjusted",
}


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
    """Counts of what the store holds, then every figure (quality, saves, losses, NPS, CSAT,
    FCR, response times, resolution, retention) for the period and filters given."""
    db = open_db(db_path)
    figures = store_counts(db)
    filters = Filters(
        date_from=date_from,
        date_to=date_to,
        agent_ids=tuple(i for a in agents for i in find_agent_ids(db, a)),
        team_ids=tuple(i for t in teams for i in find_team_ids(db, t)),
        channels=tuple(channels),
    )
    metrics = all_metrics(db, filters)
    if as_json:
        out = {**figures, **{key: f.as_dict() for key, f in metrics.items()}}
        out["filters"] = filters.describe()
        click.echo(json.dumps(out, ensure_ascii=False, indent=2))
        return
    _print_tables(figures, metrics, filters)


def duration_text(seconds: float) -> str:
    """A wait as a team lead reads it: "45 s", "12 min", "1 h 25 min", "2 d 3 h"."""
    whole = round(seconds)
    if whole < 60:
        return f"{whole} s"
    minutes = round(seconds / 60)
    if minutes < 60:
        return f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    if hours < 24:
        return f"{hours} h {minutes} min" if minutes else f"{hours} h"
    days, hours = divmod(round(seconds / 3600), 24)
    return f"{days} d {hours} h" if hours else f"{days} d"


def _shown(figure: Figure) -> str:
    if figure.value is None:
        if figure.parts:
            return "  ".join(f"{v:,.2f} {cur}" for cur, v in sorted(figure.parts.items()))
        return "no data"
    unit = figure.unit
    if unit == "%":
        text = f"{figure.value:.1f}%"
    elif unit == "s":
        text = duration_text(figure.value)
    elif unit == "score":
        text = f"{figure.value:.1f}"
        if figure.low is not None:
            text += f" (95% {figure.low:.1f}–{figure.high:.1f})"
        if figure.few:
            text += " ⚠ fewer than 5 reviews"
    elif len(unit) == 3:
        text = f"{figure.value:,.2f} {unit}"
    else:
        text = f"{figure.value:,.1f}"
    return text


def _print_tables(figures: dict, metrics: dict[str, Figure], filters: Filters) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console()
    table = Table(title="savedesk store", show_header=False)
    for key in (
        "conversations",
        "messages",
        "internal_notes",
        "events",
        "customers",
        "agents",
        "ratings",
    ):
        if key in figures:
            table.add_row(key.replace("_", " "), f"{figures[key]:,}")
    console.print(table)
    for key in ("by_source", "by_channel"):
        sub = Table(title=key.replace("_", " "))
        sub.add_column(key.split("_")[1])
        sub.add_column("conversations", justify="right")
        for name, count in figures[key].items():
            sub.add_row(str(name), f"{count:,}")
        console.print(sub)
    table = Table(title=f"Figures: {filters.describe()}")
    table.add_column("figure")
    table.add_column("value", justify="right")
    table.add_column("n", justify="right")
    for key, label in _LABELS.items():
        table.add_row(label, _shown(metrics[key]), f"{metrics[key].n:,}")
    console.print(table)
    reasons = metrics["lost_mrr_by_reason"]
    if getattr(reasons, "rows", None):
        sub = Table(title="Lost MRR by reason")
        sub.add_column("reason")
        sub.add_column("lost MRR", justify="right")
        sub.add_column("losses", justify="right")
        for row in reasons.rows:
            sub.add_row(row.label, _shown(row.figure), str(row.figure.n))
        console.print(sub)
