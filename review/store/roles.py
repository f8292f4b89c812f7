"""Setting up a team store on PostgreSQL and its people: `savedesk admin init` and `admin user`.

`init_server` brings an empty (or older) database to this savedesk's schema and then makes the
server the judge of who may do what (review/store/policies.py): the four group roles and the
owner role, GRANTs, row-level security, the defaults and triggers that make the writing login
the reviewer, and the audit trail. It runs as the database's owner with CREATEROLE (usually the
postgres superuser) and may run again at any time: every step replaces what it made before.

What the signed-in person may do, which the app and push ask, is review.store.rights.

Search needs no text search configuration of its own: documents and queries are tsvector and
tsquery literals of the words FTS5 would see (review/store/search_tables.py, tokens.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import Connection, text

from review.errors import SavedeskError
from review.store import policies
from review.store.policies import OWNER, ROLES, SCHEMA, group
from review.store.rights import Person
from review.store.server import server_engine, upgrade_server
from review.store.targets import safe_url

LOGIN = re.compile(r"^[A-Za-z][A-Za-z0-9_.@+-]{0,62}$")


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def check_locale(conn: Connection, url: str) -> None:
    """Refuse a database whose lower() does not fold Cyrillic (a C or POSIX ctype): savedesk's
    case-insensitive filters and search would then miss Russian text."""
    encoding, folded = conn.execute(
        text("select pg_encoding_to_char(encoding), lower('ОТМЕНА') from pg_database "
             "where datname = current_database()")
    ).one()  # fmt: skip
    if encoding != "UTF8" or folded != "отмена":
        ctype = conn.execute(text("show lc_ctype")).scalar()
        raise SavedeskError(
            f"The database at {safe_url(url)} cannot hold a team store: its encoding is "
            f"{encoding} and its character type {ctype}, so lower('ОТМЕНА') gives '{folded}', "
            "not 'отмена'; create it with ENCODING 'UTF8' and a UTF-8 locale such as "
            "LC_CTYPE 'C.UTF-8' (or 'en_US.UTF-8')."
        )


def _create_roles(conn: Connection) -> None:
    existing = {r[0] for r in conn.execute(text("select rolname from pg_roles"))}
    for name in (OWNER, *(group(r) for r in ROLES)):
        if name not in existing:
            # an admin takes the owner's rights only by `set role`, never by inheriting them
            inherit = "noinherit" if name == group("admin") else "inherit"
            conn.execute(text(f"create role {name} nologin {inherit}"))
    granted = conn.execute(
        text(f"select pg_has_role('{group('admin')}', '{OWNER}', 'member')")
    ).scalar()
    if not granted:
        conn.execute(text(f"grant {OWNER} to {group('admin')}"))


@dataclass(frozen=True)
class _Setter:
    """Who runs `admin init`: the database's owner (or a superuser), or an admin upgrading."""

    login: str
    owns_database: bool
    role: str | None  # the role to take first: the schema owner's, for an admin


def _setter(conn: Connection, url: str) -> _Setter:
    login, superuser, owns = conn.execute(
        text(
            "select session_user, r.rolsuper, pg_has_role(session_user, d.datdba, 'member') "
            "from pg_roles r, pg_database d "
            "where r.rolname = session_user and d.datname = current_database()"
        )
    ).one()
    admin = other = False
    if conn.execute(text(f"select to_regrole('{OWNER}')")).scalar() is not None:
        admin = bool(
            conn.execute(text(f"select pg_has_role(session_user, '{OWNER}', 'member')")).scalar()
        )
        other = any(
            conn.execute(text(f"select pg_has_role(session_user, '{group(r)}', 'member')")).scalar()
            for r in ("agent", "lead", "manager")
        )
    if other and not superuser:
        raise SavedeskError(
            f"{login} may not set up or upgrade the team store at {safe_url(url)}: that is an "
            "admin's job (savedesk admin user add LOGIN --role admin)."
        )
    if superuser or owns:
        return _Setter(login, True, None)
    if admin:
        return _Setter(login, False, OWNER)
    raise SavedeskError(
        f"{login} may not set up the team store at {safe_url(url)}: run `savedesk admin init` "
        "as the database's owner (or a superuser) the first time."
    )


def _hand_to_owner(conn: Connection) -> None:
    conn.execute(text(f"alter schema {SCHEMA} owner to {OWNER}"))
    for schema, name in conn.execute(
        text(
            "select n.nspname, c.relname from pg_class c "
            "join pg_namespace n on n.oid = c.relnamespace "
            "where n.nspname in ('public', :schema) and c.relkind in ('r', 'p', 'v') "
            "order by 1, 2"
        ),
        {"schema": SCHEMA},
    ):
        conn.execute(text(f"alter table {schema}.{_quote(name)} owner to {OWNER}"))
    for (signature,) in conn.execute(
        text(
            "select p.oid::regprocedure::text from pg_proc p "
            "join pg_namespace n on n.oid = p.pronamespace where n.nspname = :schema"
        ),
        {"schema": SCHEMA},
    ):
        conn.execute(text(f"alter function {signature} owner to {OWNER}"))


def _drop_policies(conn: Connection) -> None:
    for schema, table, name in conn.execute(
        text(
            "select schemaname, tablename, policyname from pg_policies "
            "where schemaname in ('public', :schema)"
        ),
        {"schema": SCHEMA},
    ).fetchall():
        conn.execute(text(f"drop policy {_quote(name)} on {schema}.{_quote(table)}"))


def _run(conn: Connection, statements: list[str] | str) -> None:
    # straight to psycopg without parameters: `%` in PL/pgSQL (%rowtype) is not a placeholder
    driver = conn.connection.driver_connection
    assert driver is not None
    for statement in [statements] if isinstance(statements, str) else statements:
        driver.execute(statement)


def init_server(url: str) -> tuple[str | None, str]:
    """Make the database at `url` a team store (see the module's docstring), or bring one to
    this savedesk's schema and rules again: (the schema revision it was at, the one it is at
    now). The first time as the database's owner; later an admin may run it (as the schema's
    owner role). Refuses a database that does not fold Cyrillic, and anyone else."""
    probe = server_engine(url)
    try:
        with probe.connect() as conn:
            check_locale(conn, url)
            setter = _setter(conn, url)
    finally:
        probe.dispose()
    was, now = upgrade_server(url, setter.role)
    engine = server_engine(url, setter.role)
    try:
        with engine.begin() as conn:
            database = conn.execute(text("select current_database()")).scalar()
            if setter.owns_database:
                _create_roles(conn)
                _run(conn, policies.database_grants(str(database)))
            _run(conn, policies.PEOPLE)
            _run(conn, policies.FUNCTIONS)
            _hand_to_owner(conn)
            _drop_policies(conn)
            for table in policies.policy_tables():
                name = table if "." in table else f"public.{table}"
                conn.execute(text(f"alter table {name} enable row level security"))
            _run(conn, policies.grants())
            _run(conn, policies.policies())
            _run(conn, policies.server_defaults())
            _run(conn, policies.audit_triggers())
        return was, now
    finally:
        engine.dispose()


def _team_ids(conn: Connection, names: tuple[str, ...]) -> list[int]:
    ids: list[int] = []
    for name in names:
        found = [
            r[0]
            for r in conn.execute(
                text("select id from teams where name = :n or external_id = :n order by id"),
                {"n": name},
            )
        ]
        if not found:
            known = [r[0] for r in conn.execute(text("select name from teams order by name"))]
            hint = f" (it has: {', '.join(known[:10])})" if known else " (import one first)"
            raise SavedeskError(f"This store has no team named '{name}'{hint}.")
        ids += found
    return ids


def _agent_id(conn: Connection, name: str) -> int:
    found = conn.execute(
        text(
            "select id from agents where name = :n or lower(email) = lower(:n) "
            "or external_id = :n order by id"
        ),
        {"n": name},
    ).fetchall()
    if len(found) != 1:
        problem = "no agent" if not found else f"{len(found)} agents"
        raise SavedeskError(
            f"This store has {problem} named '{name}'; name the agent by email or helpdesk id."
        )
    return int(found[0][0])


def add_person(
    url: str,
    login: str,
    role: str,
    *,
    teams: tuple[str, ...] = (),
    agent: str | None = None,
    password: str | None = None,
) -> Person:
    """Add a person as a login of the server in one role's group (or move an existing savedesk
    login to `role`). An agent is one of the store's agents; a lead leads one or more teams."""
    if not LOGIN.match(login) or login.startswith(("savedesk_", "pg_")):
        raise SavedeskError(
            f"'{login}' cannot be a login: use letters, digits and . _ @ + - "
            "(starting with a letter, at most 63)."
        )
    if role not in ROLES:
        raise SavedeskError(f"'{role}' is not a role: choose one of {', '.join(ROLES)}.")
    if role == "agent" and not agent:
        raise SavedeskError(f"An agent login needs --agent: which agent is {login}?")
    if role == "lead" and not teams:
        raise SavedeskError(f"A lead login needs --team: which team does {login} lead?")
    engine = server_engine(url)
    try:
        with engine.begin() as conn:
            if conn.execute(text(f"select to_regclass('{SCHEMA}.people')")).scalar() is None:
                raise SavedeskError(
                    f"The store at {safe_url(url)} has no people yet: run "
                    "`savedesk admin init` on it first."
                )
            agent_id = _agent_id(conn, agent) if agent else None
            if agent_id is not None:
                agent = conn.execute(
                    text("select coalesce(name, email, external_id) from agents where id = :a"),
                    {"a": agent_id},
                ).scalar()
            team_ids = _team_ids(conn, teams)
            _make_login(conn, login, role, password)
            conn.execute(
                text(
                    f"insert into {SCHEMA}.people (login, role, agent_id) values (:l, :r, :a) "
                    "on conflict (login) do update set role = excluded.role, "
                    "agent_id = excluded.agent_id"
                ),
                {"l": login, "r": role, "a": agent_id},
            )
            conn.execute(text(f"delete from {SCHEMA}.people_teams where login = :l"), {"l": login})
            for team_id in team_ids:
                conn.execute(
                    text(f"insert into {SCHEMA}.people_teams (login, team_id) values (:l, :t)"),
                    {"l": login, "t": team_id},
                )
        return Person(login, role, agent, tuple(teams))
    finally:
        engine.dispose()


def _make_login(conn: Connection, login: str, role: str, password: str | None) -> None:
    groups = {group(r) for r in ROLES}
    exists = conn.execute(text("select 1 from pg_roles where rolname = :l"), {"l": login}).scalar()
    if exists:
        member_of = {
            r[0]
            for r in conn.execute(
                text(
                    "select g.rolname from pg_auth_members m join pg_roles g on g.oid = m.roleid "
                    "join pg_roles u on u.oid = m.member where u.rolname = :l"
                ),
                {"l": login},
            )
        }
        if not member_of & groups:
            raise SavedeskError(
                f"'{login}' is already a login of this server that savedesk did not add; "
                "choose another login."
            )
        for name in sorted(member_of & groups):
            conn.execute(text(f"revoke {name} from {_quote(login)}"))
    else:
        conn.execute(text(f"create role {_quote(login)} login"))
    conn.execute(text(f"grant {group(role)} to {_quote(login)}"))
    # an admin adds and removes people as themselves (PostgreSQL 15: CREATEROLE is enough)
    right = "createrole" if role == "admin" else "nocreaterole"
    conn.execute(text(f"alter role {_quote(login)} {right}"))
    if password is not None:
        literal = "'" + password.replace("'", "''") + "'"
        _run(conn, f"alter role {_quote(login)} password {literal}")


def remove_person(url: str, login: str) -> None:
    """Remove a person: their login is dropped (what they wrote stays, under their name)."""
    engine = server_engine(url)
    try:
        with engine.begin() as conn:
            gone = conn.execute(
                text(f"delete from {SCHEMA}.people where login = :l returning login"),
                {"l": login},
            ).fetchone()
            if gone is None:
                raise SavedeskError(f"The store at {safe_url(url)} has no person '{login}'.")
            conn.execute(text(f"drop role if exists {_quote(login)}"))
    finally:
        engine.dispose()


def people(url: str) -> list[Person]:
    """Every person of the store, by login."""
    engine = server_engine(url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(
                text(
                    f"select p.login, p.role, a.name, (select string_agg(t.name, ', ' "
                    f"order by t.name) from {SCHEMA}.people_teams pt join teams t "
                    f"on t.id = pt.team_id where pt.login = p.login) from {SCHEMA}.people p "
                    "left join agents a on a.id = p.agent_id order by p.login"
                )
            ).fetchall()
        return [Person(r[0], r[1], r[2], tuple(r[3].split(", ")) if r[3] else ()) for r in rows]
    finally:
        engine.dispose()
