"""The conversation reader: one conversation as a thread, as it was written.

Customer, agent, bot and system messages look different (side, colour, label); internal notes are
shaded and labelled; times are in the user's zone; churn-signal phrases are highlighted. A customer
message can be marked ("use as the customer's words") to prefill a loss.
"""

from __future__ import annotations

import html
import re

from PySide6.QtCore import QUrl, Signal
from PySide6.QtGui import QColor, QPalette, QTextCursor
from PySide6.QtWidgets import QTextBrowser
from sqlite_utils import Database

from desktop.formatting import local_time, local_zone_name
from review.reviewing import browse
from review.reviewing.browse import ConversationDetail, ThreadMessage
from review.store.search import match_spans

HIT_ANCHOR = "first-search-hit"

_LIGHT = {
    "customer": ("#eef3fb", "#5b8def"),
    "agent": ("#eaf6ec", "#3f9a52"),
    "bot": ("#f3edfa", "#8e5fc9"),
    "internal": ("#fff6d6", "#d4a017"),
    "system": ("#f4f4f4", "#9e9e9e"),
    "mark": "#ffcc80",
    "hit": "#fff176",
    "chip": "#e3e7ee",
    "muted": "#666666",
}
_DARK = {
    "customer": ("#22324a", "#7aa7ff"),
    "agent": ("#1f3a27", "#6fcf83"),
    "bot": ("#33284a", "#b48cf0"),
    "internal": ("#4a3f14", "#f0c64a"),
    "system": ("#2d2d2d", "#9e9e9e"),
    "mark": "#8a5a00",
    "hit": "#6d6200",
    "chip": "#3a3f47",
    "muted": "#aaaaaa",
}
_ROLE_LABEL = {
    "customer": "Customer",
    "agent": "Agent",
    "bot": "Bot",
    "system": "System",
    "unknown": "Unknown author",
}


def _body_html(text: str, phrases: list[str], hits: list[tuple[int, int]], colors: dict) -> str:
    """The body, escaped, with churn phrases and search hits shaded (a hit wins an overlap)."""
    text = text.strip()
    shaded = [(a, b, colors["hit"]) for a, b in hits]
    for phrase in filter(None, phrases):
        for found in re.finditer(re.escape(phrase), text, re.IGNORECASE):
            at, end = found.span()
            if not any(a < end and at < b for a, b in hits):
                shaded.append((at, end, colors["mark"]))
    parts, done = [], 0
    for start, end, color in sorted(shaded):
        if start < done:
            continue  # two churn phrases overlap: the first one shades the run
        parts.append(html.escape(text[done:start]))
        parts.append(
            f'<span style="background-color:{color}">{html.escape(text[start:end])}</span>'
        )
        done = end
    parts.append(html.escape(text[done:]))
    return "".join(parts).replace("\n", "<br>")


def render_thread(
    detail: ConversationDetail,
    *,
    dark: bool = False,
    marked_message: int | None = None,
    search: str = "",
) -> str:
    """The conversation as rich text for QTextBrowser (Qt's HTML subset: tables, not flexbox).

    The words of `search` are shaded where the search matched them, and the first message
    holding one carries the anchor `HIT_ANCHOR`."""
    colors = _DARK if dark else _LIGHT
    esc = html.escape
    subject = detail.subject or "(no subject)"
    title = _body_html(subject, [], match_spans(subject, search), colors)
    parts = [f"<h2 style='margin-bottom:2px'>{title}</h2>"]
    meta = [
        f"<b>{esc(detail.channel or 'unknown channel')}</b>",
        esc(detail.status or ""),
        f"opened {esc(local_time(detail.created_at))} ({esc(local_zone_name())})",
        f"{esc(detail.source)} #{esc(detail.number or detail.external_id)}",
    ]
    parts.append(
        f"<p style='color:{colors['muted']}; margin-top:0'>{' · '.join(m for m in meta if m)}</p>"
    )
    people = []
    if detail.customer or detail.customer_email:
        who = esc(detail.customer or "")
        if detail.customer_email:
            who += f" &lt;{esc(detail.customer_email)}&gt;"
        people.append(f"Customer: <b>{who}</b>")
    if detail.agent:
        people.append(f"Agent: <b>{esc(detail.agent)}</b>")
    if detail.team:
        people.append(f"Team: {esc(detail.team)}")
    if people:
        parts.append(f"<p style='margin:0'>{' &nbsp; '.join(people)}</p>")
    if detail.tags:
        chips = " ".join(
            f"<span style='background-color:{colors['chip']}'>&nbsp;{esc(t)}&nbsp;</span>"
            for t in detail.tags
        )
        parts.append(f"<p style='margin-top:4px'>Tags: {chips}</p>")
    for rating in detail.ratings:
        label = "CSAT" if rating.kind == "csat" else rating.kind.upper()
        verdict = ""
        if rating.positive is not None:
            verdict = " (positive)" if rating.positive else " (negative)"
        comment = f" — “{esc(rating.comment)}”" if rating.comment else ""
        parts.append(
            f"<p style='margin:0'><b>{label}:</b> {esc(rating.shown)}{verdict}{comment}</p>"
        )
    if detail.churn:
        phrases = ", ".join(sorted({f"“{esc(c.phrase)}”" for c in detail.churn}))
        parts.append(
            f"<p style='margin-top:4px'><span style='background-color:{colors['mark']}'>"
            f"&nbsp;Churn signal&nbsp;</span> {phrases}</p>"
        )
    parts.append("<hr>")
    phrases_by_message: dict[int | None, list[str]] = {}
    for c in detail.churn:
        phrases_by_message.setdefault(c.message_id, []).append(c.phrase)
    anchor = HIT_ANCHOR
    for message in detail.messages:
        hits = match_spans(message.body_text.strip(), search) if search else []
        parts.append(
            _message_html(
                message,
                phrases_by_message.get(message.id, []),
                hits,
                colors,
                marked=message.id == marked_message,
                anchor=anchor if hits else None,
            )
        )
        if hits:
            anchor = None
    if not detail.messages:
        parts.append(f"<p style='color:{colors['muted']}'>This conversation has no messages.</p>")
    return "\n".join(parts)


def _message_html(
    message: ThreadMessage,
    phrases: list[str],
    hits: list[tuple[int, int]],
    colors: dict,
    marked: bool,
    anchor: str | None,
) -> str:
    esc = html.escape
    when = esc(local_time(message.created_at))
    target = f"<a name='{anchor}'></a>" if anchor else ""
    if message.kind == "event" or message.author_role == "system":
        body = _body_html(message.body_text, [], hits, colors) or "event"
        return (
            f"<p align='center' style='color:{colors['muted']}; margin:6px 0'>{target}<i>"
            f"{body}</i> · {when}</p>"
        )
    role = message.author_role if message.author_role in _ROLE_LABEL else "unknown"
    key = "internal" if message.is_internal else (role if role in colors else "system")
    background, stripe = colors[key]
    label = _ROLE_LABEL[role]
    if message.is_internal:
        label = "Internal note — not seen by the customer"
    name = esc(message.author_name or "")
    heading = f"<b>{name}</b> · {label}" if name else f"<b>{label}</b>"
    if role == "customer":
        link = "marked as the customer's words" if marked else "use as the customer's words"
        heading += f" &nbsp; <a href='msg:{message.id}'>{link}</a>"
    # agents (and their notes) sit to the right, customers to the left, like a chat
    left, right = ("12%", "0") if role in ("agent", "bot") else ("0", "12%")
    stripe_width = 6 if marked else 4
    return (
        f"<table width='100%' cellspacing='0' cellpadding='0' style='margin:6px 0'><tr>"
        f"<td width='{left}'></td>"
        f"<td width='{stripe_width}' bgcolor='{stripe}'></td>"
        f"<td bgcolor='{background}' style='padding:6px 10px'>"
        f"{target}<span style='color:{stripe}'>{heading}</span>"
        f"<span style='color:{colors['muted']}'> &nbsp; {when}</span><br>"
        f"{_body_html(message.body_text, phrases, hits, colors)}</td>"
        f"<td width='{right}'></td></tr></table>"
    )


class Reader(QTextBrowser):
    """Shows one conversation. `message_marked` fires when the user marks a customer message."""

    message_marked = Signal(int)

    def __init__(self, db: Database, parent=None):
        super().__init__(parent)
        self.setObjectName("reader")
        self.db = db
        self.detail: ConversationDetail | None = None
        self.marked_message: int | None = None
        self.search = ""  # the list's search, whose words are shaded in the thread
        self.setOpenLinks(False)
        self.anchorClicked.connect(self._on_anchor)
        self.setPlaceholderText("Pick a conversation to read it here.")

    def set_database(self, db: Database) -> None:
        """Read from another database (nothing is shown until a conversation is chosen)."""
        self.db = db
        self.show_conversation(None)

    def show_conversation(self, conversation_id: int | None) -> None:
        """Show `conversation_id` (None clears the reader)."""
        self.detail = browse.thread(self.db, conversation_id) if conversation_id else None
        self.marked_message = None
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
        hit = QColor((_DARK if self._dark() else _LIGHT)["hit"])
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
        bar = self.verticalScrollBar()
        self.scrollToAnchor(HIT_ANCHOR)
        line = self.fontMetrics().height()
        if bar.value() + 3 * line < self.viewport().height():
            bar.setValue(0)  # it was on the first screen: keep the subject and people in view
        else:
            bar.setValue(bar.value() - line)  # a line of the message above, for context

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

    def _render(self) -> None:
        if self.detail is None:
            self.clear()
            return
        self.setHtml(
            render_thread(
                self.detail,
                dark=self._dark(),
                marked_message=self.marked_message,
                search=self.search,
            )
        )

    def _on_anchor(self, url: QUrl) -> None:
        text = url.toString()
        if text.startswith("msg:"):
            self.marked_message = int(text[4:])
            position = self.verticalScrollBar().value()
            self._render()
            self.verticalScrollBar().setValue(position)
            self.message_marked.emit(self.marked_message)
