"""Reading the units of a document's tables: the body of the table reader (:mod:`syncbot.readers.table`),
imported only for a document that has tables."""

from __future__ import annotations

import re

from syncbot.model import Problem, Session, Severity, Status
from syncbot.readers import hinted_reading
from syncbot.readers.common import Document, ReadResult, strip_inline
from syncbot.readers.key_index import UNIT_WORDS, KeyIndex
from syncbot.readers.key_statements import dependency_lines
from syncbot.readers.legend import status_of
from syncbot.readers.progress_log import apply_log
from syncbot.readers.refs import Refs, parse_refs
from syncbot.readers.structure import prose_lines, tables, title_of
from syncbot.readers.summaries import summary_lines
from syncbot.readers.table_around import edge_tables, unit_sections
from syncbot.readers.table_cell_reading import cell_readers
from syncbot.readers.table_grid import grid_reading, grid_units
from syncbot.readers.table_lists import list_units
from syncbot.readers.table_namespaces import name_keys, namespaces
from syncbot.readers.table_status import is_status_cell, struck_out
from syncbot.readers.table_units import keyed_table, share_roles, unit_word
from syncbot.readers.unit_edges import add_inverse, phase_containers, title_names
from syncbot.readers.vocabulary import OPEN_STAGES, STILL_OPEN

_NAMED_BY_TITLE = 500
_STANDS = (Status.BLOCKED, Status.READY, Status.FAILED, Status.DROPPED)


def _points_elsewhere(refs: Refs) -> bool:
    """A dependency cell that names nothing and says nothing is none (`see notes`): the notes say it."""
    return not (refs.keys or refs.explicit_none or refs.inverse or refs.unknown or refs.external)


def read_tables(doc: Document) -> ReadResult:
    """The table reader's reading of a document that has tables (see :mod:`syncbot.readers.table`)."""
    res = ReadResult(reader="table", title=title_of(doc))
    all_tables = tables(doc)
    keyed = [k for t in all_tables if (k := keyed_table(doc, t)) is not None]
    share_roles(keyed)
    # a table with no key column may hold its units in its cells (`| Whisper-small | E01 ✅ | E02 🔄 |`)
    grid_of = {t.line: us for t in all_tables if not any(k.table is t for k in keyed) and (us := grid_units(doc, t))}
    grids = [u for us in grid_of.values() for u in us]
    res.notes += [f"line {ln}: grid of units, {len(us)} cells with an id and a status" for ln, us in grid_of.items()]
    if grids and not any(k.defines_units for k in keyed):
        return grid_reading(doc, res, grids, set(grid_of))
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
    groups, restating = namespaces(doc, keyed)
    if groups[0].roles.named:
        groups = groups[:1]  # rows named but not keyed: one table at most, and trusted least
    name_keys(doc, groups)
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
        s.rule = f"row of the table on line {part.table.line}"
        seen[key] = s
        sessions.append(s)
    for u in grids:
        if u.key not in seen:
            seen[u.key] = u
            sessions.append(u)
    sessions.sort(key=lambda u: u.line)  # document order: ranges (`E01–E12`) and `all previous` follow it
    # read before the statuses, so a container names all its members (`WP2 komplett`), dropped ones too
    containers = phase_containers(sessions)
    index = KeyIndex([s.key for s in sessions], containers)
    # (and in a row, a short title is how a note names its unit: `waiting for the billing export work`, in a
    # tracker of a size people name units by their titles in)
    in_rows = {**title_names(sessions), **containers} if len(sessions) <= _NAMED_BY_TITLE else containers
    for g in groups:
        # `after all of Sprint 3` in a row names the table under `## Sprint 3`, before its digit names a key
        raw = {v: k for k, v in g.final.items()}
        mine = {n: [raw[m] for m in ms if m in raw] for n, ms in in_rows.items()}
        g.index = KeyIndex(list(dict.fromkeys(g.keys)), mine)
    inverse: list[tuple[str, str]] = []  # (dependant, prerequisite) from `Blocks: Y` cells
    has_prereqs = False
    status_found: set[str] = {u.key for u in grids if seen[u.key] is u}

    refs_in, take_status, take_prereqs, take_inverse = cell_readers(
        doc, res, groups, index, seen, grids, inverse, status_found
    )

    for g, part, line, raw_key, _, cells in rows:
        s = seen[g.final[raw_key]]
        if s.line != line:
            continue
        r = part.roles
        if r.status is not None:
            take_status(s, cells[r.status], line, g)
            if "%" in s.status_text:
                # `| … | ▓▓░░ 20% | … | ⛔ hukuk metni bekleniyor |`: progress says how far, a note that opens with
                # a mark says how it stands (blocked, ready, failed, dropped, whatever the share)
                notes = [c for i, c in enumerate(cells) if i not in (r.key, r.status, r.title, r.prereq) and c.text]
                stands = [st for c in notes if is_status_cell(doc, c.text) and (st := status_of(doc, c.text))]
                s.status = next((st for st in stands if st in _STANDS), s.status)
            if s.status_text.strip(" *_`").lower() in STILL_OPEN:
                # `| #218 | … | \`en curso\` | @lmontero | Abierta |`: an issue open, and its label says how far
                labels = [status_of(doc, c.text) for i, c in enumerate(cells) if i not in (r.key, r.status, r.title)]
                s.status = next((st for st in labels if st in OPEN_STAGES), s.status)
        named_by = cells[r.title] if r.title is not None else cells[r.key]
        if struck_out(named_by.text) and s.status is not Status.DONE:
            s.status = Status.DROPPED  # a unit struck through is given up, whatever its row still says
            status_found.add(s.key)
        if r.prereq is not None:
            has_prereqs |= take_prereqs(s, cells[r.prereq], g)
            if r.inverse is None:
                # `| E1-S1 | … | bloquea E2-S2 y E3-S3 |`: beside the dependency column, a note may say which
                # units wait for this one; what this one waits for is the column's to say, unless it is blank
                # (`| D.1.2 | … | | 依赖 C.1.1 的方案 |`), or names none and says nothing (`see notes`)
                said = cells[r.prereq].text.strip()
                blank: bool | None = None  # (asked only of a row whose note names something: one parse less a row)
                for col, cell in enumerate(cells):
                    if col not in (r.key, r.status, r.prereq, r.title) and cell.text and not struck_out(cell.text):
                        found = refs_in(doc.fix(cell.text), s, g, prose=True)[0]
                        if found and blank is None:
                            blank = not said or _points_elsewhere(parse_refs(doc.fix(said), index, s.key))
                        s.prerequisites += [k for k in found if blank and k not in s.prerequisites]
        elif r.inverse is None:
            # no dependency column: a note or the title may say it (`requires G.1.1`, `(blocked by #12)`)
            for col, cell in enumerate(cells):
                if col not in (r.key, r.status) and cell.text and not struck_out(cell.text):
                    for ref in refs_in(doc.fix(cell.text), s, g, prose=True)[0]:
                        if ref not in s.prerequisites:
                            s.prerequisites.append(ref)
                            has_prereqs = True
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
    has_prereqs |= edge_tables(doc, res, all_tables, index, seen, roles.prereq is not None)

    has_prereqs |= dependency_lines(doc, all_tables, index, seen, inverse)
    add_inverse(seen, inverse)
    prose = prose_lines(doc)
    unit_sections(doc, res, sessions, index, status_found, has_prereqs, unit_word(primary), prose)
    sessions += list_units(doc, sessions, index)  # `## v1.1` / `- **#85** Right-to-left scripts`

    for s in sessions:
        if s.key not in status_found and not s.status_spans:
            res.notes.append(f"line {s.line}: unit {s.key} has no status written; read as planned")
    apply_log(doc, sessions, res.problems)  # a progress log below the table is newer than its rows
    res.sessions = sessions
    res.summary_lines = summary_lines(doc)
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
    read_from = [p.table for g in groups for p in g.parts] + [t for t in all_tables if t.line in grid_of]
    res.notes += hinted_reading.table_notes(doc, all_tables, read_from, [k.table for k, _ in restating])
    return res
