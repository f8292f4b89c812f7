"""Airbyte's JSON Lines output: `{"stream", "data", "emitted_at"}` per line, for any helpdesk.

The helpdesk is told per record (a Zendesk API url in `data.url`, Intercom's `data.type`,
Freshdesk's integer ticket status...) and, where one record says nothing, by the records
before it in the same file. Zendesk streams are read here with the shared Zendesk mapping;
Intercom and Freshdesk streams go to the `AIRBYTE_STREAMS` handlers of the intercom and
freshdesk format modules (looked up lazily, so this reader works before those exist). Streams
no handler keeps (brands, macros, articles...) are passed over and counted by stream name.

Also read: the Airbyte protocol's `{"type": "RECORD", "record": {...}}` lines, and the local
JSON destination's `{"_airbyte_data": {...}}` lines (stream named by the file, as Airbyte names
those files `_airbyte_raw_<stream>.jsonl`).
"""

from __future__ import annotations

import importlib
import json
import re
from collections.abc import Callable, Iterator
from typing import BinaryIO

from review.importing.formats import Format, Head, ReadOptions
from review.importing.formats.zendesk_comments import (
    audit_records,
    comment_records,
)
from review.importing.formats.zendesk_common import (
    BadRecord,
    id_in_text,
    ident,
    may_hold_lone_surrogates,
    safe_ident,
    without_lone_surrogates,
)
from review.importing.formats.zendesk_tickets import (
    satisfaction_rating,
    ticket_records,
)
from review.importing.formats.zendesk_users import (
    group_team,
    user_records,
)
from review.importing.jsonlines import loads_line
from review.importing.records import PassedOver, Record, Rejected

_VENDOR_MODULES = {
    "intercom": "review.importing.formats.intercom",
    "freshdesk": "review.importing.formats.freshdesk",
}
_ZENDESK_ONLY_STREAMS = {
    "ticket_comments",
    "ticket_audits",
    "ticket_metrics",
    "ticket_metric_events",
    "ticket_activities",
    "ticket_skips",
    "ticket_forms",
    "brands",
    "macros",
    "audit_logs",
    "user_fields",
    "organization_fields",
    "organization_memberships",
    "organizations",
    "group_memberships",
    "custom_roles",
    "attribute_definitions",
    "account_attributes",
    "article_comment_votes",
    "article_votes",
    "article_comments",
    "articles",
    "posts",
    "topics",
    "triggers",
    "automations",
    "schedules",
}
_INTERCOM_STREAMS = {
    "conversation_parts",
    "admins",
    "company_attributes",
    "contact_attributes",
    "company_segments",
    "activity_logs",
}
_INTERCOM_TYPES = {"conversation", "conversation_part", "admin", "contact", "ticket", "team"}
_FRESHDESK_STREAMS = {
    "canned_responses",
    "canned_response_folders",
    "solution_articles",
    "solution_categories",
    "solution_folders",
    "discussion_categories",
    "discussion_forums",
    "discussion_topics",
    "discussion_comments",
    "email_configs",
    "email_mailboxes",
    "scenario_automations",
    "time_entries",
    "surveys",
    "business_hours",
}
_PENDING_MAX = 10_000  # records held while the file has not yet said which helpdesk it is
_RAW_FILE = re.compile(r"_airbyte_raw_(.+?)\.jsonl?", re.I)
_STREAM_IN_TEXT = re.compile(rb'"stream"\s*:\s*"([^"]{1,80})"')
_FIRST_KEY = re.compile(r'\s*\{\s*"(stream|type|_airbyte_\w+)"')


def sniff(head: Head) -> bool:
    """JSON Lines whose first record is an Airbyte record."""
    first = head.first_line_json
    if first is None:
        # A first line longer than the head: judge by its opening key alone.
        found = _FIRST_KEY.match(head.text)
        if not found or "\n" in head.text.strip():
            return False
        return found.group(1) != "type" or '"RECORD"' in head.text[:200]
    if isinstance(first.get("stream"), str) and isinstance(first.get("data"), dict):
        return True
    if first.get("type") == "RECORD" and isinstance(first.get("record"), dict):
        return True
    return isinstance(first.get("_airbyte_data"), dict)


def read(stream: BinaryIO, name: str, options: ReadOptions) -> Iterator[Record]:
    """Stream the records of an Airbyte JSON Lines file, one line at a time."""
    yield from _Reader(name).records(stream)


class _Reader:
    def __init__(self, name: str):
        self.name = name
        found = _RAW_FILE.search(name.replace("\\", "/").rsplit("/", 1)[-1])
        self.file_stream = found.group(1) if found else None
        self.vendor: str | None = None
        self.pending: list[tuple[int, str, dict]] = []
        self.roles: dict[str, str] = {}
        self._handlers: dict[str, dict[str, Callable]] = {}

    def records(self, stream: BinaryIO) -> Iterator[Record]:
        for number, line in enumerate(stream, 1):
            if number == 1 and line.startswith(b"\xef\xbb\xbf"):
                line = line[3:]
            if not line.strip():
                continue
            try:
                obj = loads_line(line)
            except (ValueError, RecursionError) as exc:
                yield self._bad_line(number, line, exc)
                continue
            if may_hold_lone_surrogates(line):
                obj = without_lone_surrogates(obj)
            unwrapped = self._unwrap(obj, number)
            if not isinstance(unwrapped, tuple):
                yield unwrapped
                continue
            stream_name, data = unwrapped
            vendor = _vendor_of(stream_name, data)
            if vendor is not None and vendor != self.vendor:
                self.vendor = vendor
                yield from self._flush_pending()
            if vendor is None:
                vendor = self.vendor
            if vendor is None:
                self.pending.append((number, stream_name, data))
                if len(self.pending) > _PENDING_MAX:
                    yield from self._flush_pending()
                continue
            yield from self._dispatch(vendor, number, stream_name, data)
        yield from self._flush_pending()

    def _unwrap(self, obj: object, number: int) -> tuple[str, dict] | Record:
        if type(obj) is not dict:
            return Rejected(number, f"the line is not a JSON object but {type(obj).__name__}")
        if "_airbyte_data" in obj and self.file_stream:
            obj = {"stream": self.file_stream, "data": obj["_airbyte_data"]}
        elif obj.get("type") == "RECORD" and type(obj.get("record")) is dict:
            obj = obj["record"]
        elif type(obj.get("type")) is str and "stream" not in obj:
            return PassedOver(f"airbyte {obj['type'].lower()} messages")
        stream_name, data = obj.get("stream"), obj.get("data")
        if type(stream_name) is not str or not stream_name:
            return Rejected(number, "not an Airbyte record: no stream name", field="stream")
        if type(data) is not dict:
            return Rejected(number, f"the {stream_name} record has no data object", field="data")
        return stream_name, data

    def _bad_line(self, number: int, line: bytes, exc: Exception) -> Rejected:
        found = _STREAM_IN_TEXT.search(line)
        what = f"the {found.group(1).decode('utf-8', 'replace')} record" if found else "the line"
        if isinstance(exc, json.JSONDecodeError):
            problem = f"{what} is not valid JSON ({exc.msg} at column {exc.colno})"
        elif isinstance(exc, UnicodeDecodeError):
            problem = f"{what} is not UTF-8 text ({exc.reason} at byte {exc.start})"
        else:
            problem = f"{what} is not valid JSON ({type(exc).__name__})"
        data_at = line.find(b'"data"')
        return Rejected(number, problem, id_in_text(line[data_at:] if data_at >= 0 else line))

    def _flush_pending(self) -> Iterator[Record]:
        pending, self.pending = self.pending, []
        for number, stream_name, data in pending:
            if self.vendor is None:
                yield PassedOver(stream_name)
            else:
                yield from self._dispatch(self.vendor, number, stream_name, data)

    def _dispatch(self, vendor: str, number: int, stream_name: str, data: dict) -> Iterator[Record]:
        if vendor == "zendesk":
            handler = _ZENDESK_STREAMS.get(stream_name)
            if handler is None:
                yield PassedOver(stream_name)
                return
            try:
                yield from handler(data, number, self.roles)
            except BadRecord as exc:
                yield exc.rejected(number, safe_ident(data.get("id")))
            return
        handler = self._vendor_handlers(vendor).get(stream_name)
        if handler is None:
            yield PassedOver(stream_name)
            return
        try:
            for record in handler(data):
                if isinstance(record, Rejected) and record.record is None:
                    record.record = number
                yield record
        except Exception as exc:  # noqa: BLE001 - one bad record never stops an import
            yield Rejected(
                number,
                f"the {stream_name} record could not be read: {exc}",
                getattr(exc, "helpdesk_id", None) or safe_ident(data.get("id")),
                getattr(exc, "field", None),
            )

    def _vendor_handlers(self, vendor: str) -> dict[str, Callable]:
        if vendor not in self._handlers:
            try:
                module = importlib.import_module(_VENDOR_MODULES[vendor])
            except ModuleNotFoundError as exc:
                if exc.name != _VENDOR_MODULES[vendor]:
                    raise
                module = None
            self._handlers[vendor] = getattr(module, "AIRBYTE_STREAMS", {}) if module else {}
        return self._handlers[vendor]


def _vendor_of(stream_name: str, data: dict) -> str | None:
    """Which helpdesk one record comes from, or None when it does not say."""
    url = data.get("url")
    if type(url) is str and ".zendesk.com/api/v2/" in url:
        return "zendesk"
    if data.get("type") in _INTERCOM_TYPES or stream_name in _INTERCOM_STREAMS:
        return "intercom"
    if (
        (type(data.get("status")) is int and "requester_id" in data and "responder_id" in data)
        or ("incoming" in data and "private" in data)
        or "ticket_scope" in data
        or "csat_rating" in data
        or stream_name in _FRESHDESK_STREAMS
    ):
        return "freshdesk"
    if stream_name in _ZENDESK_ONLY_STREAMS or ("html_body" in data and "author_id" in data):
        return "zendesk"
    return None


# -- Zendesk streams ------------------------------------------------------------------------------


def _zendesk_ticket(data: dict, number: int, roles: dict) -> Iterator[Record]:
    yield from ticket_records(data, number, roles)


def _zendesk_comment(data: dict, number: int, roles: dict) -> Iterator[Record]:
    ticket = ident(data.get("ticket_id"), "ticket_id")
    yield from comment_records(data, ticket, roles)


def _zendesk_audit(data: dict, number: int, roles: dict) -> Iterator[Record]:
    yield from audit_records(data, roles)


def _zendesk_user(data: dict, number: int, roles: dict) -> Iterator[Record]:
    yield from user_records(data, roles)


def _zendesk_group(data: dict, number: int, roles: dict) -> Iterator[Record]:
    yield group_team(data)


def _zendesk_rating(data: dict, number: int, roles: dict) -> Iterator[Record]:
    rating = satisfaction_rating(data)
    yield rating if rating is not None else PassedOver("satisfaction_ratings (unanswered)")


_ZENDESK_STREAMS: dict[str, Callable[[dict, int, dict], Iterator[Record]]] = {
    "tickets": _zendesk_ticket,
    "ticket_comments": _zendesk_comment,
    "ticket_audits": _zendesk_audit,
    "users": _zendesk_user,
    "groups": _zendesk_group,
    "satisfaction_ratings": _zendesk_rating,
}


FORMAT = Format(
    name="airbyte",
    label="Airbyte JSON Lines (Zendesk, Intercom, Freshdesk streams)",
    sniff=sniff,
    read=read,
    reads_lines=True,
)
