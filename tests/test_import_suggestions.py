"""The import's second phase: automatic quality suggestions for the conversations it added or
changed, after its records are committed, with its own progress, cancel and ledger line; in
the core job and `savedesk import` (text and --json). The window's File > Import shows it too:
tests/test_desktop_import_ledger.py."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from desktop.cli import cli
from review.importing import suggesting
from review.importing.ledger import ImportReport, past_report
from review.importing.run import import_files
from review.progress import run_to_end
from review.reviewing.autoqa import run as autoqa_run
from review.store import connect

DATA = Path(__file__).parent / "data"
EXPORT = DATA / "zendesk" / "export"


def scored(db_path) -> set[int]:
    db = connect(db_path)
    try:
        return {row[0] for row in db.execute("select conversation_id from autoqa_scores")}
    finally:
        db.close()


@pytest.fixture
def scoring_spy(monkeypatch):
    """The conversation ids each scoring call was given (the real scoring still runs)."""
    calls: list[list[int]] = []
    real = autoqa_run.score_conversations

    def spy(db, ids, rules=None):
        calls.append(list(ids))
        return real(db, ids, rules)

    monkeypatch.setattr(autoqa_run, "score_conversations", spy)
    return calls


def test_an_import_scores_the_conversations_it_added_then_those_a_newer_export_changed(
    db_path, scoring_spy, monkeypatch
):
    loads = []
    real_load = autoqa_run.Rules.load
    monkeypatch.setattr(
        autoqa_run.Rules,
        "load",
        classmethod(lambda cls, *a, **k: loads.append(1) or real_load(*a, **k)),
    )
    steps = []
    job = import_files(db_path, [EXPORT])
    while True:
        try:
            steps.append(next(job))
        except StopIteration as stop:
            report = stop.value
            break
    phase = report.suggestions
    assert (phase.status, phase.total, phase.conversations) == ("done", 4, 4)
    assert phase.suggestions > 0 and phase.ruleset and len(loads) == 1  # rules loaded once
    assert scored(db_path) == {1, 2, 3, 4}
    labels = [s.label for s in steps if s.phase == suggesting.PHASE]
    assert labels[-1] == "Automatic quality suggestions: 4 of 4 conversations scored"
    assert all(s.phase == "" for s in steps[: steps.index(next(s for s in steps if s.phase))])

    scoring_spy.clear()
    newer = run_to_end(import_files(db_path, [DATA / "zendesk" / "export-newer"]))
    assert [(f.added, f.updated, f.unchanged) for f in newer.files] == [(0, 1, 3)]
    assert newer.suggestions.total == 1 and scoring_spy == [[2]]  # ticket 102 changed, alone
    again = run_to_end(import_files(db_path, [EXPORT]))  # nothing new: nothing to score
    assert again.suggestions.total == 0 and again.suggestions.status == "done"
    assert "no conversation added or changed" in again.suggestions.sentence()


def test_cancelling_the_suggestions_keeps_the_import_and_the_whole_batches(db_path, monkeypatch):
    monkeypatch.setattr(suggesting, "BATCH", 1)
    report = ImportReport()
    job = import_files(db_path, [EXPORT], report=report)
    for step in job:
        if step.phase == suggesting.PHASE and step.done == 2:
            job.close()  # what Cancel does: GeneratorExit at this yield
            break
    assert report.committed
    assert report.suggestions.status == "cancelled"
    assert (report.suggestions.conversations, report.suggestions.total) == (2, 4)
    assert scored(db_path) == {1, 2}
    db = connect(db_path)
    assert db.execute("select count(*) from conversations").fetchone()[0] == 4
    stored = past_report(db, report.run_id)
    db.close()
    assert stored.suggestions.status == "cancelled" and stored.suggestions.conversations == 2
    assert "stopped: 2 of 4 conversations scored" in stored.suggestions.sentence()


def test_a_failure_in_the_suggestions_keeps_the_import_in_one_sentence(db_path, monkeypatch):
    def broken(db, ids, rules=None):
        raise ValueError("the rules could not read a phrase list")

    monkeypatch.setattr(autoqa_run, "score_conversations", broken)
    report = run_to_end(import_files(db_path, [EXPORT]))
    assert report.suggestions.status == "failed" and not report.failed
    assert report.suggestions.sentence() == (
        "Automatic quality suggestions failed after 0 of 4 conversations scored: "
        "ValueError: the rules could not read a phrase list"
    )
    db = connect(db_path)
    assert db.execute("select count(*) from conversations").fetchone()[0] == 4
    db.close()


def test_savedesk_import_shows_and_reports_the_phase(tmp_path):
    runner = CliRunner()
    db = str(tmp_path / "cli.db")
    result = runner.invoke(cli, ["import", str(EXPORT), "--db", db, "--json"])
    assert result.exit_code == 0, result.output
    phase = json.loads(result.stdout)["suggestions"]
    assert {k: phase[k] for k in ("status", "total", "conversations")} == {
        "status": "done",
        "total": 4,
        "conversations": 4,
    }
    assert phase["suggestions"] > 0 and phase["seconds"] > 0
    text = runner.invoke(cli, ["import", str(DATA / "freshdesk"), "--db", db])
    assert text.exit_code == 0, text.output
    assert "Automatic quality suggestions: 1 of 1 conversations scored, " in text.stderr
    off = runner.invoke(cli, ["import", str(DATA / "intercom"), "--db", db, "--no-suggestions"])
    assert "Automatic quality suggestions: not run" in off.stderr
    history = runner.invoke(cli, ["imports", "1", "--db", db])
    assert "Automatic quality suggestions: 4 of 4 conversations scored" in history.stderr
