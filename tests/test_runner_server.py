"""The operation runner on a team store: a colleague's write on the server reaches the window
(LISTEN/NOTIFY), a server that stops is a passing problem (the edit waits, said in one sentence,
and is written once the server is back), and the runner says when it is offline while idle."""

from __future__ import annotations

from review.operations import Actor, Call
from review.store import connect
from review.store.failures import UNREACHABLE
from review.store.server import upgrade_server
from tests.conftest import fresh_database

ACTOR = Actor("desktop", "Lena")


def _runner(url: str):
    from desktop.app import application
    from desktop.operation_runner import OperationRunner

    application()
    return OperationRunner(url)


def _draft(key: str, text: str) -> Call:
    return Call("draft", {"key": key, "text": text})


def test_a_write_from_another_connection_is_an_external_change(qtbot, pg_server, pg_databases):
    url = pg_server.url(pg_databases.create())
    upgrade_server(url)
    runner = _runner(url)
    try:
        own = []
        runner.external_change.connect(lambda: own.append(1))
        with qtbot.waitSignal(runner.finished, timeout=10_000):
            runner.submit(_draft("mine", "typed here"), ACTOR)
        qtbot.wait(1500)  # several polls: its own write is not someone else's
        assert own == []
        colleague = connect(url)
        try:
            with qtbot.waitSignal(runner.external_change, timeout=10_000):
                colleague.execute(
                    "insert into drafts (key, text, updated_at) values ('theirs', 'x', 'now')"
                )
        finally:
            colleague.close()
    finally:
        runner.stop()


def test_an_edit_waits_while_the_server_is_down_and_is_written_when_it_is_back(
    qtbot, pg_locked_server, pgpass
):
    url = fresh_database(pg_locked_server, "team_runner")
    upgrade_server(url)
    runner = _runner(url)
    try:
        with qtbot.waitSignal(runner.finished, timeout=10_000):
            runner.submit(_draft("k", "before"), ACTOR)
        with qtbot.waitSignal(runner.offline, timeout=10_000) as offline:
            pg_locked_server.halt()
        try:
            assert offline.args[0].kind == UNREACHABLE  # said before anything is typed
            with qtbot.waitSignal(runner.waiting, timeout=10_000) as waiting:
                ticket = runner.submit(_draft("k", "while it was down"), ACTOR)
            assert waiting.args[0] is ticket and ticket.problem.kind == UNREACHABLE
            assert ticket.problem.sentence() == (
                "Not saved yet: the team store's server cannot be reached; your edits stay "
                "here and are saved as soon as the server answers again."
            )
            qtbot.wait(1500)
            assert runner.pending() == [ticket]  # kept, tried again, not dropped
        finally:
            pg_locked_server.resume()
        with qtbot.waitSignal(runner.finished, timeout=20_000):
            pass
        check = connect(url)
        try:
            assert check.execute("select text from drafts where key = 'k'").scalar() == (
                "while it was down"
            )
        finally:
            check.close()
    finally:
        runner.stop()
