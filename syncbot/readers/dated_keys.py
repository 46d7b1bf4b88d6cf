"""Tables keyed by their dates: `| Ngày | Việc | Trạng thái | Sau khi xong |` over `| 2025-07-09 | … | 2025-07-08 |`.

A date is no key as a rule (it is when a unit is due, beside its key).  It is the key when a column among the
table's first three holds a distinct ISO date on every row and the table's other cells name those dates: the
rows are the days of a schedule, and what each day waits for is another day.
"""

from __future__ import annotations

from syncbot.readers.common import strip_inline
from syncbot.readers.lazy_re import lazy_re
from syncbot.readers.table_cells import Table

_ISO_DATE_RE = lazy_re(r"\d{4}-\d{2}-\d{2}")
_ANY_DATE_RE = lazy_re(r"(?=(\d{4}-\d{2}-\d{2}))")  # (at every position: `2025-07-2025-07-09` holds two)
_AT_LEAST = 3


def dated_key_column(t: Table) -> int | None:
    """The column of dates that key the table's rows (see the module docstring), or None."""
    for col in range(min(3, len(t.header))):
        days = [strip_inline(cells[col].text) for _, cells in t.rows]
        if len(days) < _AT_LEAST or len(set(days)) != len(days) or not all(map(_ISO_DATE_RE.fullmatch, days)):
            continue
        others = " ".join(c.text for _, cells in t.rows for i, c in enumerate(cells) if i != col)
        # (every date the other cells write, overlapping ones too: one scan, not one of all the cells a day)
        if not set(days).isdisjoint(_ANY_DATE_RE.findall(others)):
            return col
    return None
