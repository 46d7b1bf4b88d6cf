"""The lean table rule (syncbot.readers.fast_table) finds the tables markdown-it's built-in rule finds.

Same tables, same maps (table, thead, tbody, every row), same header cells; every other token unchanged;
every line still covered by an ``inline`` token.  Checked on every seed and corpus tracker and on generated
tables: escaped pipes, rows without outer pipes, short and long rows, tables in lists and blockquotes,
tables ended by a heading, a list item, a fence, a blank line or a dedent.
"""

from __future__ import annotations

import gc
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from markdown_it.token import Token

from syncbot.readers import read_document
from syncbot.readers.common import Document, gc_paused, markdown
from syncbot.readers.structure import tables

HERE = Path(__file__).parent
SEEDS = HERE / "fixtures" / "seeds"
CORPUS = HERE.parent.parent / "shared" / "trackers" / "corpus"


def builtin() -> MarkdownIt:
    """The parser the readers used before: markdown-it's own table rule."""
    return MarkdownIt("commonmark").enable("table").enable("strikethrough").disable("inline")


_BUILTIN = builtin()
_CELL = ("td_open", "td_close")


def _key(t: Token) -> tuple[object, ...]:
    return (t.type, t.tag, t.nesting, t.level, t.map, t.content, t.attrs, t.markup, t.info, t.hidden, t.block)


def _structure(tokens: list[Token]) -> list[tuple[object, ...]]:
    """Tokens without what the lean rule leaves out: the cells of body rows, and the one inline per row it
    writes instead (each body row must then be ``tr_open``, ``tr_close`` with the same map)."""
    out = []
    in_body = False
    for t in tokens:
        if t.type in ("tbody_open", "tbody_close"):
            in_body = t.type == "tbody_open"
        elif in_body and (t.type in _CELL or t.type == "inline"):
            continue
        out.append(_key(t))
    return out


def _inline_lines(tokens: list[Token]) -> set[int]:
    return {n for t in tokens if t.type == "inline" and t.map for n in range(t.map[0], t.map[1])}


def assert_same_tables(text: str) -> None:
    want, got = _BUILTIN.parse(text), markdown().parse(text)
    assert _structure(got) == _structure(want)
    assert _inline_lines(got) == _inline_lines(want)
    # a body row is exactly tr_open, inline (the row's text, its map), tr_close
    in_body = False
    for i, t in enumerate(got):
        if t.type in ("tbody_open", "tbody_close"):
            in_body = t.type == "tbody_open"
        elif in_body and t.type == "tr_open":
            assert t.map is not None
            assert [x.type for x in got[i : i + 3]] == ["tr_open", "inline", "tr_close"]
            assert got[i + 1].map == t.map
    # and the per-row inline tokens are the only difference in size
    assert len(got) <= len(want)
    # what the readers make of them: the same tables, headers, rows and cells
    by_builtin, by_lean = Document("a.md", text), Document("b.md", text)
    by_builtin.__dict__["tokens"], by_lean.__dict__["tokens"] = want, got  # the cached_property's slot
    assert tables(by_lean) == tables(by_builtin)


def _documents() -> list[Path]:
    docs = [*sorted(SEEDS.glob("*.txt")), *sorted((HERE / "golden").glob("*.md"))]
    docs += sorted((HERE.parent / "examples").glob("*.md"))
    if CORPUS.is_dir():
        docs += sorted(CORPUS.glob("*.md"))
    return docs


@pytest.mark.parametrize("path", _documents(), ids=lambda p: p.name)
def test_same_tables_on_trackers(path: Path) -> None:
    assert_same_tables(path.read_text(encoding="utf-8"))


def test_corpus_is_checked_when_present() -> None:
    if not CORPUS.is_dir():
        pytest.skip("../shared/trackers/corpus is not here")
    assert len(list(CORPUS.glob("*.md"))) >= 10


@pytest.mark.parametrize(
    "text",
    [
        "| a | b |\n|---|---|\n| 1 | 2 |\n",
        "a | b\n--- | ---\n1 | 2\n3\n",  # no outer pipes; a row of one cell
        "| a \\| b | c |\n|:-|-:|\n| x \\| y | z |\n| \\| |\n",  # escaped pipes
        "| a | b |\n|---|---|\n| 1 | 2 |\n# Heading\n| 3 | 4 |\n",  # ended by a heading
        "| a | b |\n|---|---|\n| 1 | 2 |\n- item\n",  # ended by a list item
        "| a | b |\n|---|---|\n| 1 | 2 |\n```\ncode\n```\n",  # ended by a fence
        "| a | b |\n|---|---|\n| 1 | 2 |\n> quote\n",  # ended by a blockquote
        "| a | b |\n|---|---|\n| 1 | 2 |\n---\n",  # ended by a rule
        "| a | b |\n|---|---|\n| 1 | 2 |\n<div>\n",  # ended by html
        "| a | b |\n|---|---|\n|\n||\n| | |\n|a|b|c|d|\n",  # pipes only, empty and long rows
        "| a | b |\n|---|---|---|\n| 1 | 2 |\n",  # delimiter with more cells: no table
        "| a |\n|- |\n",  # `- ` after `|` is allowed
        "- | a | b |\n  |---|---|\n  | 1 | 2 |\n- next\n",  # in a list
        "- | a | b |\n  |---|---|\n  | 1 | 2 |\n| 3 | 4 |\n",  # a dedented row ends it (lazy line)
        "> | a | b |\n> |---|---|\n> | 1 | 2 |\n| 3 | 4 |\n",  # in a blockquote
        "1. x\n\n   | a | b |\n   | - | - |\n       | 1 | 2 |\n",  # an indented code line ends it
        "    | a | b |\n    |---|---|\n",  # indented code, not a table
        "para\n| a | b |\n|---|---|\n| 1 | 2 |\n",  # a table interrupts a paragraph
        "| a |\n|---|\n",  # header only: no tbody
        "|a|b|\r\n|-|-|\r\n|1|2|\r\n",  # CRLF
        "| a | b |\n|---|---|\n| 1 | 2 \\|\n| x\\\\| y |\n",  # a trailing escaped pipe, a backslash pair
        "| a |\n|---|\n| 1 |",  # no newline at the end
        "| a |\n|---|\n| 1 |\n   ",  # a last line of spaces
        "| a | b |\n|---|---|\n1. x\n2) y\n12 | 13\n+ z\n",  # a row starting with a digit, an ordered list
    ],
)
def test_same_tables_on_examples(text: str) -> None:
    assert_same_tables(text)


def test_autocompleted_cell_cap() -> None:
    """markdown-it stops a table once it would fill in more than 65,536 empty cells; so does the lean rule."""
    header = "|" + "|".join("c" * 1 for _ in range(40)) + "|\n" + "|" + "|".join("-" for _ in range(40)) + "|\n"
    assert_same_tables(header + "| x |\n" * 1700 + "after\n")


# cell text: escaped pipes (`\\|`, and `\\\\|`, which markdown-it also reads as escaped) keep the cell count;
# body rows may also hold a stray `|` or `\\` before the separator, which change it
_HEADER_CELL = st.lists(st.sampled_from(["a", "b", "1", " ", "-", ":", "*", "`", "#", ">", "\\|", "\\\\|"]), max_size=4)
_BODY_CELL = st.text(alphabet=st.sampled_from(list("ab1 -:*`\\|#>")), max_size=6)


@st.composite
def _row(draw: st.DrawFn, cells: int, header: bool = False) -> str:
    parts = ["h" + "".join(draw(_HEADER_CELL)) if header else draw(_BODY_CELL) for _ in range(cells)]
    body = "|".join(parts)
    lead = draw(st.sampled_from(["", "|", " |", "  "]))
    tail = draw(st.sampled_from(["", "|", " | ", " "]))
    return lead + body + tail


@st.composite
def _table(draw: st.DrawFn) -> str:
    n = draw(st.integers(1, 4))
    header = draw(_row(n, header=True))
    delim_cells = [draw(st.sampled_from(["-", "---", ":-", "-:", ":-:", " --- ", "-", "--", ""])) for _ in range(n)]
    delim = draw(st.sampled_from(["", "|"])) + "|".join(delim_cells) + draw(st.sampled_from(["", "|", " "]))
    rows = [draw(_row(draw(st.integers(0, n + 1)))) for _ in range(draw(st.integers(0, 4)))]
    end = draw(
        st.sampled_from(["", "\n", "\n\n", "\n# Heading\n", "\n- item\n", "\n> q\n", "\n```\nx\n```\n", "\ntext\n"])
    )
    return "\n".join([header, delim, *rows]) + end


@st.composite
def _document(draw: st.DrawFn) -> str:
    table = draw(_table())
    where = draw(st.sampled_from(["top", "list", "ordered", "quote", "nested", "after_para", "indented"]))
    lines = table.split("\n")
    if where == "list":
        lines = ["- " + lines[0], *("  " + ln if draw(st.booleans()) else ln for ln in lines[1:])]
    elif where == "ordered":
        lines = ["1. " + lines[0], *("   " + ln for ln in lines[1:])]
    elif where == "quote":
        lines = ["> " + ln if draw(st.booleans()) or i < 2 else ln for i, ln in enumerate(lines)]
    elif where == "nested":
        lines = ["- a", "  > " + lines[0], *("  > " + ln for ln in lines[1:])]
    elif where == "after_para":
        lines = ["Some text", *lines]
    elif where == "indented":
        pad = " " * draw(st.integers(1, 5))
        lines = [pad + ln for ln in lines]
    return "\n".join(lines)


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_document())
def test_same_tables_on_generated_documents(text: str) -> None:
    assert_same_tables(text)


def test_reading_pauses_the_collector_and_restores_it() -> None:
    """``read_document`` reads with the cyclic collector paused and leaves it as it found it, even on error."""
    text = "# T\n\n| Session | Status |\n|---|---|\n| 1 | done |\n"
    assert gc.isenabled()
    read_document(Document("t.md", text))
    assert gc.isenabled()
    with pytest.raises(RuntimeError), gc_paused():
        assert not gc.isenabled()
        raise RuntimeError
    assert gc.isenabled()
    gc.disable()
    try:
        read_document(Document("t.md", text))
        assert not gc.isenabled()
    finally:
        gc.enable()
