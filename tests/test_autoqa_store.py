"""Suggestions in the store: the job never touches a person's rating, accepting one is a
normal undoable rating, agreement leaves accepted ratings out, queues take the lowest auto
scores, and `savedesk autoqa agreement --json` reports on the demo database."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from desktop.cli import cli
from review.errors import InvalidInput
from review.filters import Filters
from review.progress import run_to_end
from review.reviewing.autoqa import run as autoqa_run
from review.reviewing.autoqa.accept import accept_suggestion
from review.reviewing.autoqa.agreement import agreement, measure
from review.reviewing.autoqa.run import autoqa_job
from review.reviewing.autoqa.store import suggestions_for_conversation
from review.reviewing.queues import build_queue, queue_items
from review.reviewing.reviews import get_review, rate, refresh_scores
from review.store import connect
from review.store.undo import STAMPS, redo, undo

HUMAN = [
    "select * from reviews order by id",
    "select * from review_ratings order by review_id, category_id",
]


def _rows(db):
    return [db.execute(sql).fetchall() for sql in HUMAN]


def _content(db):
    """_rows without the stamps a write leaves (a row undone gets a new version)."""
    tables = []
    for sql in HUMAN:
        rows = db.execute(sql)
        keep = [i for i, column in enumerate(rows.columns) if column not in STAMPS]
        tables.append([tuple(row[i] for i in keep) for row in rows.fetchall()])
    return tables


@pytest.fixture
def scored(demo_path):
    run_to_end(autoqa_job(demo_path, check_spelling=False, workers=1))
    db = connect(demo_path)
    yield db
    db.close()


def test_the_auto_scorer_never_changes_a_human_rating(demo_path):
    db = connect(demo_path)
    before = _rows(db)
    reviewed = db.execute("select count(distinct conversation_id) from reviews").fetchone()[0]
    assert reviewed > 100 and len(before[1]) > 1000
    result = run_to_end(autoqa_job(demo_path, check_spelling=False, workers=1))
    result = run_to_end(autoqa_job(demo_path, check_spelling=False, workers=1))  # and again
    assert result.conversations == db.execute("select count(*) from conversations").fetchone()[0]
    assert _rows(db) == before
    scored_reviewed = db.execute(  # by these runs' rules (the demo's own have spelling)
        "select count(*) from autoqa_scores where conversation_id in "
        "(select conversation_id from reviews) and ruleset like '%-nospell%'"
    ).fetchone()[0]
    assert scored_reviewed == reviewed
    db.close()


def test_stored_evidence_is_the_text_of_the_message_it_names(scored):
    checked = 0
    for (cid,) in scored.execute("select id from conversations order by id limit 60"):
        for suggestion in suggestions_for_conversation(scored, cid):
            assert suggestion.ruleset.startswith("autoqa-")
            for ev in suggestion.evidence:
                (text,) = scored.execute(
                    "select body_text from messages where id = :id and conversation_id = :c",
                    {"id": ev["message_id"], "c": cid},
                ).fetchone()
                assert text[ev["start"] : ev["end"]] == ev["text"]
                checked += 1
    assert checked > 100


def _unrated_suggestion(db):
    """A review and a scored suggestion for a category that review has not rated."""
    row = db.execute(
        """select r.id, s.id, rc.id from reviews r
             join autoqa_suggestions s on s.conversation_id = r.conversation_id
             join rubric_categories rc on rc.rubric_id = r.rubric_id and rc.key = s.category_key
            where s.kind = 'score' and s.rating is not null
              and not exists (select 1 from review_ratings rr where rr.review_id = r.id
                              and rr.category_id = rc.id)
            limit 1"""
    ).fetchone()
    if row is None:  # every category rated: clear one outside the undo history
        row = db.execute(
            """select r.id, s.id, rc.id from reviews r
                 join autoqa_suggestions s on s.conversation_id = r.conversation_id
                 join rubric_categories rc on rc.rubric_id = r.rubric_id
                      and rc.key = s.category_key
                where s.kind = 'score' and s.rating is not null limit 1"""
        ).fetchone()
        with db.atomic():
            db.execute(
                "delete from review_ratings where review_id = :r and category_id = :c",
                {"r": row[0], "c": row[2]},
            )
            refresh_scores(db, [row[0]])
    return row


def test_accepting_a_suggestion_is_a_rating_undone_like_any_other(scored):
    review_id, suggestion_id, category_id = _unrated_suggestion(scored)
    before = _content(scored)
    suggested = scored.execute(
        "select rating from autoqa_suggestions where id = :id", {"id": suggestion_id}
    ).fetchone()[0]
    changes = accept_suggestion(scored, review_id, suggestion_id, session="t")
    assert "review_ratings" in changes.tables
    rating, by = scored.execute(
        "select rating, suggested_by from review_ratings where review_id = :r and category_id = :c",
        {"r": review_id, "c": category_id},
    ).fetchone()
    assert rating == suggested and by.startswith("autoqa-")
    assert get_review(scored, review_id).ratings[category_id].rating == suggested
    undo(scored, "t")
    assert _content(scored) == before  # the review's score and updated_at come back too
    redo(scored, "t")
    assert (
        scored.execute(
            "select suggested_by from review_ratings where review_id = :r and category_id = :c",
            {"r": review_id, "c": category_id},
        ).fetchone()[0]
        == by
    )
    # a person rating it afterwards makes it their own rating again
    rate(scored, review_id, category_id, suggested, session="t")
    assert (
        scored.execute(
            "select suggested_by from review_ratings where review_id = :r and category_id = :c",
            {"r": review_id, "c": category_id},
        ).fetchone()[0]
        is None
    )


def test_a_flag_or_another_conversations_suggestion_cannot_be_accepted(scored):
    review_id, suggestion_id, _ = _unrated_suggestion(scored)
    other = scored.execute(
        "select s.id from autoqa_suggestions s join reviews r on r.id = :r "
        "where s.conversation_id <> r.conversation_id limit 1",
        {"r": review_id},
    ).fetchone()[0]
    with pytest.raises(InvalidInput):
        accept_suggestion(scored, review_id, other)
    flag = scored.execute("select id, conversation_id from autoqa_suggestions where kind = 'flag'")
    row = flag.fetchone()
    if row is not None:
        owner = scored.execute(
            "select id from reviews where conversation_id = :c", {"c": row[1]}
        ).fetchone()
        if owner:
            with pytest.raises(InvalidInput):
                accept_suggestion(scored, owner[0], row[0])


def test_agreement_leaves_accepted_suggestions_out(scored):
    review_id, suggestion_id, _ = _unrated_suggestion(scored)
    key, language = scored.execute(
        "select s.category_key, sc.language from autoqa_suggestions s join autoqa_scores sc "
        "on sc.conversation_id = s.conversation_id where s.id = :id",
        {"id": suggestion_id},
    ).fetchone()
    before = {(a.category_key, a.language): a.pairs for a in agreement(scored)}
    accept_suggestion(scored, review_id, suggestion_id)
    after = {(a.category_key, a.language): a.pairs for a in agreement(scored)}
    assert after.get((key, language), 0) == before.get((key, language), 0)
    rate(scored, review_id, *_category_and_rating(scored, suggestion_id, review_id))
    after_own = {(a.category_key, a.language): a.pairs for a in agreement(scored)}
    assert after_own[key, language] == before.get((key, language), 0) + 1


def _category_and_rating(db, suggestion_id, review_id):
    return db.execute(
        "select rc.id, s.rating from autoqa_suggestions s join reviews r on r.id = :r "
        "join rubric_categories rc on rc.rubric_id = r.rubric_id and rc.key = s.category_key "
        "where s.id = :s",
        {"r": review_id, "s": suggestion_id},
    ).fetchone()


def test_kappa_uses_quadratic_weights_and_counts_na_against_a_rating():
    perfect = [(1, 1), (3, 3), (5, 5), (2, 2)]
    assert measure(perfect, 1, 5)[:2] == (1.0, 100.0)
    # one step apart everywhere: agreement 0%, but quadratic weights keep kappa high. Both
    # raters' marginals are 1,2,2,2,1 of 8 over 1..5 (variance 1.5): observed disagreement
    # (1/4)^2 = 1/16, expected 2 * 1.5 / 16 = 3/16, so kappa = 1 - 1/3.
    near = [(1, 2), (2, 3), (3, 4), (4, 5), (5, 4), (4, 3), (3, 2), (2, 1)]
    kappa, agree, low, high = measure(near, 1, 5)
    assert agree == 0.0 and kappa == pytest.approx(2 / 3)
    assert low <= kappa <= high
    with_na = [(None, 3), (3, 3), (4, 4), (2, 2)]
    kappa_na, agree_na, *_ = measure(with_na, 1, 5)
    assert agree_na == 75.0 and kappa_na < 1.0


def test_a_queue_of_the_lowest_auto_scores_skips_reviewed_conversations(scored):
    queue = build_queue(scored, "Lowest 20", Filters(), lowest_auto_score=20)
    ids = queue_items(scored, queue.id)
    assert len(ids) == 20 and queue.lowest_auto_score == 20
    marks = ",".join(str(i) for i in ids)
    scores = dict(
        scored.execute(
            f"select conversation_id, score from autoqa_scores where conversation_id in ({marks})"
        ).fetchall()
    )
    assert [scores[i] for i in ids] == sorted(scores[i] for i in ids)
    reviewed = {r[0] for r in scored.execute("select conversation_id from reviews")}
    assert not reviewed & set(ids)
    worst_unreviewed = scored.execute(
        "select min(score) from autoqa_scores where author_kind = 'person' and "
        "conversation_id not in (select conversation_id from reviews)"
    ).fetchone()[0]
    assert scores[ids[0]] == worst_unreviewed


def test_a_cancelled_run_keeps_whole_batches_only(demo_path, monkeypatch):
    monkeypatch.setattr(autoqa_run, "BATCH", 50)
    job = autoqa_job(demo_path, check_spelling=False, workers=1)
    assert next(job).done == 0
    assert next(job).done == 50
    job.close()
    db = connect(demo_path)
    # the demo was scored when built (with spelling): this run's rows are the "-nospell" ones
    this_run = "ruleset like '%-nospell%'"
    assert db.execute(f"select count(*) from autoqa_scores where {this_run}").fetchone()[0] == 50
    assert (
        db.execute(
            f"select count(distinct conversation_id) from autoqa_suggestions where {this_run}"
        ).fetchone()[0]
        == 50
    )
    db.close()


@pytest.mark.slow
def test_savedesk_autoqa_agreement_json_on_the_demo_database(demo_path):
    result = CliRunner().invoke(cli, ["autoqa", "agreement", "--json", "--db", str(demo_path)])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["bar"] == {"kappa": 0.6, "pairs": 50, "interval_low": 0.4}
    rows = {(c["category"], c["language"]): c for c in data["categories"]}
    assert {lang for _, lang in rows} == {"en", "ru", "zh-Hans", "zh-Hant"}
    assert {"tone", "effort", "anticipate", "curiosity", "churn_signals"} <= {k for k, _ in rows}
    tone = rows["tone", "en"]
    assert tone["n"] >= 50 and -1 <= tone["kappa"] <= 1
    assert tone["interval"][0] <= tone["kappa"] <= tone["interval"][1]
    assert 0 <= tone["agreement"] <= 100
    show = CliRunner().invoke(cli, ["autoqa", "show", "1", "--db", str(demo_path)])
    assert show.exit_code == 0 and "tone" in show.output


def test_savedesk_autoqa_run_show_and_accept(demo_path, monkeypatch):
    monkeypatch.setenv("SAVEDESK_REVIEWER", "Cli Reviewer")
    runner = CliRunner()
    run = runner.invoke(
        cli, ["autoqa", "run", "--conversation", "1", "--no-spelling", "--db", str(demo_path)]
    )
    assert run.exit_code == 0, run.output
    assert run.output.startswith("Scored 1 conversations")
    db = connect(demo_path)
    # a conversation with a suggestion offered as a score (the demo measured agreement when
    # built: churn handling in English passes the bar) and one with a hint
    offered_in, hint_in = (
        db.execute(
            "select s.conversation_id from autoqa_suggestions s join autoqa_scores sc on "
            "sc.conversation_id = s.conversation_id left join autoqa_agreement a on "
            "a.category_key = s.category_key and a.language = sc.language where s.kind = "
            f"'score' and coalesce(a.offered, 0) = {flag} order by s.conversation_id limit 1"
        ).fetchone()[0]
        for flag in (1, 0)
    )
    db.close()

    def shown(cid):
        out = runner.invoke(cli, ["autoqa", "show", str(cid), "--json", "--db", str(demo_path)])
        return json.loads(out.output)

    suggestion = next(s for s in shown(offered_in) if s["offered"])
    accepted = runner.invoke(
        cli, ["autoqa", "accept", str(suggestion["id"]), "--db", str(demo_path)]
    )
    assert accepted.exit_code == 0, accepted.output
    db = connect(demo_path)
    rating, na, by = db.execute(
        "select rr.rating, rr.is_na, rr.suggested_by from review_ratings rr join reviews r on "
        "r.id = rr.review_id join rubric_categories rc on rc.id = rr.category_id "
        "where r.reviewer = 'Cli Reviewer' and rc.key = :k",
        {"k": suggestion["category_key"]},
    ).fetchone()
    db.close()
    assert (rating, bool(na)) == (suggestion["rating"], suggestion["is_na"])
    assert by == suggestion["ruleset"]
    hint = next(s for s in shown(hint_in) if s["kind"] == "score" and not s["offered"])
    refused = runner.invoke(cli, ["autoqa", "accept", str(hint["id"]), "--db", str(demo_path)])
    assert refused.exit_code == 1 and "That suggestion is a hint" in refused.output
    missing = runner.invoke(cli, ["autoqa", "accept", "999999", "--db", str(demo_path)])
    assert missing.exit_code == 1 and "There is no suggestion 999999." in missing.output
