"""What a table cell says about a unit's status: the status phrase ahead of its commentary, a replacement after
a strike, a cell struck through whole."""

from __future__ import annotations

import re

from syncbot.model import Span, Status
from syncbot.readers.common import Document
from syncbot.readers.legend import status_of
from syncbot.readers.table_cells import Cell
from syncbot.readers.table_columns import percent_status

# where a status phrase stops and commentary starts: `BLOCKED on IP-04`, `COMPLETE — closed 2026-09-27`
_STATUS_TAIL = re.compile(r"\s+(?:—|–|-)\s+|;\s*|\s+(?:on|by|until|since|after|pending|awaiting)\s+|\s*\(")


_STRUCK_LEAD_RE = re.compile(r"~~[^~]+~~\s*")
_STRUCK_ALL_RE = re.compile(r"^[\s*_`]*~~[^~]+~~[\s*_`.]*$")


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
