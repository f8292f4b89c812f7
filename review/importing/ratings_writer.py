"""Satisfaction ratings as the import writer stores them: a new conversation's ratings buffered
and written with it, any other rating upserted on (source, the helpdesk's id) and counted."""

from __future__ import annotations

from review.importing.records import Rating
from review.store import Store
from review.store.bulk import Insert, Write

_NAMES = (
    "conversation_id",
    "kind",
    "scale",
    "raw_value",
    "score",
    "positive",
    "comment",
    "created_at",
)
_COLUMNS = ", ".join(_NAMES)


def rating_values(r: Rating, conversation_id: int) -> tuple:
    """What is compared and stored of a rating, in _COLUMNS' order."""
    return (
        conversation_id,
        r.kind,
        r.scale,
        r.raw_value,
        r.score,
        None if r.positive is None else int(r.positive),
        r.comment,
        r.created_at,
    )


class RatingWriter:
    """Buffers the ratings of new conversations; writes the others at once."""

    def __init__(self, db: Store):
        self.db = db
        self._rows: list[tuple] = []

    def add_new(self, r: Rating, conversation_id: int) -> None:
        """A rating of a conversation this import added (written with the next batch)."""
        self._rows.append((*rating_values(r, conversation_id), r.source, r.external_id))

    def write(self, r: Rating, conversation_id: int, gaps_only: bool = False) -> str:
        """Store a rating of a stored conversation: "added", "updated" or "unchanged". With
        `gaps_only` (it came with a record no newer than the one stored) a stored rating is
        kept as it is."""
        values = rating_values(r, conversation_id)
        row = self.db.execute(
            f"select id, {_COLUMNS} from ratings where source = :source and external_id = :id",
            {"source": r.source, "id": r.external_id},
        ).fetchone()
        if row is None:
            self.db.insert(
                "ratings",
                {
                    **dict(zip(_NAMES, values, strict=True)),
                    "source": r.source,
                    "external_id": r.external_id,
                },
            )
            return "added"
        if gaps_only or tuple(row[1:]) == values:
            return "unchanged"
        self.db.update("ratings", row[0], dict(zip(_NAMES, values, strict=True)))
        return "updated"

    def flush(self, batch: list[Write]) -> None:
        """Hand the buffered ratings to `batch` (after their conversations); the upsert covers
        a rating id seen on another conversation."""
        if not self._rows:
            return
        rows, self._rows = self._rows, []
        batch.append(
            Insert(
                "ratings",
                (*_NAMES, "source", "external_id"),
                rows,
                key=("source", "external_id"),
                on_conflict="update",
            )
        )
