"""Property tests: generated CSV files, in every encoding, delimiter and line end savedesk
reads, come back exactly through the CSV reader and the generic CSV importer; bad rows are
rejected by line, never a crash."""

from __future__ import annotations

import codecs
import csv
import io
import re
import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from review.errors import ImportFailed
from review.importing.csvfiles import open_csv
from review.importing.run import import_files
from review.importing.text import body_pair
from review.progress import run_to_end
from review.store import connect

SETTINGS = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

# Any text a spreadsheet holds: letters of every script (CJK and Cyrillic weighted in), marks
# CSV must quote, line breaks inside fields. Not NUL or other C0 controls, not lone
# surrogates, not U+FEFF (a BOM, whatever its place).
_ANY = st.characters(
    blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufeff"
) | st.sampled_from(list(',;\t"\r\n ') + list("你好謝謝退款訂閱Приветдоброспасибо"))
TEXT = st.text(_ANY, max_size=40)
UNICODE_ENCODINGS = [
    ("utf-8", b""),
    ("utf-8", codecs.BOM_UTF8),
    ("utf-16-le", codecs.BOM_UTF16_LE),
    ("utf-16-le", b""),
    ("utf-16-be", codecs.BOM_UTF16_BE),
    ("utf-16-be", b""),
]
LINE_ENDS = ["\n", "\r\n", "\r"]
DELIMITERS = [",", ";", "\t"]


def _quoting(line_end: str) -> int:
    # csv.writer quotes a field only for the line terminator's own characters: with "\n" or
    # "\r" alone, a field holding the other would go out bare and break the file.
    return csv.QUOTE_MINIMAL if line_end == "\r\n" else csv.QUOTE_ALL


def _write(header, rows, encoding, bom, delimiter, line_end) -> bytes:
    out = io.StringIO(newline="")
    quoting = _quoting(line_end)
    writer = csv.writer(out, delimiter=delimiter, lineterminator=line_end, quoting=quoting)
    writer.writerow(header)
    writer.writerows(rows)
    return bom + out.getvalue().encode(encoding)


def _breaks(text: str) -> int:
    return len(re.findall(r"\r\n|\r|\n", text))


def _start_lines(header, rows, delimiter, line_end) -> list[int]:
    """The line each record starts on, counting line breaks as the reader does."""
    lines, line = [], 1
    for record in [header, *rows]:
        lines.append(line)
        out = io.StringIO(newline="")
        quoting = _quoting(line_end)
        csv.writer(out, delimiter=delimiter, lineterminator=line_end, quoting=quoting).writerow(
            record
        )
        line += _breaks(out.getvalue())
    return lines[1:]


def _none_first(values: tuple) -> tuple:
    return tuple("" if v is None else v for v in values)


def _not_blank(row: list[str]) -> bool:
    return any(value.strip() for value in row)


@SETTINGS
@given(
    width=st.integers(2, 5),
    data=st.data(),
    encoding=st.sampled_from(UNICODE_ENCODINGS),
    delimiter=st.sampled_from(DELIMITERS),
    line_end=st.sampled_from(LINE_ENDS),
)
def test_reader_round_trips_any_text(width, data, encoding, delimiter, line_end):
    header = [f"列{i}-кол" for i in range(width)]
    rows = data.draw(st.lists(st.lists(TEXT, min_size=width, max_size=width), max_size=8))
    rows = [r for r in rows if _not_blank(r)]
    raw = _write(header, rows, *encoding, delimiter, line_end)
    csv_file = open_csv(io.BytesIO(raw), "gen.csv")
    assert csv_file.header == header
    assert csv_file.shape.delimiter == delimiter
    read = list(csv_file.rows())
    assert [r.values for r in read] == rows
    assert [r.line for r in read] == _start_lines(header, rows, delimiter, line_end)


# Legacy encodings can only be told from natural text: words of the language, not noise.
_RUSSIAN = [
    "здравствуйте",
    "хочу",
    "отменить",
    "подписку",
    "верните",
    "деньги",
    "спасибо",
    "оператор",
    "помогите",
]
_CHINESE = [
    "你好",
    "我想",
    "取消",
    "订阅",
    "退款",
    "謝謝",
    "帳號",
    "無法",
    "登入",
    "客服",
    "處理",
    "请问",
]
_GLUE = [" ", ", ", "; ", '" ', "\n", "\r\n", "! ", "? ", " 12 ", " ok "]


def _phrases(words):
    """Words with spaces, punctuation, quotes or line breaks between them."""
    pairs = st.tuples(st.sampled_from(words), st.sampled_from(_GLUE))
    return st.lists(pairs, min_size=2, max_size=8).map(lambda ps: "".join(w + g for w, g in ps))


@SETTINGS
@given(
    data=st.data(),
    delimiter=st.sampled_from(DELIMITERS),
    line_end=st.sampled_from(["\n", "\r\n"]),
    legacy=st.sampled_from([("cp1251", _RUSSIAN), ("gb18030", _CHINESE + _RUSSIAN)]),
)
def test_reader_round_trips_legacy_encodings(data, delimiter, line_end, legacy):
    encoding, words = legacy
    header = ["conversation_id", "body", "author"]
    rows = data.draw(
        st.lists(
            st.tuples(st.integers(1, 99).map(str), _phrases(words), _phrases(words)),
            min_size=3,
            max_size=8,
        )
    )
    rows = [list(r) for r in rows]
    raw = _write(header, rows, encoding, b"", delimiter, line_end)
    try:
        csv_file = open_csv(io.BytesIO(raw), "legacy.csv")
    except ImportFailed as exc:
        # A few repeated words of mixed scripts can defeat any guess: refusing is allowed,
        # reading them as the wrong text is not.
        assert "cannot tell the text encoding" in str(exc)
        assert len(raw) < 400
        return
    assert csv_file.shape.encoding == encoding
    assert [r.values for r in csv_file.rows()] == rows


ROLES = {
    "customer": "customer",
    "客户": "customer",
    "клиент": "customer",
    "agent": "agent",
    "客服": "agent",
    "оператор": "agent",
    "bot": "bot",
    "": "unknown",
}
TIMES = st.datetimes(
    min_value=__import__("datetime").datetime(2000, 1, 1),
    max_value=__import__("datetime").datetime(2030, 1, 1),
).map(lambda d: d.strftime("%Y-%m-%dT%H:%M:%SZ"))
GOOD_ROW = st.tuples(
    st.sampled_from(["c1", "会话2", "обр-3", "4"]),
    TIMES | st.just(""),
    TEXT,
    st.sampled_from(sorted(ROLES)),
    TEXT,
)
BAD_ROW = st.one_of(
    st.tuples(st.just(""), TIMES, TEXT, st.just("agent"), TEXT.filter(str.strip)).map(
        lambda r: (list(r), "conversation_id")
    ),
    st.tuples(
        st.just("c1"),
        st.sampled_from(["yesterday", "32.13.2020", "Пн 10:00"]),
        TEXT,
        st.just("agent"),
        TEXT,
    ).map(lambda r: (list(r), "created_at")),
    st.tuples(st.just("c1"), TIMES, TEXT, st.just("agent"), TEXT, TEXT.filter(str.strip)).map(
        lambda r: (list(r), None)
    ),
)


@SETTINGS
@given(
    good=st.lists(GOOD_ROW, max_size=12),
    bad=st.lists(BAD_ROW, max_size=3),
    data=st.data(),
    encoding=st.sampled_from(UNICODE_ENCODINGS),
    delimiter=st.sampled_from(DELIMITERS),
    line_end=st.sampled_from(LINE_ENDS),
)
def test_generic_importer_stores_exactly_what_the_rows_say(
    _migrated_template, good, bad, data, encoding, delimiter, line_end
):
    header = ["conversation_id", "created_at", "author", "role", "body"]
    # exports list a conversation's messages together; bad rows land anywhere
    rows = sorted((list(r) for r in good), key=lambda r: r[0])
    for row, _field in bad:
        rows.insert(data.draw(st.integers(0, len(rows))), row)
    rows = [r for r in rows if _not_blank(r)]
    raw = _write(header, rows, *encoding, delimiter, line_end)
    lines = _start_lines(header, rows, delimiter, line_end)
    where = {id(row): line for row, line in zip(rows, lines, strict=True)}
    expected_rejects = sorted((where[id(row)], field) for row, field in bad if id(row) in where)
    landing = [
        r for r in rows if len(r) == 5 and r[0] and r[4].strip() and r[1][:2] in ("", "19", "20")
    ]
    # an author named with a role in one row lands on that person's row, and the rows where
    # the same author has no role take it from there (an agent before a customer)
    named = {ROLES[r[3]]: set() for r in landing}
    for r in landing:
        if r[2].strip():
            named.setdefault(ROLES[r[3]], set()).add(r[2].strip())

    def role(r: list[str]) -> str:
        if ROLES[r[3]] != "unknown" or not r[2].strip():
            return ROLES[r[3]]
        for settled in ("agent", "customer"):
            if r[2].strip() in named.get(settled, ()):
                return settled
        return "unknown"

    expected = sorted(
        (
            (
                r[0],
                role(r),
                r[2].strip() or None,
                r[1] or None,
                body_pair(r[4].replace("\r\n", "\n").replace("\r", "\n"))[0],
            )
            for r in rows
            if len(r) == 5 and r[0] and r[4].strip() and r[1][:2] in ("", "19", "20")
        ),
        key=_none_first,
    )
    with tempfile.TemporaryDirectory() as folder:
        db_path = Path(folder) / "prop.db"
        shutil.copy(_migrated_template, db_path)
        path = Path(folder) / "gen.csv"
        path.write_bytes(raw)
        report = run_to_end(import_files(db_path, [path], format="csv"))
        file_report = report.files[0]
        assert file_report.error is None
        got_rejects = sorted(
            (r.record, None if r.field is None else r.field) for r in file_report.rejected
        )
        assert got_rejects == expected_rejects
        db = connect(db_path)
        try:
            stored = sorted(
                (
                    tuple(r)
                    for r in db.execute(
                        "select c.external_id, m.author_role, m.author_name, m.created_at, "
                        "m.body_text from messages m join conversations c on c.id = m.conversation_id"
                    )
                ),
                key=_none_first,
            )
        finally:
            db.close()
        assert stored == expected


TWEET = st.tuples(
    st.integers(0, 30),  # parent: an earlier tweet's index, or beyond the file
    st.booleans(),  # parent written as a pandas float ("12.0")
    st.booleans(),  # inbound
    TIMES,
    TEXT,
    st.sampled_from(["", "Mon Jan 01 10:00:00 +0000 2018", "yesterday", "Feb 30 2018"]),
)


@SETTINGS
@given(tweets=st.lists(TWEET, min_size=1, max_size=25), data=st.data())
def test_twitter_threads_from_any_reply_forest(_migrated_template, tweets, data):
    from datetime import datetime

    from review.importing.formats.twitter import HEADER

    rows, valid, parents = [], set(), {}
    for n, (parent, as_float, inbound, when, text, time_override) in enumerate(tweets):
        tweet_id = str(1000 + n)
        if parent < n:
            parent_id = str(1000 + parent)  # an earlier tweet: chains never loop
        elif parent < n + 3:
            parent_id = str(90000 + parent)  # a tweet not in the file
        else:
            parent_id = ""
        created = datetime.strptime(when, "%Y-%m-%dT%H:%M:%SZ").strftime(
            "%a %b %d %H:%M:%S +0000 %Y"
        )
        if time_override and not time_override.startswith("Mon"):
            created = time_override  # unreadable: rejected, its replies become roots
        else:
            valid.add(tweet_id)
            parents[tweet_id] = parent_id
        shown = f"{parent_id}.0" if as_float and parent_id else parent_id
        author = "105" + str(n) if inbound else "AcmeHelp"
        rows.append([tweet_id, author, str(inbound), created, text, "", shown])
    data.draw(st.randoms()).shuffle(rows)
    roots = {t for t in valid if parents[t] not in valid}
    with tempfile.TemporaryDirectory() as folder:
        db_path = Path(folder) / "tw.db"
        shutil.copy(_migrated_template, db_path)
        path = Path(folder) / "twcs.csv"
        path.write_bytes(_write(HEADER, rows, "utf-8", b"", ",", "\n"))
        report = run_to_end(import_files(db_path, [path]))
        file_report = report.files[0]
        assert file_report.format == "twitter"
        assert len(file_report.rejected) == len(rows) - len(valid)
        assert all(r.field == "created_at" for r in file_report.rejected)
        db = connect(db_path)
        try:
            stored = {r[0] for r in db.execute("select external_id from messages")}
            conversations = {r[0] for r in db.execute("select external_id from conversations")}
        finally:
            db.close()
        assert stored == valid
        assert conversations == roots
