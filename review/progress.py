"""The progress value that long jobs yield: a generator that yields these is a cancellable job."""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import dataclass
from typing import TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Progress:
    """`done` of `total` units finished (total 0 = unknown), with a short label for the user;
    `phase` names the part of a job with phases of their own units (an import's "suggestions"
    count conversations where its records count bytes)."""

    done: int
    total: int
    label: str = ""
    phase: str = ""

    @property
    def fraction(self) -> float | None:
        """Share finished in 0..1, or None when the total is unknown."""
        return min(1.0, self.done / self.total) if self.total else None


def run_to_end(job: Generator[Progress, None, T]) -> T:
    """Drive a job generator to its end without reporting progress; return its result."""
    while True:
        try:
            next(job)
        except StopIteration as stop:
            return stop.value
