"""Every figure of DOMAIN.md's table on a real database, through review.figures' questions:
the worked examples exactly, "no data" as None (never 0), each figure's n, its 95% interval and
few mark, money in the base currency, and Not a fit kept apart as the right outcome."""

from __future__ import annotations

import statistics
from itertools import count

import pytest

from review.figures.customers import contact_retention, customer_rates
from review.figures.lost import lost_mrr_by_reason, lost_totals, save_rate
from review.figures.outcomes import category_saved_vs_lost, quality_beside_retention
from review.figures.overview import FIGURE_KEYS, overview
from review.figures.quality import (
    quality_by_agent,
    quality_by_category,
    quality_by_channel,
    quality_by_period,
    quality_by_team,
    quality_score,
)
from review.figures.responsiveness import fcr, first_response_times, resolution_rate
from review.figures.satisfaction import csat, nps
from review.figures.saved import saved_totals
from review.figures.scope import read_scope
from review.figures.values import Figure
from review.filters import Filters
from review.importing.records import Conversation, Message, Person, Rating, Team
from review.importing.writer import store_records
from review.retention.billing import import_billing, set_period_counts
from review.retention.losses import add_loss_reason, find_loss_reason, tag_loss
from review.retention.saves import saves_for_conversation, tag_save, update_save
from review.retention.settings import set_exchange_rates
from review.reviewing.reviews import write_review
from review.reviewing.rubric_files import parse_rubric
from review.reviewing.rubrics import save_rubric
from review.store.store import tracing

ALL = Filters()
RUBRIC = """
name = "test"
[[category]]
key = "tone"
name = "Tone"
description = "Warm."
scale = "1-5"
weight = 1
allow_na = true
critical = false
[[category]]
key = "accuracy"
name = "Accuracy"
description = "Right."
scale = "pass_fail"
weight = 1
allow_na = false
critical = false
"""
_ids = count(1)


def conv(
    db,
    *,
    agent="ana",
    team="north",
    channel="email",
    status="solved",
    created="2024-05-01T09:00:00Z",
    customer=None,
    messages=(),
    ratings=(),
) -> int:
    """One conversation; `messages` are (role, minutes after created, internal)."""
    ext = str(next(_ids))
    base_minute = int(created[14:16])
    store_records(
        db,
        [
            Team("zendesk", team, name=team.title()),
            Person("zendesk", agent, "agent", name=agent.title(), team=team),
            Conversation(
                "zendesk",
                ext,
                channel=channel,
                status=status,
                created_at=created,
                customer=Person("zendesk", customer or f"cust{ext}", "customer"),
                agent=Person("zendesk", agent, "agent", name=agent.title(), team=team),
                team=Team("zendesk", team, name=team.title()),
                messages=[
                    Message(
                        f"m{i}",
                        role,
                        _at(created, base_minute, minutes),
                        "text",
                        is_internal=internal,
                    )
                    for i, (role, minutes, internal) in enumerate(messages)
                ],
                ratings=[
                    Rating("zendesk", f"r{ext}-{i}", ext, kind, scale, str(v), v, positive)
                    for i, (kind, scale, v, positive) in enumerate(ratings)
                ],
            ),
        ],
    )
    return db.execute("select id from conversations where external_id = ?", [ext]).fetchone()[0]


def _at(created: str, base_minute: int, minutes: float) -> str:
    from datetime import datetime, timedelta

    start = datetime.fromisoformat(created.replace("Z", "+00:00"))
    return (start + timedelta(minutes=minutes)).strftime("%Y-%m-%dT%H:%M:%SZ")


def agent_id(db, name: str) -> int:
    return db.execute("select id from agents where external_id = ?", [name]).fetchone()[0]


# -- the worked examples of DOMAIN.md -----------------------------------------------------------


def scope(db, filters=ALL):
    return read_scope(db, filters)


def test_crr_and_churn_from_counts_entered_per_period(db):
    set_period_counts(db, "2024-05-01", "2024-05-31", 500, 580, 100, customers_lost=25)
    rates = customer_rates(scope(db))
    assert rates.crr == Figure(96.0, 500, "%")  # (580 - 100) / 500
    assert rates.churn == Figure(5.0, 500, "%")  # 25 / 500
    assert round(rates.churn_adjusted.value, 2) == 4.63 and rates.churn_adjusted.n == 500


def test_periods_chain_and_lost_defaults_to_start_plus_new_minus_end(db):
    set_period_counts(db, "2024-04-01", "2024-04-30", 400, 500, 120)  # lost 20
    set_period_counts(db, "2024-05-01", "2024-05-31", 500, 580, 100)  # lost 20
    both = customer_rates(scope(db, Filters(date_from="2024-04-01", date_to="2024-05-31")))
    assert both.crr.value == pytest.approx(100 * (580 - 220) / 400)
    assert both.churn.value == pytest.approx(100 * 40 / 400)
    may = customer_rates(scope(db, Filters(date_from="2024-05-01", date_to="2024-05-31")))
    assert may.churn == Figure(4.0, 500, "%")
    none = customer_rates(scope(db, Filters(date_from="2023-01-01", date_to="2023-01-31")))
    assert none.crr == Figure(None, 0, "%")


def test_crr_from_a_billing_list_and_retention_of_contacts(db, tmp_path):
    path = tmp_path / "billing.csv"
    path.write_text(
        "customer_id,status,mrr,currency,as_of\n"
        "a,active,10,USD,2024-05-01\nb,active,10,USD,2024-05-01\n"
        "c,active,10,USD,2024-05-01\nd,active,10,USD,2024-05-01\n"
        "a,active,10,USD,2024-05-31\nb,cancelled,0,USD,2024-05-31\n"
        "c,active,10,USD,2024-05-31\nd,active,0,USD,2024-05-31\n"
        "e,active,10,USD,2024-05-20\n",
        encoding="utf-8",
    )
    import_billing(db, path)
    may = scope(db, Filters(date_from="2024-05-01", date_to="2024-05-31"))
    # S = 4 (a b c d), E = 3 (a c e), N = 1 (e), lost = 2 (b, d at MRR 0)
    rates = customer_rates(may)
    assert rates.crr.value == pytest.approx(50.0) and rates.crr.n == 4
    assert rates.churn.value == pytest.approx(50.0)
    conv(db, customer="a", created="2024-05-10T09:00:00Z")
    conv(db, customer="b", created="2024-05-11T09:00:00Z")
    conv(db, customer="c", created="2024-06-11T09:00:00Z")  # outside the period
    retention = contact_retention(may)
    assert (retention.contacted.value, retention.contacted.n) == (50.0, 2)  # a kept, b left
    assert (retention.not_contacted.value, retention.not_contacted.n) == (50.0, 2)
    assert retention.contacted.few and retention.contacted.low < 50 < retention.contacted.high


def test_nps_30_from_50_promoters_30_passives_20_detractors(db):
    answers = [10] * 25 + [9] * 25 + [8] * 15 + [7] * 15 + [6] * 10 + [0] * 10
    conv(db, ratings=[("nps", "0-10", float(v), None) for v in answers])
    figure = nps(scope(db))
    assert (figure.value, figure.n, figure.unit) == (30.0, 100, "nps")
    # variance of the per-answer score (+1, 0, -1): p + d - (p - d)^2 = 0.7 - 0.09
    half = 100 * 1.959964 * (0.61 / 100) ** 0.5
    assert figure.low == pytest.approx(30 - half) and figure.high == pytest.approx(30 + half)


def test_csat_85_from_170_positive_of_200_with_its_wilson_interval(db):
    ratings = [("csat", "1-5", 5.0, True)] * 100 + [("csat", "1-5", 4.0, True)] * 70
    ratings += [("csat", "good-bad", 0.0, False)] * 30
    conv(db, ratings=ratings)
    figure = csat(scope(db))
    assert (figure.value, figure.n, figure.unit) == (85.0, 200, "%")
    # Wilson 95% for 170/200, as published calculators give it: 79.39%-89.29%
    assert figure.low == pytest.approx(79.40, abs=0.01)
    assert figure.high == pytest.approx(89.29, abs=0.01)
    assert not figure.few


def test_save_rate_leaves_not_a_fit_out_6_of_9(db):
    """DOMAIN.md's worked example: 6 saves, 4 losses (1 of them Not a fit) gives 6/9."""
    price = find_loss_reason(db, "Price").id
    not_a_fit = find_loss_reason(db, "Not a fit").id
    for _ in range(6):
        tag_save(db, conv(db), "10", "USD", "solved")
    for _ in range(3):
        tag_loss(db, conv(db), "10", "USD", price)
    tag_loss(db, conv(db), "25", "USD", not_a_fit)
    rate = save_rate(scope(db))
    assert (rate.value, rate.n) == (pytest.approx(100 * 6 / 9), 9)
    lost = lost_totals(scope(db))
    assert (lost.mrr.value, lost.mrr.n) == (30.0, 3)  # Not a fit is not lost MRR
    assert (lost.right_outcomes.value, lost.right_outcomes.n) == (25.0, 1)
    reasons = lost_mrr_by_reason(scope(db))
    assert [(r.name, r.right_outcome) for r in reasons][-1][1] is True  # apart, last
    # a failed save was not a save: it stays in the denominator only
    cid = conv(db)
    tag_save(db, cid, "10", "USD", "solved")
    update_save(db, saves_for_conversation(db, cid)[0].id, status="failed")
    assert save_rate(scope(db)).value == pytest.approx(600 / 10)


def test_a_reason_added_as_a_right_outcome_counts_like_not_a_fit(db):
    abusive = add_loss_reason(db, "Abusive customer", outcome="right outcome")
    tag_save(db, conv(db), "10", "USD", "solved")
    tag_loss(db, conv(db), "99", "USD", abusive.id)
    assert save_rate(scope(db)).value == 100.0
    assert lost_totals(scope(db)).mrr == Figure(None, 0, "")


# -- money --------------------------------------------------------------------------------------


def test_saved_mrr_and_arr_confirmed_pending_and_all_in_the_base_currency(db):
    a, b = conv(db), conv(db)
    tag_save(db, a, "49.99", "USD", "discount")
    tag_save(db, b, "20.01", "USD", "solved")
    totals = saved_totals(scope(db))
    assert totals.mrr == Figure(70.0, 2, "USD", parts={"USD": 70.0})
    assert totals.arr.value == 840.0
    assert totals.confirmed_mrr == Figure(None, 0, "")  # none confirmed yet
    update_save(db, saves_for_conversation(db, a)[0].id, status="confirmed")
    totals = saved_totals(scope(db))
    assert totals.confirmed_mrr.value == 49.99 and totals.pending_mrr.value == 20.01
    tag_save(db, conv(db), "100", "EUR", "pause")
    mixed = saved_totals(scope(db)).mrr
    assert mixed.value is None and mixed.n == 3 and mixed.parts == {"USD": 70.0, "EUR": 100.0}
    set_exchange_rates(db, "USD", {"EUR": "1.10"})
    converted = saved_totals(scope(db)).mrr
    assert converted == Figure(180.0, 3, "USD", parts={"EUR": 100.0, "USD": 70.0})


def test_the_exchange_rates_are_read_once_per_figure_set(db):
    set_exchange_rates(db, "USD", {"EUR": "1.10"})
    for currency in ("USD", "EUR"):
        tag_save(db, conv(db), "10", currency, "solved")
        tag_loss(db, conv(db), "10", currency, find_loss_reason(db, "Price").id)
    statements: list[str] = []
    with tracing(lambda sql, params, rows: statements.append(sql)):  # either engine
        overview(db)
    settings = [s for s in statements if "settings" in s]
    assert len(settings) == 2  # the base currency and the rates, once each
    assert len(statements) < 40


def test_lost_mrr_by_reason_largest_first(db):
    price, bugs = find_loss_reason(db, "Price").id, find_loss_reason(db, "Bugs or reliability").id
    budget = find_loss_reason(db, "Budget cut").id
    tag_loss(db, conv(db), "30", "USD", price)
    tag_loss(db, conv(db), "30", "USD", price)
    tag_loss(db, conv(db), "100", "USD", bugs)
    tag_loss(db, conv(db), "5.50", "USD", budget)
    rows = lost_mrr_by_reason(scope(db))
    assert [(r.label, r.figure.value, r.figure.n) for r in rows] == [
        ("Bugs or reliability", 100.0, 1),
        ("Price", 60.0, 2),
        ("Natural causes: Budget cut", 5.5, 1),
    ]
    assert lost_mrr_by_reason(scope(db, Filters(channels=("chat",)))) == []


# -- responsiveness -----------------------------------------------------------------------------


def test_fcr_counts_resolved_conversations_with_one_agent_reply(db):
    conv(db, messages=[("customer", 0, False), ("agent", 5, False)])  # one reply: counts
    conv(db, messages=[("customer", 0, False), ("agent", 5, True), ("agent", 9, False)])
    conv(db, messages=[("customer", 0, False), ("agent", 5, False), ("agent", 9, False)])
    conv(db, status="closed", messages=[("customer", 0, False)])  # no reply: left out
    conv(db, status="open", messages=[("customer", 0, False), ("agent", 5, False)])  # unresolved
    figure = fcr(scope(db))
    assert (figure.value, figure.n) == (pytest.approx(200 / 3), 3)
    assert figure.few and figure.low < figure.value < figure.high
    # within filters the same counts come from one pass over the scope's reply times
    assert fcr(scope(db, Filters(channels=("email",)))) == figure
    assert fcr(scope(db, Filters(channels=("chat",)))).n == 0


def test_first_response_median_and_p90(db):
    for wait, channel in ((1, "chat"), (2, "chat"), (3, "email"), (4, "chat"), (10, "email")):
        conv(
            db,
            channel=channel,
            messages=[
                ("agent", -5, False),  # an agent message before the customer wrote: not a reply
                ("customer", 0, False),
                ("agent", wait / 2, True),  # an internal note: the customer never saw it
                ("agent", wait, False),
            ],
        )
    conv(db, messages=[("customer", 0, False)])  # never answered: left out
    times = first_response_times(scope(db))
    assert times.median == Figure(180.0, 5, "s")
    assert times.p90 == Figure(456.0, 5, "s")  # 240 + 0.6 * (600 - 240)
    chat = first_response_times(scope(db), "chat")
    assert chat.median == Figure(120.0, 3, "s")
    # within filters the same figures come from the sorted waits, not the index
    email = first_response_times(scope(db, Filters(channels=("email",))))
    assert email.median == Figure(390.0, 2, "s") and email.p90.value == pytest.approx(558.0)


def test_reply_times_follow_a_later_import(db):
    conv(db, messages=[("customer", 0, False), ("agent", 4, False)])
    assert first_response_times(scope(db)).median == Figure(240.0, 1, "s")
    conv(db, messages=[("customer", 0, False), ("agent", 2, False)])  # a second import
    assert first_response_times(scope(db)).median == Figure(180.0, 2, "s")


def test_resolution_rate(db):
    for status in ("solved", "closed", "solved", "open"):
        conv(db, status=status)
    figure = resolution_rate(scope(db))
    assert (figure.value, figure.n, figure.unit) == (75.0, 4, "%")


# -- quality ------------------------------------------------------------------------------------


@pytest.fixture
def rubric(db):
    return save_rubric(db, parse_rubric(RUBRIC))


def review(db, rubric, cid, tone, accuracy, reviewer="lead", agent=None) -> int:
    return write_review(
        db,
        cid,
        reviewer,
        {"tone": tone, "accuracy": accuracy},
        rubric_id=rubric.id,
        agent_id=agent,
    )


def test_quality_score_with_interval_and_few_mark_under_ten(db, rubric):
    scores = []
    for tone, acc in ((5, 1), (3, 1), (1, 1), (5, 0), (3, 0), (5, 1)):
        review(db, rubric, conv(db), tone, acc)
        scores.append(100 * ((tone - 1) / 4 + acc) / 2)
    write_review(db, conv(db), "lead", {}, rubric_id=rubric.id)  # no score: left out
    figure = quality_score(scope(db))
    mean, sd = statistics.mean(scores), statistics.stdev(scores)
    assert figure.value == pytest.approx(mean) and figure.n == 6 and figure.few
    assert figure.low == pytest.approx(max(0, mean - 2.571 * sd / 6**0.5), abs=0.01)
    assert figure.high == pytest.approx(min(100, mean + 2.571 * sd / 6**0.5), abs=0.01)
    assert figure.as_dict()["few"] is True
    for _ in range(4):
        review(db, rubric, conv(db), 4, 1)
    assert quality_score(scope(db)).n == 10 and not quality_score(scope(db)).few


def test_reviews_under_two_rubric_versions_say_so(db, rubric):
    review(db, rubric, conv(db), 5, 1)
    newer = save_rubric(db, parse_rubric(RUBRIC.replace("Warm.", "Warm and clear.")))
    assert newer.version == 2
    review(db, newer, conv(db), 1, 1)
    figure = quality_score(scope(db))
    assert figure.n == 2 and "2 rubric versions" in figure.note
    assert "test v1: n=1" in figure.note and "test v2: n=1" in figure.note
    versions = overview(db).quality_by_version
    assert [(g.label, g.figure.value) for g in versions] == [("test v1", 100.0), ("test v2", 50.0)]


def test_quality_by_agent_team_channel_period_and_category(db, rubric):
    review(db, rubric, conv(db, agent="ana", team="north", channel="email"), 5, 1)  # 100
    review(db, rubric, conv(db, agent="ana", team="north", channel="chat"), 3, 1)  # 75
    review(
        db,
        rubric,
        conv(db, agent="bo", team="south", channel="chat", created="2024-06-03T10:00:00Z"),
        1,
        0,
    )  # 0
    s = scope(db)
    by_agent = {g.label: (g.figure.value, g.figure.n) for g in quality_by_agent(s)}
    assert by_agent == {"Ana": (87.5, 2), "Bo": (0.0, 1)}
    assert {g.label: g.figure.value for g in quality_by_team(s)} == {"North": 87.5, "South": 0.0}
    by_channel = {g.label: g.figure.value for g in quality_by_channel(s)}
    assert by_channel == {"chat": 37.5, "email": 100.0}
    assert {g.label: g.figure.n for g in quality_by_period(s)} == {"2024-05": 2, "2024-06": 1}
    assert [g.label for g in quality_by_period(s, "quarter")] == ["2024-Q2"]
    categories = {g.label: (g.figure.value, g.figure.n) for g in quality_by_category(s)}
    assert categories == {"Tone": (50.0, 3), "Accuracy": (pytest.approx(200 / 3), 3)}


def test_the_agent_filter_follows_the_agent_a_review_names(db, rubric):
    cid = conv(db, agent="ana")
    conv(db, agent="bo")
    review(db, rubric, cid, 5, 1, agent=agent_id(db, "bo"))
    ana = scope(db, Filters(agent_ids=(agent_id(db, "ana"),)))
    assert quality_score(ana).value is None and quality_score(ana).n == 0
    assert quality_score(scope(db, Filters(agent_ids=(agent_id(db, "bo"),)))).value == 100.0


def test_quality_beside_retention_per_agent_and_team_and_per_category(db, rubric):
    price = find_loss_reason(db, "Price").id
    saved = [conv(db, agent="ana", team="north") for _ in range(3)]
    lost = [conv(db, agent="bo", team="south") for _ in range(2)]
    for cid in saved:
        tag_save(db, cid, "10", "USD", "solved")
        review(db, rubric, cid, 5, 1)
    for cid in lost:
        tag_loss(db, cid, "10", "USD", price)
        review(db, rubric, cid, 2, 1)
    tag_save(db, conv(db, agent="bo", team="south"), "99", "USD", "discount")  # not reviewed
    rows = {r.label: r for r in quality_beside_retention(scope(db))}
    assert rows["Ana"].quality.value == 100.0 and rows["Ana"].saved_mrr.n == 3
    assert (rows["Ana"].save_rate.value, rows["Ana"].save_rate.n) == (100.0, 3)
    assert rows["Ana"].saved_mrr.value == 30.0
    assert rows["Bo"].quality.value == 62.5 and rows["Bo"].lost_mrr == Figure(
        20.0, 2, "USD", parts={"USD": 20.0}
    )
    assert rows["Bo"].save_rate.value == pytest.approx(100 / 3)
    assert rows["Bo"].saved_mrr.value == 99.0
    teams = {r.label: r for r in quality_beside_retention(scope(db), "team")}
    assert teams["North"].quality.value == 100.0 and teams["South"].lost_mrr.n == 2
    (tone, accuracy) = category_saved_vs_lost(scope(db))
    assert tone.category == "Tone" and tone.saved.value == 100.0 and tone.lost.value == 25.0
    assert tone.difference == 75.0 and tone.saved.n == 3 and tone.lost.n == 2
    assert tone.saved.few and accuracy.difference == 0.0


# -- no data, and all at once -------------------------------------------------------------------


def test_an_empty_store_gives_no_data_not_zero(db):
    out = overview(db).as_dict()
    for key in FIGURE_KEYS:
        assert out[key]["value"] is None and out[key]["n"] == 0, key
    for key in ("contacted", "not_contacted"):
        assert out["contact_retention"][key]["value"] is None
    assert out["lost_mrr_by_reason"] == [] and out["categories_saved_vs_lost"] == []


def test_filters_restrict_every_figure(db):
    conv(db, channel="chat", status="solved", ratings=[("csat", "1-5", 5.0, True)])
    conv(db, channel="email", status="open", ratings=[("csat", "1-5", 1.0, False)])
    chat = overview(db, Filters(channels=("chat",)))
    assert (chat.csat.value, chat.csat.n) == (100.0, 1)
    assert (chat.resolution_rate.value, chat.resolution_rate.n) == (100.0, 1)
    later = overview(db, Filters(date_from="2024-06-01"))
    assert later.resolution_rate.value is None and later.conversations == 0
