"""`savedesk import`: helpdesk exports into the database, with a progress bar and a summary."""

from __future__ import annotations

import json
import os
import sys

import click

from desktop.cli.common import db_option, guarded, open_db, resolve_db_path
from review.errors import NotFound
from review.importing.formats import ReadOptions, all_formats
from review.importing.ledger import (
    FIGURE_COLUMNS,
    LEGEND,
    FileReport,
    ImportReport,
    figure_cells,
    import_history,
    ledger_lines,
    past_report,
    short_names,
)
from review.importing.run import import_files
from review.importing.suggesting import PHASE as SUGGESTIONS
from review.progress import run_to_end


def _parse_mapping(values: tuple[str, ...]) -> dict[str, str]:
    mapping: dict[str, str] = {}
    for value in values:
        for pair in value.split(","):
            if not pair.strip():
                continue
            if "=" not in pair:
                raise click.BadParameter(f"{pair!r} is not column=field", param_hint="--map")
            column, field = pair.split("=", 1)
            mapping[column.strip()] = field.strip()
    return mapping


@click.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
@db_option
@click.option(
    "--format",
    "format_name",
    default="auto",
    show_default=True,
    help="Export format; 'auto' detects it. One of: auto, "
    + ", ".join(f.name for f in all_formats()),
)
@click.option(
    "--strict", is_flag=True, help="Refuse a whole file when any record in it is unreadable."
)
@click.option(
    "--map",
    "mapping",
    multiple=True,
    help="CSV column mapping, e.g. 'Ticket=conversation_id,Body=body'.",
)
@click.option(
    "--timezone",
    "local_zone",
    default=None,
    help="IANA zone of exports that write local times (Zendesk CSV).",
)
@click.option(
    "--no-suggestions",
    is_flag=True,
    help="Skip the automatic quality suggestions for the conversations imported "
    "(`savedesk autoqa run` makes them later).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the result as one JSON object.")
@guarded
def import_command(
    paths, db_path, format_name, strict, mapping, local_zone, no_suggestions, as_json
) -> None:
    """Import helpdesk exports (files, .zip, .gz or folders) into the database.

    Importing the same export twice adds nothing; a newer export updates conversations and
    keeps their reviews and tags. The records are one transaction. Then the conversations the
    import added or changed get automatic quality suggestions, a batch at a time (Ctrl+C
    there keeps the import and the batches scored).
    """
    db = open_db(db_path)  # creates and migrates before the job opens its own connection
    db.close()
    options = ReadOptions(mapping=_parse_mapping(mapping), local_zone=local_zone)
    report = ImportReport()
    job = import_files(
        resolve_db_path(db_path),
        list(paths),
        format=format_name,
        strict=strict,
        options=options,
        suggest=not no_suggestions,
        report=report,
    )
    try:
        run_to_end(job) if as_json or not sys.stderr.isatty() else _run_with_bar(job)
    except KeyboardInterrupt:
        job.close()  # a cancel: the records roll back, or (after them) whole batches stay
        if not report.committed:
            raise
        _print_summary(report)
        sys.exit(130)
    if as_json:
        click.echo(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
    else:
        _print_summary(report)
    if report.failed:
        sys.exit(1)
    if not any(not f.skipped for f in report.files):
        click.echo(
            f"Nothing imported: no helpdesk export found in {', '.join(paths)}. "
            f"savedesk reads: {', '.join(f.name for f in all_formats())}.",
            err=True,
        )
        sys.exit(1)


def _amount(step) -> str:
    if step.phase == SUGGESTIONS:
        return f"{step.done:,}/{step.total:,} conversations"
    return f"{step.done / 1e6:,.1f}/{step.total / 1e6:,.1f} MB"


def _run_with_bar(job) -> ImportReport:
    """Drive the import with a bar per phase: the records (bytes), then the suggestions
    (conversations)."""
    from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

    with Progress(
        TextColumn("[bold]{task.fields[title]}"),
        BarColumn(),
        TextColumn("{task.fields[amount]}"),
        TimeRemainingColumn(),
        TextColumn("{task.description}"),
        transient=True,
    ) as bar:
        task = bar.add_task("", total=None, title="Importing", amount="")
        phase = ""
        while True:
            try:
                step = next(job)
            except StopIteration as stop:
                return stop.value
            if step.phase != phase:
                phase = step.phase
                bar.remove_task(task)
                task = bar.add_task("", total=None, title="Suggesting", amount="")
            label = step.label if step.phase == SUGGESTIONS else step.label[-50:]
            bar.update(
                task,
                completed=step.done,
                total=step.total or None,
                description=label,
                amount=_amount(step),
            )


def _short_names(paths: list[str]) -> list[str]:
    """Paths without the folder they all share, so the table shows what tells them apart."""
    return short_names(paths)


_FIGURES = FIGURE_COLUMNS
_LEGEND = LEGEND
_figures = figure_cells


def _print_figures(shown: list[FileReport]) -> None:
    """Each imported file's figures: a table where whole file names fit, else a file a line."""
    from rich.console import Console
    from rich.table import Table

    if not shown:
        return  # every file was passed over; the caller says so
    console = Console(stderr=False)
    names = _short_names([f.path for f in shown])
    formats = [f.format or "-" for f in shown]
    rows = [_figures(f) for f in shown]
    widths = [max(len(c), *(len(r[i]) for r in rows)) for i, c in enumerate(_FIGURES)]
    # the table's width with every file name whole: borders, padding and the figure columns
    needed = (
        max(map(len, names)) + max(map(len, formats)) + sum(widths) + 3 * (len(_FIGURES) + 2) + 1
    )
    if needed > console.width:
        # A narrow terminal or a pipe (80 columns): a table would fold the file names a few
        # letters a line, so each file gets its own line and its figures the next.
        console.print("[bold]Import[/bold]")
        for name, fmt, row in zip(names, formats, rows, strict=True):
            console.print(name, style="bold", highlight=False, soft_wrap=True)
            figures = ", ".join(
                f"{column} {value}" for column, value in zip(_FIGURES, row, strict=True)
            )
            console.print(f"  {fmt}: {figures}", highlight=False, soft_wrap=True)
        console.print(f"({_LEGEND})", highlight=False, soft_wrap=True)
        return
    table = Table(title="Import", caption=_LEGEND)
    table.add_column("file", no_wrap=True)
    table.add_column("format", no_wrap=True)
    for column in _FIGURES:
        table.add_column(column, justify="right", no_wrap=True)
    for name, fmt, row in zip(names, formats, rows, strict=True):
        table.add_row(name, fmt, *row)
    console.print(table)


def _print_summary(report: ImportReport) -> None:
    _print_figures([f for f in report.files if not f.skipped or f.error])
    skipped = [f.path for f in report.files if f.skipped and not f.error]
    if skipped:
        click.echo(
            f"Skipped {len(skipped)} file(s): "
            + ", ".join(
                f"{os.path.basename(f.path)} ({f.skipped})"
                for f in report.files
                if f.skipped and not f.error
            ),
            err=True,
        )
    for f in report.files:
        for line in ledger_lines(f):
            if line.kind == "skipped":
                continue
            click.echo(f"{f.path}: {line.text}", err=True)
    if report.suggestions is not None:
        click.echo(report.suggestions.sentence(), err=True)
    if report.run_id is not None:
        click.echo(f"This import is #{report.run_id} in the history (savedesk imports).", err=True)


@click.command("imports")
@click.argument("run", required=False, type=int)
@db_option
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
@guarded
def imports_command(run, db_path, as_json) -> None:
    """The import history; with RUN, that import's whole ledger again."""
    db = open_db(db_path)
    try:
        if run is None:
            history = import_history(db)
            if as_json:
                click.echo(json.dumps([h.__dict__ for h in history], ensure_ascii=False, indent=2))
                return
            if not history:
                click.echo("No imports yet.")
                return
            for h in history:
                named = ", ".join(h.paths)
                click.echo(
                    f"#{h.run_id}  {h.started_at}  {h.status:8}  {h.files} file(s), "
                    f"{h.conversations_added:,} conversations added, "
                    f"{h.conversations_updated:,} updated, {h.failed} failed, "
                    f"{h.rejected} rejected  {named}"
                )
            return
        report = past_report(db, run)
        if report is None:
            raise NotFound("import", run)
    finally:
        db.close()
    if as_json:
        click.echo(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
    else:
        click.echo(f"Import #{report.run_id} of {report.started_at}")
        _print_summary(report)
