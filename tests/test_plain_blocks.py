"""Reading headings, paragraphs and list items line by line (syncbot.readers.plain_blocks) gives the structure
markdown-it's tokens give, and anything else is left to markdown-it.

Checked on every tracker the tests and the shared corpora hold, on the constructs that must go to markdown-it,
and on generated documents of lines near the edge of what the scanner takes (indentation around a list
item's content column, ordered items below text, headings with closing marks, Unicode spaces).
"""

from __future__ import annotations

from pathlib import Path
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it.common.utils import MD_TRIM_CHARS

from syncbot.readers import structure
from syncbot.readers.common import Document
from syncbot.readers.plain_blocks import MD_TRIM, read_plain_blocks

HERE = Path(__file__).parent
SHARED = HERE.parent.parent / "shared" / "trackers"


def _view(s: structure.Structure) -> tuple[object, ...]:
    return (s.all_headings, s.items, s.item_paragraphs, s.paragraphs, s.prose_lines, s.code_lines, s.table_lines)


def _both(text: str) -> tuple[tuple[object, ...], tuple[object, ...]] | None:
    """(the structure read line by line, the one from markdown-it's tokens), or None when the scanner declines."""
    doc = Document("t.md", text)
    if read_plain_blocks(doc.text, doc.lines) is None:
        return None
    plain = _view(doc.structure)
    with mock.patch.object(structure, "read_plain_blocks", lambda *_: None):
        tokens = _view(Document("t.md", text).structure)
    return plain, tokens


def _documents() -> list[Path]:
    docs = sorted(p for p in (HERE / "fixtures").rglob("*.md"))
    docs += sorted((HERE / "golden").glob("*.md")) + sorted((HERE.parent / "examples").glob("*.md"))
    for folder in ("seeds", "corpus", "corpus2"):
        docs += sorted((SHARED / folder).glob("*.md"))
    return docs


def test_the_trim_set_is_markdown_its() -> None:
    assert MD_TRIM == MD_TRIM_CHARS


def test_every_tracker_reads_the_same() -> None:
    taken = 0
    for path in _documents():
        both = _both(path.read_text(encoding="utf-8"))
        if both is not None:
            taken += 1
            assert both[0] == both[1], path
    assert taken >= 40  # (48 when this was written: the plain task lists, plans and logs)


def test_a_plain_task_list_is_read_without_markdown_it() -> None:
    text = "# Tasks\n\n## Phase 1\n\n- [ ] T001 Build\n  - [x] T002 Test (depends on T001)\n    more text\n\nA note.\n"
    doc = Document("t.md", text)
    with mock.patch.object(Document, "tokens", property(lambda _: pytest.fail("markdown-it was asked"))):
        s = doc.structure
        assert s.tables == []
    assert [(h.level, h.line, h.text, h.end_line) for h in s.all_headings] == [(1, 1, "Tasks", 9), (2, 3, "Phase 1", 9)]
    items = [(i.line, i.end_line, i.depth, i.parent, i.mark) for i in s.items]
    assert items == [(5, 7, 0, None, " "), (6, 7, 1, 0, "x")]
    assert s.item_paragraphs == [(5, "[ ] T001 Build"), (6, "[x] T002 Test (depends on T001)\nmore text")]
    assert s.paragraphs == [(9, "A note.")]
    assert _both(text) is not None and _both(text)[0] == _both(text)[1]  # type: ignore[index]


@pytest.mark.parametrize(
    "text",
    [
        "a\tb\n",  # a tab
        "a\r\nb\r\n",  # line ends markdown-it normalises
        "a\x0cb\n",  # a break `str.splitlines` takes and markdown-it does not
        "```\n# not a heading\n```\n",
        "> quoted\n",
        "| a | b |\n| - | - |\n",
        "<!-- note -->\n",
        "[a]: https://example.com\n",
        "Title\n---\n",
        "Title\n===\n",
        "***\n",
        "- \n",
        "- # heading in an item\n",
        "- > quote in an item\n",
        "- - nested on one line\n",
        "-      five spaces: indented code\n",
        "text\n2. not a list\n",
        "    indented code\n",
        "  # indented heading\n",
    ],
)
def test_other_constructs_are_left_to_markdown_it(text: str) -> None:
    assert read_plain_blocks(text, Document("t.md", text).lines) is None


_LINES = [
    "",
    "",
    "text",
    "T1 do it",
    "#5 ref",
    "**Status:** done",
    "\u3000",
    "a\u3000 ",
    "\u2003lead",
    "2024. year",
    "1. one",
    "2. two",
    "01. zero-one",
    "10) ten",
    "1) paren",
    "- item",
    "* star",
    "+ plus",
    "- [ ] box",
    "- [x] done ",
    "-    four spaces",
    "# H",
    "## H2 ##",
    "### H #",
    "## #",
    "#  a  #  ",
    "#x",
    "text ",
]


@st.composite
def _document(draw: st.DrawFn) -> str:
    indents = st.sampled_from([0, 0, 0, 1, 2, 2, 3, 3, 4, 5, 6])
    lines = draw(st.lists(st.tuples(indents, st.sampled_from(_LINES)), max_size=14))
    return "\n".join(" " * n + line for n, line in lines) + draw(st.sampled_from(["", "\n"]))


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_document())
def test_generated_documents_read_the_same(text: str) -> None:
    both = _both(text)
    if both is not None:
        assert both[0] == both[1]
