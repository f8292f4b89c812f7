"""Edit > Preferences… (Ctrl+,): the reviewer's name and the review's domain settings.

The reviewer's name belongs to this user and machine (QSettings, desktop/settings.py); the rest
belongs to the review and is written through review.retention.billing: base currency and exchange rates,
the days a save must stay paying before it is confirmed, the team's churn-phrase folder. Every
field is checked as it is typed and refused in place with the reason; OK stays off until all are
acceptable. OK writes in one transaction and emits `saved(Changes)`; Cancel and Escape write
nothing (and stop a churn detection still running, which then rolls back).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop import errors, settings
from desktop.jobs import JobRunner
from desktop.tag_dialogs import CURRENCIES
from review.changes import Changes
from review.errors import InvalidInput
from review.operations import Actor, Call, run
from review.retention.churn import SETTING_FOLDER, detect_churn_signals_job, phrase_folders
from review.retention.money import check_currency, parse_rate
from review.retention.settings import (
    confirmation_days,
    exchange_rates,
    get_setting,
)
from review.store import Store
from review.store.undo import DEFAULT_SESSION

MIN_DAYS, MAX_DAYS = 1, 365
NO_BASE = ""  # base currency left empty: totals stay per currency
_ERROR_STYLE = "color: #c62828;"


def _problem(label: QLabel, text: str | None) -> None:
    label.setText(text or "")
    label.setVisible(bool(text))


class _RateRow:
    """One CODE -> rate line of the rates table, its problem shown beneath it."""

    def __init__(self, dialog: PreferencesDialog, code: str = "", rate: str = ""):
        n = dialog.rate_count()
        self.code = QLineEdit(code, dialog)
        self.code.setObjectName(f"rate-code-{n}")
        self.code.setPlaceholderText("EUR")
        self.code.setMaxLength(3)
        self.rate = QLineEdit(rate, dialog)
        self.rate.setObjectName(f"rate-{n}")
        self.rate.setPlaceholderText("base units per unit, e.g. 1.08")
        self.remove = QToolButton(dialog)
        self.remove.setText("−")
        self.remove.setToolTip("Remove this rate")
        self.problem = QLabel(dialog)
        self.problem.setObjectName(f"rate-problem-{n}")
        self.problem.setStyleSheet(_ERROR_STYLE)
        self.problem.setWordWrap(True)
        self.problem.hide()
        for edit in (self.code, self.rate):
            edit.textChanged.connect(lambda _: dialog.check())
        self.remove.clicked.connect(lambda: dialog.remove_rate(self))

    def widgets(self) -> tuple[QWidget, ...]:
        return (self.code, self.rate, self.remove, self.problem)

    def empty(self) -> bool:
        return not self.code.text().strip() and not self.rate.text().strip()


class PreferencesDialog(QDialog):
    """The preferences of `db` (at `db_path`, for the churn job's own connection).

    `saved(Changes)` fires after OK wrote; `detection_started(JobRunner)` when "Detect churn
    signals again" starts its job, so the window can refresh when it finishes.
    """

    saved = Signal(object)  # Changes
    detection_started = Signal(object)  # JobRunner

    def __init__(self, db: Store, db_path: str | os.PathLike, parent=None):
        super().__init__(parent)
        self.setObjectName("preferences-dialog")
        self.setWindowTitle("Preferences")
        self.setMinimumWidth(520)
        self.db = db
        self.db_path = str(db_path)
        self.changes: Changes | None = None
        self.runner: JobRunner | None = None
        self.perform: Callable[..., object] | None = None  # WindowOperations.perform
        self.rows: list[_RateRow] = []
        base, rates = exchange_rates(db)
        self._stored = (
            base or NO_BASE,
            {c: r for c, r in rates.items() if c != base},
            confirmation_days(db),
            get_setting(db, SETTING_FOLDER) or "",
        )
        form = QFormLayout(self)

        self.reviewer = QLineEdit(str(settings.get(settings.REVIEWER) or ""), self)
        self.reviewer.setObjectName("reviewer")
        self.reviewer.setPlaceholderText("written on every review you make")
        form.addRow("Your name as a reviewer", self.reviewer)

        form.addRow(QLabel("<b>Totals across currencies</b>", self))
        self.base = QComboBox(self)
        self.base.setObjectName("base-currency")
        self.base.setEditable(True)
        self.base.addItem(NO_BASE)
        self.base.addItems(CURRENCIES)
        self.base.setCurrentText(self._stored[0])
        self.base.setToolTip("Empty: totals stay per currency")
        self.base_problem = self._problem_label("base-problem")
        base_box = QVBoxLayout()
        base_box.addWidget(self.base)
        base_box.addWidget(self.base_problem)
        form.addRow("Base currency", base_box)
        self.rates_grid = QGridLayout()
        self.rates_grid.setColumnStretch(1, 1)
        for code, rate in sorted(self._stored[1].items()):
            self.add_rate(code, str(rate))
        if not self.rows:
            self.add_rate()
        add = QPushButton("Add a currency", self)
        add.setObjectName("add-rate")
        add.clicked.connect(lambda: self.add_rate())
        rates_box = QVBoxLayout()
        rates_box.addLayout(self.rates_grid)
        rates_box.addWidget(add, 0, Qt.AlignmentFlag.AlignLeft)
        form.addRow("One unit of … is worth", rates_box)

        form.addRow(QLabel("<b>Saved customers</b>", self))
        self.days = QSpinBox(self)
        self.days.setObjectName("confirm-days")
        self.days.setRange(MIN_DAYS, MAX_DAYS)
        self.days.setSuffix(" days")
        self.days.setValue(min(MAX_DAYS, max(MIN_DAYS, self._stored[2])))
        form.addRow("A save is confirmed after paying for", self.days)

        form.addRow(QLabel("<b>Churn signals</b>", self))
        self.folder = QLineEdit(self._stored[3], self)
        self.folder.setObjectName("churn-folder")
        self.folder.setPlaceholderText("empty: the built-in phrase lists only")
        self.folder.textChanged.connect(lambda _: self.check())
        choose = QPushButton("Choose…", self)
        choose.setObjectName("choose-churn-folder")
        choose.clicked.connect(self.choose_folder)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder, 1)
        folder_row.addWidget(choose)
        self.folder_problem = self._problem_label("folder-problem")
        folder_box = QVBoxLayout()
        folder_box.addLayout(folder_row)
        folder_box.addWidget(self.folder_problem)
        form.addRow("Team's phrase folder", folder_box)
        self.detect_button = QPushButton("Detect churn signals again", self)
        self.detect_button.setObjectName("detect-churn")
        self.detect_button.setAutoDefault(False)
        self.detect_button.clicked.connect(self.detect_again)
        self.detect_status = QLabel(self)
        self.detect_status.setObjectName("detect-status")
        detect_row = QHBoxLayout()
        detect_row.addWidget(self.detect_button)
        detect_row.addWidget(self.detect_status, 1)
        form.addRow(detect_row)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form.addRow(self.buttons)
        self.base.editTextChanged.connect(lambda _: self.check())
        self.check()

    def _problem_label(self, name: str) -> QLabel:
        label = QLabel(self)
        label.setObjectName(name)
        label.setStyleSheet(_ERROR_STYLE)
        label.setWordWrap(True)
        label.hide()
        return label

    # --- the rates table ---------------------------------------------------------------------
    def rate_count(self) -> int:
        """How many rate lines the table has."""
        return len(self.rows)

    def add_rate(self, code: str = "", rate: str = "") -> _RateRow:
        """A new CODE -> rate line (empty by default)."""
        row = _RateRow(self, code, rate)
        self.rows.append(row)
        self._lay_out_rates()
        self.check()
        return row

    def remove_rate(self, row: _RateRow) -> None:
        """Drop a rate line."""
        self.rows.remove(row)
        for widget in row.widgets():
            self.rates_grid.removeWidget(widget)
            widget.deleteLater()
        self._lay_out_rates()
        self.check()

    def _lay_out_rates(self) -> None:
        for i, row in enumerate(self.rows):
            self.rates_grid.addWidget(row.code, 2 * i, 0)
            self.rates_grid.addWidget(row.rate, 2 * i, 1)
            self.rates_grid.addWidget(row.remove, 2 * i, 2)
            self.rates_grid.addWidget(row.problem, 2 * i + 1, 0, 1, 3)

    # --- checks ------------------------------------------------------------------------------
    def check(self) -> bool:
        """Check every field in place; OK is enabled only when all are acceptable."""
        if not hasattr(self, "ok_button"):
            return False  # still building
        ok = self._check_rates()
        folder = self.folder.text().strip()
        if folder and not Path(folder).is_dir():
            _problem(self.folder_problem, "no such folder")
            ok = False
        else:
            _problem(self.folder_problem, None)
        self.ok_button.setEnabled(ok)
        return ok

    def _check_rates(self) -> bool:
        ok = True
        base = self.base.currentText().strip()
        filled = [row for row in self.rows if not row.empty()]
        if not base:
            _problem(self.base_problem, "choose a base currency for these rates" if filled else "")
            ok = not filled
        else:
            try:
                base = check_currency(base)
                _problem(self.base_problem, None)
            except InvalidInput as exc:
                _problem(self.base_problem, _reason(exc))
                ok = False
        seen: set[str] = set()
        for row in self.rows:
            problem = None if row.empty() else self._row_problem(row, base, seen)
            _problem(row.problem, problem)
            ok = ok and problem is None
        return ok

    def _row_problem(self, row: _RateRow, base: str, seen: set[str]) -> str | None:
        try:
            code = check_currency(row.code.text())
        except InvalidInput as exc:
            return _reason(exc)
        if code == base:
            return f"{code} is the base currency: its rate is always 1"
        if code in seen:
            return f"{code} has a rate already"
        seen.add(code)
        if not row.rate.text().strip():
            return f"a rate for {code} is needed"
        try:
            parse_rate(row.rate.text())
        except InvalidInput as exc:
            return f"rate: {exc}"
        return None

    def rates(self) -> dict[str, str]:
        """{CODE: rate text} of the filled lines (call after check())."""
        return {
            check_currency(row.code.text()): str(parse_rate(row.rate.text()))
            for row in self.rows
            if not row.empty()
        }

    # --- the churn folder and detection ------------------------------------------------------
    def choose_folder(self) -> None:
        """Pick the team's phrase folder."""
        start = self.folder.text().strip() or str(Path.home())
        chosen = QFileDialog.getExistingDirectory(self, "Team's churn-phrase folder", start)
        if chosen:
            self.folder.setText(chosen)

    def detect_again(self) -> JobRunner | None:
        """Run churn detection over every conversation, with the phrase folder as typed."""
        folder = self.folder.text().strip()
        if self.runner is not None or (folder and not Path(folder).is_dir()):
            return None
        folders = phrase_folders() + ([Path(folder)] if folder else [])
        db_path = self.db_path
        runner = JobRunner(lambda: detect_churn_signals_job(db_path, folders))
        runner.finished.connect(self._detected)
        runner.failed.connect(self._detection_failed)
        runner.ended.connect(self._detection_ended)
        self.runner = runner
        self.detect_button.setEnabled(False)
        self.detect_status.setText("Looking for churn signals…")
        self.detection_started.emit(runner)
        runner.start()
        return runner

    def _detected(self, found: int) -> None:
        self.detect_status.setText(f"{found} churn signals found.")

    def _detection_failed(self, exc: BaseException) -> None:
        self.detect_status.setText("Detection failed; the signals are as they were.")
        errors.show_error(self, exc, "Churn detection failed")

    def _detection_ended(self) -> None:
        self.runner = None
        self.detect_button.setEnabled(True)

    # --- OK / Cancel -------------------------------------------------------------------------
    def accept(self) -> None:
        if not self.check():
            return
        settings.put(settings.REVIEWER, self.reviewer.text().strip())
        if self.perform is None:  # on its own (no window): write here
            try:
                outcome = run(self.db, Actor(DEFAULT_SESSION), self.call())
            except InvalidInput as exc:
                self._refused_with(exc)
                return
            self._written(outcome.changes)
            return
        self.ok_button.setEnabled(False)
        self.perform(
            self.call(),
            on_done=lambda ticket: self._written(ticket.outcome.changes),
            on_failed=lambda ticket: self._refused_with(ticket.error),
        )

    def _written(self, changes: Changes) -> None:
        self.changes = changes
        self.saved.emit(changes)
        super().accept()

    def _refused_with(self, exc: BaseException | None) -> None:
        if isinstance(exc, InvalidInput):
            _problem(self.base_problem, _reason(exc))
        self.ok_button.setEnabled(False)

    def reject(self) -> None:
        if self.runner is not None:
            self.runner.cancel()  # rolls back: Cancel changes nothing
        super().reject()

    def call(self) -> Call:
        """The operation OK hands over: review.operations.settings.preferences, which writes
        what differs from the stored values."""
        base = self.base.currentText().strip()
        return Call(
            "preferences",
            {
                "base_currency": check_currency(base) if base else NO_BASE,
                "rates": self.rates(),
                "confirm_days": self.days.value(),
                "churn_folder": self.folder.text().strip(),
            },
        )


def _reason(exc: InvalidInput) -> str:
    text = str(exc)
    # the domain says "currency: 'EU' is not …"; the field already names itself
    return text.split(": ", 1)[1] if text.startswith("currency: ") else text
