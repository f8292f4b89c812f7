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
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import BinaryIO

from review.errors import ImportFailed

# Legacy encodings tried when a file has no BOM and is not UTF-8, in the order ties go:
# Chinese (simplified, which GB18030 extends to all of Unicode, and traditional), Russian, and
# Western European Excel. Trying every codec there is makes short files guess wildly.
LEGACY_ENCODINGS = ("gb18030", "big5", "cp1251", "cp1252")
DELIMITERS = (",", ";", "\t")
SAMPLE_BYTES = 256 * 1024  # what encoding and delimiter detection look at
_SAMPLE_RECORDS = 50
_ESCAPED = re.compile("[\udc80-\udcff]")
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
_LINE_BREAK = re.compile("[\r\n]")
_WORD = re.compile(r"[^\W\d_]{2,}")

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


def detect_encoding(sample: bytes, *, complete: bool) -> str | None:
    """The Python codec that decodes `sample` (the start of a file), or None when unsure.

    `complete` says the sample is the whole file (else its last character may be cut).
    """
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        return None  # UTF-32: no spreadsheet writes it and the UTF-16 test below would misread it
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16" if _decodes(sample, "utf-16", complete) else None
    if b"\x00" in sample:
        return _utf16_without_bom(sample, complete)
    if _decodes(sample, "utf-8", complete):
        return "utf-8"
    return _legacy_encoding(sample, complete)


def _decodes(sample: bytes, encoding: str, complete: bool) -> bool:
    decoder = codecs.getincrementaldecoder(encoding)()
    try:
        decoder.decode(sample, final=complete)
    except UnicodeDecodeError:
        return False
    return True


def _utf16_without_bom(sample: bytes, complete: bool) -> str | None:
    # In UTF-16 text of a CSV the delimiters, digits and line ends are ASCII: one zero byte in
    # their pair, on the odd side for little-endian and the even side for big-endian. The
    # decoded text must then hold a line break and no other control characters, which a
    # binary file or a UTF-8 file with a stray NUL never does.
    even = sample[0::2].count(0)
    odd = sample[1::2].count(0)
    for zeros, others, encoding in ((odd, even, "utf-16-le"), (even, odd, "utf-16-be")):
        if zeros and others <= zeros // 10:
            data = sample if complete else sample[: len(sample) // 2 * 2]
            decoder = codecs.getincrementaldecoder(encoding)()
            try:
                text = decoder.decode(data, final=complete)
            except UnicodeDecodeError:
                return None
            if _CONTROL.search(text) or not _LINE_BREAK.search(text):
                return None
            return encoding
    return None


def _legacy_encoding(sample: bytes, complete: bool) -> str | None:
    """The legacy codec whose reading of `sample` looks most like real text, or None.

    Every candidate must decode the sample strictly and pass `_plausible`; among those the
    one whose non-ASCII characters are most often the common ones of its language wins
    (ties go to the earlier of LEGACY_ENCODINGS). GB18030 and Big5 both accept many of each
    other's byte pairs, and a general-purpose guesser took short GB18030 files for Big5.
    """
    if not complete and b"\n" in sample:
        sample = sample[: sample.rindex(b"\n") + 1]  # no cut multibyte character at the end
    best: tuple[float, int, str] | None = None
    for order, encoding in enumerate(LEGACY_ENCODINGS):
        try:
            text = sample.decode(encoding)
        except UnicodeDecodeError:
            continue
        if not _plausible(text):
            continue
        score = _common_share(text, encoding)
        if score >= 0.6 and (best is None or (score, -order) > (best[0], best[1])):
            best = (score, -order, encoding)
    return best[2] if best else None


def _common_share(text: str, encoding: str) -> float:
    """The share of non-ASCII characters that are everyday ones for `encoding`'s language:
    GB2312's frequent characters and symbol rows for GB18030 (simplified Chinese, with
    Cyrillic and Greek), Big5's frequent characters and symbols for Big5, Cyrillic words for
    Windows-1251, Latin ones for Windows-1252."""
    wide = [char for char in text if ord(char) > 127 and not char.isspace()]
    if not wide:
        return 1.0
    if encoding == "gb18030":
        # a GB18030 file may hold traditional characters too: those are frequent in Big5
        good = sum(1 for char in wide if _gb2312_frequent(char) or _big5_frequent(char))
    elif encoding == "big5":
        good = sum(1 for char in wide if _big5_frequent(char))
    else:
        script = "CYRILLIC" if encoding == "cp1251" else "LATIN"
        good = sum(1 for char in wide if char in _EVERYDAY_SYMBOLS)
        for word in _WORD.findall(text):
            scripts = {unicodedata.name(c, "").split(" ")[0] for c in word}
            # a word of one script, cased as words are (no "йtй" from French read as 1251,
            # no "ЋМ" from Chinese read as 1251)
            if scripts == {script} and (word.islower() or word.istitle() or word.isupper()):
                good += sum(1 for c in word if ord(c) > 127)
    return good / len(wide)


_EVERYDAY_SYMBOLS = set("«»–—…№“”‘’„€₽£°±×·")


def _gb2312_frequent(char: str) -> bool:
    """In GB2312's symbol, Cyrillic, Greek and kana rows (A1A1-A9FE) or its 3,755 frequent
    characters (B0A1-D7F9). Russian read from Windows-1251 as GB18030 lands in the less
    frequent characters (lead bytes D8-F7), real Chinese text seldom does."""
    try:
        code = int.from_bytes(char.encode("gb2312"), "big")
    except UnicodeEncodeError:
        return False
    return 0xA1A1 <= code <= 0xA9FE or 0xB0A1 <= code <= 0xD7F9


def _big5_frequent(char: str) -> bool:
    """In Big5's symbols (A140-A3BF), frequent characters (A440-C67E) or its Cyrillic and
    kana rows (C6A1-C8FE); not in the less frequent characters, which GB18030 bytes read
    as Big5 land in half the time."""
    try:
        code = int.from_bytes(char.encode("big5"), "big")
    except UnicodeEncodeError:
        return False
    return 0xA140 <= code <= 0xA3BF or 0xA440 <= code <= 0xC67E or 0xC6A1 <= code <= 0xC8FE


def _pairs(word: str):
    return zip(word, word[1:], strict=False)


def _plausible(text: str) -> bool:
    """Text decoded with the right legacy codec is mostly letters where it is not ASCII;
    the wrong codec (Shift-JIS read as Windows-1251) gives runs of quotes, daggers and
    dashes, which a scorer alone may let through on short, mostly ASCII files."""
    wide = [char for char in text if ord(char) > 127]
    if not wide:
        return True
    letters = sum(1 for char in wide if unicodedata.category(char)[0] == "L")
    if letters / len(wide) < 0.75:
        return False
    # Chinese bytes read as Windows-1251 give words like "ДгєГ": lower then upper case inside
    # a word, which real Russian (or French) text almost never has.
    words = [w for w in _WORD.findall(text) if any(ord(c) > 127 for c in w)]
    odd = sum(1 for w in words if any(a.islower() and b.isupper() for a, b in _pairs(w)))
    return not words or odd / len(words) <= 0.2


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
