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


def run() -> dict:
    """Run the import benchmark and print its figures; returns them."""
    work = Path(tempfile.mkdtemp(prefix="savedesk-bench-import-"))
    try:
        export = work / "tickets.ndjson"
        comments = write_export(export, TICKETS, COMMENTS_PER_TICKET)
        flat = work / "comments.jsonl"
        write_comments_jsonl(export, flat)
        size_mb = export.stat().st_size / 1e6

        floor = measure_module("tests.benchmarks.floor_import", str(export), str(work / "floor.db"))
        ours = measure_module(
            "tests.benchmarks.savedesk_import", str(export), str(work / "savedesk.db")
        )
        su = Path(sys.executable).with_name("sqlite-utils")
        su_db = str(work / "su.db")
        su_insert = measure_command(
            [str(su), "insert", su_db, "comments", str(flat), "--nl", "--pk", "id"]
        )
        su_fts = measure_command([str(su), "enable-fts", su_db, "comments", "body"])
        su_total = su_insert + su_fts

        conn = sqlite3.connect(work / "savedesk.db")
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
            f"Import: Zendesk NDJSON, {TICKETS:,} tickets, {comments:,} comments ({size_mb:,.0f} MB)",
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
                    f"{su_total:7.2f} s ({su_insert:.2f} + {su_fts:.2f})",
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
