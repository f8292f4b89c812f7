"""A small team store built with plain Store inserts (no importer, no rubric code), so the
team-store tests depend only on the schema: the same on a SQLite file and on a server."""

from __future__ import annotations

from dataclasses import dataclass

import psycopg

NOW = "2026-01-05T10:00:00Z"


def build_team(db, prefix: str) -> dict:
    """Teams A and B with agents Ann (A) and Bob (B), conversations c1, c3, c4 (Ann) and c2
    (Bob), a two-category pass/fail rubric, reviews a_c1 and a_c3 by `{prefix}_lead_a`, b_c1
    and b_c2 by `{prefix}_lead_b`, and a coaching note on each agent: their ids by name."""
    ids: dict = {}
    for team in ("A", "B"):
        ids[f"team_{team}"] = db.insert("teams", {"source": "t", "external_id": team, "name": team})
    ids["ann"] = db.insert(
        "agents", {"source": "t", "external_id": "ann", "name": "Ann", "team_id": ids["team_A"]}
    )
    ids["bob"] = db.insert(
        "agents", {"source": "t", "external_id": "bob", "name": "Bob", "team_id": ids["team_B"]}
    )
    ids["customer"] = db.insert("customers", {"source": "t", "external_id": "c", "name": "C"})
    for name, agent, team in (("c1", "ann", "A"), ("c2", "bob", "B"), ("c3", "ann", "A"),
                              ("c4", "ann", "A")):  # fmt: skip
        ids[name] = db.insert(
            "conversations",
            {"source": "t", "external_id": name, "subject": name, "agent_id": ids[agent],
             "team_id": ids[f"team_{team}"], "customer_id": ids["customer"], "created_at": NOW},
        )  # fmt: skip
        db.insert(
            "messages",
            {"conversation_id": ids[name], "external_id": f"{name}-1", "body_text": "Hi",
             "author_role": "customer", "created_at": NOW},
        )  # fmt: skip
    # inserted as rows: the store's own rubric code is being ported to PostgreSQL (issue 14b)
    ids["rubric"] = db.insert(
        "rubrics", {"name": "Default", "version": 1, "created_at": NOW, "is_current": 1}
    )
    for position, key in enumerate(("tone", "accuracy"), 1):
        ids[key] = db.insert(
            "rubric_categories",
            {"rubric_id": ids["rubric"], "position": position, "key": key, "name": key,
             "scale": "pass_fail", "scale_min": 0, "scale_max": 1},
        )  # fmt: skip
    ids["category"] = ids["tone"]
    for key, conversation, reviewer, agent in (
        ("a_c1", "c1", "lead_a", "ann"),  # lead A's own review of their agent
        ("b_c1", "c1", "lead_b", "ann"),  # lead B calibrating on the same conversation
        ("b_c2", "c2", "lead_b", "bob"),  # lead B's own agent: lead A never sees it
        ("a_c3", "c3", "lead_a", "ann"),
    ):
        ids[key] = db.insert(
            "reviews",
            {"conversation_id": ids[conversation], "rubric_id": ids["rubric"],
             "reviewer": f"{prefix}_{reviewer}", "agent_id": ids[agent], "created_at": NOW,
             "updated_at": NOW},
        )  # fmt: skip
        db.insert(
            "review_ratings",
            {"review_id": ids[key], "category_id": ids["category"], "rating": 1, "is_na": 0},
            returning="review_id",
        )
    ids["note_ann"] = db.insert(
        "coaching_notes",
        {"agent_id": ids["ann"], "author": f"{prefix}_lead_a", "text": "Good", "created_at": NOW,
         "updated_at": NOW},
    )  # fmt: skip
    ids["note_bob"] = db.insert(
        "coaching_notes",
        {"agent_id": ids["bob"], "author": f"{prefix}_lead_b", "text": "Fine", "created_at": NOW,
         "updated_at": NOW},
    )  # fmt: skip
    return ids


@dataclass
class Team:
    """A team store with two teams, their agents, conversations, reviews and people."""

    server: object
    database: str
    ids: dict
    logins: dict

    def url(self, login: str | None = None) -> str:
        return self.server.url(self.database, user=self.logins[login] if login else None)

    def sql(self, login: str) -> psycopg.Connection:
        """A psql-like connection signed in as `login` (a key of `logins`)."""
        return psycopg.connect(self.url(login), autocommit=True)

    def superuser(self) -> psycopg.Connection:
        return psycopg.connect(self.url(), autocommit=True)


def team_store(pg_server, pg_databases) -> Team:
    """A team store on the test server: `admin init`, build_team, and a login per person."""
    from review.store import connect
    from review.store.roles import add_person, init_server

    database = pg_databases.create(keep=True)  # a module's fixture: kept for its tests
    prefix = f"p{database}"
    url = pg_server.url(database)
    init_server(url)
    db = connect(url)
    try:
        ids = build_team(db, prefix)
    finally:
        db.close()
    logins = {
        name: f"{prefix}_{name}"
        for name in ("agent_ann", "agent_bob", "lead_a", "lead_b", "manager", "admin")
    }
    add_person(url, logins["agent_ann"], "agent", agent="Ann")
    add_person(url, logins["agent_bob"], "agent", agent="bob")
    add_person(url, logins["lead_a"], "lead", teams=("A",))
    add_person(url, logins["lead_b"], "lead", teams=("B",))
    add_person(url, logins["manager"], "manager")
    add_person(url, logins["admin"], "admin")
    return Team(pg_server, database, ids, logins)
