"""Vector charts for the reports, drawn with reportlab's own graphics.

Every label is set to the embedded report font by hand: reportlab's charts default to
Helvetica, which would put a base-14, non-embedded font in the PDF.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Circle, Drawing, Line, PolyLine, String
from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth

from reports.blocks import CONTENT_WIDTH
from reports.fonts import printable
from reports.styles import ACCENT, ACCENT_LIGHT, INK, MUTED, RULE, SERIES, WARN

LABEL_SIZE = 7


def _drawing(width: float, height: float, font: str) -> Drawing:
    """A drawing whose starting state is the report font (reportlab's default is Helvetica,
    which the renderer would set, and so put in the PDF, before the first label)."""
    drawing = Drawing(width, height)
    drawing.initialFontName = font
    drawing.initialFontSize = LABEL_SIZE
    return drawing


def _short(text: str, limit: int) -> str:
    text = printable(text)
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _style_axes(chart, font: str) -> None:
    for axis in (chart.categoryAxis, chart.valueAxis):
        axis.labels.fontName = font
        axis.labels.fontSize = LABEL_SIZE
        axis.labels.fillColor = INK
        axis.strokeColor = RULE
    chart.valueAxis.visibleGrid = True
    chart.valueAxis.gridStrokeColor = colors.HexColor("#e3e8ee")
    chart.valueAxis.gridStrokeWidth = 0.4
    chart.valueAxis.forceZero = True
    chart.barLabels.fontName = font


def _nice_max(value: float) -> float:
    """A round axis maximum at or above `value` (1, 2, 2.5, 5 times a power of ten)."""
    if value <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * power:
            return step * power
    return 10 * power


def weekly_bars(
    weeks: Sequence[tuple[str, float, float]],
    currency: str,
    font: str,
    width: float = CONTENT_WIDTH,
) -> Drawing:
    """Saved MRR per week, confirmed and pending stacked (label = Monday, amounts in
    `currency`), with a legend; a week with nothing draws no bar."""
    height = 160
    drawing = _drawing(width, height, font)
    chart = VerticalBarChart()
    chart.x, chart.y, chart.width, chart.height = 50, 40, width - 60, height - 62
    chart.data = [[c for _, c, _ in weeks], [p for _, _, p in weeks]]
    chart.categoryAxis.style = "stacked"
    names = [f"{label[8:10]}.{label[5:7]}." for label, _, _ in weeks]  # DD.MM.
    every = max(1, -(-len(weeks) // 14))  # at most ~14 labels under the bars
    chart.categoryAxis.categoryNames = [n if i % every == 0 else "" for i, n in enumerate(names)]
    _style_axes(chart, font)
    chart.categoryAxis.labels.angle = 45 if len(weeks) > 8 else 0
    chart.categoryAxis.labels.boxAnchor = "ne" if len(weeks) > 8 else "n"
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueMax = _nice_max(max((c + p for _, c, p in weeks), default=0))
    chart.valueAxis.labelTextFormat = lambda v: f"{v:,.0f}"
    chart.bars[0].fillColor = ACCENT
    chart.bars[1].fillColor = ACCENT_LIGHT
    for i in (0, 1):
        chart.bars[i].strokeColor = None
    chart.barSpacing = 1
    drawing.add(chart)
    legend = Legend()
    legend.fontName = font
    legend.fontSize = LABEL_SIZE
    legend.alignment = "right"
    legend.columnMaximum = 1
    legend.x, legend.y = width - 150, height - 4
    legend.dx = legend.dy = 6
    legend.deltax = 70
    legend.colorNamePairs = [(ACCENT, "confirmed"), (ACCENT_LIGHT, "pending")]
    drawing.add(legend)
    drawing.add(
        String(
            0,
            height - 8,
            f"saved MRR per week (Monday), {currency}",
            fontName=font,
            fontSize=LABEL_SIZE,
            fillColor=MUTED,
        )
    )
    return drawing


def pareto(
    reasons: Sequence[tuple[str, float]], currency: str, font: str, width: float = CONTENT_WIDTH
) -> Drawing:
    """Lost MRR by reason, largest first, with the cumulative share as a line (right axis).

    Reason names are written whole (up to 34 characters), slanted; the plot leaves room below
    and to the left for the longest, so no label runs off the drawing.
    """
    names = [_short(name, 34) for name, _ in reasons]
    longest = max((stringWidth(n, font, LABEL_SIZE) for n in names), default=0)
    slant = math.radians(35)
    height = 156 + longest * math.sin(slant)
    bottom = 18 + longest * math.sin(slant)  # room for slanted reason names
    drawing = _drawing(width, height, font)
    chart = VerticalBarChart()
    step = (width - 46 - 36) / max(1, len(reasons))
    left = max(46.0, longest * math.cos(slant) - step / 2 + 4)
    chart.x, chart.y = left, bottom
    chart.width, chart.height = width - left - 36, height - bottom - 16
    values = [value for _, value in reasons]
    chart.data = [values]
    chart.categoryAxis.categoryNames = names
    _style_axes(chart, font)
    chart.categoryAxis.labels.angle = 35
    chart.categoryAxis.labels.boxAnchor = "ne"
    chart.categoryAxis.labels.dx = 2
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueMax = _nice_max(max(values, default=0))
    chart.valueAxis.labelTextFormat = lambda v: f"{v:,.0f}"
    chart.bars[0].fillColor = WARN
    chart.bars[0].strokeColor = None
    drawing.add(chart)
    total = sum(values)
    if total > 0 and values:
        step = chart.width / len(values)
        points: list[float] = []
        running = 0.0
        for i, value in enumerate(values):
            running += value
            x = chart.x + (i + 0.5) * step
            y = chart.y + chart.height * running / total
            points += [x, y]
            drawing.add(Circle(x, y, 1.8, fillColor=INK, strokeColor=None))
        drawing.add(PolyLine(points, strokeColor=INK, strokeWidth=1))
        right = chart.x + chart.width
        drawing.add(Line(right, chart.y, right, chart.y + chart.height, strokeColor=RULE))
        for share in (0, 25, 50, 75, 100):
            y = chart.y + chart.height * share / 100
            drawing.add(Line(right, y, right + 3, y, strokeColor=RULE))
            drawing.add(
                String(
                    right + 5,
                    y - 2.5,
                    f"{share}%",
                    fontName=font,
                    fontSize=LABEL_SIZE,
                    fillColor=INK,
                )
            )
    drawing.add(
        String(
            0,
            height - 8,
            f"lost MRR by reason, {currency}; line: cumulative share",
            fontName=font,
            fontSize=LABEL_SIZE,
            fillColor=MUTED,
        )
    )
    return drawing


def score_bars(
    rows: Sequence[tuple[str, float | None, float | None]],
    series: tuple[str, str],
    font: str,
    width: float = CONTENT_WIDTH,
) -> Drawing:
    """Horizontal bars 0-100 per label for two series (e.g. agent and team), or one when every
    second value is None; None draws no bar."""
    two = any(r[2] is not None for r in rows)
    row_height = 19
    height = 34 + row_height * max(1, len(rows))
    drawing = _drawing(width, height, font)
    chart = HorizontalBarChart()
    label_room = min(170, width * 0.36)
    chart.x, chart.y = label_room, 22
    chart.width, chart.height = width - label_room - 12, height - 30
    # HorizontalBarChart draws the first category at the bottom: reverse to read top-down.
    ordered = list(reversed(rows))
    chart.data = [[0 if r[1] is None else r[1] for r in ordered]]
    if two:
        chart.data.append([0 if r[2] is None else r[2] for r in ordered])
    chart.categoryAxis.categoryNames = [_short(r[0], 34) for r in ordered]
    _style_axes(chart, font)
    chart.valueAxis.valueMin, chart.valueAxis.valueMax, chart.valueAxis.valueStep = 0, 100, 20
    chart.bars[0].fillColor = ACCENT
    chart.bars[1].fillColor = ACCENT_LIGHT
    for i in (0, 1):
        chart.bars[i].strokeColor = None
    chart.barSpacing = 0.5
    chart.groupSpacing = 4
    drawing.add(chart)
    if not two:
        return drawing
    legend = Legend()
    legend.fontName = font
    legend.fontSize = LABEL_SIZE
    legend.alignment = "right"
    legend.columnMaximum = 1
    legend.x, legend.y = label_room, 8
    legend.dx = legend.dy = 6
    legend.deltax = 70
    legend.colorNamePairs = [(ACCENT, _short(series[0], 40)), (ACCENT_LIGHT, _short(series[1], 40))]
    drawing.add(legend)
    return drawing


def trend_bars(
    periods: Sequence[tuple[str, float | None]], font: str, width: float = CONTENT_WIDTH
) -> Drawing:
    """Quality score per period (0-100) as columns; periods with no data show no column."""
    height = 130
    drawing = _drawing(width, height, font)
    chart = VerticalBarChart()
    chart.x, chart.y, chart.width, chart.height = 34, 30, width - 44, height - 40
    chart.data = [[0 if v is None else v for _, v in periods]]
    chart.categoryAxis.categoryNames = [label for label, _ in periods]
    _style_axes(chart, font)
    many = len(periods) > 10
    chart.categoryAxis.labels.angle = 45 if many else 0
    chart.categoryAxis.labels.boxAnchor = "ne" if many else "n"
    chart.valueAxis.valueMin, chart.valueAxis.valueMax, chart.valueAxis.valueStep = 0, 100, 20
    chart.bars[0].fillColor = SERIES[0]
    chart.bars[0].strokeColor = None
    drawing.add(chart)
    return drawing
