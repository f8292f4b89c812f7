"""`savedesk admin`: what only a team store's admin does. `admin upgrade URL` brings the server's
schema to this savedesk's (creating it in an empty database), in one transaction; everyone else
who opens a server that is behind or ahead is told so in one sentence.
"""

from __future__ import annotations

import click

from desktop.cli.common import guarded, resolve_db_path
from review.errors import InvalidInput
from review.store.targets import describe_url, is_server_url, safe_url


@click.group("admin")
def admin_group() -> None:
    """An admin's work on a team store (a PostgreSQL server)."""


@admin_group.command("upgrade")
@click.argument("url", required=False)
@guarded
def upgrade_command(url: str | None) -> None:
    """Upgrade the team store at URL (default: --db or $SAVEDESK_DB) to this savedesk's schema.

    Run it once per savedesk release, as a user allowed to change the schema; the upgrade is one
    transaction (all of it, or nothing). A file needs no admin: savedesk upgrades it when it
    opens it, after a backup.
    """
    from review.store.server import upgrade_server

    target = resolve_db_path(url)
    if not is_server_url(target):
        raise InvalidInput(
            f"{target} is a file, not a team store: savedesk upgrades a file itself when it "
            "opens it (after a backup); admin upgrade takes a postgresql:// URL."
        )
    was, now = upgrade_server(target)
    where = f"{describe_url(target)} ({safe_url(target)})"
    if was == now:
        click.echo(f"The team store {where} is already at schema {now}: nothing to do.")
    elif was is None:
        click.echo(f"The team store {where} was empty and now holds savedesk's schema {now}.")
    else:
        click.echo(f"The team store {where} was at schema {was} and is now at {now}.")
