"""Zendesk Support API JSON: any of the response bodies in FORMATS.md section 1, streamed.

A file may hold one page (`{"tickets": [...], "next_page": ...}`, `{"ticket": {...}}`,
`{"comments": [...]}`, `{"audits": [...]}`, `{"users": [...]}`, side-loaded `users`/`groups`
next to `tickets` ...), several pages written one after another, or a JSON array of pages.
Item arrays are read one object at a time with ijson, so a file of any size needs only one
object's worth of memory; everything else on a page (paging keys, links) is small and kept
until the page ends. Comments of `GET /tickets/{id}/comments` name no ticket: the page's links
(or the file name) tell which, so they wait for the end of their page.

Audit events that are not comments (field changes, notifications) are passed over and counted.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import BinaryIO

import ijson

from review.errors import ImportFailed
from review.importing.formats import Format, Head, ReadOptions
from review.importing.formats.zendesk_comments import (
    audit_records,
    comment_message,
    comment_records,
    comment_unread,
)
from review.importing.formats.zendesk_common import (
    SOURCE,
    BadRecord,
    ident,
    safe_ident,
    without_lone_surrogates,
)
from review.importing.formats.zendesk_pages import (
    _build,
    _count_items,
    _is_object_itself,
    _next_link,
    _skip,
    _ticket_in_name,
    _ticket_of_comments,
)
from review.importing.formats.zendesk_tickets import (
    satisfaction_rating,
    ticket_records,
)
from review.importing.formats.zendesk_users import (
    group_team,
    user_records,
)
from review.importing.limits import json_error_text
from review.importing.records import Messages, PassedOver, Record, Rejected, Unread, Warning_

# Top-level keys whose value is a list of objects we read, and the kind of each object.
_ITEM_ARRAYS = {
    "tickets": "ticket",
    "comments": "comment",
    "audits": "audit",
    "users": "user",
    "groups": "group",
    "satisfaction_ratings": "rating",
    "results": "result",  # search API: each result says its result_type
}
_SINGLE_OBJECTS = {
    "ticket": "ticket",
    "audit": "audit",
    "user": "user",
    "group": "group",
    "comment": "comment",
    "satisfaction_rating": "rating",
}
# Lists savedesk does not keep: streamed past and counted, never built in memory.
_PASSED_ARRAYS = {
    "organizations",
    "ticket_events",
    "ticket_metrics",
    "ticket_metric_events",
    "ticket_fields",
    "ticket_forms",
    "brands",
    "macros",
    "views",
    "triggers",
    "automations",
    "sla_policies",
    "activities",
    "group_memberships",
    "organization_memberships",
    "custom_statuses",
    "facets",
    "dynamic_content_items",
}
_SNIFF_ALWAYS = {"ticket", "tickets", "audit", "audits"}
_SNIFF_WITH_MARK = {"comments", "users", "user", "satisfaction_ratings"}
_FOREIGN_KEYS = {"_embedded", "_results", "_pagination", "type", "data"}
_ZENDESK_MARK = re.compile(
    r'zendesk\.com/api/v2/|"role"\s*:\s*"(?:end-user|agent|admin)"|"html_body"\s*:|"end_of_stream"\s*:'
)
_FIRST_KEY_OF_ITEM = re.compile(r'\[\s*\{\s*"([^"]+)"')
_FAST_PARSE = ijson.basic_parse  # yajl2_c where built, as here
_SLOW_PARSE = ijson.get_backend("python").basic_parse  # any integer, 13x slower
_REPLAY_BYTES = 4 << 20
_RESULT_KINDS = {"ticket": "ticket", "user": "user", "group": "group"}


def sniff(head: Head) -> bool:
    """Zendesk API JSON: a page object (or an array of them) with Zendesk's item keys."""
    if head.first_char == "{":
        keys = set(head.top_keys)
        if not keys or keys & _FOREIGN_KEYS or "id" in keys:  # an id: an object, not a page
            return False
        if keys & _SNIFF_ALWAYS:
            return True
        return bool(keys & _SNIFF_WITH_MARK) and bool(_ZENDESK_MARK.search(head.text))
    if head.first_char == "[":
        found = _FIRST_KEY_OF_ITEM.match(head.text.lstrip())
        if not found:
            return False
        key = found.group(1)
        if key in _SNIFF_ALWAYS:
            return True
        return key in _SNIFF_WITH_MARK and bool(_ZENDESK_MARK.search(head.text))
    return False


def read(stream: BinaryIO, name: str, options: ReadOptions) -> Iterator[Record]:
    """Stream the records of a Zendesk API JSON file (see the module docstring).

    The fast C parser refuses integers beyond 64 bits and lone low-surrogate escapes. Zendesk
    never writes those, but a user's file might: the first few megabytes are kept (and their
    records held back) so such a file is read again with ijson's pure-Python parser; past
    that it fails whole.
    """
    recorder = _Recorder(stream)
    held: list[Record] = []
    try:
        for record in _Reader(name).records(recorder, _FAST_PARSE):
            if recorder.kept is not None:
                held.append(record)
                continue
            if held:
                yield from held
                held.clear()
            yield record
    except _NeedsSlowParser as exc:
        if recorder.kept is None:
            raise ImportFailed(name, f"the fast JSON parser cannot read {exc}") from exc
        replay = _Replay(bytes(recorder.kept), stream)
        yield from _Reader(name).records(replay, _SLOW_PARSE)
        return
    yield from held


class _NeedsSlowParser(Exception):
    """The C parser met what only the Python one reads (an integer beyond 64 bits, a lone
    low surrogate escape)."""


class _Recorder:
    """Reads through, keeping what it read until that passes _REPLAY_BYTES (then kept = None)."""

    def __init__(self, raw: BinaryIO):
        self.raw = raw
        self.kept: bytearray | None = bytearray()

    def read(self, size: int = -1) -> bytes:
        data = self.raw.read(size)
        if self.kept is not None:
            self.kept += data
            if len(self.kept) > _REPLAY_BYTES:
                self.kept = None
        return data


class _Replay:
    """The kept bytes, then the rest of the stream."""

    def __init__(self, kept: bytes, rest: BinaryIO):
        self.kept = memoryview(kept)
        self.rest = rest

    def read(self, size: int = -1) -> bytes:
        if self.kept:
            size = len(self.kept) if size is None or size < 0 else size
            data, self.kept = bytes(self.kept[:size]), self.kept[size:]
            return data
        return self.rest.read(size)


class _Reader:
    def __init__(self, name: str):
        self.name = name
        self.ordinal = 0  # objects read so far: the record number of a Rejected
        self.roles: dict[str, str] = {}  # user id -> role, from users earlier in this file
        self.clean = False
        self.partial: dict[str, str] = {}  # listed kind -> next-page link of its latest page
        self.refused_tickets: set[str | None] = set()  # tickets of this page that were rejected

    def records(self, stream, basic_parse) -> Iterator[Record]:
        # The C parser turns lone surrogates ("\\ud800") into "?"; the Python one keeps them,
        # and SQLite refuses them, so objects are cleaned on that path; a NUL ("\\u0000"),
        # which PostgreSQL refuses, comes through either: objects are cleaned on both.
        self.clean = True
        events = basic_parse(stream, multiple_values=True, use_float=True)
        try:
            depth = 0  # 1 inside a top-level array of pages
            for event, value in events:
                if event == "start_map":
                    yield from self._page(events)
                elif event == "start_array" and depth == 0:
                    depth = 1
                elif event == "end_array" and depth == 1:
                    depth = 0
                else:
                    self.ordinal += 1
                    _skip(event, events)
                    shown = "an array" if event == "start_array" else repr(value)[:40]
                    yield Rejected(self.ordinal, f"not a Zendesk page or object: {shown}")
        except ijson.IncompleteJSONError as exc:
            if "integer overflow" in str(exc):
                raise _NeedsSlowParser("a number beyond 64 bits") from exc
            raise ImportFailed(
                self.name, f"the JSON is cut short or broken ({json_error_text(exc)})"
            ) from exc
        except ijson.JSONError as exc:
            if "integer overflow" in str(exc):
                raise _NeedsSlowParser("a number beyond 64 bits") from exc
            raise ImportFailed(self.name, f"not valid JSON ({json_error_text(exc)})") from exc
        except UnicodeDecodeError as exc:
            if basic_parse is _FAST_PARSE:  # maybe a lone "\\udfff" escape, which it cannot decode
                raise _NeedsSlowParser("text it cannot decode") from exc
            raise ImportFailed(self.name, f"not UTF-8 text ({exc.reason})") from exc
        for kind, link in self.partial.items():
            yield Warning_(
                f"{self.name}: the saved page is partial: Zendesk had more {kind}s after it "
                f"({link}); import the following pages too for the whole export"
            )

    # -- one page (a top-level object) ---------------------------------------------------------

    def _page(self, events) -> Iterator[Record]:
        meta: dict = {}
        kinds: list[str] = []  # item kinds on this page; the first is what the page lists
        waiting: list[tuple[int, dict]] = []  # comments that name no ticket
        self.refused_tickets.clear()
        for event, key in events:
            if event == "end_map":
                break
            event, value = next(events)
            if _is_object_itself(meta):  # a bare ticket or user: its keys are its own fields
                meta[key] = _build(event, value, events)
            elif key in _ITEM_ARRAYS and event == "start_array":
                kind = _ITEM_ARRAYS[key]
                kinds.append(kind)
                for item_event, item_value in events:
                    if item_event == "end_array":
                        break
                    self.ordinal += 1
                    if item_event != "start_map":
                        _skip(item_event, events)
                        yield Rejected(
                            self.ordinal, f"an item of '{key}' is not an object", field=key
                        )
                        continue
                    obj = _build(item_event, item_value, events)
                    yield from self._item(kind, obj, waiting)
            elif key in _SINGLE_OBJECTS and event == "start_map":
                kinds.append(_SINGLE_OBJECTS[key])
                self.ordinal += 1
                yield from self._item(_SINGLE_OBJECTS[key], _build(event, value, events), waiting)
            elif key in _PASSED_ARRAYS and event == "start_array":
                count = _count_items(events)
                if count:
                    yield PassedOver(key, count)
            else:
                meta[key] = _build(event, value, events)
        if not kinds:
            yield from self._bare_object(meta)
            return
        if waiting:
            yield from self._comments_of_page(waiting, meta)
        # Paging follows the listed kind (side-loaded users/groups ride along): a page that
        # has a next one is partial unless a later page of the same list follows in the file.
        link = _next_link(meta)
        if link:
            self.partial[kinds[0]] = link
        else:
            self.partial.pop(kinds[0], None)

    def _bare_object(self, obj: dict) -> Iterator[Record]:
        """A top-level object or array item that is itself a ticket or a user (a list of them)."""
        self.ordinal += 1
        if "requester_id" in obj or ("via" in obj and "status" in obj):
            yield from self._item("ticket", obj, [])
        elif "role" in obj and "id" in obj:
            yield from self._item("user", obj, [])
        elif obj:
            yield Rejected(
                self.ordinal,
                "not a Zendesk page, ticket or user (keys: " + ", ".join(list(obj)[:6]) + ")",
                helpdesk_id=safe_ident(obj.get("id")),
            )

    # -- one object ----------------------------------------------------------------------------

    def _item(self, kind: str, obj: dict, waiting: list) -> Iterator[Record]:
        if self.clean:
            obj = without_lone_surrogates(obj)
        if kind == "result":
            kind = _RESULT_KINDS.get(obj.get("result_type"), "")
            if not kind:
                yield PassedOver(f"search results ({obj.get('result_type')})")
                return
        if kind in ("audit", "comment") and self.refused_tickets:
            ticket = safe_ident(obj.get("ticket_id"))
            if ticket in self.refused_tickets:  # a refused ticket leaves nothing behind
                yield Rejected(self.ordinal, f"its ticket {ticket} was rejected", ticket, kind)
                return
        try:
            if kind == "ticket":
                yield from ticket_records(obj, self.ordinal, self.roles)
            elif kind == "comment":
                ticket = ident(obj.get("ticket_id"), "ticket_id", required=False)
                if ticket is None:
                    waiting.append((self.ordinal, obj))
                else:
                    yield from comment_records(obj, ticket, self.roles)
            elif kind == "audit":
                yield from audit_records(obj, self.roles)
            elif kind == "user":
                yield from user_records(obj, self.roles)
            elif kind == "group":
                yield group_team(obj)
            elif kind == "rating":
                rating = satisfaction_rating(obj)
                yield (
                    rating if rating is not None else PassedOver("unanswered satisfaction surveys")
                )
        except BadRecord as exc:
            if kind == "ticket":
                self.refused_tickets.add(safe_ident(obj.get("id")))
            yield exc.rejected(self.ordinal, safe_ident(obj.get("id")))

    def _comments_of_page(self, waiting: list[tuple[int, dict]], meta: dict) -> Iterator[Record]:
        ticket = _ticket_of_comments(meta) or _ticket_in_name(self.name)
        messages = []
        unread: list[str] = []
        for ordinal, obj in waiting:
            if ticket is None:
                yield Rejected(
                    ordinal,
                    "the comment names no ticket, and neither do the page's links nor the file name",
                    safe_ident(obj.get("id")),
                    "ticket_id",
                )
                continue
            try:
                messages.append(comment_message(obj, None, self.roles))
            except BadRecord as exc:
                yield exc.rejected(ordinal, safe_ident(obj.get("id")))
                continue
            unread += comment_unread(obj, "comments[].")
        if ticket is not None and messages:
            yield Messages(SOURCE, ticket, messages)
        if unread:
            yield Unread(tuple(unread))


# -- event helpers --------------------------------------------------------------------------------


# -- page helpers ---------------------------------------------------------------------------------


FORMAT = Format(
    name="zendesk-api",
    label="Zendesk API JSON (tickets, comments, audits, users)",
    sniff=sniff,
    read=read,
)
