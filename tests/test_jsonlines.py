"""NDJSON lines parse to exactly what the standard json module gives, faster (orjson) or not."""

from __future__ import annotations

import json
import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from review.importing.jsonlines import loads_line

_scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text()
)
_values = st.recursive(
    _scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20,
)


def _same(a, b) -> bool:
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a):
        return math.isnan(b)
    if type(a) is not type(b):
        return False
    if isinstance(a, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict):
        return list(a) == list(b) and all(_same(a[k], b[k]) for k in a)
    return a == b


@given(_values)
def test_every_value_parses_as_the_standard_module_parses_it(value):
    line = (json.dumps(value) + "\n").encode("utf-8")
    assert _same(loads_line(line), json.loads(line))


@pytest.mark.parametrize(
    "line",
    [
        b'{"id": 123456789012345678901234567890}',  # past 64 bits: stays an exact int
        b'{"id": 18446744073709551615}',  # the largest unsigned 64-bit int
        b'{"score": NaN, "top": Infinity}',
        b'{"body": "\\ud83d alone"}',  # a lone surrogate escape
        b'{"a": 1, "a": 2}',  # a repeated key: the last wins
        '{"body": "退款 отмена"}'.encode("utf-16"),  # not UTF-8: json detects the encoding
    ],
)
def test_lines_orjson_would_read_differently_get_the_standard_result(line):
    assert _same(loads_line(line), json.loads(line))


@pytest.mark.parametrize("line", [b'{"id": 1,', b"[1, 2", b"\xff\xfe{", b"{'a': 1}"])
def test_a_broken_line_raises_the_standard_modules_error(line):
    with pytest.raises(ValueError) as ours:
        loads_line(line)
    with pytest.raises(ValueError) as standard:
        json.loads(line)
    assert str(ours.value) == str(standard.value)


def test_deep_nesting_raises_recursion_error_as_json_does():
    line = b"[" * 100_000 + b"]" * 100_000
    with pytest.raises(RecursionError):
        loads_line(line)
