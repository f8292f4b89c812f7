"""The import job: expand paths, detect formats, stream records into the store, log the result.

`import_files` is a generator job (see review.progress): it yields Progress and returns an
ImportReport. The whole run is one transaction: stopped at any point (cancel, crash, kill -9)
the database is exactly as before. Inside it each file has a savepoint, so a file that fails
as a whole (unknown format, --strict with a bad record) is rolled back alone and reported.
"""

from __future__ import annotations

import gc
import gzip
import os
import time
import zipfile
import zlib
from collections.abc import Generator

from review.errors import ImportFailed, SavedeskError, UnknownFormat
from review.importing.formats import Head, ReadOptions, all_formats, detect, format_named
from review.importing.ledger import (
    FileReport,
    ImportReport,
    finish_run,
    now_utc,
    record_refusal,
    start_run,
)
from review.importing.limits import guard_json, guard_lines
from review.importing.records import Rejected
from review.importing.sources import Entry, expand
from review.importing.suggesting import SuggestionsPhase, store_phase, suggest_for_import
from review.importing.text_work import worth_a_worker
from review.importing.writer import StoreWriter
from review.progress import Progress
from review.store import connect
from review.store.bulk import hold_import_lock, prepared_for_import

_PROGRESS_EVERY = 500  # records between progress reports


def describe_format(entry: Entry) -> str | None:
    """The detected format's label for one entry (the GUI shows it before importing); None
    when no format matches or the file cannot be read."""
    if entry.error:
        return None
    try:
        fmt = detect(Head(entry.name, entry.head()))
    except Exception:  # noqa: BLE001 - the import itself reports why, in one sentence
        return None
    return fmt.label if fmt else None


def import_files(
    db_path: str | os.PathLike,
    paths: list[str | os.PathLike],
    *,
    format: str = "auto",
    strict: bool = False,
    options: ReadOptions | None = None,
    suggest: bool = True,
    report: ImportReport | None = None,
) -> Generator[Progress, None, ImportReport]:
    """Import every export under `paths` into the database at `db_path` (already migrated).

    Two phases. The records: Progress in bytes read, one transaction; closing the generator
    (cancel) then rolls everything back. Once they are committed, with `suggest`, automatic
    quality suggestions for the conversations the import added or changed (Progress in
    conversations, phase "suggestions", review.importing.suggesting): a cancel then keeps the
    import and the whole batches scored. Returns the ImportReport; `report`, when given, is
    the one filled (a caller that may cancel keeps it to show what was committed). Raises
    ImportFailed for a path that does not exist.
    """
    started = time.perf_counter()
    options = options or ReadOptions()
    entries = expand(paths)
    total = sum(e.size for e in entries) or 1
    report = report if report is not None else ImportReport()
    report.strict = strict
    report.suggestions = SuggestionsPhase(status="running" if suggest else "off")
    named = [str(p) for p in paths]
    db = connect(db_path)
    done_before = 0
    gc_was_enabled = gc.isenabled()
    gc.disable()  # bulk parsing makes millions of short-lived objects; the collector only slows it
    try:
        with prepared_for_import(db), db.atomic():
            hold_import_lock(db)
            report.run_id, report.started_at = start_run(db, named, strict)
            yield Progress(0, total, "Starting")
            for entry in entries:
                file_report = FileReport(entry.name)
                report.files.append(file_report)
                try:
                    with db.atomic():
                        if entry.error:
                            raise ImportFailed(entry.name, entry.error)
                        yield from _import_entry(
                            db,
                            entry,
                            file_report,
                            format,
                            strict,
                            options,
                            (done_before, total, report.run_id),
                        )
                except UnknownFormat as exc:
                    file_report.outcomes = {}
                    if entry.found_in_folder and not strict:  # a README beside the exports
                        file_report.skipped = "not an export savedesk recognises"
                    else:
                        file_report.error = one_line(str(exc))
                except SavedeskError as exc:
                    file_report.error = one_line(str(exc))
                    file_report.outcomes = {}
                except Exception as exc:  # noqa: BLE001 - the file fails, the others go on
                    file_report.error = one_line(str(file_failure(entry.name, exc)))
                    file_report.unexpected = not isinstance(exc, _INPUT_FAULTS)
                    file_report.outcomes = {}
                    gc.collect()  # after a MemoryError, give the next file its memory back
                if file_report.error:
                    if strict:
                        raise _StrictStop(file_report)
                    _log(db, file_report, report.run_id)
                done_before += entry.size
            finish_run(db, report, "done")
            yield Progress(total, total, "Done")
        report.committed = True
        report.records_seconds = time.perf_counter() - started
        if gc_was_enabled:
            gc.enable()

        def keep_ledger() -> None:
            if report.run_id is not None:
                store_phase(db, report.run_id, report.as_dict())

        if suggest and report.run_id is not None:
            yield from suggest_for_import(db, report.run_id, report.suggestions, keep_ledger)
        else:
            keep_ledger()
    except _StrictStop as stop:  # the transaction is rolled back: nothing of this import stays
        for other in report.files:
            if other is not stop.file_report:
                other.outcomes, other.rejected = {}, []
                other.skipped = other.skipped or "not imported: --strict refused the import"
        for entry in entries[len(report.files) :]:
            report.files.append(
                FileReport(entry.name, skipped="not imported: --strict refused the import")
            )
        report.suggestions = None
        record_refusal(db, named, report)
    finally:
        if gc_was_enabled:
            gc.enable()
        db.close()
    return report


class _StrictStop(Exception):
    def __init__(self, file_report: FileReport):
        super().__init__(file_report.error)
        self.file_report = file_report


# What damaged or hostile input raises from the standard library while a file is read: each
# becomes that file's failure, in one sentence (see file_failure).
_INPUT_FAULTS: tuple[type[BaseException], ...] = (
    OSError,  # gzip.BadGzipFile, a file that vanished or cannot be read
    EOFError,  # a truncated .gz or zip member
    zipfile.BadZipFile,
    zlib.error,
    RecursionError,
    MemoryError,
    UnicodeError,
    NotImplementedError,  # a zip member compressed with a method Python lacks
    RuntimeError,  # an encrypted zip member
)


def one_line(text: str) -> str:
    """`text` on one line: a header cell or a value quoted in a message may hold line breaks."""
    return " ".join(text.split()) if "\n" in text or "\r" in text else text


def file_failure(name: str, exc: BaseException) -> ImportFailed:
    """One sentence for a file that could not be read because of `exc`."""
    if isinstance(exc, ImportFailed):
        return exc
    if isinstance(exc, gzip.BadGzipFile):
        problem = "it is named .gz but is not a gzip file"
    elif isinstance(exc, EOFError):
        problem = "the compressed data ends too early (the file is truncated)"
    elif isinstance(exc, zipfile.BadZipFile | zlib.error):
        problem = f"the compressed data is damaged ({exc})"
    elif isinstance(exc, RecursionError):
        problem = "its JSON is nested too deeply to read"
    elif isinstance(exc, MemoryError):
        problem = "the computer ran out of memory reading it"
    elif isinstance(exc, UnicodeError):
        problem = f"it is not valid UTF-8 text ({exc})"
    elif isinstance(exc, RuntimeError | NotImplementedError):
        problem = f"the zip member cannot be opened ({exc})"
    elif isinstance(exc, OSError):
        problem = f"it cannot be read ({exc.strerror or exc})"
    else:
        problem = f"savedesk could not read it: an unexpected {type(exc).__name__} ({exc})"
    return ImportFailed(name, problem)


def _import_entry(db, entry, file_report, format_name, strict, options, where):
    done_before, total, run_id = where
    if format_name == "auto":
        fmt = detect(Head(entry.name, entry.head()))
        if fmt is None:
            detail = "the file is empty" if not entry.head(4096).strip() else ""
            raise UnknownFormat(entry.name, [f.name for f in all_formats()], detail)
    else:
        try:
            fmt = format_named(format_name)
        except KeyError:
            raise UnknownFormat(
                entry.name, [f.name for f in all_formats()], f"no format called {format_name!r}"
            ) from None
    file_report.format = fmt.name
    import_id = db.insert(
        "imports",
        {
            "path": entry.name,
            "format": fmt.name,
            "started_at": now_utc(),
            "status": "running",
            "run_id": run_id,
        },
    )
    writer = StoreWriter(db, import_id, find_churn=True, text_worker=worth_a_worker(entry.size))
    if strict:

        def refuse(record: Rejected) -> None:
            raise ImportFailed(
                entry.name, record.problem, record.record, record.helpdesk_id, record.field
            )

        writer.on_rejected = refuse
    stream, counter = entry.open()
    stream = (guard_lines if fmt.reads_lines else guard_json)(stream, entry.name)
    try:
        for n, record in enumerate(fmt.read(stream, entry.name, options), 1):
            writer.write(record)
            if n % _PROGRESS_EVERY == 0:
                yield Progress(done_before + min(counter.count, entry.size), total, entry.name)
        writer.finish()  # churn signals were found batch by batch as the messages were written
    finally:
        stream.close()
        writer.close()
    file_report.read = writer.read
    file_report.outcomes = writer.outcomes
    file_report.rejected = writer.rejected
    file_report.passed_over = dict(writer.passed_over)
    file_report.not_read = dict(writer.not_read)
    file_report.unchanged_unread = writer.unchanged_unread
    file_report.warnings = writer.warnings
    db.update(
        "imports",
        import_id,
        {
            "finished_at": now_utc(),
            "status": "done",
            "read": writer.read,
            "added": file_report.added,
            "updated": file_report.updated,
            "unchanged": file_report.unchanged,
            "rejected": len(file_report.rejected),
            "passed_over": sum(file_report.passed_over.values()),
        },
    )
    if writer.rejected:
        db.insert_rows(
            "import_problems",
            (
                {
                    "import_id": import_id,
                    "path": entry.name,
                    "record": None if r.record is None else str(r.record),
                    "helpdesk_id": r.helpdesk_id,
                    "field": r.field,
                    "problem": r.problem,
                }
                for r in writer.rejected
            ),
        )
    yield Progress(done_before + entry.size, total, entry.name)


def _log(db, file_report: FileReport, run_id: int | None) -> None:
    now = now_utc()
    db.insert(
        "imports",
        {
            "path": file_report.path,
            "format": file_report.format,
            "started_at": now,
            "finished_at": now,
            "status": "failed",
            "error": file_report.error,
            "run_id": run_id,
        },
    )
