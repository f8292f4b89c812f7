"""`savedesk stats`: what the store holds."""

from __future__ import annotations

import json

import click

from desktop.cli.common import db_option, guarded, open_db
from review.counts import store_counts


@click.command("stats")
@db_option
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@guarded
def stats_command(db_path: str | None, as_json: bool) -> None:
    """Counts of conversations, messages, notes, customers and agents, by source and channel."""
    db = open_db(db_path)
    figures = store_counts(db)
    if as_json:
        click.echo(json.dumps(figures, ensure_ascii=False, indent=2))
        return
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
        table.add_row(key.replace("_", " "), f"{figures[key]:,}")
    console.print(table)
    for key in ("by_source", "by_channel"):
        sub = Table(title=key.replace("_", " "))
        sub.add_column(key.split("_")[1])
        sub.add_column("conversations", justify="right")
        for name, count in figures[key].items():
            sub.add_row(str(name), f"{count:,}")
        console.print(sub)
