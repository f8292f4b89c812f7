"""Churn-signal precision and recall on the demo data, conversation by conversation.

The demo generator records each conversation's scenario (resources/demo/story.json); the ones
that end saved or lost are the conversations where the customer meant to leave. A conversation
counts as flagged when any of its customer messages carries a churn signal.
"""

from __future__ import annotations

import json

import pytest

from review.demo import demo_folder
from review.store import connect


@pytest.fixture
def demo(demo_copy):
    db = connect(demo_copy)  # read only
    yield db
    db.close()


def test_churn_signals_find_the_customers_who_meant_to_leave(demo):
    story = json.loads((demo_folder() / "story.json").read_text(encoding="utf-8"))
    counts = {"tp": 0, "fp": 0, "fn": 0, "tn": 0}
    rows = demo.execute(
        "select c.source, c.external_id, "
        "exists(select 1 from churn_signals s where s.conversation_id = c.id) from conversations c"
    ).fetchall()
    for source, external_id, flagged in rows:
        meant_to_leave = story["scenarios"][f"{source}:{external_id}"].endswith(("_saved", "_lost"))
        key = ("t" if flagged == meant_to_leave else "f") + ("p" if flagged else "n")
        counts[key] += 1
    precision = counts["tp"] / (counts["tp"] + counts["fp"])
    recall = counts["tp"] / (counts["tp"] + counts["fn"])
    print(
        f"\nchurn signals on {len(rows)} demo conversations: precision {precision:.3f}, "
        f"recall {recall:.3f} ({counts})"
    )
    assert counts["tp"] + counts["fn"] == 137  # 137 conversations end saved or lost
    assert precision >= 0.95
    assert recall >= 0.9
