"""Rubric files: the TOML a team writes (a `name`, an optional `description`, one
`[[category]]` table per category, see resources/rubrics/default.toml), checked with the line
and problem of any mistake, and written back the same way."""

from __future__ import annotations

import json
import math
import re
import tomllib
from dataclasses import dataclass
from importlib import resources as importlib_resources
from pathlib import Path

from review.errors import InvalidRubric

# scale name -> (lowest rating, highest rating); pass/fail is 0 = fail, 1 = pass
SCALES: dict[str, tuple[int, int]] = {
    "pass_fail": (0, 1),
    "1-3": (1, 3),
    "1-4": (1, 4),
    "1-5": (1, 5),
}
TOP_KEYS = ("name", "description", "category")
CATEGORY_KEYS = ("key", "name", "description", "scale", "weight", "allow_na", "critical")
DEFAULT_RUBRIC = "default.toml"


@dataclass(frozen=True)
class CategorySpec:
    """One category as written in a rubric file (no id yet)."""

    key: str
    name: str
    description: str
    scale: str
    weight: float
    allow_na: bool
    critical: bool

    @property
    def scale_min(self) -> int:
        return SCALES[self.scale][0]

    @property
    def scale_max(self) -> int:
        return SCALES[self.scale][1]


@dataclass(frozen=True)
class RubricSpec:
    """A rubric as written in a file: name, description, categories in order."""

    name: str
    categories: tuple[CategorySpec, ...]
    description: str = ""


def load_rubric_file(path: str | Path) -> RubricSpec:
    """Read and check a rubric TOML file. Raises InvalidRubric naming the line and problem."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidRubric(str(path), f"cannot read the file ({exc})") from exc
    return parse_rubric(text, str(path))


def parse_rubric(text: str, source: str = "<rubric>") -> RubricSpec:
    """Check rubric TOML `text` (from `source`, for messages) and return its spec."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"line (\d+)", str(exc))
        problem = re.sub(r" \(at .*\)$", "", str(exc))
        raise InvalidRubric(
            source, f"not valid TOML ({problem})", int(match.group(1)) if match else None
        ) from exc
    lines = _Lines(text)

    def fail(problem: str, key: str | None = None, index: int | None = None) -> InvalidRubric:
        return InvalidRubric(source, problem, lines.find(key, index))

    for key in data:
        if key not in TOP_KEYS:
            raise fail(f"unknown key '{key}' (a rubric has {', '.join(TOP_KEYS)})", key)
    name = data.get("name")
    if not isinstance(name, str) or not name.strip():
        raise fail('the rubric needs a name (name = "...")', "name" if "name" in data else None)
    description = data.get("description", "")
    if not isinstance(description, str):
        raise fail("description must be text", "description")
    raw = data.get("category", [])
    if not isinstance(raw, list):
        raise fail("categories are written as [[category]] tables", "category")
    if not raw:
        raise fail("the rubric is empty: add at least one [[category]]", "category")
    categories: list[CategorySpec] = []
    seen_keys: dict[str, int] = {}
    seen_names: dict[str, int] = {}
    for i, item in enumerate(raw):
        if not isinstance(item, dict):
            raise fail(f"category {i + 1} is not a table", "category", i)
        spec = _category(item, i, fail)
        for seen, value, what in (
            (seen_names, spec.name.casefold(), "name"),
            (seen_keys, spec.key.casefold(), "key"),
        ):
            if value in seen:
                raise fail(
                    f"duplicate category {what} '{getattr(spec, what)}' "
                    f"(also category {seen[value] + 1})",
                    what if what in item else "name",
                    i,
                )
            seen[value] = i
        categories.append(spec)
    return RubricSpec(name.strip(), tuple(categories), description.strip())


def _category(item: dict, i: int, fail) -> CategorySpec:
    for key in item:
        if key not in CATEGORY_KEYS:
            raise fail(
                f"unknown key '{key}' in category {i + 1} (a category has "
                f"{', '.join(CATEGORY_KEYS)})",
                key,
                i,
            )
    name = item.get("name")
    if not isinstance(name, str) or not name.strip():
        raise fail(f"category {i + 1} needs a name", "name" if "name" in item else None, i)
    key = item.get("key")
    if key is None:
        key = re.sub(r"\W+", "_", name.strip().casefold()).strip("_") or f"c{i + 1}"
    elif not isinstance(key, str) or not re.fullmatch(r"[\w-]+", key):
        raise fail(f"key {key!r} must be letters, digits, '_' or '-'", "key", i)
    description = item.get("description", "")
    if not isinstance(description, str):
        raise fail("description must be text", "description", i)
    scale = item.get("scale")
    if scale is None:
        raise fail(f"category '{name}' needs a scale ({', '.join(SCALES)})", None, i)
    if scale not in SCALES:
        raise fail(f"unknown scale {scale!r} (use one of {', '.join(SCALES)})", "scale", i)
    weight = item.get("weight", 1)
    if isinstance(weight, bool) or not isinstance(weight, int | float) or not math.isfinite(weight):
        raise fail(f"weight must be a number, not {weight!r}", "weight", i)
    if weight <= 0:
        raise fail(f"weight must be above 0 (it is {weight})", "weight", i)
    flags = {}
    for flag in ("allow_na", "critical"):
        value = item.get(flag, False)
        if not isinstance(value, bool):
            raise fail(f"{flag} must be true or false, not {value!r}", flag, i)
        flags[flag] = value
    return CategorySpec(
        key=key,
        name=name.strip(),
        description=description.strip(),
        scale=scale,
        weight=float(weight),
        allow_na=flags["allow_na"],
        critical=flags["critical"],
    )


class _Lines:
    """Finds the line of a key in rubric text (tomllib reports lines only for syntax errors)."""

    HEADER = re.compile(r"^\s*\[\[\s*category\s*\]\]")

    def __init__(self, text: str):
        self.lines = text.splitlines()
        self.headers = [n for n, line in enumerate(self.lines) if self.HEADER.match(line)]

    def find(self, key: str | None, index: int | None = None) -> int | None:
        """1-based line of `key` at the top level (index None) or in category `index`."""
        if index is None:
            start, end = 0, (self.headers[0] if self.headers else len(self.lines))
        elif index < len(self.headers):
            start = self.headers[index]
            end = self.headers[index + 1] if index + 1 < len(self.headers) else len(self.lines)
        else:
            start, end = 0, len(self.lines)
        if key is not None:
            pattern = re.compile(
                rf"""^\s*(?:{re.escape(key)}|"{re.escape(key)}"|'{re.escape(key)}')\s*=|"""
                rf"^\s*\[\[?\s*{re.escape(key)}\s*\]"
            )
            for n in range(start, end):
                if pattern.match(self.lines[n]):
                    return n + 1
            if index is None and key == "category" and self.headers:
                return self.headers[0] + 1
        if index is not None and index < len(self.headers):
            return start + 1
        return None if key is not None or index is not None else 1


def rubric_to_toml(spec: RubricSpec) -> str:
    """The rubric as a TOML file that load_rubric_file reads back to an equal spec."""

    def text(value: str) -> str:
        return json.dumps(value, ensure_ascii=False)  # JSON string escapes are valid TOML

    def number(value: float) -> str:
        return str(int(value)) if float(value).is_integer() else repr(float(value))

    out = [f"name = {text(spec.name)}"]
    if spec.description:
        out.append(f"description = {text(spec.description)}")
    for c in spec.categories:
        out += [
            "",
            "[[category]]",
            f"key = {text(c.key)}",
            f"name = {text(c.name)}",
            f"description = {text(c.description)}",
            f"scale = {text(c.scale)}",
            f"weight = {number(c.weight)}",
            f"allow_na = {'true' if c.allow_na else 'false'}",
            f"critical = {'true' if c.critical else 'false'}",
        ]
    return "\n".join(out) + "\n"


def default_rubric_spec() -> RubricSpec:
    """The rubric that ships with savedesk (resources/rubrics/default.toml)."""
    source = importlib_resources.files("resources.rubrics") / DEFAULT_RUBRIC
    return parse_rubric(source.read_text(encoding="utf-8"), str(source))
