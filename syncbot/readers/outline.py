"""The outline of a document as the heading/list readers (components, phases, tasklist, board) see it: the
document's :class:`~syncbot.readers.structure.Structure` (headings after the front matter, list items and their
checkboxes) with the questions those readers ask of it, and what a checkbox mark means.
"""

from __future__ import annotations

import bisect
from functools import cached_property

from syncbot.model import Span, Status
from syncbot.readers.common import Document, to_mojibake
from syncbot.readers.lazy_re import lazy_re
from syncbot.readers.status_words import classify_status
from syncbot.readers.structure import Heading, Item
from syncbot.readers.titles import clean_title

CHECK_STATUS = {
    " ": Status.PLANNED,
    "x": Status.DONE,
    "X": Status.DONE,
    "/": Status.IN_PROGRESS,  # the `[/]` convention for started work
    "-": Status.IN_PROGRESS,  # Kiro writes `[-]` for a task in progress
    "~": Status.IN_PROGRESS,
    "!": Status.BLOCKED,  # `[!]` flags work that cannot go on
}

# A legend the document gives for its box marks: "`[-]` dropped · `[!]` blocked", "[~] = doing".
_LEGEND_RE = lazy_re(
    r"(?:`\[([^\]\n])\]`[ \t]*(?:[=:\u2013\u2014-][ \t]*)?|\[([^\]\n])\][ \t]*[=:][ \t]*)([^\W\d][\w' ]{0,18}\w)"
)


def outline(doc: Document) -> Outline:
    """The document's outline, made once per document (detection runs every reader on it)."""
    ol = doc.__dict__.get("_syncbot_outline")
    if ol is None:
        ol = doc.__dict__["_syncbot_outline"] = Outline(doc)
    return ol


class Outline:
    def __init__(self, doc: Document) -> None:
        st = doc.structure
        self.doc = doc
        self.front_matter = st.front_matter
        self.headings: list[Heading] = st.headings
        self.items: list[Item] = st.items
        self.code_lines: set[int] = st.code_lines

    @cached_property
    def mark_legend(self) -> dict[str, Status]:
        """Box marks the document itself explains (`[-]` means dropped here, not Kiro's in progress)."""
        text = self.doc.text
        if "[" not in text:
            return {}
        out: dict[str, Status] = {}
        for m in _LEGEND_RE.finditer(text):
            mark = m.group(1) or m.group(2)
            st = classify_status(self.doc.fix(m.group(3)))
            if st is not None and mark in CHECK_STATUS:
                out.setdefault(mark, st)
        return out

    def box_status(self, mark: str | None) -> Status:
        """The status a checkbox mark stands for, by the document's own legend first."""
        if mark is None:
            return Status.PLANNED
        legend = self.mark_legend
        return legend.get(mark) or CHECK_STATUS.get(mark, Status.PLANNED)

    # --- queries --------------------------------------------------------------------------------------

    @cached_property
    def _heading_lines(self) -> list[int]:
        return [h.line for h in self.headings]

    @cached_property
    def _parents(self) -> list[int | None]:
        parents: list[int | None] = []
        stack: list[int] = []
        for n, h in enumerate(self.headings):
            while stack and self.headings[stack[-1]].level >= h.level:
                stack.pop()
            parents.append(stack[-1] if stack else None)
            stack.append(n)
        return parents

    def heading_before(self, line: int) -> Heading | None:
        n = bisect.bisect_right(self._heading_lines, line) - 1
        return self.headings[n] if n >= 0 else None

    def enclosing(self, line: int) -> list[Heading]:
        """The headings whose sections contain ``line``, outermost first."""
        return list(self.chain(line))

    def chain(self, line: int) -> tuple[Heading, ...]:
        """:meth:`enclosing`, as a tuple that lines under the same headings share.  The heading before the
        line and its parents are found once per heading: up to the first end of their sections, every line
        after the heading is in all of them (a plan asks this for each of its thousands of items)."""
        n = bisect.bisect_right(self._heading_lines, line) - 1
        if n < 0:
            return ()
        known = self._chains.get(n)
        if known is None:
            chain: list[Heading] = []
            up: int | None = n
            while up is not None:
                chain.append(self.headings[up])
                up = self._parents[up]
            known = self._chains[n] = (min(h.end_line for h in chain), tuple(chain[::-1]))
        reach, full = known
        return full if line <= reach else tuple(h for h in full if h.end_line >= line)

    @cached_property
    def _chains(self) -> dict[int, tuple[int, tuple[Heading, ...]]]:
        return {}

    def items_between(self, first: int, last: int) -> list[Item]:
        lo = bisect.bisect_left(self._item_lines, first)
        hi = bisect.bisect_right(self._item_lines, last)
        return self.items[lo:hi]

    @cached_property
    def _item_lines(self) -> list[int]:
        return [it.line for it in self.items]  # document order, so sorted

    def title(self) -> str:
        for h in self.headings:
            if h.level == 1:
                return clean_title(self.doc.fix(h.raw))
        if self.front_matter:
            for key in ("title", "name"):
                if key in self.front_matter.fields:
                    return self.front_matter.fields[key][0].strip("'\"")
        return clean_title(self.doc.fix(self.headings[0].raw)) if self.headings else ""

    # --- positions ------------------------------------------------------------------------------------

    def span(self, line: int, raw_col: int, fixed_piece: str, fixed_prefix: str) -> Span:
        """The span in the original text of ``fixed_piece``, found at ``fixed_prefix`` into a repaired piece
        of ``line`` that starts at ``raw_col``."""
        doc = self.doc
        if doc.mojibake:
            start = raw_col + len(to_mojibake(fixed_prefix))
            length = len(to_mojibake(fixed_piece))
            raw = doc.lines[line - 1]
            if raw[start : start + length] != to_mojibake(fixed_piece):
                # the line did not round-trip piecewise; fall back to a search from the piece's column
                found = raw.find(to_mojibake(fixed_piece), raw_col)
                start = found if found >= 0 else start
        else:
            start = raw_col + len(fixed_prefix)
            length = len(fixed_piece)
        at = doc.line_starts[line - 1] + start  # (``doc.offset``, asked for every item of a plan)
        return Span(at, at + length)
