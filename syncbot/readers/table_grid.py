"""Units written as the cells of a grid: a plan of experiments laid out model × dataset.

    | Model ↓ / Data → | CV (public) | Regional | CV + regional |
    | Whisper-small    | E01 ✅      | E02 🔄   | E03 ⬜        |
    | Whisper-medium   | E04 ✅      | E05 ⏳   | E06 ⬜        |

No column holds keys; each cell holds one: an id (letters and digits: ``E04``, ``EXP-4``) and a status mark
(``E04 ✅``, or ``✅ E04``).  Each such cell is a unit, titled by its row's name and its column's header, with
its status written in the cell.  A table is a grid when such cells are most of its cells beyond the first
column, at least three in at least two rows, and their ids are unique.
"""

from __future__ import annotations

from syncbot.model import Session, Span, SpanKind, Status, StatusSpan
from syncbot.readers import hinted_reading
from syncbot.readers.common import Document, ReadResult, strip_inline
from syncbot.readers.lazy_re import lazy_re
from syncbot.readers.legend import status_of
from syncbot.readers.progress_log import apply_log
from syncbot.readers.structure import tables
from syncbot.readers.summaries import summary_lines
from syncbot.readers.table_cells import Cell, Table, split_row

# an id holds a letter and a digit (`E04`, `EXP-4`, `#E4`): a bare number in a cell counts something
_ID = r"#?(?=[\w.-]*\d)(?=[\w.-]*[^\W\d_])[^\W_][\w.-]*[\w]"
_ID_FIRST_RE = lazy_re(rf"^(?P<id>{_ID})\s+(?P<status>\S.{{0,30}})$")
_STATUS_FIRST_RE = lazy_re(rf"^(?P<status>\S.{{0,30}}?)\s+(?P<id>{_ID})$")


def _grid_cell(doc: Document, cell: Cell) -> tuple[str, Status, Span, str] | None:
    """(id, status, span of the status, status as written) of a cell such as `E04 ✅`."""
    text = cell.text
    for rx in (_ID_FIRST_RE, _STATUS_FIRST_RE):
        m = rx.match(text)
        if m is None:
            continue
        said = m.group("status")
        if status_of(doc, m.group("id")):
            continue
        st = status_of(doc, strip_inline(said))
        if st is not None:
            start = cell.span.start + m.start("status")
            return m.group("id").lstrip("#"), st, Span(start, start + len(said)), doc.fix(said)
    return None


def grid_units(doc: Document, t: Table) -> list[Session]:
    """The units a table holds in its cells, when it is such a grid (see the module docstring); else none."""
    if len(t.header) < 2 or len(t.rows) < 2:
        return []
    units: list[Session] = []
    rows_with, filled = 0, 0
    header = [strip_inline(doc.fix(c.text)) for c in split_row(doc, t.line, len(t.header))]  # as written
    for line, cells in t.rows:
        name = strip_inline(doc.fix(cells[0].text))
        before = len(units)
        for col, cell in enumerate(cells[1:], start=1):
            if not cell.text:
                continue
            filled += 1
            found = _grid_cell(doc, cell)
            if found is None:
                continue
            key, st, span, said = found
            column = header[col]
            title = f"{name} — {column}" if name and column else name or column
            s = Session(key=key, title=title, status=st, status_text=said, line=line, end_line=line)
            s.status_spans = [StatusSpan(span, SpanKind.CELL, line)]
            s.rule = f"cell of the grid on line {t.line}"
            if t.heading:
                s.phase = t.heading
            units.append(s)
        rows_with += len(units) > before
    keys = [s.key.lower() for s in units]
    if len(units) < 3 or rows_with < 2 or len(units) < 0.6 * filled or len(set(keys)) != len(keys):
        return []
    return units


def grid_reading(doc: Document, res: ReadResult, grids: list[Session], lines: set[int]) -> ReadResult:
    """A document whose only units are the cells of grids (:mod:`table_grid`)."""
    seen: dict[str, Session] = {}
    for u in grids:
        seen.setdefault(u.key, u)
    res.sessions = list(seen.values())
    apply_log(doc, res.sessions, res.problems)
    res.summary_lines = summary_lines(doc)
    res.confidence = 1.0
    res.notes.append(f"{len(res.sessions)} units in the cells of {len({u.rule for u in grids})} grid(s)")
    res.notes += hinted_reading.table_notes(doc, tables(doc), [t for t in tables(doc) if t.line in lines], [])
    return res
