"""The progress dialog of a long job: window-modal, shown after 200 ms, left open at 100% until
the job's own end closes it, and its Cancel asks the job to stop."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QProgressDialog, QWidget

from desktop.jobs import JobRunner

SCALE = 1000  # the dialog's range: a job's fraction times this


def job_progress_dialog(
    runner: JobRunner, parent: QWidget, label: str, title: str, name: str
) -> QProgressDialog:
    """A progress dialog over `parent` for `runner`, its Cancel wired to the runner's cancel."""
    progress = QProgressDialog(label, "Cancel", 0, SCALE, parent)
    progress.setObjectName(name)
    progress.setWindowTitle(title)
    progress.setWindowModality(Qt.WindowModality.WindowModal)
    progress.setMinimumDuration(200)
    progress.setAutoClose(False)
    progress.setAutoReset(False)
    progress.setValue(0)
    progress.canceled.connect(runner.cancel)
    return progress
