"""Fuzzing of detection and every reader: mutated real samples, our fixtures and random bytes.

Whatever the bytes, an import ends with each file landed, skipped or refused in one sentence
that names it; nothing but savedesk's own errors may escape, and no refusal may be one that
savedesk did not foresee (`unexpected`, a reader's bug). The normal suite runs a few
derandomized examples; `make fuzz` runs many more (SAVEDESK_FUZZ_EXAMPLES).
"""

from __future__ import annotations

import gzip
import io
import os
import tempfile
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from review.importing.formats import Head, all_formats, detect
from review.importing.run import import_files
from review.progress import run_to_end
from tests.conftest import DATA, SAMPLES, new_store

EXAMPLES = int(os.environ.get("SAVEDESK_FUZZ_EXAMPLES", "25"))
FUZZ = settings(
    max_examples=EXAMPLES,
    derandomize=not os.environ.get("SAVEDESK_FUZZ_EXAMPLES"),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    database=None,
)
_MAX_SEED = 40_000  # bytes of each seed kept: mutations of a small file find the same faults


def _seeds() -> list[bytes]:
    folders = [DATA]
    if SAMPLES.is_dir():
        folders.append(SAMPLES)
    found = []
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            if path.is_file() and path.suffix in (".json", ".jsonl", ".ndjson", ".csv"):
                found.append(path.read_bytes()[:_MAX_SEED])
    return found


SEEDS = _seeds()
FORMATS = ["auto", *(f.name for f in all_formats())]

_NASTY = [
    b'"\\ud800"',
    b"\xed\xa0\x80",
    b"\xff\xfe\xfd",
    b"\xef\xbb\xbf",
    b"[" * 3000,
    b'{"a":' * 2000,
    b"\x00",
    b"9" * 400,
    b"\r\n",
    b'","',
    b"NaN",
    b"1e999",
    b"-0",
    b"null",
    b"{}",
    b"[]",
    "\u2028 中文 Привет".encode(),
]


@st.composite
def mutated(draw) -> bytes:
    data = bytearray(draw(st.sampled_from(SEEDS)))
    for _ in range(draw(st.integers(0, 4))):
        at = draw(st.integers(0, len(data)))
        op = draw(st.sampled_from(["flip", "cut", "insert", "nasty", "truncate", "dup"]))
        if op == "flip" and data:
            at = min(at, len(data) - 1)
            data[at] ^= draw(st.integers(1, 255))
        elif op == "cut":
            del data[at : at + draw(st.integers(1, 200))]
        elif op == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=20))
        elif op == "nasty":
            data[at:at] = draw(st.sampled_from(_NASTY))
        elif op == "truncate":
            del data[at:]
        elif op == "dup":
            data[at:at] = data[at : at + draw(st.integers(1, 500))]
    return bytes(data)


inputs = st.one_of(mutated(), st.binary(max_size=300))


def _wrap(data: bytes, how: str, folder: Path) -> Path:
    if how == "plain":
        path = folder / "export.json"
        path.write_bytes(data)
    elif how == "gz":
        path = folder / "export.json.gz"
        packed = gzip.compress(data)
        path.write_bytes(packed[: max(10, len(packed) * 3 // 4)] if len(data) % 3 == 0 else packed)
    else:
        path = folder / "export.zip"
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("a/export.json", data)
            archive.writestr("b/export.csv", data[::-1])
        path.write_bytes(buffer.getvalue())
    return path


@pytest.fixture(scope="module")
def fuzz_db(tmp_path_factory, _migrated_template) -> Path:
    return new_store(tmp_path_factory.mktemp("fuzz"), "fuzz.db", _migrated_template, keep=True)


def test_there_are_seeds():
    assert len(SEEDS) >= 10


@FUZZ
@given(
    data=inputs, format_name=st.sampled_from(FORMATS), how=st.sampled_from(["plain", "gz", "zip"])
)
def test_any_bytes_land_or_are_refused_in_one_sentence(data, format_name, how, fuzz_db, tmp_path):
    folder = Path(tempfile.mkdtemp(dir=tmp_path))
    path = _wrap(data, how, folder)
    report = run_to_end(import_files(fuzz_db, [path], format=format_name))
    for f in report.files:
        assert not f.unexpected, f.error
        if f.error:
            assert "\n" not in f.error
            assert f.path.split("!")[0].endswith(path.name) and f.path in f.error
        for r in f.rejected:
            assert "\n" not in r.problem


@FUZZ
@given(data=inputs)
def test_detection_never_raises(data):
    detect(Head("export.json", data))
