"""Customer Support on Twitter (Kaggle's twcs.csv): tweets rebuilt into conversations.

The file has no conversation ids: a conversation is a root tweet and every reply below it, so
its id is the root tweet's id. Rows come in no useful order and the full file is ~2.8 M rows,
so the reader streams it into a temporary SQLite file (one pass, bounded memory), finds each
tweet's root there with one recursive query, and then reads the conversations back root by root.
A tweet that answers a tweet absent from the file starts its own conversation (counted in a
warning); the company's screen name is the agent, the anonymised numeric authors are customers.
"""

from __future__ import annotations

import html
import sqlite3
import tempfile
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import BinaryIO

from review.errors import ImportFailed
from review.importing.csvfiles import csv_head, open_csv
from review.importing.formats import Format, Head, ReadOptions
from review.importing.records import Conversation, Message, Person, Record, Rejected, Warning_
from review.importing.sources import HEAD_BYTES
from review.importing.times import BadTimestamp, to_utc

SOURCE = "twitter"
HEADER = [
    "tweet_id",
    "author_id",
    "inbound",
    "created_at",
    "text",
    "response_tweet_id",
    "in_response_to_tweet_id",
]
_BATCH = 5000
# The column pandas writes first when a DataFrame is saved with its index (to_csv's default):
# unnamed, or "Unnamed: 0" once the file went through read_csv and to_csv again.
_INDEX_COLUMNS = ("", "Unnamed: 0", "index")


def columns_of(header: list[str]) -> list[int] | None:
    """Where each of TWCS's columns is in `header` (TWCS's own header, or one pandas re-saved
    with an index column first or the columns in another order); None when one is missing."""
    if header == HEADER:
        return list(range(len(HEADER)))
    if not header or not set(HEADER) <= set(header):
        return None
    extra = [name for name in header if name not in HEADER]
    if any(name not in _INDEX_COLUMNS and not name.startswith("Unnamed: ") for name in extra):
        return None
    return [header.index(name) for name in HEADER]


def sniff(head: Head) -> bool:
    """The file's first row is TWCS's header (maybe after a pandas index column)."""
    shape = csv_head(head.data, complete=len(head.data) < HEAD_BYTES)
    return shape is not None and columns_of(shape.header) is not None


def _tweet_id(value: str) -> str | None:
    """A tweet id as text; pandas wrote parent ids as floats ("119242.0", "NaN" for none)."""
    value = value.strip()
    if not value or value in ("nan", "NaN"):
        return None
    if value.endswith(".0") and value[:-2].isdigit():
        return value[:-2]
    return value


_MONTHS = {
    name: number
    for number, name in enumerate(
        ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"), 1
    )
}


def _created_utc(text: str) -> str | None:
    """Twitter's "Wed Oct 11 06:55:44 +0000 2017" as "2017-10-11T06:55:44Z".

    TWCS times are all +0000, so those skip strptime (half the reading time of 2.8 M rows);
    anything else goes through to_utc. Raises BadTimestamp.
    """
    parts = text.split()
    if len(parts) == 6 and parts[4] == "+0000" and parts[1] in _MONTHS:
        _, month, day, clock, _, year = parts
        try:
            hour, minute, second = map(int, clock.split(":"))
            moment = datetime(int(year), _MONTHS[month], int(day), hour, minute, second)
        except ValueError:
            pass
        else:
            return moment.strftime("%Y-%m-%dT%H:%M:%SZ")
    return to_utc(text)


def _inbound(value: str, author: str) -> bool:
    text = value.strip().lower()
    if text in ("true", "1"):
        return True
    if text in ("false", "0"):
        return False
    return author.isdigit()  # customers are anonymised numbers, companies screen names


def read(stream: BinaryIO, name: str, options: ReadOptions) -> Iterator[Record]:
    """Yield one Conversation per reply tree (plus Rejected rows and a warning for orphans)."""
    csv_file = open_csv(stream, name)
    columns = columns_of(csv_file.header)
    if columns is None:
        raise ImportFailed(
            name,
            f"not the Twitter support (twcs.csv) shape: its first row should be "
            f"{','.join(HEADER)} but is {','.join(csv_file.header)}",
        )
    with tempfile.TemporaryDirectory(prefix="savedesk-twitter-") as folder:
        scratch = sqlite3.connect(Path(folder) / "tweets.db")
        try:
            scratch.executescript(
                """
                pragma journal_mode = off;
                pragma synchronous = off;
                pragma cache_size = -32000;
                create table tweets (
                    id text primary key, parent text, line integer, author text,
                    inbound integer, created text, body text);
                create table replies (child text, parent text);
                """
            )
            yield from _load(scratch, csv_file, columns)
            yield from _conversations(scratch)
        finally:
            scratch.close()


def _load(scratch: sqlite3.Connection, csv_file, columns: list[int]) -> Iterator[Record]:
    """First pass: every readable row into the scratch table; unreadable ones rejected."""
    batch: list[tuple] = []
    replies: list[tuple[str, str]] = []
    width = len(csv_file.header)
    plain = columns == list(range(len(HEADER)))
    for row in csv_file.rows():
        if row.problem:
            yield Rejected(row.line, row.problem)
            continue
        values = row.values + [""] * (width - len(row.values))
        if plain:
            tweet_id, author, inbound, created, text, responses, parent = values[: len(HEADER)]
        else:
            tweet_id, author, inbound, created, text, responses, parent = (
                values[i] for i in columns
            )
        tweet_id = _tweet_id(tweet_id) or ""
        if not tweet_id:
            yield Rejected(row.line, "the row has no tweet id", field="tweet_id")
            continue
        if len(row.values) > width:
            yield Rejected(
                row.line,
                f"the row has {len(row.values)} fields where the header has {width}",
                helpdesk_id=tweet_id,
            )
            continue
        try:
            created_utc = _created_utc(created)
        except BadTimestamp as exc:
            yield Rejected(row.line, str(exc), helpdesk_id=tweet_id, field="created_at")
            continue
        author = author.strip()
        batch.append(
            (
                tweet_id,
                _tweet_id(parent),
                row.line,
                author,
                int(_inbound(inbound, author)),
                created_utc,
                html.unescape(text).strip(),  # Twitter escapes & < > in tweet text
            )
        )
        # response_tweet_id ("1,2,3") names the replies: it links a reply whose own
        # in_response_to_tweet_id was left empty.
        replies.extend((child, tweet_id) for child in map(_tweet_id, responses.split(",")) if child)
        if len(batch) >= _BATCH:
            yield from _insert(scratch, batch, replies)
    yield from _insert(scratch, batch, replies)
    scratch.executescript(
        """
        create index replies_child on replies(child);
        update tweets set parent = (select r.parent from replies r where r.child = tweets.id)
         where parent is null and id in (select child from replies);
        """
    )
    scratch.commit()


def _insert(
    scratch: sqlite3.Connection, batch: list[tuple], replies: list[tuple[str, str]]
) -> Iterator[Record]:
    scratch.executemany("insert into replies values (?, ?)", replies)
    replies.clear()
    if not batch:
        return
    before = scratch.total_changes
    scratch.executemany("insert or ignore into tweets values (?, ?, ?, ?, ?, ?, ?)", batch)
    if scratch.total_changes - before != len(batch):
        for tweet in batch:
            first = scratch.execute("select line from tweets where id = ?", (tweet[0],)).fetchone()
            if first and first[0] != tweet[2]:
                yield Rejected(
                    tweet[2],
                    f"tweet {tweet[0]} appears again (first on line {first[0]}); "
                    "this row was skipped",
                    helpdesk_id=tweet[0],
                    field="tweet_id",
                )
    batch.clear()


def _conversations(scratch: sqlite3.Connection) -> Iterator[Record]:
    """Second pass: root of every tweet, then each root's tweets together."""
    scratch.executescript(
        """
        create index tweets_parent on tweets(parent);
        create table roots (root text, id text, primary key (root, id)) without rowid;
        insert into roots
        with recursive tree(id, root) as (
            select id, id from tweets
             where parent is null or parent not in (select id from tweets)
            union all
            select t.id, tree.root from tweets t join tree on t.parent = tree.id
        )
        select root, id from tree;
        """
    )
    orphans = scratch.execute(
        "select count(*) from tweets where parent is not null "
        "and parent not in (select id from tweets)"
    ).fetchone()[0]
    if orphans:
        yield Warning_(
            f"{orphans} tweet(s) reply to tweets that are not in this file: each of their "
            f"threads was kept as a conversation starting at the earliest tweet present"
        )
    for tweet_id, line in scratch.execute(
        "select id, line from tweets where id not in (select id from roots) order by line"
    ):
        yield Rejected(
            line,
            "its reply chain loops back on itself",
            helpdesk_id=tweet_id,
            field="in_response_to_tweet_id",
        )
    rows = scratch.execute(
        "select r.root, t.id, t.author, t.inbound, t.created, t.body "
        "from roots r join tweets t on t.id = r.id order by r.root"
    )
    current: str | None = None
    tweets: list[tuple] = []
    for root, *tweet in rows:
        if root != current:
            if tweets:
                yield _conversation(current, tweets)
            current, tweets = root, []
        tweets.append(tuple(tweet))
    if tweets:
        yield _conversation(current, tweets)


def _conversation(root: str, tweets: list[tuple]) -> Conversation:
    tweets.sort(key=lambda t: (t[3] or "", len(t[0]), t[0]))
    messages = [
        Message(
            external_id=tweet_id,
            author_role="customer" if inbound else "agent",
            created_at=created,
            body_text=body,
            author_external_id=author,
            author_name=None if inbound else author,
        )
        for tweet_id, author, inbound, created, body in tweets
    ]
    root_tweet = next(t for t in tweets if t[0] == root)
    customer_id = root_tweet[1] if root_tweet[2] else next((t[1] for t in tweets if t[2]), None)
    company = next((t[1] for t in tweets if not t[2]), None)
    times = [t[3] for t in tweets if t[3]]
    return Conversation(
        source=SOURCE,
        external_id=root,
        channel="twitter",
        created_at=min(times, default=None),
        updated_at=max(times, default=None),
        customer=Person(SOURCE, customer_id, "customer") if customer_id else None,
        agent=Person(SOURCE, company, "agent", name=company) if company else None,
        messages=messages,
    )


FORMAT = Format(
    name="twitter",
    label="Twitter customer support (twcs.csv)",
    sniff=sniff,
    read=read,
    reads_lines=True,
)
