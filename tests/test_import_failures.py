"""Every way a file can be broken: one sentence naming it, and the other files still import.

`--strict` refuses the whole import instead. Hostile input stays bounded: a small archive that
inflates to a huge line is refused once the line passes the stated limit, and a zip of many
members is opened once, not once per member.
"""

from __future__ import annotations

import dataclasses
import gzip
import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from review.importing import limits
from tests.benchmarks.zendesk_export import write_export
from tests.helpers import import_paths, stored_rows

GOOD_TICKETS = 5


@pytest.fixture
def good(tmp_path) -> Path:
    path = tmp_path / "good.ndjson"
    write_export(path, tickets=GOOD_TICKETS, comments_per_ticket=2)
    return path


def _ticket_json() -> bytes:
    return json.dumps(
        {
            "ticket": {
                "id": 77,
                "subject": "Hello",
                "requester_id": 5,
                "via": {"channel": "web"},
                "url": "https://acme.zendesk.com/api/v2/tickets/77.json",
            }
        }
    ).encode()


def _broken_files(folder: Path) -> dict[str, tuple[bytes, str]]:
    """name -> (bytes, words the refusal must contain)."""
    packed = gzip.compress(_ticket_json() * 50)
    deep = b'{"tickets": [{"id": 1, "custom_fields": ' + b"[" * 100_000 + b"]" * 100_000 + b"}]}"
    return {
        "truncated.json.gz": (packed[: len(packed) // 2], "truncated"),
        "plain.json.gz": (_ticket_json(), "not a gzip file"),
        "deep.ndjson": (
            _ticket_json().replace(b'"Hello"', b'"Hello", "x": ' + b"[" * 100_000 + b"]" * 100_000)
            + b"\n"
            + _ticket_json()
            + b"\n",
            "",
        ),
        "deep.json": (deep, ""),
        "deep-helpscout.json": (
            b'{"_embedded": {"conversations": [{"id": 1, "mailboxId": 2, "x": '
            + b"[" * 100_000
            + b"]" * 100_000
            + b"}]}}",
            "nests deeper than 512 levels",
        ),
        "invalid-utf8.json": (_ticket_json().replace(b"Hello", b"Hel\xff\xfelo"), "UTF"),
        "raw-surrogate.json": (_ticket_json().replace(b"Hello", b"Hel\xed\xa0\x80lo"), ""),
    }


def test_each_broken_file_is_one_sentence_and_the_rest_imports(tmp_path, db_path, good):
    folder = tmp_path / "export"
    folder.mkdir()
    (folder / "good.ndjson").write_bytes(good.read_bytes())
    expected = _broken_files(folder)
    for name, (data, _) in expected.items():
        (folder / name).write_bytes(data)
    report = import_paths(db_path, folder)
    by_name = {Path(f.path).name: f for f in report.files}
    assert by_name["good.ndjson"].added == GOOD_TICKETS
    for name, (_, words) in expected.items():
        f = by_name[name]
        assert not f.unexpected, f.error
        if f.error:
            assert "\n" not in f.error and name in f.error and words in f.error
        else:  # read, with the bad record rejected or its text repaired
            assert f.rejected or f.added, name
    assert by_name["truncated.json.gz"].error and by_name["plain.json.gz"].error
    assert stored_rows(db_path, "select count(*) from conversations")[0][0] >= GOOD_TICKETS


def test_a_bad_zip_member_fails_alone(tmp_path, db_path, good):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("a/good.ndjson", good.read_bytes())
        archive.writestr("b/ticket.json", _ticket_json())
    data = bytearray(buffer.getvalue())
    at = data.find(b'"Hello"')
    data[at + 2] ^= 0xFF  # the member's CRC no longer matches
    path = tmp_path / "export.zip"
    path.write_bytes(bytes(data))
    report = import_paths(db_path, path)
    by_member = {f.path.split("!")[1]: f for f in report.files}
    assert by_member["a/good.ndjson"].added == GOOD_TICKETS
    bad = by_member["b/ticket.json"]
    assert bad.error == (
        f"{path}!b/ticket.json: the compressed data is damaged (Bad CRC-32 for file "
        "'b/ticket.json'). The database was left as it was."
    )


def test_a_file_that_is_no_zip_fails_alone(tmp_path, db_path, good):
    (tmp_path / "export.zip").write_bytes(b"PK\x03\x04 not really")
    report = import_paths(db_path, tmp_path / "export.zip", good)
    assert "not a readable zip archive" in report.files[0].error
    assert report.files[1].added == GOOD_TICKETS


def test_a_bom_before_json_is_read(tmp_path, db_path):
    path = tmp_path / "ticket.json"
    path.write_bytes(b"\xef\xbb\xbf" + _ticket_json())
    [f] = import_paths(db_path, path).files
    assert (f.format, f.added, f.error) == ("zendesk-api", 1, None)


def test_memory_error_fails_the_file_in_one_sentence(tmp_path, db_path, good, monkeypatch):
    import review.importing.run as run
    from review.importing.formats import zendesk_api

    def exhausted(*args, **kwargs):
        raise MemoryError

    real_detect = run.detect
    monkeypatch.setattr(
        run,
        "detect",
        lambda head: (
            dataclasses.replace(zendesk_api.FORMAT, read=exhausted)
            if head.name.endswith("ticket.json")
            else real_detect(head)
        ),
    )
    ticket = tmp_path / "ticket.json"
    ticket.write_bytes(_ticket_json())
    report = import_paths(db_path, ticket, good)
    assert report.files[0].error == (
        f"{ticket}: the computer ran out of memory reading it. The database was left as it was."
    )
    assert report.files[1].added == GOOD_TICKETS


def test_strict_refuses_the_whole_import(tmp_path, db_path, good):
    broken = tmp_path / "broken.json.gz"
    broken.write_bytes(b"not gzip")
    report = import_paths(db_path, good, broken, strict=True)
    assert report.failed and "not a gzip file" in report.failed[0].error
    assert report.files[0].added == 0 and "--strict" in report.files[0].skipped
    assert stored_rows(db_path, "select count(*) from conversations") == [(0,)]


def _inflating(path: Path, prefix: bytes, size: int) -> None:
    """A .gz whose content is `prefix` and then `size` bytes of one letter (no line end).

    Gzip members may follow one another in a file and read as one stream, so one compressed
    megabyte written again and again makes the bomb at once.
    """
    megabyte = gzip.compress(b"a" * (1 << 20), compresslevel=9)
    with path.open("wb") as out:
        out.write(gzip.compress(prefix))
        for _ in range(size >> 20):
            out.write(megabyte)


@pytest.mark.parametrize(
    "name, prefix, words",
    [
        (
            "line.ndjson.gz",
            b'{"id": 1, "requester_id": 2, "via": "web", "comments": []}\n{"id": "',
            "a line",
        ),
        ("value.json.gz", b'{"tickets": [{"id": 1, "description": "', "a single value"),
    ],
)
def test_a_small_archive_inflating_to_a_1_gb_line_stays_bounded(tmp_path, name, prefix, words):
    path = tmp_path / name
    _inflating(path, prefix, 1 << 30)
    assert path.stat().st_size < 2 << 20  # about 1 MB on disk
    db = tmp_path / "bounded.db"
    script = (
        "import sys\n"
        "from review.store import open_store\n"
        "from review.importing.run import import_files\n"
        "from review.progress import run_to_end\n"
        "open_store(sys.argv[1]).close()\n"
        "report = run_to_end(import_files(sys.argv[1], [sys.argv[2]]))\n"
        "print(report.files[0].error)\n"
        # VmHWM: this process's own peak (ru_maxrss would include the test runner's, forked)
        "status = open('/proc/self/status').read()\n"
        "print(int(status.split('VmHWM:')[1].split()[0]) // 1024)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(db), str(path)],
        capture_output=True,
        text=True,
        check=True,
    )
    error, peak_mb = done.stdout.strip().splitlines()
    limit = limits.MAX_LINE if "line" in words else limits.MAX_VALUE
    assert f"longer than {limit >> 20} MB" in error and words in error
    assert int(peak_mb) < 400


def test_a_zip_is_opened_once_whatever_its_members(tmp_path, db_path, monkeypatch):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for n in range(300):
            archive.writestr(
                f"tickets/{n:04}.json", _ticket_json().replace(b"77", str(n + 1).encode())
            )
    path = tmp_path / "many.zip"
    path.write_bytes(buffer.getvalue())
    opened = []
    real_init = zipfile.ZipFile.__init__

    def counting_init(self, file, *args, **kwargs):
        opened.append(file)
        real_init(self, file, *args, **kwargs)

    monkeypatch.setattr(zipfile.ZipFile, "__init__", counting_init)
    report = import_paths(db_path, path)
    assert sum(f.added for f in report.files) == 300
    assert len([f for f in opened if str(f) == str(path)]) == 1


def test_a_json_line_holding_a_raw_next_line_character_is_still_json_lines(db_path, tmp_path):
    # U+0085 and U+2028 are line breaks to str.splitlines(), but JSON may hold them raw in a
    # string: found by the Zendesk property test
    lines = [
        {"id": n, "requester_id": 1, "via": {"channel": "email"},
         "url": f"https://acme.zendesk.com/api/v2/tickets/{n}.json",
         "comments": [{"id": n * 10, "author_id": 1, "created_at": "2001-01-01T00:00:00Z",
                       "plain_body": "a\x85b\u2028c"}]}
        for n in (1, 2)
    ]  # fmt: skip
    path = tmp_path / "export.json"
    path.write_text("\n".join(json.dumps(t, ensure_ascii=False) for t in lines) + "\n")
    report = import_paths(db_path, path)
    assert report.files[0].error is None and report.files[0].format == "zendesk-ndjson"
    assert stored_rows(db_path, "select body_text from messages order by id") == [
        ("a\x85b\u2028c",),
        ("a\x85b\u2028c",),
    ]
