"""Document structure shared by the table, thread and sections readers.

Everything here is derived from markdown-it tokens and their line maps (headings, GFM tables, lists, fenced
code); regexes only ever look at one cell, one heading or one field line.  Every position is a position in
the original text, so a later writer can splice exactly what a reader reported.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

from syncbot.model import ChecklistItem, Problem, Severity, Span, SpanKind, Status, SummaryKind, SummaryLine
from syncbot.readers import common
from syncbot.readers.common import Document, classify_status, strip_inline
from syncbot.readers.refs import KEY_CORE, UNIT_WORDS
from syncbot.readers.refs import KeyIndex as KeyIndex  # re-exported: references live in refs.py
from syncbot.readers.refs import Refs as Refs
from syncbot.readers.refs import parse_refs as parse_refs

T = TypeVar("T")

# --- headings -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Heading:
    level: int
    line: int  # 1-based
    end_line: int  # last line of the section the heading opens (up to the next heading of its level or higher)
    text: str  # inline content as written (mojibake kept)


def _per_doc(doc: Document, name: str, make: Callable[[Document], T]) -> T:
    """Compute once per document (detection runs every reader on it); the store is the one
    ``status_headings.cached`` uses."""
    store: dict[str, object] = doc.__dict__.setdefault("_syncbot_cache", {})
    if name not in store:
        store[name] = make(doc)
    return store[name]  # type: ignore[return-value]


def headings(doc: Document) -> list[Heading]:
    return list(_per_doc(doc, "blocks.headings", _headings))  # a list of its own for each caller


def _headings(doc: Document) -> list[Heading]:
    toks = doc.tokens
    found: list[tuple[int, int, str]] = []
    for i, tok in enumerate(toks):
        if tok.type == "heading_open" and tok.map and i + 1 < len(toks):
            found.append((int(tok.tag[1]), tok.map[0] + 1, toks[i + 1].content))
    # a section ends where the next heading of its level or higher starts: one pass with a stack
    ends = [len(doc.lines)] * len(found)
    open_: list[int] = []
    for n, (level, line, _) in enumerate(found):
        while open_ and found[open_[-1]][0] >= level:
            ends[open_.pop()] = line - 1
        open_.append(n)
    return [Heading(level, line, ends[n], text) for n, (level, line, text) in enumerate(found)]


def title_of(doc: Document) -> str:
    """The first H1, as its author meant it; a document without one is named by its first heading."""
    hs = headings(doc)
    for h in hs:
        if h.level == 1:
            return strip_inline(doc.fix(h.text))
    return strip_inline(doc.fix(hs[0].text)) if hs else ""


def code_lines(doc: Document) -> set[int]:
    """1-based lines inside fenced or indented code: their `#` and `- [ ]` are text, never structure."""
    lines: set[int] = set()
    for tok in doc.tokens:
        if tok.type in ("fence", "code_block", "html_block") and tok.map:
            lines.update(range(tok.map[0] + 1, tok.map[1] + 1))
    return lines


def prose_lines(doc: Document) -> set[int]:
    """1-based lines that belong to paragraphs, list items or headings (where fields and summaries live)."""
    return set(_per_doc(doc, "blocks.prose_lines", _prose_lines))


def _prose_lines(doc: Document) -> set[int]:
    lines: set[int] = set()
    in_table = False
    for tok in doc.tokens:
        if tok.type in ("table_open", "table_close"):
            in_table = tok.type == "table_open"  # cells hold no fields or summary lines
        elif tok.type == "inline" and tok.map and not in_table:
            lines.update(range(tok.map[0] + 1, tok.map[1] + 1))
    return lines - code_lines(doc)


# --- tables ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Cell:
    text: str  # as written, trimmed of surrounding spaces (mojibake kept)
    span: Span  # of ``text`` in the document


@dataclass
class Table:
    line: int  # header line, 1-based
    header: list[str]  # header cells, plain lower-case text
    rows: list[tuple[int, list[Cell]]] = field(default_factory=list)  # (line, cells) of body rows
    heading: str = ""  # the heading the table sits under, plain text


_PIPE_RE = re.compile(r"\\.|\|")  # an escape pair is consumed whole, so `\|` never splits


def _split_row(doc: Document, line: int, ncols: int) -> list[Cell]:
    """Cells of a GFM table row with their exact spans; an escaped ``\\|`` does not split (as in GFM)."""
    raw = doc.lines[line - 1]
    base = doc.offset(line)
    if "\\" in raw:
        pipes = [m.start() for m in _PIPE_RE.finditer(raw) if m.group(0) == "|"]
        parts = [raw[a + 1 : b] for a, b in itertools.pairwise([-1, *pipes, len(raw)])]
    else:  # no escapes (the usual row): every pipe splits
        parts = raw.split("|")
    # parts[i] is the text between pipe i-1 and pipe i; a row need not start or end with a pipe, so a blank
    # part before the first pipe is no cell, nor one after the last pipe when another pipe or text opens the row
    first, last = 0, len(parts)
    if last > 1 and not parts[0].strip():
        first = 1
    if last > 1 and not parts[-1].strip() and (last > 2 or first == 0):
        last -= 1
    cells: list[Cell] = []
    pos = len(parts[0]) + 1 if first else 0  # where parts[i] starts in the line
    for seg in parts[first : first + min(ncols, last - first)]:  # GFM drops cells beyond the header's
        text = seg.strip()
        start = base + pos + (seg.find(text) if text else 0)
        cells.append(Cell(text, Span(start, start + len(text))))
        pos += len(seg) + 1
    if len(cells) < ncols:  # GFM pads short rows with empty cells
        end = base + len(raw.rstrip())
        cells.extend(Cell("", Span(end, end)) for _ in range(ncols - len(cells)))
    return cells


def tables(doc: Document) -> list[Table]:
    """Every GFM table with its header, rows and the heading it sits under (once per document)."""
    return list(_per_doc(doc, "blocks.tables", _tables))


def _tables(doc: Document) -> list[Table]:
    out: list[Table] = []
    current_heading = ""
    toks = doc.tokens
    table: Table | None = None
    in_head = False
    for i, tok in enumerate(toks):
        if tok.type == "heading_open" and i + 1 < len(toks):
            current_heading = strip_inline(doc.fix(toks[i + 1].content))
        elif tok.type == "table_open" and tok.map:
            table = Table(line=tok.map[0] + 1, header=[], heading=current_heading)
        elif tok.type == "thead_open":
            in_head = True
        elif tok.type == "thead_close":
            in_head = False
        elif table is not None and in_head and tok.type == "inline":
            table.header.append(strip_inline(doc.fix(tok.content)).lower())
        elif table is not None and tok.type == "tr_open" and not in_head and tok.map:
            line = tok.map[0] + 1
            table.rows.append((line, _split_row(doc, line, len(table.header))))
        elif tok.type == "table_close" and table is not None:
            out.append(table)
            table = None
    return out


# --- checklists -----------------------------------------------------------------------------------------

_CHECK_RE = re.compile(r"^\[([ xX/~-])\]\s+")
_MARK_RE = re.compile(r"^\s*(?:>\s*)*(?:[-*+]|\d+[.)])\s+\[([ xX/~-])\]")
# an open-work phrase written as the item's own status (`— pending`, `(not done)`), not a word of its text
_OPEN_WORDS = re.compile(
    r"(?:[—–-]|:|\()\s*(?:pending|todo|to do|not yet|not done|not started|tbd)\s*(?:$|\(|\))",
    re.IGNORECASE,
)


def task_items(doc: Document) -> list[ChecklistItem]:
    """Every GFM task-list item (``- [ ]``, ``- [x]``, nested too), with the span of its mark."""
    toks = doc.tokens
    items: list[ChecklistItem] = []
    for i, tok in enumerate(toks):
        if tok.type != "inline" or not tok.map or i < 2:
            continue
        if toks[i - 1].type != "paragraph_open" or toks[i - 2].type != "list_item_open":
            continue
        m = _CHECK_RE.match(tok.content)
        if not m:
            continue
        line = tok.map[0] + 1
        raw = _MARK_RE.match(doc.lines[line - 1])
        mark = Span(doc.offset(line, raw.start(1)), doc.offset(line, raw.end(1))) if raw else None
        text = strip_inline(doc.fix(tok.content[m.end() :].split("\n")[0]))
        items.append(ChecklistItem(text=text, done=m.group(1) in "xX", line=line, mark=mark))
    return items


def checklist_problems(items: list[ChecklistItem]) -> list[Problem]:
    """A box ticked while its own text says the work is still open is a contradiction worth showing."""
    return [
        Problem(it.line, Severity.WARNING, f"item is ticked but its text says it is still open: {it.text!r}")
        for it in items
        if it.done and _OPEN_WORDS.search(it.text)
    ]


# --- fields (`**Status**: x`, `Depends on: y`) -----------------------------------------------------------


@dataclass(frozen=True)
class Field:
    name: str  # the label, lower-case plain text
    value: str  # as written, trimmed
    span: Span  # of ``value``
    line: int


_FIELD_RE = re.compile(
    r"^\s*(?:[-*+]\s+)?(?P<o>\*\*|__)?(?P<name>[^\W\d_](?:[^\W\d_]|[ /&'-]){0,40}?)\s*"
    r"(?:(?P<c1>[:：])\s*(?P=o)|(?P=o)\s*(?P<c2>[:：]))\s*(?P<value>.*?)\s*$"
)
_FIELD_PLAIN_RE = re.compile(
    r"^\s*(?:[-*+]\s+)?(?P<name>[^\W\d_](?:[^\W\d_]|[ /&'-]){0,40}?)\s*[:：]\s*(?P<value>.*?)\s*$"
)

# `Depends on session 3.` / `Requires Phase 2 and Phase 3.`: a one-line sentence naming other units
_DEP_SENTENCE_RE = re.compile(
    r"^\s*(?:[-*+]\s+)?(?P<name>depends on|requires|blocked by)\s+"
    r"(?P<value>(?:sessions?|steps?|phases?|stages?|tasks?|milestones?)\s+#?\d[\w\s,.#&-]*?)\.?\s*$",
    re.IGNORECASE,
)


def field_at(doc: Document, line: int) -> Field | None:
    """``**Name**: value``, ``**Name:** value``, ``- Name: value`` on one line."""
    raw = doc.lines[line - 1]
    m = None
    if ":" in raw or "：" in raw:  # both field forms need one (`：` in CJK); a line of prose without it costs no regex
        m = _FIELD_RE.match(raw)
        if not m or not m.group("o"):
            m = _FIELD_PLAIN_RE.match(raw)
    if not m and raw[:1] in "DRBdrb-*+ ":
        m = _DEP_SENTENCE_RE.match(raw)
    if not m or not m.group("value"):
        return None
    base = doc.offset(line)
    return Field(
        m.group("name").strip().lower(),
        m.group("value"),
        Span(base + m.start("value"), base + m.end("value")),
        line,
    )


def fields_in(doc: Document, first: int, last: int, prose: set[int]) -> list[Field]:
    out = []
    for line in range(first, last + 1):
        if line in prose:
            f = field_at(doc, line)
            if f:
                out.append(f)
    return out


# --- keys and references --------------------------------------------------------------------------------

_KEY_ONLY_RE = re.compile(rf"^(?:{UNIT_WORDS}\s*)?#?(?P<key>{KEY_CORE})\.?$", re.IGNORECASE)
_KEY_TITLE_RE = re.compile(
    rf"^(?:{UNIT_WORDS}\s*)?#?(?P<key>{KEY_CORE})(?:\s*[.):]\s*|\s+[-—–:|]\s*)(?P<title>\S.*)$", re.IGNORECASE
)


def parse_key(cell: str, allow_title: bool) -> tuple[str, str] | None:
    """``**1**``, ``Session 0``, ``\\`IP-00\\```, ``R1`` -> (key, ""); with ``allow_title`` also
    ``1 - Foundation`` / ``1. Setup`` -> (key, title)."""
    plain = strip_inline(cell).strip()
    m = _KEY_ONLY_RE.match(plain)
    if m:
        return m.group("key"), ""
    if allow_title:
        m = _KEY_TITLE_RE.match(plain)
        if m:
            return m.group("key"), m.group("title").strip()
    return None


# --- summary lines --------------------------------------------------------------------------------------

_SUMMARY_LABEL = re.compile(
    r"^\s*(?:[-*+]\s+)?(?:\*\*|__)?(?P<label>[A-Za-z][A-Za-z ]{1,40}?)\s*(?::\s*(?:\*\*|__)|(?:\*\*|__)?\s*:)\s*",
)
_COMPLETED_LABELS = re.compile(r"^(?:sessions?\s+|tasks?\s+|units?\s+)?(?:completed?|done|finished)(?:\s+sessions?)?$")
_NEXT_LABELS = re.compile(r"^next(?:\s+(?:ready|up|session|step|task))*$")
_PROGRESS_LABELS = re.compile(r"^(?:overall\s+|total\s+)?(?:progress|completion)$")


_COUNT_OR_PERCENT = re.compile(
    r"(?:\d+\s*/\s*\d+|\d+(?:\.\d+)?\s*%)(?:\s*(?:sessions?|tasks?|units?|steps?|complete[d]?|done))?"
    r"(?:\s*\(\s*(?:\d+\s*/\s*\d+|\d+(?:\.\d+)?\s*%)(?:\s+[a-z]+){0,2}\s*\))?",
    re.IGNORECASE,
)


def _counts(line: int, base: int, value: str) -> list[SummaryLine]:
    out = []
    for m in re.finditer(r"(\d+\s*/\s*\d+)|(\d+(?:\.\d+)?\s*%)", value):
        kind = SummaryKind.COMPLETED if m.group(1) else SummaryKind.PROGRESS
        out.append(SummaryLine(kind, line, Span(base + m.start(), base + m.end()), m.group(0)))
    return out


def summary_lines(doc: Document, prose: set[int] | None = None) -> list[SummaryLine]:
    """`Completed: 0/8`, `Next Ready: Session 1`, `Overall Progress: 40%` -- the value spans only."""
    out: list[SummaryLine] = []
    if prose is None:
        prose = prose_lines(doc)
    for line in sorted(prose):
        raw = doc.lines[line - 1]
        m = _SUMMARY_LABEL.match(raw)
        if not m:
            continue
        label = " ".join(m.group("label").lower().split())
        rest = raw[m.end() :]
        base = doc.offset(line, m.end())
        if _COMPLETED_LABELS.match(label) or _PROGRESS_LABELS.match(label):
            # `Completed: 2/8 (25%)`, `Progress: 40% (2/5)`: each figure is a value the writer keeps current
            v = _COUNT_OR_PERCENT.match(rest)
            if v:
                out.extend(_counts(line, base, v.group(0)))
        elif _NEXT_LABELS.match(label):
            v = re.match(rf"(?:{UNIT_WORDS}\s+)?#?(?:{KEY_CORE})(?:\s*(?:,|&|and)\s*#?(?:{KEY_CORE}))*", rest, re.I)
            if v:
                out.append(SummaryLine(SummaryKind.NEXT_READY, line, Span(base, base + v.end()), v.group(0)))
    return out


# --- status written inside a heading --------------------------------------------------------------------

# a task box closing a heading after its name (`### Task 1.1: Schema [x]`)
HEADING_BOX_RE = re.compile(r"(?<=\s)\[([ xX])\]$")
_SEGMENT_SPLIT = re.compile(r"\s+[-—–|]\s+|:\s+|[()\[\]]")
_STATUS_WORD_RE = re.compile(r"[A-Za-z][A-Za-z' _/-]*")


def pure_status(text: str) -> Status | None:
    """The status a short piece names when it is *only* a status (`COMPLETE ✅`, `(CURRENT)`), so a title
    such as "Testing Framework" is never taken for one."""
    plain = strip_inline(text).strip(" .!*_`~")
    st = classify_status(plain)
    if st is None:
        return None
    words = " ".join(_STATUS_WORD_RE.findall(plain)).strip()
    if not words:
        return st  # emoji only
    return st if classify_status(words) is not None and len(words.split()) <= 3 and _only_status(words) else None


def trailing_status(text: str) -> int | None:
    """Where a status that closes ``text`` after its name starts (`API layer ✅ COMPLETED`,
    `Data model 🚧`): a status emoji, possibly followed by status words, after some other words."""
    for start, _, _, is_word in reversed(common.status_marks(text)):
        if is_word:
            continue
        if start and text[:start].strip(" -—–:|*_") and pure_status(text[start:]) is not None:
            return start
        break
    return None


_ALL_PHRASES = [p for p, _ in common._PHRASES]


def _only_status(words: str) -> bool:
    rest = words.lower()
    for phrase in sorted(_ALL_PHRASES, key=len, reverse=True):
        rest = re.sub(rf"(?<![\w-]){re.escape(phrase)}(?![\w-])", " ", rest)
    return not rest.replace("/", " ").split()


def heading_span_kind(text: str) -> SpanKind:
    """How a status found by :func:`status_in_heading` is written: a box (`[x]`) or words."""
    return SpanKind.CHECKBOX if re.fullmatch(r"\[[ xX]\]", text) else SpanKind.HEADING


def status_in_heading(doc: Document, line: int, start_col: int) -> tuple[Status, Span, str] | None:
    """A status segment in a heading after ``start_col``: `## Step 1 — Fixes (CURRENT)`,
    `### Component 9 - COMPLETE ✅`.  Returns the status, the span of the segment as written, the text."""
    raw = doc.lines[line - 1]
    box = HEADING_BOX_RE.search(raw.rstrip(" #"), start_col)
    if box:
        # `### Task 1.1: Schema [x]`: a checkbox closing the heading is the unit's status
        done = Status.DONE if box.group(1) in "xX" else Status.PLANNED
        # the span is the mark between the brackets, like a task item's: a rewrite writes a mark, not a word
        return done, Span(doc.offset(line, box.start(1)), doc.offset(line, box.end(1))), box.group(0)
    pos = start_col
    for m in [*_SEGMENT_SPLIT.finditer(raw, start_col), None]:
        end = m.start() if m else len(raw.rstrip(" #"))
        seg = raw[pos:end]
        text = seg.strip().strip("*_")
        if text:
            fixed = doc.fix(text)
            st = pure_status(fixed)
            if st is None and not doc.mojibake:
                # `Session 4: API layer ✅ COMPLETED (date)`: an emoji-led status closing the segment
                cut = trailing_status(fixed)
                if cut:
                    text = text[cut:]
                    st = pure_status(text)
            if st is not None:
                col = pos + seg.find(text)
                return st, Span(doc.offset(line, col), doc.offset(line, col + len(text))), text
        if m:
            pos = m.end()
    return None


class Items:
    """Task items by line, so each section finds its own in logarithmic time (trackers get long)."""

    def __init__(self, items: list[ChecklistItem]) -> None:
        self.items = sorted(items, key=lambda it: it.line)
        self.lines = [it.line for it in self.items]

    def within(self, first: int, last: int) -> list[ChecklistItem]:
        return self.items[bisect.bisect_left(self.lines, first) : bisect.bisect_right(self.lines, last)]
