"""The `savedesk` command: with no subcommand it opens the app; subcommands work headless.

click, because sqlite-utils already depends on it and its CliRunner makes the commands
testable in-process. Domain errors (review.errors.SavedeskError) become one clear line on
stderr and exit code 1; --debug shows the traceback instead.
"""

from __future__ import annotations

import os
import sys

import click

from desktop.cli.admin import admin_command
from desktop.cli.common import db_option, run_guarded
from desktop.cli.demo import demo_command
from desktop.cli.importing import import_command, imports_command
from desktop.cli.push import push_command
from desktop.cli.search import search_command
from desktop.cli.stats import stats_command


@click.group(invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--debug", is_flag=True, help="Show tracebacks instead of short error messages.")
@db_option
@click.pass_context
def cli(ctx: click.Context, debug: bool, db_path: str | None) -> None:
    """savedesk: review support quality with retention in mind, offline or on a team's server.

    With no command, opens the app; `savedesk PATH.db` or `savedesk --db URL` opens the app on
    that store (a file, or a postgresql:// URL). Every command takes --db too.
    """
    ctx.ensure_object(dict)
    ctx.obj["debug"] = debug
    ctx.obj["db"] = db_path
    if ctx.invoked_subcommand is None:
        _open_app(db_path or os.environ.get("SAVEDESK_DB") or None)


def _open_app(database: str | None) -> None:
    from desktop.app import run_app

    sys.exit(run_app(database))


from desktop.cli import rescoring  # noqa: E402, F401  (adds `rubric rescore`)
from desktop.cli.reporting import export_command, report_command  # noqa: E402
from desktop.cli.reviewing import COMMANDS as REVIEWING_COMMANDS  # noqa: E402

cli.add_command(report_command)
cli.add_command(export_command)

for command in (
    admin_command,
    import_command,
    imports_command,
    push_command,
    stats_command,
    search_command,
    demo_command,
    *REVIEWING_COMMANDS,
):
    cli.add_command(command)

from desktop.cli.autoqa import COMMANDS as AUTOQA_COMMANDS  # noqa: E402
from desktop.cli.retention import COMMANDS as RETENTION_COMMANDS  # noqa: E402

for command in (*RETENTION_COMMANDS, *AUTOQA_COMMANDS):
    cli.add_command(command)


def main() -> None:
    """Entry point of the `savedesk` console script.

    `savedesk PATH.db` (a path, not a command name) opens the app on that database.
    """
    args = [a for a in sys.argv[1:] if a != "--debug"]
    if len(args) == 1 and args[0] not in cli.commands and not args[0].startswith("-"):
        run_guarded(lambda: _open_app(args[0]))
        return
    run_guarded(cli)
