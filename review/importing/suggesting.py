"""The import's second phase: automatic quality suggestions (issue #16) for the conversations
the import touched, once its records are committed.

The rules are loaded once per import (review.reviewing.autoqa.engine.Rules); conversations are
scored a batch at a time, each batch in its own transaction, so a cancel during this phase
keeps the import and every whole batch of suggestions already written (the rest can be scored
later with `savedesk autoqa run`). A failure here is one sentence in the ledger: the import
itself stays. The phase's figures are stored with the import's ledger.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Generator, Iterator
from dataclasses import asdict, dataclass

from review.progress import Progress
from review.store import Store

PHASE = "suggestions"  # Progress.phase of this phase's reports
LABEL = "Automatic quality suggestions"
BATCH = 2000  # conversations scored per transaction

_TOUCHED = (
    "from conversations c where c.last_import_id in "
    "(select i.id from imports i where i.run_id = :run)"
)


@dataclass
class SuggestionsPhase:
    """What the suggestions phase of an import did. `status`: running, done, cancelled
    (whole batches kept), failed (`error` says why), or off (not asked for)."""

    status: str = "running"
    total: int = 0  # conversations the import added or changed
    conversations: int = 0  # of them scored
    suggestions: int = 0  # suggestions stored
    ruleset: str | None = None
    seconds: float = 0.0
    error: str | None = None

    def as_dict(self) -> dict:
        """Plain data for --json and the stored ledger."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict | None) -> SuggestionsPhase | None:
        """The phase `as_dict` gave (None for an import stored before there was one)."""
        if not data:
            return None
        known = {k: data[k] for k in cls.__dataclass_fields__ if k in data}
        return cls(**known)

    def sentence(self) -> str:
        """One sentence for the ledger's surfaces (CLI, GUI, history)."""
        scored = f"{self.conversations:,} of {self.total:,} conversations scored"
        stored = f"{self.suggestions:,} suggestions stored"
        if self.status == "off":
            return f"{LABEL}: not run (savedesk autoqa run scores them later)."
        if self.status == "failed":
            return f"{LABEL} failed after {scored}: {self.error}"
        if self.status == "cancelled":
            return (
                f"{LABEL} stopped: {scored}, {stored}; the import is kept "
                "(savedesk autoqa run scores the rest)."
            )
        if self.status == "running":
            return f"{LABEL}: not finished ({scored})."
        if not self.total:
            return f"{LABEL}: no conversation added or changed, none to score."
        return f"{LABEL}: {scored}, {stored} in {self.seconds:,.1f} s (rules {self.ruleset})."


def touched_count(db: Store, run_id: int) -> int:
    """Conversations the import `run_id` added or changed."""
    return db.execute(f"select count(*) {_TOUCHED}", {"run": run_id}).fetchone()[0]


def touched_batches(db: Store, run_id: int, size: int = BATCH) -> Iterator[list[int]]:
    """Their ids in ascending batches (read a batch at a time: nothing kept per conversation)."""
    after = 0
    while True:
        batch = [
            row[0]
            for row in db.execute(
                f"select c.id {_TOUCHED} and c.id > :after order by c.id limit :size",
                {"run": run_id, "after": after, "size": size},
            )
        ]
        if not batch:
            return
        yield batch
        after = batch[-1]


def suggest_for_import(
    db: Store, run_id: int, phase: SuggestionsPhase, store: Callable[[], None]
) -> Generator[Progress, None, None]:
    """Score the conversations import `run_id` touched, filling `phase` as it goes; `store()`
    keeps the ledger (called when the phase ends, however it ends). Closing the generator
    (cancel) stops after the last whole batch."""
    from review.reviewing.autoqa.engine import Rules
    from review.reviewing.autoqa.run import score_conversations

    started = time.perf_counter()
    try:
        phase.total = touched_count(db, run_id)
        if not phase.total:
            phase.status = "done"
            return
        yield Progress(0, phase.total, f"{LABEL}: loading the rules", PHASE)
        rules = Rules.load(db)  # once per import; spelling dictionaries load on first use
        phase.ruleset = rules.version
        for batch in touched_batches(db, run_id, BATCH):
            result = score_conversations(db, batch, rules)  # one transaction per batch
            phase.conversations += result.conversations
            phase.suggestions += result.suggestions
            phase.seconds = time.perf_counter() - started
            yield Progress(
                phase.conversations,
                phase.total,
                f"{LABEL}: {phase.conversations:,} of {phase.total:,} conversations scored",
                PHASE,
            )
        phase.status = "done"
    except (GeneratorExit, KeyboardInterrupt):  # cancel, or Ctrl+C on the command line
        phase.status = "cancelled"
        raise
    except Exception as exc:  # noqa: BLE001 - the import is committed: it stays, the phase says why
        phase.status = "failed"
        phase.error = " ".join(f"{type(exc).__name__}: {exc}".split())
    finally:
        phase.seconds = time.perf_counter() - started
        store()


def store_phase(db: Store, run_id: int, ledger: dict) -> None:
    """Keep the import's ledger, suggestions phase included, in the import history."""
    with db.atomic():
        db.execute(
            "update import_runs set ledger = :ledger where id = :id",
            {"ledger": json.dumps(ledger, ensure_ascii=False), "id": run_id},
        )
