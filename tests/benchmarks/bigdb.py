"""Large databases for the figures, desktop and report benchmarks, built once and cached.

`big_database()`: 100,000 conversations and about 1,000,000 messages imported through
savedesk's own importer (ticket 1 has 200 messages), 20,000 reviews (2,000 of them of one
agent, for the coaching review), saves and losses. `huge_database()`: that store ten times over
(1,000,000 conversations, 10,000,000 messages, 200,000 reviews, 30,000 saves, 20,000 losses),
copied in SQL with shifted ids rather than imported (an import of 10,000,000 messages takes
an hour); its search index is left empty, which no figure reads. Kept in var/bench/ and rebuilt
when BUILD_VERSION changes.
"""

from __future__ import annotations

import random
import shutil
import time
from pathlib import Path

from review.importing.run import import_files
from review.progress import run_to_end
from review.retention.losses import loss_reasons, tag_loss
from review.retention.saves import SAVE_METHODS, tag_save
from review.reviewing.reviews import write_review
from review.reviewing.rubrics import current_rubric
from review.store import open_store
from tests.benchmarks.common import ROOT
from tests.benchmarks.zendesk_export import write_export

BUILD_VERSION = 10  # 10: reply times kept by the import (m009), copied with the rest
COPIES = 10  # huge_database() is big_database() this many times over
CONVERSATIONS = 100_000
MESSAGES_PER_CONVERSATION = 10
REVIEWS = 20_000
COACHED_AGENT_REVIEWS = 2_000
# The million-conversation database of the desktop benchmark: three messages each (3,000,000),
# so it builds in minutes and fits in 2 GB; ticket 1 still has 200.
MILLION = 1_000_000
MILLION_MESSAGES_PER_CONVERSATION = 3


def big_database(conversations: int = CONVERSATIONS) -> Path:
    """The path of the cached big database, building it first if needed (a few minutes;
    the million-conversation one about a quarter of an hour)."""
    folder = ROOT / "var" / "bench"
    suffix = "" if conversations == CONVERSATIONS else f"-{conversations}"
    path = folder / f"big-v{BUILD_VERSION}{suffix}.db"
    if path.exists():
        return path
    folder.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    print(f"Building {path.name}: {conversations:,} conversations (once; cached in var/bench)...")
    export = folder / "big-export.ndjson"
    messages = (
        MESSAGES_PER_CONVERSATION
        if conversations == CONVERSATIONS
        else MILLION_MESSAGES_PER_CONVERSATION
    )
    write_export(export, conversations, messages, seed=3, long_ticket=200)
    building = folder / "building.db"
    for stale in folder.glob("building.db*"):
        stale.unlink()
    open_store(building).close()
    # the suggestions phase is left to the benchmarks that measure it (bench_autoqa scores
    # a copy itself)
    run_to_end(import_files(building, [export], suggest=False))
    export.unlink()
    _add_review_data(building)
    shutil.move(building, path)
    for extra in folder.glob("building.db-*"):
        extra.unlink()
    print(f"  built in {time.perf_counter() - started:,.0f} s")
    return path


def coached_agent_id(db) -> int:
    """The agent with the most reviews (2,000): the subject of the coaching benchmark."""
    return db.execute(
        "select agent_id from reviews group by agent_id order by count(*) desc limit 1"
    ).fetchone()[0]


def _add_review_data(path: Path) -> None:
    rng = random.Random(5)
    db = open_store(path)
    rubric = current_rubric(db)
    keys = [c.key for c in rubric.categories]
    rows = db.execute("select id, agent_id from conversations order by id").fetchall()
    coached = rows[0][1]
    coached_rows = [r for r in rows if r[1] == coached]
    others = [r for r in rows if r[1] != coached]
    chosen = coached_rows[:COACHED_AGENT_REVIEWS] + rng.sample(
        others, REVIEWS - COACHED_AGENT_REVIEWS
    )
    reasons = [r.id for r in loss_reasons(db) if r.parent is not None or r.name != "Natural causes"]
    methods = list(SAVE_METHODS)
    with db.atomic():
        for i, (conversation_id, agent_id) in enumerate(chosen):
            ratings = {
                key: (
                    "na"
                    if rng.random() < 0.05 and not c.critical and c.allow_na
                    else rng.randint(c.scale_min, c.scale_max)
                )
                for key, c in ((k, rubric.category(k)) for k in keys)
            }
            write_review(
                db,
                conversation_id,
                "Bench Reviewer" if i % 3 else "Second Reviewer",
                ratings,
                agent_id=agent_id,
                created_at=f"2024-{1 + i % 12:02d}-{1 + i % 28:02d}T10:00:00Z",
            )
        tagged = rng.sample(rows, 5_000)  # a conversation ends saved or lost, once
        for conversation_id, _ in tagged[:3_000]:
            tag_save(
                db,
                conversation_id,
                f"{rng.choice([19, 49, 99, 249])}.00",
                "USD",
                rng.choice(methods),
                saved_on=f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
            )
        for conversation_id, _ in tagged[3_000:]:
            tag_loss(
                db,
                conversation_id,
                f"{rng.choice([19, 49, 99])}.00",
                "USD",
                rng.choice(reasons),
                preventable=rng.random() < 0.4,
                lost_on=f"2024-{rng.randint(1, 12):02d}-15",
            )
    db.close()


# Tables copied by huge_database, with the columns that hold ids to shift and the text columns
# that must stay unique (made so by a suffix per copy).
_COPIED = {
    "conversations": (("id",), ("external_id",)),
    "messages": (("id", "conversation_id"), ()),
    "conversation_tags": (("conversation_id",), ()),
    "ratings": (("id", "conversation_id"), ("external_id",)),
    "churn_signals": (("id", "conversation_id", "message_id"), ()),
    "reply_times": (("conversation_id",), ()),
    "reviews": (("id", "conversation_id"), ()),
    "review_ratings": (("review_id",), ()),
    "saves": (("id", "conversation_id"), ()),
    "losses": (("id", "conversation_id"), ()),
}


def huge_database() -> Path:
    """The path of the cached 1,000,000-conversation database (built from big_database())."""
    folder = ROOT / "var" / "bench"
    path = folder / f"huge-v{BUILD_VERSION}.db"
    if path.exists():
        return path
    source = big_database()
    started = time.perf_counter()
    print(f"Building {path.name}: {COPIES} copies of {source.name} (once; cached in var/bench)...")
    building = folder / "building-huge.db"
    for stale in folder.glob("building-huge.db*"):
        stale.unlink()
    shutil.copy(source, building)
    db = open_store(building)
    conn = db.conn
    conn.execute("pragma synchronous = off")
    shifts = {
        table: conn.execute(f"select coalesce(max(id), 0) from {table}").fetchone()[0] + 1
        for table in ("conversations", "messages", "ratings", "churn_signals", "reviews",
                      "saves", "losses")
    }  # fmt: skip
    shifts["conversation_id"] = shifts["conversations"]
    shifts["message_id"] = shifts["messages"]
    shifts["review_id"] = shifts["reviews"]
    for copy in range(1, COPIES):
        with db.atomic():
            for table, (ids, unique) in _COPIED.items():
                columns = [r[1] for r in conn.execute(f"pragma table_info({table})")]
                values = []
                for column in columns:
                    if column in ids:
                        shift = shifts[table if column == "id" else column]
                        values.append(f"{column} + {shift * copy}")
                    elif column in unique:
                        values.append(f"{column} || '~{copy}'")
                    else:
                        values.append(column)
                # only the rows of the original store: their ids are below the shift
                first = "id" if "id" in columns else ids[0]
                limit = shifts[table if first == "id" else first]
                conn.execute(
                    f"insert into {table} ({', '.join(columns)}) "
                    f"select {', '.join(values)} from {table} where {first} < {limit}"
                )
        print(f"  copy {copy + 1} of {COPIES}: {time.perf_counter() - started:,.0f} s")
    conn.execute("pragma wal_checkpoint(truncate)")
    db.close()
    shutil.move(building, path)
    for extra in folder.glob("building-huge.db-*"):
        extra.unlink()
    print(f"  built in {time.perf_counter() - started:,.0f} s")
    return path
