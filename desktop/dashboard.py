"""The dashboard window: review.figures' overview of the conversations its filter bar selects.

The headline (saved, lost and net MRR in the base currency, save rate, quality score, retention
of customers who contacted support against those who did not), saved MRR by week, one Pareto of
lost MRR by reason (right outcomes apart), quality beside retention per agent and team, which
behaviours keep customers, and the service figures against DOMAIN.md's targets. Every figure
shows its n, its 95% interval and a "few" mark where it is sampled, and "no data" where nothing
is under it. Clicking a bar (or Enter on an agent) asks the main window to list the
conversations under it. The same figures are what `savedesk stats` and the reports show.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.dashboard_cards import FigureCard, Scale
from desktop.dashboard_charts import AgentQualityChart, ParetoChart, WeeklySavesChart
from desktop.dashboard_tables import (
    BEHAVIOUR_HEADERS,
    BESIDE_HEADERS,
    FigureTable,
    behaviour_rows,
    beside_rows,
)
from desktop.filter_bar import FilterBar
from review.figures.drilldown import (
    lost_reason_conversation_ids,
    reviewed_conversation_ids,
    saved_week_conversation_ids,
)
from review.figures.overview import Overview, overview
from review.figures.scope import read_scope
from review.figures.targets import NPS_BANDS, TARGETS, judge
from review.figures.values import GroupFigure
from review.figures.wording import figure_text, value_text
from review.filters import Filters
from review.store import Store

CARDS = (  # key, title, noun of n
    ("saved", "Saved MRR (confirmed + pending)", "saves"),
    ("lost", "Lost MRR (Not a fit apart)", "losses"),
    ("net", "Net MRR (saved − lost)", "tagged"),
    ("save_rate", "Save rate", "tagged"),
    ("quality", "Quality score (0–100)", "reviews"),
    ("auto_quality", "Auto quality score (rules)", "conversations"),
    ("contacted", "Retention: contacted support", "customers"),
    ("csat", "CSAT", "ratings"),
    ("nps", "NPS", "answers"),
    ("first_reply", "First reply on chat, median", "chats"),
    ("resolution", "Resolution rate", "conversations"),
    ("churn", "Churn rate", "customers"),
)
HEADLINE = ("saved", "lost", "net", "save_rate", "quality", "auto_quality", "contacted")


def _scales() -> dict[str, Scale]:
    return {
        "csat": Scale(0, 100, ((TARGETS["csat"].limit, "target"),)),
        "nps": Scale(-100, 100, tuple((limit, "") for limit, _ in NPS_BANDS)),
        "first_reply": Scale(0, 600, ((TARGETS["first_reply_chat"].limit, "target s"),)),
        "resolution": Scale(0, 100, ((TARGETS["resolution_rate"].limit, "target"),)),
        "churn": Scale(0, 20, ((TARGETS["churn_rate"].limit, "typical"),)),
    }


class Dashboard(QWidget):
    """The dashboard window. `open_conversations(ids, label)` asks for a list of conversations."""

    open_conversations = Signal(list, str)

    def __init__(self, db: Store, filters_from: FilterBar | None = None, parent=None):
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("dashboard")
        self.setWindowTitle("Dashboard — savedesk")
        self.db = db
        self.data: Overview | None = None
        self.filter_bar = FilterBar(db, self)
        if filters_from is not None:
            self.copy_filters(filters_from)
        self.filter_bar.changed.connect(self.refresh)
        self.without_disputed = QCheckBox("Leave out reviews under open dispute", self)
        self.without_disputed.setObjectName("without-disputed")
        self.without_disputed.setToolTip(
            "The quality figures count only reviews no agent disputes now (the card says how "
            "many were left out)"
        )
        self.without_disputed.toggled.connect(self.refresh)
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
        scales = _scales()
        self.cards = {key: FigureCard(key, title, scales.get(key)) for key, title, _ in CARDS}
        self.agents_table = FigureTable("beside-agents", ["Agent", *BESIDE_HEADERS], self)
        self.teams_table = FigureTable("beside-teams", ["Team", *BESIDE_HEADERS], self)
        self.behaviours_table = FigureTable("behaviours", BEHAVIOUR_HEADERS, self)
        self.agents_table.row_activated.connect(self._on_agent)
        self._stale = QTimer(self)
        self._stale.setSingleShot(True)
        self._stale.setInterval(300)
        self._stale.timeout.connect(self._refresh_if_shown)
        self.weekly.bar_clicked.connect(self._on_week)
        self.pareto.bar_clicked.connect(self._on_reason)
        self.quality.bar_clicked.connect(self._on_agent)
        self._lay_out()
        self.resize(1280, 800)
        self.refresh()

    def _lay_out(self) -> None:
        top = QHBoxLayout()
        top.addWidget(self.filter_bar, 1)
        top.addWidget(self.without_disputed, 0, Qt.AlignmentFlag.AlignTop)
        top.addWidget(self.refresh_button, 0, Qt.AlignmentFlag.AlignTop)
        body = QWidget(self)
        body.setObjectName("dashboard-body")
        grid = QGridLayout(body)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(6)
        headline = QGridLayout()
        headline.setSpacing(6)
        for i, key in enumerate(HEADLINE):
            headline.addWidget(self.cards[key], 0, i)
            headline.setColumnStretch(i, 1)
        grid.addLayout(headline, 0, 0, 1, 2)
        grid.addWidget(self.weekly, 1, 0)
        grid.addWidget(self.pareto, 1, 1)
        self.tabs = QTabWidget(body)
        self.tabs.setObjectName("dashboard-tabs")
        self.tabs.addTab(self.agents_table, "Quality beside retention: agents")
        self.tabs.addTab(self.teams_table, "Teams")
        self.tabs.addTab(self.behaviours_table, "Behaviours that keep customers")
        self.tabs.addTab(self.quality, "Quality by agent")
        self.tabs.setMinimumHeight(260)
        service = QGridLayout()
        service.setSpacing(6)
        for i, key in enumerate(("csat", "nps", "first_reply", "resolution", "churn")):
            service.addWidget(self.cards[key], i // 2, i % 2, 1, 2 if key == "churn" else 1)
        bottom = QHBoxLayout()
        bottom.setSpacing(6)
        bottom.addWidget(self.tabs, 3)
        bottom.addLayout(service, 2)
        grid.addLayout(bottom, 2, 0, 1, 2)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        grid.setRowStretch(1, 3)
        grid.setRowStretch(2, 3)
        scroll = QScrollArea(self)
        scroll.setObjectName("dashboard-scroll")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        body.setMinimumSize(960, 700)
        scroll.setWidget(body)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.setSpacing(4)
        layout.addLayout(top)
        layout.addWidget(self.scope_label)
        layout.addWidget(scroll, 1)

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

    def set_database(self, db: Store) -> None:
        """Show the figures of another database."""
        self.db = db
        self.filter_bar.set_database(db)
        self.refresh()

    def mark_stale(self, *_args) -> None:
        """Something changed in the store: read the figures again shortly (if shown)."""
        if self.isVisible():
            self._stale.start()

    def _refresh_if_shown(self) -> None:
        if self.isVisible():
            self.refresh()

    def refresh(self) -> None:
        """Read every figure again for the current filters and redraw."""
        self._stale.stop()
        data = overview(self.db, self.filters(), without_disputed=self.without_disputed.isChecked())
        self.data = data
        c = data.coverage
        self.scope_label.setText(
            f"{c.period} · {c.filters} · {data.conversations:,} conversations · money {c.rates}"
        )
        note = ""
        if data.week_currency:
            note = f"; {data.week_currency} only (set exchange rates to add the others)"
        self.weekly.show_figures(list(data.weeks), data.week_currency or data.saved.mrr.unit, note)
        self.pareto.show_figures(list(data.reasons))
        self.quality.show_figures(
            [GroupFigure(r.key, r.label, r.quality) for r in data.agents], data.quality
        )
        self.agents_table.fill(beside_rows(list(data.agents), data.everyone), bold_last=True)
        self.teams_table.fill(beside_rows(list(data.teams), data.everyone), bold_last=True)
        self.behaviours_table.fill(behaviour_rows(list(data.categories)))
        self._show_cards(data)

    def _show_cards(self, d: Overview) -> None:
        cards = self.cards
        saved = d.saved
        cards["saved"].show_figure(
            saved.mrr, "saves",
            f"confirmed {value_text(saved.confirmed_mrr)} (n = {saved.confirmed_mrr.n}); "
            f"ARR {value_text(saved.arr)}" if saved.mrr.n else "",
        )  # fmt: skip
        right = d.lost.right_outcomes
        cards["lost"].show_figure(
            d.lost.mrr, "losses",
            f"right outcomes apart: {value_text(right)} (n = {right.n})" if right.n else "",
        )  # fmt: skip
        cards["net"].show_figure(d.net_mrr, "tagged")
        cards["save_rate"].show_figure(d.save_rate, "tagged", "saves / (saves + losses)")
        cards["quality"].show_figure(d.quality, "reviews")
        bots = d.auto_quality.bots
        cards["auto_quality"].show_figure(
            d.auto_quality.people, "conversations",
            "bots apart: " + (f"{value_text(bots)} (n = {bots.n})" if bots.n else "none scored"),
        )  # fmt: skip
        not_contacted = d.contacts.not_contacted
        cards["contacted"].show_figure(
            d.contacts.contacted, "customers",
            f"did not contact: {figure_text(not_contacted)} (n = {not_contacted.n})"
            if not_contacted.n else "needs a billing list",
        )  # fmt: skip
        cards["csat"].show_figure(d.csat, "ratings", judge("csat", d.csat))
        cards["nps"].show_figure(d.nps, "answers", judge("nps", d.nps))
        chat = d.first_reply_chat.median
        cards["first_reply"].show_figure(chat, "chats", judge("first_reply_chat", chat))
        cards["resolution"].show_figure(
            d.resolution_rate, "conversations", judge("resolution_rate", d.resolution_rate)
        )
        cards["churn"].show_figure(d.churn_rate, "customers", judge("churn_rate", d.churn_rate))

    # --- clicks ------------------------------------------------------------------------------
    def _scope(self):
        return read_scope(
            self.db, self.filters(), without_disputed=self.without_disputed.isChecked()
        )

    def _on_week(self, key: tuple[str, str]) -> None:
        week, status = key
        currency = self.data.week_currency if self.data else None
        ids = saved_week_conversation_ids(self._scope(), week, status, currency)
        self.open_conversations.emit(ids, f"Saves {status}, week of {week}")

    def _on_reason(self, reason_id: int) -> None:
        ids = lost_reason_conversation_ids(self._scope(), reason_id)
        name = next((r.label for r in self.data.reasons if r.reason_id == reason_id), "")
        self.open_conversations.emit(ids, f"Lost: {name}")

    def _on_agent(self, agent_id: int | None) -> None:
        ids = reviewed_conversation_ids(self._scope(), agent_id)
        name = next((r.label for r in self.data.agents if r.key == agent_id), "")
        self.open_conversations.emit(ids, f"Reviewed: {name}")
