"""How the writers spell times, HTML bodies and JSON files: shared by every export format."""

from __future__ import annotations

import html
import json
from datetime import UTC, datetime
from pathlib import Path


def iso(t: datetime) -> str:
    """ISO 8601 UTC with a Z, to the second, as the helpdesk APIs write times."""
    return t.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def epoch(t: datetime) -> int:
    """Seconds since 1970 (Intercom's times)."""
    return int(t.timestamp())


def as_html(text: str, wrapper: str = "") -> str:
    """Plain text as a <div> of <p> paragraphs (<br> for single newlines); wrapper adds attributes."""
    paragraphs = "".join(
        "<p>" + html.escape(p).replace("\n", "<br>") + "</p>" for p in text.split("\n\n")
    )
    return f"<div{wrapper}>{paragraphs}</div>"


def dump(path: Path, value: object) -> None:
    """Write value as indented UTF-8 JSON (not ASCII-escaped), creating the folder."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(value, ensure_ascii=False, indent=1) + "\n", "utf-8")


def dump_lines(path: Path, values: list) -> None:
    """Write values as compact JSON Lines, one per line, creating the folder."""
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = (json.dumps(v, ensure_ascii=False, separators=(",", ":")) for v in values)
    path.write_text("\n".join(lines) + "\n", "utf-8")
