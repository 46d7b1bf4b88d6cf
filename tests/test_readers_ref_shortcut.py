"""A dependency text that is one of the document's keys and nothing else is read without the reference
parser (syncbot/readers/ref_shortcut.py): what it gives must be what the full reading gives."""

from __future__ import annotations

import pytest

from syncbot.readers.key_index import KeyIndex
from syncbot.readers.ref_shortcut import single_key
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
