"""How a conversation ended, as tagged: saved, lost, or not tagged (DOMAIN.md).

A conversation ends saved or lost: it has one save at most, one loss at most, and never both (a
save that failed stays a save, with status failed). The store holds the first two itself (unique
indexes on saves(conversation_id) and losses(conversation_id), revision 0013); the third is held
here, where every tag is written, one writer per conversation at a time (Store.take_turn). A second tag is refused in one sentence that names what is
there and how to change it; the existing one is changed through its edit (update_save,
update_loss), never by adding another.
"""

from __future__ import annotations

from dataclasses import dataclass

from review.errors import InvalidInput
from review.retention.money import cents_to_decimal
from review.store import Store

SAVE = "save"
LOSS = "loss"
_TABLES = {SAVE: "saves", LOSS: "losses"}
TAG_TURNS = 0x7A6  # the turns (Store.take_turn) of tagging, one per conversation


@dataclass(frozen=True)
class Tagged:
    """The save or loss a conversation has: its kind (SAVE or LOSS), row id and version (for an
    edit that must not overwrite a newer one), money, who recorded it and when."""

    kind: str
    id: int
    version: int
    mrr_cents: int
    currency: str
    author: str | None
    created_at: str | None

    @property
    def words(self) -> str:
        """ "a save (USD 49.00, tagged by ann on 2024-05-01)": what is there, as a user reads it."""
        by = f" by {self.author}" if self.author else ""
        on = f" on {self.created_at[:10]}" if self.created_at else ""
        money = f"{self.currency} {cents_to_decimal(self.mrr_cents)}"
        return f"a {self.kind} ({money}, tagged{by}{on})"


class AlreadyTagged(InvalidInput):
    """A tag refused because the conversation already ended saved or lost; `existing` is that
    save or loss, `wanted` the kind that was being tagged."""

    def __init__(self, conversation: str, existing: Tagged, wanted: str):
        self.existing, self.wanted = existing, wanted
        if existing.kind == wanted:
            how = (
                f"edit that {wanted} instead ({'S' if wanted == SAVE else 'L'} on the "
                f"conversation in the app opens it) rather than adding a second"
            )
            super().__init__(f"{conversation} already has {existing.words}: {how}.")
        else:
            state = "saved" if existing.kind == SAVE else "lost"
            other = "saved" if wanted == SAVE else "lost"
            super().__init__(
                f"{conversation} is tagged {state}, with {existing.words}, and a conversation "
                f"ends saved or lost: remove that {existing.kind} first (open it with "
                f"{'S' if existing.kind == SAVE else 'L'} and choose Remove) to tag it {other}."
            )


def tagged(db: Store, conversation_id: int) -> Tagged | None:
    """The save or the loss the conversation has (the save, should a store from before
    revision 0013 still hold both), or None when it has neither."""
    for kind, table in _TABLES.items():
        row = db.execute(
            f"select id, version, mrr_cents, currency, author, created_at from {table} "
            "where conversation_id = :c order by id desc",
            {"c": conversation_id},
        ).fetchone()
        if row is not None:
            return Tagged(kind, *row)
    return None


def conversation_words(db: Store, conversation_id: int) -> str:
    """A conversation as a sentence names it: "Conversation zendesk:4512"."""
    row = db.execute(
        "select source, external_id from conversations where id = :c", {"c": conversation_id}
    ).fetchone()
    return f"Conversation {row[0]}:{row[1]}" if row else f"Conversation {conversation_id}"


def refuse_a_second(db: Store, conversation_id: int, wanted: str) -> None:
    """Raise AlreadyTagged when the conversation already has a save or a loss (tagging
    `wanted`, SAVE or LOSS, would make it count twice, or end both saved and lost)."""
    existing = tagged(db, conversation_id)
    if existing is not None:
        raise AlreadyTagged(conversation_words(db, conversation_id), existing, wanted)


def insert_tag(db: Store, wanted: str, row: dict) -> int:
    """Insert the save or loss `row` (inside the caller's transaction) once its conversation is
    known to have neither; the new id. A colleague's tag of the same conversation that landed
    in between (the unique index keeps it the only one) is refused as if it had been seen."""
    # a save and a loss of one conversation are two tables, so no unique index keeps them
    # apart: two colleagues tagging it at once take turns, the second then sees the first
    db.take_turn(TAG_TURNS, row["conversation_id"])
    refuse_a_second(db, row["conversation_id"], wanted)
    table = _TABLES[wanted]
    columns = ", ".join(row)
    new_id = db.execute(
        f"insert into {table} ({columns}) values ({', '.join(':' + c for c in row)}) "
        "on conflict (conversation_id) do nothing returning id",
        row,
    ).scalar()
    if new_id is None:
        refuse_a_second(db, row["conversation_id"], wanted)
        raise InvalidInput(f"{conversation_words(db, row['conversation_id'])} was just tagged")
    return new_id
