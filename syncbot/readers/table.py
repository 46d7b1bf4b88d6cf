"""Reader for the table shape: a status matrix (`| Session | Title | Status | ... |`).

The matrix is the table whose first or second column holds unit keys.  Other tables keyed by the same
units contribute what the matrix lacks (a "Completion tracker" with the status, a `From | To` edge list
with dependencies), and sections below whose heading names one unit ("Session 3 Handoff Package") give
its checklist and may restate its status or prerequisites; disagreements become problems.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property

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
    parse_refs,
    prose_lines,
    pure_status,
    summary_lines,
    tables,
    task_items,
    title_of,
)
from syncbot.readers.common import Document, ReadResult, classify_status, strip_inline
from syncbot.readers.legend import status_of
from syncbot.readers.outline import slug
from syncbot.readers.table_columns import (
    DURATION_H,
    KEY_H,
    NOT_PREREQ_H,
    PHASE_H,
    PREREQ_H,
    QUANTITY_H,
    STATUS_H,
    Roles,
    first,
    infer_roles,
    key_column,
    not_units,
    parse_key,
    percent_status,
    status_column,
)

# where a status phrase stops and commentary starts: `BLOCKED on IP-04`, `COMPLETE — closed 2026-09-27`
_STATUS_TAIL = re.compile(r"\s+(?:—|–|-)\s+|;\s*|\s+(?:on|by|until|since|after|pending|awaiting)\s+|\s*\(")
_HEADING_SKIP = re.compile(r"^(after|before|following|once|when|until|if)\b", re.IGNORECASE)
_FROM_H = re.compile(r"^(from|source|blocker|prerequisite|upstream|before)$")
_TO_H = re.compile(r"^(to|target|unblocks|enables|downstream|then|dependent)$")


@dataclass
class _Keyed:
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


def _keyed(doc: Document, t: Table) -> _Keyed | None:
    if not t.rows or not t.header:
        return None
    # one row of keys is a table only when its header says so (`| Session | ... | Status |`)
    one_row_ok = any(STATUS_H.search(h) for h in t.header)
    key = key_column(t, allow_title=False, one_row_ok=one_row_ok)
    with_title = False
    if key is None:
        key = key_column(t, allow_title=True, one_row_ok=one_row_ok)
        with_title = key is not None
    if key is None:
        return _named(doc, t)
    roles = infer_roles(doc, t, key, with_title)
    if not_units(t, roles):
        return None
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
    status = status_column(doc, t, {0})
    if status is None:
        return None
    # work is described in words or figures (`In progress`, `75%`); a column of bare marks (`✅ ok`,
    # `❌ missing`) checks an environment, it does not track work
    said = [c[status].text for _, c in t.rows if c[status].text]
    worded = [x for x in said if percent_status(x) or classify_status(re.sub(r"[^\w\s/%'-]", " ", doc.fix(x)))]
    if len(worded) < 0.6 * len(t.rows):
        return None
    roles = Roles(key=0, key_with_title=True, status=status, named=True)
    roles.prereq = first(t, PREREQ_H, roles.taken(), NOT_PREREQ_H)
    roles.duration = first(t, DURATION_H, roles.taken())
    k = _Keyed(t, roles)
    for (line, cells), key in zip(t.rows, names, strict=True):
        k.rows.append((line, key, cells[0].text, cells))
    return k


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


@dataclass
class _Group:
    """One namespace of units: a matrix, or a matrix split into one table per phase (same columns, other
    keys).  A document may hold several (a roadmap of phases and a queue of tasks, both numbered from 1)."""

    parts: list[_Keyed]
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
        return _unit_word(self.parts[0])


def _norm_title(doc: Document, text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", strip_inline(doc.fix(text)).lower()).split())


def _same_units(doc: Document, k: _Keyed, g: _Group, mine: list[tuple[str, str]]) -> bool:
    """Whether table ``k``'s rows (``mine``: its title, the group key it resolves to) restate units of ``g``
    (a completion tracker, a dashboard) rather than being other units numbered the same way."""
    if k.roles.title is None or g.roles.title is None or k.roles.title_guessed:
        return True
    if all(re.search(r"[^\W\d_]", key) for _, key in mine):
        return True  # `R1`…`R7` in both tables: ids that say which unit they are, not a count from 1
    titles = {r[1]: r[3][g.roles.title].text for p in g.parts for r in p.rows}
    agree = 0
    for title, key in mine:
        a, b = _norm_title(doc, title), _norm_title(doc, titles.get(key, ""))
        agree += bool(a and b and (a == b or (len(a) >= 4 and a in b) or (len(b) >= 4 and b in a)))
    return agree >= 0.5 * len(mine)


_MILESTONE_H = re.compile(r"^(milestones?|jalons?|hitos?|meilensteine?|marcos?|里程碑|マイルストーン|마일스톤)$")


def _more_units(k: _Keyed) -> bool:
    """A further table of units beside the best one says what its rows are: a status or prerequisite column,
    or a header that names them (`Task`); a numbered list of criteria or notes is not work."""
    r = k.roles
    if r.named or (_MILESTONE_H.match(k.table.header[r.key]) and any(QUANTITY_H.search(h) for h in k.table.header)):
        return False  # a milestone calendar (`| Jalon | Date cible | Statut |`) frames the units, it is none
    return r.status is not None or r.prereq is not None or (r.title is not None and not r.title_guessed)


def _groups(doc: Document, keyed: list[_Keyed]) -> tuple[list[_Group], list[tuple[_Keyed, _Group]]]:
    """Tables of units in namespaces, best table first; and the tables that only restate those units."""
    groups: list[_Group] = []
    restating: list[tuple[_Keyed, _Group]] = []
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
            groups.append(_Group([k]))
    for g in groups:
        g.parts.sort(key=lambda k: k.table.line)
    return groups, restating


def _name_keys(doc: Document, groups: list[_Group]) -> None:
    """Each group's keys as the tracker spells them: as written, unless two namespaces share a key; then the
    one that names its units (`Phase`) says so (`phase-2`), or else the later one takes its section's name."""
    taken: set[str] = set()
    for g in sorted(groups, key=lambda g: -g.parts[0].quality):
        raw = list(dict.fromkeys(g.keys))
        prefix = ""
        if any(k.lower() in taken for k in raw):
            word = g.word()
            heading = slug(g.parts[0].table.heading).split("-")[0] if g.parts[0].table.heading else ""
            prefix = f"{word or heading or 'table'}-"
        for k in raw:
            g.final[k] = prefix + k
            taken.add((prefix + k).lower())


@register("table")
def read(doc: Document) -> ReadResult:
    res = ReadResult(reader="table", title=title_of(doc))
    all_tables = tables(doc)
    keyed = [k for t in all_tables if (k := _keyed(doc, t)) is not None]
    if not all_tables:
        res.notes.append("looked for a status matrix (a GFM table with a key column); the document has no tables")
        res.confidence = 0.0
        return res
    if not any(k.defines_units for k in keyed):
        for t in all_tables:
            res.notes.append(
                f"line {t.line}: table ({' | '.join(t.header)}) has no column of unit keys"
                if not any(k.table is t for k in keyed)
                else f"line {t.line}: table ({' | '.join(t.header)}) has keys but no status, prerequisite or "
                "title column, so its rows are not work units"
            )
        res.confidence = 0.0
        return res
    groups, restating = _groups(doc, keyed)
    if groups[0].roles.named:
        groups = groups[:1]  # rows named but not keyed: one table at most, and trusted least
    _name_keys(doc, groups)
    primary = groups[0].parts[0]
    roles = primary.roles

    sessions: list[Session] = []
    seen: dict[str, Session] = {}
    rows = sorted(((g, k, *r) for g in groups for k in g.parts for r in k.rows), key=lambda r: r[2])
    for g, part, line, raw_key, inline_title, cells in rows:
        key = g.final[raw_key]
        if key in seen:
            res.problems.append(
                Problem(
                    line,
                    Severity.WARNING,
                    f"unit {key} is listed twice (first on line {seen[key].line}); the first row is used",
                )
            )
            continue
        r = part.roles
        title = inline_title
        if r.title is not None and cells[r.title].text:
            title = cells[r.title].text
        s = Session(
            key=key, title=strip_inline(doc.fix(title)), status=Status.PLANNED, status_text="", line=line, end_line=line
        )
        if r.duration is not None and cells[r.duration].text:
            s.duration = strip_inline(doc.fix(cells[r.duration].text))
        if r.output is not None and cells[r.output].text:
            s.output = strip_inline(doc.fix(cells[r.output].text))
        if r.phase is not None and cells[r.phase].text:
            s.phase = strip_inline(doc.fix(cells[r.phase].text))
        elif len(g.parts) > 1 and part.table.heading:
            s.phase = part.table.heading
        seen[key] = s
        sessions.append(s)
    index = KeyIndex([s.key for s in sessions])
    has_prereqs = False
    status_found: set[str] = set()

    raw_of: dict[int, dict[str, str]] = {}  # per group: the first raw key of each final key (was a scan a row)

    def refs_in(text: str, s: Session, g: _Group | None, foreign: bool = False) -> tuple[list[str], bool]:
        """Keys ``text`` names for unit ``s``: in its own table's namespace first, then the document's."""
        if g is not None:
            inverse = raw_of.get(id(g))
            if inverse is None:
                inverse = raw_of[id(g)] = {}
                for k, v in g.final.items():
                    inverse.setdefault(v, k)
            raw = inverse.get(s.key, s.key)
            refs = parse_refs(text, g.index, raw, foreign_ids=foreign)
            found = [g.final[k] for k in refs.keys] + refs.unknown
            if found or refs.explicit_none:
                return found, refs.explicit_none
        refs = parse_refs(text, index, s.key, foreign_ids=foreign)
        return refs.keys + refs.unknown, refs.explicit_none

    def take_status(s: Session, cell: Cell, line: int, g: _Group | None) -> None:
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
            after = doc.fix(cell.text[span.end - cell.span.start :])
            for k in refs_in(after, s, g)[0]:
                if k not in s.prerequisites and k in index.pos:
                    s.prerequisites.append(k)

    def take_prereqs(s: Session, cell: Cell, g: _Group | None) -> bool:
        # a prerequisite column names dependencies only: another team's ticket (`SEC-7`) counts as written
        found, explicit_none = refs_in(doc.fix(cell.text), s, g, foreign=True)
        if not found:
            # `| Move queue to SQS | … | Containerize workers |`: rows named, not keyed, name each other
            parts = re.split(r"\s*(?:,|;|&|\band\b|/)\s*", strip_inline(doc.fix(cell.text)))
            found = [k for k in (slug(re.sub(r"\([^)]*\)", "", p)) for p in parts) if k in index.pos and k != s.key]
        for k in found:
            if k not in s.prerequisites:
                s.prerequisites.append(k)
        if s.raw_prerequisites is None:
            s.raw_prerequisites = strip_inline(doc.fix(cell.text))
        return bool(found or explicit_none)

    def take_inverse(s: Session, cell: Cell, g: _Group | None) -> bool:
        # `| Blocks |`: the units named there wait for this one
        found = [k for k in refs_in(doc.fix(cell.text), s, g)[0] if k in seen]
        for k in found:
            if s.key not in seen[k].prerequisites:
                seen[k].prerequisites.append(s.key)
        return bool(found)

    for g, part, line, raw_key, _, cells in rows:
        s = seen[g.final[raw_key]]
        if s.line != line:
            continue
        r = part.roles
        if r.status is not None:
            take_status(s, cells[r.status], line, g)
        named_by = cells[r.title] if r.title is not None else cells[r.key]
        if struck_out(named_by.text) and s.status is not Status.DONE:
            s.status = Status.DROPPED  # a unit struck through is given up, whatever its row still says
            status_found.add(s.key)
        if r.prereq is not None:
            has_prereqs |= take_prereqs(s, cells[r.prereq], g)
    for g, part, line, raw_key, _, cells in rows:
        s = seen[g.final[raw_key]]
        if s.line == line and part.roles.inverse is not None:
            has_prereqs |= take_inverse(s, cells[part.roles.inverse], g)

    # other tables about the same units
    for k, g in restating:
        for ln, raw_key, _, cells in k.rows:
            resolved = g.index.resolve(raw_key)
            if resolved is None:
                continue
            key = g.final[resolved]
            s = seen[key]
            if k.roles.status is not None:
                if key not in status_found:
                    take_status(s, cells[k.roles.status], ln, g)
                else:
                    other = status_of(doc, cells[k.roles.status].text)
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
            if k.roles.prereq is not None and g.roles.prereq is None:
                has_prereqs |= take_prereqs(s, cells[k.roles.prereq], g)
            if not s.title and k.roles.title is not None:
                s.title = strip_inline(doc.fix(cells[k.roles.title].text))
    has_prereqs |= _edge_tables(doc, res, all_tables, index, seen, roles.prereq is not None)

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
    for g in groups:
        for part in g.parts:
            res.notes.append(
                f"line {part.table.line}: units table ({' | '.join(part.table.header)}), {len(part.rows)} rows"
            )
    res.notes.append(f"{len(sessions)} units in {len(groups)} table namespace(s), {n_status} with a status")
    return res


def _edge_tables(
    doc: Document, res: ReadResult, all_tables: list[Table], index: KeyIndex, seen: dict[str, Session], strict: bool
) -> bool:
    """`| From | To |` tables: each row is a dependency edge.  Returns whether any was found."""
    found = False
    for t in all_tables:
        cols = _edge_columns(t)
        if cols is None:
            continue
        for ln, cells in t.rows:
            srcs = parse_refs(doc.fix(cells[cols[0]].text), index).keys
            for dst in parse_refs(doc.fix(cells[cols[1]].text), index).keys:
                s = seen[dst]
                missing = [x for x in srcs if x not in s.prerequisites and x != dst]
                if missing and (strict or s.status is Status.BLOCKED or s.prerequisites):
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
                found = True
    return found


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
            elif PREREQ_H.search(name) and not NOT_PREREQ_H.search(name) and "blocks" not in name:
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
