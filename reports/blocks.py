"""Small building blocks every report shares: number formats, captions, tables, quotes.

Numbers are formatted here once so every report writes money, percentages and "no data" the
same way. Money is integer cents: formatting never goes through a float.
"""

from __future__ import annotations

from collections.abc import Sequence
from xml.sax.saxutils import escape

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer, Table

from reports.fonts import printable
from reports.styles import Paragraph, Styles
from review.figures.report_figures import Excerpt, ReportHeader, Stat

NO_DATA = "no data"

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


def stat_text(stat: Stat, digits: int = 1) -> str:
    """A Stat as text: "61.5%", "82.4", "12" or "no data"."""
    if stat.value is None:
        return NO_DATA
    if stat.unit == "%":
        return number(stat.value, digits, "%")
    if float(stat.value).is_integer() and not stat.unit:
        return f"{int(stat.value):,}"
    return number(stat.value, digits, stat.unit)


def caption(header: ReportHeader, n: int, noun: str, styles: Styles, extra: str = "") -> Paragraph:
    """The line under a figure that says what it rests on: period, filters and n."""
    more = f" · {esc(extra)}" if extra else ""
    return Paragraph(
        f"{esc(header.period)} · {esc(header.filters)} · n = {n:,} {esc(noun)}{more}",
        styles.caption,
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
    return [
        KeepTogether([Paragraph(esc(who), styles.quote_who), Paragraph(esc(text), styles.quote)])
    ]


def section(title: str, styles: Styles, first: Sequence[Flowable] = ()) -> KeepTogether:
    """A heading kept on the page with what follows it (so no heading ends a page)."""
    return KeepTogether([Paragraph(esc(title), styles.h1), *first])


def gap(height_mm: float = 3) -> Spacer:
    """Vertical space."""
    return Spacer(1, height_mm * mm)
