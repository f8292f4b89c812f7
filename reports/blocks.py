"""Small building blocks every report shares: captions, tables, key figures, quotes.

Figures are written by review.figures.wording, as the dashboard and `savedesk stats` write them
(value, 95% interval, few mark, "no data"); money kept in its own currency is integer cents and
is formatted here without going through a float.
"""

from __future__ import annotations

from collections.abc import Sequence
from xml.sax.saxutils import escape

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer, Table

from reports.fonts import printable
from reports.styles import Paragraph, Styles
from review.figures.coverage import Coverage
from review.figures.excerpts import Excerpt
from review.figures.values import Figure
from review.figures.wording import (
    NO_DATA,
    few_text,
    figure_text,
    interval_text,
    n_text,
    value_text,
)

# Charts and fixed-width blocks fit the narrower text frame of A4 and Letter.
CONTENT_WIDTH = 174 * mm


def esc(text: str | None) -> str:
    """Text made safe for a Paragraph's mini-markup, line breaks kept."""
    return escape(printable(text or "")).replace("\n", "<br/>")


def money(cents: int, currency: str) -> str:
    """Exact money text: 123456 EUR -> "1,234.56 EUR" (no float on the way)."""
    sign = "-" if cents < 0 else ""
    whole, part = divmod(abs(int(cents)), 100)
    return f"{sign}{whole:,}.{part:02d} {currency}"


def number(value: float | None, digits: int = 1, unit: str = "") -> str:
    """A figure to `digits` decimals with its unit, or "no data" for None."""
    if value is None:
        return NO_DATA
    return f"{value:,.{digits}f}{unit}"


def stat(figure: Figure, digits: int = 1) -> str:
    """A figure with its interval and few mark, as every surface writes it."""
    return figure_text(figure, digits)


def value(figure: Figure, digits: int = 1) -> str:
    """A figure's value alone ("no data" when it has none)."""
    return value_text(figure, digits)


def caption(coverage: Coverage, n: int, noun: str, styles: Styles, extra: str = "") -> Paragraph:
    """The line under a figure that says what it rests on: period, filters and n."""
    more = f" · {esc(extra)}" if extra else ""
    return Paragraph(
        f"{esc(coverage.period)} · {esc(coverage.filters)} · n = {n:,} {esc(noun)}{more}",
        styles.caption,
    )


def figure_note(figure: Figure, noun: str) -> str:
    """What goes under a big number: "95% 36.6–54.3% · n = 117 saves and losses · few"."""
    parts = (interval_text(figure), n_text(figure, noun), few_text(figure))
    return " · ".join(x for x in parts if x)


def figure_cell(figure: Figure, noun: str, styles: Styles) -> Paragraph:
    """A figure in a table cell under a heading that says "95%": its value and interval
    ("76.1 (74.6–77.7)"), its n beneath, small."""
    return Paragraph(
        f"{esc(figure_text(figure, compact=True))}<br/><font size=6.5 color='#5f6b7a'>"
        f"{esc(n_text(figure, noun))}</font>",
        styles.cell_right,
    )


def no_data(styles: Styles, what: str = "") -> Paragraph:
    """The "no data" line shown in place of an empty figure."""
    return Paragraph(f"{NO_DATA}{' — ' + esc(what) if what else ''}", styles.no_data)


def table(
    head: Sequence[str],
    rows: Sequence[Sequence[str | Flowable]],
    widths: Sequence[str],
    styles: Styles,
    right: Sequence[int] = (),
) -> Table:
    """A data table whose header row repeats on every page it spans.

    Strings become wrapping paragraphs (right-aligned in the `right` columns); widths are
    percentages of the frame so one story fits A4 and Letter.
    """

    def cell(value: str | Flowable, col: int, style) -> Flowable:
        if isinstance(value, Flowable):
            return value
        return Paragraph(esc(str(value)), styles.cell_right if col in right else style)

    data = [[cell(h, i, styles.cell_head) for i, h in enumerate(head)]]
    data += [[cell(v, i, styles.cell) for i, v in enumerate(row)] for row in rows]
    result = Table(data, colWidths=list(widths), repeatRows=1, hAlign="LEFT")
    result.setStyle(styles.table_style(rows=len(rows)))
    return result


def key_figures(items: Sequence[tuple[str, str, str]], styles: Styles) -> Table:
    """A row of large numbers: (label, value, note under it) each."""
    cells = [
        [
            Paragraph(esc(label), styles.big_label),
            Paragraph(esc(value), styles.big_number),
            Paragraph(esc(note), styles.caption),
        ]
        for label, value, note in items
    ]
    width = f"{100 / max(1, len(items)):.2f}%"
    result = Table([cells], colWidths=[width] * len(items), hAlign="LEFT")
    result.setStyle(
        [
            # Tables set their cell font on the canvas even for paragraph cells: without this
            # one a base-14 Helvetica lands in the PDF.
            ("FONTNAME", (0, 0), (-1, -1), styles.font),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 8),
        ]
    )
    return result


def quote(excerpt: Excerpt, styles: Styles, limit: int = 600) -> list[Flowable]:
    """A quoted message, as written, with who wrote it and when; long messages are cut at
    `limit` characters (marked with an ellipsis)."""
    text = excerpt.text.strip()
    if len(text) > limit:
        text = text[:limit].rstrip() + " …"
    when = excerpt.created_at[:16].replace("T", " ")
    who = f"{excerpt.author or excerpt.role} ({excerpt.role})" + (f" · {when}" if when else "")
    # Kept with its text by keepWithNext, not a KeepTogether: a KeepTogether inside another
    # one reports an endless height, which pushed every story to a page of its own.
    head = Paragraph(esc(who), styles.quote_who)
    head.keepWithNext = True
    return [head, Paragraph(esc(text), styles.quote)]


def section(title: str, styles: Styles, first: Sequence[Flowable] = ()) -> KeepTogether:
    """A heading kept on the page with what follows it (so no heading ends a page)."""
    return KeepTogether([Paragraph(esc(title), styles.h1), *first])


def gap(height_mm: float = 3) -> Spacer:
    """Vertical space."""
    return Spacer(1, height_mm * mm)
