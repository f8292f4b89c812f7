"""`savedesk demo`: a database full of believable data, for a first look and for screenshots."""

from __future__ import annotations

from pathlib import Path

import click

from desktop.cli.common import db_option, guarded, resolve_db_path
from review.errors import InvalidInput, StoreBehind
from review.store.targets import describe_url, is_server_url, safe_url


@click.command("demo")
@db_option
@click.option("--replace", is_flag=True, help="Delete an existing database at that path first.")
@guarded
def demo_command(db_path: str | None, replace: bool) -> None:
    """Build a demo database from the sample exports that ship with savedesk."""
    from review.demo import build_demo

    target = resolve_db_path(db_path)
    if is_server_url(target):
        _prepare_server(target, replace)
        summary = build_demo(target)
        click.echo(f"Demo database ready: {describe_url(target)} ({safe_url(target)})")
        for line in summary:
            click.echo(f"  {line}")
        return
    path = Path(target)
    if path.exists() and not replace:
        raise click.ClickException(f"{path} already exists; pass --replace to build it anew.")
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    summary = build_demo(path)
    click.echo(f"Demo database ready: {path}")
    for line in summary:
        click.echo(f"  {line}")


def _prepare_server(url: str, replace: bool) -> None:
    """A demo goes into an empty database on a server (given savedesk's schema here) or an
    empty savedesk store; a store holding conversations is never replaced from here."""
    from review.reviewing.browse import count_conversations
    from review.store import open_store
    from review.store.server import upgrade_server

    if replace:
        raise InvalidInput(
            "--replace does not empty a team store: build the demo in an empty database."
        )
    try:
        db = open_store(url)
    except StoreBehind as exc:
        if exc.at is not None:
            raise
        upgrade_server(url)  # an empty database: the demo's own
        return
    try:
        held = count_conversations(db)
    finally:
        db.close()
    if held:
        raise InvalidInput(
            f"The team store at {safe_url(url)} already holds {held} conversations: build "
            "the demo in an empty database."
        )
