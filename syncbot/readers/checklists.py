"""Checklists: GFM task items (`- [ ]`, `- [x]`, nested too) read from the document structure, the items of
one section, and a box ticked while its text says the work is still open."""

from __future__ import annotations

import bisect
import re

from syncbot.model import ChecklistItem, Problem, Severity, Span, Status
from syncbot.readers.common import Document, strip_inline
from syncbot.readers.lazy_re import lazy_re
from syncbot.readers.outline import CHECK_STATUS, Outline
from syncbot.readers.structure import CHECK_MARKS, Item
from syncbot.readers.titles import clean_title

_CHECK_RE = lazy_re(rf"^\[([{re.escape(CHECK_MARKS)}])\]\s+")
_MARK_RE = lazy_re(rf"^\s*(?:>\s*)*(?:[-*+]|\d+[.)])\s+\[([{re.escape(CHECK_MARKS)}])\]")
# an open-work phrase written as the item's own status (`— pending`, `(not done)`), not a word of its text
_OPEN_WORDS = lazy_re(
    r"(?:[—–-]|:|\()\s*(?:pending|todo|to do|not yet|not done|not started|tbd)\s*(?:$|\(|\))",
    re.IGNORECASE,
)


def task_items(doc: Document) -> list[ChecklistItem]:
    """Every GFM task-list item (``- [ ]``, ``- [x]``, nested too), with the span of its mark: the first
    paragraph of a list item that opens with a box (the structure's ``item_paragraphs``)."""
    items: list[ChecklistItem] = []
    for line, content in doc.structure.item_paragraphs:
        m = _CHECK_RE.match(content)
        if not m:
            continue
        raw = _MARK_RE.match(doc.lines[line - 1])
        mark = Span(doc.offset(line, raw.start(1)), doc.offset(line, raw.end(1))) if raw else None
        text = strip_inline(doc.fix(content[m.end() :].split("\n")[0]))
        items.append(ChecklistItem(text=text, done=m.group(1) in "xX", line=line, mark=mark))
    return items


def checklist_of(ol: Outline, items: list[Item]) -> list[ChecklistItem]:
    """The checklist of a unit read from the outline: its boxed items, with their marks."""
    out: list[ChecklistItem] = []
    for it in items:
        if it.mark is None or it.mark_col is None:
            continue
        mark = ol.span(it.line, it.mark_col, it.mark, "")
        text = clean_title(ol.doc.fix(it.raw)) or ol.doc.fix(it.raw).strip()
        out.append(ChecklistItem(text, CHECK_STATUS[it.mark] is Status.DONE, it.line, mark))
    return out


def checklist_problems(items: list[ChecklistItem]) -> list[Problem]:
    """A box ticked while its own text says the work is still open is a contradiction worth showing."""
    return [
        Problem(it.line, Severity.WARNING, f"item is ticked but its text says it is still open: {it.text!r}")
        for it in items
        if it.done and _OPEN_WORDS.search(it.text)
    ]


class Items:
    """Task items by line, so each section finds its own in logarithmic time (trackers get long)."""

    def __init__(self, items: list[ChecklistItem]) -> None:
        self.items = sorted(items, key=lambda it: it.line)
        self.lines = [it.line for it in self.items]

    def within(self, first: int, last: int) -> list[ChecklistItem]:
        return self.items[bisect.bisect_left(self.lines, first) : bisect.bisect_right(self.lines, last)]
