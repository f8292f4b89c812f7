"""CSV imports: the shared reader (encodings, delimiters, line ends), generic CSV with its column
map, and Zendesk's CSV ticket export, through the real import job into a real database."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest

from review.importing.csvfiles import CsvRow, open_csv
from review.importing.formats import ReadOptions
from tests.helpers import import_paths, stored_rows

DATA = Path(__file__).parent / "data" / "csv"
sys.path.insert(0, str(DATA))
from make_fixtures import CONVERSATIONS, HEADER, VARIANTS, csv_bytes  # noqa: E402

sys.path.remove(str(DATA))


def _counts(db_path) -> tuple:
    return stored_rows(
        db_path,
        "select (select count(*) from conversations), (select count(*) from messages), "
        "(select count(*) from customers), (select count(*) from agents), "
        "(select count(*) from ratings), (select count(*) from conversation_tags)",
    )[0]


def _expected_messages(rows: list[list[str]]) -> list[tuple]:
    """(conversation, role, author, UTC time, body) as the store must hold them."""
    return sorted(
        (r[0], r[3], r[2], r[1].replace(" ", "T"), r[4].replace("\r\n", "\n").strip()) for r in rows
    )


def _stored_messages(db_path) -> list[tuple]:
    return sorted(
        stored_rows(
            db_path,
            "select c.external_id, m.author_role, m.author_name, m.created_at, m.body_text "
            "from messages m join conversations c on c.id = m.conversation_id",
        )
    )


# -- the shared reader ------------------------------------------------------------------------


def test_every_encoding_fixture_stores_identical_text(db_path):
    first = DATA / "utf8-comma-lf.csv"
    report = import_paths(db_path, first)
    assert report.files[0].format == "csv"
    assert report.files[0].added == 4
    assert _stored_messages(db_path) == _expected_messages(CONVERSATIONS["all"])
    others = [DATA / name for name, *_ in VARIANTS if name != first.name]
    report = import_paths(db_path, *others)
    for file_report in report.files:
        assert file_report.error is None, file_report.path
        assert file_report.format == "csv", file_report.path
        assert (file_report.added, file_report.updated) == (0, 0), file_report.path
        assert file_report.unchanged in (2, 4), file_report.path
    stored = _stored_messages(db_path)
    assert stored == _expected_messages(CONVERSATIONS["all"])
    bodies = {body for *_, body in stored}
    assert "您好！我们可以为您提供一个月免费，\n您愿意继续使用吗？" in bodies
    assert "陳先生您好，已為您重設密碼，請再試一次。" in bodies
    assert (
        'Иван, понимаю вас.\nМогу предложить "паузу" на месяц вместо отмены — согласны?' in bodies
    )
    assert "Hi, the invoice says $49, but my plan is $39.\nCan you check, please?" in bodies


ENCODINGS = [
    ("utf-8", b"", "all"),
    ("utf-8", b"\xef\xbb\xbf", "all"),
    ("utf-16-le", b"\xff\xfe", "all"),
    ("utf-16-le", b"", "all"),
    ("utf-16-be", b"\xfe\xff", "all"),
    ("utf-16-be", b"", "all"),
    ("gb18030", b"", "all"),
    ("cp1251", b"", "cyrillic"),
]


def test_every_encoding_delimiter_and_line_end_reads_the_same(db_path, tmp_path):
    folder = tmp_path / "matrix"
    folder.mkdir()
    n = 0
    for encoding, bom, rows in ENCODINGS:
        for delimiter in (",", ";", "\t"):
            for line_end in ("\n", "\r\n", "\r"):
                n += 1
                data = bom + csv_bytes(CONVERSATIONS[rows], HEADER, encoding, delimiter, line_end)
                (folder / f"{n:02d}-{encoding}-{len(bom)}-{ord(delimiter)}.csv").write_bytes(data)
    report = import_paths(db_path, folder)
    assert len(report.files) == n == 72
    assert report.files[0].added == 4
    for file_report in report.files[1:]:
        assert file_report.error is None, file_report.path
        assert file_report.added == file_report.updated == 0, file_report.path
    assert _stored_messages(db_path) == _expected_messages(CONVERSATIONS["all"])


def test_detection_reports_encoding_and_delimiter():
    found = {}
    for name, *_ in VARIANTS:
        with open(DATA / name, "rb") as stream:
            shape = open_csv(stream, name).shape
        found[name] = (shape.encoding_label, shape.delimiter)
    assert found["utf16le-nobom-comma-lf.csv"] == ("UTF-16 LE", ",")
    assert found["utf16be-nobom-tab-crlf.csv"] == ("UTF-16 BE", "\t")
    assert found["utf16le-bom-tab-crlf.tsv"] == ("UTF-16 with BOM", "\t")
    assert found["utf8bom-semicolon-crlf.csv"] == ("UTF-8 with BOM", ";")
    assert found["gb18030-comma-crlf.csv"] == ("GB18030", ",")
    assert found["cp1251-semicolon-crlf.csv"] == ("Windows-1251", ";")


def test_huge_field_and_multibyte_text_across_the_detection_sample():
    body = "数据" * 200_000  # 1.2 MB in UTF-8: past the 256 KB sample and csv's default limit
    data = csv_bytes([["1", body], ["2", "ok"]], ["id", "text"], "utf-8", ",", "\r\n")
    rows = list(open_csv(io.BytesIO(data), "big.csv").rows())
    assert [(r.line, r.values[0], len(r.values[1])) for r in rows] == [
        (2, "1", 400_000),
        (3, "2", 2),
    ]
    assert rows[0].values[1] == body


def test_bytes_invalid_in_the_detected_encoding_reject_only_their_row():
    good = csv_bytes([[str(i), "hello"] for i in range(40_000)], ["id", "text"], "utf-8", ",", "\n")
    data = good + b"40000,\xff\xfe broken\n40001,fine again\n"
    rows = list(open_csv(io.BytesIO(data), "late.csv").rows())
    assert len(rows) == 40_002
    bad = rows[40_000]
    assert (bad.line, bad.values) == (40_002, [])
    assert "not valid UTF-8" in bad.problem
    assert rows[40_001] == CsvRow(40_003, ["40001", "fine again"])
    assert all(r.problem is None for r in rows[:40_000])


def test_undecodable_row_past_the_sample_is_rejected_by_line(db_path, tmp_path):
    path = tmp_path / "late.csv"
    path.write_bytes(
        csv_bytes([["1", "x" * 300_000]], ["conversation_id", "body"], "utf-8", ",", "\n")
        + "2,Привет\n".encode("cp1251")
        + b"3,ok\n"
    )
    report = import_paths(db_path, path)
    assert [(r.record, r.field) for r in report.files[0].rejected] == [(3, None)]
    assert "not valid UTF-8" in report.files[0].rejected[0].problem
    assert stored_rows(db_path, "select external_id from conversations order by 1") == [
        ("1",),
        ("3",),
    ]


def test_excel_sep_line_is_honoured():
    data = b"sep=;\r\nid;text\r\n1;a,b\r\n"
    csv_file = open_csv(io.BytesIO(data), "excel.csv")
    assert csv_file.header == ["id", "text"]
    assert [r.values for r in csv_file.rows()] == [["1", "a,b"]]


def test_unknown_encoding_is_a_clear_error_and_changes_nothing(db_path):
    import_paths(db_path, DATA / "utf8-comma-lf.csv")
    before = _counts(db_path)
    report = import_paths(db_path, DATA / "unknown-encoding.csv")
    error = report.files[0].error
    assert error is not None
    assert "unknown-encoding.csv" in error
    assert "cannot tell the text encoding" in error
    assert _counts(db_path) == before
    strict = import_paths(db_path, DATA / "unknown-encoding.csv", format="csv", strict=True)
    assert "cannot tell the text encoding" in strict.files[0].error
    assert _counts(db_path) == before


# -- generic CSV ------------------------------------------------------------------------------


def test_generic_per_message_figures(db_path):
    report = import_paths(db_path, DATA / "utf8-comma-lf.csv")
    file_report = report.files[0]
    assert file_report.rejected == []
    assert _counts(db_path) == (4, 9, 4, 4, 3, 5)
    conversation = stored_rows(
        db_path,
        "select subject, channel, status, created_at, message_count from conversations "
        "where external_id = 'ru-1'",
    )
    assert conversation == [("Отмена подписки", "email", "solved", "2024-03-04T08:15:00Z", 3)]
    roles = stored_rows(db_path, "select author_role, count(*) from messages group by 1 order by 1")
    assert roles == [("agent", 4), ("customer", 5)]
    ratings = stored_rows(
        db_path,
        "select c.external_id, r.kind, r.scale, r.score, r.positive from ratings r "
        "join conversations c on c.id = r.conversation_id order by 1",
    )
    assert ratings == [
        ("ru-1", "csat", "1-5", 5.0, 1),
        ("zh-1", "csat", "1-5", 4.0, 1),
        ("zh-2", "csat", "good-bad", 1.0, 1),
    ]
    tags = stored_rows(db_path, "select name from tags order by name")
    assert tags == [("billing",), ("возврат",), ("отмена",), ("登入",), ("退款",)]


def test_reimport_adds_nothing(db_path):
    import_paths(db_path, DATA / "utf8-comma-lf.csv")
    before = _counts(db_path)
    report = import_paths(db_path, DATA / "utf8-comma-lf.csv")
    assert (report.files[0].added, report.files[0].updated, report.files[0].unchanged) == (0, 0, 4)
    assert _counts(db_path) == before


def test_newer_export_updates(db_path, tmp_path):
    rows = CONVERSATIONS["all"]
    old = tmp_path / "old.csv"
    old.write_bytes(csv_bytes(rows[:2], HEADER, "utf-8", ",", "\n"))
    import_paths(db_path, old)
    assert stored_rows(db_path, "select status, message_count from conversations") == [
        ("pending", 2)
    ]
    newer = tmp_path / "newer.csv"
    newer.write_bytes(csv_bytes(rows[:3], HEADER, "utf-8", ",", "\n"))
    report = import_paths(db_path, newer)
    assert (report.files[0].added, report.files[0].updated) == (0, 1)
    assert stored_rows(db_path, "select status, message_count from conversations") == [
        ("solved", 3)
    ]


def test_rows_without_conversation_id_or_with_bad_values_are_rejected(db_path, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(
        "ticket_id,created_at,author,text\n"
        "7,2024-01-01T10:00:00Z,Ann,first\n"
        ",2024-01-01T10:01:00Z,Ann,no ticket\n"
        "7,next tuesday,Ann,bad time\n"
        "7,2024-01-01T10:02:00Z,Ann,too,many,fields\n"
        '7,2024-01-01T10:03:00Z,Bob,"last, and fine"\n',
        encoding="utf-8",
    )
    report = import_paths(db_path, path)
    rejected = [(r.record, r.field, r.problem) for r in report.files[0].rejected]
    assert rejected == [
        (3, "ticket_id", "the row has no conversation id"),
        (4, "created_at", "not a timestamp savedesk can read: 'next tuesday'"),
        (5, None, "the row has 6 fields but there are 4 columns"),
    ]
    assert stored_rows(db_path, "select body_text from messages order by created_at") == [
        ("first",),
        ("last, and fine",),
    ]
    strict = import_paths(db_path, path, strict=True)
    assert "record 3" in strict.files[0].error


def test_mapping_names_columns_the_guesses_miss(db_path, tmp_path):
    path = tmp_path / "de.csv"
    path.write_text(
        "Fall;Wann;Wer;Nachricht\n"
        "A-1;2024-02-01T09:00:00Z;Kundin;Ich möchte kündigen.\n"
        "A-1;2024-02-01T09:05:00Z;Agent;Schade! Darf ich fragen, warum?\n",
        encoding="utf-8",
    )
    report = import_paths(db_path, path)
    error = report.files[0].error
    assert "none of its columns (Fall, Wann, Wer, Nachricht)" in error
    assert "--map" in error
    mapping = {
        "Fall": "conversation_id",
        "Wann": "created_at",
        "Wer": "author",
        "Nachricht": "body",
    }
    report = import_paths(db_path, path, options=ReadOptions(mapping=mapping))
    assert report.files[0].added == 1
    assert stored_rows(
        db_path, "select author_name, body_text from messages order by created_at"
    ) == [
        ("Kundin", "Ich möchte kündigen."),
        ("Agent", "Schade! Darf ich fragen, warum?"),
    ]
    bad_field = import_paths(db_path, path, options=ReadOptions(mapping={"Fall": "ticket"}))
    assert "unknown field 'ticket'" in bad_field.files[0].error
    bad_column = import_paths(db_path, path, options=ReadOptions(mapping={"Case": "body"}))
    assert "does not have" in bad_column.files[0].error


def test_mapping_overrides_a_guess(db_path, tmp_path):
    path = tmp_path / "two-texts.csv"
    path.write_text("id,text,reply\n1,question one,the real answer\n", encoding="utf-8")
    import_paths(db_path, path, options=ReadOptions(mapping={"reply": "body", "text": "ignore"}))
    assert stored_rows(db_path, "select body_text from messages") == [("the real answer",)]


def test_chinese_and_russian_headers_are_guessed(db_path, tmp_path):
    path = tmp_path / "zh.csv"
    path.write_text(
        "工单号,时间,发送者,角色,内容\n"
        "Z1,2024-04-01 10:00:00+08:00,王伟,客户,我要退款\n"
        "Z1,2024-04-01 10:05:00+08:00,李娜,客服,好的\n",
        encoding="gb18030",
    )
    ru = tmp_path / "ru.csv"
    ru.write_text(
        "Номер обращения;Дата;Автор;Роль;Сообщение\n"
        "R1;2024-04-02 12:00:00+03:00;Иван;клиент;Верните деньги\n",
        encoding="cp1251",
    )
    report = import_paths(db_path, path, ru)
    assert [f.added for f in report.files] == [1, 1]
    assert report.files[0].warnings == []  # times carry their zone
    assert stored_rows(
        db_path,
        "select c.external_id, m.author_role, m.created_at, m.body_text from messages m "
        "join conversations c on c.id = m.conversation_id order by m.created_at",
    ) == [
        ("Z1", "customer", "2024-04-01T02:00:00Z", "我要退款"),
        ("Z1", "agent", "2024-04-01T02:05:00Z", "好的"),
        ("R1", "customer", "2024-04-02T09:00:00Z", "Верните деньги"),
    ]


def test_one_row_per_conversation_without_ids(db_path, tmp_path):
    path = tmp_path / "survey.csv"
    path.write_text(
        "Date,Customer,Email,Description,Status,NPS\n"
        "2024-05-01T08:00:00Z,Ann,ann@example.com,App crashes on start,open,3\n"
        "2024-05-02T08:00:00Z,Bo,bo@example.com,Love it,solved,10\n",
        encoding="utf-8",
    )
    report = import_paths(db_path, path)
    assert report.files[0].added == 2
    assert stored_rows(
        db_path,
        "select cu.email, c.status, r.kind, r.score, r.positive from conversations c "
        "join customers cu on cu.id = c.customer_id join ratings r on r.conversation_id = c.id "
        "order by cu.email",
    ) == [
        ("ann@example.com", "open", "nps", 3.0, None),
        ("bo@example.com", "solved", "nps", 10.0, None),
    ]
    again = import_paths(db_path, path)
    assert (again.files[0].added, again.files[0].unchanged) == (0, 2)


def test_naive_times_warn_once_and_follow_the_zone(db_path, tmp_path):
    path = tmp_path / "local.csv"
    path.write_text(
        "conversation_id,created_at,body\nL1,2024-06-01 12:00,a\nL1,2024-06-01 12:30,b\n",
        encoding="utf-8",
    )
    report = import_paths(db_path, path)
    assert len(report.files[0].warnings) == 1
    assert "--timezone" in report.files[0].warnings[0]
    zoned = import_paths(db_path, path, options=ReadOptions(local_zone="Asia/Shanghai"))
    assert zoned.files[0].warnings == []
    times = stored_rows(db_path, "select created_at from messages order by created_at")
    # the same rows read in UTC and then in Shanghai time are different messages' times
    assert ("2024-06-01T04:00:00Z",) in times and ("2024-06-01T12:00:00Z",) in times


# -- Zendesk CSV export -----------------------------------------------------------------------


def test_zendesk_csv_export(db_path):
    report = import_paths(db_path, DATA / "zendesk-tickets.csv")
    file_report = report.files[0]
    assert file_report.format == "zendesk-csv"
    assert file_report.added == 3
    assert [(r.record, r.field, r.helpdesk_id) for r in file_report.rejected] == [
        (5, "Id", None),
        (6, "Created at", "104"),
    ]
    assert len(file_report.warnings) == 1 and "--timezone" in file_report.warnings[0]
    tickets = stored_rows(
        db_path,
        "select c.external_id, c.source, c.subject, c.channel, c.status, c.created_at, "
        "c.updated_at, c.closed_at, cu.external_id, cu.email, a.name, t.name "
        "from conversations c left join customers cu on cu.id = c.customer_id "
        "left join agents a on a.id = c.agent_id left join teams t on t.id = c.team_id "
        "order by 1",
    )
    assert tickets == [
        (
            "101",
            "zendesk",
            "Refund for March",
            "web",
            "solved",
            "2024-03-05T09:30:00Z",
            "2024-03-06T10:00:00Z",
            "2024-03-06T09:45:00Z",
            "9001",
            "jo@example.com",
            "Sam Agent",
            "Billing",
        ),
        (
            "102",
            "zendesk",
            "Отмена подписки",
            "email",
            "pending",
            "2024-03-07T14:05:10Z",
            "2024-03-07T15:00:00Z",
            None,
            "9002",
            "ivan@example.ru",
            "Ольга",
            "Поддержка",
        ),
        (
            "103",
            "zendesk",
            "取消订阅",
            "chat",
            "open",
            "2024-03-08T01:00:00Z",
            "2024-03-08T01:00:00Z",
            None,
            "9003",
            "wang@example.cn",
            None,
            None,
        ),
    ]
    assert stored_rows(db_path, "select count(*) from messages") == [(0,)]
    ratings = stored_rows(
        db_path,
        "select c.external_id, r.raw_value, r.positive from ratings r "
        "join conversations c on c.id = r.conversation_id order by 1",
    )
    assert ratings == [("101", "good", 1), ("103", "bad", 0)]
    custom = stored_rows(
        db_path, "select custom_fields from conversations where external_id = '101'"
    )
    assert json.loads(custom[0][0]) == {
        "Order number [int]": "55012",
        "Plan [list]": "Pro",
        "Priority": "High",
    }
    tags = stored_rows(
        db_path,
        "select t.name from conversation_tags ct join tags t on t.id = ct.tag_id "
        "join conversations c on c.id = ct.conversation_id where c.external_id = '101' order by 1",
    )
    assert tags == [("billing",), ("refund",)]


def test_zendesk_csv_local_zone(db_path):
    report = import_paths(
        db_path, DATA / "zendesk-tickets.csv", options=ReadOptions(local_zone="Europe/Moscow")
    )
    assert report.files[0].warnings == []
    assert stored_rows(
        db_path, "select created_at from conversations where external_id = '102'"
    ) == [("2024-03-07T11:05:10Z",)]
    bad = import_paths(
        db_path, DATA / "zendesk-tickets.csv", options=ReadOptions(local_zone="Mars/Base")
    )
    assert "'Mars/Base' is not a time zone name" in bad.files[0].error


def test_zendesk_csv_newer_export_updates_and_reimport_adds_nothing(db_path):
    import_paths(db_path, DATA / "zendesk-tickets.csv")
    before = _counts(db_path)
    again = import_paths(db_path, DATA / "zendesk-tickets.csv")
    assert (again.files[0].added, again.files[0].updated, again.files[0].unchanged) == (0, 0, 3)
    assert _counts(db_path) == before
    newer = import_paths(db_path, DATA / "zendesk-tickets-newer.csv")
    assert (newer.files[0].added, newer.files[0].updated, newer.files[0].unchanged) == (0, 2, 1)
    assert stored_rows(
        db_path,
        "select c.status, c.closed_at, r.raw_value from conversations c "
        "left join ratings r on r.conversation_id = c.id where c.external_id = '102'",
    ) == [("solved", "2024-03-09T07:59:00Z", "good")]
    tags = stored_rows(
        db_path,
        "select t.name from conversation_tags ct join tags t on t.id = ct.tag_id "
        "join conversations c on c.id = ct.conversation_id where c.external_id = '102' order by 1",
    )
    assert tags == [("отмена",), ("пауза",)]
    assert stored_rows(
        db_path,
        "select a.name, t.name from conversations c join agents a on a.id = c.agent_id "
        "join teams t on t.id = c.team_id where c.external_id = '103'",
    ) == [("李娜", "客服")]


@pytest.mark.parametrize(
    ("encoding", "rows"),
    [
        # hypothesis found these in a fresh clone: GB18030 read as Big5, and a refusal
        (
            "gb18030",
            [("1", "订阅 订阅 ", "订阅 订阅 订阅 订阅 "), ("1", "你好 你好 ", "你好 你好 ")],
        ),
        (
            "gb18030",
            [("1", "订阅 订阅 订阅 帳號 здравствуйте здравствуйте здравствуйте ", "你好 ")] * 6,
        ),
        ("gb18030", [("1", "了 帳號 我们 退款", "謝謝"), ("2", "處理 你好", "是")]),
        ("cp1251", [("1", "здравствуйте здравствуйте ", "здравствуйте здравствуйте ")]),
        ("big5", [("1", "謝謝 帳號 無法 登入", "客服")]),
        ("cp1252", [("1", "été café crème", "Grüße")]),
    ],
)
def test_short_legacy_files_are_read_in_their_own_encoding(encoding, rows):
    lines = ['"conversation_id","body","author"'] + [
        ",".join(f'"{value}"' for value in row) for row in rows
    ]
    raw = ("\n".join(lines) + "\n").encode(encoding)
    csv_file = open_csv(io.BytesIO(raw), "legacy.csv")
    assert csv_file.shape.encoding == encoding
    assert [tuple(r.values) for r in csv_file.rows()] == [tuple(row) for row in rows]
