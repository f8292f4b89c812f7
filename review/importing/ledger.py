"""The ledger of an import: per file, what was read, added, updated, left unchanged, rejected,
passed over and not read; kept in the database so the import history can show it again.

Every surface (the `savedesk import` table and `--json`, the GUI's result and its history)
shows these same figures, built once here.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime

from review.importing.records import Rejected
from review.importing.suggesting import SuggestionsPhase
from review.store import Store

KINDS = ("conversations", "messages", "people")
"""The kinds whose added / updated / unchanged the ledger shows in columns (teams and ratings
follow in `by_kind`)."""


def now_utc() -> str:
    """The time now as ISO 8601 UTC, to the second."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class FileReport:
    """What happened to one file of an import."""

    path: str
    format: str | None = None
    read: int = 0  # records the reader handed over
    outcomes: dict[str, Counter] = field(default_factory=dict)
    rejected: list[Rejected] = field(default_factory=list)
    passed_over: dict[str, int] = field(default_factory=dict)  # kind of record -> count
    not_read: dict[str, int] = field(default_factory=dict)  # dotted field name -> count
    unchanged_unread: int = 0  # records stored as they are: not converted, fields not listed
    warnings: list[str] = field(default_factory=list)
    error: str | None = None  # set when the whole file was refused
    unexpected: bool = False  # refused for a reason savedesk did not foresee (a reader's bug)
    skipped: str | None = None  # a file found in a folder that is not an export (README.md...)

    def figure(self, kind: str, outcome: str) -> int:
        """How many `kind` (conversations, messages, people...) were `outcome`."""
        counter = self.outcomes.get(kind)
        return counter.get(outcome, 0) if counter else 0

    @property
    def added(self) -> int:
        """Conversations added (the headline figure; the others are in `outcomes`)."""
        return self.figure("conversations", "added")

    @property
    def updated(self) -> int:
        """Conversations whose stored data changed."""
        return self.figure("conversations", "updated")

    @property
    def unchanged(self) -> int:
        """Conversations read again with nothing new."""
        return self.figure("conversations", "unchanged")

    def as_dict(self) -> dict:
        """Plain data for --json output, the stored ledger and the GUI's copyable result."""
        return {
            "path": self.path,
            "format": self.format,
            "read": self.read,
            "added": self.added,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "rejected": len(self.rejected),
            "by_kind": {kind: dict(counter) for kind, counter in self.outcomes.items()},
            "passed_over": dict(self.passed_over),
            "not_read": dict(sorted(self.not_read.items(), key=lambda kv: (-kv[1], kv[0]))),
            "unchanged_not_read_again": self.unchanged_unread,
            "rejections": [
                {
                    "record": r.record,
                    "helpdesk_id": r.helpdesk_id,
                    "field": r.field,
                    "problem": r.problem,
                }
                for r in self.rejected
            ],
            "warnings": list(self.warnings),
            "error": self.error,
            "skipped": self.skipped,
        }

    @classmethod
    def from_dict(cls, data: dict) -> FileReport:
        """The report `as_dict` gave (the history reads stored ledgers back with it)."""
        return cls(
            path=data["path"],
            format=data.get("format"),
            read=data.get("read", 0),
            outcomes={k: Counter(v) for k, v in data.get("by_kind", {}).items()},
            rejected=[
                Rejected(r.get("record"), r["problem"], r.get("helpdesk_id"), r.get("field"))
                for r in data.get("rejections", [])
            ],
            passed_over=dict(data.get("passed_over", {})),
            not_read=dict(data.get("not_read", {})),
            unchanged_unread=data.get("unchanged_not_read_again", 0),
            warnings=list(data.get("warnings", [])),
            error=data.get("error"),
            skipped=data.get("skipped"),
        )


@dataclass
class ImportReport:
    """What happened to every file of an import (`run_id`: its row in the import history)."""

    files: list[FileReport] = field(default_factory=list)
    run_id: int | None = None
    started_at: str | None = None
    strict: bool = False
    committed: bool = False  # the records are in the store (the suggestions phase may follow)
    records_seconds: float | None = None  # the records phase, from start to commit
    suggestions: SuggestionsPhase | None = None  # the second phase, once it has begun

    @property
    def failed(self) -> list[FileReport]:
        """Files refused as a whole."""
        return [f for f in self.files if f.error]

    def as_dict(self) -> dict:
        """Plain data for --json output."""
        return {
            "run": self.run_id,
            "started_at": self.started_at,
            "records_seconds": self.records_seconds,
            "files": [f.as_dict() for f in self.files],
            "suggestions": self.suggestions.as_dict() if self.suggestions else None,
        }


def start_run(db: Store, paths: list[str], strict: bool) -> tuple[int, str]:
    """A new row in the import history: (its id, when it started)."""
    started = now_utc()
    run_id = db.insert(
        "import_runs",
        {
            "started_at": started,
            "paths": json.dumps(paths, ensure_ascii=False),
            "strict": int(strict),
            "status": "running",
        },
    )
    return run_id, started


def finish_run(db: Store, report: ImportReport, status: str) -> None:
    """Store the ledger of every file of `report` under its run (inside the import's
    transaction, so a cancelled import leaves no history either)."""
    assert report.run_id is not None
    db.update(
        "import_runs",
        report.run_id,
        {
            "finished_at": now_utc(),
            "status": status,
            "ledger": json.dumps(report.as_dict(), ensure_ascii=False),
        },
    )


def record_refusal(db: Store, paths: list[str], report: ImportReport) -> None:
    """Keep a refused --strict import in the history (its own small transaction, after the
    import's was rolled back): the user can see later why nothing landed."""
    with db.atomic():
        run_id, _ = start_run(db, paths, strict=True)
        report.run_id = run_id
        finish_run(db, report, "refused")


@dataclass(frozen=True)
class PastImport:
    """One row of the import history."""

    run_id: int
    started_at: str
    finished_at: str | None
    status: str  # running | done | refused
    paths: list[str]
    files: int
    conversations_added: int
    conversations_updated: int
    failed: int
    rejected: int


def import_history(db: Store, limit: int = 200) -> list[PastImport]:
    """The latest imports, newest first."""
    rows = db.execute(
        "select id, started_at, finished_at, status, paths, ledger from import_runs "
        "order by id desc limit :limit",
        {"limit": limit},
    ).fetchall()
    history = []
    for run_id, started, finished, status, paths, ledger in rows:
        files = [FileReport.from_dict(f) for f in json.loads(ledger)["files"]] if ledger else []
        history.append(
            PastImport(
                run_id=run_id,
                started_at=started,
                finished_at=finished,
                status=status,
                paths=json.loads(paths or "[]"),
                files=len(files),
                conversations_added=sum(f.figure("conversations", "added") for f in files),
                conversations_updated=sum(f.figure("conversations", "updated") for f in files),
                failed=sum(1 for f in files if f.error),
                rejected=sum(len(f.rejected) for f in files),
            )
        )
    return history


def past_report(db: Store, run_id: int) -> ImportReport | None:
    """The ledger of one past import, as it was shown when it ran; None if there is none."""
    row = db.execute(
        "select started_at, strict, ledger from import_runs where id = :id", {"id": run_id}
    ).fetchone()
    if row is None or not row[2]:
        return None
    started, strict, ledger = row
    data = json.loads(ledger)
    return ImportReport(
        files=[FileReport.from_dict(f) for f in data["files"]],
        run_id=run_id,
        started_at=started,
        strict=bool(strict),
        committed=True,
        records_seconds=data.get("records_seconds"),
        suggestions=SuggestionsPhase.from_dict(data.get("suggestions")),
    )


@dataclass(frozen=True)
class LedgerLine:
    """One sentence of a file's ledger; `kind` is error, rejected, passed_over, not_read,
    warning or skipped (the surfaces style them by it)."""

    kind: str
    text: str


def figures_text(f: FileReport, kind: str) -> str:
    """`kind`'s added / updated / unchanged as "12 / 0 / 40"."""
    return " / ".join(str(f.figure(kind, o)) for o in ("added", "updated", "unchanged"))


def ledger_lines(f: FileReport) -> list[LedgerLine]:
    """Everything about one file beyond its figures, one sentence each: why it was refused,
    each rejected record (line or record, helpdesk id, field, problem), what was passed over
    by kind, which fields were not read with their counts, and the reader's warnings."""
    lines: list[LedgerLine] = []
    if f.error:
        lines.append(LedgerLine("error", f"Refused: {f.error}"))
    if f.skipped:
        lines.append(LedgerLine("skipped", f"Skipped: {f.skipped}"))
    for r in f.rejected:
        where = ", ".join(
            part
            for part in (
                f"record {r.record}" if r.record is not None else "",
                f"id {r.helpdesk_id}" if r.helpdesk_id else "",
                f"field '{r.field}'" if r.field else "",
            )
            if part
        )
        lines.append(LedgerLine("rejected", f"Rejected ({where}): {r.problem}"))
    for kind, count in sorted(f.passed_over.items()):
        lines.append(LedgerLine("passed_over", f"Passed over: {count:,} {kind}"))
    for name, count in sorted(f.not_read.items(), key=lambda kv: (-kv[1], kv[0])):
        noun = "field" if count == 1 else "fields"
        lines.append(LedgerLine("not_read", f"Not read: {count:,} `{name}` {noun}"))
    if f.unchanged_unread:
        lines.append(
            LedgerLine(
                "not_read",
                f"Not read again: {_count(f.unchanged_unread, 'record')} stored exactly as they "
                "are (their fields not read were listed when they were imported)",
            )
        )
    for w in f.warnings:
        lines.append(LedgerLine("warning", f"Note: {w}"))
    return lines


def short_names(paths: list[str]) -> list[str]:
    """Names a user can tell apart: paths relative to the folder they share, a zip's member
    as `archive.zip!folder/member.json`; a lone file by its name."""
    import os

    if len(paths) < 2:
        return [_one_name(p) for p in paths]
    common = os.path.commonpath([os.path.dirname(p.split("!")[0]) or "." for p in paths])
    if common in ("", "/"):
        return list(paths)
    return [os.path.relpath(p, common) for p in paths]


def _one_name(path: str) -> str:
    import os

    archive, bang, member = path.partition("!")
    return f"{os.path.basename(archive)}!{member}" if bang else (os.path.basename(path) or path)


FIGURE_COLUMNS = (
    "read",
    "conversations",
    "messages",
    "people",
    "rejected",
    "passed over",
    "not read",
)
"""The ledger's columns, in the CLI table and the GUI's result alike."""

LEGEND = (
    "conversations, messages, people: added / updated / unchanged "
    "(updated: the stored data changed)"
)


def figure_cells(f: FileReport) -> tuple[str, ...]:
    """One file's figures under FIGURE_COLUMNS, as text."""
    return (
        f"{f.read:,}",
        figures_text(f, "conversations"),
        figures_text(f, "messages"),
        figures_text(f, "people"),
        f"{len(f.rejected):,}",
        f"{sum(f.passed_over.values()):,}",
        f"{sum(f.not_read.values()):,}",
    )


def ledger_text(report: ImportReport) -> str:
    """The whole ledger as plain text (the GUI's copyable result): a summary, then per file
    its figures and every sentence of `ledger_lines`."""
    names = short_names([f.path for f in report.files])
    shown = [f for f in report.files if not f.skipped or f.error]
    totals = [
        sum(f.figure("conversations", o) for f in shown) for o in ("added", "updated", "unchanged")
    ]
    messages = sum(f.figure("messages", "added") for f in shown)
    people = sum(f.figure("people", "added") for f in shown)
    summary = (
        f"Conversations: {totals[0]:,} added, {totals[1]:,} updated, {totals[2]:,} unchanged; "
        f"{messages:,} messages and {people:,} people added; "
        f"{_count(sum(len(f.rejected) for f in shown), 'record')} rejected"
    )
    if report.failed:
        summary += f"; {len(report.failed)} file{'s' if len(report.failed) != 1 else ''} refused"
    blocks = [summary + ".", LEGEND + "."]
    for name, f in zip(names, report.files, strict=True):
        lines = [name]
        if not f.error and not f.skipped:
            cells = figure_cells(f)
            lines.append(
                f"  {f.format}: "
                + ", ".join(f"{c} {v}" for c, v in zip(FIGURE_COLUMNS, cells, strict=True))
            )
        lines += [f"  {line.text}" for line in ledger_lines(f)]
        blocks.append("\n".join(lines))
    if report.suggestions is not None:
        blocks.append(report.suggestions.sentence())
    return "\n\n".join(blocks) + "\n"


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}{'' if n == 1 else 's'}"
