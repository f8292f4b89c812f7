"""`savedesk push FILE.db URL`: a lead's laptop database into the team store, in one go."""

from __future__ import annotations

import click

from desktop.cli.common import guarded


@click.command("push")
@click.argument("database", type=click.Path(exists=True, dir_okay=False))
@click.argument("url")
@click.option("--as", "as_login", help="An admin pushing a lead's work: the lead's login.")
@click.option("--dry-run", is_flag=True, help="Say what would be pushed; write nothing.")
@click.option(
    "--strict",
    is_flag=True,
    help="Push nothing unless every record goes on (none refused, in conflict or left out).",
)
@guarded
def push_command(
    database: str, url: str, as_login: str | None, dry_run: bool, strict: bool
) -> None:
    """Push a lead's work in DATABASE into the team store at URL, in one transaction: reviews,
    tags, saved and lost customers, coaching notes (and, as an admin, the conversations),
    conversations merged by helpdesk id. Pushing again adds nothing; a colleague's later
    change on the team store is never overwritten (a conflict, named in the report)."""
    from review.importing.push import push
    from review.store import open_store

    source = open_store(database, create=False)
    target = open_store(url)
    try:
        report = push(source, target, as_login=as_login, dry_run=dry_run, strict=strict)
    finally:
        source.close()
        target.close()
    for line in report.lines():
        click.echo(line)
