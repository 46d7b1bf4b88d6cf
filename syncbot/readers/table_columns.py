"""What each column of a table holds, inferred from its cells; the header is one hint among others.

A table of work units has a *key* column (short tokens, unique per row: ``3``, ``G.1.1``, ``02.A``,
``P6-2``, ``VS-001``, ``E1-S3``, ``#12``, ``Phase 2``), usually a *title* column (the words), and often a
*status* column (cells that map to a status, by the document's legend, a word in any language, or an
emoji) and a *prerequisites* column (cells that name other rows' keys).  Headers in any language help
(``状态``, ``Estado``, ``依赖``), but a column is recognised by what it holds even under a header we have never
seen.  The key column and the keys in its cells are :mod:`table_keys`'s; once it is known, :func:`infer_roles`
gives every other column its role.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from syncbot.readers.common import Document, strip_inline
from syncbot.readers.key_index import KeyIndex
from syncbot.readers.lazy_re import lazy_re
from syncbot.readers.ref_markers import MARKER_RE
from syncbot.readers.structure import Table
from syncbot.readers.table_cells import column_texts
from syncbot.readers.table_headers import (
    DURATION_H,
    INVERSE_H,
    KEY,
    NOT_PREREQ_H,
    OUTPUT_H,
    OWNER_H,
    PHASE_H,
    PREREQ_H,
    QUANTITY_H,
    STATUS_H,
    TITLE_WORDS,
    WEAK_STATUS_H,
)
from syncbot.readers.table_keys import CJK, WORD_PREFIX, parse_key
from syncbot.readers.table_status import is_status_cell, percent_status

# --- header hints (lower-case header text; any language) -------------------------------------------------


# --- roles ------------------------------------------------------------------------------------------------


@dataclass
class Roles:
    key: int
    key_with_title: bool
    title: int | None = None
    status: int | None = None
    prereq: int | None = None
    inverse: int | None = None  # `Blocks`: the rows named there depend on this one
    duration: int | None = None
    output: int | None = None
    phase: int | None = None
    named: bool = False  # keys are slugs of the first column's names, not written keys
    title_guessed: bool = False  # the title column was found by its content, not by its header

    def taken(self) -> set[int]:
        cols = (self.key, self.title, self.status, self.prereq, self.inverse, self.duration, self.output, self.phase)
        return {c for c in cols if c is not None}


def status_ratio(doc: Document, t: Table, col: int) -> float:
    cells = [c for c in column_texts(t, col) if c]
    if not cells:
        return 0.0
    return sum(is_status_cell(doc, c) or percent_status(c) is not None for c in cells) / len(t.rows)


def status_column(doc: Document, t: Table, taken: set[int]) -> int | None:
    """By header (any language) when its cells do not contradict it; else the column whose cells mostly
    state a status (the rightmost of equals: status columns close a row)."""
    hinted = [c for c, h in enumerate(t.header) if c not in taken and STATUS_H.search(h) and not PREREQ_H.search(h)]
    for col in hinted:
        weak = WEAK_STATUS_H.search(t.header[col])  # `Done when`, `Progress notes` may hold anything
        if status_ratio(doc, t, col) >= 0.3 or (len(hinted) == 1 and not weak):
            return col
    best: tuple[float, int] | None = None
    for col, h in enumerate(t.header):
        if col in taken or PREREQ_H.search(h) or OWNER_H.search(h) or any(w in h for w in TITLE_WORDS[:3]):
            continue
        r = status_ratio(doc, t, col)
        if r >= 0.6 and (best is None or r >= best[0]):
            best = (r, col)
    return best[1] if best else None


_NONE_CELL_RE = lazy_re(r"^(?:[-—–]+|none|n/?a|nothing|无|없음|なし|keine|ninguna?|nenhuma?|aucune?)?$", re.I)
_REF_SPLIT_RE = lazy_re(r"\s*(?:,|;|/|&|·|、|，|\band\b|\bund\b|\by\b|\be\b|\bet\b)\s*")


def key_shape(key: str) -> str:
    """`2.3` -> `9.9`, `VS-004` -> `VS-9`: the form of a key, its digits aside."""
    return _DIGIT_RUN_RE.sub("9", key.upper())


_DIGIT_RUN_RE = lazy_re(r"\d+")
_FRACTION_RE = lazy_re(r"^\d+\s*/\s*\d+$")


def _refs_only(text: str, index: KeyIndex, key_re: re.Pattern[str], shapes: set[str]) -> int | None:
    """How many keys of ``index`` a cell names when it names nothing else; None when it holds other words.
    A key this table does not hold still counts as a reference when it has the form of the table's keys
    (`2.1` beside rows `3.1`…: a unit of another part of the document)."""
    plain = strip_inline(text)
    if _NONE_CELL_RE.match(plain):
        return 0
    if _FRACTION_RE.match(plain):
        return None  # `2/3` plans complete
    n = 0
    for part in _REF_SPLIT_RE.split(plain):
        m = key_re.fullmatch(part.strip())
        if not m:
            return None
        if index.resolve(m.group("key")) is not None:
            n += 1
        elif key_shape(m.group("key")) not in shapes:
            return None
    return n


_REF_CELL_RE = lazy_re(rf"(?:{WORD_PREFIX})?#?(?P<key>{KEY})(?:\s*(?:[-–~]|\.\.)\s*#?[\w.]+)?", re.IGNORECASE)


def prereq_by_content(t: Table, taken: set[int], row_keys: list[str | None]) -> int | None:
    """A column under a header we do not know whose cells only name other rows' keys (or none), and never
    the row's own: `| 4 | Launch | 4 |` counts something."""
    keys = [k for k in row_keys if k is not None]
    index = KeyIndex(keys)
    shapes = {key_shape(k) for k in keys}
    numbered = all(k.isdigit() for k in keys)
    for col, h in enumerate(t.header):
        if col in taken or NOT_PREREQ_H.search(h) or INVERSE_H.search(h) or OWNER_H.search(h) or QUANTITY_H.search(h):
            continue
        cells = column_texts(t, col)
        if not numbered and all(_NUMBER_CELL_RE.match(strip_inline(c)) for c in cells):
            continue  # `| BRGY-1 | … | 2 |`: bare numbers beside keys of another form count something
        counts = [_refs_only(c, index, _REF_CELL_RE, shapes) for c in cells]
        if (
            all(n is not None for n in counts)
            and sum(1 for n in counts if n) >= 2
            and not any(k is not None and _names_itself(c, k) for c, k in zip(cells, row_keys, strict=True))
        ):
            return col
    return None


# `| Links |` in an issue tracker's export: blocking relations beside other links
_LINKS_H = lazy_re(r"\b(links?|issue\s+links|relations?|bağlantılar|verknüpfungen|liens|enlaces|vínculos)\b|关联|関連")


def links_column(t: Table, taken: set[int]) -> int | None:
    """A links column whose cells state blocking relations (`KRG-201 tarafından engelleniyor`, `blocks X`)."""
    for col, h in enumerate(t.header):
        if col not in taken and _LINKS_H.search(h) and any(MARKER_RE.search(c) for c in column_texts(t, col)):
            return col
    return None


def _names_itself(cell: str, key: str) -> bool:
    return any(
        (m := _REF_CELL_RE.fullmatch(part.strip())) is not None and m.group("key") == key
        for part in _REF_SPLIT_RE.split(strip_inline(cell))
    )


def first(t: Table, pattern: re.Pattern[str], taken: set[int], exclude: re.Pattern[str] | None = None) -> int | None:
    for col, h in enumerate(t.header):
        if col not in taken and pattern.search(h) and not (exclude and exclude.search(h)):
            return col
    return None


def _shorter(t: Table, col: int, key: int) -> bool:
    """Whether ``col``'s cells say less than the titles written beside the keys in the key column."""
    rests = [p[1] for c in column_texts(t, key) if (p := parse_key(c, True)) is not None]
    own = sum(len(c.strip()) for c in column_texts(t, col))
    return bool(rests) and own < sum(len(r.strip()) for r in rests)


_NUMBER_CELL_RE = lazy_re(r"^\s*[\d.,%*]*\s*$")


def title_column(t: Table, taken: set[int]) -> int | None:
    best: tuple[int, int] | None = None
    for col, h in enumerate(t.header):
        if col in taken or OWNER_H.search(h) or all(_NUMBER_CELL_RE.match(c) for c in column_texts(t, col)):
            continue  # `任务数` (number of tasks) holds counts, not names
        for rank, w in enumerate(TITLE_WORDS):
            hit = w in h if re.match(CJK, w) else re.search(rf"\b{w}", h)
            if hit and (best is None or rank < best[0]):
                best = (rank, col)
    return best[1] if best else None


def _owner_like(cells: list[str]) -> bool:
    """One name a cell (`@ana`, `Bob`, `张三`), the same names again and again: who, not what."""
    names = [c for c in cells if re.fullmatch(r"@?[^\W\d_][\w.-]{0,15}", c)]
    return len(names) >= 0.7 * len(cells) and (len(set(names)) < len(names) or all(n.startswith("@") for n in names))


def text_column(t: Table, taken: set[int]) -> int | None:
    """A title column under a name we do not know (`Was`, `ストーリー`): the first other column of words
    that is not a column of people's names."""
    for col, h in enumerate(t.header):
        if col in taken or OWNER_H.search(h):
            continue
        cells = [strip_inline(c) for c in column_texts(t, col) if c]
        words = [c for c in cells if re.search(r"[^\W\d_]", c) and not re.fullmatch(r"@[\w.-]+", c)]
        if cells and len(words) >= 0.7 * len(t.rows) and not _owner_like(cells):
            return col
    return None


def infer_roles(doc: Document, t: Table, key: int, with_title: bool) -> Roles:
    """Every other column's role, once the key column is known."""
    roles = Roles(key=key, key_with_title=with_title)
    roles.status = status_column(doc, t, {key})
    roles.prereq = first(t, PREREQ_H, roles.taken(), NOT_PREREQ_H)
    roles.inverse = first(t, INVERSE_H, roles.taken())
    roles.duration = first(t, DURATION_H, roles.taken())
    # a column that groups the units (`Phase`, `Milestone`) when the key column is something else
    roles.phase = first(t, PHASE_H, roles.taken())
    roles.title = title_column(t, roles.taken())
    if roles.title is not None and with_title and _shorter(t, roles.title, key):
        roles.title = None  # `| 阶段 1：数据接入 | 中 |`: the key cell names the unit better than `预计工作量`
    roles.output = first(t, OUTPUT_H, roles.taken())
    if roles.title is None and roles.phase is not None:
        # `| ID | Phase | Status |` with a different phase on every row: the column names the units
        values = [cells[roles.phase].text for _, cells in t.rows]
        if len(t.rows) >= 2 and all(values) and len(set(values)) == len(values):
            roles.title, roles.phase = roles.phase, None
    if roles.title is None and not with_title:
        roles.title = text_column(t, roles.taken())
        roles.title_guessed = roles.title is not None
    if roles.prereq is None:
        roles.prereq = links_column(t, roles.taken())
    if roles.prereq is None:
        row_keys = [p[0] if (p := parse_key(c, with_title)) is not None else None for c in column_texts(t, key)]
        roles.prereq = prereq_by_content(t, roles.taken(), row_keys)
    return roles
