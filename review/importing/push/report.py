"""What a push did (or, dry, would do): counts by kind of record and outcome, like an import's
ledger, and every record the push could not write as it stood, named."""

from __future__ import annotations

from dataclasses import dataclass, field

ADDED = "added"
ALREADY = "already there"
UPDATED = "updated"
KEPT_NEWER = "kept (the team store's is newer)"
KEPT_CHANGED = "kept (changed on the team store since the last push)"
CONFLICT = "conflict (changed on the laptop and on the team store since the last push)"
REFUSED = "refused by the server (not yours: another team's)"
# outcomes a --strict push does not accept: something of the lead's work would stay behind
NOT_WRITTEN = ("conflict", "refused", "left out")


@dataclass
class PushReport:
    """What a push did (or, dry, would do), by kind of record; `named` says which record each
    refusal, conflict and record left out was, one line each."""

    reviewer: str
    dry_run: bool = False
    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    named: list[str] = field(default_factory=list)

    def add(self, kind: str, outcome: str, n: int = 1) -> None:
        """Count `n` records of `kind` with `outcome` (added, already there, ...)."""
        by = self.counts.setdefault(kind, {})
        by[outcome] = by.get(outcome, 0) + n

    def add_named(self, kind: str, outcome: str, record: str) -> None:
        """Count one record of `kind` with `outcome` and name it among the records that need
        a person's eye (refused, in conflict, left out)."""
        self.add(kind, outcome)
        self.named.append(f"{record}: {outcome}")

    def get(self, kind: str, outcome: str) -> int:
        """How many records of `kind` had `outcome`."""
        return self.counts.get(kind, {}).get(outcome, 0)

    def not_written(self) -> list[str]:
        """The named records a --strict push refuses to leave behind."""
        return [n for n in self.named if n.split(": ", 1)[1].startswith(NOT_WRITTEN)]

    def lines(self) -> list[str]:
        """The report as a person reads it: one line per kind of record, then the records
        that were not written as they stand on the laptop, by name."""
        head = "Would push" if self.dry_run else "Pushed"
        out = [f"{head} as {self.reviewer}:"]
        for kind, outcomes in self.counts.items():
            parts = ", ".join(f"{n} {outcome}" for outcome, n in outcomes.items() if n)
            out.append(f"  {kind}: {parts or 'none'}")
        if self.named:
            out.append("Records to look at:")
            out += [f"  {line}" for line in self.named]
        if self.dry_run:
            out.append("Dry run: nothing was written.")
        return out
