"""Which tables of a document hold work units, read as keyed rows.

A table holds units when it has a key column and says what its rows are (a status, prerequisites, or a
header naming them); tables of risks, decisions, findings or metrics are not work units even with a status
column.  A table with no key column may still name its rows in its first column beside a status column
(trusted least).  Column roles come from :mod:`table_columns`; the tables of units are grouped in
namespaces by :mod:`table_namespaces`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from syncbot.readers import hinted_reading
from syncbot.readers.common import Document, strip_inline
from syncbot.readers.dated_keys import dated_key_column
from syncbot.readers.item_ids import marked_lead_id
from syncbot.readers.key_index import UNIT_WORDS
from syncbot.readers.lazy_re import lazy_re
from syncbot.readers.legend import status_of
from syncbot.readers.status_words import classify_status
from syncbot.readers.table_breakdown import leaf_rows
from syncbot.readers.table_cells import Cell, Table
from syncbot.readers.table_columns import (
    Roles,
    first,
    infer_roles,
    status_column,
)
from syncbot.readers.table_headers import (
    DURATION_H,
    KEY_H,
    NOT_PREREQ_H,
    NOT_UNITS_H,
    PHASE_H,
    PREREQ_H,
    STATUS_H,
)
from syncbot.readers.table_keys import key_column, parse_key
from syncbot.readers.table_status import percent_status
from syncbot.readers.titles import slug


@dataclass
class KeyedTable:
    table: Table
    roles: Roles
    rows: list[tuple[int, str, str, list[Cell]]] = field(default_factory=list)  # (line, key, title, cells)

    @property
    def quality(self) -> float:
        r = self.roles
        return (
            len(self.rows)
            + 3 * ((r.title is not None and not r.title_guessed) or r.key_with_title)
            + 2 * (r.status is not None)
            + 2 * (r.prereq is not None)
            + bool(KEY_H.match(self.table.header[r.key]))
            - 100 * r.named
        )

    @property
    def defines_units(self) -> bool:
        r = self.roles
        named = r.title is not None or r.key_with_title
        return r.status is not None or r.prereq is not None or (named and bool(KEY_H.match(self.table.header[r.key])))


def keyed_table(doc: Document, t: Table) -> KeyedTable | None:
    if not t.rows or not t.header:
        return None
    # one row of keys is a table only when its header says so (`| Session | ... | Status |`)
    one_row_ok = any(STATUS_H.search(h) for h in t.header)
    left_out, hinted_key = hinted_reading.table_key(doc, t)
    if left_out:
        return None
    key = hinted_key if hinted_key is not None else key_column(t, allow_title=False, one_row_ok=one_row_ok)
    with_title = False
    if key is None:
        key = key_column(t, allow_title=True, one_row_ok=one_row_ok)
        with_title = key is not None
    dated = key is None and (key := dated_key_column(t)) is not None  # `| 2025-07-09 | … | 2025-07-08 |`
    if key is None:
        return _named(doc, t)
    roles = hinted_reading.apply_columns(doc, t, infer_roles(doc, t, key, with_title))
    if not_units(t, roles) and not hinted_reading.hinted_table(doc, t):
        hinted_reading.skipped(doc, t, "its headers say risks, decisions, findings or metrics, not work units")
        return None
    k = KeyedTable(t, roles)
    for line, cells in t.rows:
        parsed = hinted_reading.key_in(doc, cells[key].text) or parse_key(cells[key].text, with_title)
        if parsed is None and dated:
            parsed = (strip_inline(cells[key].text), "")
        if parsed is None:
            continue
        k.rows.append((line, parsed[0], parsed[1], cells))
    k.rows = leaf_rows(k.rows, roles.status)  # a work breakdown's summary rows are totals, not units
    return _regrouped(doc, k)


def _regrouped(doc: Document, k: KeyedTable) -> KeyedTable:
    """`| Phase | Task | Status |` with `| 1 | Set up repo | Done |`, `| 1 | CI | Done |`: numbers that repeat
    under a grouping header are the phase of each row, not its key; the rows are units named by their titles."""
    r, t = k.roles, k.table
    keys = [row[1] for row in k.rows]
    grouping = PHASE_H.match(t.header[r.key]) or KEY_H.match(t.header[r.key])
    if r.title is None or len(set(keys)) == len(keys) or not grouping:
        return k
    titles = [slug(strip_inline(doc.fix(row[3][r.title].text))) for row in k.rows]
    if not all(titles) or len(set(titles)) != len(titles):
        return k
    roles = Roles(
        key=r.key, key_with_title=True, status=r.status, prereq=r.prereq, duration=r.duration, output=r.output,
        phase=r.key,
    )  # fmt: skip
    out = KeyedTable(t, roles)
    for (line, _, _, cells), key in zip(k.rows, titles, strict=True):
        out.rows.append((line, key, cells[r.title].text, cells))
    return out


def _named(doc: Document, t: Table) -> KeyedTable | None:
    """`| Module | Progress |` with `| Parser | 100% |`: no keys, but the first column names each row and a
    status column says how far it is.  Such a table may as well be an environment check (`| Resource |
    Status |`), so detection trusts it least (see ``named`` in :func:`read`)."""
    if len(t.header) < 2 or len(t.rows) < 2:
        return None
    # the first column that names rows: `| Estreia | Episódio | … |` opens with dates, the names come after
    col = next((c for c in range(len(t.header) - 1) if not _dated(doc, t, c)), 0)
    names = [slug(strip_inline(doc.fix(cells[col].text))) for _, cells in t.rows]
    if not all(names) or len(set(names)) != len(names):
        return None
    status = status_column(doc, t, {col})
    if status is None:
        return None
    # work is described in words or figures (`In progress`, `75%`, `🎬 Em edição` by the document's own
    # legend); a column of bare marks (`✅ ok`, `❌ missing`) checks an environment, it does not track work
    said = [c[status].text for _, c in t.rows if c[status].text]
    worded = [
        x
        for x in said
        if percent_status(x)
        or classify_status(re.sub(r"[^\w\s/%'-]", " ", doc.fix(x)))
        or (_WORD_RE.search(x) and status_of(doc, x))
    ]
    if len(worded) < 0.6 * len(t.rows):
        return None
    # `| **M1** Discovery & data mapping | … |`: names that lead with ids are keyed by them
    ids = [marked_lead_id(doc.fix(cells[col].text)) for _, cells in t.rows]
    keyed = all(ids) and len({i[0] for i in ids if i}) == len(ids)
    roles = Roles(key=col, key_with_title=True, status=status, named=not keyed)
    roles.prereq = first(t, PREREQ_H, roles.taken(), NOT_PREREQ_H)
    roles.duration = first(t, DURATION_H, roles.taken())
    k = KeyedTable(t, roles)
    for (line, cells), key, found in zip(t.rows, names, ids, strict=True):
        if keyed and found is not None:
            text = doc.fix(cells[col].text)
            k.rows.append((line, found[0], text[found[1] :].strip(" —–:-"), cells))
        else:
            k.rows.append((line, key, cells[col].text, cells))
    return k


_WORD_RE = lazy_re(r"[^\W\d_]{3,}")
_DATE_CELL_RE = lazy_re(r"^[\s*_]*(?:\d{1,4}[-/.]\d{1,2}(?:[-/.]\d{1,4})?|\d{4}-W\d{2}|W?\d{1,3})[\s*_]*$")


def _dated(doc: Document, t: Table, col: int) -> bool:
    """A column of dates or numbers (`06/02`, `2025-03-14`, `W12`): when, not what."""
    cells = [strip_inline(doc.fix(c[col].text)) for _, c in t.rows if c[col].text.strip()]
    return bool(cells) and all(_DATE_CELL_RE.match(x) for x in cells)


_NOT_UNITS_HEADING_RE = lazy_re(r"^[\W\d_]*(?P<word>[^\W\d_][\w ]*?)[\W\d_]*$")


def not_units(t: Table, roles: Roles) -> bool:
    """Risks, decisions, findings, metrics, claims under test: the table's heading, its key or title header,
    or the header after the key says so (or a column of verdicts)."""
    heads = [t.header[roles.key]]
    heads += [t.header[c] for c in (roles.title, roles.key + 1) if c is not None and c < len(t.header)]
    m = _NOT_UNITS_HEADING_RE.match(t.heading.lower())
    # (`## Findings` over rows that depend on each other is a remediation plan: work, whatever its heading)
    if m and NOT_UNITS_H.search(m.group("word")) and roles.prereq is None:
        return True
    return any(NOT_UNITS_H.search(h) for h in heads) or any(
        re.search(r"\b(mitigation|likelihood|probability|rationale|severity|verdict|veredicto|urteil)\b", h)
        for h in t.header
    )


def unit_word(k: KeyedTable) -> str | None:
    """What the matrix calls its units: its key header (`Session`) or the word in its key cells (`Step 2`)."""
    cells = [k.table.header[k.roles.key]] + [strip_inline(c[k.roles.key].text) for _, c in k.table.rows[:1]]
    for text in cells:
        m = re.match(rf"^({UNIT_WORDS})\b", text, re.IGNORECASE)
        if m:
            w = m.group(1).lower()
            return w[:-1] if w.endswith("s") else w
    return None


def share_roles(keyed: list[KeyedTable]) -> None:
    """Tables under one header (`| Lesson | Topic | State | Needs first |` once per week) are one table
    cut in pieces: a column role found in one piece holds in the others, whose cells may not show it
    (`Needs first: week 2` names a container, not keys)."""
    by_header: dict[tuple[str, ...], list[KeyedTable]] = {}
    for k in keyed:
        by_header.setdefault(tuple(h.strip().lower() for h in k.table.header), []).append(k)
    for same in by_header.values():
        if len(same) < 2:
            continue
        for role in ("status", "prereq"):
            cols = {getattr(k.roles, role) for k in same} - {None}
            if len(cols) != 1:
                continue
            col = cols.pop()
            for k in same:
                if getattr(k.roles, role) is None and col not in k.roles.taken():
                    setattr(k.roles, role, col)
