"""GFM tables split into cells, with the exact span of every cell (an escaped `\\|` does not split)."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

from syncbot.model import Span
from syncbot.readers.common import Document
from syncbot.readers.lazy_re import lazy_re


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


def column_texts(t: Table, col: int) -> list[str]:
    """The cells of column ``col`` in the table's body rows, their text as written."""
    return [cells[col].text for _, cells in t.rows]


_PIPE_RE = lazy_re(r"\\.|\|")  # an escape pair is consumed whole, so `\|` never splits


_EMPTY = frozenset({"nan", "NaN", "<NA>"})


def split_row(doc: Document, line: int, ncols: int) -> list[Cell]:
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
        # `nan`: an empty cell as pandas' `to_markdown()` writes it (its span kept, so a status written
        # there replaces it)
        cells.append(Cell("" if text in _EMPTY else text, Span(start, start + len(text))))
        pos += len(seg) + 1
    if len(cells) < ncols:  # GFM pads short rows with empty cells
        end = base + len(raw.rstrip())
        cells.extend(Cell("", Span(end, end)) for _ in range(ncols - len(cells)))
    return cells
