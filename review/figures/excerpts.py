"""What a report quotes from a conversation: its label, channel and customer (for masking), and
a few messages in the customer's own words, never translated."""

from __future__ import annotations

from dataclasses import dataclass

from review.store import Store

EXCERPTS = 4  # messages quoted per conversation


@dataclass(frozen=True)
class Excerpt:
    """One message quoted as written."""

    role: str  # customer | agent | bot | system | unknown
    author: str
    created_at: str
    text: str


@dataclass(frozen=True)
class ConversationRef:
    """A conversation named in a report, with the customer's details masking needs."""

    conversation_id: int
    label: str  # "#4711 · Cancel my plan" (number or external id, subject)
    channel: str
    created_at: str
    customer_name: str | None = None
    customer_email: str | None = None
    customer_phone: str | None = None
    excerpts: tuple[Excerpt, ...] = ()


def conversation_refs(
    db: Store, ids: list[int], *, quoted: bool = False, limit: int = EXCERPTS
) -> dict[int, ConversationRef]:
    """The conversations `ids` by id, each with `limit` quoted messages when `quoted`."""
    if not ids:
        return {}
    marks = ", ".join(str(int(i)) for i in sorted(set(ids)))
    refs = {}
    for cid, number, external_id, subject, channel, created, name, email, phone in db.execute(
        f"""select c.id, c.number, c.external_id, c.subject, c.channel, c.created_at,
                   cu.name, cu.email, cu.phone
            from conversations c left join customers cu on cu.id = c.customer_id
            where c.id in ({marks})"""
    ):
        label = f"#{number or external_id}" + (f" · {subject}" if subject else "")
        excerpts = tuple(excerpt_messages(db, cid, limit)) if quoted else ()
        refs[cid] = ConversationRef(
            cid, label, channel or "unknown", created or "", name, email, phone, excerpts
        )
    return refs


def conversation_ref(db: Store, conversation_id: int, *, quoted: bool = False) -> ConversationRef:
    """One conversation as a report names it (a placeholder when it is gone)."""
    found = conversation_refs(db, [conversation_id], quoted=quoted)
    return found.get(conversation_id) or ConversationRef(
        conversation_id, f"#{conversation_id}", "unknown", ""
    )


def excerpt_messages(db: Store, conversation_id: int, limit: int = EXCERPTS) -> list[Excerpt]:
    """Messages to quote: the customer message where a churn signal was found (else the first
    customer message) and what follows it, people only, internal notes left out."""
    signal = db.execute(
        """select m.created_at from churn_signals s join messages m on m.id = s.message_id
           where s.conversation_id = :cid order by m.created_at limit 1""",
        {"cid": conversation_id},
    ).fetchone()
    rows = db.execute(
        """select author_role, coalesce(author_name, ''), coalesce(created_at, ''), body_text
           from messages
           where conversation_id = :cid and kind = 'message' and is_internal = 0
             and author_role in ('customer', 'agent') and coalesce(body_text, '') <> ''
             and coalesce(created_at, '') >= :start
           order by created_at, id limit :limit""",
        {"cid": conversation_id, "start": signal[0] if signal else "", "limit": limit},
    ).fetchall()
    return [Excerpt(role, author or role, when, text) for role, author, when, text in rows]
