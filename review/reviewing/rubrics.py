"""Rubrics: versioned lists of categories read from TOML files and kept in the store.

A rubric file has a `name`, an optional `description` and one `[[category]]` table per
category (see resources/rubrics/default.toml). Saving a rubric whose name exists makes a new
version when the old one is already used by reviews or coaching notes, so old reviews keep the
categories they were made with; an unused rubric is edited in place.
"""

from __future__ import annotations

import functools
import json
import math
import re
import tomllib
from dataclasses import dataclass, field
from importlib import resources as importlib_resources
from pathlib import Path

from sqlite_utils import Database

from review.changes import Changes
from review.errors import InvalidRubric, NotFound
from review.store.undo import now_utc

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


@dataclass(frozen=True)
class Category:
    """A category of a stored rubric version. Ratings run from scale_min to scale_max."""

    id: int
    key: str
    name: str
    description: str
    scale: str
    scale_min: int
    scale_max: int
    weight: float
    allow_na: bool
    critical: bool


@dataclass(frozen=True)
class Rubric:
    """A stored rubric version with its categories in order."""

    id: int
    name: str
    version: int
    categories: list[Category] = field(default_factory=list)
    description: str = ""
    created_at: str = ""
    is_current: bool = False

    def category(self, name_or_key: str) -> Category:
        """The category whose key or name is `name_or_key` (case-insensitive)."""
        wanted = name_or_key.strip().casefold()
        for category in self.categories:
            if wanted in (category.key.casefold(), category.name.casefold()):
                return category
        raise NotFound(f"category in rubric '{self.name}' v{self.version}", repr(name_or_key))

    def category_by_id(self, category_id: int) -> Category:
        """The category with this id, or NotFound when it is not part of this rubric."""
        for category in self.categories:
            if category.id == category_id:
                return category
        raise NotFound(f"category of rubric {self.id}", category_id)


# -- reading and writing files ----------------------------------------------------------------


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


def spec_of(rubric: Rubric) -> RubricSpec:
    """The file form of a stored rubric."""
    return RubricSpec(
        rubric.name,
        tuple(
            CategorySpec(c.key, c.name, c.description, c.scale, c.weight, c.allow_na, c.critical)
            for c in rubric.categories
        ),
        rubric.description,
    )


# -- the store ---------------------------------------------------------------------------------


def import_rubric(db: Database, path: str | Path, make_current: bool = True) -> Rubric:
    """Read a rubric file and save it (see save_rubric). Raises InvalidRubric, storing nothing."""
    return save_rubric(db, load_rubric_file(path), make_current=make_current)


def save_rubric(db: Database, spec: RubricSpec, make_current: bool = True) -> Rubric:
    """Store `spec` under its name and return the stored version.

    Same categories as the latest version: that version is returned unchanged. Otherwise a
    new version is made when the latest one is in use (reviews or coaching action items refer
    to its categories), else the latest version is edited in place.
    """
    with db.atomic():
        row = db.execute(
            "select id, version from rubrics where name = ? order by version desc limit 1",
            [spec.name],
        ).fetchone()
        if row is not None and spec_of(get_rubric(db, row[0])) == spec:
            rubric_id = row[0]
        elif row is not None and not _in_use(db, row[0]):
            rubric_id = row[0]
            db.execute("delete from rubric_categories where rubric_id = ?", [rubric_id])
            db.execute(
                "update rubrics set toml = ? where id = ?", [rubric_to_toml(spec), rubric_id]
            )
            _insert_categories(db, rubric_id, spec)
        else:
            version = 1 if row is None else row[1] + 1
            rubric_id = db.execute(
                "insert into rubrics (name, version, created_at, toml) values (?, ?, ?, ?)",
                [spec.name, version, now_utc(), rubric_to_toml(spec)],
            ).lastrowid
            _insert_categories(db, rubric_id, spec)
        if make_current:
            _make_current(db, rubric_id)
    return get_rubric(db, rubric_id)


def _in_use(db: Database, rubric_id: int) -> bool:
    return bool(
        db.execute(
            "select exists(select 1 from reviews where rubric_id = :r) or exists("
            "select 1 from action_item_categories a join rubric_categories c "
            "on c.id = a.category_id where c.rubric_id = :r)",
            {"r": rubric_id},
        ).fetchone()[0]
    )


def _insert_categories(db: Database, rubric_id: int, spec: RubricSpec) -> None:
    db.conn.executemany(
        "insert into rubric_categories (rubric_id, position, key, name, description, scale, "
        "scale_min, scale_max, weight, allow_na, critical) values (?,?,?,?,?,?,?,?,?,?,?)",
        [
            (
                rubric_id,
                position,
                c.key,
                c.name,
                c.description,
                c.scale,
                c.scale_min,
                c.scale_max,
                c.weight,
                int(c.allow_na),
                int(c.critical),
            )
            for position, c in enumerate(spec.categories)
        ],
    )


def _make_current(db: Database, rubric_id: int) -> None:
    db.execute("update rubrics set is_current = (id = ?)", [rubric_id])


def set_current_rubric(db: Database, rubric_id: int) -> Changes:
    """Make `rubric_id` the rubric new reviews use."""
    get_rubric(db, rubric_id)
    with db.atomic():
        _make_current(db, rubric_id)
    return Changes.of("rubrics")


def export_rubric(db: Database, rubric_id: int, path: str | Path) -> None:
    """Write a stored rubric version to `path` as TOML (UTF-8)."""
    rubric = get_rubric(db, rubric_id)
    header = f"# {rubric.name}, version {rubric.version}, exported from savedesk\n"
    Path(path).write_text(header + rubric_to_toml(spec_of(rubric)), encoding="utf-8")


def get_rubric(db: Database, rubric_id: int) -> Rubric:
    """The stored rubric version `rubric_id` with its categories; NotFound if absent."""
    row = db.execute(
        "select id, name, version, created_at, is_current, toml from rubrics where id = ?",
        [rubric_id],
    ).fetchone()
    if row is None:
        raise NotFound("rubric", rubric_id)
    categories = [
        Category(
            id=r[0],
            key=r[1],
            name=r[2],
            description=r[3] or "",
            scale=r[4],
            scale_min=r[5],
            scale_max=r[6],
            weight=r[7],
            allow_na=bool(r[8]),
            critical=bool(r[9]),
        )
        for r in db.execute(
            "select id, key, name, description, scale, scale_min, scale_max, weight, allow_na, "
            "critical from rubric_categories where rubric_id = ? order by position",
            [rubric_id],
        )
    ]
    description = _description(row[5]) if row[5] else ""
    return Rubric(row[0], row[1], row[2], categories, description, row[3], bool(row[4]))


@functools.lru_cache(maxsize=64)
def _description(toml_text: str) -> str:
    # the description lives only in the stored file; parsing it at every get_rubric would
    # dominate a rating's cost
    try:
        return str(tomllib.loads(toml_text).get("description", ""))
    except tomllib.TOMLDecodeError:
        return ""


def list_rubrics(db: Database) -> list[Rubric]:
    """Every stored rubric version, by name then version."""
    ids = [r[0] for r in db.execute("select id from rubrics order by name, version")]
    return [get_rubric(db, i) for i in ids]


def current_rubric(db: Database) -> Rubric:
    """The rubric new reviews use; installs the default rubric on first use."""
    row = db.execute("select id from rubrics where is_current = 1 limit 1").fetchone()
    if row is None:
        row = db.execute("select id from rubrics order by id desc limit 1").fetchone()
        if row is None:
            return save_rubric(db, default_rubric_spec())
        set_current_rubric(db, row[0])
    return get_rubric(db, row[0])


def rubric_usage(db: Database, rubric_id: int) -> int:
    """How many reviews use this rubric version."""
    return db.execute("select count(*) from reviews where rubric_id = ?", [rubric_id]).fetchone()[0]
