"""A lead's saved and lost customers, and the tags they added, onto the team store.

Saves and losses become the pushing login's (their `author`), on the team store's conversation
and agent, with the money exactly as recorded (integer cents and its currency). A loss keeps its
reason by name: a reason the team store lacks is added where the pushing login may add reasons
(an admin), else the loss is refused with the reason named. A save's status (pending, confirmed,
failed) is copied when the save is added and is not compared after: each store confirms its
saves from its own billing lists. Tags the lead added (not the helpdesk's) go on by name.

A conversation ends saved or lost, once (review.retention.outcome): a laptop save or loss of a
conversation the team store already has a save or loss of, by anyone, is not added; it is
counted and named with whose tag is there. Only the pushing login's own row of it (the one an
earlier push made: same conversation, same moment of tagging) is updated or found already there.
"""

from __future__ import annotations

from review.errors import NotAllowed
from review.importing.push.context import Pushing
from review.importing.push.merge import latest
from review.importing.push.report import ADDED, ALREADY, REFUSED
from review.importing.push.rows import put
from review.retention.losses import add_loss_reason
from review.retention.money import cents_to_decimal
from review.retention.outcome import TAG_TURNS, tagged
from review.store.rights import may_write

NO_CONVERSATION = "left out (its conversation is not on the team store)"
NO_AGENT = "left out (its agent is not on the team store)"
TAKEN = "left out (the team store has a save or loss of its conversation)"


def push_tags(pushing: Pushing) -> None:
    """The tags the lead put on conversations (origin 'user'), by tag name."""
    source, target, report = pushing.source, pushing.target, pushing.report
    for conversation, name in source.execute(
        "select ct.conversation_id, t.name from conversation_tags ct "
        "join tags t on t.id = ct.tag_id where ct.origin = 'user' "
        "order by ct.conversation_id, t.name"
    ).fetchall():
        record = f"tag '{name}' on {pushing.conversation_name(conversation)}"
        if conversation not in pushing.conversations:
            report.add_named("tags", NO_CONVERSATION, record)
            continue
        there = pushing.conversations[conversation]
        try:
            with target.atomic():
                tag = target.execute("select id from tags where name = :n", {"n": name}).scalar()
                if tag is None:
                    tag = target.insert("tags", {"name": name})
                if target.execute(
                    "select 1 from conversation_tags where conversation_id = :c and tag_id = :t",
                    {"c": there, "t": tag},
                ).fetchone():
                    report.add("tags", ALREADY)
                    continue
                target.insert(
                    "conversation_tags",
                    {"conversation_id": there, "tag_id": tag, "origin": "user"},
                    returning="tag_id",
                )
                report.add("tags", ADDED)
        except NotAllowed:
            report.add_named("tags", REFUSED, record)


def _agent(pushing: Pushing, laptop_agent: int | None) -> tuple[bool, int | None]:
    """(whether the laptop's agent is on the team store, the team store's agent id)."""
    if laptop_agent is None:
        return True, None
    there = pushing.agents.get(laptop_agent)
    return there is not None, there


def _place(
    pushing: Pushing, kind: str, record: str, conversation: int, agent: int | None
) -> tuple[bool, int | None]:
    """(whether a laptop save or loss can go on, the team store's id of the agent it credits):
    not when its conversation or agent is missing there, the record then counted and named as
    left out."""
    known, agent_id = _agent(pushing, agent)
    if conversation in pushing.conversations and known:
        return True, agent_id
    reason = NO_AGENT if conversation in pushing.conversations else NO_CONVERSATION
    pushing.report.add_named(kind, reason, record)
    return False, None


def _taken(pushing: Pushing, table: str, conversation: int, created: str | None) -> str | None:
    """Why a laptop save or loss (of `table`, about the team store's `conversation`, tagged at
    `created`) cannot go on: the team store's save or loss of that conversation, by whom; None
    when it has neither, or has this login's own row of it (a push's rules decide that one)."""
    target = pushing.target
    target.take_turn(TAG_TURNS, conversation)  # as a tag in the app does (retention.outcome)
    own = target.execute(
        f"select 1 from {table} where conversation_id = :c and author = :who and created_at = :at",
        {"c": conversation, "who": pushing.who, "at": created},
    ).fetchone()
    if own is not None:
        return None
    existing = tagged(target, conversation)
    if existing is None:
        return None
    name = target.execute(
        "select source || ':' || external_id from conversations where id = :c",
        {"c": conversation},
    ).scalar()
    return f"left out: the team store has a {existing.kind} of {name} by {existing.author or 'someone'}"


def _leave_out(pushing: Pushing, kind: str, record: str, why: str) -> None:
    """Count a record left out because its conversation is tagged on the team store, naming
    whose tag is there."""
    pushing.report.add(kind, TAKEN)
    pushing.report.named.append(f"{record}: {why}")


def push_saves(pushing: Pushing) -> None:
    """The lead's saved customers, each once, as the pushing login's."""
    for row in pushing.source.execute(
        "select id, conversation_id, mrr_cents, currency, method, agent_id, saved_on, story, "
        "status, status_checked_on, created_at, updated_at from saves order by id"
    ).fetchall():
        (_, conversation, cents, currency, method, agent, saved_on, story, status, checked,
         created, updated) = row  # fmt: skip
        record = f"save of {currency} {cents_to_decimal(cents)} on {pushing.conversation_name(conversation)}"
        placed, agent_id = _place(pushing, "saves", record, conversation, agent)
        if not placed:
            continue
        taken = _taken(pushing, "saves", pushing.conversations[conversation],
                       created or updated or saved_on)  # fmt: skip
        if taken is not None:
            _leave_out(pushing, "saves", record, taken)
            continue
        put(
            pushing, "saves", record, "saves",
            {"author": pushing.who, "conversation_id": pushing.conversations[conversation],
             "created_at": created or updated or saved_on},
            {"mrr_cents": cents, "currency": currency, "method": method, "agent_id": agent_id,
             "saved_on": saved_on, "story": story},
            changed_at=latest(updated, created, saved_on),
            on_insert={"status": status, "status_checked_on": checked},
        )  # fmt: skip


def _reasons(pushing: Pushing) -> dict[int, int | str]:
    """The laptop's loss reasons in use, by name: laptop id -> the team store's id, or the
    sentence a loss with a reason the team store lacks is refused with."""
    source, target, report = pushing.source, pushing.target, pushing.report
    may_add = may_write(target, "loss_reasons")
    mapped: dict[int, int | str] = {}

    def there(name: str) -> int | None:
        return target.execute(
            "select id from loss_reasons where lower(name) = lower(:n) order by id", {"n": name}
        ).scalar()

    for reason_id, name, parent, outcome in source.execute(
        "select r.id, r.name, p.name, r.outcome from loss_reasons r "
        "left join loss_reasons p on p.id = r.parent "
        "where r.id in (select reason_id from losses) order by r.position, r.id"
    ).fetchall():
        found = there(name)
        if found is not None:
            mapped[reason_id] = found
            report.add("loss reasons", ALREADY)
        elif may_add:
            parent_id = there(parent) if parent is not None else None
            if parent is not None and parent_id is None:
                parent_id = add_loss_reason(target, parent).id
                report.add("loss reasons", ADDED)
            mapped[reason_id] = add_loss_reason(target, name, parent_id, outcome).id
            report.add("loss reasons", ADDED)
        else:
            mapped[reason_id] = (
                f'refused (the team store has no loss reason "{name}"; an admin adds it)'
            )
            report.add("loss reasons", "not on the team store (an admin adds them)")
    return mapped


def push_losses(pushing: Pushing) -> None:
    """The lead's lost customers, each once, as the pushing login's, with their reason."""
    reasons = _reasons(pushing)
    for row in pushing.source.execute(
        "select id, conversation_id, mrr_cents, currency, reason_id, preventable, "
        "customer_words, agent_id, lost_on, created_at, updated_at from losses order by id"
    ).fetchall():
        (_, conversation, cents, currency, reason, preventable, words, agent, lost_on, created,
         updated) = row  # fmt: skip
        record = f"loss of {currency} {cents_to_decimal(cents)} on {pushing.conversation_name(conversation)}"
        placed, agent_id = _place(pushing, "losses", record, conversation, agent)
        if not placed:
            continue
        reason_id = reasons[reason]
        if isinstance(reason_id, str):
            pushing.report.add_named("losses", reason_id, record)
            continue
        taken = _taken(pushing, "losses", pushing.conversations[conversation],
                       created or updated or lost_on)  # fmt: skip
        if taken is not None:
            _leave_out(pushing, "losses", record, taken)
            continue
        put(
            pushing, "losses", record, "losses",
            {"author": pushing.who, "conversation_id": pushing.conversations[conversation],
             "created_at": created or updated or lost_on},
            {"mrr_cents": cents, "currency": currency, "reason_id": reason_id,
             "preventable": preventable, "customer_words": words, "agent_id": agent_id,
             "lost_on": lost_on},
            changed_at=latest(updated, created, lost_on),
        )  # fmt: skip
