"""`savedesk report ...` (PDF reports) and `savedesk export ...` (CSV files)."""

from __future__ import annotations

import click

from desktop.cli.common import db_option, guarded, open_db, resolve_db_path, run_with_bar
from reports.build import REPORT_KINDS, build_report
from reports.csv_export import EXPORT_KINDS, export_job
from review.filters import Filters
from review.lookup import find_agent_ids, find_team_ids


def _filters(db_path: str | None, date_from, date_to, agent, team) -> Filters:
    """The filters of the options, agents and teams resolved as `savedesk stats` resolves them
    (a team's name is every team of that name), so a report and stats rest on the same
    conversations."""
    agent_ids: tuple[int, ...] = ()
    team_ids: tuple[int, ...] = ()
    if agent or team:
        db = open_db(db_path)
        try:
            agent_ids = tuple(i for a in agent for i in find_agent_ids(db, a))
            team_ids = tuple(i for t in team for i in find_team_ids(db, t))
        finally:
            db.close()
    return Filters(
        date_from=date_from.date().isoformat() if date_from else None,
        date_to=date_to.date().isoformat() if date_to else None,
        agent_ids=agent_ids,
        team_ids=team_ids,
    )


def _run(job, label: str):
    """Drive a job generator with a progress bar on stderr; return its result."""
    return run_with_bar(job, label)


period_options = [
    click.option("--from", "date_from", type=click.DateTime(["%Y-%m-%d"]), default=None,
                 help="First day (YYYY-MM-DD) of conversations included."),
    click.option("--to", "date_to", type=click.DateTime(["%Y-%m-%d"]), default=None,
                 help="Last day (YYYY-MM-DD), inclusive."),
    click.option("--agent", multiple=True, help="Agent id or name (repeatable)."),
    click.option("--team", multiple=True, help="Team id or name (repeatable)."),
]  # fmt: skip


def _with(options):
    def apply(fn):
        for option in reversed(options):
            fn = option(fn)
        return fn

    return apply


@click.command("report")
@click.argument("kind", type=click.Choice(REPORT_KINDS))
@db_option
@_with(period_options)
@click.option("--paper", type=click.Choice(["a4", "letter"]), default="a4", show_default=True)
@click.option("--mask", is_flag=True, help="Mask customers' e-mails, phones and names.")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False),
              help="The PDF file to write.")  # fmt: skip
@guarded
def report_command(kind, db_path, date_from, date_to, agent, team, paper, mask, output) -> None:
    """Write a PDF report: saved-revenue (managers), coaching (one --agent), quality.

    Every figure states its period, filters and how many conversations or reviews it rests on.
    """
    filters = _filters(db_path, date_from, date_to, agent, team)
    open_db(db_path).close()  # create or migrate before the job opens its own connection
    job = build_report(kind, resolve_db_path(db_path), filters, paper, mask, output)
    built = _run(job, f"Building the {kind} report")
    click.echo(f"Wrote {built.path} ({built.pages} pages, {built.size_bytes / 1024:,.0f} kB)")


@click.command("export")
@click.argument("kind", type=click.Choice(EXPORT_KINDS))
@db_option
@_with(period_options)
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False),
              help="The CSV file to write (UTF-8 with BOM).")  # fmt: skip
@guarded
def export_command(kind, db_path, date_from, date_to, agent, team, output) -> None:
    """Write a CSV file: conversations, reviews (one row per rating), saves or losses."""
    filters = _filters(db_path, date_from, date_to, agent, team)
    open_db(db_path).close()
    rows = _run(export_job(resolve_db_path(db_path), kind, output, filters), f"Exporting {kind}")
    click.echo(f"Wrote {output} ({rows:,} rows)")
