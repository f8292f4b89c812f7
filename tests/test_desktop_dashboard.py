"""The dashboard on the demo database: the charts, cards and tables show review.figures'
overview for the same filters, with their n, intervals and targets; clicking a bar lists exactly
the conversations under it; a filter changes the charts; nothing under a figure reads "no
data"."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt

from review.figures.overview import overview
from review.figures.wording import figure_text, interval_text, value_text
from review.filters import Filters
from review.store import connect
from tests.gui import show_main_window


@pytest.fixture
def window(qtbot, qt_settings, demo_path):
    win = show_main_window(qtbot, demo_path)
    yield win
    win.close()
    win.db.close()


@pytest.fixture
def dashboard(qtbot, window):
    window.dashboard_opener.action.trigger()  # Go > Dashboard
    dash = window.dashboard_opener.dashboard
    dash.resize(1280, 800)
    qtbot.waitExposed(dash)
    return dash


@pytest.fixture
def sql(demo_path):
    db = connect(demo_path)
    yield db
    db.close()


def _values(bar_set) -> list[float]:
    return [bar_set.at(i) for i in range(bar_set.count())]


def _text(value: float | None, form: str) -> str:
    return "no data" if value is None else form.format(value)


def _assert_shows(dash, db, filters: Filters) -> None:
    """Every chart, card and table of `dash` against review.figures' overview for `filters`."""
    o = overview(db, filters)
    reasons = [r for r in o.losses if r.figure.value is not None]
    assert _values(dash.pareto.sets["Lost MRR"]) == pytest.approx([r.figure.value for r in reasons])
    assert all(not r.right_outcome for r in reasons)
    assert f"n = {sum(r.figure.n for r in reasons)} losses" in dash.pareto.title_text()
    total = sum(r.figure.value for r in reasons)
    line = [p.y() for p in dash.pareto.line.points()]
    assert line[-1] == pytest.approx(100.0)
    assert line[0] == pytest.approx(100.0 * reasons[0].figure.value / total)

    agents = sorted(
        (r for r in o.agents if r.quality.value is not None),
        key=lambda r: (r.quality.value, r.label),
    )
    assert _values(dash.quality.sets["Quality score"]) == pytest.approx(
        [r.quality.value for r in agents]
    )
    assert [int(label.rsplit("(n ", 1)[1][:-1]) for label in dash.quality.labels] == [
        r.quality.n for r in agents
    ]

    weekly = dash.weekly
    assert sum(_values(weekly.sets["Confirmed"])) == pytest.approx(
        o.saved.confirmed_mrr.value, abs=0.05
    )
    assert sum(_values(weekly.sets["Confirmed"]) + _values(weekly.sets["Pending"])) == (
        pytest.approx(o.saved.mrr.value, abs=0.05)
    )
    assert f"n = {o.saved.mrr.n} saves" in weekly.title_text()

    cards = dash.cards
    for key, figure, noun in (
        ("saved", o.saved.mrr, "saves"),
        ("lost", o.lost.mrr, "losses"),
        ("net", o.net_mrr, "tagged"),
        ("save_rate", o.save_rate, "tagged"),
        ("quality", o.quality, "reviews"),
        ("contacted", o.contacts.contacted, "customers"),
        ("csat", o.csat, "ratings"),
        ("nps", o.nps, "answers"),
        ("first_reply", o.first_reply_chat.median, "chats"),
        ("resolution", o.resolution_rate, "conversations"),
        ("churn", o.churn_rate, "customers"),
    ):
        assert cards[key].value_label.text() == value_text(figure), key
        assert cards[key].n_label.text() == f"n = {figure.n:,} {noun}", key
        if figure.low is not None:
            assert interval_text(figure) in cards[key].interval_label.text(), key
    # quality beside retention: a row per agent, everyone last and equal to the headline
    table = dash.agents_table
    assert table.rowCount() == len(o.agents) + 1
    last = table.texts(table.rowCount() - 1)
    assert last[0] == "All agents"
    assert last[1] == figure_text(o.quality, compact=True) and last[2] == f"{o.quality.n:,}"
    assert last[3] == figure_text(o.save_rate, compact=True)
    assert last[5] == value_text(o.saved.mrr) and last[7] == value_text(o.lost.mrr)
    assert dash.teams_table.rowCount() == len(o.teams) + 1
    assert dash.behaviours_table.rowCount() == len(o.categories)


def test_dashboard_shows_the_figures_of_the_whole_database(dashboard, sql):
    _assert_shows(dashboard, sql, Filters())
    # the demo is believable: something under every chart; Not a fit is apart from the Pareto
    assert dashboard.pareto.n == 56 and dashboard.quality.n == 220 and dashboard.weekly.n == 53
    assert "3 right outcomes (Not a fit) apart" in dashboard.pareto.title_text()
    assert [m for m in dashboard.cards["csat"].scale.marks] == [(85.0, "target")]
    assert [v for v, _ in dashboard.cards["nps"].scale.marks] == [0, 20, 50, 80]
    assert dashboard.cards["csat"].note.text() == "misses the target (at or above 85%)"
    assert dashboard.cards["resolution"].note.text() == "meets the target (at or above 90%)"
    assert "money in USD at 1 CNY = 0.14 USD" in dashboard.scope_label.text()


def test_changing_a_filter_redraws_every_chart_for_it(dashboard, sql):
    before = _values(dashboard.quality.sets["Quality score"])
    team = dashboard.filter_bar.chips["Team"]
    team_ids = team.menu().actions()[2].data()  # the first team ("Any" and a separator first)
    team.menu().actions()[2].trigger()
    filters = Filters(team_ids=team_ids)  # every team of that name, across helpdesks
    assert dashboard.filters() == filters
    _assert_shows(dashboard, sql, filters)
    assert _values(dashboard.quality.sets["Quality score"]) != before


def test_the_dashboard_starts_from_the_lists_filters(qtbot, window, sql):
    agent_id = window.filter_bar.chips["Agent"].menu().actions()[2].data()
    window.filter_bar.chips["Agent"].select(agent_id)
    dash = window.show_dashboard()
    assert dash.filters().agent_ids == (agent_id,)
    _assert_shows(dash, sql, Filters(agent_ids=(agent_id,)))


def test_nothing_under_a_figure_reads_no_data_never_zero(dashboard):
    dashboard.filter_bar.set_period("2001-01-01", "2001-01-31")
    for card in dashboard.cards.values():
        assert card.value_label.text() == "no data"
        assert card.n_label.text().startswith("n = 0 ")
    for chart in (dashboard.weekly, dashboard.pareto, dashboard.quality):
        assert chart.title_text().endswith("— no data")
        assert chart.sets == {}


def _click(qtbot, chart, set_name: str, index: int) -> None:
    """A real mouse click in the middle of bar `index` of `set_name`."""
    bars = chart.sets[set_name]
    series = next(s for s in chart.chart().series() if bars in getattr(s, "barSets", list)())
    horizontal = type(series).__name__.startswith("QHorizontal")
    below = sum(
        other.at(index) for other in series.barSets()[: series.barSets().index(bars)]
    )  # stacked sets under this one
    middle = below + bars.at(index) / 2
    point = QPointF(middle, index) if horizontal else QPointF(index, middle)
    scene = chart.chart().mapToPosition(point, series)
    pos = chart.mapFromScene(scene)
    qtbot.mouseClick(chart.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(pos.x(), pos.y()))


def test_clicking_a_pareto_bar_lists_the_conversations_of_that_reason(
    qtbot, window, dashboard, sql
):
    reason = overview(sql).losses[1]
    _click(qtbot, dashboard.pareto, "Lost MRR", 1)
    expected = [
        r[0]
        for r in sql.execute(
            "select distinct conversation_id from losses where reason_id = ?", [reason.reason_id]
        )
    ]
    assert sorted(window.model.ids()) == sorted(expected)
    assert len(expected) == reason.figure.n
    assert window.sidebar.current_view().label == f"Lost: {reason.label}"
    assert window.current_conversation_id() in expected


def test_clicking_an_agent_bar_lists_their_reviewed_conversations(qtbot, window, dashboard, sql):
    window.filter_bar.chips["Channel"].select("email")  # cleared: the list shows the bar exactly
    best = max(
        (r for r in overview(sql).agents if r.quality.value is not None),
        key=lambda r: r.quality.value,
    )
    index = len(dashboard.quality.labels) - 1  # the best agent is drawn at the top, last
    _click(qtbot, dashboard.quality, "Quality score", index)
    expected = {
        r[0]
        for r in sql.execute(
            """select r.conversation_id from reviews r join conversations c
               on c.id = r.conversation_id
               where r.score is not null and coalesce(r.agent_id, c.agent_id) = ?""",
            [best.key],
        )
    }
    assert set(window.model.ids()) == expected
    assert window.filter_bar.chips["Channel"].value is None


def test_clicking_a_week_lists_that_weeks_saves_of_that_status(qtbot, window, dashboard, sql):
    weekly = dashboard.weekly
    index = next(i for i, v in enumerate(_values(weekly.sets["Pending"])) if v > 0)
    _click(qtbot, weekly, "Pending", index)
    monday = weekly.week_labels[index]
    expected = {
        r[0]
        for r in sql.execute(
            """select conversation_id from saves where status = 'pending'
               and saved_on >= ? and saved_on < ?""",
            [monday, (date.fromisoformat(monday) + timedelta(days=7)).isoformat()],
        )
    }
    assert expected and set(window.model.ids()) == expected


@pytest.mark.parametrize("size", [(1280, 800), (1920, 1080)])
def test_no_card_title_runs_into_its_n(dashboard, qtbot, size):
    dashboard.resize(*size)
    qtbot.waitUntil(lambda: dashboard.width() == size[0], timeout=5_000)
    for key, card in dashboard.cards.items():
        title = card.title
        ink = title.fontMetrics().boundingRect(
            title.contentsRect(), int(title.alignment()) | Qt.TextFlag.TextWordWrap, title.text()
        )
        title_right = title.mapTo(card, QPoint(ink.right(), 0)).x()
        n_left = card.n_label.mapTo(card, QPoint(0, 0)).x()
        assert n_left - title_right >= 4, (key, size, title.text())
