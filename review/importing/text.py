"""Message bodies: plain text from HTML, keeping paragraphs and line breaks readable."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

_BLOCK = {
    "p",
    "div",
    "br",
    "li",
    "tr",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "pre",
    "hr",
    "table",
    "ul",
    "ol",
}
_SKIP = {"script", "style", "head", "title"}
_LOOKS_HTML = re.compile(
    r"<(?:p|div|br|span|a|b|i|strong|em|ul|ol|li|table|html|body|img|blockquote|font|h\d)\b[^>]*>",
    re.I,
)


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in _SKIP:
            self._skip += 1
        elif tag in _BLOCK:
            self.parts.append("\n")

    def handle_startendtag(self, tag, attrs):
        if tag in _BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in _SKIP:
            self._skip = max(0, self._skip - 1)
        elif tag in _BLOCK:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def looks_like_html(text: str | None) -> bool:
    """True when `text` carries HTML markup (rather than plain text with a stray '<')."""
    return bool(text) and bool(_LOOKS_HTML.search(text))


def html_to_text(markup: str | None) -> str:
    """Readable plain text of an HTML body: tags dropped, entities decoded, blank runs folded."""
    if not markup:
        return ""
    parser = _TextExtractor()
    parser.feed(markup)
    parser.close()
    text = "".join(parts for parts in parser.parts)
    text = text.replace("\xa0", " ")
    lines = [" ".join(line.split()) for line in text.splitlines()]
    out = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
    return out


def body_pair(body: str | None) -> tuple[str, str | None]:
    """(plain text, original HTML or None) for a body that may or may not be HTML."""
    if body is None:
        return "", None
    if looks_like_html(body):
        return html_to_text(body), body
    return html.unescape(body).strip() if "&" in body else body.strip(), None
