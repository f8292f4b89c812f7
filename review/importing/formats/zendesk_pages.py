"""A Zendesk API page as parser events: whole values built or skipped from ijson's events, and what a page's links, meta and file name say (the next page, the ticket its comments belong to)."""

from __future__ import annotations

import re

from ijson.common import ObjectBuilder

_COMMENTS_URL = re.compile(r"/tickets/(\d+)/comments")


_TICKET_IN_NAME = re.compile(r"tickets?[-_ ]?(\d+)", re.I)


def _build(event: str, value: object, events) -> object:
    """The whole value that starts with (event, value), consuming its events."""
    if event not in ("start_map", "start_array"):
        return value
    builder = ObjectBuilder()
    builder.event(event, value)
    depth = 1
    for event, value in events:
        builder.event(event, value)
        if event in ("start_map", "start_array"):
            depth += 1
        elif event in ("end_map", "end_array"):
            depth -= 1
            if depth == 0:
                break
    return builder.value


def _skip(event: str, events) -> object:
    """Consume the value that starts with `event` without building it; a scalar is returned."""
    if event not in ("start_map", "start_array"):
        return None
    depth = 1
    for event, _ in events:
        if event in ("start_map", "start_array"):
            depth += 1
        elif event in ("end_map", "end_array"):
            depth -= 1
            if depth == 0:
                break
    return None


def _count_items(events) -> int:
    """Consume an array (its start already read) and return how many items it held."""
    count = 0
    for event, _ in events:
        if event == "end_array":
            break
        count += 1
        _skip(event, events)
    return count


def _is_object_itself(meta: dict) -> bool:
    """True once a top-level object shows it is a ticket or user rather than a page."""
    return "requester_id" in meta or "via" in meta or "role" in meta


def _next_link(meta: dict) -> str | None:
    """The link to the page after this one when the file does not hold the whole export."""
    if "end_of_stream" in meta:  # incremental export: next_page is always set, this decides
        if meta["end_of_stream"] is False:
            return str(meta.get("next_page") or meta.get("after_url") or meta.get("after_cursor"))
        return None
    paging = meta["meta"] if isinstance(meta.get("meta"), dict) else {}
    links = meta["links"] if isinstance(meta.get("links"), dict) else {}
    if "has_more" in paging:
        return str(links.get("next") or paging.get("after_cursor")) if paging["has_more"] else None
    return meta.get("next_page") or links.get("next") or None


def _ticket_of_comments(meta: dict) -> str | None:
    candidates = [meta.get("next_page"), meta.get("previous_page"), meta.get("url")]
    links = meta.get("links")
    if isinstance(links, dict):
        candidates += [links.get("next"), links.get("prev")]
    for link in candidates:
        if isinstance(link, str):
            found = _COMMENTS_URL.search(link)
            if found:
                return found.group(1)
    return None


def _ticket_in_name(name: str) -> str | None:
    found = _TICKET_IN_NAME.search(name.replace("\\", "/").rsplit("/", 1)[-1])
    return found.group(1) if found else None
