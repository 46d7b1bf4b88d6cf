"""Which tables of a document hold work units, and in which namespaces.

A table holds units when it has a key column and says what its rows are (a status, prerequisites, or a
header naming them).  Several such tables may each be their own namespace (a roadmap of phases and a
queue of tasks, both numbered from 1); a table whose rows resolve into an earlier one and agree with its
titles only restates those units.  Column roles come from :mod:`table_columns`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property

from syncbot.readers import hinted_reading
from syncbot.readers.common import Document, strip_inline
from syncbot.readers.dated_keys import dated_key_column
from syncbot.readers.item_ids import marked_lead_id
from syncbot.readers.key_index import UNIT_WORDS, KeyIndex
from syncbot.readers.legend import status_of
from syncbot.readers.phrases import slug
from syncbot.readers.status_words import classify_status
from syncbot.readers.table_breakdown import leaf_rows
from syncbot.readers.table_cells import Cell, Table
from syncbot.readers.table_columns import (
    Roles,
    first,
    infer_roles,
    not_units,
    status_column,
)
from syncbot.readers.table_headers import DURATION_H, KEY_H, NOT_PREREQ_H, PHASE_H, PREREQ_H, QUANTITY_H, STATUS_H
from syncbot.readers.table_keys import key_column, parse_key
from syncbot.readers.table_status import percent_status


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


_WORD_RE = re.compile(r"[^\W\d_]{3,}")
_DATE_CELL_RE = re.compile(r"^[\s*_]*(?:\d{1,4}[-/.]\d{1,2}(?:[-/.]\d{1,4})?|\d{4}-W\d{2}|W?\d{1,3})[\s*_]*$")


def _dated(doc: Document, t: Table, col: int) -> bool:
    """A column of dates or numbers (`06/02`, `2025-03-14`, `W12`): when, not what."""
    cells = [strip_inline(doc.fix(c[col].text)) for _, c in t.rows if c[col].text.strip()]
    return bool(cells) and all(_DATE_CELL_RE.match(x) for x in cells)


def unit_word(k: KeyedTable) -> str | None:
    """What the matrix calls its units: its key header (`Session`) or the word in its key cells (`Step 2`)."""
    cells = [k.table.header[k.roles.key]] + [strip_inline(c[k.roles.key].text) for _, c in k.table.rows[:1]]
    for text in cells:
        m = re.match(rf"^({UNIT_WORDS})\b", text, re.IGNORECASE)
        if m:
            w = m.group(1).lower()
            return w[:-1] if w.endswith("s") else w
    return None


@dataclass
class Namespace:
    """One namespace of units: a matrix, or a matrix split into one table per phase (same columns, other
    keys).  A document may hold several (a roadmap of phases and a queue of tasks, both numbered from 1)."""

    parts: list[KeyedTable]
    final: dict[str, str] = field(default_factory=dict)  # key as written -> the unit's key in the tracker

    @property
    def keys(self) -> list[str]:
        return [r[1] for k in self.parts for r in k.rows]

    @cached_property
    def index(self) -> KeyIndex:
        return KeyIndex(list(dict.fromkeys(self.keys)))

    @property
    def roles(self) -> Roles:
        return self.parts[0].roles

    def word(self) -> str | None:
        return unit_word(self.parts[0])

    def names(self) -> set[str]:
        """Words that name this namespace in a reference (`API 2` for the table under `## Platform API`):
        its unit word and the words of its section heading."""
        words = {w for w in re.findall(r"[^\W\d_]{2,}", self.parts[0].table.heading.lower())}
        word = self.word()
        return words | ({word} if word else set())


_NAMED_REF_RE = re.compile(r"(?<![\w-])(?P<word>[^\W\d_]{2,})\s+#?(?P<num>\d+(?:\.\d+)*)(?![\w.-])")


def named_refs(text: str, groups: list[Namespace], own: Namespace) -> tuple[list[str], str]:
    """References that name another namespace by a word of its heading (`API 2` written in the Dashboard
    table): their keys there, and ``text`` with them blanked.  A word shared by several namespaces, or one of
    ``own``'s words, names none."""
    if len(groups) < 2:
        return [], text
    owners: dict[str, list[Namespace]] = {}
    for g in groups:
        for w in g.names():
            owners.setdefault(w, []).append(g)
    mine = own.names()
    found: list[str] = []

    def take(m: re.Match[str]) -> str:
        gs = owners.get(m.group("word").lower(), [])
        if len(gs) != 1 or gs[0] is own or m.group("word").lower() in mine:
            return m.group(0)
        k = gs[0].index.resolve(m.group("num"))
        if k is None:
            return m.group(0)
        found.append(gs[0].final[k])
        return " " * len(m.group(0))

    return found, _NAMED_REF_RE.sub(take, text)


def _norm_title(doc: Document, text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", strip_inline(doc.fix(text)).lower()).split())


def _same_units(doc: Document, k: KeyedTable, g: Namespace, mine: list[tuple[str, str]]) -> bool:
    """Whether table ``k``'s rows (``mine``: its title, the group key it resolves to) restate units of ``g``
    (a completion tracker, a dashboard) rather than being other units numbered the same way."""
    if k.roles.title is None or g.roles.title is None:
        return True
    titles = {r[1]: r[3][g.roles.title].text for p in g.parts for r in p.rows}
    agree = 0
    for title, key in mine:
        a, b = _norm_title(doc, title), _norm_title(doc, titles.get(key, ""))
        agree += bool(a and b and (a == b or (len(a) >= 4 and a in b) or (len(b) >= 4 and b in a)))
    if all(re.search(r"[^\W\d_]", key) for _, key in mine):
        # `R1`…`R7` in both tables: ids that say which unit they are, not a count from 1; unless one table cut
        # per section numbers each section's units afresh (`## EPIC-2` / `| US-1 | … |`), none of them the same
        return agree > 0 or k.table.header != g.parts[0].table.header
    return agree >= 0.5 * len(mine)


_MILESTONE_H = re.compile(r"^(milestones?|jalons?|hitos?|meilensteine?|marcos?|里程碑|マイルストーン|마일스톤)$")


def _more_units(k: KeyedTable) -> bool:
    """A further table of units beside the best one says what its rows are: a status or prerequisite column,
    or a header that names them (`Task`); a numbered list of criteria or notes is not work."""
    r = k.roles
    if r.named or (_MILESTONE_H.match(k.table.header[r.key]) and any(QUANTITY_H.search(h) for h in k.table.header)):
        return False  # a milestone calendar (`| Jalon | Date cible | Statut |`) frames the units, it is none
    return r.status is not None or r.prereq is not None or (r.title is not None and not r.title_guessed)


def namespaces(doc: Document, keyed: list[KeyedTable]) -> tuple[list[Namespace], list[tuple[KeyedTable, Namespace]]]:
    """Tables of units in namespaces, best table first; and the tables that only restate those units."""
    groups: list[Namespace] = []
    restating: list[tuple[KeyedTable, Namespace]] = []
    for k in sorted(keyed, key=lambda k: -k.quality):
        keys = {r[1] for r in k.rows}
        same = next((g for g in groups if g.parts[0].table.header == k.table.header and not keys & set(g.keys)), None)
        if same is not None and k.defines_units:
            same.parts.append(k)
            continue
        home = None
        for g in groups:
            mine = [
                (r[3][k.roles.title].text if k.roles.title is not None else "", g.index.resolve(r[1])) for r in k.rows
            ]
            hits = [(t, key) for t, key in mine if key is not None]
            if len(hits) >= max(2, 0.5 * len(k.rows)) and _same_units(doc, k, g, hits):
                home = g
                break
        if home is not None:
            restating.append((k, home))
        elif k.defines_units and (not groups or _more_units(k)):
            groups.append(Namespace([k]))
    for g in groups:
        g.parts.sort(key=lambda k: k.table.line)
    return groups, restating


_HEADING_KEY_RE = re.compile(r"[A-Za-z]{1,8}-\d{1,4}(?=\s|$)")


def name_keys(doc: Document, groups: list[Namespace]) -> None:
    """Each group's keys as the tracker spells them: as written, unless two namespaces share a key; then the
    one that names its units (`Phase`) says so (`phase-2`), or else the later one takes its section's name."""
    taken: set[str] = set()
    # `## EPIC-2 · Agenda` over `| US-1 | … |`: sections named by keys of their own, each numbering its units
    # afresh, name them all `EPIC-2/US-1` (the form such documents ask commits to use)
    leads = [_HEADING_KEY_RE.match(g.parts[0].table.heading or "") for g in groups]
    if len(groups) >= 2 and all(leads) and len({m.group(0) for m in leads if m}) == len(groups):
        shared = set.intersection(*({k.lower() for k in g.keys} for g in groups))
        if shared:
            for g, m in zip(groups, leads, strict=True):
                g.final.update({k: f"{m.group(0)}/{k}" for k in g.keys} if m else {})
            return
    for g in sorted(groups, key=lambda g: -g.parts[0].quality):
        raw = list(dict.fromkeys(g.keys))
        prefix = ""
        if any(k.lower() in taken for k in raw):
            word = g.word()
            # (`## 1. Backend (bank-api)`: the heading's first word, not its number)
            words = [w for w in slug(g.parts[0].table.heading or "").split("-") if not w.isdigit()]
            heading = words[0] if words else ""
            prefix = f"{word or heading or 'table'}-"
        for k in raw:
            g.final[k] = prefix + k
            taken.add((prefix + k).lower())


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
