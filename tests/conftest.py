"""Shared fixtures. Qt draws offscreen: set before anything imports Qt."""

from __future__ import annotations

import gc
import os
import shutil
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402
from hypothesis import settings  # noqa: E402

from review.store import connect, open_store  # noqa: E402

# CI runs the property tests on a fixed sequence of examples, so a run fails only on a change,
# never on the luck of the draw; developers' runs keep exploring new examples (and the
# examples that once failed are replayed from .hypothesis/ on that machine).
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

SAMPLES = Path(__file__).resolve().parents[2] / "shared" / "samples"
DATA = Path(__file__).parent / "data"


# The whole suite runs on the SQLite file (the default) and again on a real PostgreSQL server
# (SAVEDESK_TEST_STORE=postgresql; .ci/run does both): a throwaway server started here as an
# unprivileged user on a private socket, each test in a database copied from a migrated template.
STORE = os.environ.get("SAVEDESK_TEST_STORE", "sqlite")
ON_SERVER = STORE == "postgresql"


def _memory_folder() -> Path | None:
    """/dev/shm where the machine has one: the test server's files in memory, so creating and
    dropping hundreds of databases costs no disk writes (each test's are dropped at its end)."""
    folder = Path("/dev/shm")
    return folder if folder.is_dir() and os.access(folder, os.W_OK) else None


@pytest.fixture(scope="session")
def pg_server():
    """A throwaway PostgreSQL server for this run (tests/pgserver.py), stopped at the end."""
    from tests import pgserver

    try:
        server = pgserver.start(parent=_memory_folder())
    except pgserver.ServerUnavailable as exc:
        pytest.fail(str(exc)) if ON_SERVER else pytest.skip(str(exc))
    yield server
    server.stop()


TEAM_PASSWORD = "s3cret-team"


@pytest.fixture(scope="session")
def pg_locked_server():
    """A second throwaway server that asks for a password (TEAM_PASSWORD) and that a test may
    stop and start again (`halt`, `resume`): a lost connection, ~/.pgpass, a wrong password."""
    from tests import pgserver

    try:
        server = pgserver.start(parent=_memory_folder(), password=TEAM_PASSWORD)
    except pgserver.ServerUnavailable as exc:
        pytest.fail(str(exc)) if ON_SERVER else pytest.skip(str(exc))
    yield server
    server.stop()


def fresh_database(server, name: str) -> str:
    """The URL of a new empty database `name` on `server` (the locked one included)."""
    import psycopg

    with psycopg.connect(server.url(), password=TEAM_PASSWORD, autocommit=True) as admin:
        admin.execute(f"drop database if exists {name}")
        admin.execute(f"create database {name}")
    return server.url(name)


@pytest.fixture
def pgpass(tmp_path, monkeypatch, pg_locked_server):
    """A ~/.pgpass (PGPASSFILE) holding the locked server's password, as libpq reads it."""
    path = tmp_path / "pgpass"
    s = pg_locked_server
    path.write_text(f"{s.socket_dir}:{s.port}:*:{s.superuser}:{TEAM_PASSWORD}\n")
    path.chmod(0o600)
    monkeypatch.setenv("PGPASSFILE", str(path))
    return path


class _Databases:
    """Creates databases on the test server, each a copy of a template (milliseconds)."""

    def __init__(self, server) -> None:
        import psycopg

        self.server = server
        self.admin = psycopg.connect(server.url(), autocommit=True)
        self.count = 0
        self.made: list[str] = []

    def create(self, template: str | None = None, *, keep: bool = False) -> str:
        """A new database (a copy of `template`); dropped when the test that made it ends,
        unless `keep` (a session's template)."""
        self.count += 1
        name = f"t{self.count}"
        copy = f" template {template}" if template else ""
        self.admin.execute(f"create database {name}{copy}")
        if not keep:
            self.made.append(name)
        return name

    def drop_made(self) -> None:
        """Drop the databases made since the last call: a whole run would otherwise leave
        gigabytes on the server, and its final removal alone took minutes."""
        while self.made:
            self.admin.execute(f"drop database if exists {self.made.pop()} with (force)")


@pytest.fixture(scope="session")
def pg_databases(pg_server):
    """Makes databases on the session's server (see _Databases)."""
    databases = _Databases(pg_server)
    yield databases
    databases.admin.close()


# objects left after a collection, beyond which they are frozen out of the next ones
_FREEZE_FROM = 50_000


@pytest.fixture(autouse=True)
def _collect_garbage_between_tests():
    """Once a window has run, only the GUI thread's timer collects garbage
    (desktop/gui_garbage.py); a test that never turns the event loop gets its collection here,
    on the main thread, when it ends.

    What outlives these collections (modules, Qt's wrappers, session fixtures) is moved out of
    the later ones (gc.freeze) once enough of it has built up: collecting the whole heap again
    at the end of every test took 0.2-0.3 s each, a third of either pass (220 s of 489)."""
    yield
    if not gc.isenabled():
        gc.collect()
        if len(gc.get_objects()) > _FREEZE_FROM:
            gc.freeze()


@pytest.fixture(autouse=True)
def _drop_test_databases(request):
    """On the PostgreSQL pass, each test's databases are dropped when it ends."""
    yield
    if ON_SERVER and "pg_databases" in request.fixturenames:
        request.getfixturevalue("pg_databases").drop_made()


def new_store(tmp_path: Path, name: str, template, *, keep: bool = False) -> str | Path:
    """A new store from `template` (the `_migrated_template` fixture's value): a copy of the
    file named `name` in `tmp_path`, or a new database on the test server (dropped when the
    test ends unless `keep`: a module's fixture). For tests that need more than one store per
    test (hypothesis examples)."""
    if not ON_SERVER:
        path = tmp_path / name
        shutil.copy(template, path)
        return path
    server, databases, template_name = template
    return server.url(databases.create(template_name, keep=keep))


@pytest.fixture(scope="session")
def _migrated_template(request, tmp_path_factory):
    if not ON_SERVER:
        path = tmp_path_factory.mktemp("template") / "template.db"
        open_store(path).close()
        return path
    from review.store.server import upgrade_server

    server, databases = (
        request.getfixturevalue("pg_server"),
        request.getfixturevalue("pg_databases"),
    )
    name = databases.create(keep=True)
    upgrade_server(server.url(name))
    return server, databases, name


@pytest.fixture
def db_path(tmp_path, _migrated_template):
    """A fresh, migrated, empty savedesk store: a file copied from a once-migrated template, or
    (SAVEDESK_TEST_STORE=postgresql) the URL of a server database copied from one."""
    return new_store(tmp_path, "savedesk.db", _migrated_template)


@pytest.fixture
def db(db_path):
    """An open Store on a fresh savedesk store (db_path)."""
    database = connect(db_path)
    yield database
    database.close()


@pytest.fixture
def samples() -> Path:
    """../shared/samples, or skip the test where that folder is absent."""
    if not SAMPLES.is_dir():
        pytest.skip("../shared/samples is not present")
    return SAMPLES


@pytest.fixture
def qt_settings(tmp_path):
    """GUI settings (QSettings) kept in tmp_path, so desktop tests never read or write the user's."""
    from PySide6.QtCore import QSettings

    folder = tmp_path / "settings"
    folder.mkdir()
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder))
    return folder


@pytest.fixture
def team(qt_settings, pg_server, pg_databases):
    """A team store on the test server: its people, teams and conversations
    (tests/teamdata.py)."""
    from tests.teamdata import team_store

    return team_store(pg_server, pg_databases)


@pytest.fixture(scope="session")
def demo_template(request, tmp_path_factory):
    """The demo store, built once per test run (a few seconds); copy it before changing it."""
    from review.demo import build_demo

    if not ON_SERVER:
        path = tmp_path_factory.mktemp("demo") / "demo.db"
        build_demo(path)
        return path
    server, databases = (
        request.getfixturevalue("pg_server"),
        request.getfixturevalue("pg_databases"),
    )
    template = request.getfixturevalue("_migrated_template")
    name = databases.create(template[2], keep=True)
    build_demo(server.url(name))
    return server, databases, name


@pytest.fixture
def demo_path(tmp_path, demo_template):
    """A fresh copy of the demo store for one test."""
    return new_store(tmp_path, "demo.db", demo_template)


@pytest.fixture(scope="session")
def demo_copy(tmp_path_factory, demo_template):
    """One copy of the demo store for the tests that only read it: a file path, or a server
    database's URL (a server's template database cannot be read while it is being copied)."""
    return new_store(tmp_path_factory.mktemp("demo-copy"), "demo.db", demo_template, keep=True)
