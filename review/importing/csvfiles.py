"""CSV files as helpdesks and spreadsheets write them: any of our encodings, `,` `;` or tab.

`open_csv` turns a binary stream into a header and a stream of rows without reading the whole
file: it looks at the first bytes to choose the encoding and the delimiter, then decodes as it
goes. `csv_head` does the same on a Head for format sniffers. Encodings, in the order tried:
a BOM (UTF-8, UTF-16 LE/BE); UTF-16 without BOM (told by its zero bytes); UTF-8; then the
legacy encodings exports really arrive in, each scored on how everyday its reading's
characters are (a general-purpose guesser took short GB18030 files for Big5, silently).
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import BinaryIO

from review.errors import ImportFailed
from review.importing.csv_encoding import (
    detect_encoding,
)

DELIMITERS = (",", ";", "\t")
SAMPLE_BYTES = 256 * 1024  # what encoding and delimiter detection look at
_SAMPLE_RECORDS = 50
_ESCAPED = re.compile("[\udc80-\udcff]")

_LABELS = {
    "utf-8": "UTF-8",
    "utf-8-sig": "UTF-8 with BOM",
    "utf-16": "UTF-16 with BOM",
    "utf-16-le": "UTF-16 LE",
    "utf-16-be": "UTF-16 BE",
    "gb18030": "GB18030",
    "big5": "Big5",
    "cp1251": "Windows-1251",
    "cp1252": "Windows-1252",
}


def _raise_field_limit() -> None:
    # One message body can be megabytes (pasted logs); the default limit is 128 KiB.
    limit = sys.maxsize
    while True:
        try:
            csv.field_size_limit(limit)
            return
        except OverflowError:
            limit //= 2


_raise_field_limit()


@dataclass(frozen=True)
class CsvRow:
    """One record: `line` is the line of the file where it starts (1-based, header is line 1
    in a plain file), `values` its fields as text."""

    line: int
    values: list[str]
    problem: str | None = None  # set when the row cannot be read; `values` is then empty

    def fields(self, columns: list[str]) -> dict[str, str] | None:
        """{column: value} (missing trailing fields as ""), or None when the row has more
        fields than there are columns (a stray delimiter has shifted it)."""
        if len(self.values) > len(columns):
            extra = self.values[len(columns) :]
            if any(value.strip() for value in extra):
                return None
        values = self.values + [""] * (len(columns) - len(self.values))
        return dict(zip(columns, values, strict=False))


def unique_names(header: list[str]) -> list[str]:
    """Column names made unique ("Tags", "Tags (2)") so no column hides another; an untitled
    column is called "column N" (1-based)."""
    seen: dict[str, int] = {}
    names = []
    for number, name in enumerate(header, 1):
        name = name or f"column {number}"
        seen[name] = seen.get(name, 0) + 1
        names.append(name if seen[name] == 1 else f"{name} ({seen[name]})")
    return names


@dataclass(frozen=True)
class CsvShape:
    """What detection found: Python codec name, delimiter, the header's column names, and the
    share of sampled rows as wide as the header (1.0 for a tidy table, low for prose)."""

    encoding: str
    delimiter: str
    header: list[str]
    steady: float = 1.0

    @property
    def encoding_label(self) -> str:
        """The encoding as people name it ("UTF-16 LE", "Windows-1251")."""
        return _LABELS.get(self.encoding, self.encoding)


def _sample_records(text: str, delimiter: str, complete: bool) -> list[list[str]]:
    records = []
    try:
        for record in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
            if any(field.strip() for field in record):
                records.append(record)
            if len(records) > _SAMPLE_RECORDS:
                break
        else:
            if not complete and records:
                records.pop()  # the sample may cut the last record short
    except csv.Error:
        return []
    return records


def _steadiness(records: list[list[str]]) -> float:
    width = len(records[0])
    body = records[1:]
    return sum(1 for r in body if len(r) == width) / len(body) if body else 1.0


def detect_delimiter(text: str, *, complete: bool) -> str:
    """`,` `;` or tab: the one that splits the header most, into rows that keep its width."""
    best, best_score = ",", (False, 0.0, 0)
    for delimiter in DELIMITERS:
        records = _sample_records(text, delimiter, complete)
        if not records:
            continue
        width = len(records[0])
        score = (width > 1, _steadiness(records), width)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _excel_separator(text: str) -> tuple[str | None, str]:
    """Excel's optional first line "sep=;": (its delimiter, the text after it) or (None, text)."""
    first, newline, rest = text.partition("\n")
    stripped = first.strip().lstrip("\ufeff")
    if stripped.lower().startswith("sep=") and len(stripped) == 5 and newline:
        return stripped[4], rest
    return None, text


def _decode_sample(sample: bytes, encoding: str) -> str:
    decoder = codecs.getincrementaldecoder(encoding)(errors="ignore")
    return decoder.decode(sample, final=False).lstrip("\ufeff")


def _shape_of(sample: bytes, complete: bool) -> CsvShape | None:
    encoding = detect_encoding(sample, complete=complete)
    if encoding is None:
        return None
    text = _decode_sample(sample, encoding)
    delimiter, text = _excel_separator(text)
    if delimiter is None:
        delimiter = detect_delimiter(text, complete=complete)
    records = _sample_records(text, delimiter, complete)
    if not records:  # one record, perhaps cut short: still the header
        records = _sample_records(text, delimiter, complete=True)
    if not records:
        return CsvShape(encoding, delimiter, [], 0.0)
    return CsvShape(encoding, delimiter, _clean_header(records[0]), _steadiness(records))


def _clean_header(record: list[str]) -> list[str]:
    return [name.strip().lstrip("\ufeff").strip() for name in record]


@lru_cache(maxsize=8)
def _cached_head_shape(data: bytes, complete: bool) -> CsvShape | None:
    return _shape_of(data, complete)


def csv_head(data: bytes, *, complete: bool = False) -> CsvShape | None:
    """Encoding, delimiter and header of a file from its first bytes (for sniffers), or None
    when the encoding cannot be told or the bytes are plainly not text. Cached: every CSV
    sniffer asks about the same head."""
    if not data.strip():
        return None
    return _cached_head_shape(data, complete)


class _Prefixed(io.RawIOBase):
    """The bytes already read for detection, then the rest of the stream."""

    def __init__(self, prefix: bytes, rest: BinaryIO):
        self._prefix = memoryview(prefix)
        self._rest = rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        if self._prefix:
            n = min(len(buffer), len(self._prefix))
            buffer[:n] = self._prefix[:n]
            self._prefix = self._prefix[n:]
            return n
        data = self._rest.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


class CsvFile:
    """A CSV file being read: `shape` (encoding, delimiter, header) and its rows, streamed."""

    def __init__(self, stream: BinaryIO, name: str):
        self.name = name
        sample = _read_sample(stream)
        complete = len(sample) < SAMPLE_BYTES
        shape = _shape_of(sample, complete)
        if shape is None:
            raise ImportFailed(
                name,
                "cannot tell the text encoding of this CSV file (savedesk reads UTF-8, UTF-16, "
                "GB18030, Big5, Windows-1251 and Windows-1252); save it as UTF-8 and import it "
                "again",
            )
        self.shape = shape
        self._text = io.TextIOWrapper(
            io.BufferedReader(_Prefixed(sample, stream), buffer_size=1 << 16),
            encoding=shape.encoding,
            errors="surrogateescape",
            newline="",
        )

    @property
    def header(self) -> list[str]:
        """Column names as written in the file's first row (spaces around them dropped)."""
        return self.shape.header

    def rows(self) -> Iterator[CsvRow]:
        """Every data row after the header, blank rows skipped. A row holding bytes that are
        not valid in the file's encoding, or that csv cannot parse, comes with `problem` set
        (the importers reject it and go on)."""
        undecodable: list[int] = []

        def lines() -> Iterator[str]:
            # Decoding with surrogateescape turns bad bytes into lone surrogates: the row that
            # holds them is known exactly, where a strict decoder fails a whole chunk ahead.
            for line in self._text:
                if _ESCAPED.search(line):
                    undecodable.append(1)
                if "\x00" in line:  # PostgreSQL refuses a NUL: U+FFFD on both engines
                    line = line.replace("\x00", "\ufffd")
                yield line

        reader = csv.reader(lines(), delimiter=self.shape.delimiter)
        ended = 0
        header_seen = False
        while True:
            try:
                record = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                start, ended = ended + 1, reader.line_num
                yield CsvRow(start, [], problem=f"not readable as CSV ({exc})")
                continue
            start, ended = ended + 1, reader.line_num
            if not any(field.strip() for field in record):
                continue
            if not header_seen:  # the header was read from the detection sample already
                header_seen = not _is_excel_separator(record, self.shape.delimiter)
                undecodable.clear()
                continue
            if undecodable:
                undecodable.clear()
                yield CsvRow(
                    start,
                    [],
                    problem=f"the text is not valid {self.shape.encoding_label} here (the "
                    "encoding was told from the start of the file); save the file as UTF-8 "
                    "and import it again",
                )
                continue
            yield CsvRow(start, record)


def _is_excel_separator(record: list[str], delimiter: str) -> bool:
    joined = delimiter.join(record).strip().lstrip("\ufeff").lower()
    return joined.startswith("sep=") and len(joined) == 5


def _read_sample(stream: BinaryIO) -> bytes:
    parts = []
    size = 0
    while size < SAMPLE_BYTES:
        data = stream.read(SAMPLE_BYTES - size)
        if not data:
            break
        parts.append(data)
        size += len(data)
    return b"".join(parts)


def open_csv(stream: BinaryIO, name: str) -> CsvFile:
    """Open a binary stream as CSV: detect its encoding and delimiter and read its header.

    Raises ImportFailed naming the file when the encoding cannot be told.
    """
    return CsvFile(stream, name)
