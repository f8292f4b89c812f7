"""Every user action as one function in review/: (store, actor, ...) -> Outcome(changes, undo
steps, label). The app runs them through one runner (desktop/operation_runner.py); the command
line runs the same ones with `run`. See review.operations.core for the shape; the modules that
define the operations load when the first one runs (not at start-up)."""

from __future__ import annotations

from review.operations.core import OPERATIONS, Actor, Call, Outcome, perform, run, was_applied

__all__ = ["OPERATIONS", "Actor", "Call", "Outcome", "perform", "run", "was_applied"]
