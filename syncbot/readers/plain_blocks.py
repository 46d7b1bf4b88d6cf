"""The blocks of plain markdown read line by line, as markdown-it's CommonMark rules read them, without it.

Most large trackers are nothing but ATX headings, paragraphs and list items (nested, with checkboxes).
markdown-it's block parser tries its chain of rules at the start of every line and builds a token for every
block; on a 20,000-task list that is half a second, more than the readers then spend.  This scanner reads
the same three kinds of block in one pass over the lines and gives what :class:`structure.Structure` takes
from the tokens: headings, list items with their nesting and line spans, their first paragraphs, top-level
paragraphs and the lines of prose.

It knows only those blocks, and returns ``None`` (the document is then parsed by markdown-it, as always) at
anything else: a tab, a carriage return or NUL, a line break other than ``\\n``, a fence, a quote, a pipe (a
table may start), HTML, a reference definition, a thematic break or setext underline, indented code, an
indented heading, an empty item, an item whose text opens another block, an ordered item that would go on a
paragraph (``2.`` right below a line of text), nesting deeper than markdown-it allows.  ``tests/
test_plain_blocks.py`` checks that every document in the repository and thousands of generated ones give the
same structure both ways.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from syncbot.readers.lazy_re import lazy_re

# markdown-it's `mdTrim` set (``markdown_it.common.utils.MD_TRIM_CHARS``; a test keeps them equal): the
# paragraph and heading texts it gives are trimmed of these, not of what `str.strip` takes
MD_TRIM = "\t\n\x0b\x0c\r \xa0\u1680" + "".join(map(chr, range(0x2000, 0x200B))) + "\u2028\u2029\u202f\u205f\u3000"

# anywhere in the text: what only markdown-it reads right (tabs, line ends it normalises, `splitlines`'
# extra breaks, fences, tables, reference definitions)
_UNKNOWN_RE = lazy_re("[\t\r\x00\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029|]|```|~~~|\\]:")
_ATX_RE = lazy_re(r"(#{1,6})(?:[ ]|$)")
_MARKER_RE = lazy_re(r"([-*+]|([0-9]{1,9})[.)])( +)")
# a line of rule marks (thematic break, setext underline) or a bare list marker
_RULE_LIKE_RE = lazy_re(r"(?:[-=*_+] *)+$|[0-9]{1,9}[.)] *$")
# item text that opens a block of its own
_OPENS_BLOCK_RE = lazy_re(r"#{1,6}(?: |$)|[><]|(?:[-*+]|[0-9]{1,9}[.)])(?: |$)|(?:[-*_] *){3,}$")
_MAX_DEPTH = 6  # markdown-it stops nesting at 20 levels (two a list item, one its paragraph)


@dataclass
class PlainBlocks:
    """What :class:`structure.Structure` reads from markdown-it's tokens.  Lines are 1-based unless said."""

    headings: list[tuple[int, int, str]] = field(default_factory=list)  # (level, line, inline text)
    # (first line 0-based, end 0-based exclusive as markdown-it's map, depth, ordered, parent's position or -1)
    items: list[tuple[int, int, int, bool, int]] = field(default_factory=list)
    item_paragraphs: list[tuple[int, str]] = field(default_factory=list)  # (line, text) of items' first ones
    paragraphs: list[tuple[int, str]] = field(default_factory=list)  # top-level ones
    prose: set[int] = field(default_factory=set)


class _Unknown(Exception):
    pass


def read_plain_blocks(text: str, lines: list[str]) -> PlainBlocks | None:
    """The blocks of ``text`` (split into ``lines``), or ``None`` when it holds anything but headings,
    paragraphs and list items (see the module docstring)."""
    if _UNKNOWN_RE.search(text):
        return None
    try:
        return _Scan(lines).run()
    except _Unknown:
        return None


class _Scan:
    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        self.out = PlainBlocks()
        self.open: list[tuple[int, int]] = []  # open items: (position in out.items, content column)
        # the paragraph being read: (first 0-based line, owner item's position or -1, its indent, pieces)
        self.para: tuple[int, int, int, list[str]] | None = None

    def run(self) -> PlainBlocks:
        lines = self.lines
        for n, line in enumerate(lines):
            body = line.lstrip(" ")
            if not body:
                self._end_paragraph(n)
                continue
            indent = len(line) - len(body)
            if body[0] in "><" or _RULE_LIKE_RE.match(body):
                raise _Unknown  # a quote or HTML; a thematic break, setext underline or empty item
            m = _ATX_RE.match(body)
            if m:
                if indent:
                    raise _Unknown  # (under an item it may be the item's own heading, or text)
                self._end_paragraph(n)
                self._close(0, n)
                self._heading(n, len(m.group(1)), body)
                continue
            m = _MARKER_RE.match(body)
            if m:
                self._item(n, line, indent, m)
                continue
            if self.para is not None:
                self.para[3].append(line[min(indent, self.para[2]) :])  # it goes on, lazily or indented
                continue
            self._close(indent, n)
            base = self.open[-1][1] if self.open else 0
            if indent - base >= 4:
                raise _Unknown  # indented code
            self.para = (n, self.open[-1][0] if self.open else -1, base, [line[min(indent, base) :]])
        self._end_paragraph(len(lines))
        self._close(0, len(lines))
        return self.out

    def _heading(self, n: int, level: int, body: str) -> None:
        # markdown-it: spaces before the end, then a closing run of `#` that follows a space, are cut
        end = len(body.rstrip(" \t"))
        tail = end
        while tail > level and body[tail - 1] == "#":
            tail -= 1
        if tail < end and tail > level and body[tail - 1] in " \t":
            end = tail
        self.out.headings.append((level, n + 1, body[level:end].strip(MD_TRIM)))
        self.out.prose.add(n + 1)

    def _item(self, n: int, line: str, indent: int, m: re.Match[str]) -> None:
        content = line[indent + m.end() :]
        if len(m.group(3)) > 4 or _OPENS_BLOCK_RE.match(content):
            raise _Unknown  # (five spaces after the marker open indented code)
        para = self.para
        self._close(indent, n)
        base = self.open[-1][1] if self.open else 0
        if indent - base >= 4:
            raise _Unknown  # indented code, or the text of the paragraph above
        parent = self.open[-1][0] if self.open else -1
        number = m.group(2)
        if para is not None and number is not None and int(number) != 1 and para[1] == parent:
            raise _Unknown  # `2.` right below a line of text goes on that paragraph
        if len(self.open) >= _MAX_DEPTH:
            raise _Unknown
        self._end_paragraph(n)
        out = self.out
        pos = len(out.items)
        out.items.append((n, -1, len(self.open), number is not None, parent))
        col = indent + m.end()
        self.open.append((pos, col))
        self.para = (n, pos, col, [content])

    def _close(self, indent: int, n: int) -> None:
        """Close the open items a line at ``indent`` (0-based line ``n``) is no longer inside."""
        opened = self.open
        while opened and opened[-1][1] > indent:
            pos, _ = opened.pop()
            first, _, depth, ordered, parent = self.out.items[pos]
            self.out.items[pos] = (first, n, depth, ordered, parent)

    def _end_paragraph(self, n: int) -> None:
        para = self.para
        if para is None:
            return
        self.para = None
        first, owner, _, pieces = para
        content = "\n".join(pieces).strip(MD_TRIM)
        out = self.out
        out.prose.update(range(first + 1, n + 1))
        if owner < 0:
            out.paragraphs.append((first + 1, content))
        elif out.items[owner][0] == first:
            out.item_paragraphs.append((first + 1, content))
