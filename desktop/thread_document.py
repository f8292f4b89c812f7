"""One conversation laid out as a QTextDocument, built with block and character formats.

No HTML: every piece of imported text goes in with QTextCursor.insertText, so it is shown as
written (a subject of `<img src=...>` is those characters) and the document is built about five
times faster than `setHtml` of nested tables (STYLE.md section 11). Customer, agent, bot and
system messages differ in side, colour and label; internal notes are shaded and labelled;
churn-signal phrases and the list's search hits are shaded in the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextFormat,
    QTextLength,
)

from desktop.formatting import local_time, local_zone_name
from review.reviewing.browse import ConversationDetail, ThreadMessage
from review.store.search import match_spans

LIGHT = {
    "customer": ("#eef3fb", "#5b8def"),
    "agent": ("#eaf6ec", "#3f9a52"),
    "bot": ("#f3edfa", "#8e5fc9"),
    "internal": ("#fff6d6", "#b8860b"),
    "system": ("#f4f4f4", "#9e9e9e"),
    "mark": "#ffcc80",
    "hit": "#fff176",
    "evidence": "#b2dfdb",
    "chip": "#e3e7ee",
    "muted": "#666666",
}
DARK = {
    "customer": ("#22324a", "#7aa7ff"),
    "agent": ("#1f3a27", "#6fcf83"),
    "bot": ("#33284a", "#b48cf0"),
    "internal": ("#4a3f14", "#f0c64a"),
    "system": ("#2d2d2d", "#9e9e9e"),
    "mark": "#8a5a00",
    "hit": "#6d6200",
    "evidence": "#00695c",
    "chip": "#3a3f47",
    "muted": "#aaaaaa",
}
ROLE_LABEL = {
    "customer": "Customer",
    "agent": "Agent",
    "bot": "Bot",
    "system": "System",
    "unknown": "Unknown author",
}
SIDE_MARGIN = 56.0  # pixels: agents' messages sit this far in from the left, customers' right


@dataclass(frozen=True)
class Body:
    """Where a message's text sits in the document: the position its first character took,
    the text as inserted (stripped), and how many characters were stripped before it."""

    position: int
    text: str
    lead: int

    def span(self, start: int, end: int) -> tuple[int, int] | None:
        """Document positions of [start, end), Python indexes into the message's stored text
        (messages.body_text), or None when the span is not shown (in stripped blanks)."""
        a, b = start - self.lead, end - self.lead
        if a < 0 or b > len(self.text) or a >= b:
            return None
        return (
            self.position + document_offset(self.text, a),
            self.position + document_offset(self.text, b),
        )


@dataclass(frozen=True)
class Built:
    """Where the first search hit starts in the document (None: no hit), and where each
    message's text sits (by message id)."""

    first_hit: int | None
    bodies: dict[int, Body]


def document_offset(text: str, index: int) -> int:
    """Where the character at Python index `index` of `text`, inserted with insertText, sits
    relative to the insertion point: Qt counts UTF-16 units (an emoji before it counts two)
    and takes "\r\n" as one block break."""
    head = text[:index]
    return len(head.encode("utf-16-le")) // 2 - head.count("\r\n")


def _shades(
    text: str, phrases: list[str], hits: list[tuple[int, int]], colors: dict
) -> list[tuple[int, int, str]]:
    """(start, end, colour) runs of `text`: search hits, then churn phrases not under a hit."""
    shaded = [(a, b, colors["hit"]) for a, b in hits]
    for phrase in filter(None, phrases):
        for found in re.finditer(re.escape(phrase), text, re.IGNORECASE):
            at, end = found.span()
            if not any(a < end and at < b for a, b in hits):
                shaded.append((at, end, colors["mark"]))
    runs, done = [], 0
    for start, end, color in sorted(shaded):
        if start < done:
            continue  # two churn phrases overlap: the first one shades the run
        runs.append((start, end, color))
        done = end
    return runs


class _Writer:
    """Appends formatted blocks and runs to a document."""

    def __init__(self, document: QTextDocument, colors: dict):
        self.document = document
        self.colors = colors
        self.cursor = QTextCursor(document)
        self.first_block = True
        self.first_hit: int | None = None
        self.bodies: dict[int, Body] = {}
        base = document.defaultFont()
        self.plain = QTextCharFormat()
        self.muted = QTextCharFormat()
        self.muted.setForeground(QColor(colors["muted"]))
        self.bold = QTextCharFormat()
        self.bold.setFontWeight(QFont.Weight.Bold)
        self.title = QTextCharFormat()
        self.title.setFontWeight(QFont.Weight.Bold)
        self.title.setFontPointSize((base.pointSizeF() if base.pointSizeF() > 0 else 10) * 1.45)
        # formats are values: one made per look and reused by every message that has it (a
        # 200-message conversation made 600 of them, a tenth of its build)
        self._looks: dict[tuple, QTextCharFormat] = {}
        self._sides: dict[tuple[str, bool], tuple[QTextBlockFormat, QTextBlockFormat]] = {}

    def look(
        self, base: QTextCharFormat, *, color: str | None = None, bold: bool = False
    ) -> QTextCharFormat:
        """`base` (plain or muted) in `color`, bold or not: made once per writer."""
        key = (base is self.muted, color, bold)
        found = self._looks.get(key)
        if found is None:
            found = self._looks[key] = _with(base, color=color, bold=bold)
        return found

    def message_blocks(
        self, background: str, right: bool
    ) -> tuple[QTextBlockFormat, QTextBlockFormat]:
        """A message's heading and body blocks: its shade, and the side it sits on."""
        key = (background, right)
        found = self._sides.get(key)
        if found is None:
            heading = QTextBlockFormat()
            heading.setBackground(QColor(background))
            if right:
                heading.setLeftMargin(SIDE_MARGIN)
            else:
                heading.setRightMargin(SIDE_MARGIN)
            heading.setTopMargin(10)
            body = QTextBlockFormat(heading)
            body.setTopMargin(2)
            found = self._sides[key] = (heading, body)
        return found

    def block(self, fmt: QTextBlockFormat | None = None) -> None:
        """Start a block (the first one reuses the document's empty first block)."""
        fmt = fmt or QTextBlockFormat()
        if self.first_block:
            self.cursor.setBlockFormat(fmt)
            self.first_block = False
        else:
            self.cursor.insertBlock(fmt, self.plain)

    def text(self, text: str, fmt: QTextCharFormat | None = None) -> None:
        """Append `text` as written (a newline starts a block of the same format)."""
        if text:
            self.cursor.insertText(text, fmt or self.plain)

    def shaded(
        self, text: str, base: QTextCharFormat, phrases: list[str], hits: list[tuple[int, int]]
    ) -> None:
        """Append `text` with its search hits and churn phrases shaded."""
        done = 0
        for start, end, color in _shades(text, phrases, hits, self.colors):
            self.text(text[done:start], base)
            shade = QTextCharFormat(base)
            shade.setBackground(QColor(color))
            if color == self.colors["hit"] and self.first_hit is None:
                self.first_hit = self.cursor.position()
            self.text(text[start:end], shade)
            done = end
        self.text(text[done:], base)


def build_thread(
    detail: ConversationDetail,
    document: QTextDocument,
    *,
    dark: bool = False,
    marked_message: int | None = None,
    search: str = "",
) -> Built:
    """Lay out `detail` in `document` (emptied first). The words of `search` are shaded
    where the search matched them; a customer message carries the link "use as the
    customer's words" (href "msg:<id>"), `marked_message` says it is marked."""
    colors = DARK if dark else LIGHT
    document.clear()
    w = _Writer(document, colors)
    subject = detail.subject or "(no subject)"
    w.block()
    w.shaded(subject, w.title, [], match_spans(subject, search))
    _header(w, detail)
    phrases: dict[int | None, list[str]] = {}
    for c in detail.churn:
        phrases.setdefault(c.message_id, []).append(c.phrase)
    for message in detail.messages:
        body = message.body_text.strip()
        hits = match_spans(body, search) if search else []
        if message.kind == "event" or message.author_role == "system":
            _event(w, message, body, hits)
        else:
            _message(w, message, body, phrases.get(message.id, []), hits, marked_message)
    if not detail.messages:
        w.block()
        w.text("This conversation has no messages.", w.muted)
    return Built(w.first_hit, w.bodies)


def _header(w: _Writer, detail: ConversationDetail) -> None:
    meta = QTextBlockFormat()
    meta.setBottomMargin(4)
    w.block(meta)
    w.text(detail.channel or "unknown channel", _with(w.muted, bold=True))
    parts = [
        detail.status or "",
        f"opened {local_time(detail.created_at)} ({local_zone_name()})",
        f"{detail.source} #{detail.number or detail.external_id}",
    ]
    w.text("".join(f" · {p}" for p in parts if p), w.muted)
    people = []
    if detail.customer or detail.customer_email:
        who = detail.customer or ""
        if detail.customer_email:
            who = f"{who} <{detail.customer_email}>".strip()
        people.append(("Customer: ", who))
    if detail.agent:
        people.append(("Agent: ", detail.agent))
    if detail.team:
        people.append(("Team: ", detail.team))
    if people:
        w.block()
        for i, (label, value) in enumerate(people):
            w.text(("    " if i else "") + label)
            w.text(value, w.bold)
    if detail.tags:
        w.block()
        w.text("Tags: ")
        chip = QTextCharFormat()
        chip.setBackground(QColor(w.colors["chip"]))
        for tag in detail.tags:
            w.text(f"\u00a0{tag}\u00a0", chip)
            w.text(" ")
    for rating in detail.ratings:
        w.block()
        w.text(("CSAT" if rating.kind == "csat" else rating.kind.upper()) + ": ", w.bold)
        w.text(rating.shown)
        if rating.positive is not None:
            w.text(" (positive)" if rating.positive else " (negative)")
        if rating.comment:
            w.text(f" — “{rating.comment}”")
    if detail.churn:
        w.block()
        flag = QTextCharFormat()
        flag.setBackground(QColor(w.colors["mark"]))
        w.text("\u00a0Churn signal\u00a0", flag)
        w.text(" " + ", ".join(sorted({f"“{c.phrase}”" for c in detail.churn})))
    rule = QTextBlockFormat()
    rule.setProperty(
        QTextFormat.Property.BlockTrailingHorizontalRulerWidth,
        QTextLength(QTextLength.Type.PercentageLength, 100),
    )
    w.block(rule)


def _event(w: _Writer, message: ThreadMessage, body: str, hits: list[tuple[int, int]]) -> None:
    fmt = QTextBlockFormat()
    fmt.setAlignment(Qt.AlignmentFlag.AlignHCenter)
    fmt.setTopMargin(6)
    fmt.setBottomMargin(6)
    w.block(fmt)
    italic = _with(w.muted, italic=True)
    w.shaded(body or "event", italic, [], hits)
    w.text(f" · {local_time(message.created_at)}", w.muted)


def _message(
    w: _Writer,
    message: ThreadMessage,
    body: str,
    phrases: list[str],
    hits: list[tuple[int, int]],
    marked_message: int | None,
) -> None:
    role = message.author_role if message.author_role in ROLE_LABEL else "unknown"
    key = "internal" if message.is_internal else (role if role in w.colors else "system")
    background, stripe = w.colors[key]
    # agents (and their notes) sit to the right, customers to the left, like a chat
    fmt, body_format = w.message_blocks(background, right=role in ("agent", "bot"))
    w.block(fmt)
    marked = message.id == marked_message
    heading = w.look(w.plain, color=stripe, bold=True)
    w.text("▌ " if marked else "▎ ", heading)
    label = ROLE_LABEL[role]
    if message.is_internal:
        label = "Internal note — not seen by the customer"
    if message.author_name:
        w.text(message.author_name, heading)
        w.text(f" · {label}", w.look(w.plain, color=stripe))
    else:
        w.text(label, heading)
    w.text(f"   {local_time(message.created_at)}", w.muted)
    if role == "customer":
        link = QTextCharFormat()
        link.setAnchor(True)
        link.setAnchorHref(f"msg:{message.id}")
        link.setForeground(QColor(stripe))
        link.setFontUnderline(True)
        w.text("   ")
        w.text("marked as the customer's words" if marked else "use as the customer's words", link)
    w.block(body_format)
    lead = len(message.body_text) - len(message.body_text.lstrip())
    w.bodies[message.id] = Body(w.cursor.position(), body, lead)
    w.shaded(body, w.plain, phrases, hits)


def _with(
    base: QTextCharFormat, *, color: str | None = None, bold: bool = False, italic: bool = False
) -> QTextCharFormat:
    fmt = QTextCharFormat(base)
    if color:
        fmt.setForeground(QColor(color))
    if bold:
        fmt.setFontWeight(QFont.Weight.Bold)
    if italic:
        fmt.setFontItalic(True)
    return fmt
