"""`savedesk push FILE.db URL`: a lead's laptop database into the team store, in one go."""

from __future__ import annotations

import click

from desktop.cli.common import guarded


@click.command("push")
@click.argument("database", type=click.Path(exists=True, dir_okay=False))
@click.argument("url")
@click.option("--as", "as_login", help="An admin pushing a lead's work: the lead's login.")
@click.option("--dry-run", is_flag=True, help="Say what would be pushed; write nothing.")
@guarded
def push_command(database: str, url: str, as_login: str | None, dry_run: bool) -> None:
    """Push the reviews (and, as an admin, the conversations) of DATABASE into the team store
    at URL: conversations merged by helpdesk id, so pushing again adds nothing."""
    from review.importing.push import push
    from review.store import open_store

    source = open_store(database, create=False)
    target = open_store(url)
    try:
        report = push(source, target, as_login=as_login, dry_run=dry_run)
    finally:
        source.close()
        target.close()
    for line in report.lines():
        click.echo(line)
