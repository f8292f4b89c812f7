"""What every command shares: the --db option, opening the database, error handling."""

from __future__ import annotations

import sys
from collections.abc import Callable

import click

from review.errors import SavedeskError
from review.operations import Actor, Call, Outcome, run
from review.store import open_store
from review.store.database import default_database_path
from review.store.failures import store_problem

CLI_SESSION = "cli"  # the command line's own undo history

db_option = click.option(
    "--db",
    "db_path",
    type=click.Path(dir_okay=False),
    default=None,
    help="The savedesk database file (default: $SAVEDESK_DB or the user data folder).",
)


def resolve_db_path(db_path: str | None) -> str:
    """The database path a command works on."""
    return str(db_path or default_database_path())


def open_db(db_path: str | None, create: bool = True):
    """Open (creating and migrating as needed) the database a command works on."""
    return open_store(resolve_db_path(db_path), create=create)


def run_guarded(command: click.Group | Callable[[], None]) -> None:
    """Run the click group (or a plain callable), turning savedesk errors into a message and
    exit code 1."""
    debug = "--debug" in sys.argv[1:]
    try:
        if isinstance(command, click.Command):
            command.main(standalone_mode=False, prog_name="savedesk")
        else:
            command()
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(1)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except SavedeskError as exc:
        if debug:
            raise
        click.echo(f"Error: {exc}", err=True)
        sys.exit(1)
    except KeyboardInterrupt:
        click.echo("Interrupted.", err=True)
        sys.exit(130)
    except Exception as exc:  # an unexpected failure: one line unless --debug
        if debug:
            raise
        problem = store_problem(exc)
        if problem is not None:
            click.echo(f"Error: nothing was written: {problem.cause}.", err=True)
            sys.exit(1)
        click.echo(f"Error: {type(exc).__name__}: {exc} (run with --debug for details)", err=True)
        sys.exit(1)


def guarded(fn: Callable) -> Callable:
    """Decorator for commands: savedesk errors become click errors (for CliRunner too)."""
    import functools

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except SavedeskError as exc:
            raise click.ClickException(str(exc)) from exc
        except Exception as exc:
            problem = store_problem(exc)
            if problem is None:
                raise
            raise click.ClickException(f"nothing was written: {problem.cause}.") from exc

    return wrapper


def run_with_bar(job, label: str):
    """Drive a job generator (it yields review.progress.Progress) with a progress bar on
    stderr when that is a terminal; return the job's result."""
    from review.progress import run_to_end

    if not sys.stderr.isatty():
        return run_to_end(job)
    from rich.console import Console
    from rich.progress import Progress as Bar

    with Bar(transient=True, console=Console(stderr=True)) as bar:
        task = bar.add_task(label, total=None)
        while True:
            try:
                step = next(job)
            except StopIteration as stop:
                return stop.value
            bar.update(
                task, completed=step.done, total=step.total or None, description=step.label or label
            )


def perform(db, call: Call, reviewer: str | None = None) -> Outcome:
    """Carry out one operation (review.operations) as the app does, in the CLI's session."""
    return run(db, Actor(CLI_SESSION, reviewer), call)
