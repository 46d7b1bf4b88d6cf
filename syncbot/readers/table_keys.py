"""Unit keys as a table's cells write them (``**1**``, ``Session 0``, ``G.1.1``, ``阶段 2``, with a title
``1 - Foundation``), and the column that holds them: short tokens, unique per row, that lead the row.  Dates
are no keys, nor the row numbers of an exported sheet, nor numbers after a name (they measure it).  The key
column is looked for first (:mod:`syncbot.readers.table_units`); the other columns' roles follow from it
(:mod:`syncbot.readers.table_columns`).
"""

from __future__ import annotations

import re

from syncbot.readers.common import strip_inline
from syncbot.readers.lazy_re import lazy_re
from syncbot.readers.table_cells import Table, column_texts
from syncbot.readers.table_headers import KEY, KEY_H, PHASE_H, QUANTITY_H, UNIT_WORD

CJK = r"[\u3040-\u30ff\u4e00-\u9fff\uac00-\ud7af]"
WORD_PREFIX = rf"(?:(?:{UNIT_WORD})\s*|{CJK}{{1,6}}\s*)"
_KEY_CELL_RE = lazy_re(rf"^(?P<word>{WORD_PREFIX})?#?(?P<key>{KEY})(?P<tail>-[A-Za-z]{{2,10}})?\.?$", re.IGNORECASE)
_KEY_TITLE_RE = lazy_re(
    rf"^(?P<word>{WORD_PREFIX})?#?(?P<key>{KEY})(?:\s*[.):：]\s*|\s+[-—–:|]\s*)(?P<title>\S.*)$", re.IGNORECASE
)
_DATE_RE = lazy_re(r"^\d{4}[-/.]\d{1,2}([-/.]\d{1,2})?$|^\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}$")


def parse_key(cell: str, allow_title: bool) -> tuple[str, str] | None:
    """``**1**``, ``Session 0``, ``\\`IP-00\\```, ``G.1.1``, ``阶段 2`` -> (key, ""); with ``allow_title`` also
    ``1 - Foundation`` / ``1. Setup`` -> (key, title).  Dates are no keys."""
    plain = strip_inline(cell).strip()
    m = _KEY_CELL_RE.match(plain)
    if m and not _DATE_RE.match(m.group("key")):
        return m.group("key") + (m.group("tail") or ""), ""
    if allow_title:
        m = _KEY_TITLE_RE.match(plain)
        if m and not _DATE_RE.match(m.group("key")):
            return m.group("key"), m.group("title").strip()
    return None


def key_word(cell: str) -> str | None:
    """The unit word a key cell is written with (`Phase 2` -> `phase`), if any."""
    m = _KEY_CELL_RE.match(strip_inline(cell).strip())
    word = (m.group("word") or "").strip() if m else ""
    return word.lower() or None


def key_column(t: Table, allow_title: bool, one_row_ok: bool) -> int | None:
    """The column of unit keys: short tokens, unique per row.  A column whose keys repeat is taken only when
    its header groups rows (`Phase`) and no column of unique keys exists."""
    grouped: int | None = None
    for col in range(min(3, len(t.header))):
        header = t.header[col]
        hinted = bool(KEY_H.match(header))
        need = 1 if one_row_ok and hinted else 2
        cells = [c for c in column_texts(t, col) if c]
        if len(cells) < need or (not hinted and QUANTITY_H.search(header)):
            continue
        if not header and cells[0] in ("0", "1") and cells == [str(i + int(cells[0])) for i in range(len(cells))]:
            continue  # `|  0 | DP-01 | …`: the row numbers of an exported sheet (pandas' index), no keys
        if col and not hinted and not all(_narrow(t, c) for c in range(col)):
            continue  # `| Dataset | Zoom | p50 |`: numbers after a name measure it; keys lead a row
        keys = [p[0].lower() for c in cells if (p := parse_key(c, allow_title)) is not None]
        if len(keys) < need or len(keys) < 0.7 * len(t.rows):
            continue
        if len(set(keys)) == len(keys):
            return col
        if grouped is None and (hinted or PHASE_H.match(header)):
            grouped = col
    return grouped


def _narrow(t: Table, col: int) -> bool:
    """A column of marks or tiny codes (`✅`, `P1`) that may stand before the key column."""
    cells = [strip_inline(c) for c in column_texts(t, col) if c]
    return all(len(c) <= 3 for c in cells)
