"""The dashboard's figure cards: one headline figure each, its value (or "no data"), its n,
its 95% interval and "few" mark, and, where DOMAIN.md sets a target, a bullet scale with the
reference lines and the figure judged against it."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QFont, QPainter, QPen
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from review.figures.values import Figure
from review.figures.wording import NO_DATA, few_text, interval_text, value_text


class Scale(QWidget):
    """A bullet scale: the range, reference lines with their names, and the value as a bar."""

    def __init__(self, low: float, high: float, marks: tuple[tuple[float, str], ...], parent=None):
        super().__init__(parent)
        self.low, self.high, self.marks = low, high, marks
        self.value: float | None = None
        self.setMinimumHeight(self.fontMetrics().height() * 2 + 6)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def set_value(self, value: float | None) -> None:
        """Show `value` (None: no bar, "no data" is said by the card)."""
        self.value = value
        self.update()

    def paintEvent(self, _event) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        font = QFont(self.font())
        font.setPointSizeF(max(7.0, font.pointSizeF() * 0.8))
        painter.setFont(font)
        line_h = painter.fontMetrics().height()
        pad = 4
        track = QRectF(pad, 2, self.width() - 2 * pad, self.height() - line_h - 4)
        palette = self.palette()
        painter.fillRect(track, palette.alternateBase())

        def x_of(v: float) -> float:
            share = (min(max(v, self.low), self.high) - self.low) / (self.high - self.low)
            return track.left() + share * track.width()

        if self.value is not None:
            bar = QRectF(track.left(), track.top() + track.height() * 0.25, 0, track.height() / 2)
            bar.setRight(x_of(self.value))
            painter.fillRect(bar, palette.highlight())
        painter.setPen(QPen(palette.text().color(), 1))
        for value, name in self.marks:
            x = x_of(value)
            painter.drawLine(QPointF(x, track.top()), QPointF(x, track.bottom()))
            text = f"{name} {value:g}".strip()
            width = painter.fontMetrics().horizontalAdvance(text)
            left = min(max(x - width / 2, 0), self.width() - width)
            painter.drawText(QPointF(left, track.bottom() + line_h - 2), text)
        painter.end()


class FigureCard(QFrame):
    """One headline figure: its name, its value (or "no data"), its n, its interval and few
    mark, a note, and an optional scale."""

    def __init__(self, key: str, title: str, scale: Scale | None = None, parent=None):
        super().__init__(parent)
        self.setObjectName(f"card-{key}")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.setSpacing(1)
        self.title = QLabel(title, self)
        self.title.setWordWrap(True)
        self.value_label = QLabel(self)
        self.value_label.setObjectName(f"value-{key}")
        big = QFont(self.font())
        big.setPointSizeF(big.pointSizeF() * 1.5)
        big.setBold(True)
        self.value_label.setFont(big)
        self.n_label = QLabel(self)
        self.n_label.setObjectName(f"n-{key}")
        self.interval_label = QLabel(self)
        self.interval_label.setObjectName(f"interval-{key}")
        self.note = QLabel(self)
        self.note.setObjectName(f"note-{key}")
        self.note.setWordWrap(True)
        small = QFont(self.font())
        small.setPointSizeF(max(7.0, small.pointSizeF() * 0.9))
        for label in (self.n_label, self.interval_label, self.note):
            label.setFont(small)
        top = QHBoxLayout()
        top.setSpacing(8)  # a nested layout takes its parent's 1 px: the title ran into its n
        top.addWidget(self.title, 1)
        top.addWidget(self.n_label)
        line = QHBoxLayout()
        line.setSpacing(6)
        line.addWidget(self.value_label)
        line.addWidget(self.interval_label, 1)
        layout.addLayout(top)
        layout.addLayout(line)
        self.scale = scale
        if scale is not None:
            layout.addWidget(scale)
        layout.addWidget(self.note)
        layout.addStretch(1)

    def show_figure(self, figure: Figure, noun: str, note: str = "", text: str | None = None):
        """Show `figure` ("no data" greyed when it has none) with "n = {n} {noun}", its
        interval and few mark, and `note`; `text` replaces the value's words."""
        shown = value_text(figure) if text is None else text
        self.value_label.setText(shown)
        self.value_label.setEnabled(shown != NO_DATA)
        self.n_label.setText(f"n = {figure.n:,} {noun}")
        extra = [x for x in (interval_text(figure), few_text(figure)) if x]
        self.interval_label.setText(" · ".join(extra))
        self.interval_label.setToolTip(
            "95% interval"
            + ("; few: fewer than 10 under it, trust it little" if figure.few else "")
        )
        notes = [x for x in (note, figure.note) if x]
        self.note.setText("\n".join(notes))
        self.note.setVisible(bool(notes))
        if self.scale is not None:
            self.scale.set_value(figure.value)
