"""A rating typed and then the process killed (SIGKILL) is still there when the file reopens."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from review.importing.records import Conversation, Person
from review.importing.writer import store_records
from review.reviewing.reviews import get_review, reviews_for_conversation
from review.store import open_store
from review.store.undo import undo_label

CHILD = textwrap.dedent(
    """
    import sys, time
    from review.store import open_store
    from review.reviewing.reviews import rate, start_review, set_overall_comment
    from review.reviewing.rubrics import current_rubric

    db = open_store(sys.argv[1])
    rubric = current_rubric(db)
    review = start_review(db, int(sys.argv[2]), "Lead", session="gui-1")
    rate(db, review.id, rubric.category("tone").id, 4, session="gui-1")
    rate(db, review.id, rubric.category("accuracy").id, 5, session="gui-1")
    print("rated", review.id, flush=True)
    set_overall_comment(db, review.id, "half-way")  # may or may not land before the kill
    time.sleep(60)
    """
)


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_a_rating_survives_sigkill(db_path):
    db = open_store(db_path)
    store_records(
        db, [Conversation("zendesk", "1", agent=Person("zendesk", "a1", "agent", name="Ana"))]
    )
    cid = db.execute("select id from conversations").fetchone()[0]
    db.close()
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(db_path), str(cid)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).resolve().parents[1],
    )
    try:
        line = child.stdout.readline()
        assert line.startswith("rated"), line
        os.kill(child.pid, signal.SIGKILL)
        assert child.wait(timeout=10) == -signal.SIGKILL
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
        child.stdout.close()
    again = open_store(db_path)
    try:
        (review,) = reviews_for_conversation(again, cid)
        assert review.id == int(line.split()[1])
        assert sorted(r.rating for r in review.ratings.values()) == [4, 5]
        # tone 4 on 1-5 (0.75 * 2) and accuracy 5 (1.0 * 3): 100 * 4.5 / 5
        assert get_review(again, review.id).score == 90.0
        assert undo_label(again, "gui-1") == "Rate 'Accuracy and completeness' 5"
    finally:
        again.close()
