"""Masking customers' e-mail addresses, phone numbers and names in report text.

`mask_figures` returns a copy of any report's figures with every free-text field masked (the
excerpts, stories, comments, conversation labels) and customer names replaced, so the layout
code never sees the originals. Masking errs on the side of hiding: a long run of digits that
looks like a phone number is masked even if it was an order number.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from collections.abc import Iterable

from review.figures.coaching_review import ActionRow, NoteRow, OutcomeRow, RatingRow, ReviewRow
from review.figures.coverage import Coverage
from review.figures.excerpts import ConversationRef, Excerpt
from review.figures.saved_revenue import SaveStory

EMAIL_MASK = "[e-mail]"
PHONE_MASK = "[phone]"
NAME_MASK = "[customer]"

# ASCII classes on purpose: Chinese characters are \w too, and often touch an address or a
# number with no space between.
EMAIL = re.compile(r"[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
# 7+ digits with optional +/00 prefix and single separators (space, dot, dash, brackets).
PHONE = re.compile(r"(?<![0-9A-Za-z+])(?:\+|00)?\(?\d(?:[ .\-()/]{0,2}\d){6,}(?![0-9A-Za-z])")
LETTERS = "A-Za-z\u00c0-\u024f\u0370-\u03ff\u0400-\u052f"  # Latin, Greek, Cyrillic
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
CJK_HONORIFICS = ("先生", "女士", "小姐", "老师", "老師", "总", "總")

# The free-text fields of each figure type that may quote a customer.
TEXT_FIELDS: dict[type, tuple[str, ...]] = {
    Excerpt: ("text",),
    ConversationRef: ("label",),
    SaveStory: ("story",),
    RatingRow: ("comment",),
    ReviewRow: ("overall_comment",),
    OutcomeRow: ("conversation", "words"),
    NoteRow: ("text",),
    ActionRow: ("text",),
}


def _is_cjk(text: str) -> bool:
    return any(unicodedata.name(ch, "").startswith("CJK UNIFIED") for ch in text)


def name_variants(name: str) -> list[str]:
    """The forms a customer's name may take in text, longest first.

    "Anna Petrova" -> ["Anna Petrova", "Petrova", "Anna"]; "王小明" -> ["王小明", "王先生", ...,
    "小明"] (full name, surname with an honorific, given name).
    """
    name = " ".join((name or "").split())
    if not name:
        return []
    variants = {name}
    if _is_cjk(name) and " " not in name:
        if 2 <= len(name) <= 4:
            variants.update(name[0] + h for h in CJK_HONORIFICS)
            if len(name) >= 3:
                variants.add(name[1:])
    else:
        variants.update(part for part in re.split(r"[\s,]+", name) if len(part) >= 2)
    return sorted(variants, key=lambda v: (-len(v), v))


def _name_pattern(names: Iterable[str]) -> re.Pattern | None:
    alternatives = []
    for variant in sorted({v for n in names for v in name_variants(n)}, key=lambda v: -len(v)):
        escaped = re.escape(variant)
        # Latin/Cyrillic names must stand as words ("Ann" not inside "Annual"); Chinese has no
        # spaces between words, so its names match anywhere.
        alternatives.append(
            escaped if _is_cjk(variant) else rf"(?<![{LETTERS}]){escaped}(?![{LETTERS}])"
        )
    if not alternatives:
        return None
    return re.compile("|".join(alternatives), re.IGNORECASE)


def _mask_phone(match: re.Match) -> str:
    text = match.group(0)
    return text if ISO_DATE.fullmatch(text) else PHONE_MASK


def mask_text(text: str, names: Iterable[str] = ()) -> str:
    """`text` with e-mail addresses, phone numbers and the given customer names masked."""
    if not text:
        return text
    text = EMAIL.sub(EMAIL_MASK, text)
    text = PHONE.sub(_mask_phone, text)
    pattern = _name_pattern(names)
    return pattern.sub(NAME_MASK, text) if pattern else text


def customer_names(figures: object) -> set[str]:
    """Every customer name named anywhere in a report's figures."""
    names: set[str] = set()

    def walk(value: object) -> None:
        if isinstance(value, ConversationRef) and value.customer_name:
            names.add(value.customer_name)
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            for field in dataclasses.fields(value):
                walk(getattr(value, field.name))
        elif isinstance(value, tuple | list):
            for item in value:
                walk(item)

    walk(figures)
    return names


def mask_figures(figures):
    """A copy of `figures` with customers' e-mail addresses, phone numbers and names masked in
    every free-text field, the customer fields blanked, and the header marked as masked."""
    names = customer_names(figures)

    def walk(value):
        if isinstance(value, tuple):
            return tuple(walk(item) for item in value)
        if not dataclasses.is_dataclass(value) or isinstance(value, type):
            return value
        changes: dict[str, object] = {}
        for field in dataclasses.fields(value):
            current = getattr(value, field.name)
            if field.name in TEXT_FIELDS.get(type(value), ()) and isinstance(current, str):
                changes[field.name] = mask_text(current, names)
            elif isinstance(current, tuple) or dataclasses.is_dataclass(current):
                changes[field.name] = walk(current)
        if isinstance(value, ConversationRef):
            changes["customer_name"] = NAME_MASK if value.customer_name else None
            changes["customer_email"] = None
            changes["customer_phone"] = None
        if isinstance(value, Excerpt) and value.role == "customer":
            changes["author"] = NAME_MASK
        if isinstance(value, Coverage):
            changes["masked"] = True
        return dataclasses.replace(value, **changes)

    return walk(figures)
