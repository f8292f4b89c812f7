"""Build a report from a database file as a job: the entry point for the CLI and the app.

`build_report` is a generator that yields Progress and returns a `BuiltReport`; the app runs it
in a worker thread (desktop/jobs.py) and cancels it by closing the generator. reportlab's
layout is one blocking call, so it runs in a helper thread here and reports back through a
queue; a cancel stops it at the next flowable and no file is left behind.
"""

from __future__ import annotations

import os
import queue
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from reports import coaching, quality
from reports import saved_revenue as saved_revenue_layout
from reports.document import page_size, render_pdf
from reports.masking import mask_figures
from review.errors import InvalidInput
from review.figures.coaching_review import coaching_review
from review.figures.saved_revenue import saved_revenue
from review.figures.team_quality import team_quality
from review.filters import Filters
from review.progress import Progress, run_to_end
from review.store import connect

REPORT_KINDS = ("saved-revenue", "coaching", "quality")
LAYOUTS = {
    "saved-revenue": saved_revenue_layout,
    "coaching": coaching,
    "quality": quality,
}


@dataclass(frozen=True)
class BuiltReport:
    """What a finished build made."""

    path: Path
    pages: int
    size_bytes: int


class _Cancelled(Exception):
    pass


def report_figures(
    db, kind: str, filters: Filters, *, agent_id: int | None = None, made_on: str | None = None
):
    """The figures of one report kind (review.figures' sets). A coaching review needs one
    agent: `agent_id`, else the single agent in `filters.agent_ids`; InvalidInput otherwise."""
    if kind == "saved-revenue":
        return saved_revenue(db, filters, made_on=made_on)
    if kind == "quality":
        return team_quality(db, filters, made_on=made_on)
    if kind == "coaching":
        if agent_id is None:
            if len(filters.agent_ids) != 1:
                raise InvalidInput("a coaching review is for one agent: choose exactly one agent")
            agent_id = filters.agent_ids[0]
        return coaching_review(db, filters, agent_id, made_on=made_on)
    raise InvalidInput(f"unknown report {kind!r}: choose one of {', '.join(REPORT_KINDS)}")


def build_report(
    kind: str,
    db_path: str | os.PathLike,
    filters: Filters,
    paper: str,
    mask: bool,
    path: str | os.PathLike,
    *,
    agent_id: int | None = None,
    made_on: str | None = None,
) -> Iterator[Progress]:
    """Make the `kind` report ("saved-revenue", "coaching", "quality") of the database at
    `db_path` into the PDF `path`, on "a4" or "letter" paper, customers masked if `mask`.

    Yields Progress (figures first, then layout per flowable); returns a BuiltReport. Opens
    its own connection, so it may run in any thread. Closing the generator stops the build.
    """
    if kind not in LAYOUTS:
        raise InvalidInput(f"unknown report {kind!r}: choose one of {', '.join(REPORT_KINDS)}")
    page_size(paper)  # refuse a bad paper before any work
    yield Progress(0, 0, "Reading figures")
    db = connect(db_path)
    try:
        figures = report_figures(db, kind, filters, agent_id=agent_id, made_on=made_on)
    finally:
        db.close()
    if mask:
        figures = mask_figures(figures)
    yield Progress(0, 0, "Laying out pages")
    events: queue.Queue = queue.Queue()
    cancel = threading.Event()

    def on_progress(done: int, total: int) -> None:
        if cancel.is_set():
            raise _Cancelled
        events.put(("progress", done, total))

    def work() -> None:
        try:
            layout = LAYOUTS[kind]
            pages = render_pdf(
                layout.TITLE, layout.build_story, figures, path, paper, on_progress=on_progress
            )
            events.put(("done", pages, 0))
        except _Cancelled:
            events.put(("cancelled", 0, 0))
        except BaseException as exc:  # handed to the job's caller below
            events.put(("failed", exc, 0))

    thread = threading.Thread(target=work, name=f"report-{kind}", daemon=True)
    thread.start()
    try:
        while True:
            event, a, b = events.get()
            if event == "progress":
                yield Progress(a, b, "Laying out pages")
            elif event == "done":
                size = Path(path).stat().st_size
                return BuiltReport(Path(path), a, size)
            elif event == "failed":
                raise a
            else:
                raise _Cancelled
    finally:
        cancel.set()
        thread.join()


def build_report_now(*args, **kwargs) -> BuiltReport:
    """`build_report` run to the end in this thread (CLI, tests)."""
    return run_to_end(build_report(*args, **kwargs))
