"""CSV exports that open cleanly in spreadsheet programs.

UTF-8 with a byte-order mark, because Excel reads a BOM-less CSV in the machine's legacy code
page and turns Chinese and Russian into mojibake. Cells that a spreadsheet would run as a
formula (=, @, or + / - not followed by a plain number) get a leading apostrophe, the usual
defence against CSV formula injection from text customers wrote.
"""

from __future__ import annotations

import csv
import os
import re
from collections.abc import Iterator
from pathlib import Path

from review.figures.export_rows import EXPORT_KINDS, export_rows
from review.filters import Filters
from review.progress import Progress, run_to_end
from review.store import connect
from review.store.database import create_private_file

__all__ = ["EXPORT_KINDS", "export_csv", "export_job"]

_PLAIN_NUMBER = re.compile(r"[+-][\d\s().,-]*")


def safe_cell(value: object) -> object:
    """A cell a spreadsheet will show as text, never evaluate."""
    if not isinstance(value, str) or not value:
        return value
    first = value[0]
    if first in "=@\t\r" or (first in "+-" and not _PLAIN_NUMBER.fullmatch(value)):
        return "'" + value
    return value


def export_job(
    db_path: str | os.PathLike, kind: str, path: str | os.PathLike, filters: Filters | None = None
) -> Iterator[Progress]:
    """Write one export to `path` as a job: yields Progress every 1,000 rows, returns the row
    count. It opens its own connection (jobs run off the GUI thread). The file appears only
    when complete: a failure or cancel (closing the generator) leaves nothing behind."""
    db = connect(db_path)
    target = Path(path)
    partial = target.with_name(f".{target.name}.partial")
    try:
        export = export_rows(db, kind, filters)
        yield Progress(0, export.count, f"Exporting {kind}")
        written = 0
        create_private_file(partial)  # an export is for its owner's eyes: readable by them only
        with open(partial, "w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(export.columns)
            for row in export.rows:
                writer.writerow([safe_cell(v) for v in row])
                written += 1
                if written % 1000 == 0:
                    yield Progress(written, export.count, f"Exporting {kind}")
        os.replace(partial, target)
        yield Progress(written, export.count, f"Exported {written:,} {kind}")
        return written
    finally:
        if partial.exists():
            partial.unlink()
        db.close()


def export_csv(
    db_path: str | os.PathLike, kind: str, path: str | os.PathLike, filters: Filters | None = None
) -> int:
    """Write one export ("conversations", "reviews", "saves", "losses") to `path`; returns
    the number of rows written (header not counted)."""
    return run_to_end(export_job(db_path, kind, path, filters))
