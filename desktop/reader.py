"""The conversation reader: one conversation as a thread, as it was written.

Customer, agent, bot and system messages look different (side, colour, label); internal notes are
shaded and labelled; times are in the user's zone; churn-signal phrases are highlighted. A customer
message can be marked ("use as the customer's words") to prefill a loss. The document is built
with block and character formats (desktop/thread_document.py), never from HTML.

The words an automatic suggestion rests on (the focused category's, from the review panel) are
highlighted in a colour of their own, over the document rather than in it (extra selections),
and scrolled into view: moving between categories redraws no text.
"""

from __future__ import annotations

from PySide6.QtCore import QUrl, Signal
from PySide6.QtGui import QColor, QPalette, QTextCharFormat, QTextCursor, QTextDocument
from PySide6.QtWidgets import QTextBrowser, QTextEdit

from desktop.thread_document import DARK, LIGHT, Body, build_thread
from review.reviewing import browse
from review.reviewing.browse import ConversationDetail, ThreadMessage
from review.store import Store

GONE_TEXT = "This conversation is no longer in the database: another program deleted it."


class Reader(QTextBrowser):
    """Shows one conversation. `message_marked` fires when the user marks a customer message."""

    message_marked = Signal(int)

    def __init__(self, db: Store, parent=None):
        super().__init__(parent)
        self.setObjectName("reader")
        self.db = db
        self.detail: ConversationDetail | None = None
        self.marked_message: int | None = None
        self.search = ""  # the list's search, whose words are shaded in the thread
        self.first_hit: int | None = None  # document position of the first search hit
        self.gone: int | None = None  # a conversation shown that another program deleted
        self.bodies: dict[int, Body] = {}  # where each message's text sits in the document
        self.evidence: list[dict] = []  # the spans of the focused suggestion (review panel)
        self.setOpenLinks(False)
        self.anchorClicked.connect(self._on_anchor)
        self.setPlaceholderText("Pick a conversation to read it here.")

    def set_database(self, db: Store) -> None:
        """Read from another database (nothing is shown until a conversation is chosen)."""
        self.db = db
        self.show_conversation(None)

    def show_conversation(self, conversation_id: int | None) -> None:
        """Show `conversation_id` (None clears the reader)."""
        self.detail = browse.thread(self.db, conversation_id) if conversation_id else None
        self.gone = None
        if conversation_id and self.detail is None:
            self.show_gone(conversation_id)
            return
        self.marked_message = None
        self.evidence = []
        if self.detail and self.detail.churn:
            self.marked_message = next(
                (c.message_id for c in self.detail.churn if c.message_id is not None), None
            )
        self._render()
        self.verticalScrollBar().setValue(0)
        if self.search:
            self._scroll_to_first_hit()

    def set_search(self, query: str) -> None:
        """Shade the words of `query` (the list's search) in the conversation shown and the
        next ones; an empty query shades nothing."""
        if query == self.search:
            return
        self.search = query
        if self.detail is not None:
            position = self.verticalScrollBar().value()
            self._render()
            self.verticalScrollBar().setValue(position)

    def hit_spans(self) -> list[tuple[int, int]]:
        """Where the shaded search hits are in the shown text: (start, end) document
        positions, in reading order."""
        hit = QColor((DARK if self._dark() else LIGHT)["hit"])
        spans = []
        block = self.document().begin()
        while block.isValid():
            fragments = block.begin()
            while not fragments.atEnd():
                fragment = fragments.fragment()
                if fragment.charFormat().background().color() == hit:
                    start = fragment.position()
                    spans.append((start, start + fragment.length()))
                fragments += 1
            block = block.next()
        return spans

    def go_to_hit(self, step: int) -> tuple[int, int] | None:
        """Select the next (step 1) or previous (-1) search hit after the cursor, wrapping
        round, and scroll to it; returns (which, how many), counted from 1, or None."""
        spans = self.hit_spans()
        if not spans:
            return None
        cursor = self.textCursor()
        if step > 0:
            after = cursor.selectionEnd() if cursor.hasSelection() else cursor.position()
            index = next((i for i, (a, _) in enumerate(spans) if a >= after), 0)
        else:
            before = cursor.selectionStart()
            ahead = [i for i, (_, b) in enumerate(spans) if b <= before]
            index = ahead[-1] if ahead else len(spans) - 1
        start, end = spans[index]
        cursor.setPosition(start)
        cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
        self.setTextCursor(cursor)
        self.ensureCursorVisible()
        return index + 1, len(spans)

    def _scroll_to_first_hit(self) -> None:
        """Bring the first message with a hit into view, unless it shows already: a hit low in
        a long thread is what the user searched for, the header is not."""
        if self.first_hit is None:
            return
        document = self.document()
        block = document.findBlock(self.first_hit)
        layout = document.documentLayout()
        top = int(
            layout.blockBoundingRect(
                block.previous() if block.previous().isValid() else block
            ).top()
        )
        line = self.fontMetrics().height()
        bar = self.verticalScrollBar()
        if top + 3 * line < self.viewport().height():
            bar.setValue(0)  # it is on the first screen: keep the subject and people in view
        else:
            bar.setValue(top - line)  # the heading of its message and a line above, for context

    def refresh(self) -> None:
        """Re-read the shown conversation (after an edit or an import), keeping the scroll place."""
        if self.detail is None:
            return
        position = self.verticalScrollBar().value()
        marked = self.marked_message
        self.detail = browse.thread(self.db, self.detail.id)
        self.marked_message = marked
        self._render()
        self.verticalScrollBar().setValue(position)

    def conversation_id(self) -> int | None:
        """The conversation shown, if any."""
        return self.detail.id if self.detail else None

    def highlighted_message(self) -> ThreadMessage | None:
        """The message marked by the user, else the first one with a churn signal."""
        if not self.detail or self.marked_message is None:
            return None
        return next((m for m in self.detail.messages if m.id == self.marked_message), None)

    def customer_words(self) -> str:
        """Text to prefill a loss with: the selection, else the highlighted message's body."""
        selected = self.textCursor().selectedText().replace("\u2029", "\n").strip()
        if selected:
            return selected
        message = self.highlighted_message()
        return message.body_text.strip() if message else ""

    def _dark(self) -> bool:
        return self.palette().color(QPalette.ColorRole.Base).lightness() < 128

    def show_evidence(self, evidence: list[dict]) -> None:
        """Highlight the spans `evidence` names ({message_id, start, end, ...}: Python
        indexes into the message's stored text) and scroll the first into view; [] clears."""
        self.evidence = list(evidence)
        spans = self._highlight_evidence()
        if spans:
            self._scroll_into_view(*spans[0])

    def evidence_spans(self) -> list[tuple[int, int]]:
        """Document positions (start, end) of the evidence highlighted now."""
        spans = []
        for item in self.evidence:
            body = self.bodies.get(item.get("message_id"))
            span = body.span(item["start"], item["end"]) if body is not None else None
            if span is not None:
                spans.append(span)
        return spans

    def _highlight_evidence(self) -> list[tuple[int, int]]:
        spans = self.evidence_spans() if self.detail is not None else []
        look = QTextCharFormat()
        look.setBackground(QColor((DARK if self._dark() else LIGHT)["evidence"]))
        look.setFontUnderline(True)
        selections = []
        for start, end in spans:
            selection = QTextEdit.ExtraSelection()
            cursor = QTextCursor(self.document())
            cursor.setPosition(start)
            cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
            selection.cursor = cursor
            selection.format = look
            selections.append(selection)
        self.setExtraSelections(selections)
        return spans

    def _scroll_into_view(self, start: int, end: int) -> None:
        cursor = QTextCursor(self.document())
        cursor.setPosition(start)
        top = self.cursorRect(cursor).top()
        cursor.setPosition(end)
        bottom = self.cursorRect(cursor).bottom()
        height = self.viewport().height()
        if top >= 0 and bottom <= height:
            return  # on screen already: the reader does not jump
        bar = self.verticalScrollBar()
        bar.setValue(bar.value() + top - height // 3)

    def _render(self) -> None:
        if self.detail is None:
            self.clear()
            self.first_hit = None
            self.bodies = {}
            self.setExtraSelections([])
            return
        document = QTextDocument(self)
        document.setUndoRedoEnabled(False)
        document.setDefaultFont(self.font())
        built = build_thread(
            self.detail,
            document,
            dark=self._dark(),
            marked_message=self.marked_message,
            search=self.search,
        )
        self.first_hit = built.first_hit
        self.bodies = built.bodies
        self.setDocument(document)  # the one shown before was the reader's child: Qt deletes it
        self._highlight_evidence()

    def show_gone(self, conversation_id: int) -> None:
        """The conversation shown was deleted by another program: say so."""
        self.detail = None
        self.first_hit = None
        self.bodies = {}
        self.setExtraSelections([])
        self.setPlainText(GONE_TEXT)
        self.gone = conversation_id

    def _on_anchor(self, url: QUrl) -> None:
        text = url.toString()
        if text.startswith("msg:"):
            self.marked_message = int(text[4:])
            position = self.verticalScrollBar().value()
            self._render()
            self.verticalScrollBar().setValue(position)
            self.message_marked.emit(self.marked_message)
