"""Run the rules over many conversations and store what they suggest: a job (STYLE.md
section 4) that yields Progress between batches and can be cancelled at any yield.

Each batch is read, scored and written in its own transaction, so the GUI's writes (a rating
typed meanwhile) wait a batch at most, never the whole run; a cancelled run keeps the batches
it finished, each whole. With many conversations the scoring runs in worker processes (one per
core), started with "spawn" so a GUI's threads are never forked.
"""

from __future__ import annotations

import os
from collections.abc import Generator, Iterable, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor
from dataclasses import dataclass
from multiprocessing import get_context
from pathlib import Path

from review.changes import Changes
from review.progress import Progress
from review.reviewing.autoqa.agreement import agreement, store_agreement
from review.reviewing.autoqa.categories import suggest
from review.reviewing.autoqa.conversation import Conversation
from review.reviewing.autoqa.engine import Rules, assess
from review.reviewing.autoqa.phrasebook import phrase_folders
from review.reviewing.autoqa.store import (
    Rows,
    Scored,
    next_ids,
    read_conversations,
    rows_of,
    write_rows,
    write_scored,
)
from review.reviewing.rubrics import Category, current_rubric
from review.store import Store, connect

BATCH = 2000
PARALLEL_FROM = 6000  # conversations: below this, starting workers costs more than it saves
TABLES = ("autoqa_suggestions", "autoqa_scores")
RULES_PER_CONVERSATION = 7  # suggestions a conversation gets under the default rubric, about


@dataclass(frozen=True)
class RunResult:
    """What a run did: conversations scored, suggestions stored, the rule-set version."""

    conversations: int
    suggestions: int
    ruleset: str


def score_batch(
    conversations: Sequence[Conversation], rules: Rules, categories: list[Category]
) -> list[Scored]:
    """Assess and suggest for each conversation (no database)."""
    out = []
    for conversation in conversations:
        assessment = assess(conversation, rules)
        out.append(Scored(assessment, suggest(assessment, categories)))
    return out


def score_conversations(
    db: Store,
    conversation_ids: Iterable[int] | None = None,
    rules: Rules | None = None,
) -> RunResult:
    """Score `conversation_ids` (None: all) on this connection, in the caller's thread, in
    one transaction (the import job's, when it calls this). Returns what it stored."""
    rules = rules or Rules.load(db)
    categories = current_rubric(db).categories
    ids = sorted(set(conversation_ids)) if conversation_ids is not None else None
    done = stored = 0
    with db.atomic():
        for batch in _batches(db, ids):
            scored = score_batch(read_conversations(db, batch), rules, categories)
            stored += write_scored(db, scored, categories, rules.version)
            done += len(batch)
    return RunResult(done, stored, rules.version)


def rescore_job(
    db_path: str | os.PathLike, conversation_ids: Iterable[int], rules: Rules
) -> Generator[Progress, None, RunResult]:
    """Job: score a few conversations (the one a reviewer opened) with rules already loaded,
    on its own connection, in one short transaction; cancelled before it writes, it writes
    nothing."""
    db = connect(db_path)
    try:
        ids = sorted(set(conversation_ids))
        yield Progress(0, len(ids), "Reading the conversation")
        return score_conversations(db, ids, rules)
    finally:
        db.close()


def score_and_measure_job(
    db_path: str | os.PathLike, *, workers: int | None = None, check_spelling: bool = True
) -> Generator[Progress, None, RunResult]:
    """Job: score every conversation (autoqa_job), then measure the rules' agreement with
    people's reviews again and store it (it decides which categories are offered as a score).
    A cancel keeps the batches already scored and the agreement as it was."""
    result = yield from autoqa_job(db_path, workers=workers, check_spelling=check_spelling)
    yield Progress(result.conversations, result.conversations, "Measuring agreement")
    db = connect(db_path)
    try:
        store_agreement(db, agreement(db), result.ruleset)
    finally:
        db.close()
    return result


def _batches(db: Store, ids: list[int] | None) -> Iterable[list[int]]:
    if ids is not None:
        for i in range(0, len(ids), BATCH):
            yield ids[i : i + BATCH]
        return
    after = 0
    while True:
        batch = next_ids(db, after, BATCH)
        if not batch:
            return
        yield batch
        after = batch[-1]


# -- worker processes ----------------------------------------------------------------------

_WORKER: dict = {}


def _start_worker(db_path: str, folders: list[str], churn: list[str], spelling: bool) -> None:
    _WORKER["db"] = connect(db_path)
    _WORKER["rules"] = Rules.load(
        folders=[Path(f) for f in folders],
        churn_folders=[Path(f) for f in churn],
        check_spelling=spelling,
    )


def _work(ids: list[int], categories: list[Category]) -> Rows:
    """In a worker: read, score and turn into rows one batch (the main process writes)."""
    rules = _WORKER["rules"]
    conversations = read_conversations(_WORKER["db"], ids)
    return rows_of(score_batch(conversations, rules, categories), categories, rules.version)


def _pool(db_path: str, rules: Rules, workers: int) -> Executor:
    return ProcessPoolExecutor(
        max_workers=workers,
        mp_context=get_context("spawn"),
        initializer=_start_worker,
        initargs=(
            db_path,
            [str(f) for f in rules.folders],
            [str(f) for f in rules.churn_folders],
            rules.check_spelling,
        ),
    )


def autoqa_job(
    db_path: str | os.PathLike,
    conversation_ids: Iterable[int] | None = None,
    *,
    workers: int | None = None,
    check_spelling: bool = True,
) -> Generator[Progress, None, RunResult]:
    """Job: score `conversation_ids` (None: every conversation) on its own connection,
    storing suggestions batch by batch. `workers` None: one per core when the run is large;
    workers read and score, this process writes."""
    db = connect(db_path)
    try:
        rules = Rules.load(db, folders=phrase_folders(db), check_spelling=check_spelling)
        categories = current_rubric(db).categories
        ids = sorted(set(conversation_ids)) if conversation_ids is not None else None
        total = len(ids) if ids is not None else _count(db)
        yield Progress(0, total, "Reading conversations")
        if workers is None:
            workers = (os.cpu_count() or 1) if total >= PARALLEL_FROM else 1
        pool = _pool(str(db_path), rules, workers) if workers > 1 else None
        done = stored = 0
        try:
            pending: list = []
            for batch in _batches(db, ids):
                if pool is None:
                    scored = score_batch(read_conversations(db, batch), rules, categories)
                    stored += _store(db, rows_of(scored, categories, rules.version))
                    done += len(batch)
                    yield Progress(done, total, f"Scored {done:,} of {total:,}")
                    continue
                pending.append(pool.submit(_work, batch, categories))
                while len(pending) > workers:
                    rows = pending.pop(0).result()
                    stored += _store(db, rows)
                    done += len(rows.conversation_ids)
                    yield Progress(done, total, f"Scored {done:,} of {total:,}")
            for future in pending:
                rows = future.result()
                stored += _store(db, rows)
                done += len(rows.conversation_ids)
                yield Progress(done, total, f"Scored {done:,} of {total:,}")
        except GeneratorExit:  # cancelled: drop what is queued, do not wait for it
            if pool is not None:
                pool.shutdown(wait=False, cancel_futures=True)
                pool = None
            raise
        finally:
            if pool is not None:
                pool.shutdown(wait=True)
        return RunResult(done, stored, rules.version)
    finally:
        db.close()


def _store(db: Store, rows: Rows) -> int:
    with db.atomic():
        return write_rows(db, rows)


def _count(db: Store) -> int:
    return db.execute("select count(*) from conversations").fetchone()[0]


def run_changes(result: RunResult, conversation_ids: Iterable[int] | None = None) -> Changes:
    """What a run changed, for the GUI to refresh."""
    return Changes.of(TABLES, tuple(conversation_ids or ()))
