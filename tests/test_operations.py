"""review.operations: every action as a function returning its Changes, undo steps and label;
the same resolver and operations for the command line; edits of one typed field as one undo
step; a replayed edit applied once; a store failure said in one sentence."""

from __future__ import annotations

import sqlite3

import pytest
from click.testing import CliRunner

from desktop.cli import cli
from review.errors import InvalidInput, NotFound
from review.importing.records import Conversation, Person
from review.importing.writer import store_records
from review.lookup import find_conversation
from review.operations import OPERATIONS, Actor, Call, run
from review.reviewing.reviews import review_of
from review.reviewing.rubrics import current_rubric
from review.store import undo
from review.store.failures import FULL, LOCKED, READ_ONLY, StoreProblem, store_problem

ME = Actor("window-1", "Lena")


def _conversations(db, *external_ids, source="zendesk"):
    store_records(
        db,
        [
            Conversation(source, e, agent=Person(source, "a1", "agent", name="Ana"))
            for e in external_ids
        ],
    )
    return [
        db.execute(
            "select id from conversations where source = ? and external_id = ?", [source, e]
        ).fetchone()[0]
        for e in external_ids
    ]


def test_a_first_rating_is_one_outcome_of_two_steps_undone_together(db):
    [cid] = _conversations(db, "1")
    tone = current_rubric(db).category("tone")
    outcome = run(
        db, ME, Call("rate", {"conversation_id": cid, "category_id": tone.id, "rating": 4})
    )
    assert outcome.changes.conversations == {cid}
    assert {"reviews", "review_ratings"} <= outcome.changes.tables
    assert [s.label for s in outcome.steps] == [
        f"Start review of conversation {cid}",
        "Rate 'Tone and personal touch' 4",
    ]
    assert outcome.label == "Rate 'Tone and personal touch' 4"
    for step in reversed(outcome.steps):
        run(db, ME, Call("undo", {"step_id": step.id}))
    assert review_of(db, cid, "Lena") is None


def test_a_comment_written_as_it_is_typed_is_one_undo_step(db):
    [cid] = _conversations(db, "1")
    tone = current_rubric(db).category("tone")
    args = {"conversation_id": cid, "category_id": tone.id}
    first = run(db, ME, Call("comment", {**args, "text": "War"}))
    later = [run(db, ME, Call("comment", {**args, "text": t})) for t in ("Warm", "Warm reply")]
    assert len(first.steps) == 2  # the review started, then the comment
    assert all(o.steps == () for o in later)  # joined the comment's step
    review = review_of(db, cid, "Lena")
    assert review.ratings[tone.id].comment == "Warm reply"
    run(db, ME, Call("undo", {"step_id": first.steps[-1].id}))
    assert tone.id not in review_of(db, cid, "Lena").ratings  # one undo: the whole comment
    assert undo.undo_label(db, ME.session) == f"Start review of conversation {cid}"


def test_an_outcome_names_the_steps_it_made_live_and_none_it_rolled_back(db):
    [cid] = _conversations(db, "1")
    tone = current_rubric(db).category("tone")
    rate = {"conversation_id": cid, "category_id": tone.id}
    save = {"conversation_id": cid, "mrr": "49", "currency": "USD", "method": "solved"}
    [tagged] = run(db, ME, Call("tag-save", save)).steps
    run(db, ME, Call("rate", {**rate, "rating": 4}))
    second = run(db, ME, Call("rate", {**rate, "rating": 3})).steps
    assert [s.label for s in second] == ["Rate 'Tone and personal touch' 3"]
    assert run(db, ME, Call("undo")).steps == ()
    # redone: the session's latest live step again, so the redo's outcome names it
    assert run(db, ME, Call("redo")).steps == second
    # a step undone from under later ones is not the latest when redone: no new step
    run(db, ME, Call("undo", {"step_id": tagged.id}))
    assert run(db, ME, Call("redo", {"step_id": tagged.id})).steps == ()
    with pytest.raises(InvalidInput):  # refused inside its step: nothing recorded, none named
        run(db, ME, Call("rate", {**rate, "rating": 99}))
    assert undo.undo_label(db, ME.session) == "Rate 'Tone and personal touch' 3"


def test_a_replayed_operation_is_applied_once(db):
    [cid] = _conversations(db, "1")
    call = Call(
        "tag-save", {"conversation_id": cid, "mrr": "49", "currency": "USD", "method": "solved"}
    )
    first = run(db, ME, call, operation_id="journal-entry-1")
    again = run(db, ME, call, operation_id="journal-entry-1")
    assert not first.replayed and again.replayed
    assert db.execute("select count(*) from saves").fetchone() == (1,)


def test_an_operation_refused_by_the_domain_changes_nothing(db):
    [cid] = _conversations(db, "1")
    tone = current_rubric(db).category("tone")
    with pytest.raises(InvalidInput):
        run(db, ME, Call("rate", {"conversation_id": cid, "category_id": tone.id, "rating": 9}))
    assert db.execute("select count(*) from reviews").fetchone() == (0,)
    assert not db.in_transaction
    with pytest.raises(InvalidInput, match="reviewer"):
        run(
            db,
            Actor("s"),
            Call("rate", {"conversation_id": cid, "category_id": tone.id, "rating": 3}),
        )


def test_every_operation_is_named_and_documented():
    assert {"rate", "comment", "overall-comment", "tag-save", "tag-loss", "save-note",
            "build-queue", "undo", "redo", "preferences"} <= set(OPERATIONS)  # fmt: skip
    for name, registered in OPERATIONS.items():
        assert registered.fn.__doc__, name


def test_one_resolver_for_the_command_line_and_the_app(db):
    a, b = _conversations(db, "4512", "77")
    [c] = _conversations(db, "77", source="freshdesk")
    assert find_conversation(db, str(a)) == a
    assert find_conversation(db, "4512") == a  # the helpdesk's id, when only one has it
    assert find_conversation(db, "zendesk:77") == b
    with pytest.raises(InvalidInput, match="names 2 conversations"):
        find_conversation(db, "77")
    with pytest.raises(NotFound):
        find_conversation(db, "zendesk:999")
    assert c


def test_savedesk_review_finds_what_savedesk_tag_save_finds(db, db_path):
    _conversations(db, "4512")
    runner = CliRunner()
    tagged = runner.invoke(
        cli,
        ["tag", "save", "4512", "--mrr", "49", "--currency", "USD", "--method", "solved",
         "--db", str(db_path)],
    )  # fmt: skip
    assert tagged.exit_code == 0, tagged.output
    reviewed = runner.invoke(
        cli, ["review", "4512", "--rate", "tone=4", "--reviewer", "Lena", "--db", str(db_path)]
    )
    assert reviewed.exit_code == 0, reviewed.output
    assert "by Lena" in reviewed.output


@pytest.mark.parametrize(
    ("error", "kind"),
    [
        (sqlite3.OperationalError("database is locked"), LOCKED),
        (sqlite3.OperationalError("database or disk is full"), FULL),
        (sqlite3.OperationalError("attempt to write a readonly database"), READ_ONLY),
        (OSError(28, "No space left on device"), FULL),
    ],
)
def test_a_passing_store_failure_is_one_sentence(error, kind):
    problem = store_problem(error)
    assert problem == StoreProblem(kind)
    sentence = problem.sentence()
    assert sentence.startswith("Not saved yet: ") and sentence.endswith(".")
    assert sentence.count(".") == 1


def test_anything_else_is_not_a_store_failure():
    assert store_problem(ValueError("no")) is None
    assert store_problem(sqlite3.OperationalError("no such table: x")) is None
