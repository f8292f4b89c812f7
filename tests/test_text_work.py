"""Churn signals and search rows worked in a worker process (a big import on a second core) are
the ones the import makes itself, whatever happens to the worker, and no worker outlives its
import."""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path

import pytest

from review.importing import text_work
from review.importing.run import import_files
from review.importing.text_work import TextWork, batch_rows
from review.retention.churn import load_phrases, phrase_folders
from review.store import connect
from review.store.search import search_conversation_ids
from tests.benchmarks.zendesk_export import write_export
from tests.conftest import new_store

_TEXTS = [
    "I want to cancel my subscription today.",
    "Please refund the second charge, or I am leaving for Freshdesk.",
    "Thanks, that fixed it!",
    "Мы хотим отменить подписку.",
    "请帮我取消订阅，我要退款。",
    "Don't cancel anything, it works now.",
]
_BATCHES = [
    (
        [(c, c * 10 + i, text) for i, text in enumerate(_TEXTS)],
        [i for i in range(len(_TEXTS)) if i % 2 == 0],  # the customers'
        [(c, c * 10 + 9, "I will cancel unless this is fixed.")] if c % 3 == 0 else [],  # changed
    )
    for c in range(1, 9)
]


def _here(server: bool) -> tuple[list, list]:
    lists = load_phrases(phrase_folders())
    signals, indexed = [], []
    for batch in _BATCHES:
        found = batch_rows(batch, lists, server)
        signals += found[0]
        indexed += found[1]
    return signals, indexed


def _all_rows(work: TextWork, after_first=None) -> tuple[list, list]:
    signals, indexed = [], []
    for n, batch in enumerate(_BATCHES):
        found = work.add(batch)
        signals += found[0]
        indexed += found[1]
        if n == 0 and after_first is not None:
            after_first(work)
    found = work.rest()
    work.close()
    return signals + found[0], indexed + found[1]


@pytest.mark.parametrize("server", [False, True], ids=["file", "server"])
def test_a_worker_makes_the_same_rows_in_the_same_order(server):
    work = TextWork(phrase_folders(), server, in_worker=True)
    assert work.in_worker
    expected = _here(server)
    assert expected[0] and expected[1]  # signals and index rows, or this proves nothing
    assert len(expected[1]) == sum(len(texts) for texts, _, _ in _BATCHES)
    assert _all_rows(work) == expected


def test_a_worker_that_dies_midway_loses_no_row():
    def kill(work: TextWork) -> None:
        worker = work._worker
        assert worker is not None
        worker.process.kill()
        worker.process.wait()

    assert _all_rows(TextWork(phrase_folders(), False, in_worker=True), kill) == _here(False)


def test_a_worker_that_stops_answering_loses_no_row(monkeypatch):
    monkeypatch.setattr(text_work, "_ANSWER_WAIT_S", 0.5)

    def freeze(work: TextWork) -> None:
        worker = work._worker
        assert worker is not None
        os.kill(worker.process.pid, signal.SIGSTOP)  # alive, answering nothing

    work = TextWork(phrase_folders(), False, in_worker=True)
    process = work._worker.process
    assert _all_rows(work, freeze) == _here(False)
    assert process.poll() is not None  # killed, not left stopped


def test_a_worker_that_cannot_start_leaves_the_work_here(monkeypatch):
    monkeypatch.setattr(sys, "executable", "/nonexistent/python")
    work = TextWork(phrase_folders(), False, in_worker=True)
    assert not work.in_worker
    assert _all_rows(work) == _here(False)


def _signals_and_hits(db_path) -> tuple[list[tuple], list[tuple]]:
    db = connect(db_path)
    try:
        signals = db.execute(
            "select s.phrase, s.matched, s.intent, s.language, m.external_id "
            "from churn_signals s join messages m on m.id = s.message_id order by m.external_id"
        ).fetchall()
        hits = [
            (word, sorted(search_conversation_ids(db, word)))
            for word in ("refund", "取消", "тариф", "ref")
        ]
        return signals, hits
    finally:
        db.close()


def _workers() -> list[int]:
    """This process's live children running the signal worker."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            command = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        state = stat.rsplit(")", 1)[1].split()[0]
        if parent == os.getpid() and state != "Z" and b"text_work" in command:
            found.append(int(entry.name))
    return found


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
def test_a_big_import_makes_the_same_rows_in_a_worker_and_leaves_none_running(
    tmp_path, db_path, monkeypatch, _migrated_template
):
    export = tmp_path / "tickets.ndjson"
    write_export(export, 300, 6)
    here = new_store(tmp_path, "here.db", _migrated_template)  # on the engine under test
    report = list_report(import_files(here, [export], suggest=False))
    assert report.files[0].added
    expected = _signals_and_hits(here)
    assert expected[0] and all(found for _, found in expected[1])

    started = []
    real = text_work._Worker.__init__

    def counted(self, folders, server):
        real(self, folders, server)
        started.append(self)

    monkeypatch.setattr("review.importing.run.worth_a_worker", lambda size: True)
    monkeypatch.setattr(text_work._Worker, "__init__", counted)
    list_report(import_files(db_path, [export], suggest=False))
    assert started, "the import did not use a worker"
    # it did the work (a worker that failed to start would have left it to the import)
    assert [w.process.returncode for w in started] == [0]
    assert _signals_and_hits(db_path) == expected
    assert _workers() == []


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
def test_a_cancelled_import_stops_its_worker(tmp_path, db_path, monkeypatch):
    export = tmp_path / "tickets.ndjson"
    write_export(export, 3000, 6)
    monkeypatch.setattr("review.importing.run.worth_a_worker", lambda size: True)
    job = import_files(db_path, [export], suggest=False)
    for step in job:
        if step.done and _workers():
            break
    assert _workers(), "no worker was running mid-import"
    job.close()  # what the window's Cancel does
    assert _workers() == []
    db = connect(db_path)
    try:
        assert db.execute("select count(*) from conversations").scalar() == 0
    finally:
        db.close()


def list_report(job):
    """Run an import job to its end and return its report."""
    while True:
        try:
            next(job)
        except StopIteration as stop:
            return stop.value
