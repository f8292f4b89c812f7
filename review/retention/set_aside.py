"""The saves and losses revision 0013 set aside: the second tags an earlier savedesk let a
conversation have (pressing S twice, or a conversation tagged both saved and lost). They are
kept whole in saves_set_aside and losses_set_aside, out of every figure; this says how many,
in the one sentence `savedesk stats` and the app show."""

from __future__ import annotations

from review.store import Store


def set_aside_counts(db: Store) -> tuple[int, int]:
    """(saves, losses) set aside when the store was upgraded to one outcome per conversation;
    (0, 0) on a store that never had a second tag."""
    tables = db.tables()
    return tuple(  # type: ignore[return-value]
        int(db.execute(f"select count(*) from {table}").scalar() or 0) if table in tables else 0
        for table in ("saves_set_aside", "losses_set_aside")
    )


def set_aside_sentence(db: Store) -> str | None:
    """The sentence saying how many saves and losses were set aside, or None when none were."""
    saves, losses = set_aside_counts(db)
    if not saves and not losses:
        return None
    parts = [
        f"{n} {word}{'' if n == 1 else 'es' if word == 'loss' else 's'}"
        for n, word in ((saves, "save"), (losses, "loss"))
        if n
    ]
    return (
        f"{' and '.join(parts)} tagged a second time on a conversation (or on one tagged the "
        "other way) were set aside when this store was upgraded, out of every figure; they are "
        "kept in the saves_set_aside and losses_set_aside tables, each with the reason."
    )
