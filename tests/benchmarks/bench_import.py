"""Import benchmark: a generated Zendesk NDJSON export of 50,000 tickets / 500,000 comments.

Compares savedesk's import with a floor (json + sqlite3 executemany, one transaction) and with
the sqlite-utils command line (insert --nl of the same comments, then enable-fts on bodies).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import sys
import tempfile
from pathlib import Path

from tests.benchmarks.common import measure_command, measure_module, report
from tests.benchmarks.zendesk_export import write_comments_jsonl, write_export

TICKETS = int(os.environ.get("BENCH_TICKETS", 50_000))
COMMENTS_PER_TICKET = 10
# This machine's timings vary by ±20% run to run; each contender's best of a few runs is
# what its code can do, the rest is noise from elsewhere.
REPEAT = int(os.environ.get("BENCH_REPEAT", 3))


def _best(measure):
    """The fastest of REPEAT runs of `measure(i)` (a Measured or seconds)."""
    return min(
        (measure(i) for i in range(REPEAT)), key=lambda m: m if isinstance(m, float) else m.seconds
    )


def run() -> dict:
    """Run the import benchmark and print its figures; returns them."""
    work = Path(tempfile.mkdtemp(prefix="savedesk-bench-import-"))
    try:
        export = work / "tickets.ndjson"
        comments = write_export(export, TICKETS, COMMENTS_PER_TICKET)
        flat = work / "comments.jsonl"
        write_comments_jsonl(export, flat)
        size_mb = export.stat().st_size / 1e6

        floor = _best(
            lambda i: measure_module(
                "tests.benchmarks.floor_import", str(export), str(work / f"floor{i}.db")
            )
        )
        ours = _best(
            lambda i: measure_module(
                "tests.benchmarks.savedesk_import", str(export), str(work / f"savedesk{i}.db")
            )
        )
        sqlite_utils = Path(sys.executable).with_name("sqlite-utils")

        def sqlite_utils_run(i: int) -> float:
            db = str(work / f"su{i}.db")
            insert = measure_command(
                [str(sqlite_utils), "insert", db, "comments", str(flat), "--nl", "--pk", "id"]
            )
            return insert + measure_command(
                [str(sqlite_utils), "enable-fts", db, "comments", "body"]
            )

        su_total = _best(sqlite_utils_run)

        conn = sqlite3.connect(work / "savedesk0.db")
        stored = conn.execute("select count(*) from messages").fetchone()[0]
        conn.close()
        figures = {
            "tickets": TICKETS,
            "comments": comments,
            "stored_messages": stored,
            "savedesk_s": ours.seconds,
            "floor_s": floor.seconds,
            "sqlite_utils_s": su_total,
            "ratio_to_floor": ours.seconds / floor.seconds,
            "ratio_to_sqlite_utils": ours.seconds / su_total,
            "savedesk_peak_mb": ours.peak_mb,
        }
        report(
            f"Import: Zendesk NDJSON, {TICKETS:,} tickets, {comments:,} comments ({size_mb:,.0f} MB), "
            f"best of {REPEAT}",
            [
                (
                    "savedesk import (incl. full-text index)",
                    f"{ours.seconds:7.2f} s, peak {ours.peak_mb:,.0f} MB, {stored:,} messages stored",
                ),
                (
                    "floor: json + sqlite3 executemany",
                    f"{floor.seconds:7.2f} s, peak {floor.peak_mb:,.0f} MB",
                ),
                (
                    "sqlite-utils insert --nl + enable-fts",
                    f"{su_total:7.2f} s",
                ),
                ("savedesk / floor", f"{figures['ratio_to_floor']:.2f}x  (goal <= 2.0x)"),
                (
                    "savedesk / sqlite-utils",
                    f"{figures['ratio_to_sqlite_utils']:.2f}x  (goal < 1.0x)",
                ),
                ("savedesk peak memory", f"{ours.peak_mb:,.0f} MB  (goal < 300 MB)"),
            ],
        )
        return figures
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    run()
