"""Reader for work-packet documents: one section per unit, `## Step 3 — Clean-Machine Validation`, with
fields under it (`**Depends on:** Steps 1-3 stable`, `**Blocks:** Step 3`, `**Status:** ...`).

`Blocks` lines are inverse edges: they are merged into the blocked unit's prerequisites, and a `Blocks`
line its target does not confirm is reported as a problem.  A section with no status written anywhere
reads as planned (nothing says it started).
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from typing import Any

from syncbot.model import Problem, Session, Severity, SpanKind, Status, StatusSpan
from syncbot.readers.checklists import Items, checklist_problems, task_items
from syncbot.readers.common import Document, ReadResult, strip_inline
from syncbot.readers.field_roles import depends_names, is_status_name, status_names
from syncbot.readers.fields import fields_in
from syncbot.readers.heading_status import (
    HEADING_BOX_RE,
    heading_span_kind,
    pure_status,
    status_in_heading,
    status_leading_section,
)
from syncbot.readers.hinted_reading import heading_units
from syncbot.readers.key_index import KeyIndex
from syncbot.readers.key_shapes import key_shape
from syncbot.readers.kinds import SECTION_WORDS, canonical
from syncbot.readers.lazy_re import lazy_re
from syncbot.readers.progress_log import apply_log
from syncbot.readers.ref_markers import INVERSE_LABEL_RE
from syncbot.readers.refs import parse_refs
from syncbot.readers.section_units import (
    SectionUnit,
    container_dependencies,
    document_status_lines,
    forget_dropped,
    key_by_id_field,
    named_units,
    section_containers,
    section_parents,
    status_field_sections,
)
from syncbot.readers.status_fields import DEPENDS_FIELD_RE, dropped_by_heading, status_head
from syncbot.readers.structure import Heading, headings, prose_lines, title_of
from syncbot.readers.summaries import summary_lines

_UNIT_RE = lazy_re(
    r"^(?P<lead>[^\w]*)(?:(?P<status>[A-Za-z][A-Za-z ]{0,20}?)\s+[-—–:]\s+)?"
    rf"(?P<word>step|stage|work\s+packet|packet|wp|milestone|part|increment|slice|chunk|epic|workstream|task|story|"
    rf"feature|ticket|issue|item|deliverable|objective|work\s+item|{SECTION_WORDS})\s*#?"
    r"(?P<key>\d+(?:\.\d+)*[a-z]?|[A-Z]{1,4}-?\d+)(?![\w.-])\s*(?P<rest>.*)$",
    re.IGNORECASE,
)
# `## FEAT-2: Keyboard shortcuts`: a ticket id leads the heading, with no word before it
# (and `#### E1-S3 · Cancelar`: an epic's story, set off by a middle dot)
_ID_UNIT_RE = lazy_re(
    r"^(?P<lead>[^\w]*)(?P<status>(?!))?(?P<word>)(?P<key>[A-Z][A-Z0-9]{0,9}(?:-\d+)+[A-Za-z]?|T\d{3,}|"
    r"[A-Z]{1,3}\d{1,4}-[A-Z]{1,2}\d{1,4}[a-z]?|[A-Z]{1,3}\d{1,4}(?=\s*[:：]|\s+[—–·]\s))"
    # (`### SRCH-01 Inventory every query`: a ticket id of two digits or more may be set off by a space alone)
    r"(?=\s*[:：]|\s+[-—–|·]\s|\s*$|(?<=-\d\d)\s+\S|(?<=\d\d\d)\s+\S)\s*(?P<rest>.*)$"
)
# `### M2.1 Dynamische Preise`: a dotted id is set off by a space alone
_DOTTED_ID_UNIT_RE = lazy_re(
    r"^(?P<lead>[^\w]*)(?P<status>(?!))?(?P<word>)(?P<key>[A-Z]{1,3}\d{1,4}(?:\.\d{1,3})+)\s+(?P<rest>\S.*)$"
)
_BLOCKS = INVERSE_LABEL_RE  # `Blocks:`, `Unblocks:`, `Prerequisite for:`, `Required by:`
_DURATION_F = lazy_re(r"^(duration|estimate|effort|time|est)$")
_OUTPUT_F = lazy_re(r"^(output|outputs|deliverables?|outcome)$")


_PAREN_TAIL_RE = lazy_re(r"\s*\(([^)]*)\)\s*$")
_TAIL_SPLIT_RE = lazy_re(r"\s+[-—–|]\s+")


def _strip_status_tail(title: str) -> str:
    """`Engine Fixes & Robustness (CURRENT)` -> `Engine Fixes & Robustness`."""
    out = (HEADING_BOX_RE.sub("", title) if "[" in title else title).rstrip()
    if out.endswith(")"):
        out = _PAREN_TAIL_RE.sub(lambda m: "" if pure_status(m.group(1)) else m.group(0), out)
    parts = _TAIL_SPLIT_RE.split(out)
    if len(parts) > 1 and pure_status(parts[-1]):
        out = " - ".join(parts[:-1])
    return out.strip()


def read(doc: Document) -> ReadResult:
    res = ReadResult(reader="sections", title=title_of(doc))
    hs = headings(doc)
    hinted = heading_units(doc, hs)  # the user's heading_level / key_pattern, when given
    matches: list[tuple[Heading, Any]] = list(hinted or [])
    for h in hs if hinted is None else []:
        plain = strip_inline(doc.fix(h.text))
        m = _UNIT_RE.match(plain) or _ID_UNIT_RE.match(plain) or _DOTTED_ID_UNIT_RE.match(plain)
        if m:
            matches.append((h, m))
    by_status_field = False
    if not matches:
        matches = status_field_sections(doc, hs)
        by_status_field = bool(matches)
    if not matches:
        res.notes.append(
            "looked for one section per unit: headings like `## Step 3 — Title` / `### Packet R2: Title`, or "
            f"sibling headings each with a `Status:` line; none of the {len(hs)} headings matched {_lines(hs)}"
        )
        res.confidence = 0.0
        return res
    # the level of the sections that hold no other unit's section (`## M2` over `### M2.1 …` is a container)
    lines = sorted(h.line for h, _ in matches)
    leaves = [h for h, _ in matches if bisect.bisect_right(lines, h.end_line) - bisect.bisect_right(lines, h.line) == 0]
    level = Counter(h.level for h in leaves or [h for h, _ in matches]).most_common(1)[0][0]
    prose = prose_lines(doc)
    items = Items(task_items(doc))
    units: list[SectionUnit] = []
    seen: dict[str, SectionUnit] = {}

    # (`### Сессия 22` under `## Дальше (план)` beside `## Сессия 21`: a unit of the same kind, one level down)
    def kind(m: Any) -> tuple[str, str]:
        return m.group("word").lower(), key_shape(m.group("key"))

    kinds = {kind(m) for h, m in matches if h.level == level}
    leaf_lines = {h.line for h in leaves}
    for h, m in matches:
        if h.level != level and not (h.line in leaf_lines and kind(m) in kinds):
            continue
        key = m.group("key")
        if key in seen:
            res.problems.append(
                Problem(
                    h.line,
                    Severity.WARNING,
                    f"unit {key} has a second section (first on line {seen[key].heading.line}); the first is used",
                )
            )
            continue
        title = _strip_status_tail(m.group("rest").lstrip("-—–:：|. ").strip())
        s = Session(key=key, title=title, status=Status.PLANNED, status_text="", line=h.line, end_line=h.end_line)
        s.rule = f"{'hinted ' if hinted else ''}section heading at level {level}"
        s.checklist = items.within(h.line + 1, h.end_line)
        u = SectionUnit(h, key, s, fields_in(doc, h.line + 1, h.end_line, prose))
        seen[key] = u
        units.append(u)
    named = key_by_id_field(units) if by_status_field else {}  # slug of a heading -> the id its field gives
    parents = section_parents(hs, units)
    index = KeyIndex([u.key for u in units], section_containers(doc, units, parents))
    blocks: list[tuple[str, str, int]] = []  # (blocker, blocked, line)
    informed = 0
    independent: set[str] = set()  # units whose own field says they wait for nothing
    learnt_status = status_names(doc, [u.fields for u in units])
    learnt_deps = depends_names(
        [u.fields for u in units],
        lambda f: bool(parse_refs(doc.fix(f.value), index).keys),
        lambda n: n in learnt_status or any(r.match(n) for r in (_BLOCKS, _DURATION_F, _OUTPUT_F)),
    )
    for u in units:
        s = u.session
        known = False
        for f in u.fields:
            if is_status_name(f.name, learnt_status) and not s.status_spans:
                st, span, raw = status_head(doc, f.value, f.span)
                if st is not None:
                    s.status, s.status_text = st, doc.fix(raw)
                    s.status_spans = [StatusSpan(span, SpanKind.FIELD, f.line)]
            elif DEPENDS_FIELD_RE.match(f.name) or f.name in learnt_deps:
                value = doc.fix(f.value)
                by_name: list[str] = []
                if by_status_field:
                    # units named, not keyed: `Depends on: Auth, Sign the lease (https://www.notion.so/…)`
                    value, by_name = named_units(_LINK_PAREN_RE.sub("", value), index, named)
                refs = parse_refs(value, index, u.key)
                if refs.explicit_none:
                    independent.add(u.key)
                s.prerequisites.extend(k for k in refs.prerequisites if k not in s.prerequisites)
                s.prerequisites.extend(k for k in by_name if k != u.key and k not in s.prerequisites)
                blocks.extend((u.key, k, f.line) for k in refs.inverse)  # `Depends on: 1. Blocks: 4`
                s.raw_prerequisites = strip_inline(doc.fix(f.value))
                known = True
            elif _BLOCKS.match(f.name):
                refs = parse_refs(doc.fix(f.value), index, u.key, inverse=True)
                blocks.extend((u.key, k, f.line) for k in refs.inverse)
                known = True
            elif _DURATION_F.match(f.name) and s.duration is None:
                s.duration = strip_inline(doc.fix(f.value))
            elif _OUTPUT_F.match(f.name) and s.output is None:
                s.output = strip_inline(doc.fix(f.value))
        if not s.status_spans:
            raw = doc.lines[u.heading.line - 1]
            col = raw.find(u.key)
            found = status_in_heading(doc, u.heading.line, col + len(u.key)) if col >= 0 else None
            if found is None:
                # a status may also lead the heading: `## ✅ DONE - Step 2: ...`
                plain = strip_inline(doc.fix(u.heading.text))
                lead = _UNIT_RE.match(plain) or _ID_UNIT_RE.match(plain) or _DOTTED_ID_UNIT_RE.match(plain)
                word = lead.group("status") if lead else None
                if not word and lead:
                    word = lead.group("lead").strip(" #*_") or None  # `## ✅ Session 1: Setup`
                if word and pure_status(word):
                    at = doc.find_in_line(u.heading.line, word)
                    st = pure_status(word)
                    if at is not None and st is not None:
                        found = (st, at, word)
            where = u.heading.line
            if found is None:
                # `## Step 1 — List the claims` / `**Done.** Five claims, …`: the section's first words
                lead_said = status_leading_section(doc, u.heading.line + 1, u.heading.end_line)
                if lead_said is not None:
                    found, where = lead_said[:3], lead_said[3]
            if found is not None:
                s.status, s.status_text = found[0], doc.fix(found[2])
                s.status_spans = [StatusSpan(found[1], heading_span_kind(found[2]), where)]
        gone = dropped_by_heading(doc.fix(u.heading.text), s.title)
        if gone is not None and s.status is not Status.DONE:
            # struck through or superseded: dropped, whatever an older status field still says
            s.title, s.status, s.status_text = gone[0], Status.DROPPED, gone[1]
            known = True
        informed += bool(s.status_spans) or known
        if not s.status_spans:
            res.notes.append(f"line {s.line}: {u.key} has no status written; nothing says it started, so planned")
    container_dependencies(doc, units, parents, index, independent)
    by_key = {u.key: u.session for u in units}
    for blocker, blocked, line in blocks:
        s = by_key[blocked]
        if blocker not in s.prerequisites:
            if s.raw_prerequisites is not None:
                res.problems.append(
                    Problem(
                        line,
                        Severity.WARNING,
                        f"{blocker} says it blocks {blocked}, but "
                        f"{blocked} (line {s.line}) does not list it; both are used",
                    )
                )
            s.prerequisites.append(blocker)
    forget_dropped(units)
    for u in units:
        res.problems.extend(checklist_problems(u.session.checklist))
    res.problems.extend(document_status_lines(doc, units, index, prose))
    res.sessions = [u.session for u in units]
    apply_log(doc, res.sessions, res.problems)  # a progress log below the sections is newer than they are
    # and so are later sections' words about earlier ones, read once this reading is chosen (their fields, `Status:`
    # and `Depends on:`, are their own)
    res.section_fields = {f.line for u in units for f in u.fields}
    res.summary_lines = summary_lines(doc)
    # sections with dependencies or statuses are units; bare numbered headings may just be instructions
    res.confidence = 0.4 + 0.6 * informed / len(units)
    if _sessions(matches, level) and not _plan_like(matches, level, res.sessions):
        # `## Session 00 - 2025-09-30 - Planning`, a session written up twice, or sessions that only record
        # work done: entries of a log
        res.confidence *= 0.3
        res.notes.append("`Session N` headings with nothing ahead of them read as a log (the thread shape)")
    if by_status_field and not all(_NUMBER_KEY.fullmatch(u.key) for u in units):
        # named, not numbered: a weaker sign than `Step 3`, so a reader that finds keys wins a tie
        res.confidence *= 0.6
    res.notes.append(f"{len(units)} unit sections at heading level {level}, {informed} with a status or dependencies")
    return res


_LINK_PAREN_RE = lazy_re(r"\s*\(\s*https?://[^)\s]*\s*\)")
_NUMBER_KEY = lazy_re(r"\d{1,4}(?:\.\d{1,3})*")
_DATE_RE = lazy_re(r"\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}/\d{1,2}/\d{2,4}\b")


def _sessions(matches: list[tuple[Heading, Any]], level: int) -> list[tuple[Heading, Any]]:
    return [(h, m) for h, m in matches if h.level == level and canonical(m.group("word") or "") == "session"]


def _plan_like(matches: list[tuple[Heading, Any]], level: int, sessions: list[Session]) -> bool:
    """`## Session 3: Writer` / `Status: planned`: sessions written ahead of the work (a status that says it
    has not started), undated and each once, are a plan's units; dated or revisited ones are a log's entries."""
    found = _sessions(matches, level)
    keys = [m.group("key") for _, m in found]
    if len(set(keys)) < len(keys) or any(_DATE_RE.search(h.text) for h, _ in found):
        return False
    return any(s.status in (Status.PLANNED, Status.READY) and s.status_spans for s in sessions)


def _lines(hs: list[Heading]) -> str:
    if not hs:
        return ""
    shown = ", ".join(str(h.line) for h in hs[:8])
    return f"(lines {shown}{' and more' if len(hs) > 8 else ''})"
