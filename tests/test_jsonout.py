"""`syncbot.jsonout.dumps_indented` is ``json.dumps(data, ensure_ascii=False, indent=2)``, byte for byte."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from syncbot.jsonout import dumps_indented

EXPECTED = sorted((Path(__file__).parent / "fixtures").glob("*/*.json"))  # the fixture sets' expected readings

scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text()
documents = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4),
    max_leaves=30,
)


def _same(data: Any) -> None:
    assert dumps_indented(data) == json.dumps(data, ensure_ascii=False, indent=2)


@given(documents)
def test_any_json_document_encodes_as_json_dumps_does(data: Any) -> None:
    _same(data)


@pytest.mark.parametrize("path", EXPECTED, ids=lambda p: p.name)
def test_every_expected_reading(path: Path) -> None:
    _same(json.loads(path.read_text(encoding="utf-8")))


@pytest.mark.parametrize(
    "data",
    [
        {"a": (1, 2), "b": [("x",)], "c": 'é\n"\\\u2028\x00'},
        [[], {}, [[]], [{}], {"": ""}],
        {"deep": {"deeper": {"deepest": [1, "two", None, True, 2.5]}}},
        ["only", "strings", "é"],
        2**80,
        -0.0,
    ],
)
def test_tuples_nesting_and_odd_values(data: Any) -> None:
    _same(data)


@pytest.mark.parametrize("data", [{1: "a"}, {"n": math.nan}, {"i": [math.inf]}, {"t": True, 2.5: None}])
def test_what_needs_conversion_falls_back_to_json_dumps(data: Any) -> None:
    _same(data)
