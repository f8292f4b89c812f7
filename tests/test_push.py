"""`savedesk push`: two leads' laptops that imported the same export go into one team store
without duplicate conversations, and pushing again adds nothing. On the session's throwaway
PostgreSQL server (skipped where PostgreSQL is not installed)."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from review.errors import SavedeskError
from review.importing.push import push
from review.store import connect, open_store
from tests.teamdata import Team, team_store

LATER = "2026-01-06T09:00:00Z"


@pytest.fixture(scope="module")
def team(pg_server, pg_databases) -> Team:
    return team_store(pg_server, pg_databases)


def _laptop(
    path, conversations: list[str], reviews: dict[str, dict[str, int]], comment: str, when=LATER
):
    """A lead's SQLite file with the same export's people, the conversations named (as the
    team store's builder names them: source 't'), the same rubric, and rated reviews."""
    db = open_store(path)
    team = db.insert("teams", {"source": "t", "external_id": "A", "name": "A"})
    ann = db.insert("agents", {"source": "t", "external_id": "ann", "name": "Ann", "team_id": team})
    ids = {}
    for name in conversations:
        ids[name] = db.insert(
            "conversations",
            {"source": "t", "external_id": name, "subject": name, "team_id": team,
             "agent_id": ann if name == "c1" else None, "created_at": LATER},
        )  # fmt: skip
        db.insert(
            "messages",
            {"conversation_id": ids[name], "external_id": f"{name}-1", "body_text": "Отмена",
             "author_role": "customer", "created_at": LATER},
        )  # fmt: skip
    rubric = db.insert("rubrics", {"name": "Default", "version": 1, "created_at": LATER})
    categories = {
        key: db.insert(
            "rubric_categories",
            {
                "rubric_id": rubric,
                "position": n,
                "key": key,
                "name": key,
                "scale": "pass_fail",
                "scale_min": 0,
                "scale_max": 1,
            },
        )  # fmt: skip
        for n, key in enumerate(("tone", "accuracy"), 1)
    }
    for name, ratings in reviews.items():
        review = db.insert(
            "reviews",
            {"conversation_id": ids[name], "rubric_id": rubric, "reviewer": "Laptop name",
             "agent_id": ann if name == "c1" else None, "overall_comment": comment,
             "created_at": when, "updated_at": when},
        )  # fmt: skip
        for key, rating in ratings.items():
            db.insert(
                "review_ratings",
                {"review_id": review, "category_id": categories[key], "rating": rating,
                 "is_na": 0},
                returning="review_id",
            )  # fmt: skip
    db.close()
    return path


def _counts(team: Team) -> tuple:
    with team.superuser() as root:
        return root.execute(
            "select (select count(*) from conversations), (select count(*) from messages), "
            "(select count(*) from reviews), (select count(*) from review_ratings)"
        ).fetchone()


def test_two_leads_pushing_one_export_make_no_duplicates(team, tmp_path):
    lena = _laptop(tmp_path / "lena.db", ["c1", "c9"],
                   {"c1": {"tone": 1, "accuracy": 0}, "c9": {"tone": 1}}, "Lena's")  # fmt: skip
    omar = _laptop(tmp_path / "omar.db", ["c1", "c9", "c10"],
                   {"c9": {"tone": 0}, "c10": {"tone": 1, "accuracy": 1}}, "Omar's")  # fmt: skip
    admin = connect(team.url("admin"))
    before = _counts(team)

    def run(path, lead, dry_run=False):
        source = connect(path)
        try:
            return push(source, admin, as_login=team.logins[lead], dry_run=dry_run)
        finally:
            source.close()

    dry = run(lena, "lead_a", dry_run=True)
    assert _counts(team) == before  # a dry run writes nothing
    report = run(lena, "lead_a")
    assert report.counts == dry.counts
    assert report.reviewer == team.logins["lead_a"]
    assert report.get("conversations", "already there") == 1
    assert report.get("conversations", "added") == 1 and report.get("messages", "added") == 1
    assert report.get("reviews", "updated") == 1  # lead A's review of c1, older on the server
    assert report.get("reviews", "added") == 1
    report = run(omar, "lead_b")
    assert report.get("conversations", "already there") == 2  # c9 came from Lena's laptop
    assert report.get("conversations", "added") == 1
    assert report.get("reviews", "added") == 2
    after = _counts(team)
    assert after[0] == before[0] + 2  # c9 and c10, once each
    with team.superuser() as root:
        assert (
            root.execute(
                "select source, external_id from conversations group by 1, 2 having count(*) > 1"
            ).fetchall()
            == []
        )
        reviewers = root.execute(
            "select c.external_id, r.reviewer, r.overall_comment, r.score from reviews r "
            "join conversations c on c.id = r.conversation_id "
            "where c.external_id in ('c9', 'c10') order by 1, 2"
        ).fetchall()
        assert reviewers == [
            ("c10", team.logins["lead_b"], "Omar's", 100.0),
            ("c9", team.logins["lead_a"], "Lena's", 100.0),
            ("c9", team.logins["lead_b"], "Omar's", 0.0),
        ]
        # the audit trail names who wrote: the admin who pushed
        actors = root.execute(
            "select distinct actor from savedesk.audit_log where table_name = 'reviews' "
            "and after ->> 'overall_comment' = 'Omar''s'",
        ).fetchall()  # fmt: skip
        assert actors == [(team.logins["admin"],)]
    # pushing again adds nothing
    for path, lead in ((lena, "lead_a"), (omar, "lead_b")):
        again = run(path, lead)
        assert again.get("conversations", "added") == 0
        assert again.get("reviews", "already there") == 2
        assert set(again.counts["reviews"]) == {"already there"}
    assert _counts(team) == after
    admin.close()


def test_a_lead_pushes_their_own_reviews_and_nothing_an_admin_does(team, tmp_path):
    from desktop.cli import cli

    laptop = _laptop(tmp_path / "kai.db", ["c1", "c11"],
                     {"c1": {"tone": 1}, "c11": {"tone": 1}}, "Kai's",
                     when="2026-01-07T09:00:00Z")  # fmt: skip
    before = _counts(team)
    done = CliRunner().invoke(cli, ["push", str(laptop), team.url("lead_a")])
    assert done.exit_code == 0, done.output
    lines = done.output.splitlines()
    assert lines[0] == f"Pushed as {team.logins['lead_a']}:"
    assert "  conversations: 1 already there, 1 not on the team store (an admin imports them)" in (
        lines
    )
    assert "  reviews: 1 updated, 1 left out (conversation or rubric not on the team store)" in (
        lines
    )
    assert _counts(team)[0] == before[0]  # a lead adds no conversation
    lead = connect(team.url("lead_a"))
    source = connect(laptop)
    with pytest.raises(SavedeskError, match="may push only their own work"):
        push(source, lead, as_login=team.logins["lead_b"])
    source.close()
    lead.close()


# -- the lead's own work: tags, saves, losses, coaching notes (issue #15, item 6) -------------

PUSHED = "2026-01-08T09:00:00Z"
EDITED = "2026-01-09T09:00:00Z"
COUNTED = ("saves", "losses", "conversation_tags", "coaching_notes", "action_items",
           "coaching_note_versions", "coaching_note_reviews", "loss_reasons")  # fmt: skip


@pytest.fixture(scope="module")
def colleague(team) -> str:
    """A second lead of team A: the colleague who edits on the team store."""
    from review.store.roles import add_person

    login = f"p{team.database}_lead_c"
    add_person(team.url(), login, "lead", teams=("A",))
    return login


def _people(db, teams=("A",)) -> dict:
    """The export's teams and agents on a laptop: Ann in A, Bob in B (as the team store has)."""
    ids = {t: db.insert("teams", {"source": "t", "external_id": t, "name": t}) for t in teams}
    for name, team in (("ann", "A"), ("bob", "B")):
        if team in ids:
            ids[name] = db.insert(
                "agents",
                {"source": "t", "external_id": name, "name": name.title(), "team_id": ids[team]},
            )
    return ids


def _work_laptop(path, conversations: dict[str, str], work: dict) -> str:
    """A lead's laptop holding `conversations` (name -> agent) of the shared export, a rated
    review of each, and `work`: saves and losses (conversation, cents, currency[, reason]),
    user tags (conversation, tag) and coaching notes (agent, text, item, linked conversation)."""
    db = open_store(path)
    ids = _people(db, tuple(sorted({{"ann": "A", "bob": "B"}[a] for a in conversations.values()})))
    rubric = db.insert("rubrics", {"name": "Default", "version": 1, "created_at": LATER})
    tone = db.insert(
        "rubric_categories",
        {"rubric_id": rubric, "position": 1, "key": "tone", "name": "tone", "scale": "pass_fail",
         "scale_min": 0, "scale_max": 1},
    )  # fmt: skip
    convs, reviews = {}, {}
    for name, agent in conversations.items():
        team = {"ann": "A", "bob": "B"}[agent]
        convs[name] = db.insert(
            "conversations",
            {"source": "t", "external_id": name, "subject": name, "team_id": ids[team],
             "agent_id": ids[agent], "created_at": LATER},
        )  # fmt: skip
        reviews[name] = db.insert(
            "reviews",
            {"conversation_id": convs[name], "rubric_id": rubric, "reviewer": "me",
             "agent_id": ids[agent], "created_at": LATER, "updated_at": LATER},
        )  # fmt: skip
        db.insert(
            "review_ratings",
            {"review_id": reviews[name], "category_id": tone, "rating": 1, "is_na": 0},
            returning="review_id",
        )
    for conversation, cents, currency in work.get("saves", ()):
        db.insert(
            "saves",
            {"conversation_id": convs[conversation], "mrr_cents": cents, "currency": currency,
             "method": "solved", "agent_id": ids[conversations[conversation]],
             "saved_on": "2026-01-06", "story": "Kept them", "status": "pending",
             "created_at": PUSHED, "updated_at": PUSHED},
        )  # fmt: skip
    for conversation, cents, currency, reason in work.get("losses", ()):
        reason_id = db.execute("select id from loss_reasons where name = ?", [reason]).scalar()
        if reason_id is None:
            reason_id = db.insert(
                "loss_reasons", {"name": reason, "builtin": 0, "position": 99, "outcome": "loss"}
            )
        db.insert(
            "losses",
            {"conversation_id": convs[conversation], "mrr_cents": cents, "currency": currency,
             "reason_id": reason_id, "preventable": 1, "customer_words": "Слишком дорого",
             "agent_id": ids[conversations[conversation]], "lost_on": "2026-01-06",
             "created_at": PUSHED, "updated_at": PUSHED},
        )  # fmt: skip
    for conversation, tag in work.get("tags", ()):
        tag_id = db.insert("tags", {"name": tag})
        db.insert(
            "conversation_tags",
            {"conversation_id": convs[conversation], "tag_id": tag_id, "origin": "user"},
            returning="tag_id",
        )
    for agent, text, item, linked in work.get("notes", ()):
        note = db.insert(
            "coaching_notes",
            {"agent_id": ids[agent], "author": "me", "text": text, "version": 1,
             "created_at": PUSHED, "updated_at": PUSHED},
        )  # fmt: skip
        db.insert(
            "coaching_note_versions",
            {"note_id": note, "version": 1, "author": "me", "text": text, "saved_at": PUSHED},
            returning="note_id",
        )  # fmt: skip
        db.insert(
            "coaching_note_reviews",
            {"note_id": note, "review_id": reviews[linked]},
            returning="note_id",
        )
        item_id = db.insert(
            "action_items",
            {"note_id": note, "position": 0, "text": item, "done": 0, "created_at": PUSHED},
        )
        db.insert(
            "action_item_categories",
            {"item_id": item_id, "category_id": tone},
            returning="item_id",
        )
    db.close()
    return str(path)


def _pushed(team: Team) -> dict[str, int]:
    with team.superuser() as root:
        return {t: root.execute(f"select count(*) from {t}").fetchone()[0] for t in COUNTED}


def _run(team: Team, path, login: str, *, via: str = "admin", **options):
    """Push the laptop at `path` as `login`: by the admin with --as (who may add conversations
    and loss reasons), or signed in as the lead (`via` the lead's key)."""
    source = connect(path)
    target = connect(team.url(via))
    try:
        return push(source, target, as_login=login if via == "admin" else None, **options)
    finally:
        source.close()
        target.close()


def test_two_leads_push_their_saves_losses_tags_and_notes_once(team, colleague, tmp_path):
    shared = {"r1": "ann", "r2": "ann"}
    lena = _work_laptop(tmp_path / "lena.db", shared, {
        "saves": [("r1", 4999, "EUR")],
        "losses": [("r2", 1_000_000, "USD", "Price")],
        "tags": [("r1", "vip")],
        "notes": [("ann", "Ask before you fix", "Ask one question first", "r1")],
    })  # fmt: skip
    omar = _work_laptop(tmp_path / "omar.db", {**shared, "r3": "ann"}, {
        "saves": [("r3", 250_000, "GBP")],
        "losses": [("r1", 12_345, "JPY", "Moved to spreadsheets")],
        "tags": [("r1", "vip"), ("r3", "отток")],
        "notes": [("ann", "Warm tone: 很好", "Use the customer's name", "r3")],
    })  # fmt: skip
    lead_a = team.logins["lead_a"]
    before = _pushed(team)
    dry = _run(team, lena, lead_a, dry_run=True)
    assert _pushed(team) == before  # a dry run writes nothing
    done = _run(team, lena, lead_a)
    assert done.counts == dry.counts and done.named == dry.named == []
    for kind in ("saves", "losses", "tags", "coaching notes"):
        assert done.counts[kind] == {"added": 1}, kind
    assert "not pushed yet" not in str(done.counts)
    omar_done = _run(team, omar, colleague)
    assert omar_done.get("conversations", "already there") == 2
    assert omar_done.get("loss reasons", "added") == 1  # the admin may add the team's reason
    # a tag is the conversation's, not a person's: lead A's 'vip' on r1 is there already
    assert omar_done.counts["tags"] == {"already there": 1, "added": 1}
    assert _pushed(team)["conversation_tags"] == before["conversation_tags"] + 2  # r1 vip once
    with team.superuser() as root:
        assert root.execute(
            "select source, external_id from conversations group by 1, 2 having count(*) > 1"
        ).fetchall() == []  # fmt: skip
        saves = root.execute(
            "select c.external_id, s.author, s.mrr_cents, s.currency, a.name, s.status "
            "from saves s join conversations c on c.id = s.conversation_id "
            "join agents a on a.id = s.agent_id where c.external_id like 'r_' order by 1"
        ).fetchall()
        assert saves == [("r1", lead_a, 4999, "EUR", "Ann", "pending"),
                         ("r3", colleague, 250_000, "GBP", "Ann", "pending")]  # fmt: skip
        losses = root.execute(
            "select c.external_id, l.author, l.mrr_cents, l.currency, r.name, l.customer_words "
            "from losses l join conversations c on c.id = l.conversation_id "
            "join loss_reasons r on r.id = l.reason_id where c.external_id like 'r_' order by 1"
        ).fetchall()
        assert losses == [
            ("r1", colleague, 12_345, "JPY", "Moved to spreadsheets", "Слишком дорого"),
            ("r2", lead_a, 1_000_000, "USD", "Price", "Слишком дорого"),
        ]
        notes = root.execute(
            "select n.author, n.text, v.author, i.text, rc.key, c.external_id, r.reviewer "
            "from coaching_notes n join coaching_note_versions v on v.note_id = n.id "
            "join action_items i on i.note_id = n.id "
            "join action_item_categories ic on ic.item_id = i.id "
            "join rubric_categories rc on rc.id = ic.category_id "
            "join coaching_note_reviews nr on nr.note_id = n.id "
            "join reviews r on r.id = nr.review_id join conversations c on c.id = r.conversation_id "
            "where n.author in (%s, %s) order by n.author",
            (lead_a, colleague),
        ).fetchall()
        assert sorted(notes) == sorted([
            (lead_a, "Ask before you fix", lead_a, "Ask one question first", "tone", "r1", lead_a),
            (colleague, "Warm tone: 很好", colleague, "Use the customer's name", "tone", "r3",
             colleague),
        ])  # fmt: skip
    after = _pushed(team)
    # pushing again adds nothing
    for path, login in ((lena, lead_a), (omar, colleague)):
        again = _run(team, path, login)
        for kind in ("saves", "losses", "tags", "coaching notes"):
            assert set(again.counts[kind]) == {"already there"}, (kind, again.counts)
    assert _pushed(team) == after


def _edit(path, sql: str, params=()) -> None:
    db = open_store(path)
    db.execute(sql, list(params))
    db.close()


def test_a_laptop_edit_updates_and_a_colleagues_later_edit_is_not_overwritten(
    team, colleague, tmp_path
):
    from review.retention.saves import update_save

    laptop = _work_laptop(tmp_path / "kim.db", {"r5": "ann"}, {
        "saves": [("r5", 10_000, "USD")],
        "notes": [("ann", "Close the loop", "Write back within a day", "r5")],
    })  # fmt: skip
    lead_a = team.logins["lead_a"]
    assert _run(team, laptop, lead_a).counts["saves"] == {"added": 1}

    def server_save():
        with team.superuser() as root:
            return root.execute(
                "select s.id, s.mrr_cents, s.story, s.version from saves s join conversations c "
                "on c.id = s.conversation_id where c.external_id = 'r5'"
            ).fetchone()

    # edited on the laptop since: the team store's row, still as pushed, takes the edit
    _edit(laptop, "update saves set mrr_cents = 12550, updated_at = ?", [EDITED])
    _edit(laptop, "update action_items set done = 1, done_at = ?", [EDITED])
    report = _run(team, laptop, lead_a)
    assert report.counts["saves"] == {"updated": 1}
    assert report.counts["coaching notes"] == {"updated": 1}
    save_id, cents, story, version = server_save()
    assert (cents, story) == (12_550, "Kept them") and version == 2
    with team.superuser() as root:
        assert root.execute(
            "select i.done, i.done_at from action_items i join coaching_notes n "
            "on n.id = i.note_id where n.text = 'Close the loop'"
        ).fetchall() == [(1, EDITED)]  # fmt: skip
    assert _run(team, laptop, lead_a).counts["saves"] == {"already there": 1}
    # a colleague changes it on the team store, in the app
    server = connect(f"{team.server.url(team.database, user=colleague)}")
    try:
        update_save(server, save_id, story="Their own words", expected_version=version)
    finally:
        server.close()
    unchanged = _run(team, laptop, lead_a)  # the laptop has not changed since: kept
    assert unchanged.counts["saves"] == {"kept (changed on the team store since the last push)": 1}
    _edit(laptop, "update saves set mrr_cents = 99900, updated_at = ?", ["2027-01-01T00:00:00Z"])
    report = _run(team, laptop, lead_a)
    conflict = "conflict (changed on the laptop and on the team store since the last push)"
    assert report.counts["saves"] == {conflict: 1}
    assert report.named == [f"save of USD 999.00 on t:r5: {conflict}"]
    assert server_save()[1:3] == (12_550, "Their own words")  # the colleague's change stands
    with pytest.raises(SavedeskError, match="--strict.*save of USD 999.00 on t:r5"):
        _run(team, laptop, lead_a, strict=True)


def test_a_lead_pushing_another_teams_work_is_refused_record_by_record(team, tmp_path):
    """Signed in as lead A (no --as): the server's row-level security refuses lead A's save,
    tag and note on team B's conversation and agent; a loss reason the team store lacks is
    one only an admin adds. Each is counted and named; the rest goes on."""
    from desktop.cli import cli

    laptop = _work_laptop(tmp_path / "ann.db", {"c1": "ann", "c2": "bob"}, {
        "saves": [("c1", 1999, "EUR"), ("c2", 5000, "EUR")],
        "losses": [("c1", 700, "CHF", "Лень")],
        "tags": [("c2", "escalated")],
        "notes": [("bob", "Not mine to coach", "Nothing", "c2")],
    })  # fmt: skip
    before = _pushed(team)
    runner = CliRunner()
    dry = runner.invoke(cli, ["push", laptop, team.url("lead_a"), "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert _pushed(team) == before
    strict = runner.invoke(cli, ["push", laptop, team.url("lead_a"), "--strict"])
    assert strict.exit_code == 1 and "Nothing was written" in strict.output
    assert _pushed(team) == before
    done = runner.invoke(cli, ["push", laptop, team.url("lead_a")])
    assert done.exit_code == 0, done.output
    assert done.output.splitlines()[1:] == dry.output.splitlines()[1:-1]  # same counts
    lines = done.output.splitlines()
    refused = "refused by the server (not yours: another team's)"
    reason = 'refused (the team store has no loss reason "Лень"; an admin adds it)'
    assert f"  saves: 1 added, 1 {refused}" in lines
    assert f"  losses: 1 {reason}" in lines
    assert f"  tags: 1 {refused}" in lines
    assert f"  coaching notes: 1 {refused}" in lines
    assert lines[lines.index("Records to look at:") + 1 :] == [
        f"  review of t:c2: {refused}",
        f"  tag 'escalated' on t:c2: {refused}",
        f"  save of EUR 50.00 on t:c2: {refused}",
        f"  loss of CHF 7.00 on t:c1: {reason}",
        f"  coaching note for Bob of 2026-01-08: {refused}",
    ]
    after = _pushed(team)
    assert after["saves"] == before["saves"] + 1 and after["loss_reasons"] == before["loss_reasons"]
    with team.superuser() as root:
        assert root.execute(
            "select author, mrr_cents, currency from saves where mrr_cents = 1999"
        ).fetchall() == [(team.logins["lead_a"], 1999, "EUR")]  # fmt: skip


def test_a_push_into_a_file_store_goes_on_once_and_again_adds_nothing(tmp_path):
    """The same push into a SQLite store (no server: the rules that need none)."""
    laptop = _work_laptop(tmp_path / "lap.db", {"c1": "ann", "c2": "bob"}, {
        "saves": [("c1", 4999, "EUR")], "losses": [("c2", 700, "CHF", "Лень")],
        "tags": [("c2", "vip")], "notes": [("bob", "Close the loop", "Write back", "c2")],
    })  # fmt: skip
    store = open_store(tmp_path / "team.db")
    store.close()

    def run(**options):
        source, target = connect(laptop), connect(tmp_path / "team.db")
        try:
            return push(source, target, as_login="lena", **options)
        finally:
            source.close()
            target.close()

    assert run(dry_run=True).counts == (first := run()).counts
    assert first.get("loss reasons", "added") == 1 and first.named == []
    for kind in ("saves", "losses", "tags", "coaching notes"):
        assert first.counts[kind] == {"added": 1}, kind
    again = run()
    for kind in ("saves", "losses", "tags", "coaching notes"):
        assert again.counts[kind] == {"already there": 1}, kind
    target = connect(tmp_path / "team.db")
    try:
        assert target.execute(
            "select s.author, s.mrr_cents, s.currency, l.author, l.mrr_cents, r.name "
            "from saves s, losses l join loss_reasons r on r.id = l.reason_id"
        ).fetchall() == [("lena", 4999, "EUR", "lena", 700, "Лень")]  # fmt: skip
    finally:
        target.close()
