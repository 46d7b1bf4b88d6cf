"""Reader for the table shape: a status matrix (`| Session | Title | Status | ... |`).

The matrix is the table whose first or second column holds unit keys.  Other tables keyed by the same
units contribute what the matrix lacks (a "Completion tracker" with the status, a `From | To` edge list
with dependencies), and sections below whose heading names one unit ("Session 3 Handoff Package") give
its checklist and may restate its status or prerequisites; disagreements become problems.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from syncbot.model import Problem, Session, Severity, Span, SpanKind, Status, StatusSpan
from syncbot.readers import register
from syncbot.readers.blocks import (
    UNIT_WORDS,
    Cell,
    Items,
    KeyIndex,
    Table,
    checklist_problems,
    fields_in,
    headings,
    parse_key,
    parse_refs,
    prose_lines,
    pure_status,
    summary_lines,
    tables,
    task_items,
    title_of,
)
from syncbot.readers.common import Document, ReadResult, classify_status, strip_inline
from syncbot.readers.outline import slug
from syncbot.readers.refs import add_inverse, phase_containers

_STATUS_H = re.compile(r"\b(status|state|zustand|statut|estado|état|etat|状态|状態|ステータス)\b")
_PREREQ_H = re.compile(
    r"\b(prereq\w*|pre-?requisites?|depends(\s+on)?|dependenc(y|ies)|blocked\s+by|requires|needs|after|"
    r"predecessors?|deps|abhängig\w*|voraussetzung\w*|dépend\w*|dependencias?|depende\w*|依赖|前提)\b"
)
_NOT_PREREQ_H = re.compile(r"\b(met|satisf\w*|status|resolved)\b")
_DURATION_H = re.compile(r"\b(duration|estimate[sd]?|effort|time|hours|days|est)\b")
_QUANTITY_H = re.compile(r"\b(points?|pts|sp|size|estimate[sd]?|est|effort|hours?|days?|priority|prio|weight|count)")
_PHASE_H = re.compile(r"^(phase|stage|milestone|wave|epic|sprint|release)$")
_OUTPUT_H = re.compile(r"\b(output|outputs|deliverables?|outcomes?|artifacts?|result)\b")
_TITLE_WORDS = (
    "title", "name", "packet", "task", "description", "phase", "step", "session", "summary", "goal",
    "feature", "component", "objective", "focus", "scope", "work", "topic", "subject", "item", "milestone",
    "aufgabe", "beschreibung", "任务", "名称", "标题", "描述", "タスク", "件名", "tâche", "tache", "tarea",
    "descripción", "titel", "titre", "título",
)  # fmt: skip
_KEY_H = re.compile(
    rf"^(?:{UNIT_WORDS}|id|#|key|no\.?|nr\.?|n°|number|编号|序号|番号|ref|(?:task|item|ticket|issue)\s+(?:id|#|no\.?))$"
)
_FROM_H = re.compile(r"^(from|source|blocker|prerequisite|upstream|before)$")
_TO_H = re.compile(r"^(to|target|unblocks|enables|downstream|then|dependent)$")
# where a status phrase stops and commentary starts: `BLOCKED on IP-04`, `COMPLETE — closed 2026-09-27`
_STATUS_TAIL = re.compile(r"\s+(?:—|–|-)\s+|;\s*|\s+(?:on|by|until|since|after|pending|awaiting)\s+|\s*\(")
_HEADING_SKIP = re.compile(r"^(after|before|following|once|when|until|if)\b", re.IGNORECASE)


@dataclass
class _Roles:
    key: int
    key_with_title: bool
    title: int | None = None
    status: int | None = None
    prereq: int | None = None
    duration: int | None = None
    output: int | None = None
    phase: int | None = None
    named: bool = False  # keys are slugs of the first column's names, not written keys
    title_guessed: bool = False  # the title column was found by its content, not by its header


@dataclass
class _Keyed:
    table: Table
    roles: _Roles
    rows: list[tuple[int, str, str, list[Cell]]] = field(default_factory=list)  # (line, key, title, cells)

    @property
    def quality(self) -> float:
        r = self.roles
        return (
            len(self.rows)
            + 3 * ((r.title is not None and not r.title_guessed) or r.key_with_title)
            + 2 * (r.status is not None)
            + 2 * (r.prereq is not None)
            + bool(_KEY_H.match(self.table.header[r.key]))
            - 100 * r.named
        )

    @property
    def defines_units(self) -> bool:
        r = self.roles
        named = r.title is not None or r.key_with_title
        return r.status is not None or r.prereq is not None or (named and bool(_KEY_H.match(self.table.header[r.key])))


def _key_column(t: Table, allow_title: bool) -> int | None:
    # one row of keys is a table only when its header says so (`| Session | ... | Status |`)
    one_row_ok = any(_STATUS_H.search(h) for h in t.header)
    for col in range(min(2, len(t.header))):
        need = 1 if one_row_ok and _KEY_H.match(t.header[col]) else 2
        cells = [cells[col].text for _, cells in t.rows if cells[col].text]
        if len(cells) < need:
            continue
        if not _KEY_H.match(t.header[col]) and (_QUANTITY_H.search(t.header[col]) or len(set(cells)) < len(cells)):
            continue  # `| Story | Points |`: numbers that measure something, or repeat, name no unit
        ok = sum(parse_key(c, allow_title) is not None for c in cells)
        if ok >= 0.7 * len(t.rows) and ok >= need:
            return col
    return None


def _title_column(t: Table, taken: set[int]) -> int | None:
    best: tuple[int, int] | None = None
    for col, h in enumerate(t.header):
        if col in taken:
            continue
        for rank, w in enumerate(_TITLE_WORDS):
            if re.search(rf"\b{w}", h) and (best is None or rank < best[0]):
                best = (rank, col)
    return best[1] if best else None


def _text_column(t: Table, taken: set[int]) -> int | None:
    """A title column under a name we do not know (`任务`, `Was`): the first other column of words."""
    for col in range(len(t.header)):
        if col in taken:
            continue
        cells = [strip_inline(cells[col].text) for _, cells in t.rows if cells[col].text]
        words = [c for c in cells if re.search(r"[^\W\d_]", c) and not re.fullmatch(r"@?[\w.-]+", c)]
        if cells and len(words) >= 0.7 * len(t.rows):
            return col
    return None


def _first(t: Table, pattern: re.Pattern[str], taken: set[int], exclude: re.Pattern[str] | None = None) -> int | None:
    for col, h in enumerate(t.header):
        if col not in taken and pattern.search(h) and not (exclude and exclude.search(h)):
            return col
    return None


_STATUSISH_H = re.compile(r"^$|progress|done|complete|result|outcome|✓|✅|state")


def _status_by_content(doc: Document, t: Table, key: int) -> int | None:
    """A status column under another name (`Progress`, `Done?`): its cells read as statuses."""
    for col, h in enumerate(t.header):
        if col == key or not _STATUSISH_H.search(h):
            continue
        cells = [cells[col].text for _, cells in t.rows if cells[col].text]
        ok = sum(classify_status(doc.fix(c)) is not None or _percent_status(c) is not None for c in cells)
        if cells and ok >= 0.6 * len(t.rows):
            return col
    return None


def _keyed(doc: Document, t: Table) -> _Keyed | None:
    if not t.rows or not t.header:
        return None
    key = _key_column(t, allow_title=False)
    with_title = False
    if key is None:
        key = _key_column(t, allow_title=True)
        with_title = key is not None
    if key is None:
        return _named(doc, t)
    roles = _Roles(key=key, key_with_title=with_title)
    taken = {key}
    roles.status = _first(t, _STATUS_H, taken)
    if roles.status is None:
        roles.status = _status_by_content(doc, t, key)
    taken |= {c for c in (roles.status,) if c is not None}
    roles.prereq = _first(t, _PREREQ_H, taken, _NOT_PREREQ_H)
    taken |= {c for c in (roles.prereq,) if c is not None}
    roles.duration = _first(t, _DURATION_H, taken)
    taken |= {c for c in (roles.duration,) if c is not None}
    roles.output = _first(t, _OUTPUT_H, taken)
    taken |= {c for c in (roles.output,) if c is not None}
    # a column that groups the units (`Phase`, `Milestone`) when the key column is something else
    roles.phase = _first(t, _PHASE_H, taken)
    taken |= {c for c in (roles.phase,) if c is not None}
    roles.title = _title_column(t, taken)
    if roles.title is None and roles.phase is not None:
        # `| ID | Phase | Status |` with a different phase on every row: the column names the units, it does
        # not group them
        values = [cells[roles.phase].text for _, cells in t.rows]
        if len(t.rows) >= 2 and all(values) and len(set(values)) == len(values):
            roles.title, roles.phase = roles.phase, None
    if roles.title is None and not with_title:
        roles.title = _text_column(t, taken | {c for c in (roles.duration, roles.output) if c is not None})
        roles.title_guessed = roles.title is not None
    k = _Keyed(t, roles)
    for line, cells in t.rows:
        parsed = parse_key(cells[key].text, with_title)
        if parsed is None:
            continue
        k.rows.append((line, parsed[0], parsed[1], cells))
    return _regrouped(doc, k)


def _regrouped(doc: Document, k: _Keyed) -> _Keyed:
    """`| Phase | Task | Status |` with `| 1 | Set up repo | Done |`, `| 1 | CI | Done |`: numbers that repeat
    under a grouping header are the phase of each row, not its key; the rows are units named by their titles."""
    r, t = k.roles, k.table
    keys = [row[1] for row in k.rows]
    if r.title is None or len(set(keys)) == len(keys) or not _PHASE_H.match(t.header[r.key]):
        return k
    titles = [slug(strip_inline(doc.fix(row[3][r.title].text))) for row in k.rows]
    if not all(titles) or len(set(titles)) != len(titles):
        return k
    roles = _Roles(
        key=r.key, key_with_title=True, status=r.status, prereq=r.prereq, duration=r.duration, output=r.output,
        phase=r.key,
    )  # fmt: skip
    out = _Keyed(t, roles)
    for (line, _, _, cells), key in zip(k.rows, titles, strict=True):
        out.rows.append((line, key, cells[r.title].text, cells))
    return out


def _named(doc: Document, t: Table) -> _Keyed | None:
    """`| Module | Progress |` with `| Parser | 100% |`: no keys, but the first column names each row and a
    status column says how far it is.  Such a table may as well be an environment check (`| Resource |
    Status |`), so detection trusts it least (see ``named`` in :func:`read`)."""
    if len(t.header) < 2 or len(t.rows) < 2:
        return None
    names = [slug(strip_inline(doc.fix(cells[0].text))) for _, cells in t.rows]
    if not all(names) or len(set(names)) != len(names):
        return None
    status = _first(t, _STATUS_H, {0})
    if status is None:
        status = _status_by_content(doc, t, 0)
    if status is None:
        return None
    # work is described in words or figures (`In progress`, `75%`); a column of bare marks (`✅ ok`,
    # `❌ missing`) checks an environment, it does not track work
    said = [c[status].text for _, c in t.rows if c[status].text]
    worded = [x for x in said if _percent_status(x) or classify_status(re.sub(r"[^\w\s/%'-]", " ", doc.fix(x)))]
    if len(worded) < 0.6 * len(t.rows):
        return None
    roles = _Roles(key=0, key_with_title=True, status=status, named=True)
    taken = {0, status}
    roles.prereq = _first(t, _PREREQ_H, taken, _NOT_PREREQ_H)
    roles.duration = _first(t, _DURATION_H, taken | {c for c in (roles.prereq,) if c is not None})
    k = _Keyed(t, roles)
    for (line, cells), key in zip(t.rows, names, strict=True):
        k.rows.append((line, key, cells[0].text, cells))
    return k


def status_in_cell(doc: Document, cell: Cell) -> tuple[Status | None, Span, str]:
    """The status a cell states, and the span of just the status phrase when commentary follows it
    (`BLOCKED on IP-04` -> `BLOCKED`), so a rewrite keeps the commentary."""
    whole = classify_status(doc.fix(cell.text)) or _percent_status(cell.text)
    m = _STATUS_TAIL.search(cell.text)
    if m and m.start() > 0:
        head = cell.text[: m.start()].rstrip()
        if head and classify_status(doc.fix(head)) == whole:
            return whole, Span(cell.span.start, cell.span.start + len(head)), head
    return whole, cell.span, cell.text


def _percent_status(text: str) -> Status | None:
    """A status cell that only gives progress: `100%` is done, `0%` not started, anything between started;
    or only a checkbox: `[x]` is done, `[ ]` not started."""
    box = re.fullmatch(r"\s*\[([ xX])\]\s*", text)
    if box:
        return Status.PLANNED if box.group(1) == " " else Status.DONE
    m = re.fullmatch(r"[*_`\s]*(\d{1,3})\s*%[*_`\s]*", text)
    if not m:
        return None
    pct = int(m.group(1))
    return Status.DONE if pct >= 100 else Status.PLANNED if pct == 0 else Status.IN_PROGRESS


def _edge_columns(t: Table) -> tuple[int, int] | None:
    src = next((i for i, h in enumerate(t.header) if _FROM_H.match(h)), None)
    dst = next((i for i, h in enumerate(t.header) if _TO_H.match(h)), None)
    return (src, dst) if src is not None and dst is not None else None


def _unit_word(k: _Keyed) -> str | None:
    """What the matrix calls its units: its key header (`Session`) or the word in its key cells (`Step 2`)."""
    cells = [k.table.header[k.roles.key]] + [strip_inline(c[k.roles.key].text) for _, c in k.table.rows[:1]]
    for text in cells:
        m = re.match(rf"^({UNIT_WORDS})\b", text, re.IGNORECASE)
        if m:
            w = m.group(1).lower()
            return w[:-1] if w.endswith("s") else w
    return None


def _unit_in_heading(text: str, index: KeyIndex, word: str | None) -> str | None:
    """The one unit a heading is about ("Session 3 Handoff Package", "R4: overlay"), else None.  ``word``
    is what the matrix calls its units (`session`); "Phase 1" then names no session."""
    if _HEADING_SKIP.match(text):
        return None
    if re.search(rf"\b{UNIT_WORDS}\s+#?\w+\s*(?:,|&|\band\b|-|–|—|\bto\b)\s*#?\d", text, re.IGNORECASE):
        return None  # "Sessions 3 & 4", "Sessions 1-3" are about several units, not one
    found: set[str] = set()
    for m in re.finditer(rf"\b({UNIT_WORDS})\s+#?([A-Za-z]*[-_]?\d+(?:\.\d+)*)\b", text, re.IGNORECASE):
        if word and not m.group(1).lower().startswith(word):
            continue
        k = index.resolve(m.group(2))
        if k is None:
            return None
        found.add(k)
    lead = re.match(r"^#?([A-Za-z]{1,6}[-_]?\d+(?:\.\d+)*)\b", text)
    if lead and re.search(r"[A-Za-z]", lead.group(1)):
        k = index.resolve(lead.group(1))
        if k is not None:
            found.add(k)
    return next(iter(found)) if len(found) == 1 else None


def _title_after_key(text: str) -> str:
    """`Session 3 — Billing` -> `Billing`; `R4: overlay` -> `overlay`."""
    m = re.match(rf"^\W*(?:{UNIT_WORDS}\s+)?#?[A-Za-z]{{0,6}}[-_]?\d+(?:\.\d+)*\b\W*(?P<rest>.*)$", text, re.IGNORECASE)
    rest = m.group("rest").strip(" -—–:|") if m else ""
    return "" if not rest or pure_status(rest) is not None else rest


@register("table")
def read(doc: Document) -> ReadResult:
    res = ReadResult(reader="table", title=title_of(doc))
    all_tables = tables(doc)
    keyed = [k for t in all_tables if (k := _keyed(doc, t)) is not None]
    if not all_tables:
        res.notes.append("looked for a status matrix (a GFM table with a key column); the document has no tables")
        res.confidence = 0.0
        return res
    primary_cands = [k for k in keyed if k.defines_units]
    if not primary_cands:
        for t in all_tables:
            res.notes.append(
                f"line {t.line}: table ({' | '.join(t.header)}) has no column of unit keys"
                if not any(k.table is t for k in keyed)
                else f"line {t.line}: table ({' | '.join(t.header)}) has keys but no status, prerequisite or "
                "title column, so its rows are not work units"
            )
        res.confidence = 0.0
        return res
    primary = max(primary_cands, key=lambda k: k.quality)
    roles = primary.roles
    # a matrix split into one table per phase (same columns, other keys) is still one matrix
    group = [primary]
    for k in primary_cands:
        if k is not primary and k.table.header == primary.table.header:
            keys = {r[1] for g in group for r in g.rows}
            if not keys & {r[1] for r in k.rows}:
                group.append(k)
    group.sort(key=lambda k: k.table.line)
    rows = [(k, *r) for k in group for r in k.rows]

    sessions: list[Session] = []
    seen: dict[str, Session] = {}
    for part, line, key, inline_title, cells in rows:
        if key in seen:
            res.problems.append(
                Problem(
                    line,
                    Severity.WARNING,
                    f"unit {key} is listed twice (first on line {seen[key].line}); the first row is used",
                )
            )
            continue
        title = inline_title
        if roles.title is not None and cells[roles.title].text:
            title = cells[roles.title].text
        s = Session(
            key=key, title=strip_inline(doc.fix(title)), status=Status.PLANNED, status_text="", line=line, end_line=line
        )
        if roles.duration is not None and cells[roles.duration].text:
            s.duration = strip_inline(doc.fix(cells[roles.duration].text))
        if roles.output is not None and cells[roles.output].text:
            s.output = strip_inline(doc.fix(cells[roles.output].text))
        if roles.phase is not None and cells[roles.phase].text:
            s.phase = strip_inline(doc.fix(cells[roles.phase].text))
        elif len(group) > 1 and part.table.heading:
            s.phase = part.table.heading
        seen[key] = s
        sessions.append(s)
    index = KeyIndex([s.key for s in sessions], phase_containers(sessions))
    inverse: list[tuple[str, str]] = []  # (dependant, prerequisite) from `Blocks: Y` cells
    has_prereqs = False
    status_found: set[str] = set()

    def take_status(s: Session, cell: Cell, line: int) -> None:
        st, span, raw = status_in_cell(doc, cell)
        if st is None:
            if cell.text:
                res.problems.append(
                    Problem(
                        line,
                        Severity.WARNING,
                        f"unit {s.key}: status {cell.text!r} names no known status; read as planned",
                    )
                )
            return
        s.status, s.status_text = st, doc.fix(raw)
        s.status_spans = [StatusSpan(span, SpanKind.CELL, line)]
        status_found.add(s.key)
        if st is Status.BLOCKED:
            # `BLOCKED on IP-04`: what it waits on is a dependency
            after = cell.text[span.end - cell.span.start :]
            for k in parse_refs(after, index, s.key).prerequisites:
                if k not in s.prerequisites:
                    s.prerequisites.append(k)

    def take_prereqs(s: Session, cell: Cell) -> bool:
        # a prerequisite column names dependencies only: another team's ticket (`SEC-7`) counts as written
        refs = parse_refs(doc.fix(cell.text), index, s.key, foreign_ids=True)
        found = refs.prerequisites
        inverse.extend((y, s.key) for y in refs.inverse)
        if not found:
            # `| Move queue to SQS | … | Containerize workers |`: rows named, not keyed, name each other
            parts = re.split(r"\s*(?:,|;|&|\band\b|/)\s*", strip_inline(doc.fix(cell.text)))
            found = [k for k in (slug(re.sub(r"\([^)]*\)", "", p)) for p in parts) if k in index.pos and k != s.key]
        for k in found:
            if k not in s.prerequisites:
                s.prerequisites.append(k)
        if s.raw_prerequisites is None:
            s.raw_prerequisites = strip_inline(doc.fix(cell.text))
        return bool(found or refs.inverse or refs.explicit_none)

    for _part, line, key, _, cells in rows:
        s = seen[key]
        if s.line != line:
            continue
        if roles.status is not None:
            take_status(s, cells[roles.status], line)
        if roles.prereq is not None:
            has_prereqs |= take_prereqs(s, cells[roles.prereq])

    # other tables about the same units
    for k in keyed:
        if any(k is g for g in group):
            continue
        resolved = [(ln, index.resolve(key), cells) for ln, key, _, cells in k.rows]
        mine = [(ln, key, cells) for ln, key, cells in resolved if key is not None]
        if len(mine) < max(2, 0.5 * len(k.rows)):
            continue
        for ln, key, cells in mine:
            s = seen[key]
            if k.roles.status is not None:
                if key not in status_found:
                    take_status(s, cells[k.roles.status], ln)
                else:
                    other = classify_status(doc.fix(cells[k.roles.status].text))
                    if other is not None and other is not s.status:
                        res.problems.append(
                            Problem(
                                ln,
                                Severity.WARNING,
                                f"unit {key}: this table says "
                                f"{other.value}, line {s.line} says {s.status.value}; "
                                f"line {s.line} is used",
                            )
                        )
            if k.roles.prereq is not None and roles.prereq is None:
                has_prereqs |= take_prereqs(s, cells[k.roles.prereq])
            if not s.title and k.roles.title is not None:
                s.title = strip_inline(doc.fix(cells[k.roles.title].text))
    for t in all_tables:
        cols = _edge_columns(t)
        if cols is None:
            continue
        for ln, cells in t.rows:
            srcs = parse_refs(doc.fix(cells[cols[0]].text), index).keys
            for dst in parse_refs(doc.fix(cells[cols[1]].text), index).keys:
                s = seen[dst]
                missing = [x for x in srcs if x not in s.prerequisites and x != dst]
                if missing and (roles.prereq is not None or s.status is Status.BLOCKED or s.prerequisites):
                    res.problems.append(
                        Problem(
                            ln,
                            Severity.WARNING,
                            f"unit {dst}: this edge table adds "
                            f"{', '.join(missing)}, which line {s.line} does not name; "
                            "both are used",
                        )
                    )
                s.prerequisites.extend(missing)
                has_prereqs = True

    add_inverse(seen, inverse)
    prose = prose_lines(doc)
    _sections(doc, res, sessions, index, status_found, has_prereqs, _unit_word(primary), prose)

    for s in sessions:
        if s.key not in status_found and not s.status_spans:
            res.notes.append(f"line {s.line}: unit {s.key} has no status written; read as planned")
    res.sessions = sessions
    res.summary_lines = summary_lines(doc, prose)
    n_status = len(status_found)
    # a matrix that states statuses is surely this shape; one that only lists keys might be anything
    res.confidence = 1.0 if n_status >= 0.5 * len(sessions) else 0.5
    if (
        roles.key_with_title
        and roles.status is not None
        and not re.match(rf"^(?:{UNIT_WORDS}|id|#)$", primary.table.header[roles.key])
    ):
        res.confidence *= 0.9
    if roles.named:
        # rows named but not keyed: units only when nothing else in the document is
        res.confidence = 0.09
    res.notes.append(
        f"line {primary.table.line}: status matrix ({' | '.join(primary.table.header)}), "
        f"{len(sessions)} units, {n_status} with a status"
    )
    return res


def _sections(
    doc: Document,
    res: ReadResult,
    sessions: list[Session],
    index: KeyIndex,
    status_found: set[str],
    has_prereqs: bool,
    word: str | None,
    prose: set[int],
) -> None:
    """Per-unit sections below the matrix: checklists, and fields that restate status or prerequisites."""
    by_key = {s.key: s for s in sessions}
    items = Items(task_items(doc))
    claimed: set[int] = set()
    for h in headings(doc):
        key = _unit_in_heading(strip_inline(doc.fix(h.text)), index, word)
        if key is None:
            continue
        s = by_key[key]
        if not s.title:
            # a matrix with no title column: `## Session 3 — Billing` below it names the unit
            s.title = _title_after_key(strip_inline(doc.fix(h.text)))
        for it in items.within(h.line + 1, h.end_line):
            if it.line not in claimed:
                claimed.add(it.line)
                s.checklist.append(it)
        for f in fields_in(doc, h.line + 1, h.end_line, prose):
            name = f.name
            if name in ("status", "state"):
                st = classify_status(doc.fix(f.value))
                if st is None:
                    continue
                if s.key not in status_found:
                    s.status, s.status_text = st, doc.fix(f.value)
                    s.status_spans = [StatusSpan(f.span, SpanKind.FIELD, f.line)]
                    status_found.add(s.key)
                elif st is not s.status and not (st is Status.READY and s.status is Status.PLANNED):
                    res.problems.append(
                        Problem(
                            f.line,
                            Severity.WARNING,
                            f"unit {key}: this section says "
                            f"{st.value}, line {s.line} says {s.status.value}; line "
                            f"{s.line} is used",
                        )
                    )
            elif _PREREQ_H.search(name) and not _NOT_PREREQ_H.search(name) and "blocks" not in name:
                refs = parse_refs(doc.fix(f.value), index, s.key)
                if not (refs.keys or refs.explicit_none):
                    continue
                if not has_prereqs:
                    s.prerequisites = list(refs.keys)
                    s.raw_prerequisites = strip_inline(doc.fix(f.value))
                elif set(refs.keys) != set(s.prerequisites):
                    res.problems.append(
                        Problem(
                            f.line,
                            Severity.WARNING,
                            f"unit {key}: this section names "
                            f"prerequisites {', '.join(refs.keys) or 'none'}, line {s.line} "
                            f"names {', '.join(s.prerequisites) or 'none'}; line {s.line} is used",
                        )
                    )
    for s in sessions:
        res.problems.extend(checklist_problems(s.checklist))
        open_items = [i for i in s.checklist if not i.done]
        if s.status is Status.DONE and open_items:
            res.problems.append(
                Problem(
                    s.line,
                    Severity.WARNING,
                    f"unit {s.key} is marked done but "
                    f"{len(open_items)} of its {len(s.checklist)} checklist items are open "
                    f"(first on line {open_items[0].line})",
                )
            )
