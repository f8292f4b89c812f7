"""Writes the CSV fixtures in this folder: one conversation set saved in every encoding,
delimiter and line ending savedesk reads, a Zendesk CSV export (FORMATS.md 1c) and its newer
export, and a file in an encoding savedesk does not read.

Run it from the repository root after changing the rows: `python tests/data/csv/make_fixtures.py`.
The tests import CONVERSATIONS from here to know what the store must hold.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

HERE = Path(__file__).parent

HEADER = [
    "Conversation ID",
    "Created at",
    "Author",
    "Role",
    "Message",
    "Subject",
    "Channel",
    "Status",
    "Customer",
    "Agent",
    "Tags",
    "CSAT",
]

# Russian and English: the rows Windows-1251 can hold.
RUSSIAN = [
    [
        "ru-1",
        "2024-03-04 08:15:00Z",
        "Иван Петров",
        "customer",
        "Здравствуйте! Хочу отменить подписку; верните, пожалуйста, деньги за март.",
        "Отмена подписки",
        "email",
        "open",
        "Иван Петров",
        "Ольга",
        "отмена,возврат",
        "",
    ],
    [
        "ru-1",
        "2024-03-04 08:40:00Z",
        "Ольга",
        "agent",
        'Иван, понимаю вас.\nМогу предложить "паузу" на месяц вместо отмены — согласны?',
        "Отмена подписки",
        "email",
        "pending",
        "Иван Петров",
        "Ольга",
        "",
        "",
    ],
    [
        "ru-1",
        "2024-03-04 09:02:00Z",
        "Иван Петров",
        "customer",
        "Да, пауза подходит. Спасибо, Ольга!",
        "Отмена подписки",
        "email",
        "solved",
        "Иван Петров",
        "Ольга",
        "",
        "5",
    ],
    [
        "en-1",
        "2024-03-05 17:00:00Z",
        "Jo Smith",
        "customer",
        "Hi, the invoice says $49, but my plan is $39.\r\nCan you check, please?",
        "Invoice, wrong amount",
        "chat",
        "open",
        "Jo Smith",
        "Sam",
        "billing",
        "",
    ],
    [
        "en-1",
        "2024-03-05 17:03:00Z",
        "Sam",
        "agent",
        "Checking now \u2014 internal: looks like the old price list.",
        "Invoice, wrong amount",
        "chat",
        "open",
        "Jo Smith",
        "Sam",
        "",
        "",
    ],
]
# Chinese, simplified and traditional: every Unicode encoding and GB18030 hold them.
CHINESE = [
    [
        "zh-1",
        "2024-03-06 02:10:00Z",
        "王伟",
        "customer",
        "你好，我想取消订阅并申请退款。",
        "取消订阅",
        "chat",
        "open",
        "王伟",
        "李娜",
        "退款",
        "",
    ],
    [
        "zh-1",
        "2024-03-06 02:12:00Z",
        "李娜",
        "agent",
        "您好！我们可以为您提供一个月免费，\n您愿意继续使用吗？",
        "取消订阅",
        "chat",
        "solved",
        "王伟",
        "李娜",
        "",
        "4",
    ],
    [
        "zh-2",
        "2024-03-07 11:00:00Z",
        "陳大文",
        "customer",
        "您好，我的帳號無法登入，請協助處理。",
        "帳號問題",
        "email",
        "open",
        "陳大文",
        "林美玲",
        "登入",
        "",
    ],
    [
        "zh-2",
        "2024-03-07 11:30:00Z",
        "林美玲",
        "agent",
        "陳先生您好，已為您重設密碼，請再試一次。",
        "帳號問題",
        "email",
        "solved",
        "陳大文",
        "林美玲",
        "",
        "good",
    ],
]
CONVERSATIONS = {"all": RUSSIAN + CHINESE, "cyrillic": RUSSIAN}

# (file, encoding as Python names it, BOM written by hand, rows, delimiter, line end)
VARIANTS = [
    ("utf8-comma-lf.csv", "utf-8", b"", "all", ",", "\n"),
    ("utf8bom-semicolon-crlf.csv", "utf-8", b"\xef\xbb\xbf", "all", ";", "\r\n"),
    ("utf16le-bom-tab-crlf.tsv", "utf-16-le", b"\xff\xfe", "all", "\t", "\r\n"),
    ("utf16le-nobom-comma-lf.csv", "utf-16-le", b"", "all", ",", "\n"),
    ("utf16be-bom-semicolon-lf.csv", "utf-16-be", b"\xfe\xff", "all", ";", "\n"),
    ("utf16be-nobom-tab-crlf.csv", "utf-16-be", b"", "all", "\t", "\r\n"),
    ("gb18030-comma-crlf.csv", "gb18030", b"", "all", ",", "\r\n"),
    ("gb18030-tab-lf.csv", "gb18030", b"", "all", "\t", "\n"),
    ("cp1251-semicolon-crlf.csv", "cp1251", b"", "cyrillic", ";", "\r\n"),
    ("cp1251-comma-lf.csv", "cp1251", b"", "cyrillic", ",", "\n"),
    ("utf8-comma-lf-cyrillic.csv", "utf-8", b"", "cyrillic", ",", "\n"),
]

ZENDESK_HEADER = [
    "Summation column",
    "Id",
    "Requester",
    "Requester id",
    "Requester email",
    "Assignee",
    "Group",
    "Subject",
    "Tags",
    "Status",
    "Priority",
    "Via",
    "Created at",
    "Updated at",
    "Solved at",
    "Satisfaction Score",
    "Plan [list]",
    "Order number [int]",
]
ZENDESK_ROWS = [
    [
        "",
        "101",
        "Jo Smith",
        "9001",
        "jo@example.com",
        "Sam Agent",
        "Billing",
        "Refund for March",
        "refund billing",
        "Solved",
        "High",
        "Web Form",
        "2024-03-05 09:30",
        "2024-03-06 10:00",
        "2024-03-06 09:45",
        "Good",
        "Pro",
        "55012",
    ],
    [
        "",
        "102",
        "Иван Петров",
        "9002",
        "ivan@example.ru",
        "Ольга",
        "Поддержка",
        "Отмена подписки",
        "отмена",
        "Pending",
        "Normal",
        "Mail",
        "2024-03-07 14:05:10",
        "2024-03-07 15:00:00",
        "",
        "Offered",
        "Basic",
        "",
    ],
    [
        "",
        "103",
        "王伟",
        "9003",
        "wang@example.cn",
        "",
        "",
        "取消订阅",
        "",
        "Open",
        "",
        "Chat",
        "2024-03-08 01:00",
        "2024-03-08 01:00",
        "",
        "Bad",
        "",
        "",
    ],
    [
        "",
        "",
        "No Id",
        "",
        "",
        "",
        "",
        "no id here",
        "",
        "Open",
        "",
        "Mail",
        "2024-03-08 01:00",
        "2024-03-08 01:00",
        "",
        "",
        "",
        "",
    ],
    [
        "",
        "104",
        "Broken Time",
        "9004",
        "",
        "",
        "",
        "bad time",
        "",
        "Open",
        "",
        "Mail",
        "yesterday-ish",
        "2024-03-08 01:00",
        "",
        "",
        "",
        "",
    ],
]
# A later export: ticket 102 solved with new tags, ticket 103 assigned; 101 unchanged.
ZENDESK_NEWER = [
    ZENDESK_ROWS[0],
    [
        "",
        "102",
        "Иван Петров",
        "9002",
        "ivan@example.ru",
        "Ольга",
        "Поддержка",
        "Отмена подписки",
        "отмена пауза",
        "Solved",
        "Normal",
        "Mail",
        "2024-03-07 14:05:10",
        "2024-03-09 08:00:00",
        "2024-03-09 07:59:00",
        "Good",
        "Basic",
        "",
    ],
    [
        "",
        "103",
        "王伟",
        "9003",
        "wang@example.cn",
        "李娜",
        "客服",
        "取消订阅",
        "",
        "Pending",
        "",
        "Chat",
        "2024-03-08 01:00",
        "2024-03-08 02:00",
        "",
        "Bad",
        "",
        "",
    ],
]


def csv_bytes(
    rows: list[list[str]], header: list[str], encoding: str, delimiter: str, line_end: str
) -> bytes:
    """The rows as a CSV file's bytes (no BOM)."""
    out = io.StringIO(newline="")
    # csv quotes only fields holding the line terminator's own characters: with "\r" alone a
    # field holding "\n" would go out bare, so such files quote every field.
    quoting = csv.QUOTE_ALL if line_end == "\r" else csv.QUOTE_MINIMAL
    writer = csv.writer(out, delimiter=delimiter, lineterminator=line_end, quoting=quoting)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode(encoding)


def main() -> None:
    for name, encoding, bom, rows, delimiter, line_end in VARIANTS:
        data = bom + csv_bytes(CONVERSATIONS[rows], HEADER, encoding, delimiter, line_end)
        (HERE / name).write_bytes(data)
    (HERE / "zendesk-tickets.csv").write_bytes(
        csv_bytes(ZENDESK_ROWS, ZENDESK_HEADER, "utf-8", ",", "\r\n")
    )
    (HERE / "zendesk-tickets-newer.csv").write_bytes(
        csv_bytes(ZENDESK_NEWER, ZENDESK_HEADER, "utf-8", ",", "\r\n")
    )
    japanese = [
        ["1", "2024-03-01 10:00", "田中", "customer", "解約したいです。返金をお願いします。"]
    ]
    (HERE / "unknown-encoding.csv").write_bytes(
        csv_bytes(japanese * 3, HEADER[:5], "shift_jis", ",", "\r\n")
    )


if __name__ == "__main__":
    main()
