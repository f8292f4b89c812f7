"""Import as a whole: nothing lost, nothing half-done, clear words for bad input.

Uses the Zendesk NDJSON shape (tests/benchmarks/zendesk_export.py writes it) and small hand-made
files; each vendor's own figures are tested beside its reader.
"""

from __future__ import annotations

import gzip
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from desktop.cli import cli
from review.store import connect
from tests.benchmarks.zendesk_export import write_export
from tests.helpers import import_paths


def _snapshot(db_path: Path) -> dict:
    db = connect(db_path)
    try:
        tables = [t for t in db.tables() if not t.startswith(("search_", "_sqlite"))]
        return {t: db.execute(f'select * from "{t}" order by 1').fetchall() for t in tables}
    finally:
        db.close()


@pytest.fixture
def small_export(tmp_path) -> Path:
    path = tmp_path / "small.ndjson"
    write_export(path, tickets=20, comments_per_ticket=3)
    return path


def test_kill_9_during_an_import_leaves_the_database_exactly_as_before(
    tmp_path, db_path, small_export
):
    import_paths(db_path, small_export)
    before = _snapshot(db_path)
    big = tmp_path / "big.ndjson"
    write_export(big, tickets=30_000, comments_per_ticket=6, seed=11)
    proc = subprocess.Popen(
        [sys.executable, "-m", "desktop.cli", "import", str(big), "--db", str(db_path), "--json"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    wal = Path(f"{db_path}-wal")
    deadline = time.monotonic() + 60
    # Kill once the import has written a good deal into the WAL: half way through, not before.
    while time.monotonic() < deadline and (not wal.exists() or wal.stat().st_size < 4_000_000):
        assert proc.poll() is None, proc.stderr.read().decode()
        time.sleep(0.05)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL
    assert _snapshot(db_path) == before
    db = connect(db_path)
    assert db.execute("pragma integrity_check").fetchone()[0] == "ok"


def test_the_same_file_twice_adds_nothing(db_path, small_export):
    first = import_paths(db_path, small_export).files[0]
    second = import_paths(db_path, small_export).files[0]
    assert (first.added, first.updated) == (20, 0)
    assert (second.added, second.updated, second.unchanged) == (0, 0, 20)


def test_a_gzip_and_a_folder_are_read_directly(tmp_path, db_path, small_export):
    folder = tmp_path / "exports"
    folder.mkdir()
    (folder / "tickets.ndjson.gz").write_bytes(gzip.compress(small_export.read_bytes()))
    report = import_paths(db_path, folder)
    assert [f.added for f in report.files] == [20]


@pytest.mark.parametrize(
    ("name", "content", "problem"),
    [
        ("empty.json", b"", "empty"),
        ("blank.json", b"   \n\n  ", "empty"),
        ("photo.json", bytes(range(256)) * 64, "not an export savedesk recognises"),
        (
            "notes.txt",
            b"Just some notes about the week.\n",
            "not an export savedesk recognises",
        ),
    ],
)
def test_files_that_are_no_export_are_refused_with_one_sentence(
    tmp_path, db_path, small_export, name, content, problem
):
    import_paths(db_path, small_export)
    before = _snapshot(db_path)
    bad = tmp_path / name
    bad.write_bytes(content)
    report = import_paths(db_path, bad)
    [failed] = report.failed
    assert problem in failed.error
    assert str(bad) in failed.error
    assert "Known formats:" in failed.error
    after = _snapshot(db_path)
    for log in ("imports", "import_runs"):  # the refusal itself is logged
        after.pop(log), before.pop(log)
    assert after == before


def test_truncated_json_names_the_file_and_keeps_the_database(tmp_path, db_path, small_export):
    import_paths(db_path, small_export)
    before = _snapshot(db_path)["conversations"]
    text = small_export.read_text(encoding="utf-8")
    cut = tmp_path / "cut.ndjson"
    cut.write_text(text[: len(text) // 2], encoding="utf-8")  # the last line is cut in the middle
    report = import_paths(db_path, cut)
    [file] = report.files
    # every whole line lands (unchanged), the cut one is rejected and named
    assert file.error is None
    assert len(file.rejected) == 1
    assert file.rejected[0].record == text[: len(text) // 2].count("\n") + 1
    assert _snapshot(db_path)["conversations"] == before


def test_bad_records_are_skipped_and_listed_and_the_rest_lands(tmp_path, db_path):
    good = {
        "id": 1,
        "requester_id": 5,
        "via": {"channel": "email"},
        "status": "open",
        "subject": "Hi",
        "created_at": "2024-01-01T00:00:00Z",
        "comments": [
            {
                "id": 11,
                "author_id": 5,
                "body": "hello",
                "public": True,
                "created_at": "2024-01-01T00:00:00Z",
            }
        ],
    }
    no_id = dict(good, id=None)
    wrong_type = dict(good, id=2, comments="not a list")
    path = tmp_path / "mixed.ndjson"
    path.write_text(
        "\n".join(json.dumps(r) for r in (good, no_id, wrong_type)) + "\n", encoding="utf-8"
    )
    [file] = import_paths(db_path, path).files
    # the ticket without an id is skipped; the one whose comments are unreadable lands without
    # them; both are listed with line, field and problem
    assert file.added == 2
    rejected = sorted((r.record, r.field) for r in file.rejected)
    assert rejected == [(2, "id"), (3, "comments")]
    assert all(r.problem for r in file.rejected)
    db = connect(db_path)
    assert db.execute(
        "select external_id, message_count from conversations order by 1"
    ).fetchall() == [
        ("1", 1),
        ("2", 0),
    ]


def test_strict_refuses_the_whole_file_on_one_bad_record(tmp_path, db_path, small_export):
    lines = small_export.read_text(encoding="utf-8").splitlines()
    lines.insert(5, "{not json")
    path = tmp_path / "one-bad.ndjson"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = import_paths(db_path, path, strict=True)
    [failed] = report.failed
    assert "record 6" in failed.error
    assert _snapshot(db_path)["conversations"] == []


def test_cli_import_prints_a_summary_and_exits_nonzero_on_a_refused_file(
    tmp_path, db_path, small_export
):
    runner = CliRunner()
    ok = runner.invoke(cli, ["import", str(small_export), "--db", str(db_path), "--json"])
    assert ok.exit_code == 0, ok.output
    summary = json.loads(ok.output)
    assert summary["files"][0]["added"] == 20
    empty = tmp_path / "empty.json"
    empty.write_bytes(b"")
    refused = runner.invoke(cli, ["import", str(empty), "--db", str(db_path)])
    assert refused.exit_code == 1
    assert "empty" in refused.output


def test_cli_errors_have_no_traceback(tmp_path):
    notes = tmp_path / "notes.db"
    notes.write_text("hello")
    proc = subprocess.run(
        [sys.executable, "-m", "desktop.cli", "stats", "--db", str(notes)],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 1
    assert "is not a savedesk database" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_a_folder_skips_files_that_are_no_export_but_a_named_one_is_refused(
    tmp_path, db_path, small_export
):
    folder = tmp_path / "export"
    folder.mkdir()
    (folder / "tickets.ndjson").write_bytes(small_export.read_bytes())
    (folder / "README.md").write_text("# How we exported this\n", encoding="utf-8")
    report = import_paths(db_path, folder)
    assert not report.failed
    by_name = {Path(f.path).name: f for f in report.files}
    assert by_name["tickets.ndjson"].added == 20
    assert by_name["README.md"].skipped == "not an export savedesk recognises"
    named = import_paths(db_path, folder / "README.md")
    assert named.failed and "not an export" in named.failed[0].error


def _long_named_exports(tmp_path, small_export) -> Path:
    folder = tmp_path / "exports"
    for name in ("zendesk-full-export-2026-11-tickets-part-one.ndjson", "second.ndjson"):
        (folder / "nested").mkdir(parents=True, exist_ok=True)
        (folder / "nested" / name).write_bytes(small_export.read_bytes())
    return folder


def test_cli_summary_on_a_narrow_terminal_keeps_file_names_whole(tmp_path, db_path, small_export):
    """At 80 columns (a pipe, or a small terminal) a table would fold long file names a few
    letters a line; each file gets a line of its own and its figures the next."""
    folder = _long_named_exports(tmp_path, small_export)
    result = CliRunner(env={"COLUMNS": "80"}).invoke(
        cli, ["import", str(folder), "--db", str(db_path)]
    )
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert "zendesk-full-export-2026-11-tickets-part-one.ndjson" in lines  # folder shared
    figures = lines[lines.index("second.ndjson") + 1]
    assert figures.strip() == (
        "zendesk-ndjson: read 20, conversations 20 / 0 / 0, messages 60 / 0 / 0, "
        "people 40 / 0 / 0, rejected 0, passed over 0, not read 0"
    )


def test_cli_summary_is_a_table_where_the_names_fit(tmp_path, db_path, small_export):
    folder = _long_named_exports(tmp_path, small_export)
    result = CliRunner(env={"COLUMNS": "160"}).invoke(
        cli, ["import", str(folder), "--db", str(db_path)]
    )
    assert result.exit_code == 0, result.output
    row = next(line for line in result.stdout.splitlines() if "part-one" in line)
    cells = [cell.strip() for cell in row.strip("│ ").split("│")]
    assert cells == [
        "zendesk-full-export-2026-11-tickets-part-one.ndjson",
        "zendesk-ndjson",
        "20",
        "0 / 0 / 20",
        "0 / 0 / 60",
        "0 / 0 / 0",  # the same tickets as second.ndjson: not converted again, people not met
        "0",
        "0",
        "0",
    ]


def test_cli_import_of_a_folder_with_no_export_says_so_and_fails(tmp_path, db_path):
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "README.md").write_text("# nothing to import here\n", encoding="utf-8")
    before = _snapshot(db_path)
    result = CliRunner().invoke(cli, ["import", str(folder), "--db", str(db_path)])
    assert result.exit_code == 1
    assert "Nothing imported: no helpdesk export found" in result.stderr
    assert "┏" not in result.stdout  # no empty table
    after = _snapshot(db_path)
    assert after.pop("import_runs")  # the history keeps the attempt
    before.pop("import_runs")
    assert after == before
