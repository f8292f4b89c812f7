"""The coaching notes of one agent: a tree of notes and their action items (tick to mark
done), and the chosen note in full: text, follow-up, the reviews it refers to (links open
the conversation), each action item with the before/since means of the categories it targets,
and the earlier versions of an edited note.

It only reads (review.reviewing.coaching, review.figures.agents); ticks and edit requests go out as signals
for the coaching page to write.
"""

from __future__ import annotations

import html
from datetime import date

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QHeaderView, QSplitter, QTextBrowser, QTreeWidget, QTreeWidgetItem

from desktop.formatting import score_text
from review.figures.agents import agent_reviews
from review.figures.scope import read_scope
from review.reviewing import coaching
from review.store import Store

KIND_ROLE = Qt.ItemDataRole.UserRole
ID_ROLE = Qt.ItemDataRole.UserRole + 1
DUE_COLOUR = QColor("#c62828")


def effect_text(effect: coaching.CategoryEffect) -> str:
    """ "Tone: 3.1 (n 12) → 3.8 (n 5)", "no data" for a side with no ratings."""

    def side(mean: float | None, n: int) -> str:
        return "no data" if mean is None else f"{mean:.2f} (n {n})"

    return f"{effect.name}: {side(effect.before, effect.before_n)} → {side(effect.since, effect.since_n)}"


class NotesPanel(QSplitter):
    """The tree of notes above, the chosen note below."""

    item_toggled = Signal(int, bool)  # action item id, done
    edit_requested = Signal()
    open_conversation = Signal(int)
    note_chosen = Signal(object)  # the chosen Note, or None

    def __init__(self, db: Store, parent=None):
        super().__init__(Qt.Orientation.Vertical, parent)
        self.db = db
        self.agent_id: int | None = None
        self._filling = False
        self.tree = QTreeWidget(self)
        self.tree.setObjectName("coaching-notes")
        self.tree.setColumnCount(3)
        self.tree.setHeaderLabels(["Note / action item (tick when done)", "Date", "Follow-up"])
        self.tree.setUniformRowHeights(True)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.itemChanged.connect(self._item_changed)
        self.tree.currentItemChanged.connect(lambda *_: self._show_details())
        self.tree.itemDoubleClicked.connect(lambda item, _: self._double_clicked(item))
        self.details = QTextBrowser(self)
        self.details.setObjectName("note-details")
        self.details.setOpenLinks(False)
        self.details.anchorClicked.connect(self._link)
        self.addWidget(self.tree)
        self.addWidget(self.details)
        self.setStretchFactor(0, 1)
        self.setStretchFactor(1, 1)

    def show_notes(self, db: Store, agent_id: int) -> None:
        """Show `agent_id`'s notes, keeping the chosen note or item chosen."""
        self.db = db
        self.agent_id = agent_id
        selected = self._selected()
        self._filling = True
        self.tree.clear()
        today = date.today().isoformat()
        for note in coaching.notes_for_agent(self.db, self.agent_id):
            versions = note.version
            first = note.text.splitlines()[0] if note.text else ""
            edited = f"  (edited, {versions} versions)" if versions > 1 else ""
            follow = note.follow_up or ""
            if note.followed_up_at:
                follow += " ✓ done"
            elif note.follow_up and note.follow_up <= today:
                follow += " due"
            top = QTreeWidgetItem([first + edited, note.created_at[:10], follow])
            top.setData(0, KIND_ROLE, "note")
            top.setData(0, ID_ROLE, note.id)
            top.setToolTip(0, note.text)
            if follow.endswith(" due"):
                top.setForeground(2, QBrush(DUE_COLOUR))
            self.tree.addTopLevelItem(top)
            for item in note.items:
                child = QTreeWidgetItem([item.text, f"due {item.due}" if item.due else "", ""])
                child.setData(0, KIND_ROLE, "item")
                child.setData(0, ID_ROLE, item.id)
                child.setFlags(child.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                child.setCheckState(
                    0, Qt.CheckState.Checked if item.done else Qt.CheckState.Unchecked
                )
                child.setToolTip(0, item.text)
                if not item.done and item.due and item.due < today:
                    child.setForeground(1, QBrush(DUE_COLOUR))
                top.addChild(child)
            top.setExpanded(True)
        self._filling = False
        self._select(selected)
        self._show_details()

    def _selected(self) -> tuple[str, int] | None:
        item = self.tree.currentItem()
        return (item.data(0, KIND_ROLE), item.data(0, ID_ROLE)) if item else None

    def _select(self, key: tuple[str, int] | None) -> None:
        for i in range(self.tree.topLevelItemCount()):
            top = self.tree.topLevelItem(i)
            for item in [top] + [top.child(j) for j in range(top.childCount())]:
                if key is None or (item.data(0, KIND_ROLE), item.data(0, ID_ROLE)) == key:
                    self.tree.setCurrentItem(item)
                    return

    def current_note_id(self) -> int | None:
        """The note selected (or the note of the selected action item)."""
        item = self.tree.currentItem()
        if item is None:
            return None
        if item.data(0, KIND_ROLE) == "item":
            item = item.parent()
        return item.data(0, ID_ROLE)

    def _show_details(self) -> None:
        note_id = self.current_note_id()
        if note_id is None:
            self.details.setHtml("<p><i>No coaching notes yet. New note… (Ctrl+N)</i></p>")
            self.note_chosen.emit(None)
            return
        note = coaching.get_note(self.db, note_id)
        self.note_chosen.emit(note)
        history = coaching.note_history(self.db, note_id)
        esc = html.escape
        parts = [
            f"<p><b>{esc(note.author or 'unknown')}</b>, {note.created_at[:10]}"
            + (f" — <i>edited, {len(history)} versions</i>" if len(history) > 1 else "")
            + "</p>",
            "<p>" + esc(note.text).replace("\n", "<br>") + "</p>",
        ]
        if note.follow_up:
            state = f"done {note.followed_up_at[:10]}" if note.followed_up_at else "to do"
            parts.append(f"<p>Follow-up {note.follow_up} ({state})</p>")
        refs = {r.review_id: r for r in agent_reviews(read_scope(self.db), note.agent_id)}
        if note.review_ids:
            links = []
            for review_id in note.review_ids:
                r = refs.get(review_id)
                if r is not None:
                    links.append(
                        f'<li><a href="conversation:{r.conversation_id}">'
                        f"{esc(r.subject or '(no subject)')}</a> — {esc(r.reviewer)}, "
                        f"{score_text(r.score) or 'no score'}</li>"
                    )
            parts.append("<p>Refers to reviews:</p><ul>" + "".join(links) + "</ul>")
        for item in note.items:
            done = "✓ done" if item.done else "open"
            parts.append(f"<p><b>{esc(item.text)}</b> — due {item.due or '—'}, {done}</p>")
            effects = coaching.category_effect(self.db, item.id)
            if effects:
                parts.append(
                    "<ul>" + "".join(f"<li>{esc(effect_text(e))}</li>" for e in effects) + "</ul>"
                )
        if len(history) > 1:
            parts.append("<p><i>Earlier versions:</i></p><ol>")
            for version in history[:-1]:
                parts.append(f"<li>{version.saved_at[:10]}: {esc(version.text)}</li>")
            parts.append("</ol>")
        self.details.setHtml("".join(parts))

    def _item_changed(self, item: QTreeWidgetItem, column: int) -> None:
        if self._filling or column != 0 or item.data(0, KIND_ROLE) != "item":
            return
        done = item.checkState(0) == Qt.CheckState.Checked
        item_id = item.data(0, ID_ROLE)
        # after the view has finished with the item: the write redraws the tree
        QTimer.singleShot(0, lambda: self.item_toggled.emit(item_id, done))

    def _link(self, url) -> None:
        text = url.toString()
        if text.startswith("conversation:"):
            self.open_conversation.emit(int(text.split(":", 1)[1]))

    def _double_clicked(self, item: QTreeWidgetItem) -> None:
        if item.data(0, KIND_ROLE) == "note":
            self.edit_requested.emit()
