"""The page around every report: paper, margins, header, footer "page x of y", cover block.

`render_pdf` is the one place that owns the reportlab document template. A report is a pure
`build_story(figures, styles) -> list[Flowable]`; this module puts the cover block in front of
it and flows it through the pages.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate, Table

from reports.blocks import esc
from reports.fonts import printable
from reports.styles import MUTED, RULE, Paragraph, Styles, make_styles
from review.errors import InvalidInput
from review.figures.coverage import Coverage
from review.store.database import create_private_file

PAPERS = {"a4": A4, "letter": LETTER}
MARGIN_X = 18 * mm
MARGIN_TOP = 20 * mm
MARGIN_BOTTOM = 18 * mm

StoryBuilder = Callable[[Any, Styles], Sequence[Flowable]]
ProgressCallback = Callable[[int, int], None]


def page_size(paper: str) -> tuple[float, float]:
    """(width, height) in points of "a4" or "letter"; anything else raises InvalidInput."""
    try:
        return PAPERS[paper.lower()]
    except KeyError:
        raise InvalidInput(f"unknown paper size {paper!r}: use a4 or letter") from None


def cover_block(title: str, header: Coverage, styles: Styles) -> list[Flowable]:
    """Title, the agent for a coaching review, and what the report covers: team, period,
    filters, the exchange rates money is converted at, the day it was made."""
    rows = [
        ("Team", header.team),
        ("Period", header.period),
        ("Filters", header.filters),
        ("Money", header.rates),
        ("Made on", header.made_on),
    ]
    if header.masked:
        rows.append(("Privacy", "customers' e-mail addresses, phone numbers and names masked"))
    table = Table(
        [[Paragraph(esc(k), styles.big_label), Paragraph(esc(v), styles.body)] for k, v in rows],
        colWidths=["18%", "82%"],
        hAlign="LEFT",
    )
    table.setStyle(
        [
            # Tables set their cell font on the canvas even for paragraph cells: without this
            # one a base-14 Helvetica lands in the PDF.
            ("FONTNAME", (0, 0), (-1, -1), styles.font),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("TOPPADDING", (0, 0), (-1, -1), 1),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
            ("LINEABOVE", (0, 0), (-1, 0), 0.8, RULE),
            ("LINEBELOW", (0, -1), (-1, -1), 0.8, RULE),
        ]
    )
    story: list[Flowable] = [Paragraph(esc(title), styles.title)]
    if header.subject:
        story.append(Paragraph(esc(header.subject), styles.h2))
    story.append(table)
    return story


def _numbered_canvas(title: str, header: Coverage, styles: Styles, page_width: float):
    """A canvas class that holds pages back until the end so each can say "page x of y"."""

    class NumberedCanvas(canvas.Canvas):
        def __init__(self, *args, **kwargs):
            # Without this the canvas starts every page in Helvetica (a base-14 font).
            kwargs["initialFontName"] = styles.font
            super().__init__(*args, **kwargs)
            self._pages: list[dict] = []

        def showPage(self):  # noqa: N802 (reportlab's name)
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            total = len(self._pages)
            for number, state in enumerate(self._pages, start=1):
                self.__dict__.update(state)
                self._furniture(number, total)
                super().showPage()
            super().save()

        def _furniture(self, number: int, total: int) -> None:
            size = styles.header_footer_size
            self.saveState()
            self.setFont(styles.font, size)
            self.setFillColor(MUTED)
            self.setStrokeColor(RULE)
            top = self._pagesize[1] - MARGIN_TOP + 6 * mm
            left, right = MARGIN_X, page_width - MARGIN_X
            named = title + (f" · {header.subject}" if header.subject else "")
            self.drawString(left, top, _fit(named, styles.font, size, (right - left) * 0.62))
            self.drawRightString(
                right, top, _fit(header.team, styles.font, size, (right - left) * 0.36)
            )
            self.line(left, top - 2, right, top - 2)
            bottom = MARGIN_BOTTOM - 9 * mm
            self.line(left, bottom + 9, right, bottom + 9)
            self.drawString(
                left, bottom, _fit(header.period, styles.font, size, (right - left) * 0.6)
            )
            self.drawRightString(right, bottom, f"page {number} of {total}")
            self.restoreState()

    return NumberedCanvas


def _fit(text: str, font: str, size: float, width: float) -> str:
    """`text` cut with an ellipsis so it fits `width` points."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    text = printable(text)
    if stringWidth(text, font, size) <= width:
        return text
    while text and stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text + "…"


def render_pdf(
    title: str,
    story_builder: StoryBuilder,
    figures: Any,
    path: str | os.PathLike,
    paper: str = "a4",
    *,
    styles: Styles | None = None,
    on_progress: ProgressCallback | None = None,
) -> int:
    """Lay out `figures` with `story_builder` on `paper` ("a4" or "letter") into `path`,
    under `title`.

    `figures.coverage` (review.figures.coverage.Coverage) fills the cover block, header and
    footer. The PDF is
    written to a temporary file beside `path` and renamed at the end, so a failed or cancelled
    build never leaves half a file. `on_progress(done, total)` is called as flowables are laid
    out; it may raise to stop the build. Returns the number of pages.
    """
    size = page_size(paper)
    styles = styles or make_styles()
    header: Coverage = figures.coverage
    story = [*cover_block(title, header, styles), *story_builder(figures, styles)]
    target = Path(path)
    partial = target.with_name(f".{target.name}.partial")
    create_private_file(partial)  # a report is for its owner's eyes: readable by them only
    doc = BaseDocTemplate(
        str(partial),
        pagesize=size,
        leftMargin=MARGIN_X,
        rightMargin=MARGIN_X,
        topMargin=MARGIN_TOP,
        bottomMargin=MARGIN_BOTTOM,
        title=title + (f" — {header.subject}" if header.subject else ""),
        author="savedesk",
        subject=f"{header.period}; {header.filters}",
        creator="savedesk",
    )
    frame = Frame(
        doc.leftMargin,
        doc.bottomMargin,
        doc.width,
        doc.height,
        id="body",
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
    )
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame])])
    if on_progress is not None:
        total = [len(story)]

        def report(kind: str, value: int) -> None:
            if kind == "SIZE_EST":
                total[0] = value
            elif kind == "PROGRESS":
                on_progress(value, total[0])

        doc.setProgressCallBack(report)
    try:
        doc.build(story, canvasmaker=_numbered_canvas(title, header, styles, size[0]))
        pages = doc.page
        os.replace(partial, target)
    finally:
        if partial.exists():
            partial.unlink()
    return pages
