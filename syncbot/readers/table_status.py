"""What a table cell says about a unit's status: the status phrase ahead of its commentary, a replacement after
a strike, a cell struck through whole; whether a cell opens with a status at all (how a status column is
recognised), and progress or a checkbox as the only status (`40%`, `[x]`)."""

from __future__ import annotations

import re

from syncbot.model import Span, Status
from syncbot.readers.common import Document, strip_inline
from syncbot.readers.hints import vocabulary
from syncbot.readers.lazy_re import lazy_re
from syncbot.readers.legend import legend_of, status_of
from syncbot.readers.status_fields import share_status
from syncbot.readers.status_words import status_marks
from syncbot.readers.table_cells import Cell

# where a status phrase stops and commentary starts: `BLOCKED on IP-04`, `COMPLETE — closed 2026-09-27`
_STATUS_TAIL = lazy_re(r"\s+(?:—|–|-)\s+|;\s*|\s+(?:on|by|until|since|after|pending|awaiting)\s+|\s*\(")


_STRUCK_LEAD_RE = lazy_re(r"~~[^~]+~~\s*")
_STRUCK_ALL_RE = lazy_re(r"^[\s*_`]*~~[^~]+~~[\s*_`.]*$")


def struck_out(text: str) -> bool:
    """The whole cell is struck through: `~~Kafka source~~`."""
    return bool(_STRUCK_ALL_RE.match(text))


def status_in_cell(doc: Document, cell: Cell) -> tuple[Status | None, Span, str]:
    """The status a cell states, and the span of just the status phrase when commentary follows it
    (`BLOCKED on IP-04` -> `BLOCKED`), so a rewrite keeps the commentary.  A status struck through and
    replaced (`~~Planned~~ Dropped`) is the replacement: the span is the words after the strike."""
    struck = _STRUCK_LEAD_RE.match(cell.text)
    if struck and struck.end() < len(cell.text):
        rest = Cell(cell.text[struck.end() :], Span(cell.span.start + struck.end(), cell.span.end))
        st, span, raw = status_in_cell(doc, rest)
        if st is not None:
            return st, span, raw
    whole = status_of(doc, cell.text) or percent_status(cell.text)
    m = _STATUS_TAIL.search(cell.text)
    if m and m.start() > 0:
        head = cell.text[: m.start()].rstrip()
        if head and status_of(doc, head) == whole:
            return whole, Span(cell.span.start, cell.span.start + len(head)), head
    return whole, cell.span, cell.text


def is_status_cell(doc: Document, text: str) -> bool:
    """The cell opens with a status (`✅ Done — merged`, `🟡`, `Blocked on 3`), not one buried in prose."""
    plain = strip_inline(doc.fix(text)).lstrip("*_`~ ")
    if not plain:
        return False
    if doc.hints is not None and vocabulary(doc, plain) is not None:
        return True  # the user's own status words
    marks = status_marks(plain)
    legend = legend_of(doc)
    starts = [m[0] for m in marks] + [plain.find(m) for m in legend if m in plain]
    return bool(starts) and min(starts) <= 2


def percent_status(text: str) -> Status | None:
    """A status cell that only gives progress: `100%` is done, `0%` not started, anything between started;
    or only a checkbox: `[x]` is done, `[ ]` not started."""
    box = re.fullmatch(r"\s*\[([ xX])\]\s*", text)
    if box:
        return Status.PLANNED if box.group(1) == " " else Status.DONE
    m = _PERCENT_RE.fullmatch(text)
    if not m:
        return None
    return share_status(int(m.group(1)))


# `42%`, or a progress bar before it: `▓▓▓▓░░░░░░ 40%`, `[####------] 40 %`
_PERCENT_RE = lazy_re(r"[*_`\s]*(?:\[?[▓░█▒■□▰▱▮▯●○◼◻⬛⬜#=.\-]{3,}\]?\s*)?(\d{1,3})\s*%[*_`\s]*")
