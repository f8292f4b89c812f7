"""Generated records thrown at the Help Scout, Intercom, Freshdesk and Front readers.

Each example is a file of good records (random Unicode everywhere, any character) mixed with
bad ones (id missing or of a wrong type, a time that is no time, a list that is not a list, a
bare value instead of an object). The import must never raise, must reject exactly the bad
records, by their number in the file, and must land every good one with all its messages.
The Airbyte handlers get arbitrary JSON objects and must only ever yield records.
"""

from __future__ import annotations

import json
import shutil
import uuid
from dataclasses import fields, is_dataclass

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from review.importing.formats import freshdesk, intercom
from review.importing.records import Rejected
from review.importing.run import import_files
from review.importing.writer import store_records
from review.progress import run_to_end
from review.store import connect

SETTINGS = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
TEXT = st.text(max_size=40)  # every code point, surrogates and NULs included
EPOCH = st.integers(min_value=946684800, max_value=1893456000)  # 2000 to 2030
# ijson's C parser refuses integers of 2**63 and more (the whole file fails): real exports
# carry no such numbers, so the generated ones stay below.
INT = st.integers(min_value=-(2**62), max_value=2**62)
WRONG_ID = st.one_of(
    st.booleans(),
    st.lists(INT, max_size=2),
    st.dictionaries(st.text(max_size=3), INT, max_size=2),
    st.floats(allow_nan=False, allow_infinity=False).filter(lambda f: not f.is_integer()),
)
NOT_A_TIME = TEXT.map(lambda t: "not a time " + t)
NOT_A_LIST = st.one_of(INT, st.text(min_size=1, max_size=5), st.booleans())
NOT_AN_OBJECT = st.one_of(INT, st.text(max_size=5), st.lists(INT, max_size=2))


def _iso(epoch: int) -> str:
    from datetime import UTC, datetime

    return datetime.fromtimestamp(epoch, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


# -- one generator per vendor: (good record from an id) and the ways to break one ---------------


@st.composite
def helpscout_conversation(draw, n: int) -> tuple[dict, int]:
    threads = [
        {
            "id": n * 100 + j,
            "type": draw(st.sampled_from(["customer", "reply", "note", "chat", "phone"])),
            "state": "published",
            "body": draw(TEXT),
            "createdAt": _iso(draw(EPOCH)),
            "createdBy": {"id": draw(st.integers(1, 10**6)), "type": draw(st.sampled_from(["customer", "user"])), "first": draw(TEXT)},
        }
        for j in range(draw(st.integers(0, 4)))
    ]  # fmt: skip
    conversation = {
        "id": n,
        "number": draw(st.integers(1, 10**6)),
        "subject": draw(TEXT),
        "status": draw(st.sampled_from(["active", "pending", "closed", "spam"])),
        "type": draw(st.sampled_from(["email", "chat", "phone"])),
        "mailboxId": 1,
        "createdAt": _iso(draw(EPOCH)),
        "primaryCustomer": {"id": draw(st.integers(1, 10**6)), "first": draw(TEXT), "last": draw(TEXT)},
        "tags": [{"tag": t} for t in draw(st.lists(TEXT, max_size=3))],
        "customFields": [{"name": draw(TEXT), "value": draw(TEXT)}],
        "_embedded": {"threads": threads},
    }  # fmt: skip
    return conversation, len(threads)


def helpscout_break(draw, record: dict) -> object:
    how = draw(st.sampled_from(["no id", "wrong id", "bad time", "not a list", "not an object"]))
    if how == "no id":
        record.pop("id")
    elif how == "wrong id":
        record["id"] = draw(WRONG_ID)
    elif how == "bad time":
        record["createdAt"] = draw(NOT_A_TIME)
    elif how == "not a list":
        record["_embedded"] = {"threads": draw(NOT_A_LIST)}
    else:
        return draw(NOT_AN_OBJECT)
    return record


def helpscout_file(records: list) -> dict:
    return {"_embedded": {"conversations": records}, "page": {"number": 1, "totalPages": 1}}


@st.composite
def intercom_conversation(draw, n: int) -> tuple[dict, int]:
    parts = [
        {
            "type": "conversation_part",
            "id": str(n * 100 + j),
            "part_type": draw(st.sampled_from(["comment", "note"])),
            "body": draw(TEXT),
            "created_at": draw(EPOCH),
            "author": {"type": draw(st.sampled_from(["user", "lead", "admin", "bot", "team"])), "id": draw(TEXT), "name": draw(TEXT)},
        }
        for j in range(draw(st.integers(0, 4)))
    ]  # fmt: skip
    conversation = {
        "type": "conversation",
        "id": str(n),
        "title": draw(st.one_of(st.none(), TEXT)),
        "created_at": draw(EPOCH),
        "updated_at": draw(EPOCH),
        "state": draw(st.sampled_from(["open", "closed", "snoozed"])),
        "source": {"type": "conversation", "id": str(n), "body": draw(TEXT), "author": {"type": "user", "id": draw(TEXT)}},
        "contacts": {"type": "contact.list", "contacts": [{"type": "contact", "id": draw(TEXT)}]},
        "tags": {"type": "tag.list", "tags": [{"name": t} for t in draw(st.lists(TEXT, max_size=3))]},
        "custom_attributes": draw(st.dictionaries(TEXT, TEXT, max_size=2)),
        "conversation_rating": draw(st.one_of(st.none(), st.builds(lambda r: {"rating": r}, st.integers(1, 5)))),
        "conversation_parts": {"type": "conversation_part.list", "conversation_parts": parts},
    }  # fmt: skip
    return conversation, len(parts) + 1


def intercom_break(draw, record: dict) -> object:
    how = draw(st.sampled_from(["no id", "wrong id", "bad time", "not a list", "not an object"]))
    if how == "no id":
        record.pop("id")
    elif how == "wrong id":
        record["id"] = draw(WRONG_ID)
    elif how == "bad time":
        record["created_at"] = draw(NOT_A_TIME)
    elif how == "not a list":
        record["conversation_parts"] = {"conversation_parts": draw(NOT_A_LIST)}
    else:
        return draw(NOT_AN_OBJECT)
    return record


def intercom_file(records: list) -> dict:
    return {"type": "conversation.list", "conversations": records, "pages": {"next": None}}


@st.composite
def freshdesk_ticket(draw, n: int) -> tuple[dict, int]:
    description = draw(st.one_of(st.none(), TEXT))
    ticket = {
        "id": n,
        "subject": draw(TEXT),
        "status": draw(st.integers(2, 12)),
        "source": draw(st.integers(1, 10)),
        "priority": draw(st.integers(1, 4)),
        "requester_id": draw(st.integers(1, 10**12)),
        "responder_id": draw(st.one_of(st.none(), st.integers(1, 10**12))),
        "created_at": _iso(draw(EPOCH)),
        "updated_at": _iso(draw(EPOCH)),
        "description": description,
        "tags": draw(st.lists(TEXT, max_size=3)),
        "custom_fields": draw(st.dictionaries(TEXT, st.one_of(st.none(), TEXT), max_size=2)),
    }
    has_text = description is not None and description.strip() != ""
    return ticket, 1 if has_text else 0


def freshdesk_break(draw, record: dict) -> object:
    how = draw(st.sampled_from(["no id", "wrong id", "bad time", "not a list", "not an object"]))
    if how == "no id":
        record.pop("id")
    elif how == "wrong id":
        record["id"] = draw(WRONG_ID)
    elif how == "bad time":
        record["created_at"] = draw(NOT_A_TIME)
    elif how == "not a list":
        record["tags"] = draw(NOT_A_LIST)
    else:
        return draw(NOT_AN_OBJECT)
    return record


def freshdesk_file(records: list) -> list:
    return records


@st.composite
def front_conversation(draw, n: int) -> tuple[dict, int]:
    messages = [
        {
            "id": f"msg_{n}x{j}",
            "type": draw(st.sampled_from(["email", "sms", "whatsapp", "custom"])),
            "is_inbound": draw(st.booleans()),
            "is_draft": False,
            "created_at": draw(EPOCH) + draw(st.floats(0, 0.999)),
            "author": {"id": f"tea_{j}", "first_name": draw(TEXT)},
            "recipients": [{"handle": draw(TEXT), "role": "from", "name": draw(TEXT)}],
            "body": draw(TEXT),
        }
        for j in range(draw(st.integers(0, 3)))
    ]
    comments = [
        {"id": f"com_{n}x{j}", "author": {"id": "tea_1"}, "body": draw(TEXT), "posted_at": draw(EPOCH)}
        for j in range(draw(st.integers(0, 2)))
    ]  # fmt: skip
    conversation = {
        "id": f"cnv_{n}",
        "subject": draw(TEXT),
        "status": draw(st.sampled_from(["assigned", "unassigned", "archived"])),
        "created_at": draw(EPOCH) + 0.5,
        "recipient": {"handle": draw(TEXT), "role": "from"},
        "assignee": draw(st.one_of(st.none(), st.just({"id": "tea_9", "first_name": "Ann"}))),
        "tags": [{"name": t} for t in draw(st.lists(TEXT, max_size=3))],
        "custom_fields": draw(st.dictionaries(TEXT, TEXT, max_size=2)),
        "messages": {"_results": messages},
        "comments": comments,
    }
    return conversation, len(messages) + len(comments)


def front_break(draw, record: dict) -> object:
    how = draw(st.sampled_from(["no id", "bad time", "not a list", "not an object"]))
    if how == "no id":
        record["id"] = ""
    elif how == "bad time":
        record["created_at"] = draw(NOT_A_TIME)
    elif how == "not a list":
        record["comments"] = draw(NOT_A_LIST)
    else:
        return draw(NOT_AN_OBJECT)
    return record


def front_file(records: list) -> dict:
    return {"_pagination": {"next": None}, "_links": {"self": "x"}, "_results": records}


VENDORS = {
    "helpscout": (helpscout_conversation, helpscout_break, helpscout_file),
    "intercom": (intercom_conversation, intercom_break, intercom_file),
    "freshdesk": (freshdesk_ticket, freshdesk_break, freshdesk_file),
    "front": (front_conversation, front_break, front_file),
}
SOURCE_ID = {"helpscout": str, "intercom": str, "freshdesk": str, "front": lambda n: f"cnv_{n}"}


@st.composite
def vendor_file(draw, vendor: str):
    """(file content, {good id: its message count}, numbers of the bad records)."""
    make, spoil, wrap = VENDORS[vendor]
    records, good, bad = [], {}, []
    for number in range(1, draw(st.integers(1, 8)) + 1):
        record, count = draw(make(number))
        if draw(st.booleans()):
            records.append(spoil(draw, record))
            bad.append(number)
        else:
            records.append(record)
            good[SOURCE_ID[vendor](number)] = count
    return wrap(records), good, bad


@pytest.fixture
def fresh_db(tmp_path, _migrated_template):
    def make():
        path = tmp_path / f"{uuid.uuid4().hex}.db"
        shutil.copy(_migrated_template, path)
        return path

    return make


@pytest.mark.parametrize("vendor", list(VENDORS))
def test_generated_records_land_or_are_rejected_never_raise(vendor, fresh_db, tmp_path):
    @SETTINGS
    @given(case=vendor_file(vendor))
    def check(case):
        content, good, bad = case
        db_path = fresh_db()
        path = tmp_path / f"{vendor}-{uuid.uuid4().hex}.json"
        # ensure_ascii: lone surrogates travel as \ud800 escapes, as other tools write them
        path.write_text(json.dumps(content), encoding="utf-8")
        report = run_to_end(import_files(db_path, [str(path)], format=vendor))
        (file_report,) = report.files
        assert file_report.error is None
        assert sorted(r.record for r in file_report.rejected) == bad
        db = connect(db_path)
        try:
            stored = dict(
                db.execute(
                    "select c.external_id, count(m.id) from conversations c "
                    "left join messages m on m.conversation_id = c.id group by c.id"
                ).fetchall()
            )
        finally:
            db.close()
        assert stored == good  # every good record, with every one of its messages

    check()


JSON_VALUE = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), TEXT),
    lambda children: st.one_of(
        st.lists(children, max_size=3), st.dictionaries(TEXT, children, max_size=3)
    ),
    max_leaves=12,
)
FIELD_NAMES = st.sampled_from(
    ["id", "ticket_id", "conversation_id", "created_at", "body", "source", "author", "contact",
     "ratings", "requester", "status", "team_ids", "group_ids", "conversation_parts", "tags",
     "custom_fields", "custom_attributes", "conversation_rating", "contacts", "name", "email"]
)  # fmt: skip
AIRBYTE_DATA = st.dictionaries(FIELD_NAMES, JSON_VALUE, max_size=8)
HANDLERS = [
    (f"{module.__name__.rsplit('.', 1)[-1]}:{stream}", handler)
    for module in (intercom, freshdesk)
    for stream, handler in module.AIRBYTE_STREAMS.items()
]


def _is_record(value: object) -> bool:
    return is_dataclass(value) and bool(fields(value))


@pytest.mark.parametrize("handler", [h for _, h in HANDLERS], ids=[n for n, _ in HANDLERS])
def test_airbyte_handlers_only_yield_records_the_store_takes(handler, db):
    @SETTINGS
    @given(data=AIRBYTE_DATA)
    def check(data):
        records = list(handler(data))
        assert all(_is_record(r) for r in records)
        assert all(r.record is None for r in records if isinstance(r, Rejected))
        with db.atomic():  # lone surrogates and odd types must not reach SQLite
            store_records(db, records)

    check()
