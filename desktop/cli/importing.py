"""`savedesk import`: helpdesk exports into the database, with a progress bar and a summary."""

from __future__ import annotations

import json
import os
import sys

import click

from desktop.cli.common import db_option, guarded, open_db, resolve_db_path
from review.importing.formats import ReadOptions, all_formats
from review.importing.run import FileReport, ImportReport, import_files
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
@click.option("--json", "as_json", is_flag=True, help="Print the result as one JSON object.")
@guarded
def import_command(paths, db_path, format_name, strict, mapping, local_zone, as_json) -> None:
    """Import helpdesk exports (files, .zip, .gz or folders) into the database.

    Importing the same export twice adds nothing; a newer export updates conversations and
    keeps their reviews and tags. The whole import is one transaction.
    """
    db = open_db(db_path)  # creates and migrates before the job opens its own connection
    db.conn.close()
    options = ReadOptions(mapping=_parse_mapping(mapping), local_zone=local_zone)
    job = import_files(
        resolve_db_path(db_path), list(paths), format=format_name, strict=strict, options=options
    )
    report = run_to_end(job) if as_json or not sys.stderr.isatty() else _run_with_bar(job)
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


def _run_with_bar(job) -> ImportReport:
    from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn

    with Progress(
        TextColumn("[bold]Importing"),
        BarColumn(),
        DownloadColumn(),
        TimeRemainingColumn(),
        TextColumn("{task.description}"),
        transient=True,
    ) as bar:
        task = bar.add_task("", total=None)
        while True:
            try:
                step = next(job)
            except StopIteration as stop:
                return stop.value
            bar.update(
                task, completed=step.done, total=step.total or None, description=step.label[-50:]
            )


def _short_names(paths: list[str]) -> list[str]:
    """Paths without the folder they all share, so the table shows what tells them apart."""
    if len(paths) < 2:
        return [os.path.basename(p) or p for p in paths]
    common = os.path.commonpath([os.path.dirname(p.split("!")[0]) or "." for p in paths])
    return [os.path.relpath(p, common) if common not in ("", "/") else p for p in paths]


_FIGURES = ("added", "updated", "unchanged", "rejected", "passed over")


def _figures(f: FileReport) -> tuple[int, ...]:
    return (f.added, f.updated, f.unchanged, len(f.rejected), sum(f.passed_over.values()))


def _print_figures(shown: list[FileReport]) -> None:
    """Each imported file's figures: a table where whole file names fit, else a file a line."""
    from rich.console import Console
    from rich.table import Table

    if not shown:
        return  # every file was passed over; the caller says so
    console = Console(stderr=False)
    names = _short_names([f.path for f in shown])
    formats = [f.format or "-" for f in shown]
    # the table's width with every file name whole: borders, padding and the figure columns
    needed = (
        max(map(len, names))
        + max(map(len, formats))
        + sum(len(column) for column in _FIGURES)
        + 3 * (len(_FIGURES) + 2)
        + 1
    )
    if needed > console.width:
        # A narrow terminal or a pipe (80 columns): a table would fold the file names a few
        # letters a line, so each file gets its own line and its figures the next.
        console.print("[bold]Import[/bold]")
        for name, fmt, f in zip(names, formats, shown, strict=True):
            console.print(name, style="bold", highlight=False, soft_wrap=True)
            figures = ", ".join(
                f"{column} {value}" for column, value in zip(_FIGURES, _figures(f), strict=True)
            )
            console.print(f"  {fmt}: {figures}", highlight=False)
        return
    table = Table(title="Import")
    table.add_column("file", no_wrap=True)
    table.add_column("format", no_wrap=True)
    for column in _FIGURES:
        table.add_column(column, justify="right", no_wrap=True)
    for name, fmt, f in zip(names, formats, shown, strict=True):
        table.add_row(name, fmt, *map(str, _figures(f)))
    console.print(table)


def _print_summary(report: ImportReport) -> None:
    _print_figures([f for f in report.files if not f.skipped])
    skipped = [f.path for f in report.files if f.skipped]
    if skipped:
        click.echo(
            f"Skipped {len(skipped)} file(s) in the folder that are not exports: "
            + ", ".join(os.path.basename(p) for p in skipped),
            err=True,
        )
    for f in report.files:
        if f.error:
            click.echo(f"Refused: {f.error}", err=True)
        for r in f.rejected:
            where = ", ".join(
                part
                for part in (
                    f"record {r.record}" if r.record is not None else "",
                    f"id {r.helpdesk_id}" if r.helpdesk_id else "",
                    f"field '{r.field}'" if r.field else "",
                )
                if part
            )
            click.echo(f"Skipped {f.path} ({where}): {r.problem}", err=True)
        for w in f.warnings:
            click.echo(f"Note on {f.path}: {w}", err=True)
        if f.passed_over:
            kinds = ", ".join(f"{k} {v}" for k, v in sorted(f.passed_over.items()))
            click.echo(f"Passed over in {f.path} (not conversations): {kinds}", err=True)
