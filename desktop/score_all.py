"""Review > Score every conversation: the automatic rules over the whole database, off the GUI
thread, with a progress dialog whose Cancel keeps the batches already scored (each whole), then
the rules' agreement with people's reviews measured again (it decides which categories are
offered as a score). People's ratings are never touched.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QProgressDialog

from desktop import errors
from desktop.job_progress import SCALE as _SCALE
from desktop.job_progress import job_progress_dialog
from desktop.jobs import JobRunner
from review.progress import Progress


class ScoreAll(QObject):
    """Runs the rules over every conversation of `window`'s database."""

    done = Signal(object)  # RunResult, or None when cancelled or failed

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.runner: JobRunner | None = None
        self.progress_dialog: QProgressDialog | None = None

    def start(self) -> None:
        """Start the run (once at a time) with its progress dialog."""
        w = self.window
        if self.runner is not None:
            return
        if getattr(w, "read_only", False):
            w.statusBar().showMessage("This database is open read-only: nothing can be scored.")
            return
        from review.reviewing.autoqa.run import score_and_measure_job

        db_path = w.db_path
        self.runner = JobRunner(lambda: score_and_measure_job(db_path), self)
        self.progress_dialog = job_progress_dialog(
            self.runner, w, "Loading the rules…", "Scoring every conversation", "autoqa-progress"
        )
        self.runner.progress.connect(self._on_progress)
        self.runner.finished.connect(self._on_finished)
        self.runner.failed.connect(self._on_failed)
        self.runner.cancelled.connect(self._on_cancelled)
        self.runner.ended.connect(self._ended)
        self.runner.start()

    def _on_progress(self, step: Progress) -> None:
        dialog = self.progress_dialog
        if dialog is None or dialog.wasCanceled():
            return
        dialog.setLabelText(step.label or "Scoring…")
        if step.fraction is not None:
            dialog.setValue(int(step.fraction * _SCALE))

    def _close_progress(self) -> None:
        if self.progress_dialog is not None:
            self.progress_dialog.canceled.disconnect()
            self.progress_dialog.close()
            self.progress_dialog.deleteLater()
            self.progress_dialog = None

    def _refresh(self) -> None:
        # the suggestions shown (and the lowest-auto-score queues) follow the new rows
        self.window.review_panel.refresh()

    def _on_finished(self, result) -> None:
        self._close_progress()
        self._refresh()
        self.window.statusBar().showMessage(
            f"Scored {result.conversations:,} conversations automatically: "
            f"{result.suggestions:,} suggestions (rules {result.ruleset}); "
            "agreement with your reviewers measured again."
        )
        self.done.emit(result)

    def _on_failed(self, exc: BaseException) -> None:
        self._close_progress()
        self._refresh()
        errors.show_error(self.window, exc, "Scoring failed")
        self.done.emit(None)

    def _on_cancelled(self) -> None:
        self._close_progress()
        self._refresh()
        self.window.statusBar().showMessage(
            "Scoring cancelled: the conversations scored so far keep their suggestions."
        )
        self.done.emit(None)

    def _ended(self) -> None:
        self.runner = None
