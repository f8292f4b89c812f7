"""What the person signed in to a team store may do: the app reads it to offer only what the
server would allow (the server itself enforces it: review/store/policies.py), and push reads
whose work it writes. On a file there are no people: everything is allowed.

Kept apart from review.store.roles (setting a team store up, with SQLAlchemy) so that the app
opens a file without loading the server's libraries.
"""

from __future__ import annotations

from dataclasses import dataclass

from review.errors import SavedeskError
from review.store.policies import OWNER, SCHEMA
from review.store.sqlite_store import SqliteStore
from review.store.store import Store


@dataclass(frozen=True)
class Person:
    """One login of the team store: its role, the agent it is (agents) and its teams (leads)."""

    login: str
    role: str
    agent: str | None = None
    teams: tuple[str, ...] = ()


def signed_in(db: Store) -> Person | None:
    """The person the store's connection is signed in as (None on a file, or for a login that
    is not one of the store's people): the app reads the role only to hide what the server
    would refuse anyway."""
    if isinstance(db, SqliteStore):
        return None
    if db.execute(f"select to_regclass('{SCHEMA}.people')").scalar() is None:
        return None
    row = db.execute(
        f"select p.login, p.role, a.name from {SCHEMA}.people p "
        "left join agents a on a.id = p.agent_id where p.login = session_user"
    ).fetchone()
    if row is None:
        return None
    teams = tuple(
        r[0]
        for r in db.execute(
            f"select t.name from {SCHEMA}.people_teams pt join teams t on t.id = pt.team_id "
            "where pt.login = session_user order by t.name"
        )
    )
    return Person(row[0], row[1], row[2], teams)


def may_review(person: Person | None) -> bool:
    """Whether the person reviews and tags: on a team store only a lead does (policies.py
    grants reviews, ratings, saves and losses to leads alone); an agent is reviewed, a
    manager and an admin read. Nor do the others get the automatic rules' suggestions, which
    are a reviewer's. True on a file and for a login that is nobody (no roles to go by)."""
    return person is None or person.role == "lead"


def why_not_reviewing(person: Person | None) -> str | None:
    """One sentence on why this person's window shows reviews without letting them rate or
    tag (None when they review)."""
    if may_review(person):
        return None
    assert person is not None
    if person.role == "agent":
        return (
            "You read the reviews of your conversations here; to disagree with a score, "
            "dispute it (Review > Dispute this review…, Ctrl+Shift+D)."
        )
    return f"As a {person.role} you read reviews here; the team's leads rate and tag."


def may_see_queues(person: Person | None) -> bool:
    """False for an agent's login, whom the server refuses review queues (and claims)."""
    return person is None or person.role != "agent"


def may_import(db: Store) -> bool:
    """True when the store lets this connection add conversations (an admin's right)."""
    return may_write(db, "conversations")


def may_write(db: Store, table: str) -> bool:
    """True when the store lets this connection (in the role it has now) add rows to `table`
    at all: conversations and loss reasons are an admin's to add."""
    if isinstance(db, SqliteStore):
        return True
    return bool(
        db.execute(
            "select has_table_privilege(cast(:t as text), 'INSERT')", {"t": f"public.{table}"}
        ).scalar()
    )


def acting_as(db: Store, login: str | None) -> str:
    """Whose work a push writes, inside the caller's transaction: the signed-in login's own, or
    (an admin's push, `--as LOGIN`) that lead's, the admin taking the schema owner's role for
    this transaction only. The audit trail still names the admin as the one who wrote."""
    if isinstance(db, SqliteStore):
        if not login:
            raise SavedeskError("Name whose reviews these are with --as NAME.")
        return login
    me = db.signed_in_as() or str(db.execute("select session_user").scalar())
    if login is None or login == me:
        return me
    superuser, admin = db.execute(
        "select rolsuper, pg_has_role(session_user, 'savedesk_admin', 'member') "
        "from pg_roles where rolname = session_user"
    ).fetchone()
    if not (superuser or admin):
        raise SavedeskError(
            f"{me} may push only their own work; an admin pushes another person's with --as."
        )
    role = db.execute(f"select role from {SCHEMA}.people where login = :l", {"l": login}).scalar()
    if role != "lead":
        raise SavedeskError(f"{login} is not a lead of this team store, so has no reviews to push.")
    if not superuser:
        db.execute(f"set local role {OWNER}")
    return login


def leads(db: Store) -> list[str]:
    """The logins of the store's leads, by login: who a manager may name in a calibration
    session (none on a file, which has no people)."""
    if isinstance(db, SqliteStore):
        return []
    return [r[0] for r in db.execute(f"select login from {SCHEMA}.people where role = 'lead' "
                                     "order by login")]  # fmt: skip
