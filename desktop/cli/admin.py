"""`savedesk admin`: setting up a team store on a PostgreSQL server and the people who use it.

Run as the database's owner with the right to create roles (the postgres superuser, or a
savedesk admin login for `user add` and `user remove`). Passwords come from libpq's own places;
`--password-prompt` sets a new login's first password without it touching a shell history.
"""

from __future__ import annotations

import click

from desktop.cli.common import guarded, resolve_db_path
from review.errors import InvalidInput
from review.store.policies import ROLES
from review.store.targets import describe_url, is_server_url, safe_url


@click.group("admin")
def admin_command() -> None:
    """Set up a team store on a PostgreSQL server and manage its people."""


@admin_command.command("init")
@click.argument("url")
@guarded
def init_command(url: str) -> None:
    """Make the database at URL a team store: schema, roles, row-level security, audit."""
    from review.store.roles import init_server

    was, now = init_server(url)
    schema = (
        f"created at {now}"
        if was is None
        else f"at {now}" + (f" (was {was})" if was != now else "")
    )
    click.echo(f"Team store ready at {safe_url(url)}: schema {schema}; roles "
               f"{', '.join(ROLES)}, row-level security and the audit trail in place.")  # fmt: skip
    click.echo("Next: savedesk admin user add LOGIN --role ROLE for each person.")


@admin_command.command("upgrade")
@click.argument("url", required=False)
@guarded
def upgrade_command(url: str | None) -> None:
    """Upgrade the team store at URL (default: --db or $SAVEDESK_DB) to this savedesk's schema
    and rules (roles, row-level security, the audit trail): an admin's job.

    Run it once per savedesk release; the schema upgrade is one transaction (all of it, or
    nothing). A file needs no admin: savedesk upgrades it when it opens it, after a backup.
    """
    from review.store.roles import init_server

    target = resolve_db_path(url)
    if not is_server_url(target):
        raise InvalidInput(
            f"{target} is a file, not a team store: savedesk upgrades a file itself when it "
            "opens it (after a backup); admin upgrade takes a postgresql:// URL."
        )
    was, now = init_server(target)
    where = f"{describe_url(target)} ({safe_url(target)})"
    if was is None:
        schema = f"was empty and now holds savedesk's schema {now}"
    elif was == now:
        schema = f"schema at {now} (already)"
    else:
        schema = f"schema at {now} (was {was})"
    click.echo(
        f"Team store {where}: {schema}; roles, row-level security and the audit trail renewed."
    )


@admin_command.group("user")
def user_command() -> None:
    """Add, remove and list the people of a team store."""


@user_command.command("add")
@click.argument("login")
@click.option("--url", envvar="SAVEDESK_DB", required=True, help="The team store's URL.")
@click.option("--role", type=click.Choice(ROLES), required=True, help="What this person may do.")
@click.option("--team", "teams", multiple=True, help="A team a lead leads (repeat for more).")
@click.option("--agent", help="For an agent: the agent they are (name, email or helpdesk id).")
@click.option("--password-prompt", is_flag=True, help="Set the login's password (asked twice).")
@guarded
def user_add_command(
    login: str,
    url: str,
    role: str,
    teams: tuple[str, ...],
    agent: str | None,
    password_prompt: bool,
) -> None:
    """Add LOGIN as a person of the team store in one role (or move them to it)."""
    from review.store.roles import add_person

    password = None
    if password_prompt:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    person = add_person(url, login, role, teams=teams, agent=agent, password=password)
    what = f" for agent {person.agent}" if person.agent else ""
    if person.teams:
        what += f" leading {', '.join(person.teams)}"
    article = "an" if person.role[0] in "aeiou" else "a"
    click.echo(f"{person.login} is now {article} {person.role}{what}.")


@user_command.command("remove")
@click.argument("login")
@click.option("--url", envvar="SAVEDESK_DB", required=True, help="The team store's URL.")
@guarded
def user_remove_command(login: str, url: str) -> None:
    """Remove LOGIN: the login can no longer sign in; what they wrote stays under their name."""
    from review.store.roles import remove_person

    remove_person(url, login)
    click.echo(f"{login} removed; their reviews and notes stay under their name.")


@user_command.command("list")
@click.option("--url", envvar="SAVEDESK_DB", required=True, help="The team store's URL.")
@guarded
def user_list_command(url: str) -> None:
    """List the people of the team store."""
    from review.store.roles import people

    for person in people(url):
        extra = f" agent={person.agent}" if person.agent else ""
        extra += f" teams={','.join(person.teams)}" if person.teams else ""
        click.echo(f"{person.login}\t{person.role}{extra}")
