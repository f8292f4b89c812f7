"""One conversation as the reader shows it: its messages in time order, tags, satisfaction
answers and churn marks (the GUI holds no SQL)."""

from __future__ import annotations

from dataclasses import dataclass

from review.store import Store


@dataclass(frozen=True)
class ThreadMessage:
    """One message or event of a conversation, as the reader shows it."""

    id: int
    kind: str  # message | event
    author_role: str  # customer | agent | bot | system | unknown
    author_name: str | None
    is_internal: bool
    created_at: str | None
    body_text: str


# Freshdesk's satisfaction survey answers: a number on its ±103 scale, and what it stands for.
_FRESHDESK_ANSWERS = {
    "103": "Extremely happy",
    "102": "Very happy",
    "101": "Happy",
    "100": "Neutral",
    "-101": "Unhappy",
    "-102": "Very unhappy",
    "-103": "Extremely unhappy",
}
_OUT_OF = {"1-5": 5, "0-10": 10}


def rating_text(scale: str | None, raw_value: str | None, *, short: bool = False) -> str:
    """A satisfaction answer as a person reads it: "good", "4 of 5" ("4/5" when `short`),
    "Very happy" for Freshdesk's 102; the raw answer on a scale savedesk does not know."""
    if raw_value is None:
        return ""
    if scale == "freshdesk-103":
        return _FRESHDESK_ANSWERS.get(raw_value, raw_value)
    if scale in _OUT_OF:
        return f"{raw_value}/{_OUT_OF[scale]}" if short else f"{raw_value} of {_OUT_OF[scale]}"
    return raw_value


@dataclass(frozen=True)
class RatingAnswer:
    """A CSAT or NPS answer attached to the conversation."""

    kind: str
    scale: str | None
    raw_value: str | None
    score: float | None
    positive: bool | None
    comment: str | None

    @property
    def shown(self) -> str:
        """The answer as a person reads it (see rating_text)."""
        return rating_text(self.scale, self.raw_value)


@dataclass(frozen=True)
class ChurnMark:
    """A churn-signal phrase found in one message."""

    message_id: int | None
    phrase: str
    intent: str | None


@dataclass(frozen=True)
class ConversationDetail:
    """Everything the reader shows about one conversation."""

    id: int
    source: str
    external_id: str
    number: str | None
    subject: str | None
    channel: str | None
    status: str | None
    created_at: str | None
    customer: str | None
    customer_email: str | None
    agent_id: int | None
    agent: str | None
    team: str | None
    tags: list[str]
    ratings: list[RatingAnswer]
    messages: list[ThreadMessage]
    churn: list[ChurnMark]


def thread(db: Store, conversation_id: int) -> ConversationDetail | None:
    """One conversation with its messages in time order, tags, ratings and churn marks."""
    head = db.execute(
        """select c.id, c.source, c.external_id, c.number, c.subject, c.channel, c.status,
                  c.created_at, cu.name, cu.email, c.agent_id, a.name, t.name
           from conversations c
           left join customers cu on cu.id = c.customer_id
           left join agents a on a.id = c.agent_id
           left join teams t on t.id = coalesce(c.team_id, a.team_id)
           where c.id = ?""",
        [conversation_id],
    ).fetchone()
    if head is None:
        return None
    tags = [
        r[0]
        for r in db.execute(
            """select t.name from conversation_tags ct join tags t on t.id = ct.tag_id
               where ct.conversation_id = ? order by t.name""",
            [conversation_id],
        )
    ]
    ratings = [
        RatingAnswer(r[0], r[1], r[2], r[3], None if r[4] is None else bool(r[4]), r[5])
        for r in db.execute(
            """select kind, scale, raw_value, score, positive, comment from ratings
               where conversation_id = ? order by kind, created_at""",
            [conversation_id],
        )
    ]
    messages = [
        ThreadMessage(r[0], r[1], r[2], r[3], bool(r[4]), r[5], r[6] or "")
        for r in db.execute(
            # a message names its author by id only in most exports: take the name from the
            # people of the conversation's helpdesk
            """select m.id, m.kind, m.author_role,
                      coalesce(m.author_name,
                               case m.author_role
                                 when 'agent' then (select a.name from agents a
                                   where a.source = :source and a.external_id = m.author_external_id)
                                 when 'customer' then (select cu.name from customers cu
                                   where cu.source = :source and cu.external_id = m.author_external_id)
                               end),
                      m.is_internal, m.created_at, m.body_text
               from messages m where m.conversation_id = :id
               order by m.created_at is null, m.created_at, m.id""",
            {"id": conversation_id, "source": head[1]},
        )
    ]
    churn = []
    if "churn_signals" in db.tables():
        churn = [
            ChurnMark(r[0], r[1], r[2])
            for r in db.execute(
                # the words the customer wrote, which the reader highlights (not the pattern)
                "select message_id, coalesce(matched, phrase), intent from churn_signals "
                "where conversation_id = ? order by id",
                [conversation_id],
            )
        ]
    return ConversationDetail(
        id=head[0],
        source=head[1],
        external_id=head[2],
        number=head[3],
        subject=head[4],
        channel=head[5],
        status=head[6],
        created_at=head[7],
        customer=head[8],
        customer_email=head[9],
        agent_id=head[10],
        agent=head[11],
        team=head[12],
        tags=tags,
        ratings=ratings,
        messages=messages,
        churn=churn,
    )
