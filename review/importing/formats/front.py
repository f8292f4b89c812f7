"""Front Core API: conversations, their messages and their comments
(../shared/samples/FORMATS.md section 5).

Every list is `{"_pagination": {"next"}, "_links": {"self"}, "_results": [...]}`; one object is
bare. Items are told apart by their id prefix: `cnv_` conversation, `msg_` message, `com_`
comment. A conversation may carry its messages and comments (`messages`, `comments`, as lists
or nested `_results`), as export scripts write them; a messages or comments response names its
conversation in each item's `_links.related.conversation` or in the envelope's `_links.self`.

Times are epoch seconds as floats. Inbound messages are the customer's (the author is the
recipient whose role is `from`); outbound ones the teammate's who wrote them, or the system's
when no teammate did (rules, integrations). Comments are internal notes. Drafts are skipped:
nobody outside saw them. The channel comes from the messages' `type`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any, BinaryIO

from review.importing.formats import Format, Head, ReadOptions
from review.importing.formats._vendor import (
    BadRecord,
    JsonSplitter,
    body,
    clean_tree,
    full_name,
    guarded,
    ident,
    obj,
    opt_ident,
    opt_text,
    seq,
    tag_names,
    top_value,
    when,
)
from review.importing.records import (
    Conversation,
    Message,
    Messages,
    PassedOver,
    Person,
    Record,
    Rejected,
    Unread,
    Warning_,
)
from review.importing.unread import unread_fields, unread_in_each

SOURCE = "front"
# message type -> savedesk channel; other types are kept as Front names them.
CHANNELS = {
    "email": "email",
    "sms": "messaging",
    "whatsapp": "messaging",
    "intercom": "chat",
    "front_chat": "chat",
    "chat": "chat",
    "call": "phone",
    "phone": "phone",
    "tweet": "social",
    "twitter": "social",
    "tweet_dm": "social",
    "facebook": "social",
    "instagram": "social",
    "googleplay": "web",
    "form": "web",
}
_CONVERSATION_LINK = re.compile(r"/conversations/(cnv_[A-Za-z0-9]+)")
# Keys the mappers read (or links); any other key holding a value is listed as not read.
_CONVERSATION_KNOWN = frozenset(
    [
        "_links",
        "id",
        "subject",
        "status",
        "created_at",
        "updated_at",
        "recipient",
        "assignee",
        "tags",
        "custom_fields",
        "messages",
        "comments",
    ]
)
_MESSAGE_KNOWN = frozenset(
    [
        "_links",
        "id",
        "type",
        "is_inbound",
        "is_draft",
        "created_at",
        "blurb",
        "body",
        "text",
        "author",
        "recipients",
        "conversation_id",
    ]
)
_COMMENT_KNOWN = frozenset(
    ["_links", "id", "author", "body", "posted_at", "created_at", "conversation_id"]
)


# -- records ----------------------------------------------------------------------------------


def conversation_records(c: dict) -> Iterator[Record]:
    """A conversation, with the messages and comments it carries (if any)."""
    conversation_id = ident(c.get("id"))
    messages: list[Message] = []
    types: list[str] = []
    for item in _nested(c.get("messages"), "messages"):
        message = _message(obj(item, "messages"))
        if message is not None:
            messages.append(message)
            types.append(opt_text(item.get("type"), "messages.type") or "")
    for item in _nested(c.get("comments"), "comments"):
        messages.append(_comment(obj(item, "comments")))
    messages.sort(key=lambda m: m.created_at or "")
    channel = next((t for t in types if t), None)
    unread = unread_fields(c, _CONVERSATION_KNOWN)
    unread += unread_in_each(_nested(c.get("messages"), "messages"), _MESSAGE_KNOWN, "messages[].")
    unread += unread_in_each(_nested(c.get("comments"), "comments"), _COMMENT_KNOWN, "comments[].")
    yield Conversation(
        source=SOURCE,
        external_id=conversation_id,
        subject=opt_text(c.get("subject"), "subject"),
        channel=CHANNELS.get(channel, channel) if channel else None,
        status=opt_text(c.get("status"), "status"),
        created_at=when(c.get("created_at"), "created_at"),
        updated_at=when(c.get("updated_at"), "updated_at"),
        customer=_recipient_person(obj(c.get("recipient"), "recipient")),
        agent=_teammate(c.get("assignee"), "assignee"),
        tags=_tags(c.get("tags")),
        custom_fields=clean_tree(obj(c.get("custom_fields"), "custom_fields")) or None,
        messages=messages,
    )
    if unread:
        yield Unread(tuple(unread))


def message_records(m: dict, conversation_id: str | None = None) -> Iterator[Record]:
    """A message from a messages response (drafts are passed over)."""
    message = _message(m)
    if message is None:
        yield PassedOver("front draft")
        return
    yield Messages(SOURCE, _conversation_of(m, conversation_id), [message])
    unread = unread_fields(m, _MESSAGE_KNOWN)
    if unread:
        yield Unread(tuple(unread))


def event_records(event: dict) -> Iterator[Record]:
    """A webhook event: the conversation as it is now, and the message or comment the event
    is about (`target.data`)."""
    conversation = obj(event.get("conversation"), "conversation")
    records = list(conversation_records(conversation))
    emitted = when(event.get("emitted_at"), "emitted_at")
    for r in records:  # the conversation as of the event: a later event's state wins
        if isinstance(r, Conversation) and r.updated_at is None:
            r.updated_at = emitted
    target = obj(obj(event.get("target"), "target").get("data"), "target.data")
    target_id = str(target.get("id", ""))
    if target_id.startswith("msg_"):
        records += message_records(target, ident(conversation.get("id")))
        kind = opt_text(target.get("type"), "target.data.type")
        for r in records:  # an event's conversation carries no messages: its message tells
            if isinstance(r, Conversation) and r.channel is None and kind:
                r.channel = CHANNELS.get(kind, kind)
    elif target_id.startswith("com_"):
        records += comment_records(target, ident(conversation.get("id")))
    yield from records


def comment_records(m: dict, conversation_id: str | None = None) -> Iterator[Record]:
    """A comment (internal note) from a comments response."""
    yield Messages(SOURCE, _conversation_of(m, conversation_id), [_comment(m)])
    unread = unread_fields(m, _COMMENT_KNOWN)
    if unread:
        yield Unread(tuple(unread))


# -- reading a file ---------------------------------------------------------------------------

_BY_PREFIX: dict[str, Callable[..., Iterator[Record]]] = {
    "cnv_": conversation_records,
    "msg_": message_records,
    "com_": comment_records,
}


def read(stream: BinaryIO, name: str, options: ReadOptions) -> Iterator[Record]:
    """Stream the records of a Front API response file."""
    splitter = JsonSplitter(stream, name, ["_results", ""])
    for _path, number, item in splitter:
        yield from _item_records(number, item, _envelope_conversation(splitter.root))
    root = splitter.root
    if not isinstance(root, dict):
        return
    if "_results" in root:
        pagination = root.get("_pagination")
        if isinstance(pagination, dict) and pagination.get("next"):
            yield Warning_(f"{name} holds one page of a longer list: the other pages are not in it")
    else:
        yield from _item_records(1, root, None)


def _item_records(number: int, item: Any, conversation_id: str | None) -> list[Record]:
    if not isinstance(item, dict):
        return [Rejected(number, f"expected a Front object, found {type(item).__name__}")]
    item_id = item.get("id")
    prefix = item_id[:4] if isinstance(item_id, str) else ""
    convert = _BY_PREFIX.get(prefix)
    if convert is None:
        if item_id is None or isinstance(item_id, str) and item_id == "":
            return [Rejected(number, "the id is missing", field="id")]
        return [PassedOver(f"front {prefix.rstrip('_') or 'object'}")]
    if convert is conversation_records:
        return guarded(number, item, convert)
    return guarded(number, item, lambda m: convert(m, conversation_id))


def sniff(head: Head) -> bool:
    """Front: `_results` + `_pagination`, or one object with a cnv_/msg_/com_ id."""
    if head.first_char == "{":
        keys = set(head.top_keys)
        if "_results" in keys or "_pagination" in keys:
            return not keys & {"_embedded"}
        found = top_value(head, "id")
        return isinstance(found, str) and found[:4] in _BY_PREFIX
    if head.first_char == "[":
        item = head.first_item
        return bool(item) and isinstance(item.get("id"), str) and item["id"][:4] in _BY_PREFIX
    return False


FORMAT = Format(name="front", label="Front API (JSON)", sniff=sniff, read=read)


# -- helpers ----------------------------------------------------------------------------------


def _nested(value: Any, field: str) -> list:
    if isinstance(value, dict):  # an embedded list response
        return seq(value.get("_results"), f"{field}._results")
    return seq(value, field)


def _message(m: dict) -> Message | None:
    if m.get("is_draft") is True:
        return None
    inbound = m.get("is_inbound") is True
    if inbound:
        sender = _sender(m)
        role = "customer"
        author_id = opt_text(sender.get("handle"), "recipients.handle")
        author_name = opt_text(sender.get("name"), "recipients.name")
    else:
        author = obj(m.get("author"), "author")
        role = "agent" if author else "system"
        author_id = opt_ident(author.get("id"), "author.id")
        author_name = full_name(author) or opt_text(author.get("username"), "author.username")
    text, html = body(m.get("body"), m.get("text"))
    if not text:
        text = opt_text(m.get("blurb"), "blurb") or ""
    return Message(
        external_id=ident(m.get("id")),
        author_role=role,
        created_at=when(m.get("created_at"), "created_at"),
        body_text=text,
        body_html=html,
        author_external_id=author_id,
        author_name=author_name,
    )


def _comment(m: dict) -> Message:
    author = obj(m.get("author"), "author")
    text, html = body(m.get("body"))
    return Message(
        external_id=ident(m.get("id")),
        author_role="agent" if author else "system",
        created_at=when(m.get("posted_at") or m.get("created_at"), "posted_at"),
        body_text=text,
        body_html=html,
        is_internal=True,
        author_external_id=opt_ident(author.get("id"), "author.id"),
        author_name=full_name(author) or opt_text(author.get("username"), "author.username"),
    )


def _sender(m: dict) -> dict:
    for recipient in seq(m.get("recipients"), "recipients"):
        if isinstance(recipient, dict) and recipient.get("role") == "from":
            return recipient
    return {}


def _recipient_person(r: dict) -> Person | None:
    handle = opt_text(r.get("handle"), "recipient.handle")
    if handle is None:
        return None
    # Keyed on the handle, the one thing messages also name the customer by.
    return Person(
        SOURCE,
        handle,
        "customer",
        name=opt_text(r.get("name"), "recipient.name"),
        email=handle if "@" in handle else None,
        phone=handle if re.fullmatch(r"\+?[\d\s().-]{6,}", handle) else None,
    )


def _teammate(value: Any, field: str) -> Person | None:
    teammate = obj(value, field)
    teammate_id = opt_ident(teammate.get("id"), f"{field}.id")
    if teammate_id is None:
        return None
    return Person(
        SOURCE,
        teammate_id,
        "agent",
        name=full_name(teammate) or opt_text(teammate.get("username"), f"{field}.username"),
        email=opt_text(teammate.get("email"), f"{field}.email"),
    )


def _tags(value: Any) -> list[str]:
    return tag_names(value)


def _link_conversation(links: Any) -> str | None:
    if not isinstance(links, dict):
        return None
    for value in (
        obj(links.get("related"), "_links.related").get("conversation"),
        links.get("self"),
    ):
        href = value.get("href") if isinstance(value, dict) else value
        found = _CONVERSATION_LINK.search(href) if isinstance(href, str) else None
        if found:
            return found.group(1)
    return None


def _conversation_of(m: dict, envelope_id: str | None) -> str:
    found = _link_conversation(m.get("_links")) or envelope_id
    if found is None:
        raise BadRecord(
            "_links.related.conversation",
            "the message does not say which conversation it belongs to",
        )
    return found


def _envelope_conversation(root: Any) -> str | None:
    if not isinstance(root, dict):
        return None
    return _link_conversation(
        {
            "self": root.get("_links", {}).get("self")
            if isinstance(root.get("_links"), dict)
            else None
        }
    )
