"""The dashboard on the demo database: the charts and figures show review.figures' numbers for
the same filters, with their n; clicking a bar lists exactly the conversations under it; a filter
changes the charts; nothing under a figure reads "no data"."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt

from review import figures as metrics
from review.filters import Filters
from review.store.database import connect
from tests.gui import show_main_window


@pytest.fixture
def window(qtbot, qt_settings, demo_path):
    win = show_main_window(qtbot, demo_path)
    yield win
    win.close()
    win.db.conn.close()


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
    db.conn.close()


def _values(bar_set) -> list[float]:
    return [bar_set.at(i) for i in range(bar_set.count())]


def _text(value: float | None, form: str) -> str:
    return "no data" if value is None else form.format(value)


def _assert_shows(dash, db, filters: Filters) -> None:
    """Every chart and card of `dash` against review.figures for `filters`."""
    reasons = [r for r in metrics.lost_mrr_by_reason(db, filters) if r.figure.value is not None]
    assert _values(dash.pareto.sets["Lost MRR"]) == pytest.approx([r.figure.value for r in reasons])
    assert [label.rsplit(" (n ", 1)[1] for label in dash.pareto.labels] == [
        f"{r.figure.n})" for r in reasons
    ]
    total = sum(r.figure.value for r in reasons)
    line = [p.y() for p in dash.pareto.line.points()]
    assert line[-1] == pytest.approx(100.0)
    assert line[0] == pytest.approx(100.0 * reasons[0].figure.value / total)

    agents = sorted(
        (g for g in metrics.quality_by_agent(db, filters) if g.figure.value is not None),
        key=lambda g: (g.figure.value, g.label),
    )
    assert _values(dash.quality.sets["Quality score"]) == pytest.approx(
        [g.figure.value for g in agents]
    )
    assert [int(label.rsplit("(n ", 1)[1][:-1]) for label in dash.quality.labels] == [
        g.figure.n for g in agents
    ]

    saved = metrics.saved_mrr(db, filters)
    confirmed = metrics.saved_mrr(db, filters, confirmed_only=True)
    weekly = dash.weekly
    assert sum(_values(weekly.sets["Confirmed"])) == pytest.approx(confirmed.value, abs=0.05)
    assert sum(_values(weekly.sets["Confirmed"]) + _values(weekly.sets["Pending"])) == (
        pytest.approx(saved.value, abs=0.05)
    )
    assert f"n = {saved.n} saves" in weekly.title_text()

    cards = dash.cards
    csat, nps = metrics.csat(db, filters), metrics.nps(db, filters)
    rate, quality = metrics.save_rate(db, filters), metrics.quality_score(db, filters)
    assert cards["csat"].value_label.text() == _text(csat.value, "{:.1f}%")
    assert cards["csat"].n_label.text() == f"n = {csat.n:,} ratings"
    assert cards["nps"].value_label.text() == _text(nps.value, "{:+.1f}")
    assert cards["nps"].n_label.text() == f"n = {nps.n:,} answers"
    assert cards["save_rate"].value_label.text() == _text(rate.value, "{:.1f}%")
    assert cards["save_rate"].n_label.text() == f"n = {rate.n:,} tagged"
    assert cards["quality"].value_label.text() == _text(quality.value, "{:.1f}")
    assert cards["quality"].n_label.text() == f"n = {quality.n:,} reviews"
    assert cards["saved"].value_label.text() == f"{saved.value:,.2f} {saved.unit}"
    assert cards["saved"].n_label.text() == f"n = {saved.n:,} saves"


def test_dashboard_shows_the_metrics_of_the_whole_database(dashboard, sql):
    _assert_shows(dashboard, sql, Filters())
    # the demo is believable: something under every chart
    assert dashboard.pareto.n == 59 and dashboard.quality.n == 220 and dashboard.weekly.n == 53
    assert [m for m in dashboard.cards["csat"].scale.marks] == [(85.0, "target")]
    assert [v for v, _ in dashboard.cards["nps"].scale.marks] == [0, 20, 50, 80]


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
    reason = metrics.lost_mrr_by_reason(sql, Filters())[1]
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
    best = max(metrics.quality_by_agent(sql, Filters()), key=lambda g: g.figure.value)
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
               and saved_on >= ? and saved_on < date(?, '+7 days')""",
            [monday, monday],
        )
    }
    assert expected and set(window.model.ids()) == expected
