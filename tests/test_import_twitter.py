"""Twitter customer support (twcs.csv): reply chains rebuilt into conversations, in bounded
memory, through the real import job into a real database."""

from __future__ import annotations

import csv
import io
import random
import tracemalloc
from datetime import datetime
from pathlib import Path

import pytest

from review.errors import ImportFailed
from review.importing.formats import ReadOptions
from review.importing.formats.twitter import HEADER, read
from review.importing.records import Conversation, Rejected, Warning_
from tests.helpers import import_paths, stored_rows


def _thread(db_path, root: str) -> list[tuple]:
    return stored_rows(
        db_path,
        "select m.external_id, m.author_role, m.author_external_id, m.created_at "
        "from messages m join conversations c on c.id = m.conversation_id "
        "where c.source = 'twitter' and c.external_id = ? order by m.created_at",
        [root],
    )


def _write(path: Path, rows: list[list[str]]) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows(rows)
    return path


@pytest.mark.samples
def test_sample_figures(db_path, samples):
    sample = samples / "twitter" / "twcs-sample.csv"
    report = import_paths(db_path, sample)
    file_report = report.files[0]
    assert file_report.format == "twitter"
    assert (file_report.added, file_report.rejected) == (27, [])
    # 119239 answers 76328 and 119292 answers a tweet cut from the sample
    assert file_report.warnings == [
        "2 tweet(s) reply to tweets that are not in this file: each of their threads was kept "
        "as a conversation starting at the earliest tweet present"
    ]
    assert stored_rows(
        db_path,
        "select count(*), sum(message_count), count(distinct channel), min(channel) "
        "from conversations",
    ) == [(27, 93, 1, "social")]
    assert stored_rows(
        db_path, "select author_role, count(*) from messages group by 1 order by 1"
    ) == [
        ("agent", 44),
        ("customer", 49),
    ]
    assert stored_rows(db_path, "select count(*) from agents") == [(13,)]
    assert stored_rows(db_path, "select count(*) from customers") == [(27,)]
    assert stored_rows(db_path, "select count(*) from messages where is_internal = 1") == [(0,)]
    # 119265's response_tweet_id is the list "119264,119266": both replies sit in its thread
    assert _thread(db_path, "119265") == [
        ("119265", "customer", "105842", "2017-10-11T10:42:43Z"),
        ("119264", "agent", "British_Airways", "2017-10-11T13:36:31Z"),
        ("119266", "agent", "British_Airways", "2017-10-11T13:37:15Z"),
        ("119302", "customer", "105842", "2017-10-11T13:47:24Z"),
        ("119303", "agent", "British_Airways", "2017-10-11T16:28:34Z"),
    ]
    assert _thread(db_path, "119237") == [("119237", "customer", "105834", "2017-10-11T06:55:44Z")]
    assert stored_rows(
        db_path,
        "select c.created_at, c.updated_at, cu.external_id, a.external_id, a.name "
        "from conversations c join customers cu on cu.id = c.customer_id "
        "join agents a on a.id = c.agent_id where c.external_id = '119256'",
    ) == [
        ("2017-10-11T12:53:29Z", "2017-10-11T14:41:35Z", "105840", "SpotifyCares", "SpotifyCares")
    ]
    assert stored_rows(
        db_path, "select message_count from conversations where external_id = '119256'"
    ) == [(8,)]
    again = import_paths(db_path, sample)
    assert (again.files[0].added, again.files[0].updated, again.files[0].unchanged) == (0, 0, 27)
    assert stored_rows(db_path, "select count(*) from messages") == [(93,)]


@pytest.mark.samples
def test_newer_export_adds_the_later_replies(db_path, samples, tmp_path):
    with open(samples / "twitter" / "twcs-sample.csv", encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))[1:]

    def when(row):
        return datetime.strptime(row[3], "%a %b %d %H:%M:%S %z %Y")

    cutoff = datetime.fromisoformat("2017-10-11T14:00:00+00:00")
    early = [r for r in rows if when(r) < cutoff]
    # a reply is later than what it answers: the early file has the same roots
    first = import_paths(db_path, _write(tmp_path / "early.csv", early))
    early_messages = stored_rows(db_path, "select count(*) from messages")[0][0]
    assert early_messages == len(early) < 93
    report = import_paths(db_path, samples / "twitter" / "twcs-sample.csv")
    file_report = report.files[0]
    assert file_report.updated > 0
    assert file_report.added + file_report.updated + file_report.unchanged == 27
    assert first.files[0].added + file_report.added == 27
    assert stored_rows(db_path, "select count(*), sum(message_count) from conversations") == [
        (27, 93)
    ]


def test_reply_chain_oddities(db_path, tmp_path):
    rows = [
        # a reply listed before its root, its parent id written as a float by pandas
        [
            "12",
            "AcmeHelp",
            "False",
            "Mon Jan 01 10:05:00 +0000 2018",
            "@900 Sorry &amp; thanks",
            "",
            "11.0",
        ],
        ["11", "900", "True", "Mon Jan 01 10:00:00 +0000 2018", "@AcmeHelp help", "12,13", ""],
        # 13 names no parent itself: 11's response list links it
        ["13", "900", "True", "Mon Jan 01 10:10:00 +0200 2018", "still broken", "", ""],
        # 21 answers 20, which is not in the file
        ["21", "901", "True", "Mon Jan 01 11:00:00 +0000 2018", "@AcmeHelp again", "22", "20"],
        ["22", "AcmeHelp", "False", "Mon Jan 01 11:01:00 +0000 2018", "@901 on it", "", "21"],
        # a loop: 31 and 32 answer each other
        ["31", "902", "True", "Mon Jan 01 12:00:00 +0000 2018", "loop a", "", "32"],
        ["32", "AcmeHelp", "False", "Mon Jan 01 12:01:00 +0000 2018", "loop b", "", "31"],
        ["11", "900", "True", "Mon Jan 01 10:00:00 +0000 2018", "duplicate row", "", ""],
        ["40", "903", "True", "the day after", "bad time", "", ""],
        ["", "903", "True", "Mon Jan 01 12:00:00 +0000 2018", "no id", "", ""],
    ]
    report = import_paths(db_path, _write(tmp_path / "odd.csv", rows))
    file_report = report.files[0]
    assert file_report.format == "twitter"
    rejected = sorted((r.record, r.helpdesk_id, r.field) for r in file_report.rejected)
    assert rejected == [
        (7, "31", "in_response_to_tweet_id"),
        (8, "32", "in_response_to_tweet_id"),
        (9, "11", "tweet_id"),
        (10, "40", "created_at"),
        (11, None, "tweet_id"),
    ]
    assert file_report.warnings[0].startswith("1 tweet(s) reply to tweets that are not in this")
    # 13's "+0200" makes it the earliest in UTC
    assert _thread(db_path, "11") == [
        ("13", "customer", "900", "2018-01-01T08:10:00Z"),
        ("11", "customer", "900", "2018-01-01T10:00:00Z"),
        ("12", "agent", "AcmeHelp", "2018-01-01T10:05:00Z"),
    ]
    assert _thread(db_path, "21") == [
        ("21", "customer", "901", "2018-01-01T11:00:00Z"),
        ("22", "agent", "AcmeHelp", "2018-01-01T11:01:00Z"),
    ]
    assert stored_rows(db_path, "select body_text from messages where external_id = '12'") == [
        ("@900 Sorry & thanks",)
    ]
    assert stored_rows(db_path, "select external_id from conversations order by 1") == [
        ("11",),
        ("21",),
    ]


def _generated(path: Path, threads: int, seed: int = 7) -> tuple[int, int]:
    """A TWCS-shaped file of `threads` reply chains in shuffled order: (rows, threads)."""
    rnd = random.Random(seed)
    rows = []
    tweet = 10_000_000
    for n in range(threads):
        length = rnd.randint(1, 6)
        ids = [str(tweet + i) for i in range(length)]
        tweet += length
        customer = str(rnd.randint(1, 10**6))
        company = rnd.choice(["AppleSupport", "Tesco", "SpotifyCares"])
        for i, tweet_id in enumerate(ids):
            inbound = i % 2 == 0
            rows.append(
                [
                    tweet_id,
                    customer if inbound else company,
                    str(inbound),
                    f"Wed Oct 11 {i:02d}:{n % 60:02d}:00 +0000 2017",
                    f'tweet {tweet_id}, "quoted"\nпривет 你好 😀',
                    ids[i + 1] if i + 1 < length else "",
                    f"{ids[i - 1]}.0" if i else "",
                ]
            )
    rnd.shuffle(rows)
    _write(path, rows)
    return len(rows), threads


@pytest.mark.slow
def test_generated_50k_rows(db_path, tmp_path):
    path = tmp_path / "twcs-50k.csv"
    rows, threads = _generated(path, 14_300)
    assert rows > 50_000
    report = import_paths(db_path, path)
    assert (report.files[0].added, report.files[0].rejected, report.files[0].warnings) == (
        threads,
        [],
        [],
    )
    assert stored_rows(db_path, "select count(*), sum(message_count) from conversations") == [
        (threads, rows)
    ]


def _peak_reading(path: Path) -> int:
    tracemalloc.start()
    try:
        with open(path, "rb") as stream:
            for record in read(stream, path.name, ReadOptions()):
                assert isinstance(record, Conversation | Rejected | Warning_)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.slow
def test_memory_does_not_grow_with_the_file(tmp_path):
    small, large = tmp_path / "small.csv", tmp_path / "large.csv"
    _generated(small, 600)
    _generated(large, 6_000)
    assert large.stat().st_size > 9 * small.stat().st_size
    peak_small, peak_large = _peak_reading(small), _peak_reading(large)
    # rows sit in the scratch SQLite file, not in Python: ten times the rows, about the same peak
    assert peak_large < 2 * peak_small + 1_000_000, (peak_small, peak_large)


def test_not_twcs_when_the_header_differs():
    data = io.BytesIO(b"tweet_id,author_id,text\n1,2,hi\n")
    with pytest.raises(ImportFailed, match="not the Twitter support"):
        list(read(data, "x.csv", ReadOptions()))


PANDAS = Path(__file__).parent / "data" / "twitter" / "twcs-pandas.csv"


def test_a_twcs_file_resaved_by_pandas_is_still_the_twitter_dataset(db_path):
    """pandas' to_csv writes its index as an unnamed first column, parent ids as floats and
    NaN; a reader that wants the exact header took such a file for a generic CSV and lost the
    threads and roles."""
    [f] = import_paths(db_path, PANDAS).files
    assert (f.format, f.rejected, f.warnings, f.not_read) == ("twitter", [], [], {})
    assert (f.added, f.figure("messages", "added")) == (2, 6)
    assert stored_rows(
        db_path,
        "select c.external_id, c.channel, c.created_at, c.updated_at, cu.external_id, a.name "
        "from conversations c left join customers cu on cu.id = c.customer_id "
        "left join agents a on a.id = c.agent_id order by 1",
    ) == [
        ("101", "social", "2017-10-31T22:10:47Z", "2017-10-31T22:31:00Z", "115712", "sprintcare"),
        ("201", "social", "2017-11-01T08:00:00Z", "2017-11-01T08:05:30Z", "998877", "AppleSupport"),
    ]
    # +0100 is an offset, not UTC: 23:20:05 +0100 is 22:20:05Z
    assert _thread(db_path, "101") == [
        ("101", "customer", "115712", "2017-10-31T22:10:47Z"),
        ("102", "agent", "sprintcare", "2017-10-31T22:14:01Z"),
        ("103", "customer", "115712", "2017-10-31T22:20:05Z"),
        ("104", "agent", "sprintcare", "2017-10-31T22:31:00Z"),
    ]
    assert _thread(db_path, "201") == [
        ("201", "agent", "AppleSupport", "2017-11-01T08:00:00Z"),
        ("202", "customer", "998877", "2017-11-01T08:05:30Z"),
    ]
    assert stored_rows(db_path, "select body_text from messages where external_id = '103'") == [
        ("@sprintcare done & thanks",)
    ]
    again = import_paths(db_path, PANDAS).files[0]
    assert (again.added, again.updated, again.figure("messages", "added")) == (0, 0, 0)
