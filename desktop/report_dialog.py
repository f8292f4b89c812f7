"""A dialog per report (saved revenue, coaching review, quality) and per CSV export: the period,
the agent and team, the paper and the masking of customers, a preview of the first page, and
Save as… The builds run off the GUI thread (desktop/jobs.py) with a progress bar and Cancel.

A PDF is written beside its target under a hidden name and moved into place only when whole,
so a cancelled or failed build leaves no file (and never half-overwrites an older report).
The preview is the built PDF itself in Qt's own viewer (QPdfDocument and QPdfView from
PySide6-Addons, after the pdfviewer example): no poppler, no pypdf, in an installed app too.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QDate, QPointF, QTimer, Signal
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
)

from desktop import errors, settings
from desktop.jobs import JobRunner
from desktop.report_kinds import EXPORTS, LAST_KIND, REPORTS  # noqa: F401 - re-exported
from desktop.settings import Setting
from review.filters import Filters
from review.progress import Progress
from review.reviewing import browse
from review.store import Store

PAPERS = (("a4", "A4"), ("letter", "US Letter"))

PAPER = Setting("reports/paper", "a4")
MASK = Setting("reports/mask", 0)  # 0/1: an int survives every QSettings format
FOLDER = Setting("reports/folder", "")
LAST_AGENT = Setting("reports/agent", 0)
LAST_TEAM = Setting("reports/team", 0)
WHOLE_HISTORY = Setting("reports/whole-history", 1)


@dataclass(frozen=True)
class Preview:
    """A built report to preview: the PDF file and its number of pages."""

    pdf: Path
    pages: int


def preview_job(kind: str, db_path: str, filters: Filters, paper: str, mask: bool, folder: Path,
                agent_id: int | None = None):  # fmt: skip
    """Build the report into `folder` for the preview; returns a Preview."""
    pdf = folder / "preview.pdf"
    from reports.build import build_report  # reportlab loads on first use, not at start-up

    built = yield from build_report(kind, db_path, filters, paper, mask, pdf, agent_id=agent_id)
    return Preview(pdf, built.pages)


def save_job(kind: str, db_path: str, filters: Filters, paper: str, mask: bool, path: Path,
             agent_id: int | None = None):  # fmt: skip
    """Build the report to a hidden file beside `path`, then move it into place."""
    from reports.build import build_report

    partial = path.with_name(f".{path.name}.partial")
    try:
        built = yield from build_report(
            kind, db_path, filters, paper, mask, partial, agent_id=agent_id
        )
        os.replace(partial, path)
        return built.__class__(path, built.pages, built.size_bytes)
    finally:
        if partial.exists():
            partial.unlink()


class ReportDialog(QDialog):
    """The dialog of one report or export. `saved(path)` fires when a file was written."""

    saved = Signal(object)

    def __init__(self, db: Store, db_path: str, kind: str, filters: Filters, parent=None):
        super().__init__(parent)
        self.setObjectName(f"report-dialog-{kind}")
        self.db, self.db_path, self.kind = db, db_path, kind
        self.is_pdf = kind in REPORTS
        self.setWindowTitle(REPORTS.get(kind) or f"Export {EXPORTS[kind].lower()} as CSV")
        self.runner: JobRunner | None = None
        self.preview_runner: JobRunner | None = None
        self.preview: Preview | None = None
        self.last_path: Path | None = None
        self.saving = False  # from Save as… until the build has ended, whichever way
        self._scratch = Path(tempfile.mkdtemp(prefix="savedesk-preview-"))
        self._build_form(filters)
        self._preview_timer = QTimer(self)
        self._preview_timer.setSingleShot(True)
        self._preview_timer.setInterval(500)
        self._preview_timer.timeout.connect(self.update_preview)
        for signal in self._change_signals():
            signal.connect(self._changed)
        self.resize(980 if self.is_pdf else 460, 760 if self.is_pdf else 300)
        if self.is_pdf:
            self._preview_timer.start()

    # --- the form ----------------------------------------------------------------------------
    def _build_form(self, filters: Filters) -> None:
        form = QFormLayout()
        self.whole = QCheckBox("All dates", self)
        self.date_from, self.date_to = QDateEdit(self), QDateEdit(self)
        for edit in (self.date_from, self.date_to):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
        today = QDate.currentDate()
        start = QDate.fromString(filters.date_from or "", "yyyy-MM-dd")
        end = QDate.fromString(filters.date_to or "", "yyyy-MM-dd")
        self.date_from.setDate(start if start.isValid() else today.addDays(-29))
        self.date_to.setDate(end if end.isValid() else today)
        dated = bool(filters.date_from or filters.date_to)
        self.whole.setChecked(not dated and bool(settings.get(WHOLE_HISTORY)))
        self.whole.toggled.connect(self._dates_enabled)
        period = QHBoxLayout()
        period.addWidget(QLabel("From", self))
        period.addWidget(self.date_from)
        period.addWidget(QLabel("to", self))
        period.addWidget(self.date_to)
        period.addWidget(self.whole)
        period.addStretch(1)
        form.addRow("Period", period)
        self.agent = QComboBox(self)
        self.agent.setObjectName("report-agent")
        if self.kind != "coaching":
            self.agent.addItem("All agents", None)
        for agent in browse.agents(self.db, counted=False):
            self.agent.addItem(agent.name, agent.id)
        self.team = QComboBox(self)
        self.team.setObjectName("report-team")
        self.team.addItem("All teams", None)
        for team in browse.teams(self.db, counted=False):
            self.team.addItem(team.name, team.all_ids)
        agent = filters.agent_ids[0] if len(filters.agent_ids) == 1 else None
        if agent is None and self.kind == "coaching":
            agent = settings.get(LAST_AGENT) or None
        self._choose(self.agent, agent)
        team = tuple(filters.team_ids) or None
        self._choose(self.team, team)
        form.addRow("Agent", self.agent)
        form.addRow("Team", self.team)
        self.paper = QComboBox(self)
        for key, name in PAPERS:
            self.paper.addItem(name, key)
        self._choose(self.paper, settings.get(PAPER))
        self.mask = QCheckBox("Mask customers' names, e-mail addresses and phone numbers", self)
        self.mask.setChecked(bool(settings.get(MASK)))
        if self.is_pdf:
            form.addRow("Paper", self.paper)
            form.addRow("Privacy", self.mask)
        else:
            self.paper.hide()
            self.mask.hide()

        self.document = QPdfDocument(self)
        self.preview_area = QPdfView(self)
        self.preview_area.setObjectName("report-preview")
        self.preview_area.setDocument(self.document)
        self.preview_area.setPageMode(QPdfView.PageMode.MultiPage)
        self.preview_area.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.preview_area.setVisible(self.is_pdf)
        self.preview_note = QLabel(self)  # "Building the preview…", or why there is none
        self.preview_note.setObjectName("report-preview-note")
        self.preview_note.setWordWrap(True)

        self.progress = QProgressBar(self)
        self.progress.setObjectName("report-progress")
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.progress.hide()  # shown while a file is being written
        self.status = QLabel(self)
        self.status.setObjectName("report-status")
        self.save_button = QPushButton("Save as…", self)
        self.save_button.setObjectName("report-save")
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.ask_save)
        self.cancel_button = QPushButton("Close", self)  # "Cancel" while a file is written
        self.cancel_button.setObjectName("report-cancel")
        self.cancel_button.clicked.connect(self.cancel_or_close)
        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.cancel_button)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.preview_note)
        layout.addWidget(self.preview_area, 1)
        layout.addWidget(self.progress)
        layout.addLayout(buttons)
        self._dates_enabled(self.whole.isChecked())

    def _change_signals(self):
        return (
            self.date_from.dateChanged,
            self.date_to.dateChanged,
            self.whole.toggled,
            self.agent.currentIndexChanged,
            self.team.currentIndexChanged,
            self.paper.currentIndexChanged,
            self.mask.toggled,
        )

    @staticmethod
    def _choose(combo: QComboBox, value) -> None:
        index = combo.findData(value)
        if index >= 0:
            combo.setCurrentIndex(index)

    def _dates_enabled(self, whole: bool) -> None:
        self.date_from.setEnabled(not whole)
        self.date_to.setEnabled(not whole)

    def filters(self) -> Filters:
        """The report's filters as chosen in the form."""
        agent, team = self.agent.currentData(), self.team.currentData()
        dates = {}
        if not self.whole.isChecked():
            dates = {
                "date_from": self.date_from.date().toString("yyyy-MM-dd"),
                "date_to": self.date_to.date().toString("yyyy-MM-dd"),
            }
        return Filters(
            agent_ids=(agent,) if agent is not None else (),
            team_ids=tuple(team) if team is not None else (),
            **dates,
        )

    def paper_key(self) -> str:
        """ "a4" or "letter"."""
        return self.paper.currentData()

    def _remember(self) -> None:
        settings.put(LAST_KIND, self.kind)
        settings.put(WHOLE_HISTORY, int(self.whole.isChecked()))
        if self.is_pdf:
            settings.put(PAPER, self.paper_key())
            settings.put(MASK, int(self.mask.isChecked()))
        if self.kind == "coaching" and self.agent.currentData() is not None:
            settings.put(LAST_AGENT, self.agent.currentData())

    def _job_args(self) -> tuple:
        return (self.kind, self.db_path, self.filters(), self.paper_key(), self.mask.isChecked())

    # --- preview -----------------------------------------------------------------------------
    def _changed(self, *_args) -> None:
        if self.is_pdf:
            self.preview_note.setText("Updating the preview…")
            self._preview_timer.start()

    def update_preview(self) -> JobRunner | None:
        """Build the report to a scratch file off the GUI thread and show its first page."""
        if not self.is_pdf or not self._scratch.is_dir():
            return None  # not a PDF, or the dialog is closed
        if self.preview_runner is not None and self.preview_runner.is_running():
            self.preview_runner.cancel()
        folder = Path(tempfile.mkdtemp(dir=self._scratch))
        args = self._job_args()
        agent = self.agent.currentData()
        runner = JobRunner(lambda: preview_job(*args, folder, agent_id=agent), self)
        runner.finished.connect(self._if_current("preview_runner", runner, self._show_preview))
        runner.failed.connect(self._if_current("preview_runner", runner, self._preview_failed))
        self.preview_runner = runner
        self.preview_note.setText("Building the preview…")
        runner.start()
        return runner

    def _if_current(self, attribute: str, runner: JobRunner, slot):
        """`slot`, run only while `runner` is still the dialog's `attribute` runner: an older
        preview, or a cancelled build, can signal after the next one has started."""
        return lambda *args: slot(*args) if getattr(self, attribute) is runner else None

    def _show_preview(self, preview: Preview) -> None:
        self.document.close()
        error = self.document.load(str(preview.pdf))
        if error != QPdfDocument.Error.None_:
            self.preview = None
            self.preview_note.setText(f"The preview cannot be shown ({error.name}).")
            return
        self.preview = preview
        self.preview_area.pageNavigator().jump(0, QPointF(), self.preview_area.zoomFactor())
        pages = f"{preview.pages} page{'s' if preview.pages != 1 else ''}"
        self.preview_note.setText("")
        self.status.setText(f"Preview: page 1 of {pages}")

    def _preview_failed(self, exc: BaseException) -> None:
        self.preview_note.setText(errors.message_for(exc)[0])

    # --- saving ------------------------------------------------------------------------------
    def suggested_name(self) -> str:
        """A file name for the report: kind, period and the right extension."""
        f = self.filters()
        period = f"_{f.date_from}_{f.date_to}" if f.date_from else ""
        return f"{self.kind}{period}.{'pdf' if self.is_pdf else 'csv'}"

    def ask_save(self) -> JobRunner | None:
        """Ask where to save, then build there off the GUI thread (the returned runner)."""
        folder = settings.get(FOLDER) or str(Path.home())
        kind = "PDF files (*.pdf)" if self.is_pdf else "CSV files (*.csv)"
        path, _ = QFileDialog.getSaveFileName(
            self, "Save as", str(Path(folder) / self.suggested_name()), kind
        )
        if not path:
            return None
        settings.put(FOLDER, str(Path(path).parent))
        return self.save_to(Path(path))

    def save_to(self, path: Path) -> JobRunner:
        """Build the report or export into `path`; progress in the bar, Cancel stops it."""
        self._remember()
        if self.is_pdf:
            args, agent = self._job_args(), self.agent.currentData()
            runner = JobRunner(lambda: save_job(*args, path, agent_id=agent), self)
        else:
            db_path, kind, filters = self.db_path, self.kind, self.filters()
            from reports.csv_export import export_job

            runner = JobRunner(lambda: export_job(db_path, kind, path, filters), self)
        for signal, slot in (
            (runner.progress, self._on_progress),
            (runner.finished, lambda _result: self._on_saved(path)),
            (runner.failed, self._on_failed),
            (runner.cancelled, self._on_cancelled),
            (runner.ended, self._on_ended),
        ):
            signal.connect(self._if_current("runner", runner, slot))
        self.runner = runner
        self.saving = True
        self.save_button.setEnabled(False)
        self.cancel_button.setText("Cancel")
        self.progress.show()
        self.progress.setRange(0, 0)
        self.status.setText("Starting…")
        runner.start()
        return runner

    def _on_progress(self, step: Progress) -> None:
        if step.total:
            self.progress.setRange(0, step.total)
            self.progress.setValue(step.done)
        else:
            self.progress.setRange(0, 0)
        self.status.setText(step.label)

    def _on_saved(self, path: Path) -> None:
        self.last_path = path
        self.progress.setRange(0, 1)
        self.progress.setValue(1)
        self.status.setText(f"Saved {path.name}")
        self.saved.emit(path)

    def _on_failed(self, exc: BaseException) -> None:
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.status.setText("Not saved")
        errors.show_error(self, exc, "The report was not saved")

    def _on_cancelled(self) -> None:
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.status.setText("Cancelled: nothing was saved")

    def _on_ended(self) -> None:
        self.saving = False
        self.save_button.setEnabled(True)
        self.cancel_button.setText("Close")

    def cancel_or_close(self) -> None:
        """Cancel the build under way, or close the dialog when nothing runs."""
        if self.saving and self.runner is not None:
            self.runner.cancel()  # a second press before the build has stopped changes nothing
        else:
            self.reject()

    def done(self, result: int) -> None:
        self._preview_timer.stop()
        self.document.close()  # the scratch file goes next
        for runner in (self.runner, self.preview_runner):
            if runner is not None and runner.is_running():
                runner.cancel()
                runner.wait(30)
        shutil.rmtree(self._scratch, ignore_errors=True)
        super().done(result)
