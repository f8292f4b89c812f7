"""Help Scout Mailbox API conversations with their threads (../shared/samples/FORMATS.md
section 2). FreeScout's API reuses the shape and reads the same way.

API 2.0 (HAL): a list `{"_embedded": {"conversations": [...]}, "page": ...}`, one bare
conversation, threads embedded (`?embed=threads`) or a separate threads response
(`{"_embedded": {"threads": [...]}}` whose `_links.self` names the conversation).
The retired API 1.0 is mapped too, not rejected: its shape differs only in names (`{"item": {}}`
or `{"items": [], "pages": n}`, threads inline, thread type `message` for a reply, `owner`
instead of `assignee`, tags as strings), so nothing is lost by reading it.

Thread types: `customer` is the customer's message, `reply` (v1 `message`) an agent's,
`note` an internal note, `lineitem` a system event (status or assignee change: not a message);
`chat`, `phone`, `forward*` and the like take their role from `createdBy.type`. Drafts are
skipped: the customer never saw them. Names come as first/last (2.0) or firstName/lastName
(FreeScout, 1.0).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any, BinaryIO

from review.importing.formats import Format, Head, ReadOptions
from review.importing.formats._vendor import (
    JsonSplitter,
    body,
    clean_tree,
    derived_id,
    full_name,
    guarded,
    ident,
    obj,
    opt_ident,
    opt_text,
    seq,
    tag_names,
    when,
)
from review.importing.records import (
    Conversation,
    Message,
    Messages,
    Person,
    Record,
    Rejected,
    Team,
    Unread,
    Warning_,
)
from review.importing.unread import unread_fields, unread_in_each

SOURCE = "helpscout"
_LISTS = ["_embedded.conversations", "_embedded.threads", "items"]
_BY_CREATOR = {"customer": "customer", "user": "agent", "team": "agent", "workflow": "system"}
_THREAD_ROLES = {"customer": "customer", "reply": "agent", "message": "agent", "note": "agent"}
_CHANNELS = {"email": "email", "chat": "chat", "phone": "phone", "beaconchat": "chat"}
_THREADS_LINK = re.compile(r"/conversations/(\d+)/threads")
# Keys the mappers read, or links, counts and ids of things savedesk does not keep; any other
# key holding a value is listed in the ledger as not read.
_CONVERSATION_KNOWN = frozenset(
    [
        "id",
        "number",
        "subject",
        "type",
        "source",
        "status",
        "state",
        "createdAt",
        "userUpdatedAt",
        "updatedAt",
        "modifiedAt",
        "closedAt",
        "primaryCustomer",
        "customer",
        "assignee",
        "owner",
        "tags",
        "customFields",
        "threads",
        "_embedded",
        "_links",
        "mailboxId",
        "mailbox",
        "folderId",
        "preview",
        "threadCount",
        "isDraft",
        "createdBy",
        "closedBy",
        "closedByUser",
    ]
)
_THREAD_KNOWN = frozenset(
    [
        "id",
        "type",
        "state",
        "isDraft",
        "createdBy",
        "createdAt",
        "body",
        "action",
        "status",
        "source",
        "customer",
        "assignedTo",
        "createdByCustomer",
        "actionType",
        "actionSourceId",
        "_links",
        "_embedded",
        "tags",
    ]
)


# -- records ----------------------------------------------------------------------------------


def conversation_records(c: dict, extra_threads: list | None = None) -> Iterator[Record]:
    """A conversation with its threads (embedded 2.0, inline 1.0, or passed in `extra_threads`)."""
    conversation_id = ident(c.get("id"))
    embedded = obj(c.get("_embedded"), "_embedded")
    threads = seq(embedded.get("threads"), "_embedded.threads")
    if not threads and isinstance(c.get("threads"), list):  # 1.0; in 2.0 "threads" is a count
        threads = c["threads"]
    all_threads = [*threads, *(extra_threads or [])]
    messages = _messages(all_threads)
    source = obj(c.get("source"), "source")
    kind = opt_text(c.get("type"), "type") or opt_text(source.get("type"), "source.type")
    agent, team = _assignee(c)
    tags = _tags(c.get("tags"))
    for thread in all_threads:  # tags set on a thread (a workflow's line item) are kept too
        if isinstance(thread, dict) and thread.get("tags"):
            tags += [t for t in _tags(thread.get("tags")) if t not in tags]
    unread = unread_fields(c, _CONVERSATION_KNOWN)
    unread += unread_in_each(all_threads, _THREAD_KNOWN, "threads[].")
    yield Conversation(
        source=SOURCE,
        external_id=conversation_id,
        number=opt_ident(c.get("number"), "number"),
        subject=opt_text(c.get("subject"), "subject"),
        channel=_CHANNELS.get(kind, kind) if kind else None,
        status=opt_text(c.get("status"), "status"),
        created_at=when(c.get("createdAt"), "createdAt"),
        updated_at=when(
            c.get("userUpdatedAt") or c.get("updatedAt") or c.get("modifiedAt"), "userUpdatedAt"
        ),
        closed_at=when(c.get("closedAt"), "closedAt"),
        customer=_person(
            c.get("primaryCustomer") or c.get("customer"), "customer", "primaryCustomer"
        ),
        agent=agent,
        team=team,
        tags=tags,
        custom_fields=_custom_fields(c.get("customFields")),
        messages=messages,
    )
    if unread:
        yield Unread(tuple(unread))


def thread_records(conversation_id: str, threads: list) -> Iterator[Record]:
    """Threads from a separate threads response, for the conversation its link names."""
    yield Messages(SOURCE, conversation_id, _messages(threads))
    unread = unread_in_each(threads, _THREAD_KNOWN, "threads[].")
    if unread:
        yield Unread(tuple(unread))


# -- reading a file ---------------------------------------------------------------------------


def read(stream: BinaryIO, name: str, options: ReadOptions) -> Iterator[Record]:
    """Stream the records of a Help Scout (or FreeScout) API response file."""
    splitter = JsonSplitter(stream, name, _LISTS)
    loose_threads: list = []  # a conversation's own or a threads response's: small, kept
    for path, number, item in splitter:
        if path == "_embedded.threads":
            loose_threads.append(item)
        elif isinstance(item, dict):
            yield from guarded(number, item, conversation_records)
        else:
            yield Rejected(number, f"expected a conversation, found {type(item).__name__}")
    root = splitter.root
    if not isinstance(root, dict):
        return
    if _more_pages(root):
        yield Warning_(f"{name} holds one page of a longer list: the other pages are not in it")
    single = root.get("item") if isinstance(root.get("item"), dict) else root  # 1.0 wraps one
    if "id" in single and ("threads" in single or "subject" in single or loose_threads):
        yield from guarded(1, single, lambda c: conversation_records(c, loose_threads))
    elif loose_threads:
        conversation_id = _linked_conversation(root)
        if conversation_id is None:
            yield Rejected(
                None,
                "a threads response that does not say which conversation it belongs to",
                field="_links.self",
            )
        else:
            yield from guarded(None, loose_threads, lambda t: thread_records(conversation_id, t))


def sniff(head: Head) -> bool:
    """Help Scout: HAL `_embedded` conversations or threads, a bare 2.0 conversation, or 1.0."""
    if head.first_char != "{":
        return False
    keys = set(head.top_keys)
    text = head.text
    if re.search(r'"_embedded"\s*:\s*\{\s*"(conversations|threads)"', text):
        return True
    if "mailboxId" in keys and ({"primaryCustomer", "createdBy", "_embedded"} & keys):
        return True
    if keys & {"item", "items"} and '"mailbox"' in text and '"threads"' in text:
        return bool(re.search(r'"type"\s*:\s*"(customer|message|note|lineitem)"', text))
    # 1.0 without its wrapper, as its webhooks send a conversation
    if {"id", "mailbox", "threads"} <= keys or ({"mailbox", "customer", "number"} <= keys):
        return bool(re.search(r'"type"\s*:\s*"(customer|message|note|lineitem)"', text))
    return False


FORMAT = Format(name="helpscout", label="Help Scout API (JSON)", sniff=sniff, read=read)


# -- helpers ----------------------------------------------------------------------------------


def _messages(threads: list) -> list[Message]:
    messages = []
    for thread in threads:
        message = _thread_message(obj(thread, "threads"))
        if message is not None:
            messages.append(message)
    messages.sort(key=lambda m: m.created_at or "")
    return messages


def _thread_message(t: dict) -> Message | None:
    if t.get("state") == "draft" or t.get("isDraft") is True:
        return None
    kind = opt_text(t.get("type"), "threads.type") or ""
    creator = obj(t.get("createdBy"), "threads.createdBy")
    created = when(t.get("createdAt"), "threads.createdAt")
    author_id = opt_ident(creator.get("id"), "threads.createdBy.id")
    author_name = full_name(creator) or opt_text(creator.get("email"), "threads.createdBy.email")
    thread_id = opt_ident(t.get("id"), "threads.id") or derived_id(kind, created, t.get("body"))
    if kind == "lineitem":
        action = obj(t.get("action"), "threads.action")
        text = opt_text(action.get("text"), "threads.action.text") or body(t.get("body"))[0]
        if not text and t.get("actionType"):  # 1.0: what happened, and who (a workflow's name)
            what = opt_text(t.get("actionType"), "threads.actionType")
            text = f"{what}: {author_name}" if author_name else what
        return Message(
            external_id=thread_id,
            author_role="agent" if creator.get("type") == "user" else "system",
            created_at=created,
            body_text=text or "status changed",
            kind="event",
            author_external_id=author_id,
            author_name=author_name,
        )
    creator_type = creator.get("type")
    role = _THREAD_ROLES.get(kind) or (
        _BY_CREATOR.get(creator_type, "unknown") if isinstance(creator_type, str) else "unknown"
    )
    text, html = body(t.get("body"), field="threads.body")
    return Message(
        external_id=thread_id,
        author_role=role,
        created_at=created,
        body_text=text,
        body_html=html,
        is_internal=kind == "note",
        author_external_id=author_id,
        author_name=author_name,
    )


def _person(value: Any, kind: str, field: str) -> Person | None:
    person = obj(value, field)
    person_id = opt_ident(person.get("id"), f"{field}.id")
    if person_id is None:
        return None
    return Person(
        SOURCE,
        person_id,
        kind,
        name=full_name(person),
        email=opt_text(person.get("email"), f"{field}.email"),
        phone=opt_text(person.get("phone"), f"{field}.phone"),
    )


def _assignee(c: dict) -> tuple[Person | None, Team | None]:
    if c.get("assignee") is not None:
        return _person(c.get("assignee"), "agent", "assignee"), None
    owner = obj(c.get("owner"), "owner")  # 1.0: a user or a team
    if owner.get("type") == "team":
        team_id = opt_ident(owner.get("id"), "owner.id")
        return None, Team(SOURCE, team_id, full_name(owner)) if team_id else None
    return _person(owner, "agent", "owner"), None


def _tags(value: Any) -> list[str]:
    return tag_names(value, keys=("tag", "name"))


def _custom_fields(value: Any) -> dict | None:
    fields = {}
    for field in seq(value, "customFields"):
        field = obj(field, "customFields")
        name = opt_text(field.get("name"), "customFields.name")
        if name:
            shown = field.get("text")
            fields[name] = clean_tree(shown if shown not in (None, "") else field.get("value"))
    return fields or None


def _linked_conversation(root: dict) -> str | None:
    links = obj(root.get("_links"), "_links")
    for link in links.values():
        href = link.get("href") if isinstance(link, dict) else None
        found = _THREADS_LINK.search(href) if isinstance(href, str) else None
        if found:
            return found.group(1)
    return None


def _more_pages(root: dict) -> bool:
    page = root.get("page")
    if isinstance(page, dict):  # 2.0: {"number": 1, "totalPages": 3}
        number, pages = page.get("number"), page.get("totalPages")
    else:  # 1.0: "page": 1, "pages": 3
        number, pages = page, root.get("pages")
    if isinstance(number, int) and isinstance(pages, int):
        return number < pages
    links = root.get("_links")
    return isinstance(links, dict) and isinstance(links.get("next"), dict)
