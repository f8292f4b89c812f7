"""`savedesk demo`: a database full of believable data, for a first look and for screenshots."""

from __future__ import annotations

from pathlib import Path

import click

from desktop.cli.common import db_option, guarded, resolve_db_path


@click.command("demo")
@db_option
@click.option("--replace", is_flag=True, help="Delete an existing database at that path first.")
@guarded
def demo_command(db_path: str | None, replace: bool) -> None:
    """Build a demo database from the sample exports that ship with savedesk."""
    from review.demo import build_demo

    path = Path(resolve_db_path(db_path))
    if path.exists() and not replace:
        raise click.ClickException(f"{path} already exists; pass --replace to build it anew.")
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    summary = build_demo(path)
    click.echo(f"Demo database ready: {path}")
    for line in summary:
        click.echo(f"  {line}")
