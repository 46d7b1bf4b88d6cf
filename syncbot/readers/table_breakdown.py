"""Summary rows of a work breakdown: rows that only add up the rows under them.

A WBS table numbers its work hierarchically, and its upper levels are totals, not work::

    | WBS     | Name          | Estimate | Status | Predecessors |
    | **1**   | **Analysis**  | **38**   |        |              |
    | **1.1** | **Interviews**| 16       |        |              |
    | 1.1.1   | Librarian     | 4        | Done   | –            |

Row ``1.1`` is a *summary row*: its key opens other rows' keys of the same table (``1.1`` + ``.`` …) and it
states no status where the table has a status column.  Only the leaves are units.  A summary row's key
written as a prerequisite (``3.1``) still means its members: once the row is no unit, the key index reads
``3.1`` as the family of keys it opens (:meth:`KeyIndex.family`).
"""

from __future__ import annotations

from syncbot.readers.common import strip_inline
from syncbot.readers.table_cells import Cell

Row = tuple[int, str, str, list[Cell]]  # (line, key, title, cells) of a keyed table

_EMPTY = {"", "-", "–", "—"}


def leaf_rows(rows: list[Row], status: int | None) -> list[Row]:
    """``rows`` without the summary rows (see the module docstring).  A table without a status column keeps
    every row: nothing tells a total from a unit there."""
    if status is None or len(rows) < 3:
        return rows
    keys = [r[1].lower() for r in rows]
    opened = {k[:i] for k in keys for i, ch in enumerate(k) if ch == "." and i}
    out = [r for r in rows if not (r[1].lower() in opened and strip_inline(r[3][status].text) in _EMPTY)]
    return out if out else rows
