"""The dashboard's charts (QtCharts): saved MRR by week, lost MRR by reason (Pareto), quality
by agent. Each takes plain figures from review.figures, draws them, shows every bar's `n`
(in the axis label or the hover tip) and emits `bar_clicked(key)` with what the bar stands for,
so the dashboard can list the conversations under it.

A bar with no data is not drawn (never a bar of 0); a chart with nothing at all says "no data".
"""

from __future__ import annotations

import math
from datetime import date

from PySide6.QtCharts import (
    QAbstractBarSeries,
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QCategoryAxis,
    QChart,
    QChartView,
    QHorizontalBarSeries,
    QLineSeries,
    QStackedBarSeries,
    QValueAxis,
)
from PySide6.QtCore import QMargins, Qt, Signal
from PySide6.QtGui import QColor, QCursor, QFont, QPainter, QPen
from PySide6.QtWidgets import QApplication, QToolTip

from review.figures.lost import ReasonFigure
from review.figures.saved import WeekSaves
from review.figures.values import Figure, GroupFigure

CONFIRMED_COLOUR = QColor("#2e7d32")
PENDING_COLOUR = QColor("#9ccc65")
LOST_COLOUR = QColor("#c62828")
CUMULATIVE_COLOUR = QColor("#37474f")
QUALITY_COLOUR = QColor("#1565c0")
SHORT_LABEL = 16  # characters of a reason's name under its bar; the tip gives all of it


def dark_palette() -> bool:
    """True when the application's window colour is dark (the system's dark theme)."""
    return QApplication.palette().window().color().lightness() < 128


def money_text(value: float | None, unit: str) -> str:
    """An amount with its currency code, or "no data"."""
    if value is None:
        return "no data"
    return f"{value:,.2f} {unit}".strip()


def short(text: str, limit: int = SHORT_LABEL) -> str:
    """`text` cut to `limit` characters with an ellipsis (axis labels must not collide)."""
    text = text.split(" (")[0]
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


class BarChart(QChartView):
    """A chart view with savedesk's look; subclasses fill it in `show_figures`.

    `bar_clicked(key)` fires with the key of the bar under a click; `keys[(set, index)]`
    holds those keys, so tests and the dashboard agree on what each bar means.
    """

    bar_clicked = Signal(object)

    def __init__(self, title: str, parent=None):
        super().__init__(parent)
        self.title = title
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setMinimumSize(320, 220)
        self.keys: dict[tuple[str, int], object] = {}
        self.tips: dict[tuple[str, int], str] = {}
        self.sets: dict[str, QBarSet] = {}
        self.n = 0
        self._new_chart()

    def _new_chart(self) -> QChart:
        chart = QChart()
        chart.setTheme(QChart.ChartTheme.ChartThemeDark if dark_palette() else chart.theme())
        if dark_palette():
            chart.setBackgroundBrush(QApplication.palette().base())
        chart.setMargins(QMargins(4, 4, 4, 4))
        chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
        font = QFont(QApplication.font())
        font.setBold(True)
        chart.setTitleFont(font)
        chart.legend().setFont(QApplication.font())
        old = self.chart()
        self.setChart(chart)
        if old is not None:
            old.deleteLater()
        self.keys.clear()
        self.tips.clear()
        self.sets.clear()
        return chart

    def _set_title(self, chart: QChart, detail: str) -> None:
        chart.setTitle(f"{self.title} — {detail}")

    def title_text(self) -> str:
        """The chart's title as shown (names the total n, or says "no data")."""
        return self.chart().title()

    def _bar_set(self, name: str, colour: QColor) -> QBarSet:
        bars = QBarSet(name)
        bars.setColor(colour)
        bars.setBorderColor(colour)
        bars.clicked.connect(lambda index, name=name: self._clicked(name, index))
        bars.hovered.connect(lambda on, index, name=name: self._hovered(on, name, index))
        self.sets[name] = bars
        return bars

    def _axis_font(self) -> QFont:
        font = QFont(QApplication.font())
        font.setPointSizeF(max(7.0, font.pointSizeF() * 0.85))
        return font

    def _clicked(self, name: str, index: int) -> None:
        key = self.keys.get((name, index))
        if key is not None:
            self.bar_clicked.emit(key)

    def _hovered(self, on: bool, name: str, index: int) -> None:
        if on and (name, index) in self.tips:
            QToolTip.showText(QCursor.pos(), self.tips[(name, index)], self)
        else:
            QToolTip.hideText()

    def click_bar(self, name: str, index: int) -> None:
        """Act as if the user clicked bar `index` of set `name` (keyboard and tests)."""
        self._clicked(name, index)


class WeeklySavesChart(BarChart):
    """Saved MRR per week, confirmed and pending stacked; keys ("week", status)."""

    def __init__(self, parent=None):
        super().__init__("Saved MRR by week", parent)
        self.setObjectName("chart-saved-by-week")
        self.week_labels: list[str] = []

    def show_figures(self, weeks: list[WeekSaves], unit: str, note: str = "") -> None:
        """Draw `weeks` (amounts in `unit`); `note` is added to the title (e.g. a currency)."""
        chart = self._new_chart()
        self._shown = (weeks, unit, note, self._label_step(len(weeks)))
        self.n = sum(w.n for w in weeks)
        if not self.n:
            self._set_title(chart, "no data")
            return
        self._set_title(chart, f"n = {self.n} saves{note}")
        series = QStackedBarSeries()
        series.setBarWidth(0.8)
        for name, colour in (("Confirmed", CONFIRMED_COLOUR), ("Pending", PENDING_COLOUR)):
            bars = self._bar_set(name, colour)
            status = name.lower()
            for i, week in enumerate(weeks):
                figure: Figure = getattr(week, status)
                bars.append(figure.value or 0.0)  # an empty week draws no bar at all
                if figure.n:
                    self.keys[(name, i)] = (week.week, status)
                    self.tips[(name, i)] = (
                        f"Week of {week.week}: {money_text(figure.value, unit)} {status}, "
                        f"n = {figure.n} save{'s' if figure.n != 1 else ''}"
                    )
            series.append(bars)
        chart.addSeries(series)
        # A label under every few weeks only: 26 rotated dates would be elided to nothing.
        axis_x = QCategoryAxis()
        axis_x.setLabelsPosition(QCategoryAxis.AxisLabelsPosition.AxisLabelsPositionOnValue)
        axis_x.setRange(-0.5, len(weeks) - 0.5)
        step = self._shown[3]
        for i in range(0, len(weeks), step):
            axis_x.append(_week_label(weeks[i].week, i), i)
        axis_x.setLabelsFont(self._axis_font())
        axis_x.setGridLineVisible(False)
        first, last = weeks[0].week[:4], weeks[-1].week[:4]
        axis_x.setTitleText(f"week starting ({first}{'–' + last if last != first else ''})")
        axis_x.setTitleFont(self._axis_font())
        chart.addAxis(axis_x, Qt.AlignmentFlag.AlignBottom)
        series.attachAxis(axis_x)
        self.week_labels = [w.week for w in weeks]
        axis_y = QValueAxis()
        axis_y.setLabelFormat("%.0f")
        axis_y.setTitleText(unit)
        axis_y.setLabelsFont(self._axis_font())
        axis_y.setTitleFont(self._axis_font())
        chart.addAxis(axis_y, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(axis_y)
        axis_y.applyNiceNumbers()
        chart.legend().setAlignment(Qt.AlignmentFlag.AlignTop)

    def _label_step(self, weeks: int) -> int:
        return max(1, math.ceil(weeks / max(2, self.width() // 70)))

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        shown = getattr(self, "_shown", None)
        if shown and shown[3] != self._label_step(len(shown[0])):
            self.show_figures(*shown[:3])  # room for more (or fewer) dates under the bars


def _week_label(monday: str, _index: int) -> str:
    return f"{date.fromisoformat(monday):%d %b}"


class ParetoChart(BarChart):
    """Lost MRR per reason, largest first, with the cumulative share as a line; keys reason ids.

    Reasons without a single value (several currencies, no exchange rates) are left out and
    counted in the title.
    """

    def __init__(self, parent=None):
        super().__init__("Lost MRR by reason", parent)
        self.setObjectName("chart-lost-by-reason")
        self.line: QLineSeries | None = None
        self.labels: list[str] = []

    def show_figures(self, reasons: list[ReasonFigure]) -> None:
        """Draw `reasons` (as review.figures.lost.lost_mrr_by_reason gives them: largest
        first); the right outcomes (Not a fit) are not losses and are only counted in the
        title."""
        chart = self._new_chart()
        self.line = None
        right = sum(r.figure.n for r in reasons if r.right_outcome)
        reasons = [r for r in reasons if not r.right_outcome]
        shown = [r for r in reasons if r.figure.value is not None]
        self.n = sum(r.figure.n for r in shown)
        left_out = sum(r.figure.n for r in reasons) - self.n
        self.labels = [short(r.short_name, 20) for r in shown]  # the tip gives the whole name and n
        if not shown:
            self._set_title(chart, "no data")
            return
        unit = shown[0].figure.unit
        extra = f"; {left_out} in other currencies not shown" if left_out else ""
        if right:
            extra += f"; {right} right outcomes (Not a fit) apart"
        self._set_title(chart, f"n = {self.n} losses{extra}")
        bars = self._bar_set("Lost MRR", LOST_COLOUR)
        total = sum(r.figure.value for r in shown)
        line = QLineSeries()
        line.setName("Cumulative %")
        # the dark slate line would vanish on a dark theme's background
        line.setPen(QPen(QColor("#cfd8dc") if dark_palette() else CUMULATIVE_COLOUR, 2))
        line.setPointsVisible(True)
        running = 0.0
        for i, reason in enumerate(shown):
            bars.append(reason.figure.value)
            running += reason.figure.value
            line.append(i, 100.0 * running / total)
            self.keys[("Lost MRR", i)] = reason.reason_id
            self.tips[("Lost MRR", i)] = (
                f"{reason.label}: {money_text(reason.figure.value, unit)}, "
                f"n = {reason.figure.n} loss{'es' if reason.figure.n != 1 else ''}; "
                f"cumulative {100.0 * running / total:.0f}%"
            )
        series = QBarSeries()
        series.setBarWidth(0.75)
        series.append(bars)
        chart.addSeries(series)
        chart.addSeries(line)
        self.line = line
        # The line's item lies over the bars and takes their clicks: pass them to the bar below.
        line.clicked.connect(lambda point: self._clicked("Lost MRR", round(point.x())))
        line.hovered.connect(lambda point, on: self._hovered(on, "Lost MRR", round(point.x())))
        axis_x = QBarCategoryAxis()
        axis_x.append(self.labels)
        axis_x.setLabelsFont(self._axis_font())
        axis_x.setLabelsAngle(-90 if len(shown) > 3 else 0)  # slanted labels get elided
        chart.addAxis(axis_x, Qt.AlignmentFlag.AlignBottom)
        series.attachAxis(axis_x)
        line.attachAxis(axis_x)
        axis_y = QValueAxis()
        axis_y.setLabelFormat("%.0f")
        axis_y.setTitleText(unit)
        axis_y.setLabelsFont(self._axis_font())
        axis_y.setTitleFont(self._axis_font())
        chart.addAxis(axis_y, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(axis_y)
        axis_y.applyNiceNumbers()
        axis_pct = QValueAxis()
        axis_pct.setRange(0, 100)
        axis_pct.setLabelFormat("%.0f%%")
        axis_pct.setLabelsFont(self._axis_font())
        chart.addAxis(axis_pct, Qt.AlignmentFlag.AlignRight)
        line.attachAxis(axis_pct)
        chart.legend().setAlignment(Qt.AlignmentFlag.AlignTop)


class AgentQualityChart(BarChart):
    """Quality score (0-100) per agent, best at the top, n in each label; keys agent ids."""

    def __init__(self, parent=None):
        super().__init__("Quality score by agent", parent)
        self.setObjectName("chart-quality-by-agent")
        self.labels: list[str] = []

    def show_figures(self, agents: list[GroupFigure], reference: Figure | None = None) -> None:
        """Draw `agents` (review.figures.quality_by_agent); `reference` (the overall score)
        is named in the title."""
        chart = self._new_chart()
        shown = sorted(
            (g for g in agents if g.figure.value is not None),
            key=lambda g: (g.figure.value, g.label),
        )  # ascending: a horizontal bar chart draws its first category at the bottom
        self.n = sum(g.figure.n for g in shown)
        self.labels = [f"{short(g.label, 18)} (n {g.figure.n})" for g in shown]
        if not shown:
            self._set_title(chart, "no data")
            return
        overall = ""
        if reference is not None and reference.value is not None:
            overall = f", all agents {reference.value:.1f}"
        self._set_title(chart, f"n = {self.n} reviews{overall}")
        bars = self._bar_set("Quality score", QUALITY_COLOUR)
        for i, group in enumerate(shown):
            bars.append(group.figure.value)
            self.keys[("Quality score", i)] = group.key
            interval = ""
            if group.figure.low is not None:
                interval = f", 95% {group.figure.low:.1f}–{group.figure.high:.1f}"
            warn = " (few reviews: trust it little)" if group.figure.few else ""
            self.tips[("Quality score", i)] = (
                f"{group.label}: {group.figure.value:.1f}{interval}, "
                f"n = {group.figure.n} reviews{warn}"
            )
        series = QHorizontalBarSeries()
        series.setBarWidth(0.7)
        series.append(bars)
        series.setLabelsVisible(True)
        series.setLabelsPrecision(3)
        series.setLabelsPosition(QAbstractBarSeries.LabelsPosition.LabelsInsideEnd)
        bars.setLabelColor(QColor("white"))
        bars.setLabelFont(self._axis_font())
        chart.addSeries(series)
        axis_y = QBarCategoryAxis()
        axis_y.append(self.labels)
        axis_y.setLabelsFont(self._axis_font())
        chart.addAxis(axis_y, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(axis_y)
        axis_x = QValueAxis()
        axis_x.setRange(0, 100)
        axis_x.setTickCount(6)
        axis_x.setLabelFormat("%.0f")
        axis_x.setLabelsFont(self._axis_font())
        chart.addAxis(axis_x, Qt.AlignmentFlag.AlignBottom)
        series.attachAxis(axis_x)
        chart.legend().hide()
