"""Pushing a lead's laptop database into the team store: `savedesk push FILE.db URL`.

Everything goes in one transaction on the team store, or nothing does. Conversations (with
their people and messages) are merged by helpdesk id: one the team store has already is left as
it is there, so two leads who imported the same export create no duplicates and pushing again
adds nothing. Reviews become the pushing login's (or, pushed by an admin, the `--as` login's):
a review the team store does not have is added; one it has is updated when the laptop's is
newer and differs, else left. A review the server refuses (an agent outside the lead's teams)
is counted, not pushed. The report reads like an import's ledger.

Not pushed yet (counted in the report): tags, saved and lost customers, coaching notes.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from review.errors import NotAllowed
from review.reviewing.scoring import score
from review.store import Store
from review.store.roles import acting_as, may_import

PEOPLE = ("teams", "agents", "customers")
NOT_YET = ("conversation_tags", "saves", "losses", "coaching_notes")


@dataclass
class PushReport:
    """What a push did (or, dry, would do), by kind of record."""

    reviewer: str
    dry_run: bool = False
    counts: dict[str, dict[str, int]] = field(default_factory=dict)

    def add(self, kind: str, outcome: str, n: int = 1) -> None:
        """Count `n` records of `kind` with `outcome` (added, already there, ...)."""
        by = self.counts.setdefault(kind, {})
        by[outcome] = by.get(outcome, 0) + n

    def get(self, kind: str, outcome: str) -> int:
        """How many records of `kind` had `outcome`."""
        return self.counts.get(kind, {}).get(outcome, 0)

    def lines(self) -> list[str]:
        """The report as a person reads it, one line per kind of record."""
        head = "Would push" if self.dry_run else "Pushed"
        out = [f"{head} as {self.reviewer}:"]
        for kind, outcomes in self.counts.items():
            parts = ", ".join(f"{n} {outcome}" for outcome, n in outcomes.items() if n)
            out.append(f"  {kind}: {parts or 'none'}")
        if self.dry_run:
            out.append("Dry run: nothing was written.")
        return out


class _DryRun(Exception):
    """Raised at the end of a dry run to undo the whole transaction."""


def push(source: Store, target: Store, *, as_login: str | None = None, dry_run: bool = False):
    """Push the laptop store `source` into the team store `target`; the PushReport."""
    report = PushReport(reviewer="")
    try:
        with target.atomic():
            report.reviewer = acting_as(target, as_login)
            report.dry_run = dry_run
            importing = may_import(target)
            ids: dict[str, dict[int, int | None]] = {}
            for table in PEOPLE:
                ids[table] = _people(source, target, table, importing, report, ids.get("teams"))
            conversations = _conversations(source, target, ids, importing, report)
            rubrics = _rubrics(source, target, importing, report)
            _reviews(source, target, conversations, ids["agents"], rubrics, report)
            for table in NOT_YET:
                n = source.execute(f"select count(*) from {table}").scalar()
                if n:
                    report.add(table, "not pushed yet", n)
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    return report


def _people(
    source: Store,
    target: Store,
    table: str,
    importing: bool,
    report: PushReport,
    teams: dict[int, int | None] | None = None,
) -> dict[int, int | None]:
    """Teams, agents (with `teams` mapped) or customers by helpdesk id: source id -> target id
    (None: not on the team store)."""
    columns = ["source", "external_id", "name"] + (["email", "phone"] if table != "teams" else [])
    found = {
        (r[1], r[2]): r[0] for r in target.execute(f"select id, source, external_id from {table}")
    }
    mapping: dict[int, int | None] = {}
    for row in source.execute(
        f"select id, {', '.join(columns)}"
        + (", team_id" if table == "agents" else "")
        + f" from {table} order by id"
    ):
        key = (row[1], row[2])
        if key in found:
            mapping[row[0]] = found[key]
            report.add(table, "already there")
            continue
        if not importing:
            mapping[row[0]] = None
            report.add(table, "not on the team store")
            continue
        values = dict(zip(columns, row[1 : 1 + len(columns)], strict=True))
        if table == "agents":
            values["team_id"] = (teams or {}).get(row[-1]) if row[-1] is not None else None
        mapping[row[0]] = found[key] = target.insert(table, values)
        report.add(table, "added")
    return mapping


CONVERSATION_COLUMNS = (
    "source", "external_id", "number", "subject", "channel", "status", "created_at",
    "updated_at", "closed_at", "message_count", "custom_fields", "record_digest",
)  # fmt: skip
MESSAGE_COLUMNS = (
    "external_id", "kind", "author_role", "author_external_id", "author_name", "is_internal",
    "created_at", "updated_at", "body_text", "body_html",
)  # fmt: skip


def _conversations(source, target, ids, importing: bool, report: PushReport) -> dict[int, int]:
    """Conversations by helpdesk id, with their messages where added: source id -> target id
    (only those the team store has, or now has)."""
    found = {
        (r[1], r[2]): r[0]
        for r in target.execute("select id, source, external_id from conversations")
    }
    mapping: dict[int, int] = {}
    rows = source.execute(
        f"select id, agent_id, team_id, customer_id, {', '.join(CONVERSATION_COLUMNS)} "
        "from conversations order by id"
    ).fetchall()
    for row in rows:
        key = (row[4], row[5])
        if key in found:
            mapping[row[0]] = found[key]
            report.add("conversations", "already there")
            continue
        if not importing:
            report.add("conversations", "not on the team store (an admin imports them)")
            continue
        values = dict(zip(CONVERSATION_COLUMNS, row[4:], strict=True))
        values["agent_id"] = ids["agents"].get(row[1]) if row[1] is not None else None
        values["team_id"] = ids["teams"].get(row[2]) if row[2] is not None else None
        values["customer_id"] = ids["customers"].get(row[3]) if row[3] is not None else None
        new_id = target.insert("conversations", values)
        mapping[row[0]] = found[key] = new_id
        messages = [
            {"conversation_id": new_id, **dict(zip(MESSAGE_COLUMNS, m, strict=True))}
            for m in source.execute(
                f"select {', '.join(MESSAGE_COLUMNS)} from messages "
                "where conversation_id = :c order by id",
                {"c": row[0]},
            )
        ]
        target.insert_rows("messages", messages)
        report.add("conversations", "added")
        report.add("messages", "added", len(messages))
    return mapping


@dataclass(frozen=True)
class _Rubric:
    id: int
    categories: dict[int, int]  # source category id -> target category id


def _rubrics(source, target, importing: bool, report: PushReport) -> dict[int, _Rubric]:
    """Rubric versions by name and version, with their categories by key."""
    mapping: dict[int, _Rubric] = {}
    used = {r[0] for r in source.execute("select distinct rubric_id from reviews")}
    for rubric_id, name, version, created_at, toml in source.execute(
        "select id, name, version, created_at, toml from rubrics order by id"
    ):
        if rubric_id not in used:
            continue
        there = target.execute(
            "select id from rubrics where name = :n and version = :v", {"n": name, "v": version}
        ).scalar()
        columns = ("position", "key", "name", "description", "scale", "scale_min",
                   "scale_max", "weight", "allow_na", "critical")  # fmt: skip
        categories = source.execute(
            f"select id, {', '.join(columns)} from rubric_categories where rubric_id = :r",
            {"r": rubric_id},
        ).fetchall()
        if there is None:
            if not importing:
                report.add("rubrics", "not on the team store (an admin adds them)")
                continue
            there = target.insert(
                "rubrics",
                {"name": name, "version": version, "created_at": created_at, "toml": toml,
                 "is_current": 0},
            )  # fmt: skip
            for category in categories:
                target.insert(
                    "rubric_categories",
                    {"rubric_id": there, **dict(zip(columns, category[1:], strict=True))},
                )
            report.add("rubrics", "added")
        else:
            report.add("rubrics", "already there")
        keys = {
            r[1]: r[0]
            for r in target.execute(
                "select id, key from rubric_categories where rubric_id = :r", {"r": there}
            )
        }
        mapping[rubric_id] = _Rubric(there, {c[0]: keys[c[2]] for c in categories if c[2] in keys})
    return mapping


def _ratings(store: Store, review_id: int, categories: dict[int, int] | None = None):
    rows = store.execute(
        "select category_id, rating, is_na, comment from review_ratings where review_id = :r",
        {"r": review_id},
    ).fetchall()
    if categories is None:
        return {r[0]: tuple(r[1:]) for r in rows}
    return {categories[r[0]]: tuple(r[1:]) for r in rows if r[0] in categories}


def _reviews(source, target, conversations, agents, rubrics, report: PushReport) -> None:
    who = report.reviewer
    for row in source.execute(
        "select id, conversation_id, rubric_id, agent_id, overall_comment, created_at, "
        "updated_at from reviews where calibration_session_id is null order by id"
    ).fetchall():
        review_id, conversation, rubric_id, agent, comment, created, updated = row
        if conversation not in conversations or rubric_id not in rubrics:
            report.add("reviews", "left out (conversation or rubric not on the team store)")
            continue
        rubric = rubrics[rubric_id]
        ratings = _ratings(source, review_id, rubric.categories)
        values = {
            "conversation_id": conversations[conversation],
            "rubric_id": rubric.id,
            "agent_id": agents.get(agent) if agent is not None else None,
            "overall_comment": comment,
        }
        try:
            with target.atomic():
                outcome = _put_review(target, who, values, ratings, created, updated)
        except NotAllowed:
            outcome = "refused by the server (not yours to review)"
        report.add("reviews", outcome)


def _put_review(target, who, values, ratings, created, updated) -> str:
    there = target.execute(
        "select id, rubric_id, agent_id, overall_comment, updated_at from reviews "
        "where conversation_id = :c and reviewer = :w and calibration_session_id is null",
        {"c": values["conversation_id"], "w": who},
    ).fetchone()
    if there is not None:
        same = (there[1], there[2], there[3]) == (
            values["rubric_id"], values["agent_id"], values["overall_comment"]
        ) and _ratings(target, there[0]) == ratings  # fmt: skip
        if same:
            return "already there"
        if (there[4] or "") >= (updated or ""):
            return "kept (the team store's is newer)"
        target.execute("delete from review_ratings where review_id = :r", {"r": there[0]})
        target.execute(
            "update reviews set rubric_id = :rubric_id, agent_id = :agent_id, "
            "overall_comment = :overall_comment, updated_at = :u, version = version + 1 "
            "where id = :id",
            {**values, "u": updated, "id": there[0]},
        )
        review_id, outcome = there[0], "updated"
    else:
        review_id = target.insert(
            "reviews",
            {**values, "reviewer": who, "created_at": created, "updated_at": updated},
        )
        outcome = "added"
    target.insert_rows(
        "review_ratings",
        [
            {"review_id": review_id, "category_id": c, "rating": r[0], "is_na": r[1],
             "comment": r[2]}
            for c, r in ratings.items()
        ],
    )  # fmt: skip
    _score(target, review_id, values["rubric_id"])
    return outcome


def _score(target: Store, review_id: int, rubric_id: int) -> None:
    from review.reviewing.rubrics import get_rubric

    rated = dict(
        target.execute(
            "select category_id, rating from review_ratings where review_id = :r "
            "and rating is not null",
            {"r": review_id},
        ).fetchall()
    )
    result = score(get_rubric(target, rubric_id).categories, rated)
    target.execute(
        "update reviews set score = :s, critical_failed = :f where id = :id",
        {"s": result.score, "f": int(result.critical_failed), "id": review_id},
    )
