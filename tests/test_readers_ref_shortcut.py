"""A dependency text that is one of the document's keys and nothing else, or a unit word and a number
(`Session 12`), is read without the reference parser (syncbot/readers/ref_shortcut.py): what it gives must be
what the full reading gives."""

from __future__ import annotations

import pytest

from syncbot.readers.key_index import KeyIndex
from syncbot.readers.ref_shortcut import single_key, unit_word_key
from syncbot.readers.refs import Refs, _parse_refs, parse_refs

KEYS = ["T00001", "T00002", "US1", "parallel2", "Phase3", "2d", "T-4", "T5"]
CONTAINERS = {"Phase 3": ["T00001"], "US1": ["T00002"], "Setup": ["T5"]}


def _fields(r: Refs) -> tuple[object, ...]:
    return (r.keys, r.explicit_none, r.unknown, r.inverse, r.external)


@pytest.mark.parametrize("text", [*KEYS, "T00003", "t00001", "T00001 ", "T5x", "T00001, T00002"])
@pytest.mark.parametrize("current", [None, "T00001", "T5"])
@pytest.mark.parametrize("foreign_ids", [False, True])
def test_the_shortcut_reads_as_the_parser_does(text: str, current: str | None, foreign_ids: bool) -> None:
    index = KeyIndex(KEYS, CONTAINERS)
    full = _parse_refs(text, index, current, foreign_ids, False, False)
    assert _fields(parse_refs(text, index, current, foreign_ids)) == _fields(full)


def test_only_a_plain_key_as_written_takes_the_shortcut() -> None:
    index = KeyIndex(KEYS, CONTAINERS)
    assert single_key("T00001", index) and single_key("T5", index)
    # not a key as written, no letter first, a separator, a word of parallel work, a container's name
    for text in ("t00001", "T00003", "2d", "T-4", "parallel2", "US1", "T00001 "):
        assert not single_key(text, index), text


# indexes a `Session N` text meets: plain numbers, numbers beside containers named like units, keys that carry
# the word, keys a number names only in a shorter form
INDEXES = {
    "numbers": (["1", "2", "3", "12", "40"], {}),
    "containers": (["1", "2", "3", "12"], {"Phase 3": ["1", "2"], "Session 12": ["3"], "Sprint 2": ["12"]}),
    "worded": (["Session 1", "Session 2", "Step 3"], {}),
    "prefixed": (["S-01", "S-02", "T12"], {}),
}
WORDED = [
    "Session 12",
    "session 2",
    "Sessions 3",
    "Step 3",
    "Phase 3",
    "Sprint 2",
    "Task 40",
    "Milestone 1",
    "Part 2",
    "Stage 12",
    "work packet 3",
    "Session 99",
    "Session 1",
    "Session 01",
    "May 12",
    "Python 3",
    "Release 2",
    "Sessions 1",
    "Session  1",
    "Session 12 ",
    "Session 12a",
    "Step 3h",
    "Task 2 weeks",
]


@pytest.mark.parametrize("name", INDEXES)
@pytest.mark.parametrize("text", WORDED)
@pytest.mark.parametrize("current", [None, "1", "3", "Session 1"])
@pytest.mark.parametrize("foreign_ids", [False, True])
def test_a_unit_word_and_a_number_read_as_the_parser_reads_them(
    name: str, text: str, current: str | None, foreign_ids: bool
) -> None:
    index = KeyIndex(*INDEXES[name])
    full = _parse_refs(text, index, current, foreign_ids, False, False)
    assert _fields(parse_refs(text, index, current, foreign_ids)) == _fields(full)


def test_only_a_unit_word_and_a_number_that_names_a_key_take_the_shortcut() -> None:
    index = KeyIndex(*INDEXES["numbers"])
    assert unit_word_key("Session 12", index) == "12" and unit_word_key("step 3", index) == "3"
    # no unit word, no such key, more than a number, a container's name
    for text in ("May 12", "Python 3", "Session 99", "Session 12a", "Session 12 ", "12"):
        assert unit_word_key(text, index) is None, text
    assert unit_word_key("Session 12", KeyIndex(*INDEXES["containers"])) is None
