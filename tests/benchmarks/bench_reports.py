"""Reports benchmark: a coaching review of the agent with 2,000 reviews and a saved-revenue
report over 100,000 conversations, each against a floor: reportlab building the same number of
pages of plain tables with the same embedded font.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.platypus import SimpleDocTemplate, Table, TableStyle

from reports.build import LAYOUTS, BuiltReport, build_report, report_figures
from reports.document import render_pdf
from reports.fonts import register_fonts
from review.filters import Filters
from review.progress import run_to_end
from review.store import connect
from tests.benchmarks.bigdb import big_database, coached_agent_id
from tests.benchmarks.common import report


def _floor(path: Path, pages: int) -> tuple[float, int, int]:
    """Time reportlab laying out plain tables until it has made at least `pages` pages."""
    fonts = register_fonts()
    rows_per_page = 38
    rows = [["Column A", "Column B", "Column C", "Column D"]] + [
        [f"row {i}", f"Агент {i % 40}", f"客户 {i}", f"{i * 1.5:.2f}"]
        for i in range(pages * rows_per_page)
    ]
    started = time.perf_counter()
    doc = SimpleDocTemplate(str(path), pagesize=A4)
    table = Table(rows, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), fonts.regular),
                ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
            ]
        )
    )
    doc.build([table])
    elapsed = time.perf_counter() - started
    return elapsed, doc.page, path.stat().st_size


def run() -> dict:
    """Run the reports benchmark and print its figures."""
    db_path = big_database()
    db = connect(db_path)
    agent = coached_agent_id(db)
    reviews = db.execute("select count(*) from reviews where agent_id = ?", [agent]).fetchone()[0]
    conversations = db.execute("select count(*) from conversations").fetchone()[0]
    db.close()
    rows = []
    figures = {}
    with tempfile.TemporaryDirectory() as work:
        for kind, filters, label in (
            (
                "coaching",
                Filters(agent_ids=(agent,)),
                f"coaching review, agent with {reviews:,} reviews",
            ),
            ("saved-revenue", Filters(), f"saved revenue, {conversations:,} conversations"),
        ):
            out = Path(work) / f"{kind}.pdf"
            # the figures are timed apart: the floor lays out plain tables and reads no figures
            run_to_end(build_report(kind, db_path, filters, "a4", False, out))  # the whole job
            db = connect(db_path)
            started = time.perf_counter()
            read = report_figures(db, kind, filters)
            reading = time.perf_counter() - started
            db.close()
            layout = LAYOUTS[kind]
            started = time.perf_counter()
            pages = render_pdf(layout.TITLE, layout.build_story, read, out, "a4")
            ours = time.perf_counter() - started
            built = BuiltReport(out, pages, out.stat().st_size)
            floor, floor_pages, floor_size = _floor(Path(work) / f"{kind}-floor.pdf", built.pages)
            figures[kind] = {
                "savedesk_s": ours,
                "floor_s": floor,
                "ratio": ours / floor,
                "pages": built.pages,
            }
            rows.append((f"{label}: savedesk, reading the figures", f"{reading:7.2f} s"))
            rows.append(
                (
                    f"{label}: savedesk, laying out",
                    f"{ours:7.2f} s, {built.pages} pages, {built.size_bytes / 1e3:,.0f} kB",
                )
            )
            rows.append(
                (
                    f"{label}: floor (plain tables)",
                    f"{floor:7.2f} s, {floor_pages} pages, {floor_size / 1e3:,.0f} kB",
                )
            )
            rows.append(
                (f"{label}: ratio, laying out", f"{ours / floor:7.2f}x  (goal <= 2.0x; the floor "
                 "draws no charts)")
            )  # fmt: skip
    report("Reports (A4, embedded CJK/Cyrillic font)", rows)
    return figures


if __name__ == "__main__":
    run()
