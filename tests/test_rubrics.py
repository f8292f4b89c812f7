"""Rubric files: the default rubric, refusals naming line and problem, export/import, versions."""

from __future__ import annotations

import pytest

from review.errors import InvalidRubric
from review.importing.records import Conversation, Person
from review.importing.writer import store_records
from review.reviewing.reviews import rate, start_review
from review.reviewing.rubric_files import default_rubric_spec, load_rubric_file
from review.reviewing.rubrics import (
    current_rubric,
    export_rubric,
    get_rubric,
    import_rubric,
    list_rubrics,
    set_current_rubric,
)

SMALL = """\
name = "Team 团队"

[[category]]
key = "tone"
name = "Тон"
scale = "1-5"
weight = 2
allow_na = true

[[category]]
name = "No rudeness"
scale = "pass_fail"
critical = true
"""


def _write(tmp_path, text, name="rubric.toml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_default_rubric_has_every_domain_category():
    spec = default_rubric_spec()
    assert spec.name == "savedesk default"
    names = [c.name for c in spec.categories]
    assert names == [
        "Accuracy and completeness",
        "Answer, anticipate, elaborate",
        "Curiosity",
        "Analytical reading",
        "Tone and personal touch",
        "Recovery and ownership",
        "Customer effort",
        "Churn signals handled",
        "Workarounds and navigation",
        "Follow-up",
        "Critical",
    ]
    assert all(c.description and c.weight > 0 for c in spec.categories)
    (critical,) = [c for c in spec.categories if c.critical]
    assert critical.key == "critical" and critical.scale == "pass_fail" and not critical.allow_na


def test_current_rubric_installs_the_default_once(db):
    first = current_rubric(db)
    again = current_rubric(db)
    assert first.id == again.id and first.version == 1 and first.is_current
    assert len(first.categories) == 11 and len(list_rubrics(db)) == 1
    tone = first.category("tone")
    assert (tone.scale_min, tone.scale_max, tone.weight) == (1, 5, 2.0)
    assert first.category("Follow-up").scale_min == 0


def test_small_rubric_reads_with_defaults_and_unicode(tmp_path):
    spec = load_rubric_file(_write(tmp_path, SMALL))
    assert spec.name == "Team 团队"
    tone, rude = spec.categories
    assert (tone.key, tone.name, tone.weight, tone.allow_na, tone.critical) == (
        "tone",
        "Тон",
        2.0,
        True,
        False,
    )
    assert (rude.key, rude.weight, rude.scale_min, rude.scale_max, rude.critical) == (
        "no_rudeness",
        1.0,
        0,
        1,
        True,
    )


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        (SMALL.replace("weight = 2", "weight = 0"), 7, "weight must be above 0"),
        (SMALL.replace("weight = 2", "weight = -1.5"), 7, "weight must be above 0"),
        (SMALL.replace('scale = "1-5"', 'scale = "1-10"'), 6, "unknown scale '1-10'"),
        (SMALL.replace('name = "No rudeness"', 'name = "Тон"'), 11, "duplicate category name"),
        (
            SMALL.replace("critical = true", "critical = true\ncolour = 1"),
            14,
            "unknown key 'colour'",
        ),
        ('name = "x"\nowner = "me"\n', 2, "unknown key 'owner'"),
        ('name = "x"\n', None, "the rubric is empty"),
        ('name = "x"\ncategory = []\n', 2, "the rubric is empty"),
        (SMALL.replace("allow_na = true", 'allow_na = "yes"'), 8, "allow_na must be true or false"),
        (SMALL.replace("weight = 2", "weight = 2 2"), 7, "not valid TOML"),
    ],
)
def test_invalid_rubrics_are_refused_naming_line_and_problem(tmp_path, text, line, words):
    path = _write(tmp_path, text)
    with pytest.raises(InvalidRubric) as caught:
        load_rubric_file(path)
    assert caught.value.line == line
    assert words in caught.value.problem
    if line is not None:
        assert f"line {line}: " in str(caught.value)


def test_refused_import_stores_nothing(db, tmp_path):
    with pytest.raises(InvalidRubric):
        import_rubric(db, _write(tmp_path, SMALL.replace("weight = 2", "weight = 0")))
    assert list_rubrics(db) == []


def test_export_then_import_gives_the_same_rubric_back(db, tmp_path):
    rubric = import_rubric(db, _write(tmp_path, SMALL))
    out = tmp_path / "out.toml"
    export_rubric(db, rubric.id, out)
    assert "Тон" in out.read_text(encoding="utf-8")
    assert load_rubric_file(out) == load_rubric_file(tmp_path / "rubric.toml")
    # same content again: no new version
    assert import_rubric(db, out).id == rubric.id and len(list_rubrics(db)) == 1


def test_editing_an_unused_rubric_edits_it_in_place(db, tmp_path):
    first = import_rubric(db, _write(tmp_path, SMALL))
    edited = import_rubric(db, _write(tmp_path, SMALL.replace("weight = 2", "weight = 4")))
    assert (edited.id, edited.version) == (first.id, 1)
    assert edited.category("tone").weight == 4.0


def test_editing_a_rubric_with_reviews_makes_a_new_version_and_old_reviews_keep_theirs(
    db, tmp_path
):
    store_records(
        db,
        [Conversation("zendesk", "1", agent=Person("zendesk", "a1", "agent", name="Ana"))],
    )
    cid = db.execute("select id from conversations").fetchone()[0]
    v1 = import_rubric(db, _write(tmp_path, SMALL))
    review = start_review(db, cid, "lead")
    rate(db, review.id, v1.category("tone").id, 4)  # (4-1)/4 = 75%
    assert db.execute("select score from reviews").fetchone()[0] == 75.0
    v2 = import_rubric(db, _write(tmp_path, SMALL.replace('scale = "1-5"', 'scale = "1-3"')))
    assert (v2.name, v2.version) == ("Team 团队", 2) and v2.id != v1.id
    assert current_rubric(db).id == v2.id
    old = get_rubric(db, v1.id)
    assert old.category("tone").scale == "1-5"
    assert db.execute("select rubric_id, score from reviews").fetchone() == (v1.id, 75.0)
    assert [(r.version, r.is_current) for r in list_rubrics(db)] == [(1, False), (2, True)]
    set_current_rubric(db, v1.id)
    assert current_rubric(db).id == v1.id
