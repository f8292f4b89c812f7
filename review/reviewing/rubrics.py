"""Rubrics in the store: versioned lists of categories, read from rubric files
(review.reviewing.rubric_files). Saving a rubric whose name exists makes a new version when the
old one is already used by reviews or coaching notes, so old reviews keep the categories they
were made with; an unused rubric is edited in place.
"""

from __future__ import annotations

import functools
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from review.changes import Changes
from review.errors import NotFound
from review.reviewing.rubric_files import (
    CategorySpec,
    RubricSpec,
    default_rubric_spec,
    load_rubric_file,
    rubric_to_toml,
)
from review.store import Store
from review.store.undo import now_utc


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


def import_rubric(db: Store, path: str | Path, make_current: bool = True) -> Rubric:
    """Read a rubric file and save it (see save_rubric). Raises InvalidRubric, storing nothing."""
    return save_rubric(db, load_rubric_file(path), make_current=make_current)


def save_rubric(db: Store, spec: RubricSpec, make_current: bool = True) -> Rubric:
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
                "insert into rubrics (name, version, created_at, toml) values (?, ?, ?, ?) returning id",
                [spec.name, version, now_utc(), rubric_to_toml(spec)],
            ).scalar()
            _insert_categories(db, rubric_id, spec)
        if make_current:
            _make_current(db, rubric_id)
    return get_rubric(db, rubric_id)


def _in_use(db: Store, rubric_id: int) -> bool:
    return bool(
        db.execute(
            "select exists(select 1 from reviews where rubric_id = :r) or exists("
            "select 1 from action_item_categories a join rubric_categories c "
            "on c.id = a.category_id where c.rubric_id = :r)",
            {"r": rubric_id},
        ).fetchone()[0]
    )


def _insert_categories(db: Store, rubric_id: int, spec: RubricSpec) -> None:
    db.executemany(
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


def _make_current(db: Store, rubric_id: int) -> None:
    db.execute(
        "update rubrics set is_current = case when id = :id then 1 else 0 end", {"id": rubric_id}
    )


def set_current_rubric(db: Store, rubric_id: int) -> Changes:
    """Make `rubric_id` the rubric new reviews use."""
    get_rubric(db, rubric_id)
    with db.atomic():
        _make_current(db, rubric_id)
    return Changes.of("rubrics")


def export_rubric(db: Store, rubric_id: int, path: str | Path) -> None:
    """Write a stored rubric version to `path` as TOML (UTF-8)."""
    rubric = get_rubric(db, rubric_id)
    header = f"# {rubric.name}, version {rubric.version}, exported from savedesk\n"
    Path(path).write_text(header + rubric_to_toml(spec_of(rubric)), encoding="utf-8")


def get_rubric(db: Store, rubric_id: int) -> Rubric:
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


def list_rubrics(db: Store) -> list[Rubric]:
    """Every stored rubric version, by name then version."""
    ids = [r[0] for r in db.execute("select id from rubrics order by name, version")]
    return [get_rubric(db, i) for i in ids]


def current_rubric(db: Store) -> Rubric:
    """The rubric new reviews use; installs the default rubric on first use."""
    row = db.execute("select id from rubrics where is_current = 1 limit 1").fetchone()
    if row is None:
        row = db.execute("select id from rubrics order by id desc limit 1").fetchone()
        if row is None:
            return save_rubric(db, default_rubric_spec())
        set_current_rubric(db, row[0])
    return get_rubric(db, row[0])


def current_rubric_id(db: Store) -> int:
    """The id of the rubric new reviews use (as current_rubric, without reading it whole)."""
    row = db.execute("select id from rubrics where is_current = 1 limit 1").fetchone()
    return row[0] if row is not None else current_rubric(db).id


def rubric_usage(db: Store, rubric_id: int) -> int:
    """How many reviews use this rubric version."""
    return db.execute("select count(*) from reviews where rubric_id = ?", [rubric_id]).fetchone()[0]
