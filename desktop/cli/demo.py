"""`savedesk demo`: a database full of believable data, for a first look and for screenshots."""

from __future__ import annotations

from pathlib import Path

import click

from desktop.cli.common import db_option, guarded, resolve_db_path
from review.figures.store_contents import store_counts
from review.store import Target, open_store, parse_target


@click.command("demo")
@db_option
@click.option("--replace", is_flag=True, help="Delete an existing database at that path first.")
@guarded
def demo_command(db_path: str | None, replace: bool) -> None:
    """Build a demo database from the sample exports that ship with savedesk."""
    from review.demo import build_demo

    target = parse_target(resolve_db_path(db_path))
    if target.is_server:
        _refuse_a_full_server(target, replace)
        summary = build_demo(str(target.url))
        click.echo(f"Demo database ready: {target.describe()}")
        for line in summary:
            click.echo(f"  {line}")
        return
    path = Path(resolve_db_path(db_path))
    if path.exists() and not replace:
        raise click.ClickException(f"{path} already exists; pass --replace to build it anew.")
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    summary = build_demo(path)
    click.echo(f"Demo database ready: {path}")
    for line in summary:
        click.echo(f"  {line}")


def _refuse_a_full_server(target: Target, replace: bool) -> None:
    """A demo goes into an empty team store (at this savedesk's schema: `savedesk admin
    upgrade URL` makes it); savedesk never empties a server's database for one."""
    if replace:
        raise click.ClickException(
            "--replace does not empty a team store: build the demo in an empty database."
        )
    db = open_store(target)
    try:
        held = store_counts(db)["conversations"]
    finally:
        db.close()
    if held:
        raise click.ClickException(
            f"{target.describe()} already holds {held:,} conversations; "
            "build the demo in an empty database."
        )
