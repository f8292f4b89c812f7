"""`savedesk rubric`, `savedesk review`, `savedesk queue`, `savedesk calibration` through click."""

from __future__ import annotations

import json

from click.testing import CliRunner

from desktop.cli import cli
from review.importing.records import Conversation, Person
from review.importing.writer import store_records
from review.store import connect


def _run(*args):
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result


def _store(db_path, n=3):
    db = connect(db_path)
    store_records(
        db,
        [
            Conversation(
                "zendesk",
                str(100 + i),
                created_at=f"2024-05-0{i + 1}T10:00:00Z",
                channel="chat",
                agent=Person("zendesk", "a1", "agent", name="Ana"),
            )
            for i in range(n)
        ],
    )
    ids = [r[0] for r in db.execute("select id from conversations order by id")]
    db.close()
    return ids


def test_rubric_list_import_export(db_path, tmp_path):
    listed = _run("rubric", "list", "--db", str(db_path))
    assert listed.exit_code == 0
    assert "* " in listed.output and "savedesk default v1" in listed.output
    assert "critical" in listed.output and "churn_signals" in listed.output
    out = tmp_path / "mine.toml"
    exported = _run("rubric", "export", str(out), "--db", str(db_path))
    assert exported.exit_code == 0 and out.exists()
    text = out.read_text(encoding="utf-8").replace('name = "savedesk default"', 'name = "Ours"')
    out.write_text(text, encoding="utf-8")
    imported = _run("rubric", "import", str(out), "--db", str(db_path))
    assert imported.exit_code == 0 and "Ours v1, 11 categories" in imported.output
    lines = _run("rubric", "list", "--json", "--db", str(db_path)).output.splitlines()
    rubrics = [json.loads(line) for line in lines]
    assert [(r["name"], r["is_current"]) for r in rubrics] == [
        ("Ours", True),
        ("savedesk default", False),
    ]


def test_rubric_import_refusal_names_the_line(db_path, tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('name = "x"\n\n[[category]]\nname = "A"\nscale = "1-7"\n', encoding="utf-8")
    result = _run("rubric", "import", str(bad), "--db", str(db_path))
    assert result.exit_code == 1
    assert "line 5: unknown scale '1-7'" in result.output


def test_review_rates_and_prints_the_score(db_path):
    c1, *_ = _store(db_path)
    result = _run(
        "review",
        str(c1),
        "--db",
        str(db_path),
        "--reviewer",
        "Lead",
        "--rate",
        "tone=4",
        "--rate",
        "Accuracy and completeness=5",
        "--rate",
        "critical=pass",
        "--na",
        "curiosity",
        "--comment",
        "Хорошо 好",
    )
    assert result.exit_code == 0, result.output
    # tone 0.75 * 2, accuracy 1 * 3, critical 1 * 1: 100 * 5.5 / 6
    assert f"of conversation {c1} by Lead: 91.7%" in result.output
    again = _run(
        "review",
        "zendesk:100",
        "--db",
        str(db_path),
        "--reviewer",
        "Lead",
        "--rate",
        "critical=fail",
        "--json",
    )
    data = json.loads(again.output)
    assert data["score"] == 0.0 and data["critical_failed"] is True
    assert data["ratings"] == {"accuracy": 5, "curiosity": "na", "tone": 4, "critical": 0}
    assert data["overall_comment"] == "Хорошо 好"


def test_review_refuses_bad_values_with_a_message(db_path):
    c1, *_ = _store(db_path)
    for args, words in (
        (("--rate", "tone=9"), "from 1 to 5"),
        (("--rate", "tone=great"), "is not a rating of 'Tone and personal touch'"),
        (("--rate", "nosuch=3"), "no category"),
        (("--na", "tone"), "does not allow N/A"),
        (("--rate", "tone"), "is not CATEGORY=VALUE"),
    ):
        result = _run("review", str(c1), "--db", str(db_path), "--reviewer", "L", *args)
        assert result.exit_code != 0 and words in result.output, (args, result.output)
    missing = _run("review", "9999", "--db", str(db_path), "--reviewer", "L", "--rate", "tone=3")
    assert missing.exit_code == 1 and "no conversation 9999" in missing.output


def test_queue_build_list_show(db_path):
    ids = _store(db_path, n=5)
    _run("review", str(ids[0]), "--db", str(db_path), "--reviewer", "L", "--rate", "tone=3")
    built = _run(
        "queue",
        "build",
        "Weekly",
        "--db",
        str(db_path),
        "--per-agent-per-week",
        "2",
        "--seed",
        "3",
        "--json",
    )
    assert built.exit_code == 0, built.output
    queue = json.loads(built.output)
    # May 1-5 2024: Wed-Sun of one week, one agent; conversation 1 is reviewed already
    assert queue["size"] == 2 and ids[0] not in queue["conversations"]
    assert set(queue["conversations"]) <= set(ids[1:])
    again = json.loads(
        _run(
            "queue",
            "build",
            "Again",
            "--db",
            str(db_path),
            "--per-agent-per-week",
            "2",
            "--seed",
            "3",
            "--json",
        ).output
    )
    assert again["conversations"] == queue["conversations"]
    filtered = _run(
        "queue",
        "build",
        "Chats",
        "--db",
        str(db_path),
        "--channel",
        "chat",
        "--unreviewed",
        "--from",
        "2024-05-02",
        "--to",
        "2024-05-03",
    )
    assert "2 conversations" in filtered.output
    listed = _run("queue", "list", "--db", str(db_path)).output
    assert "Weekly" in listed and "seed 3" in listed and "Chats" in listed
    shown = _run("queue", "show", str(queue["id"]), "--db", str(db_path)).output
    assert f"> {queue['conversations'][0]}" in shown


def test_calibration_command(db_path):
    c1, *_ = _store(db_path)
    for reviewer, tone in (("A", "4"), ("B", "4"), ("C", "2")):
        _run(
            "review",
            str(c1),
            "--db",
            str(db_path),
            "--reviewer",
            reviewer,
            "--rate",
            f"tone={tone}",
        )
    data = json.loads(_run("calibration", "--db", str(db_path), "--json").output)
    assert data["conversations"] == 1 and data["reviewers"] == ["A", "B", "C"]
    (tone,) = data["categories"]
    assert tone["pairs"] == 3 and round(tone["percent_agreement"], 2) == 33.33
    (spread,) = data["spreads"]
    assert (spread["minimum"], spread["maximum"]) == (25.0, 75.0)
