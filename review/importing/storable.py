"""Text both engines store as it is: a lone surrogate (from a "\\ud800" escape) is refused by
SQLite, a NUL (from "\\u0000" or a stray byte) by PostgreSQL; each becomes U+FFFD, so the same
export stores the same text on either, and a re-import compares equal."""

from __future__ import annotations


def storable(text: str) -> str:
    """`text` with lone surrogates and NULs made U+FFFD."""
    if "\x00" in text:
        text = text.replace("\x00", "\ufffd")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    return text
