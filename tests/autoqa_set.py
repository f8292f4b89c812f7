"""The labelled quality set (tests/data/autoqa) read as the rules read conversations."""

from __future__ import annotations

import json
import re
from pathlib import Path

from review.reviewing.autoqa.conversation import Conversation, Message

FOLDER = Path(__file__).parent / "data" / "autoqa"
LANGUAGES = ("en", "ru", "zh-Hans", "zh-Hant")


def labelled(language: str) -> list[tuple[Conversation, dict[str, int]]]:
    """(conversation, labels) for every conversation of one language."""
    out = []
    with open(FOLDER / f"{language}.jsonl", encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            row = json.loads(line)
            messages = tuple(
                Message(m["id"], m["role"], m["text"], m["at"]) for m in row["messages"]
            )
            conversation = Conversation(number, messages, row["customer_name"], tuple(row["tags"]))
            out.append((conversation, row["labels"]))
    return out


def bars() -> dict[tuple[str, str], tuple[float, float]]:
    """{(category, language): (precision bar, recall bar)} from the README's table."""
    found = {}
    for line in (FOLDER / "README.md").read_text("utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 9 and re.fullmatch(r"\d+(\.\d+)?", cells[3]):
            found[cells[0], cells[1]] = (float(cells[3]), float(cells[4]))
    return found
