"""Generated Zendesk tickets thrown at the three readers that take them (NDJSON, API, Airbyte).

Tickets have random Unicode text (lone surrogates included), ids as int or str, optional fields left out, and some are
spoiled: a wrong type in a ticket field (the ticket is rejected, naming its record) or in one
comment (that comment is rejected, the ticket lands with the others). Whatever comes, the
import never fails as a whole, every good record lands, and importing again changes nothing.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from html import escape
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from review.importing.run import import_files
from review.progress import run_to_end
from review.store import connect

# Ticket fields whose wrong type costs the whole ticket, with values of a wrong type.
_BAD_TICKET_FIELDS = {
    "id": [None, True, [1], {"a": 1}, 1.5, ""],
    "created_at": [True, "yesterday-ish", [2024], {"t": 1}],
    "updated_at": ["31/31/2024 99:99", False],
    "tags": ["billing", 5, {"a": "b"}, [["nested"]]],
    "via": [5, ["email"], True],
    "custom_fields": ["pro", 7, [5]],
    "satisfaction_rating": ["good", 3, {"score": "meh"}],
    "requester_id": [True, [1], {"id": 1}, 2.5],
}
# Comment fields whose wrong type costs that comment alone.
_BAD_COMMENT_FIELDS = {
    "public": ["yes", 1, [True]],
    "created_at": [True, "not a time", [1]],
    "html_body": [5, ["<p>x</p>"], {"b": 1}],
    "plain_body": [7, [""]],
    "author_id": [True, [1], 0.5],
}

# Mostly any Unicode; sometimes with a lone surrogate, which JSON can carry as "\\ud800".
text = st.one_of(
    st.text(max_size=30),
    st.tuples(st.text(max_size=8), st.sampled_from(["\ud800", "\udfff", "\udc00x"])).map("".join),
)
moments = st.datetimes(
    min_value=datetime(2001, 1, 1), max_value=datetime(2090, 1, 1), timezones=st.just(UTC)
)
zones = st.sampled_from([UTC, timezone(timedelta(hours=8)), timezone(timedelta(hours=-5))])


@st.composite
def times(draw) -> str:
    moment = draw(moments).astimezone(draw(zones)).replace(microsecond=0)
    return moment.isoformat().replace("+00:00", "Z")


def ids(low: int = 1, high: int = 10**14):
    return st.one_of(st.integers(low, high), st.integers(low, high).map(str))


@st.composite
def comments(draw, number: int) -> dict:
    comment = {"id": number, "author_id": draw(ids()), "created_at": draw(times())}
    if draw(st.booleans()):
        comment["id"] = str(number)
    if draw(st.booleans()):
        comment["public"] = draw(st.booleans())
    body = draw(text)
    shape = draw(st.sampled_from(["plain", "html", "both", "body"]))
    if shape in ("html", "both"):
        comment["html_body"] = f'<div class="zd-comment"><p>{escape(body)}</p></div>'
    if shape in ("plain", "both"):
        comment["plain_body"] = body
    if shape == "body":
        comment["body"] = body
    return comment


@dataclass
class Case:
    ticket: dict
    kind: str  # good | bad-ticket | bad-comment
    field: str | None = None
    good_comments: int = 0


@st.composite
def tickets(draw, ticket_id: int) -> Case:
    ticket = {
        "url": f"https://acme.zendesk.com/api/v2/tickets/{ticket_id}.json",
        "id": draw(st.sampled_from([ticket_id, str(ticket_id)])),
        "requester_id": draw(ids()),
        "via": draw(st.sampled_from([{"channel": "email"}, {"channel": "web"}, "chat", None])),
    }
    optional = {
        "subject": st.one_of(st.none(), text),
        "status": st.sampled_from(["new", "open", "pending", "solved", "closed", None]),
        "assignee_id": st.one_of(st.none(), ids()),
        "group_id": st.one_of(st.none(), ids(1, 50)),
        "created_at": times(),
        "updated_at": times(),
        "tags": st.lists(text.filter(lambda t: t.strip()), max_size=3),
        "custom_fields": st.lists(
            st.fixed_dictionaries(
                {
                    "id": ids(1, 10**6),
                    "value": st.one_of(st.none(), text, st.integers(), st.booleans()),
                }
            ),
            max_size=3,
            unique_by=lambda f: str(f["id"]),
        ),
        "satisfaction_rating": st.one_of(
            st.none(),
            st.fixed_dictionaries(
                {"score": st.sampled_from(["good", "bad", "offered", "unoffered"])},
                optional={"id": ids(), "comment": st.one_of(st.none(), text)},
            ),
        ),
    }
    for key, strategy in optional.items():
        if draw(st.booleans()):
            ticket[key] = draw(strategy)
    count = draw(st.integers(0, 4))
    ticket["comments"] = [draw(comments(ticket_id * 10 + n)) for n in range(count)]
    rating = ticket.get("satisfaction_rating")
    if isinstance(rating, dict) and "id" in rating:
        rating["id"] = ticket_id * 1000  # rating ids are unique across tickets, as in Zendesk
    case = Case(ticket, "good", good_comments=count)
    spoil = draw(st.sampled_from(["none", "none", "ticket", "comment"]))
    if spoil == "ticket":
        field = draw(st.sampled_from(sorted(_BAD_TICKET_FIELDS)))
        ticket[field] = draw(st.sampled_from(_BAD_TICKET_FIELDS[field]))
        case.kind, case.field = "bad-ticket", field
    elif spoil == "comment" and count:
        field = draw(st.sampled_from(sorted(_BAD_COMMENT_FIELDS)))
        ticket["comments"][draw(st.integers(0, count - 1))][field] = draw(
            st.sampled_from(_BAD_COMMENT_FIELDS[field])
        )
        case.kind, case.field, case.good_comments = "bad-comment", field, count - 1
    return case


@st.composite
def exports(draw) -> list[Case]:
    size = draw(st.integers(1, 6))
    return [draw(tickets(100 + n)) for n in range(size)]


def _write(path: Path, shape: str, cases: list[Case]) -> None:
    objects = [c.ticket for c in cases]
    if shape == "ndjson":
        lines = [_line(o) for o in objects]
    elif shape == "airbyte":
        lines = [json.dumps({"stream": "tickets", "data": o, "emitted_at": 1}) for o in objects]
    else:  # an API page: a Rejected's record number is the ticket's place in the list
        for o in objects:
            o.pop("url", None)  # the API sniffer must not lean on urls
        lines = [json.dumps({"tickets": objects, "next_page": None, "count": len(objects)})]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _line(obj: dict) -> str:
    """UTF-8 text where it can be; \\u escapes where a lone surrogate forbids UTF-8."""
    line = json.dumps(obj, ensure_ascii=False)
    try:
        line.encode("utf-8")
    except UnicodeEncodeError:
        return json.dumps(obj)
    return line


def _check(db_path: Path, path: Path, shape: str, cases: list[Case]) -> None:
    report = run_to_end(import_files(db_path, [str(path)]))
    f = report.files[0]
    assert f.error is None, f.error
    assert (
        f.format == {"ndjson": "zendesk-ndjson", "api": "zendesk-api", "airbyte": "airbyte"}[shape]
    )
    rejected = {(r.record, (r.field or "").split(".")[0].split("[")[0]) for r in f.rejected}
    db = connect(db_path)
    try:
        stored = dict(db.execute("select external_id, message_count from conversations").fetchall())
    finally:
        db.close()
    for number, case in enumerate(cases, 1):
        ticket_id = str(100 + number - 1)
        if case.kind == "bad-ticket":
            assert ticket_id not in stored, (case.field, case.ticket.get(case.field))
            assert (number, case.field) in rejected, (number, case.field, f.rejected)
        else:
            assert stored.get(ticket_id) == case.good_comments, (case, f.rejected)
        if case.kind == "bad-comment":
            assert (number, "comments") in rejected, (number, f.rejected)
    expected = sum(1 for c in cases if c.kind != "good")
    assert len(f.rejected) == expected, f.rejected
    again = run_to_end(import_files(db_path, [str(path)])).files[0]
    assert (again.added, again.updated, len(again.rejected)) == (0, 0, expected)


@pytest.mark.slow
@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(cases=exports(), shape=st.sampled_from(["ndjson", "api", "airbyte"]))
def test_generated_tickets_land_or_are_rejected_and_reimport_changes_nothing(
    _migrated_template, cases, shape
):
    with tempfile.TemporaryDirectory() as folder:
        db_path = Path(folder) / "savedesk.db"
        shutil.copy(_migrated_template, db_path)
        path = Path(folder) / f"export.{'jsonl' if shape == 'airbyte' else 'json'}"
        _write(path, shape, cases)
        _check(db_path, path, shape, cases)
