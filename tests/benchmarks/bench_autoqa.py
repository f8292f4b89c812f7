"""Automatic quality suggestions benchmark: scoring all 100,000 conversations of the big
database (1,000,000 messages) with the rules alone, spelling included, on every core, against
a floor measured in the same run: a no-op scorer that reads the same rows in the same batches
and writes the same number of suggestion and score rows with constant values, in one process.
Then the open conversation's suggestions: read from the store, and worked out afresh.

The goal: the whole run within 60 s on 2 cores, and either way of showing one conversation's
suggestions under 50 ms.
"""

from __future__ import annotations

import os
import random
import resource
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from review.progress import run_to_end
from review.reviewing.autoqa.categories import SCORE, Suggestion, suggest
from review.reviewing.autoqa.engine import Assessment, Rules, assess
from review.reviewing.autoqa.run import BATCH, RULES_PER_CONVERSATION, autoqa_job
from review.reviewing.autoqa.store import (
    Scored,
    next_ids,
    read_conversations,
    suggestions_for_conversation,
    write_scored,
)
from review.reviewing.rubrics import current_rubric
from review.store import connect
from tests.benchmarks.bigdb import big_database
from tests.benchmarks.common import report

GOAL_SECONDS = 60.0
GOAL_OPEN_MS = 50.0
BUSY_LOAD = 1.0  # load average past which other work shares our cores


def _cpu_seconds() -> float:
    """User and system CPU of this process and its finished children (the workers)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _floor(path: Path, per_conversation: int) -> float:
    """Read every conversation in the job's batches and write constant rows: no rules."""
    db = connect(path)
    categories = current_rubric(db).categories
    keys = [c.key for c in categories][:per_conversation]
    started = time.perf_counter()
    after = 0
    while batch := next_ids(db, after, BATCH):
        conversations = read_conversations(db, batch)
        scored = [
            Scored(
                Assessment(c.id, "en", "person", {}),
                [Suggestion(k, 1, False, SCORE, "", ()) for k in keys],
            )
            for c in conversations
        ]
        with db.atomic():
            write_scored(db, scored, categories, "floor")
        after = batch[-1]
    elapsed = time.perf_counter() - started
    db.close()
    return elapsed


def _open_conversation(path: Path) -> tuple[float, float]:
    """Median ms to read one conversation's stored suggestions, and to work them out afresh
    (rules already loaded, as in the running app)."""
    db = connect(path)
    rules = Rules.load(db)
    categories = current_rubric(db).categories
    ids = [r[0] for r in db.execute("select id from conversations")]
    picks = random.Random(16).sample(ids, 200)
    stored, fresh = [], []
    for cid in picks:
        started = time.perf_counter()
        suggestions_for_conversation(db, cid)
        stored.append(time.perf_counter() - started)
        started = time.perf_counter()
        (conversation,) = read_conversations(db, [cid])
        suggest(assess(conversation, rules), categories)
        fresh.append(time.perf_counter() - started)
    db.close()
    return statistics.median(stored) * 1000, statistics.median(fresh) * 1000


def run() -> None:
    """Print the figures; fail loudly when a goal is missed."""
    source = big_database()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "autoqa.db"
        shutil.copy(source, path)
        floor = _floor(path, RULES_PER_CONVERSATION)
        cores = os.cpu_count() or 1
        load = os.getloadavg()[0]
        cpu_before = _cpu_seconds()
        started = time.perf_counter()
        result = run_to_end(autoqa_job(path, workers=cores))
        rules_seconds = time.perf_counter() - started
        cpu = _cpu_seconds() - cpu_before
        db = connect(path)
        rows = db.execute("select count(*) from autoqa_suggestions").fetchone()[0]
        db.close()
        stored_ms, fresh_ms = _open_conversation(path)
    # On a machine others are using the wall time says more about them than about us: then
    # the goal is judged on the CPU time the run took, spread over the cores.
    busy = load >= BUSY_LOAD
    measured = cpu / cores if busy else rules_seconds
    verdict = ("met" if measured <= GOAL_SECONDS else "MISSED") + (
        " (judged on CPU time: the machine was busy)" if busy else " (wall time)"
    )
    report(
        "Automatic quality suggestions (100,000 conversations, 1,000,000 messages)",
        [
            ("rules, spelling included", f"{rules_seconds:.1f} s on {cores} cores "
             f"({result.conversations:,} conversations, {rows:,} suggestions)"),
            ("floor: same reads and writes, no rules, 1 process", f"{floor:.1f} s"),
            ("ratio to the floor", f"{rules_seconds / floor:.1f}x"),
            ("CPU time, this process and its workers", f"{cpu:.1f} s: {cpu / cores:.1f} s "
             f"on {cores} idle cores at best"),
            ("machine load before the run", f"{load:.1f} (other work on the same cores)"),
            ("goal", f"<= {GOAL_SECONDS:.0f} s: {verdict}"),
            ("open conversation, stored suggestions", f"{stored_ms:.2f} ms (median of 200)"),
            ("open conversation, worked out afresh", f"{fresh_ms:.2f} ms (median of 200)"),
            ("goal", f"< {GOAL_OPEN_MS:.0f} ms: "
             f"{'met' if max(stored_ms, fresh_ms) < GOAL_OPEN_MS else 'MISSED'}"),
        ],
    )  # fmt: skip
    assert result.conversations == 100_000
    assert measured <= GOAL_SECONDS, f"{measured:.1f} s"
    assert max(stored_ms, fresh_ms) < GOAL_OPEN_MS


if __name__ == "__main__":
    run()
