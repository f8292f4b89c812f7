"""`savedesk stats` with figures and filters, `savedesk tag save|loss`, `savedesk billing`,
`savedesk churn detect`, through click's CliRunner on a real database file."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from desktop.cli import cli
from review.figures.overview import FIGURE_KEYS
from review.importing.records import Conversation, Message, Person, Rating
from review.importing.writer import store_records
from review.store import connect

SAMPLED = ("quality_score", "save_rate", "nps", "csat", "fcr", "resolution_rate")


def run(db_path, *args, ok=True):
    result = CliRunner().invoke(cli, [*args, "--db", str(db_path)])
    if ok:
        assert result.exit_code == 0, result.output
    return result


def _seed(db_path):
    db = connect(db_path)
    records = []
    for n, (channel, agent, day) in enumerate(
        [
            ("chat", "ana", "2024-05-02"),
            ("email", "bo", "2024-05-03"),
            ("chat", "ana", "2024-06-02"),
        ],
        1,
    ):
        records.append(
            Conversation(
                "zendesk",
                str(n),
                channel=channel,
                status="solved",
                created_at=f"{day}T09:00:00Z",
                customer=Person("zendesk", f"cust{n}", "customer", email=f"c{n}@example.com"),
                agent=Person("zendesk", agent, "agent", name=agent.title()),
                messages=[
                    Message("q", "customer", f"{day}T09:00:00Z", "Please cancel my subscription"),
                    Message("a", "agent", f"{day}T09:02:00Z", "Let me help"),
                ],
                ratings=[Rating("zendesk", f"r{n}", str(n), "csat", "1-5", "5", 5.0, True)],
            )
        )
    store_records(db, records)
    db.close()


def test_stats_json_keeps_store_counts_and_adds_every_figure(db_path):
    _seed(db_path)
    out = json.loads(run(db_path, "stats", "--json").output)
    assert out["conversations"] == 3 and out["by_channel"] == {"chat": 2, "email": 1}
    for key in ("messages", "internal_notes", "customers", "agents", "by_source"):
        assert key in out
    for key in FIGURE_KEYS:
        assert set(out[key]) >= {"value", "n"}, key
        assert out[key]["value"] is None or isinstance(out[key]["value"], int | float)
    for key in SAMPLED:
        assert set(out[key]) >= {"low", "high", "few"}, key
    for key in ("contacted", "not_contacted"):
        assert set(out["contact_retention"][key]) >= {"value", "n", "low", "high"}
    csat = out["csat"]
    assert (csat["value"], csat["n"], csat["unit"], csat["few"]) == (100.0, 3, "%", True)
    assert csat["low"] == pytest.approx(43.85, abs=0.01) and csat["high"] == 100.0  # Wilson
    assert csat["judged"] == "meets the target (at or above 85%)"
    assert out["first_response_median_s"]["value"] == 120.0
    chat = out["first_reply_chat_median_s"]
    assert (chat["value"], chat["n"], chat["judged"]) == (
        120.0,
        2,
        "misses the target (under 120 s)",
    )
    assert out["targets"]["csat"]["limit"] == 85.0 and out["targets"]["churn_rate"]["limit"] == 5.0
    assert out["quality_score"]["value"] is None and out["quality_score"]["n"] == 0
    assert out["saved_mrr"] == {"value": None, "n": 0}


def test_stats_filters_by_dates_agent_and_channel(db_path):
    _seed(db_path)
    may = json.loads(
        run(db_path, "stats", "--json", "--from", "2024-05-01", "--to", "2024-05-31").output
    )
    assert may["resolution_rate"]["n"] == 2
    ana = json.loads(run(db_path, "stats", "--json", "--agent", "Ana").output)
    assert ana["resolution_rate"]["n"] == 2
    email = json.loads(run(db_path, "stats", "--json", "--channel", "email").output)
    assert email["csat"]["n"] == 1
    bad = run(db_path, "stats", "--agent", "nobody", ok=False)
    assert bad.exit_code != 0 and "nobody" in bad.output
    assert run(db_path, "stats", "--from", "May", ok=False).exit_code != 0


def test_tag_save_and_loss_feed_the_figures(db_path):
    _seed(db_path)
    refused = run(
        db_path,
        "tag",
        "save",
        "1",
        "--mrr",
        "1.001",
        "--currency",
        "USD",
        "--method",
        "solved",
        ok=False,
    )
    assert refused.exit_code != 0 and "fractions of a cent" in refused.output
    assert (
        run(
            db_path,
            "tag",
            "loss",
            "1",
            "--mrr",
            "1",
            "--currency",
            "USD",
            "--reason",
            "aliens",
            ok=False,
        ).exit_code
        != 0
    )
    run(
        db_path,
        "tag",
        "save",
        "zendesk:1",
        "--mrr",
        "49.00",
        "--currency",
        "usd",
        "--method",
        "discount",
        "--on",
        "2024-05-02",
        "--story",
        "Offered a month free",
    )
    run(db_path, "tag", "save", "2", "--mrr", "10.50", "--currency", "USD", "--method", "pause")
    run(
        db_path,
        "tag",
        "loss",
        "3",
        "--mrr",
        "30",
        "--currency",
        "USD",
        "--reason",
        "price",
        "--preventable",
        "--words",
        "太贵了",
    )
    out = json.loads(run(db_path, "stats", "--json").output)
    assert out["saved_mrr"]["value"] == 59.5 and out["saved_mrr"]["n"] == 2
    assert out["saved_arr"]["value"] == 714.0
    assert out["save_rate"]["value"] == pytest.approx(200 / 3) and out["save_rate"]["n"] == 3
    assert out["lost_mrr"]["value"] == 30.0 and out["net_mrr"]["value"] == 29.5
    assert out["lost_mrr_by_reason"][0]["reason"] == "Price"
    assert out["lost_mrr_by_reason"][0]["value"] == 30.0
    twice = run(db_path, "tag", "save", "zendesk:1", "--mrr", "49.00", "--currency", "USD",
                "--method", "discount", ok=False)  # fmt: skip
    assert twice.exit_code != 0 and "already has a save (USD 49.00" in twice.output
    again = json.loads(run(db_path, "stats", "--json").output)
    assert again["saved_mrr"]["value"] == 59.5 and again["saved_mrr"]["n"] == 2
    text = run(db_path, "stats").output
    assert "Saved MRR" in text and "59.50 USD" in text and "no data" in text
    assert "at or above 85%" in text and "Quality beside retention by agent" in text


def test_billing_import_confirms_saves(db_path, tmp_path):
    _seed(db_path)
    run(
        db_path,
        "tag",
        "save",
        "1",
        "--mrr",
        "49",
        "--currency",
        "USD",
        "--method",
        "solved",
        "--on",
        "2024-05-02",
    )
    billing = tmp_path / "customers.csv"
    billing.write_text(
        "email,status,mrr,currency,as_of\nc1@example.com,active,49.00,USD,2024-06-15\n",
        encoding="utf-8",
    )
    out = json.loads(
        run(db_path, "billing", "import", str(billing), "--today", "2024-07-01", "--json").output
    )
    assert out["records"] == 1 and out["saves_decided"] == 1
    stats = json.loads(run(db_path, "stats", "--json").output)
    assert stats["saved_mrr_confirmed"]["value"] == 49.0
    bad = tmp_path / "bad.csv"
    bad.write_text("email,status,mrr,currency,as_of\nx@y.z,active,lots,USD,2024-06-15\n")
    result = run(db_path, "billing", "import", str(bad), ok=False)
    assert result.exit_code != 0 and "record 2" in result.output and "'mrr'" in result.output


def test_period_counts_give_crr_and_churn_detect_runs(db_path):
    _seed(db_path)
    run(
        db_path,
        "billing",
        "counts",
        "2024-05-01",
        "2024-05-31",
        "--start",
        "500",
        "--end",
        "580",
        "--new",
        "100",
        "--lost",
        "25",
    )
    out = json.loads(run(db_path, "stats", "--json").output)
    assert out["crr"] == {"value": 96.0, "n": 500, "unit": "%"}
    assert out["churn_rate"]["value"] == 5.0
    assert "3 churn signals" in run(db_path, "churn", "detect").output


@pytest.mark.parametrize(
    ("seconds", "shown"),
    [
        (0, "0 s"),
        (44.6, "45 s"),
        (59.4, "59 s"),
        (60, "1 min"),
        (125, "2 min 5 s"),  # to the second near the chat target of 120 s
        (599, "9 min 59 s"),
        (600, "10 min"),
        (5122, "1 h 25 min"),
        (3600, "1 h"),
        (86_399, "1 d"),
        (29_941, "8 h 19 min"),
        (86_400 * 2 + 3 * 3600 + 100, "2 d 3 h"),
        (86_400 * 3, "3 d"),
    ],
)
def test_waits_read_in_minutes_hours_and_days(seconds, shown):
    from review.figures.wording import duration_text

    assert duration_text(seconds) == shown


def test_stats_json_puts_quality_beside_retention_and_right_outcomes_apart(db_path):
    _seed(db_path)
    run(db_path, "tag", "save", "1", "--mrr", "40", "--currency", "USD", "--method", "solved")
    run(db_path, "tag", "loss", "2", "--mrr", "25", "--currency", "USD", "--reason", "Not a fit")
    run(db_path, "tag", "loss", "3", "--mrr", "30", "--currency", "USD", "--reason", "Price")
    run(db_path, "review", "1", "--reviewer", "lead", "--rate", "tone=5", "--rate", "accuracy=5")
    run(db_path, "review", "3", "--reviewer", "lead", "--rate", "tone=2", "--rate", "accuracy=5")
    out = json.loads(run(db_path, "stats", "--json").output)
    assert out["right_outcomes_mrr"]["value"] == 25.0 and out["right_outcomes_mrr"]["n"] == 1
    assert out["right_outcomes_by_reason"][0]["reason"].startswith("Not a fit")
    assert out["lost_mrr"]["value"] == 30.0 and out["save_rate"]["n"] == 2  # Not a fit left out
    beside = out["quality_beside_retention"]
    ana = next(r for r in beside["agents"] if r["label"] == "Ana")
    assert ana["quality_score"]["n"] == 2 and {"low", "high", "few"} <= set(ana["save_rate"])
    assert ana["save_rate"]["value"] == 50.0 and ana["right_outcomes"] == 0
    bo = next(r for r in beside["agents"] if r["label"] == "Bo")
    assert bo["right_outcomes"] == 1 and bo["save_rate"]["n"] == 0
    assert beside["all"]["saved_mrr"]["value"] == out["saved_mrr"]["value"]
    tone = next(c for c in out["categories_saved_vs_lost"] if c["category"].startswith("Tone"))
    assert tone["saved"]["value"] == 100.0 and tone["lost"]["value"] == 25.0
    assert tone["difference"] == 75.0 and {"low", "high", "few"} <= set(tone["saved"])
