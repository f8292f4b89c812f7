"""Text helpers for the rules: hide quoted replies, split sentences and words.

Every helper keeps character positions: hidden text becomes spaces of the same length, so a
span found in the result is a span of the message as stored (the reader highlights it).
"""

from __future__ import annotations

import re

# An email reply's quote starts at an attribution line and runs to the end of the message.
_ATTRIBUTION = re.compile(
    r"^(?:On .{0,200}wrote:|.{0,80}(?:писал|написал)\(?а?\)?:|.{0,80}(?:写道|寫道)[：:]"
    r"|-{2,}\s*(?:Original Message|Исходное сообщение|原始邮件|原始郵件|Forwarded message)\s*-{2,})\s*$",
    re.MULTILINE | re.IGNORECASE,
)
_QUOTED_LINE = re.compile(r"^[ \t]*>.*$", re.MULTILINE)
SENTENCE_END = re.compile(r"(?<!\d)[.!?。！？…]+[\"»”’)]*|\n\s*\n|\n(?=\s*(?:[-*•]|\d+[.)])\s)")
_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")
_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_URL = re.compile(r"(?:https?://|www\.)\S+|\b[\w-]+(?:\.[\w-]+)+/\S*")
_EMAIL = re.compile(r"\S+@\S+\.\w+")


def without_quotes(text: str) -> str:
    """The text with quoted replies (lines starting with ">", and everything from an
    attribution line such as "On Tue, Anna wrote:") blanked out, positions kept."""
    if ">" not in text and not _ATTRIBUTION.search(text):
        return text
    out = _QUOTED_LINE.sub(lambda m: " " * len(m.group()), text)
    match = _ATTRIBUTION.search(out)
    if match:
        tail = out[match.start() :]
        out = out[: match.start()] + re.sub(r"[^\n]", " ", tail)
    return out


_INLINE_QUOTE = re.compile(
    r'"[^"\n]{1,120}"|«[^»\n]{1,120}»|“[^”\n]{1,120}”|„[^“”\n]{1,120}[“”]|「[^」\n]{1,120}」|『[^』\n]{1,120}』'
)


def without_inline_quotes(text: str) -> str:
    """The text with quotations inside it ("Sorry, something went wrong", «Доброе утро»)
    blanked, positions kept: words in quotation marks are not the writer's own voice."""
    if not any(mark in text for mark in '"«“„「『'):
        return text
    return _INLINE_QUOTE.sub(lambda m: " " * len(m.group()), text)


def sentences(text: str) -> list[tuple[int, int]]:
    """Spans of the sentences of a text (ending punctuation included, blanks left out)."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in SENTENCE_END.finditer(text):
        _add(text, start, match.end(), spans)
        start = match.end()
    _add(text, start, len(text), spans)
    return spans


def _add(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> None:
    piece = text[start:end]
    stripped = piece.strip()
    if stripped:
        start += len(piece) - len(piece.lstrip())
        spans.append((start, start + len(stripped)))


def words(text: str) -> list[tuple[int, int]]:
    """Spans of the words (letters, with inner hyphens and apostrophes) outside links."""
    blanked = text
    if "/" in text or "@" in text:
        blank = lambda m: " " * len(m.group())  # noqa: E731
        blanked = _EMAIL.sub(blank, _URL.sub(blank, text))
    return [m.span() for m in _WORD.finditer(blanked)]


def han_count(text: str) -> int:
    """How many Han (Chinese) characters the text holds."""
    return len(_HAN.findall(text))


def links(text: str) -> list[tuple[int, int]]:
    """Spans of the links (web addresses; not email addresses) in a text."""
    if "/" not in text and "www." not in text:
        return []
    return [m.span() for m in _URL.finditer(text)]
