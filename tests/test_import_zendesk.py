"""Zendesk API JSON and the NDJSON full export: real sample files and our own fixtures.

Figures asserted on the samples were counted by reading the files (see each test's comment).
Fixtures in tests/data/zendesk: export/ (NDJSON tickets + users, FORMATS.md 1b), export-newer/
(the same tickets later: ticket 102 solved with one more comment), archives/ (.gz and .zip of
the export), api/ (pages concatenated with side-loads, an array of comment pages, a partial
audits page), broken/ (bad lines).
"""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path

import pytest

from review.importing.formats import Head, detect, zendesk_api, zendesk_ndjson
from review.store import connect
from tests.helpers import import_paths, stored_rows

DATA = Path(__file__).parent / "data" / "zendesk"
UTC_TEXT = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\Z")
API_SAMPLES = [
    "api-incremental-tickets.json",
    "api-incremental-tickets-cursor.json",
    "api-incremental-users.json",
    "api-ticket-audits.json",
    "api-ticket-create-response.json",
    "api-ticket-33-comments.json",
]


def _one(db_path, sql, params=()):
    return stored_rows(db_path, sql, params)[0][0]


def _snapshot(db_path) -> dict:
    db = connect(db_path)
    try:
        tables = [t for t in db.tables() if not t.startswith(("search_", "_sqlite"))]
        return {t: db.execute(f'select * from "{t}" order by 1').fetchall() for t in tables}
    finally:
        db.close()


# -- real samples -------------------------------------------------------------------------------


def test_incremental_ticket_export_sample(samples, db_path):
    # 87 tickets: 77 new, 8 pending, 1 open, 1 deleted; via api 84, web 2, sample_ticket 1;
    # end_of_stream is true, so the page is whole although next_page is set.
    report = import_paths(db_path, samples / "zendesk" / "api-incremental-tickets.json")
    f = report.files[0]
    assert (f.format, f.added, f.rejected, f.warnings) == ("zendesk-api", 87, [], [])
    assert dict(stored_rows(db_path, "select status, count(*) from conversations group by 1")) == {
        "new": 77,
        "pending": 8,
        "open": 1,
        "deleted": 1,
    }
    # via.channel api 84, web 2, sample_ticket 1, in the common vocabulary (api is a channel
    # of its own, sample tickets are "other")
    assert dict(stored_rows(db_path, "select channel, count(*) from conversations group by 1")) == {
        "api": 84,
        "other": 1,
        "web": 2,
    }
    assert stored_rows(
        db_path,
        "select c.subject, c.status, c.created_at, cu.external_id, a.external_id, t.external_id "
        "from conversations c join customers cu on cu.id = c.customer_id "
        "join agents a on a.id = c.agent_id join teams t on t.id = c.team_id "
        "where c.source = 'zendesk' and c.external_id = '1'",
    ) == [
        (
            "Sample ticket: Meet the ticket",
            "open",
            "2023-09-09T23:52:05Z",
            "6130869168922",
            "6130907993114",
            "6130852536346",
        )
    ]
    # ticket 1: sample, support, zendesk; ticket 4043: foo, new, tag
    assert _one(db_path, "select count(*) from conversation_tags") == 6
    times = stored_rows(db_path, "select created_at, updated_at from conversations")
    assert all(UTC_TEXT.match(a) and UTC_TEXT.match(b) for a, b in times)


def test_the_cursor_envelope_of_the_same_tickets_adds_nothing(samples, db_path):
    # Both envelopes hold the same 87 tickets (in another order).
    import_paths(db_path, samples / "zendesk" / "api-incremental-tickets.json")
    f = import_paths(db_path, samples / "zendesk" / "api-incremental-tickets-cursor.json").files[0]
    assert (f.format, f.added, f.updated, f.unchanged) == ("zendesk-api", 0, 0, 87)


def test_audits_give_messages_whose_roles_the_users_and_tickets_settle(samples, db_path):
    zendesk = samples / "zendesk"
    report = import_paths(
        db_path,
        zendesk / "api-incremental-tickets.json",
        zendesk / "api-ticket-audits.json",
        zendesk / "api-incremental-users.json",
    )
    tickets, audits, users = report.files
    # 91 audits: 88 Comment events (87 public, 1 private) on 86 tickets; 771 Create and
    # 4 Change events, which are not messages.
    assert audits.figure("messages", "added") == 88 and audits.added == 0
    # Create (and Change) events make the ticket where no ticket record is; their other
    # fields are listed
    assert audits.passed_over == {}
    assert audits.not_read["audits[].events[Create].ticket_form_id"] == 86
    assert audits.not_read["audits[].events[Change].priority"] == 1
    # Each ticket of the list came with its description as a stand-in opening; the first
    # Comment event of its audits took its place. Ticket 4034 (deleted) has no audit here, so
    # its description stays its only message.
    assert _one(db_path, "select count(*) from messages") == 89
    assert stored_rows(
        db_path,
        "select c.external_id, m.body_text from messages m join conversations c "
        "on c.id = m.conversation_id where m.external_id = 'opening-stand-in'",
    ) == [("4034", "X")]
    assert _one(db_path, "select sum(message_count) from conversations") == 89
    assert stored_rows(
        db_path,
        "select c.external_id, m.created_at, m.author_role from messages m "
        "join conversations c on c.id = m.conversation_id where m.is_internal = 1",
    ) == [("1", "2024-02-07T00:11:18Z", "agent")]
    # 1000 end-users; the file stops at end_of_stream false, so it warns it is partial.
    assert users.figure("people", "added") + users.figure("people", "updated") == 1000
    assert len(users.warnings) == 1 and "saved page is partial" in users.warnings[0]
    # 84 comments were written by their ticket's requester, and 4034's description by its
    # requester; 4 by the admin assigned to ticket 1 (an agent through the tickets file, as the
    # users page holds end-users only).
    assert dict(stored_rows(db_path, "select author_role, count(*) from messages group by 1")) == {
        "customer": 85,
        "agent": 4,
    }
    assert _one(db_path, "select count(*) from customers") == 1005
    first = stored_rows(
        db_path,
        "select m.body_text, m.body_html, m.created_at from messages m join conversations c "
        "on c.id = m.conversation_id where c.external_id = '1' order by m.created_at limit 1",
    )[0]
    assert first[0].startswith("Hi there,") and "troubleshoot" in first[0]
    assert first[1].startswith('<div class="zd-comment"') and first[2] == "2023-09-09T23:52:05Z"
    assert all(
        UTC_TEXT.match(t) for (t,) in stored_rows(db_path, "select created_at from messages")
    )


def test_comments_page_and_create_response_name_the_same_message(samples, db_path):
    zendesk = samples / "zendesk"
    comments = import_paths(db_path, zendesk / "api-ticket-33-comments.json").files[0]
    # The comments page names no ticket: its links say /tickets/33/comments.
    assert (comments.added, comments.warnings) == (1, [])
    created = import_paths(db_path, zendesk / "api-ticket-create-response.json").files[0]
    assert created.outcomes["conversations"] == {"updated": 1}
    assert stored_rows(
        db_path,
        "select c.external_id, c.subject, c.channel, c.status, m.body_text, m.body_html, "
        "m.created_at, m.author_role from conversations c join messages m "
        "on m.conversation_id = c.id",
    ) == [
        (
            "33",
            "example ticket",
            "api",
            "new",
            "Some comment",
            '<div class="zd-comment" dir="auto"><p dir="auto">Some comment</p></div>',
            "2024-09-06T18:52:11Z",
            "customer",  # the comment's author is the ticket's requester
        )
    ]


# The samples come from two Zendesk accounts, each with its own ticket 33: a database holds one
# account (ids are the account's own), so each account's files are re-imported on their own.
@pytest.mark.parametrize(
    "names", [API_SAMPLES[:4], API_SAMPLES[4:]], ids=["account-1", "account-2"]
)
def test_reimporting_the_zendesk_api_samples_adds_nothing(samples, db_path, names):
    paths = [samples / "zendesk" / name for name in names]
    first = import_paths(db_path, *paths)
    assert [f.error for f in first.files] == [None] * len(paths)
    before = _snapshot(db_path)
    again = import_paths(db_path, *paths)
    assert [(f.added, f.updated) for f in again.files] == [(0, 0)] * len(paths)
    after = _snapshot(db_path)
    for log in ("imports", "import_runs"):
        before.pop(log), after.pop(log)
    assert after == before


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        *[(name, "zendesk-api") for name in API_SAMPLES],
        ("airbyte-zendesk-expected_records.jsonl", "airbyte"),
    ],
)
def test_detection_picks_the_zendesk_format_for_each_sample(samples, name, expected):
    path = samples / "zendesk" / name
    assert detect(Head(path.name, path.read_bytes()[: 64 * 1024])).name == expected


# -- NDJSON full export (our fixtures) ----------------------------------------------------------


def test_ndjson_export_with_its_users(db_path):
    report = import_paths(db_path, DATA / "export")  # a folder: tickets.json then users.json
    tickets, users = report.files
    assert (tickets.format, users.format) == ("zendesk-ndjson", "zendesk-ndjson")
    assert tickets.outcomes == {
        "conversations": {"added": 4},
        "messages": {"added": 9},
        "people": {"added": 5},  # the tickets' requesters and assignees
    }
    assert tickets.rejected == []
    assert users.outcomes["people"] == {"updated": 5} and users.passed_over == {"organizations": 1}
    assert _one(db_path, "select count(*) from messages") == 9
    assert _one(db_path, "select count(*) from messages where is_internal = 1") == 2
    by_author = dict(stored_rows(db_path, "select external_id, author_role from messages"))
    assert by_author == {
        "1001": "customer",
        "1002": "agent",
        "1003": "agent",
        "2001": "customer",
        "2002": "agent",  # an admin
        "3001": "customer",
        "3002": "agent",
        "3003": "system",  # author -1
        "4001": "customer",
    }
    assert stored_rows(
        db_path,
        "select created_at, body_text, body_html from messages where external_id = '2001'",
    ) == [
        (
            "2024-03-02T09:00:00Z",  # written as 12:00+03:00
            "Здравствуйте! Не могу войти в аккаунт, пишет «неверный пароль».",
            '<div class="zd-comment" dir="auto"><p dir="auto">Здравствуйте! Не могу войти в '
            "аккаунт, пишет «неверный пароль».</p></div>",
        )
    ]
    # A comment with HTML only gets its text from the HTML.
    assert _one(db_path, "select body_text from messages where external_id = '3001'") == (
        "我们无法导出数据。\n\n请帮忙！"
    )
    conversations = {
        row[0]: row[1:]
        for row in stored_rows(
            db_path,
            "select external_id, channel, status, subject, closed_at, custom_fields, "
            "message_count from conversations",
        )
    }
    assert conversations == {
        "101": (
            "email",
            "open",
            "Refund for a double charge",
            None,
            json.dumps({"360001": "pro", "360003": ["eu", "annual"]}, sort_keys=True),
            3,
        ),
        "102": ("chat", "pending", "Не могу войти в аккаунт", None, None, 2),
        "103": ("web", "solved", "无法导出数据", "2024-03-05T08:00:00Z", None, 3),
        "104": ("phone", "new", "Voicemail from +1 234 601 8567", None, None, 1),
    }
    # good and bad answers are CSAT ratings; 104's "offered" was never answered.
    assert stored_rows(
        db_path,
        "select c.external_id, r.external_id, r.raw_value, r.positive, r.comment from ratings r "
        "join conversations c on c.id = r.conversation_id order by 1",
    ) == [("102", "555", "bad", 0, "Слишком долго"), ("103", "556", "good", 1, "谢谢！")]
    assert sorted(
        stored_rows(
            db_path,
            "select t.name from conversation_tags ct join tags t on t.id = ct.tag_id "
            "join conversations c on c.id = ct.conversation_id where c.external_id = '103'",
        )
    ) == [("export",), ("数据",)]
    assert stored_rows(
        db_path, "select a.name, t.external_id from agents a join teams t on t.id = a.team_id"
    ) == [("Anna Petrova", "500"), ("李娜", "500")]


def test_reimport_adds_nothing_and_a_newer_export_updates_only_what_changed(db_path):
    import_paths(db_path, DATA / "export")
    again = import_paths(db_path, DATA / "export")
    assert [(f.added, f.updated, f.unchanged) for f in again.files] == [(0, 0, 4), (0, 0, 0)]
    assert again.files[1].outcomes["people"] == {"unchanged": 5}
    db = connect(db_path)
    with db.atomic():  # a reviewer's own tag on 102: an import must never touch it
        tag_id = db.insert("tags", {"name": "saved"})
        conversation_id = db.execute(
            "select id from conversations where external_id = '102'"
        ).fetchone()[0]
        db.insert(
            "conversation_tags",
            {"conversation_id": conversation_id, "tag_id": tag_id, "origin": "user"},
            returning="tag_id",
        )
    db.close()
    before = stored_rows(
        db_path,
        "select id, subject, created_at, customer_id, first_import_id from conversations "
        "where external_id = '102'",
    )
    first_message = _one(db_path, "select id from messages where external_id = '2001'")

    newer = import_paths(db_path, DATA / "export-newer" / "tickets.json").files[0]

    assert newer.outcomes["conversations"] == {"updated": 1, "unchanged": 3}
    assert newer.outcomes["messages"] == {"added": 1, "unchanged": 9}
    assert stored_rows(
        db_path,
        "select status, updated_at, message_count from conversations where external_id = '102'",
    ) == [("solved", "2024-03-03T08:00:00Z", 3)]
    assert _one(db_path, "select body_text from messages where external_id = '2003'").startswith(
        "Готово"
    )
    assert (
        stored_rows(
            db_path,
            "select id, subject, created_at, customer_id, first_import_id from conversations "
            "where external_id = '102'",
        )
        == before
    )
    assert _one(db_path, "select id from messages where external_id = '2001'") == first_message
    assert stored_rows(
        db_path,
        "select t.name, ct.origin from conversation_tags ct join tags t on t.id = ct.tag_id "
        "where ct.conversation_id = ? order by 1",
        [conversation_id],
    ) == [("login", "helpdesk"), ("saved", "user")]


def test_gz_and_zip_of_the_export_are_read_directly(db_path):
    gz = import_paths(db_path, DATA / "archives" / "tickets.json.gz").files[0]
    assert (gz.format, gz.added, gz.rejected) == ("zendesk-ndjson", 4, [])
    zipped = import_paths(db_path, DATA / "archives" / "zendesk-export.zip").files
    assert [Path(f.path.split("!")[1]).name for f in zipped] == ["tickets.json", "users.json"]
    assert [(f.format, f.added, f.updated, f.figure("people", "updated")) for f in zipped] == [
        ("zendesk-ndjson", 0, 0, 0),  # the same tickets as the .gz
        ("zendesk-ndjson", 0, 0, 5),  # names and emails for people the tickets only named
    ]
    assert _one(db_path, "select count(*) from messages") == 9


def test_bad_lines_are_rejected_by_line_and_the_rest_lands(db_path):
    f = import_paths(db_path, DATA / "broken" / "bad-lines.json").files[0]
    assert f.added == 2 and f.error is None
    assert [(r.record, r.helpdesk_id, r.field) for r in f.rejected] == [
        (2, "202", None),  # cut-off JSON; the id is read from the text
        (3, None, "id"),
        (4, "204", "created_at"),
    ]
    assert "not valid JSON" in f.rejected[0].problem
    assert sorted(stored_rows(db_path, "select external_id from conversations")) == [
        ("201",),
        ("205",),
    ]
    assert stored_rows(
        db_path, "select record, helpdesk_id, field from import_problems order by 1"
    ) == [
        ("2", "202", None),
        ("3", None, "id"),
        ("4", "204", "created_at"),
    ]


def test_strict_mode_refuses_a_file_with_a_bad_line_and_changes_nothing(db_path):
    import_paths(db_path, DATA / "export")
    before = _snapshot(db_path)
    f = import_paths(db_path, DATA / "broken" / "bad-lines.json", strict=True).files[0]
    assert f.error is not None and "record 2" in f.error and "id 202" in f.error
    after = _snapshot(db_path)
    for log in ("imports", "import_runs"):
        before.pop(log), after.pop(log)
    assert after == before


# -- API fixtures ---------------------------------------------------------------------------------


def test_api_pages_concatenated_with_side_loads(db_path):
    f = import_paths(db_path, DATA / "api" / "pages-concatenated.json").files[0]
    # Ticket 301 is on both pages: the second (later update) wins. The last page has no next
    # page, so nothing is partial.
    assert f.format == "zendesk-api" and f.warnings == [] and f.rejected == []
    assert f.outcomes["conversations"] == {"added": 3}  # 301 counted once
    assert f.passed_over == {"organizations": 1}
    assert stored_rows(
        db_path, "select external_id, status, created_at from conversations order by 1"
    ) == [
        ("301", "solved", "2024-04-01T10:00:00Z"),
        ("302", "pending", "2024-04-01T11:00:00Z"),
        ("303", "new", "2024-04-02T10:00:00Z"),  # written as 12:00+02:00
    ]
    assert stored_rows(db_path, "select raw_value, positive, comment, created_at from ratings") == [
        ("good", 1, "Stayed on the annual plan", "2024-04-03T10:00:00Z")
    ]
    assert stored_rows(
        db_path, "select a.name, t.name from agents a join teams t on t.id = a.team_id"
    ) == [("Oleg Kuznetsov", "Tier 1")]
    assert stored_rows(db_path, "select name from customers order by 1") == [
        ("Maria Garcia",),
        ("陈伟",),
    ]


def test_an_older_page_never_takes_back_tags_added_since(tmp_path, db_path):
    pages = DATA / "api" / "pages-concatenated.json"
    import_paths(db_path, pages)
    older = tmp_path / "page-1.json"  # 301 as it was before it was saved: open, tag "cancel"
    older.write_text(pages.read_text(encoding="utf-8").split("\n", 1)[0], encoding="utf-8")
    [f] = import_paths(db_path, older).files
    assert (f.added, f.updated, f.unchanged) == (0, 0, 2)
    assert stored_rows(
        db_path,
        "select c.status, t.name from conversations c "
        "join conversation_tags ct on ct.conversation_id = c.id join tags t on t.id = ct.tag_id "
        "where c.external_id = '301' order by t.name",
    ) == [("solved", "cancel"), ("solved", "saved")]


def test_an_older_snapshot_never_takes_back_a_changed_satisfaction_rating(tmp_path, db_path):
    pages = DATA / "api" / "pages-concatenated.json"
    import_paths(db_path, pages)  # 301's rating 777: "good", "Stayed on the annual plan"
    page = json.loads(pages.read_text(encoding="utf-8").split("\n", 1)[0])
    ticket = next(t for t in page["tickets"] if t["id"] == 301)  # before it was solved
    ticket["satisfaction_rating"] = {"id": 777, "score": "bad", "comment": "Too expensive"}
    older = tmp_path / "ticket-301-older.json"
    older.write_text(json.dumps({"ticket": ticket}), encoding="utf-8")
    [f] = import_paths(db_path, older).files
    assert (f.added, f.updated, f.unchanged) == (0, 0, 1)
    assert stored_rows(db_path, "select raw_value, comment from ratings") == [
        ("good", "Stayed on the annual plan")
    ]


def test_api_array_of_comment_pages_and_partial_audits_page(db_path):
    report = import_paths(
        db_path,
        DATA / "api" / "comments-pages-array.json",
        DATA / "api" / "audits-partial.json",
        DATA / "api" / "pages-concatenated.json",
    )
    comments, audits, pages = report.files
    assert comments.added == 1 and comments.warnings == []  # two pages of one ticket
    assert comments.figure("messages", "added") == 3
    assert audits.passed_over == {}
    assert len(audits.warnings) == 1 and "saved page is partial" in audits.warnings[0]
    assert pages.error is None
    assert stored_rows(
        db_path,
        "select c.external_id, m.external_id, m.author_role, m.is_internal, m.created_at "
        "from messages m join conversations c on c.id = m.conversation_id order by 2",
    ) == [
        ("301", "30101", "customer", 0, "2024-04-01T10:00:00Z"),
        ("301", "30102", "agent", 0, "2024-04-01T10:20:00Z"),
        ("301", "30103", "agent", 1, "2024-04-03T09:00:00Z"),
        ("302", "880011", "customer", 0, "2024-04-01T11:00:00Z"),  # from the audit's time
        ("302", "880021", "agent", 1, "2024-04-01T11:30:00Z"),
    ]


def test_truncated_api_json_fails_the_file_and_keeps_what_was_there(tmp_path, db_path):
    import_paths(db_path, DATA / "export")
    before = _snapshot(db_path)
    cut = tmp_path / "cut.json"
    cut.write_bytes((DATA / "api" / "pages-concatenated.json").read_bytes()[:1500])
    f = import_paths(db_path, cut).files[0]
    assert f.format == "zendesk-api" and "cut short" in f.error
    after = _snapshot(db_path)
    for log in ("imports", "import_runs"):
        before.pop(log), after.pop(log)
    assert after == before


# -- detection ------------------------------------------------------------------------------------

_FOREIGN = {
    "helpscout.json": {
        "_embedded": {"conversations": [{"id": 1, "mailboxId": 2, "threads": 1}]},
        "page": {"size": 25, "totalElements": 1, "totalPages": 1, "number": 1},
    },
    "intercom.json": {
        "type": "conversation.list",
        "conversations": [{"type": "conversation", "id": "60", "created_at": 1676461133}],
        "total_count": 1,
    },
    "freshdesk-search.json": {"total": 1, "results": [{"id": 1, "status": 2, "requester_id": 5}]},
    "freshdesk-tickets.json": [
        {"id": 1, "status": 2, "priority": 1, "source": 2, "requester_id": 5, "responder_id": 6}
    ],
    "front.json": {"_pagination": {"next": None}, "_links": {}, "_results": []},
    "intercom-lines.jsonl": None,
}


@pytest.mark.parametrize("name", sorted(_FOREIGN))
def test_other_helpdesks_are_not_taken_for_zendesk(tmp_path, name):
    if _FOREIGN[name] is None:
        body = json.dumps({"type": "conversation", "id": "1", "source": {"delivered_as": "x"}})
        data = (body + "\n" + body + "\n").encode()
    else:
        data = json.dumps(_FOREIGN[name], indent=2).encode()
    head = Head(name, data)
    assert not zendesk_api.sniff(head)
    assert not zendesk_ndjson.sniff(head)
    found = detect(head)
    assert found is None or found.name not in ("zendesk-api", "zendesk-ndjson", "airbyte")


def test_real_freshdesk_and_twitter_samples_are_not_taken_for_zendesk(samples):
    paths = sorted((samples / "freshdesk").glob("python-freshdesk-*.json"))
    paths.append(samples / "twitter" / "twcs-sample.csv")
    for path in paths:
        head = Head(path.name, path.read_bytes()[: 64 * 1024])
        assert not zendesk_api.sniff(head), path.name
        assert not zendesk_ndjson.sniff(head), path.name


def test_ndjson_is_detected_even_when_its_first_line_is_longer_than_the_head(tmp_path):
    ticket = json.loads((DATA / "export" / "tickets.json").read_text().splitlines()[0])
    ticket["comments"] = ticket["comments"] * 400  # a first line well over 64 kB
    line = json.dumps(ticket).encode()
    head = Head("big.json", (line + b"\n" + line + b"\n")[: 64 * 1024])
    assert detect(head).name == "zendesk-ndjson"


def test_numbers_beyond_64_bits_are_read_not_refused(tmp_path, db_path):
    # The C JSON parser refuses them; the reader reads such a (small) file again in Python.
    page = {
        "tickets": [
            {"id": 7, "requester_id": 8, "via": "web", "custom_fields": [{"id": 1, "value": 2**70}]}
        ],
        "next_page": None,
    }
    path = tmp_path / "big-number.json"
    path.write_text(json.dumps(page))
    f = import_paths(db_path, path).files[0]
    assert (f.format, f.error, f.added) == ("zendesk-api", None, 1)
    assert _one(db_path, "select custom_fields from conversations") == f'{{"1": {2**70}}}'


# -- ticket lists: description as the opening, side-loaded users, comments later ---------------

LIST = DATA / "api" / "tickets-cursor-side-loaded-users.json"


def _opening_rows(db_path) -> list[tuple]:
    return stored_rows(
        db_path,
        "select c.external_id, m.external_id, m.author_role, m.author_external_id, "
        "m.is_internal, m.created_at, m.body_text from messages m "
        "join conversations c on c.id = m.conversation_id order by c.external_id, m.created_at",
    )


def test_a_ticket_list_lands_each_description_as_the_opening_message(db_path, tmp_path):
    """A list endpoint (cursor paging, `?include=users`) carries the first message only as
    `description`; it lands as the opening, its author's role and name from the side-loaded
    users, until the first comment takes its place."""
    gz = tmp_path / "tickets.json.gz"
    gz.write_bytes(gzip.compress(LIST.read_bytes()))
    [f] = import_paths(db_path, gz).files
    assert (f.format, f.added, f.rejected, f.warnings) == ("zendesk-api", 2, [], [])
    assert f.outcomes["messages"] == {"added": 2}
    assert f.outcomes["people"] == {"added": 3}
    assert f.not_read["priority"] == 2 and f.not_read["satisfaction_rating.reason_id"] == 1
    assert f.not_read["locale"] == 3  # the side-loaded users' fields nothing keeps
    assert stored_rows(
        db_path,
        "select c.external_id, c.subject, c.channel, c.status, c.created_at, cu.name, a.name "
        "from conversations c join customers cu on cu.id = c.customer_id "
        "join agents a on a.id = c.agent_id order by 1",
    ) == [
        ("501", "Webhook deliveries fail with 500", "api", "open", "2024-04-02T08:00:00Z", "Ola Nordmann", "Priya Shah"),
        ("502", "Abo kündigen", "web", "pending", "2024-04-03T10:00:00Z", "Jonas Weber", "Priya Shah"),
    ]  # fmt: skip
    assert _opening_rows(db_path) == [
        ("501", "opening-stand-in", "customer", "9001", 0, "2024-04-02T08:00:00Z", "Since this morning every webhook delivery to our endpoint fails with a 500."),
        ("502", "opening-stand-in", "customer", "9002", 0, "2024-04-03T10:00:00Z", "Bitte kündigen Sie mein Abo zum Monatsende."),
    ]  # fmt: skip
    assert stored_rows(db_path, "select raw_value, comment from ratings") == [
        ("bad", "Too slow (Issue took too long to resolve)")
    ]
    # the comments come later: the first one takes the description's place, no duplicate
    [comments] = import_paths(db_path, DATA / "api" / "ticket-501-comments.json").files
    assert comments.outcomes["messages"] == {"added": 3}
    # the attachment (a link to a file) and each comment's channel are listed, not lost
    assert comments.not_read == {"comments[].attachments[]": 1, "comments[].via": 3}
    assert _opening_rows(db_path) == [
        ("501", "7001", "customer", "9001", 0, "2024-04-02T08:00:00Z", "Since this morning every webhook delivery to our endpoint fails with a 500."),
        ("501", "7002", "agent", "9101", 0, "2024-04-02T09:00:00Z", "Thanks Ola, we see timeouts on our side and are on it."),
        ("501", "7003", "agent", "9101", 1, "2024-04-02T09:30:00Z", "Escalated to platform on-call, INC-88."),
        ("502", "opening-stand-in", "customer", "9002", 0, "2024-04-03T10:00:00Z", "Bitte kündigen Sie mein Abo zum Monatsende."),
    ]  # fmt: skip
    assert stored_rows(db_path, "select message_count from conversations order by external_id") == [
        (3,),
        (1,),
    ]
    # the list again, after the comments: its description is the stored first comment
    [again] = import_paths(db_path, gz).files
    assert (again.added, again.updated) == (0, 0)
    assert again.outcomes["messages"] == {"unchanged": 2}
    assert len(_opening_rows(db_path)) == 4


def test_comments_first_then_the_list_adds_no_second_opening(db_path):
    import_paths(db_path, DATA / "api" / "ticket-501-comments.json")
    [f] = import_paths(db_path, LIST).files
    assert f.outcomes["messages"] == {"added": 1, "unchanged": 1}  # 502's opening; 501 had it
    assert [row[1] for row in _opening_rows(db_path)] == [
        "7001",
        "7002",
        "7003",
        "opening-stand-in",
    ]


def test_audits_alone_make_the_ticket_from_their_create_and_change_events(db_path):
    [f] = import_paths(db_path, DATA / "api" / "ticket-503-audits-only.json").files
    assert (f.format, f.added, f.rejected) == ("zendesk-api", 1, [])
    assert f.passed_over == {"audit events of kinds savedesk does not use (Notification)": 1}
    assert f.not_read["audits[].events[Create].priority"] == 1
    assert stored_rows(
        db_path,
        "select c.external_id, c.subject, c.status, c.created_at, c.updated_at, cu.external_id "
        "from conversations c join customers cu on cu.id = c.customer_id",
    ) == [
        (
            "503",
            "Doppelte Rechnung",
            "solved",
            "2024-04-05T12:00:00Z",
            "2024-04-05T12:30:00Z",
            "9002",
        )
    ]
    assert _opening_rows(db_path) == [
        ("503", "1", "customer", "9002", 0, "2024-04-05T12:00:00Z", "Die Rechnung vom April ist doppelt."),
        ("503", "7", "unknown", "9101", 0, "2024-04-05T12:30:00Z", "Ich habe die zweite Rechnung storniert."),
    ]  # fmt: skip
    # the ticket list knows more: its record (newer) wins where both speak
    again = import_paths(db_path, DATA / "api" / "ticket-503-audits-only.json").files[0]
    assert (again.added, again.updated, again.figure("messages", "added")) == (0, 0, 0)
