"""What an import reads: plain files, `.gz` files, members of `.zip` files, and folders of them.

Each becomes an Entry that opens a binary stream and tells how far into it the reader is, so
a 1 GB export streams with a progress bar and never sits in memory whole.
"""

from __future__ import annotations

import gzip
import io
import os
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from review.errors import ImportFailed

HEAD_BYTES = 64 * 1024


class CountingReader(io.RawIOBase):
    """Wraps a binary stream and counts the bytes read from it (for progress)."""

    def __init__(self, raw: BinaryIO):
        self.raw = raw
        self.count = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        readinto = getattr(self.raw, "readinto", None)
        if readinto is not None:  # straight into the caller's buffer: no copy
            n = readinto(buffer) or 0
        else:
            data = self.raw.read(len(buffer))
            n = len(data)
            buffer[:n] = data
        self.count += n
        return n

    def close(self) -> None:
        self.raw.close()
        super().close()


@dataclass
class Entry:
    """One export inside what the user named. `name` is shown to the user (path or zip!member)."""

    name: str
    size: int  # bytes, the unit of progress
    _open: Callable[[], tuple[BinaryIO, CountingReader]]
    # found by walking a folder rather than named: a stray non-export is skipped, not refused
    found_in_folder: bool = False
    # set when the file cannot even be opened (a damaged zip): reported as that file's failure
    error: str | None = None

    def open(self) -> tuple[BinaryIO, CountingReader]:
        """(decoded binary stream, counter whose .count grows towards .size as it is read).

        A UTF-8 byte order mark at the start is dropped: readers see the text after it.
        """
        stream, counter = self._open()
        return _without_bom(stream), counter

    def head(self, n: int = HEAD_BYTES) -> bytes:
        """The first `n` bytes of the decoded stream, for format detection."""
        stream, _ = self.open()
        try:
            return stream.read(n)
        finally:
            stream.close()


def expand(paths: list[str | os.PathLike]) -> list[Entry]:
    """Entries for every export the user named: folders are walked, archives opened.

    Raises ImportFailed for a path that does not exist. An archive that cannot be read becomes
    one Entry with `error` set, so the other files still import.
    """
    entries: list[Entry] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if child.is_file() and not any(
                    part.startswith(".") for part in child.relative_to(path).parts
                ):
                    for entry in _file_entries(child):
                        entry.found_in_folder = True
                        entries.append(entry)
        elif path.is_file():
            entries.extend(_file_entries(path))
        elif path.exists():
            raise ImportFailed(str(path), "not a regular file or folder")
        else:
            raise ImportFailed(str(path), "no such file or folder")
    return entries


def _file_entries(path: Path) -> Iterator[Entry]:
    name = path.name.lower()
    size = path.stat().st_size
    if name.endswith(".zip"):
        yield from _zip_entries(path)
    elif name.endswith(".gz"):

        def open_gz() -> tuple[BinaryIO, CountingReader]:
            counter = CountingReader(open(path, "rb"))  # noqa: SIM115 - closed by the caller
            return gzip.GzipFile(fileobj=io.BufferedReader(counter)), counter

        yield Entry(str(path), size, open_gz)
    else:

        def open_plain() -> tuple[BinaryIO, CountingReader]:
            counter = CountingReader(open(path, "rb"))  # noqa: SIM115 - closed by the caller
            return io.BufferedReader(counter, buffer_size=1 << 20), counter

        yield Entry(str(path), size, open_plain)


def _zip_entries(path: Path) -> Iterator[Entry]:
    # One ZipFile for every member: opening the archive again per member reads its whole
    # central directory each time, which made a zip of 4,000 members quadratic.
    try:
        archive = zipfile.ZipFile(path)
        members = [
            info
            for info in archive.infolist()
            if not info.is_dir()
            and not info.filename.startswith("__MACOSX/")
            and not Path(info.filename).name.startswith(".")
        ]
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        yield Entry(
            str(path), path.stat().st_size, _refuse, error=f"not a readable zip archive ({exc})"
        )
        return
    for info in sorted(members, key=lambda i: i.filename):

        def open_member(info: zipfile.ZipInfo = info) -> tuple[BinaryIO, CountingReader]:
            counter = CountingReader(archive.open(info))
            if info.filename.lower().endswith(".gz"):
                return gzip.GzipFile(fileobj=io.BufferedReader(counter)), counter
            return io.BufferedReader(counter, buffer_size=1 << 20), counter

        yield Entry(f"{path}!{info.filename}", info.file_size, open_member)


def _refuse() -> tuple[BinaryIO, CountingReader]:
    raise ValueError("this entry cannot be opened; its error says why")


def _without_bom(stream: BinaryIO) -> BinaryIO:
    buffered = stream if isinstance(stream, io.BufferedReader) else io.BufferedReader(stream)
    if buffered.peek(3)[:3] == b"\xef\xbb\xbf":
        buffered.read(3)
    return buffered
