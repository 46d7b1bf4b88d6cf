"""A lean GFM table block rule for markdown-it: the same tables as the built-in rule, far fewer tokens.

markdown-it-py's ``table`` rule makes about twenty tokens per body row (``tr``, and per cell ``td_open``,
``inline``, ``td_close``); on a 10,000-row status matrix that is most of the parse time.  The readers
split body rows themselves (:func:`syncbot.readers.blocks.tables` reads each row from the source line
with exact spans), so they need only the table's structure and line maps.  This rule recognises exactly
the tables the built-in one does (its header and delimiter checks are the built-in's, line for line, and
its body ends where the built-in's does: a blank line, a line that starts another block, a line indented
out of the enclosing list or blockquote, or the cap on autocompleted cells) and emits:

- ``table_open``, ``thead_open``, ``tr_open``, then per header cell ``th_open`` / ``inline`` / ``th_close``
  exactly as the built-in rule does (content, alignment style, map), ``tr_close``, ``thead_close``;
- per body row only ``tr_open``, one ``inline`` (the trimmed row text, map of the row), ``tr_close``,
  inside ``tbody_open`` / ``tbody_close``; ``table_close``.

Every map (table, thead, tbody, each row) equals the built-in's, and every line of the table is still
covered by an ``inline`` token's map, which is what readers that look for text lines rely on.
``tests/test_fast_table.py`` compares both rules on every tracker and on generated tables.
"""

from __future__ import annotations

from markdown_it import MarkdownIt, rules_block
from markdown_it.common.utils import MD_TRIM_CHARS
from markdown_it.rules_block.state_block import StateBlock
from markdown_it.rules_block.table import MAX_AUTOCOMPLETED_CELLS, escapedSplit

from syncbot.readers.lazy_re import lazy_re

_HEADER_LINE_RE = lazy_re(r"^:?-+:?$")
# markdown-it's own rules that end a table (those that may end a blockquote), and the characters a line must
# start with for any of them to match: a row that starts otherwise (`|`, a letter) needs no asking
_TERMINATORS = (
    rules_block.fence,
    rules_block.blockquote,
    rules_block.hr,
    rules_block.list_block,
    rules_block.html_block,
    rules_block.heading,
)
_STARTERS = frozenset("`~>*-_+<#0123456789")  # "" (end of text) is not one


def _body_columns(text: str) -> int:
    """How many cells ``escapedSplit`` would find in a trimmed body row, without splitting it.

    A pipe right after a backslash is escaped (whatever precedes the backslash), a leading pipe and then a
    trailing unescaped pipe open and close the row."""
    n = text.count("|") - text.count("\\|") + 1
    if text[0] == "|":
        n -= 1
    if n and text[-1] == "|" and (len(text) < 2 or text[-2] != "\\"):
        n -= 1
    return n


def table(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
    """The GFM table rule (``markdown_it.rules_block.table.table``) without per-cell body tokens."""
    if start_line + 2 > end_line:
        return False
    next_line = start_line + 1
    if state.sCount[next_line] < state.blkIndent:
        return False
    if state.is_code_block(next_line):
        return False

    # the delimiter row: only `|`, `-`, `:` and spaces, starting with one of `|-:`; `- ` is a list item
    src = state.src
    pos = state.bMarks[next_line] + state.tShift[next_line]
    end = state.eMarks[next_line]
    if pos + 1 >= end:
        return False
    first_ch, second_ch = src[pos], src[pos + 1]
    if first_ch not in "|-:":
        return False
    if second_ch not in "|-:" and second_ch not in " \t":
        return False
    if first_ch == "-" and second_ch in " \t":
        return False
    delim = src[pos:end]
    if delim.strip("|-: \t"):
        return False

    aligns: list[str] = []
    columns = delim.split("|")
    last = len(columns) - 1
    for i, col in enumerate(columns):
        t = col.strip(MD_TRIM_CHARS)
        if not t:
            # empty columns are allowed before and after the table, not between columns
            if i == 0 or i == last:
                continue
            return False
        if not _HEADER_LINE_RE.search(t):
            return False
        if t[-1] == ":":
            aligns.append("center" if t[0] == ":" else "right")
        elif t[0] == ":":
            aligns.append("left")
        else:
            aligns.append("")

    line_text = src[state.bMarks[start_line] + state.tShift[start_line] : state.eMarks[start_line]].strip(MD_TRIM_CHARS)
    if "|" not in line_text:
        return False
    if state.is_code_block(start_line):
        return False
    columns = escapedSplit(line_text)
    if columns and columns[0] == "":
        columns.pop(0)
    if columns and columns[-1] == "":
        columns.pop()
    # the header row sets the column count; the delimiter row must match it (body rows may differ)
    column_count = len(columns)
    if column_count == 0 or column_count != len(aligns):
        return False
    if silent:
        return True

    old_parent = state.parentType
    state.parentType = "table"
    # a table ends where a blockquote would (a fence, a heading, a list item, ...), as in markdown-it
    terminators = state.md.block.ruler.getRules("blockquote")
    known = all(any(rule is k for k in _TERMINATORS) for rule in terminators)

    token = state.push("table_open", "table", 1)
    token.map = table_lines = [start_line, 0]
    token = state.push("thead_open", "thead", 1)
    token.map = [start_line, start_line + 1]
    token = state.push("tr_open", "tr", 1)
    token.map = [start_line, start_line + 1]
    for i in range(column_count):
        token = state.push("th_open", "th", 1)
        if aligns[i]:
            token.attrs = {"style": "text-align:" + aligns[i]}
        token = state.push("inline", "", 0)
        token.map = [start_line, start_line + 1]
        token.content = columns[i].strip(MD_TRIM_CHARS)
        token.children = []
        state.push("th_close", "th", -1)
    state.push("tr_close", "tr", -1)
    state.push("thead_close", "thead", -1)

    b_marks, e_marks, t_shift, s_count = state.bMarks, state.eMarks, state.tShift, state.sCount
    tbody_lines: list[int] | None = None
    autocompleted = 0
    next_line = start_line + 2
    while next_line < end_line:
        if s_count[next_line] < state.blkIndent:
            break
        pos = b_marks[next_line] + t_shift[next_line]
        first = src[pos : pos + 1]
        if (not known or first in _STARTERS) and any(rule(state, next_line, end_line, True) for rule in terminators):
            break
        line_text = src[b_marks[next_line] + t_shift[next_line] : e_marks[next_line]].strip(MD_TRIM_CHARS)
        if not line_text:
            break
        if state.is_code_block(next_line):
            break
        # the built-in rule caps the empty cells it fills in (markdown-it issue 1000); count them the same way
        autocompleted += column_count - _body_columns(line_text)
        if autocompleted > MAX_AUTOCOMPLETED_CELLS:
            break
        if tbody_lines is None:
            token = state.push("tbody_open", "tbody", 1)
            token.map = tbody_lines = [start_line + 2, 0]
        token = state.push("tr_open", "tr", 1)
        token.map = [next_line, next_line + 1]
        token = state.push("inline", "", 0)
        token.map = [next_line, next_line + 1]
        token.content = line_text
        token.children = []
        state.push("tr_close", "tr", -1)
        next_line += 1

    if tbody_lines is not None:
        state.push("tbody_close", "tbody", -1)
        tbody_lines[1] = next_line
    state.push("table_close", "table", -1)
    table_lines[1] = next_line
    state.parentType = old_parent
    state.line = next_line
    return True


def use_lean_tables(md: MarkdownIt) -> MarkdownIt:
    """Replace ``md``'s GFM table rule with :func:`table` (same place in the chain, same alternatives)."""
    md.block.ruler.at("table", table, {"alt": ["paragraph", "reference"]})
    return md
