"""Pushing a lead's laptop database into the team store: `savedesk push FILE.db URL`.

Everything goes in one transaction on the team store, or nothing does. Conversations (with
their people and messages) are merged by helpdesk id (helpdesk.py). Then the lead's own work,
which becomes the pushing login's (or, pushed by an admin, the `--as` login's): reviews
(reviews.py), the tags they added, saved and lost customers (retention.py) and coaching notes
with their versions, review references and action items (coaching.py). Each goes on once:
pushing again adds nothing; a record changed on the laptop since updates the team store's when
that is still as the last push left it, and is a conflict, never an overwrite, when a colleague
changed it since (merge.py). A record the server refuses (another team's) is counted and named,
not pushed. The report reads like an import's ledger (report.py).
"""

from __future__ import annotations

from review.errors import SavedeskError
from review.importing.push.coaching import push_notes
from review.importing.push.context import Pushing
from review.importing.push.helpdesk import push_conversations, push_people
from review.importing.push.report import PushReport
from review.importing.push.retention import push_losses, push_saves, push_tags
from review.importing.push.reviews import push_reviews, push_rubrics
from review.store import Store
from review.store.rights import acting_as, may_import

__all__ = ["PushReport", "PushRefused", "push"]

PEOPLE = ("teams", "agents", "customers")


class PushRefused(SavedeskError):
    """A --strict push that would have left some of the lead's work behind: nothing was written."""

    def __init__(self, report: PushReport):
        self.report = report
        left = report.not_written()
        shown = "; ".join(left[:5]) + (f"; and {len(left) - 5} more" if len(left) > 5 else "")
        super().__init__(
            f"The push was not made (--strict): {len(left)} record(s) would not go on as they "
            f"are on the laptop: {shown}. Nothing was written."
        )


class _DryRun(Exception):
    """Raised at the end of a dry run to undo the whole transaction."""


def push(
    source: Store,
    target: Store,
    *,
    as_login: str | None = None,
    dry_run: bool = False,
    strict: bool = False,
) -> PushReport:
    """Push the laptop store `source` into the team store `target`; the PushReport. A dry run
    does all of it and then rolls back, so its counts are the push's. `strict`: a record
    refused, in conflict or left out makes the whole push fail (PushRefused) and write nothing."""
    report = PushReport(reviewer="")
    try:
        with target.atomic():
            report.reviewer = acting_as(target, as_login)
            report.dry_run = dry_run
            pushing = Pushing(source, target, report)
            importing = may_import(target)
            ids: dict[str, dict[int, int | None]] = {}
            for table in PEOPLE:
                ids[table] = push_people(source, target, table, importing, report, ids.get("teams"))
            pushing.agents = ids["agents"]
            pushing.conversations = push_conversations(source, target, ids, importing, report)
            push_reviews(pushing, push_rubrics(pushing, importing))
            push_tags(pushing)
            push_saves(pushing)
            push_losses(pushing)
            push_notes(pushing)
            if strict and report.not_written():
                raise PushRefused(report)
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    return report
