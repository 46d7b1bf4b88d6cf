"""The one structure of a document that every reader reads: computed once per :class:`Document`, in one pass
over its markdown-it tokens.

- headings, with levels and section ends, the inline text markdown-it gives and the text as written;
- list items, with their markers, checkbox marks, nesting and last lines;
- the first paragraph of every list item (GFM task items are read from it);
- tables (built from their tokens on first use: most documents have none);
- lines inside fenced or indented code and HTML blocks, lines of prose (paragraphs, items, headings),
  top-level paragraphs and fences;
- YAML front matter.

Every position is a position in the original text; mojibake is repaired only to *understand* a piece (see
:meth:`Document.fix`).  Readers ask cheap questions of it first (``has_tables``, ``items``, ``headings``), so
a reader that cannot apply to a document returns at once.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from syncbot.readers.common import strip_inline
from syncbot.readers.front_matter import front_matter
from syncbot.readers.lazy_re import lazy_re
from syncbot.readers.plain_blocks import PlainBlocks, read_plain_blocks
from syncbot.readers.table_cells import Table, split_row

if TYPE_CHECKING:
    from markdown_it.token import Token

    from syncbot.readers.common import Document


@dataclass(frozen=True)
class Heading:
    level: int
    line: int  # 1-based
    end_line: int  # last line of its section (before the next heading of the same or a higher level)
    text: str  # inline content as markdown-it gives it (mojibake kept)
    col: int = 0  # column of the content in the raw line
    raw: str = ""  # the content as written from ``col`` (closing `#`s removed)


@dataclass
class Item:
    index: int
    line: int  # 1-based first line
    end_line: int  # 1-based last non-blank line
    depth: int  # 0 for a top-level item
    ordered: bool
    col: int  # column of the text after the marker (and after the checkbox, if any)
    raw: str  # the first line of the item's text as written
    mark: str | None = None  # the character between the brackets of a checkbox
    mark_col: int | None = None
    optional: bool = False  # Kiro's `- [ ]*` marks an optional task
    parent: int | None = None
    children: list[int] = field(default_factory=list)


_MARKER_RE = lazy_re(r"^(\s*(?:>\s?)*)([-*+]|\d{1,9}[.)])([ \t]+|$)")
# the marks a checkbox may hold (`[!]` blocked, `[/]` `[-]` `[~]` started): the outline's items and the task
# items of checklists (checklists.py) both take these, no other
CHECK_MARKS = " xX/~!-"
_CHECKBOX_RE = lazy_re(rf"^\[([{re.escape(CHECK_MARKS)}])\](\*?)(?=\s|$)\s*")


def heading_text(s: str) -> str:
    """``re.sub(r"\\s+#+\\s*$", "", s).rstrip()``: a heading's text without its closing `#`s, stripped from
    the end once (searched for, a heading ending in 40,000 blanks was read again from each blank: 6 s)."""
    stripped = s.rstrip()
    bare = stripped.rstrip("#")
    return bare.rstrip() if bare != stripped and bare[-1:].isspace() else stripped


_ATX_RE = lazy_re(r"^\s{0,3}#{1,6}[ \t]*")
_CODE_TYPES = frozenset(("fence", "code_block", "html_block"))


class Structure:
    """See the module docstring.  ``doc.structure`` makes it once per document."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.front_matter = front_matter(doc)
        self.skip_to = self.front_matter.end_line if self.front_matter else 0
        self.all_headings: list[Heading] = []  # front matter's setext headings too
        self.items: list[Item] = []  # list items after the front matter
        self.item_paragraphs: list[tuple[int, str]] = []  # (line, inline text) of each list item's first paragraph
        self.code_lines: set[int] = set()
        self.prose_lines: set[int] = set()  # before code lines are taken out: see ``prose``
        self.table_lines: set[int] = set()  # lines of table rows
        self.paragraphs: list[tuple[int, str]] = []  # (line, inline text) of top-level paragraphs
        self.fences: list[Token] = []
        self._table_spans: list[tuple[int, int, int]] = []  # (first token, last token, headings before it)
        self._build()

    def _build(self) -> None:
        doc = self.doc
        plain = read_plain_blocks(doc.text, doc.lines)
        found = self._from_plain(plain) if plain is not None else self._from_tokens()
        # a section ends where the next heading of its level or higher starts: one pass with a stack
        ends = [len(doc.lines)] * len(found)
        open_: list[int] = []
        for n, (level, line, _) in enumerate(found):
            while open_ and found[open_[-1]][0] >= level:
                ends[open_.pop()] = line - 1
            open_.append(n)
        lines = doc.lines
        for n, (level, line, text) in enumerate(found):
            raw_line = lines[line - 1]
            m = _ATX_RE.match(raw_line)
            col = m.end() if m else len(raw_line) - len(raw_line.lstrip())
            raw = heading_text(raw_line[col:])
            self.all_headings.append(Heading(level, line, ends[n], text, col, raw))

    def _from_plain(self, plain: PlainBlocks) -> list[tuple[int, int, str]]:
        """The structure of a document of headings, paragraphs and list items only (``plain_blocks``)."""
        self.prose_lines = plain.prose
        self.paragraphs = plain.paragraphs
        self.item_paragraphs = plain.item_paragraphs
        made: list[Item | None] = []
        for first, end, depth, ordered, parent in plain.items:
            item = self._item([first, end], depth, ordered)
            up = made[parent] if parent >= 0 else None
            if item is not None and up is not None:
                item.parent = up.index
                up.children.append(item.index)
            made.append(item)
        return plain.headings

    def _from_tokens(self) -> list[tuple[int, int, str]]:
        """The structure from markdown-it's tokens: (level, line, inline text) of each heading, the rest kept."""
        toks = self.doc.tokens
        ntoks = len(toks)
        found: list[tuple[int, int, str]] = []
        stack: list[int] = []  # open list items
        ordered_stack: list[bool] = []
        code, prose = self.code_lines, self.prose_lines
        table_start = -1
        for i, tok in enumerate(toks):
            t = tok.type
            if t == "inline":
                tmap = tok.map
                if tmap and table_start >= 0:
                    self.table_lines.update(range(tmap[0] + 1, tmap[1] + 1))
                elif tmap:
                    prose.update(range(tmap[0] + 1, tmap[1] + 1))
                    if i >= 2 and toks[i - 1].type == "paragraph_open" and toks[i - 2].type == "list_item_open":
                        self.item_paragraphs.append((tmap[0] + 1, tok.content))
            elif t == "paragraph_open":
                if tok.level == 0 and tok.map and i + 1 < ntoks:
                    self.paragraphs.append((tok.map[0] + 1, toks[i + 1].content))
            elif t == "list_item_open":
                item = self._item(tok.map, len(stack), bool(ordered_stack and ordered_stack[-1]))
                if item is not None and stack and stack[-1] >= 0:
                    item.parent = stack[-1]
                    self.items[stack[-1]].children.append(item.index)
                stack.append(item.index if item is not None else -1)
            elif t == "list_item_close":
                stack.pop()
            elif t == "bullet_list_open" or t == "ordered_list_open":
                ordered_stack.append(t == "ordered_list_open")
            elif t == "bullet_list_close" or t == "ordered_list_close":
                ordered_stack.pop()
            elif t == "heading_open":
                if tok.map and i + 1 < ntoks:
                    found.append((int(tok.tag[1]), tok.map[0] + 1, toks[i + 1].content))
            elif t in _CODE_TYPES:
                if tok.map:
                    code.update(range(tok.map[0] + 1, tok.map[1] + 1))
                if t == "fence":
                    self.fences.append(tok)
            elif t == "table_open":
                table_start = i
            elif t == "table_close":
                self._table_spans.append((table_start, i, len(found)))
                table_start = -1
        return found

    def _item(self, tmap: list[int] | None, depth: int, ordered: bool) -> Item | None:
        if not tmap or tmap[0] < self.skip_to:
            return None
        doc = self.doc
        line = tmap[0] + 1
        raw_line = doc.lines[line - 1]
        m = _MARKER_RE.match(raw_line)
        if not m:
            return None
        col = m.end()
        end = max(line, tmap[1])
        while end > line and not doc.lines[end - 1].strip():
            end -= 1
        item = Item(len(self.items), line, end, depth, ordered, col, raw_line[col:])
        if raw_line.startswith("[", col):
            cb = _CHECKBOX_RE.match(raw_line[col:])
            if cb:
                item.mark = cb.group(1)
                item.mark_col = col + 1
                item.optional = bool(cb.group(2))
                item.col = col + cb.end()
                item.raw = raw_line[item.col :]
        self.items.append(item)
        return item

    # --- views ----------------------------------------------------------------------------------------

    @cached_property
    def headings(self) -> list[Heading]:
        """Headings after the front matter (the outline a document's units hang from)."""
        skip = self.skip_to
        return [h for h in self.all_headings if h.line > skip] if skip else self.all_headings

    @cached_property
    def prose(self) -> set[int]:
        """1-based lines that belong to paragraphs, list items or headings, outside tables and code (where
        fields and summaries live)."""
        return self.prose_lines - self.code_lines

    @property
    def has_tables(self) -> bool:
        return bool(self._table_spans)

    @cached_property
    def tables(self) -> list[Table]:
        """Every GFM table with its header, rows and the heading it sits under."""
        if not self._table_spans:
            return []  # (and no tokens made where ``plain_blocks`` read the document)
        doc = self.doc
        toks = doc.tokens
        out: list[Table] = []
        for first, last, nhead in self._table_spans:
            heading = strip_inline(doc.fix(self.all_headings[nhead - 1].text)) if nhead else ""
            tmap = toks[first].map
            if not tmap:
                continue
            table = Table(line=tmap[0] + 1, header=[], heading=heading)
            in_head = False
            for tok in itertools.islice(toks, first + 1, last):
                t = tok.type
                if t == "thead_open":
                    in_head = True
                elif t == "thead_close":
                    in_head = False
                elif in_head and t == "inline":
                    table.header.append(strip_inline(doc.fix(tok.content)).lower())
                elif t == "tr_open" and not in_head and tok.map:
                    line = tok.map[0] + 1
                    table.rows.append((line, split_row(doc, line, len(table.header))))
            out.append(table)
        return out


# --- the questions the table, thread and sections readers ask (each caller gets a copy of its own) ------------


def headings(doc: Document) -> list[Heading]:
    """Every heading, front matter's too."""
    return list(doc.structure.all_headings)


def code_lines(doc: Document) -> set[int]:
    """1-based lines inside fenced or indented code: their `#` and `- [ ]` are text, never structure."""
    return set(doc.structure.code_lines)


def prose_lines(doc: Document) -> set[int]:
    """1-based lines that belong to paragraphs, list items or headings (where fields and summaries live)."""
    return set(doc.structure.prose)


def tables(doc: Document) -> list[Table]:
    return list(doc.structure.tables)


def title_of(doc: Document) -> str:
    """The first H1, as its author meant it; a document without one is named by its first heading."""
    hs = doc.structure.all_headings
    for h in hs:
        if h.level == 1:
            return strip_inline(doc.fix(h.text))
    return strip_inline(doc.fix(hs[0].text)) if hs else ""
