"""What the document says about the table's units outside their rows: per-unit sections below the
matrix (checklists, fields restating status or prerequisites) and `| From | To |` edge tables (lines that
lead with unit keys and say what they wait for: :mod:`key_statements`)."""

from __future__ import annotations

import re

from syncbot.model import Problem, Session, Severity, SpanKind, Status, StatusSpan
from syncbot.readers.checklists import Items, checklist_problems, task_items
from syncbot.readers.common import Document, ReadResult, strip_inline
from syncbot.readers.fields import fields_in
from syncbot.readers.heading_status import pure_status
from syncbot.readers.key_index import UNIT_WORDS, KeyIndex
from syncbot.readers.lazy_re import lazy_re
from syncbot.readers.refs import parse_refs
from syncbot.readers.status_words import classify_status
from syncbot.readers.structure import headings
from syncbot.readers.table_cells import Table
from syncbot.readers.table_headers import NOT_PREREQ_H, PREREQ_H

_HEADING_SKIP = lazy_re(r"^(after|before|following|once|when|until|if)\b", re.IGNORECASE)
_FROM_H = lazy_re(r"^(from|source|blocker|prerequisite|upstream|before)$")
_TO_H = lazy_re(r"^(to|target|unblocks|enables|downstream|then|dependent)$")


def _edge_columns(t: Table) -> tuple[int, int] | None:
    src = next((i for i, h in enumerate(t.header) if _FROM_H.match(h)), None)
    dst = next((i for i, h in enumerate(t.header) if _TO_H.match(h)), None)
    return (src, dst) if src is not None and dst is not None else None


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
    lead = re.match(r"^#?([A-Za-z]{1,6}[-_]?\d+(?:[.-]\d+)*)\b", text)  # `R4: …`, `P1-2 · …`
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


def edge_tables(
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


def unit_sections(
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
