"""Every figure of DOMAIN.md's table on a real database, built through the public functions:
the worked examples exactly, "no data" as None (never 0), and each figure's n."""

from __future__ import annotations

import statistics
from itertools import count

import pytest

from review.figures import (
    Figure,
    all_metrics,
    category_saved_vs_lost,
    churn_rate,
    contact_retention,
    crr,
    csat,
    fcr,
    first_response_times,
    lost_mrr_by_reason,
    nps,
    quality_by_agent,
    quality_by_category,
    quality_by_channel,
    quality_by_period,
    quality_by_team,
    quality_retention_by_agent,
    quality_score,
    resolution_rate,
    save_rate,
    saved_arr,
    saved_mrr,
)
from review.filters import Filters
from review.importing.records import Conversation, Message, Person, Rating, Team
from review.importing.writer import store_records
from review.retention.billing import import_billing, set_period_counts
from review.retention.losses import find_loss_reason, tag_loss
from review.retention.saves import saves_for_conversation, tag_save, update_save
from review.retention.settings import set_exchange_rates
from review.reviewing.reviews import write_review
from review.reviewing.rubrics import parse_rubric, save_rubric

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


def test_crr_and_churn_from_counts_entered_per_period(db):
    set_period_counts(db, "2024-05-01", "2024-05-31", 500, 580, 100, customers_lost=25)
    assert crr(db, ALL) == Figure(96.0, 500, "%")  # (580 - 100) / 500
    assert churn_rate(db, ALL) == Figure(5.0, 500, "%")  # 25 / 500
    adjusted = churn_rate(db, ALL, adjusted=True)  # 25 / ((500 + 580) / 2)
    assert round(adjusted.value, 2) == 4.63 and adjusted.n == 500


def test_periods_chain_and_lost_defaults_to_start_plus_new_minus_end(db):
    set_period_counts(db, "2024-04-01", "2024-04-30", 400, 500, 120)  # lost 20
    set_period_counts(db, "2024-05-01", "2024-05-31", 500, 580, 100)  # lost 20
    both = Filters(date_from="2024-04-01", date_to="2024-05-31")
    assert crr(db, both).value == pytest.approx(100 * (580 - 220) / 400)
    assert churn_rate(db, both).value == pytest.approx(100 * 40 / 400)
    may = Filters(date_from="2024-05-01", date_to="2024-05-31")
    assert churn_rate(db, may) == Figure(4.0, 500, "%")
    assert crr(db, Filters(date_from="2023-01-01", date_to="2023-01-31")) == Figure(None, 0, "%")


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
    may = Filters(date_from="2024-05-01", date_to="2024-05-31")
    # S = 4 (a b c d), E = 3 (a c e), N = 1 (e), lost = 2 (b, d at MRR 0)
    assert crr(db, may).value == pytest.approx(50.0) and crr(db, may).n == 4
    assert churn_rate(db, may).value == pytest.approx(50.0)
    conv(db, customer="a", created="2024-05-10T09:00:00Z")
    conv(db, customer="b", created="2024-05-11T09:00:00Z")
    conv(db, customer="c", created="2024-06-11T09:00:00Z")  # outside the period
    retention = contact_retention(db, may)
    assert retention["contacted"] == Figure(50.0, 2, "%")  # a kept, b left
    assert retention["not_contacted"] == Figure(50.0, 2, "%")  # c kept, d left


def test_nps_30_from_50_promoters_30_passives_20_detractors(db):
    answers = [10] * 25 + [9] * 25 + [8] * 15 + [7] * 15 + [6] * 10 + [0] * 10
    conv(db, ratings=[("nps", "0-10", float(v), None) for v in answers])
    assert nps(db, ALL) == Figure(30.0, 100)


def test_csat_85_from_170_positive_of_200(db):
    ratings = [("csat", "1-5", 5.0, True)] * 100 + [("csat", "1-5", 4.0, True)] * 70
    ratings += [("csat", "good-bad", 0.0, False)] * 30
    conv(db, ratings=ratings)
    assert csat(db, ALL) == Figure(85.0, 200, "%")


def test_save_rate_60_from_6_saves_and_4_losses(db):
    price = find_loss_reason(db, "Price").id
    for _ in range(6):
        tag_save(db, conv(db), "10", "USD", "solved")
    for _ in range(4):
        tag_loss(db, conv(db), "10", "USD", price)
    assert save_rate(db, ALL) == Figure(60.0, 10, "%")
    # a failed save was not a save: it stays in the denominator only
    cid = conv(db)
    tag_save(db, cid, "10", "USD", "solved")
    update_save(db, saves_for_conversation(db, cid)[0].id, status="failed")
    assert save_rate(db, ALL).value == pytest.approx(600 / 11)


# -- money --------------------------------------------------------------------------------------


def test_saved_mrr_and_arr_confirmed_and_all_per_currency(db):
    a, b = conv(db), conv(db)
    tag_save(db, a, "49.99", "USD", "discount")
    tag_save(db, b, "20.01", "USD", "solved")
    assert saved_mrr(db, ALL) == Figure(70.0, 2, "USD", parts={"USD": 70.0})
    assert saved_arr(db, ALL).value == 840.0
    assert saved_mrr(db, ALL, confirmed_only=True) == Figure(None, 0)  # none confirmed yet
    update_save(db, saves_for_conversation(db, a)[0].id, status="confirmed")
    assert saved_mrr(db, ALL, confirmed_only=True).value == 49.99
    tag_save(db, conv(db), "100", "EUR", "pause")
    mixed = saved_mrr(db, ALL)
    assert mixed.value is None and mixed.n == 3 and mixed.parts == {"USD": 70.0, "EUR": 100.0}
    set_exchange_rates(db, "USD", {"EUR": "1.10"})
    assert saved_mrr(db, ALL) == Figure(180.0, 3, "USD", parts={"USD": 70.0, "EUR": 100.0})


def test_lost_mrr_by_reason_largest_first(db):
    price, bugs = find_loss_reason(db, "Price").id, find_loss_reason(db, "Bugs or reliability").id
    budget = find_loss_reason(db, "Budget cut").id
    tag_loss(db, conv(db), "30", "USD", price)
    tag_loss(db, conv(db), "30", "USD", price)
    tag_loss(db, conv(db), "100", "USD", bugs)
    tag_loss(db, conv(db), "5.50", "USD", budget)
    rows = lost_mrr_by_reason(db, ALL)
    assert [(r.label, r.figure.value, r.figure.n) for r in rows] == [
        ("Bugs or reliability", 100.0, 1),
        ("Price", 60.0, 2),
        ("Natural causes: Budget cut", 5.5, 1),
    ]
    assert lost_mrr_by_reason(db, Filters(channels=("chat",))) == []


# -- responsiveness -----------------------------------------------------------------------------


def test_fcr_counts_resolved_conversations_with_one_agent_reply(db):
    conv(db, messages=[("customer", 0, False), ("agent", 5, False)])  # one reply: counts
    conv(db, messages=[("customer", 0, False), ("agent", 5, True), ("agent", 9, False)])
    conv(db, messages=[("customer", 0, False), ("agent", 5, False), ("agent", 9, False)])
    conv(db, status="closed", messages=[("customer", 0, False)])  # no reply: left out
    conv(db, status="open", messages=[("customer", 0, False), ("agent", 5, False)])  # unresolved
    assert fcr(db, ALL) == Figure(pytest.approx(200 / 3), 3, "%")


def test_first_response_median_and_p90(db):
    for wait in (1, 2, 3, 4, 10):  # minutes
        conv(
            db,
            messages=[
                ("agent", -5, False),  # an agent message before the customer wrote: not a reply
                ("customer", 0, False),
                ("agent", wait / 2, True),  # an internal note: the customer never saw it
                ("agent", wait, False),
            ],
        )
    conv(db, messages=[("customer", 0, False)])  # never answered: left out
    times = first_response_times(db, ALL)
    assert times.median == Figure(180.0, 5, "s")
    assert times.p90 == Figure(456.0, 5, "s")  # 240 + 0.6 * (600 - 240)


def test_resolution_rate(db):
    for status in ("solved", "closed", "solved", "open"):
        conv(db, status=status)
    assert resolution_rate(db, ALL) == Figure(75.0, 4, "%")


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


def test_quality_score_with_interval_and_warning(db, rubric):
    scores = []
    for tone, acc in ((5, 1), (3, 1), (1, 1), (5, 0), (3, 0), (5, 1)):
        review(db, rubric, conv(db), tone, acc)
        scores.append(100 * ((tone - 1) / 4 + acc) / 2)
    write_review(db, conv(db), "lead", {}, rubric_id=rubric.id)  # no score: left out
    figure = quality_score(db, ALL)
    mean, sd = statistics.mean(scores), statistics.stdev(scores)
    assert figure.value == pytest.approx(mean) and figure.n == 6 and not figure.few
    assert figure.low == pytest.approx(max(0, mean - 2.571 * sd / 6**0.5), abs=0.01)
    assert figure.high == pytest.approx(min(100, mean + 2.571 * sd / 6**0.5), abs=0.01)
    few = quality_score(db, Filters(conversation_ids=(1, 2)))
    assert few.n == 2 and few.few and few.as_dict()["few"] is True


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
    by_agent = {g.label: (g.figure.value, g.figure.n) for g in quality_by_agent(db, ALL)}
    assert by_agent == {"Ana": (87.5, 2), "Bo": (0.0, 1)}
    by_team = {g.label: g.figure.value for g in quality_by_team(db, ALL)}
    assert by_team == {"North": 87.5, "South": 0.0}
    by_channel = {g.label: g.figure.value for g in quality_by_channel(db, ALL)}
    assert by_channel == {"chat": 37.5, "email": 100.0}
    by_month = {g.label: g.figure.n for g in quality_by_period(db, ALL)}
    assert by_month == {"2024-05": 2, "2024-06": 1}
    assert [g.label for g in quality_by_period(db, ALL, "quarter")] == ["2024-Q2"]
    categories = {g.label: (g.figure.value, g.figure.n) for g in quality_by_category(db, ALL)}
    assert categories == {"Tone": (50.0, 3), "Accuracy": (pytest.approx(200 / 3), 3)}


def test_the_agent_filter_follows_the_agent_a_review_names(db, rubric):
    cid = conv(db, agent="ana")
    conv(db, agent="bo")
    review(db, rubric, cid, 5, 1, agent=agent_id(db, "bo"))
    assert quality_score(db, Filters(agent_ids=(agent_id(db, "ana"),))) == Figure(None, 0, "score")
    assert quality_score(db, Filters(agent_ids=(agent_id(db, "bo"),))).value == 100.0


def test_quality_next_to_retention_per_agent_and_per_category(db, rubric):
    price = find_loss_reason(db, "Price").id
    saved = [conv(db, agent="ana") for _ in range(3)]
    lost = [conv(db, agent="bo") for _ in range(2)]
    for cid in saved:
        tag_save(db, cid, "10", "USD", "solved")
        review(db, rubric, cid, 5, 1)
    for cid in lost:
        tag_loss(db, cid, "10", "USD", price)
        review(db, rubric, cid, 2, 1)
    tag_save(db, conv(db, agent="bo"), "99", "USD", "discount")  # saved, not reviewed
    rows = {r.name: r for r in quality_retention_by_agent(db, ALL)}
    assert rows["Ana"].quality.value == 100.0 and rows["Ana"].saves == 3
    assert rows["Ana"].save_rate == Figure(100.0, 3, "%")
    assert rows["Ana"].saved_mrr.value == 30.0
    assert rows["Bo"].quality.value == 62.5 and rows["Bo"].losses == 2
    assert rows["Bo"].save_rate.value == pytest.approx(100 / 3)
    assert rows["Bo"].saved_mrr.value == 99.0
    (tone, accuracy) = category_saved_vs_lost(db, ALL)
    assert tone.category == "Tone" and tone.saved.value == 100.0 and tone.lost.value == 25.0
    assert tone.difference == 75.0 and tone.saved.n == 3 and tone.lost.n == 2
    assert accuracy.difference == 0.0


# -- no data, and all at once -------------------------------------------------------------------


def test_an_empty_store_gives_no_data_not_zero(db):
    figures = all_metrics(db, ALL)
    for key in (
        "quality_score",
        "saved_mrr",
        "saved_arr",
        "lost_mrr_by_reason",
        "save_rate",
        "nps",
        "csat",
        "fcr",
        "first_response_median_s",
        "first_response_p90_s",
        "resolution_rate",
        "crr",
        "churn_rate",
        "churn_rate_adjusted",
    ):
        assert figures[key].value is None and figures[key].n == 0, key
        assert set(figures[key].as_dict()) >= {"value", "n"}


def test_filters_restrict_every_figure(db):
    conv(db, channel="chat", status="solved", ratings=[("csat", "1-5", 5.0, True)])
    conv(db, channel="email", status="open", ratings=[("csat", "1-5", 1.0, False)])
    chat = all_metrics(db, Filters(channels=("chat",)))
    assert chat["csat"] == Figure(100.0, 1, "%")
    assert chat["resolution_rate"] == Figure(100.0, 1, "%")
    may = Filters(date_from="2024-06-01")
    assert all_metrics(db, may)["resolution_rate"] == Figure(None, 0, "%")
