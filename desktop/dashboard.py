"""The dashboard window: saved MRR by week, lost MRR by reason (Pareto), quality by agent, and
the headline figures (saved MRR, save rate, quality, CSAT, NPS) with DOMAIN.md's reference lines.

Every number comes from review.figures for the filters chosen in its own filter bar (the list's
chips, started from the list's values); every figure shows its `n` and "no data" where nothing
is under it. Clicking a bar asks the main window to list the conversations under that bar.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QFont, QKeySequence, QPainter, QPen, QShortcut
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)
from sqlite_utils import Database

from desktop.dashboard_charts import (
    AgentQualityChart,
    ParetoChart,
    WeeklySavesChart,
    money_text,
)
from desktop.filter_bar import FilterBar
from review import figures as metrics
from review.figures import Figure, GroupFigure, ReasonFigure
from review.figures import series as figures_series
from review.figures.series import WeekSaves
from review.filters import Filters

CSAT_TARGET = 85.0  # DOMAIN.md: CSAT at or above 85%
NPS_BANDS = ((0.0, "good"), (20.0, "great"), (50.0, "excellent"), (80.0, "world class"))


@dataclass(frozen=True)
class DashboardData:
    """Everything the dashboard shows, for one set of filters (plain values, no Qt)."""

    filters: Filters
    weeks: list[WeekSaves]
    week_unit: str
    week_currency: str | None  # set when the weekly chart shows one currency of several
    reasons: list[ReasonFigure]
    agents: list[GroupFigure]
    figures: dict[str, Figure] = field(default_factory=dict)


def dashboard_data(db: Database, filters: Filters) -> DashboardData:
    """The dashboard's figures for `filters`, all from review.figures."""
    weeks = figures_series.saved_mrr_by_week(db, filters)
    currency = None
    mixed = any(f.value is None and f.n for w in weeks for f in (w.confirmed, w.pending))
    if mixed:  # several currencies and no exchange rates: chart the commonest one alone
        currency = figures_series.save_currencies(db, filters)[0][0]
        weeks = figures_series.saved_mrr_by_week(db, filters, currency)
    units = {f.unit for w in weeks for f in (w.confirmed, w.pending) if f.n}
    return DashboardData(
        filters=filters,
        weeks=weeks,
        week_unit=currency or (units.pop() if len(units) == 1 else ""),
        week_currency=currency,
        reasons=metrics.lost_mrr_by_reason(db, filters),
        agents=metrics.quality_by_agent(db, filters),
        figures={
            "saved": metrics.saved_mrr(db, filters),
            "saved_confirmed": metrics.saved_mrr(db, filters, confirmed_only=True),
            "save_rate": metrics.save_rate(db, filters),
            "quality": metrics.quality_score(db, filters),
            "csat": metrics.csat(db, filters),
            "nps": metrics.nps(db, filters),
        },
    )


class Scale(QWidget):
    """A bullet scale: the range, reference lines with their names, and the value as a bar."""

    def __init__(self, low: float, high: float, marks: tuple[tuple[float, str], ...], parent=None):
        super().__init__(parent)
        self.low, self.high, self.marks = low, high, marks
        self.value: float | None = None
        self.setMinimumHeight(self.fontMetrics().height() * 2 + 10)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def set_value(self, value: float | None) -> None:
        """Show `value` (None: no bar, "no data" is said by the card)."""
        self.value = value
        self.update()

    def paintEvent(self, _event) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        font = QFont(self.font())
        font.setPointSizeF(max(7.0, font.pointSizeF() * 0.8))
        painter.setFont(font)
        line_h = painter.fontMetrics().height()
        pad = 4
        track = QRectF(pad, 2, self.width() - 2 * pad, self.height() - line_h - 6)
        palette = self.palette()
        painter.fillRect(track, palette.alternateBase())

        def x_of(v: float) -> float:
            share = (min(max(v, self.low), self.high) - self.low) / (self.high - self.low)
            return track.left() + share * track.width()

        if self.value is not None:
            bar = QRectF(track.left(), track.top() + track.height() * 0.25, 0, track.height() / 2)
            bar.setRight(x_of(self.value))
            painter.fillRect(bar, palette.highlight())
        painter.setPen(QPen(palette.text().color(), 1))
        for value, name in self.marks:
            x = x_of(value)
            painter.drawLine(QPointF(x, track.top()), QPointF(x, track.bottom()))
            text = f"{name} {value:g}"
            width = painter.fontMetrics().horizontalAdvance(text)
            left = min(max(x - width / 2, 0), self.width() - width)
            painter.drawText(QPointF(left, track.bottom() + line_h), text)
        painter.end()


class FigureCard(QFrame):
    """One headline figure: its name, its value (or "no data"), its n, an optional scale."""

    def __init__(self, key: str, title: str, scale: Scale | None = None, parent=None):
        super().__init__(parent)
        self.setObjectName(f"card-{key}")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.setSpacing(2)
        self.title = QLabel(title, self)
        self.value_label = QLabel(self)
        self.value_label.setObjectName(f"value-{key}")
        big = QFont(self.font())
        big.setPointSizeF(big.pointSizeF() * 1.6)
        big.setBold(True)
        self.value_label.setFont(big)
        self.n_label = QLabel(self)
        self.n_label.setObjectName(f"n-{key}")
        self.note = QLabel(self)
        self.note.setWordWrap(True)
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.n_label)
        layout.addLayout(top)
        layout.addWidget(self.value_label)
        self.scale = scale
        if scale is not None:
            layout.addWidget(scale)
        layout.addWidget(self.note)
        layout.addStretch(1)

    def show_figure(self, text: str, n: int, noun: str, note: str = "", value=None) -> None:
        """Show `text` as the value ("no data" greyed), "n = {n} {noun}" and a note."""
        self.value_label.setText(text)
        self.value_label.setEnabled(text != "no data")
        self.n_label.setText(f"n = {n:,} {noun}")
        self.note.setText(note)
        self.note.setVisible(bool(note))
        if self.scale is not None:
            self.scale.set_value(value)


def _pct(value: float | None) -> str:
    return "no data" if value is None else f"{value:.1f}%"


class Dashboard(QWidget):
    """The dashboard window. `open_conversations(ids, label)` asks for a list of conversations."""

    open_conversations = Signal(list, str)

    def __init__(self, db: Database, filters_from: FilterBar | None = None, parent=None):
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("dashboard")
        self.setWindowTitle("Dashboard — savedesk")
        self.db = db
        self.data: DashboardData | None = None
        self.filter_bar = FilterBar(db, self)
        if filters_from is not None:
            self.copy_filters(filters_from)
        self.filter_bar.changed.connect(self.refresh)
        self.refresh_button = QPushButton("Refresh", self)
        self.refresh_button.setToolTip("Read the figures again (F5)")
        self.refresh_button.clicked.connect(self.refresh)
        QShortcut(QKeySequence("F5"), self, activated=self.refresh)
        QShortcut(QKeySequence.StandardKey.Close, self, activated=self.close)
        self.scope_label = QLabel(self)
        self.scope_label.setObjectName("dashboard-scope")
        self.scope_label.setWordWrap(True)
        self.weekly = WeeklySavesChart(self)
        self.pareto = ParetoChart(self)
        self.quality = AgentQualityChart(self)
        self.cards = {
            "saved": FigureCard("saved", "Saved MRR (pending + confirmed)"),
            "save_rate": FigureCard("save_rate", "Save rate"),
            "quality": FigureCard("quality", "Quality score"),
            "csat": FigureCard("csat", "CSAT", Scale(0, 100, ((CSAT_TARGET, "target"),))),
            "nps": FigureCard("nps", "NPS", Scale(-100, 100, NPS_BANDS)),
        }
        self._stale = QTimer(self)
        self._stale.setSingleShot(True)
        self._stale.setInterval(300)
        self._stale.timeout.connect(self.refresh)
        self.weekly.bar_clicked.connect(self._on_week)
        self.pareto.bar_clicked.connect(self._on_reason)
        self.quality.bar_clicked.connect(self._on_agent)
        self._lay_out()
        self.resize(1280, 800)
        self.refresh()

    def _lay_out(self) -> None:
        top = QHBoxLayout()
        top.addWidget(self.filter_bar, 1)
        top.addWidget(self.refresh_button, 0, Qt.AlignmentFlag.AlignTop)
        figures = QWidget(self)
        figures.setObjectName("dashboard-figures")
        grid = QGridLayout(figures)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(6)
        grid.addWidget(self.cards["saved"], 0, 0)
        grid.addWidget(self.cards["save_rate"], 0, 1)
        grid.addWidget(self.cards["quality"], 1, 0)
        grid.addWidget(self.cards["csat"], 1, 1)
        grid.addWidget(self.cards["nps"], 2, 0, 1, 2)
        for card in self.cards.values():
            card.setParent(figures)
        charts = QGridLayout()
        charts.setSpacing(6)
        charts.addWidget(self.weekly, 0, 0)
        charts.addWidget(self.pareto, 0, 1)
        charts.addWidget(self.quality, 1, 0)
        charts.addWidget(figures, 1, 1)
        charts.setRowStretch(0, 1)
        charts.setRowStretch(1, 1)
        charts.setColumnStretch(0, 1)
        charts.setColumnStretch(1, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.setSpacing(4)
        layout.addLayout(top)
        layout.addWidget(self.scope_label)
        layout.addLayout(charts, 1)

    # --- filters and data --------------------------------------------------------------------
    def copy_filters(self, other: FilterBar) -> None:
        """Start from the chips of `other` (the list's filter bar), without refreshing."""
        for name, chip in other.chips.items():
            mine = self.filter_bar.chips[name]
            label = chip.text().split(": ", 1)[1] if chip.value is not None else None
            mine.select(chip.value, emit=False, label=label)

    def filters(self) -> Filters:
        """The filters the figures are for."""
        return self.filter_bar.filters()

    def set_database(self, db: Database) -> None:
        """Show the figures of another database."""
        self.db = db
        self.filter_bar.set_database(db)
        self.refresh()

    def mark_stale(self, *_args) -> None:
        """Something changed in the store: read the figures again shortly (if shown)."""
        if self.isVisible():
            self._stale.start()

    def refresh(self) -> None:
        """Read every figure again for the current filters and redraw."""
        self._stale.stop()
        data = dashboard_data(self.db, self.filters())
        self.data = data
        self.scope_label.setText(f"Conversations: {data.filters.describe()}")
        note = ""
        if data.week_currency:
            note = f"; {data.week_currency} only (set exchange rates to add the others)"
        self.weekly.show_figures(data.weeks, data.week_unit, note)
        self.pareto.show_figures(data.reasons)
        self.quality.show_figures(data.agents, data.figures["quality"])
        self._show_cards(data.figures)

    def _show_cards(self, f: dict[str, Figure]) -> None:
        saved, confirmed = f["saved"], f["saved_confirmed"]
        saved_note = ""
        if saved.value is None and saved.parts:
            saved_note = ", ".join(f"{v:,.2f} {c}" for c, v in sorted(saved.parts.items()))
            saved_text = "several currencies"
        else:
            saved_text = money_text(saved.value, saved.unit)
            if saved.n:
                saved_note = (
                    f"confirmed {money_text(confirmed.value, confirmed.unit)} (n = {confirmed.n})"
                )
        self.cards["saved"].show_figure(saved_text, saved.n, "saves", saved_note)
        rate = f["save_rate"]
        self.cards["save_rate"].show_figure(
            _pct(rate.value), rate.n, "tagged", "saves / (saves + losses)"
        )
        q = f["quality"]
        q_note = ""
        if q.low is not None:
            q_note = f"95% interval {q.low:.1f}–{q.high:.1f}"
        if q.value is not None and q.few:
            q_note = "few reviews: trust it little"
        q_text = "no data" if q.value is None else f"{q.value:.1f}"
        self.cards["quality"].show_figure(q_text, q.n, "reviews", q_note)
        c = f["csat"]
        c_note = "" if c.value is None else ("at or above" if c.value >= CSAT_TARGET else "below")
        c_note = f"{c_note} the {CSAT_TARGET:g}% target".strip() if c_note else ""
        self.cards["csat"].show_figure(_pct(c.value), c.n, "ratings", c_note, c.value)
        n = f["nps"]
        band = nps_band(n.value)
        n_text = "no data" if n.value is None else f"{n.value:+.1f}"
        self.cards["nps"].show_figure(n_text, n.n, "answers", band, n.value)

    # --- clicks ------------------------------------------------------------------------------
    def _on_week(self, key: tuple[str, str]) -> None:
        week, status = key
        data = self.data
        currency = data.week_currency if data else None
        ids = figures_series.saved_week_conversation_ids(
            self.db, self.filters(), week, status, currency
        )
        self.open_conversations.emit(ids, f"Saves {status}, week of {week}")

    def _on_reason(self, reason_id: int) -> None:
        ids = figures_series.lost_reason_conversation_ids(self.db, self.filters(), reason_id)
        name = next((r.label for r in self.data.reasons if r.reason_id == reason_id), "")
        self.open_conversations.emit(ids, f"Lost: {name}")

    def _on_agent(self, agent_id: int | None) -> None:
        ids = figures_series.reviewed_conversation_ids(self.db, self.filters(), agent_id)
        name = next((g.label for g in self.data.agents if g.key == agent_id), "")
        self.open_conversations.emit(ids, f"Reviewed: {name}")


def nps_band(value: float | None) -> str:
    """DOMAIN.md's words for an NPS: above 0 good, 20 great, 50 excellent, 80 world class."""
    if value is None:
        return ""
    words = "below good (0 or less)"
    for limit, name in NPS_BANDS:
        if value > limit:
            words = f"{name} (above {limit:g})"
    return words
