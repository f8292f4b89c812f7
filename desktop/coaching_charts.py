"""The two charts of the coaching page: the agent's quality score over time next to the team's,
and per rubric category the agent's mean next to the team's. Figures come from review.figures;
each point and bar carries its n in its tooltip, and each series names its total n.
"""

from __future__ import annotations

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSet,
    QChart,
    QChartView,
    QHorizontalBarSeries,
    QLineSeries,
    QValueAxis,
)
from PySide6.QtCore import QMargins, QPointF, Qt
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QToolTip

from review.figures.values import GroupFigure
from review.figures.wording import figure_text

AGENT_COLOUR = QColor("#1565c0")
TEAM_COLOUR = QColor("#9e9e9e")


def _chart(title: str) -> QChart:
    chart = QChart()
    chart.setTitle(title)
    chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
    chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
    chart.setMargins(QMargins(4, 4, 4, 4))
    return chart


def _total(figures: list[GroupFigure]) -> int:
    return sum(g.figure.n for g in figures)


class TrendChart(QChartView):
    """Quality score by period: the agent's line and the team's."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("trend-chart")
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setMinimumHeight(220)
        self.points: dict[str, list[tuple[str, str, int]]] = {}
        self.setChart(_chart("Quality score over time"))

    def show_figures(
        self, agent: str, mine: list[GroupFigure], team: str, theirs: list[GroupFigure]
    ) -> None:
        """Draw both series over the periods either has (periods without data are skipped)."""
        chart = _chart("Quality score over time")
        periods = sorted({g.label for g in mine + theirs if g.figure.value is not None})
        axis_x = QBarCategoryAxis()
        years = {p[:4] for p in periods}
        # one year on screen: "W33" / "08" read better than "2026-W33" squeezed to "…"
        labels = [p[5:] if len(years) == 1 else p for p in periods]
        axis_x.append(labels or ["no data"])
        axis_x.setLabelsAngle(-90 if len(periods) > 12 else 0)
        axis_x.setTruncateLabels(False)
        axis_y = QValueAxis()
        axis_y.setRange(0, 100)
        axis_y.setLabelFormat("%.0f")
        axis_y.setTickCount(6)
        chart.addAxis(axis_x, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(axis_y, Qt.AlignmentFlag.AlignLeft)
        self.points = {}
        for name, figures, colour, width in (
            (f"{team} (n {_total(theirs)})", theirs, TEAM_COLOUR, 2),
            (f"{agent} (n {_total(mine)})", mine, AGENT_COLOUR, 3),
        ):
            series = QLineSeries()
            series.setName(name)
            series.setPen(QPen(colour, width))
            series.setPointsVisible(True)
            shown = []
            for g in figures:
                if g.figure.value is not None and g.label in periods:
                    series.append(QPointF(periods.index(g.label), g.figure.value))
                    shown.append((g.label, figure_text(g.figure), g.figure.n))
            self.points[name] = shown
            chart.addSeries(series)
            series.attachAxis(axis_x)
            series.attachAxis(axis_y)
            series.hovered.connect(lambda point, state, name=name: self._tip(name, point, state))
        self.setChart(chart)

    def _tip(self, name: str, point: QPointF, state: bool) -> None:
        if not state:
            QToolTip.hideText()
            return
        i = round(point.x())
        for label, text, n in self.points.get(name, []):
            periods = sorted({p[0] for shown in self.points.values() for p in shown})
            if label in periods and periods.index(label) == i:
                QToolTip.showText(
                    self.cursor().pos(), f"{name.split(' (')[0]}, {label}: {text}, n = {n}"
                )
                return


class CategoryChart(QChartView):
    """Per category: the agent's mean rating (0-100) beside the team's, as horizontal bars."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("category-chart")
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setMinimumHeight(300)
        self.rows: list[tuple[str, GroupFigure | None, GroupFigure | None]] = []
        self.setChart(_chart("By category (0–100)"))

    def show_figures(
        self, agent: str, mine: list[GroupFigure], team: str, theirs: list[GroupFigure]
    ) -> None:
        """One row per category either has, in rubric order (the team's order first)."""
        chart = _chart("By category (0–100)")
        by_mine = {g.label: g for g in mine}
        by_team = {g.label: g for g in theirs}
        names = [g.label for g in theirs] + [g.label for g in mine if g.label not in by_team]
        names.reverse()  # horizontal bars draw the first category at the bottom
        self.rows = [(n, by_mine.get(n), by_team.get(n)) for n in names]
        series = QHorizontalBarSeries()
        for title, source, colour in (
            (f"{team} (n {_total(theirs)} ratings)", by_team, TEAM_COLOUR),
            (f"{agent} (n {_total(mine)})", by_mine, AGENT_COLOUR),
        ):
            bars = QBarSet(title)
            bars.setColor(colour)
            bars.setBorderColor(colour)
            for n in names:
                g = source.get(n)
                bars.append(g.figure.value if g and g.figure.value is not None else 0.0)
            bars.hovered.connect(lambda state, i, title=title: self._tip(title, state, i))
            series.append(bars)
        series.setBarWidth(0.8)
        chart.addSeries(series)
        axis_y = QBarCategoryAxis()
        axis_y.append(names or ["no data"])
        axis_x = QValueAxis()
        axis_x.setRange(0, 100)
        axis_x.setLabelFormat("%.0f")
        axis_x.setTickCount(6)
        chart.addAxis(axis_y, Qt.AlignmentFlag.AlignLeft)
        chart.addAxis(axis_x, Qt.AlignmentFlag.AlignBottom)
        series.attachAxis(axis_y)
        series.attachAxis(axis_x)
        self.setChart(chart)

    def _tip(self, title: str, state: bool, index: int) -> None:
        if not state or index >= len(self.rows):
            QToolTip.hideText()
            return
        name, mine, team = self.rows[index]
        g = team if title == self.chart().series()[0].barSets()[0].label() else mine
        value = "no data" if g is None else figure_text(g.figure)
        QToolTip.showText(
            self.cursor().pos(),
            f"{title.split(' (')[0]}, {name}: {value}, n = {g.figure.n if g else 0}",
        )
