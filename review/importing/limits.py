"""Bounds on hostile input: no line of an export may be longer than `MAX_LINE` bytes, and no
text or number in a JSON document longer than `MAX_VALUE`, however far a small archive
inflates.

A JSON document is read as a stream, so only one value at a time sits in memory; but a parser
holds a whole string (or number) token, and a line reader a whole line. A 1 MB .gz that
inflates to a 1 GB line would otherwise take gigabytes. The guards below watch the bytes as
they pass and refuse the file, with one sentence, once a run without a line end (line readers)
or without a quote or line end (JSON documents, where a token cannot span a quote) grows
past its limit.
"""

from __future__ import annotations

import io
from typing import BinaryIO, cast

from review.errors import ImportFailed

MAX_LINE = 64 * 1024 * 1024
"""The longest line savedesk reads (64 MiB); a longer one refuses the file."""

MAX_VALUE = 16 * 1024 * 1024
"""The longest text or number in a JSON document savedesk reads (16 MiB). The streaming parser
takes time in the square of one value's length (64 MiB would take 20 s); real message bodies
are a few kilobytes."""


class _RunGuard(io.RawIOBase):
    """A binary stream that refuses to pass a run of more than `limit` bytes holding none of
    `ends` (the bytes that end a line or a token)."""

    def __init__(
        self,
        raw: BinaryIO,
        name: str,
        ends: tuple[bytes, ...],
        what: str,
        limit: int,
    ):
        self.raw = raw
        self.limit = limit
        self.name = name
        self.ends = ends
        self.what = what
        self.run = 0  # bytes since the last end byte

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        # every binary stream savedesk opens (files, gzip, zip members) has readinto
        n = cast(io.BufferedIOBase, self.raw).readinto(buffer) or 0
        data = memoryview(buffer)[:n]
        last = max(_rfind(data, end) for end in self.ends) if n else -1
        self.run = n - 1 - last if last >= 0 else self.run + n
        if self.run > self.limit:
            raise ImportFailed(
                self.name,
                f"it holds {self.what} longer than {self.limit >> 20} MB, more than savedesk reads "
                "(is it really an export?)",
            )
        return n

    def close(self) -> None:
        self.raw.close()
        super().close()


def _rfind(data: memoryview, end: bytes) -> int:
    """Where `end` last occurs in `data` (-1: nowhere), copying only the tail when it is there
    (lines are short: nearly every read has a line end in its last 64 kB)."""
    tail = max(0, len(data) - 65536)
    found = bytes(data[tail:]).rfind(end)
    if found >= 0:
        return tail + found
    return bytes(data[:tail]).rfind(end) if tail else -1


def guard_lines(stream: BinaryIO, name: str) -> BinaryIO:
    """`stream` for a line reader (NDJSON, CSV): a line over MAX_LINE refuses the file."""
    guard = _RunGuard(stream, name, (b"\n",), "a line", MAX_LINE)
    return io.BufferedReader(guard, buffer_size=1 << 20)


def guard_json(stream: BinaryIO, name: str) -> BinaryIO:
    """`stream` for a streaming JSON parser: a text or number over MAX_VALUE refuses the file."""
    guard = _RunGuard(stream, name, (b'"', b"\n"), "a single value", MAX_VALUE)
    return io.BufferedReader(guard, buffer_size=1 << 16)


def json_error_text(exc: BaseException) -> str:
    """A parser's complaint in one line of words: yajl's message is bytes spread over three
    lines with an arrow under the place; the first line says what is wrong."""
    text = exc.args[0] if exc.args else str(exc)
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    first = str(text).strip().splitlines()[0] if str(text).strip() else type(exc).__name__
    return first.rstrip(".")


MAX_DEPTH = 512
"""The deepest JSON nesting savedesk reads; real exports nest fewer than 20 levels."""

_CHUNK = 4096  # small reads keep a parser's work per read small even on hostile nesting


class TooDeep(ValueError):
    """JSON nested deeper than MAX_DEPTH."""


def parse_events(source, **kwargs):
    """ijson's (prefix, event, value) events of `source` (bytes or a binary stream), refusing
    nesting deeper than MAX_DEPTH with TooDeep.

    ijson builds a dotted prefix for every event, so a thousand-level nesting costs it the
    square of the depth in memory for one read; reading small chunks and counting the depth
    here stops such a file after a few kilobytes.
    """
    import ijson

    if isinstance(source, bytes | bytearray):
        source = io.BytesIO(source)
    depth = 0
    for prefix, event, value in ijson.parse(source, buf_size=_CHUNK, **kwargs):
        if event == "start_map" or event == "start_array":
            depth += 1
            if depth > MAX_DEPTH:
                raise TooDeep(f"the JSON nests deeper than {MAX_DEPTH} levels")
        elif event == "end_map" or event == "end_array":
            depth -= 1
        yield prefix, event, value
