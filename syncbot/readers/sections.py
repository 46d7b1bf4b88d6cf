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
from dataclasses import dataclass
from typing import Any

from syncbot.model import Problem, Session, Severity, SpanKind, Status, StatusSpan
from syncbot.readers import register
from syncbot.readers.checklists import Items, checklist_problems, task_items
from syncbot.readers.common import Document, ReadResult, classify_status, strip_inline
from syncbot.readers.fields import Field, fields_in
from syncbot.readers.heading_status import HEADING_BOX_RE, heading_span_kind, pure_status, status_in_heading
from syncbot.readers.hints import heading_units
from syncbot.readers.kinds import SECTION_WORDS, canonical
from syncbot.readers.refs import INVERSE_LABEL_RE, MARKER_RE, UNIT_WORDS, KeyIndex, container_names, parse_refs
from syncbot.readers.status_fields import DEPENDS_FIELD_RE, STATUS_FIELD_RE, dropped_by_heading, status_head
from syncbot.readers.structure import Heading, code_lines, headings, prose_lines, title_of
from syncbot.readers.summaries import summary_lines

_UNIT_RE = re.compile(
    r"^(?P<lead>[^\w]*)(?:(?P<status>[A-Za-z][A-Za-z ]{0,20}?)\s+[-—–:]\s+)?"
    rf"(?P<word>step|stage|work\s+packet|packet|wp|milestone|part|increment|slice|chunk|epic|workstream|task|story|"
    rf"feature|ticket|issue|item|deliverable|objective|work\s+item|{SECTION_WORDS})\s*#?"
    r"(?P<key>\d+(?:\.\d+)*[a-z]?|[A-Z]{1,4}-?\d+)(?![\w.-])\s*(?P<rest>.*)$",
    re.IGNORECASE,
)
# `## FEAT-2: Keyboard shortcuts`: a ticket id leads the heading, with no word before it
_ID_UNIT_RE = re.compile(
    r"^(?P<lead>[^\w]*)(?P<status>(?!))?(?P<word>)(?P<key>[A-Z][A-Z0-9]{1,9}(?:-\d+)+[A-Za-z]?|T\d{3,}|[A-Z]{1,3}\d{1,4}(?=\s*[:：]|\s+[—–]\s))"
    r"(?=\s*[:：]|\s+[-—–|]\s|\s*$)\s*(?P<rest>.*)$"
)
_BLOCKS = INVERSE_LABEL_RE  # `Blocks:`, `Unblocks:`, `Prerequisite for:`, `Required by:`
_DURATION_F = re.compile(r"^(duration|estimate|effort|time|est)$")
_OUTPUT_F = re.compile(r"^(output|outputs|deliverables?|outcome)$")


@dataclass
class _Unit:
    heading: Heading
    key: str
    session: Session
    fields: list[Field]


def _strip_status_tail(title: str) -> str:
    """`Engine Fixes & Robustness (CURRENT)` -> `Engine Fixes & Robustness`."""
    out = HEADING_BOX_RE.sub("", title).rstrip()
    out = re.sub(r"\s*\(([^)]*)\)\s*$", lambda m: "" if pure_status(m.group(1)) else m.group(0), out)
    parts = re.split(r"\s+[-—–|]\s+", out)
    if len(parts) > 1 and pure_status(parts[-1]):
        out = " - ".join(parts[:-1])
    return out.strip()


@register("sections")
def read(doc: Document) -> ReadResult:
    res = ReadResult(reader="sections", title=title_of(doc))
    hs = headings(doc)
    hinted = heading_units(doc, hs)  # the user's heading_level / key_pattern, when given
    matches: list[tuple[Heading, Any]] = list(hinted or [])
    for h in hs if hinted is None else []:
        plain = strip_inline(doc.fix(h.text))
        m = _UNIT_RE.match(plain) or _ID_UNIT_RE.match(plain)
        if m:
            matches.append((h, m))
    by_status_field = False
    if not matches:
        matches = _status_field_sections(doc, hs)
        by_status_field = bool(matches)
    if not matches:
        res.notes.append(
            "looked for one section per unit: headings like `## Step 3 — Title` / `### Packet R2: Title`, or "
            f"sibling headings each with a `Status:` line; none of the {len(hs)} headings matched {_lines(hs)}"
        )
        res.confidence = 0.0
        return res
    level = Counter(h.level for h, _ in matches).most_common(1)[0][0]
    prose = prose_lines(doc)
    items = Items(task_items(doc))
    units: list[_Unit] = []
    seen: dict[str, _Unit] = {}
    for h, m in matches:
        if h.level != level:
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
        u = _Unit(h, key, s, fields_in(doc, h.line + 1, h.end_line, prose))
        seen[key] = u
        units.append(u)
    parents = _parents(hs, units)
    index = KeyIndex([u.key for u in units], _containers(doc, units, parents))
    blocks: list[tuple[str, str, int]] = []  # (blocker, blocked, line)
    informed = 0
    independent: set[str] = set()  # units whose own field says they wait for nothing
    for u in units:
        s = u.session
        known = False
        for f in u.fields:
            if STATUS_FIELD_RE.match(f.name) and not s.status_spans:
                st, span, raw = status_head(doc, f.value, f.span)
                if st is not None:
                    s.status, s.status_text = st, doc.fix(raw)
                    s.status_spans = [StatusSpan(span, SpanKind.FIELD, f.line)]
            elif DEPENDS_FIELD_RE.match(f.name):
                refs = parse_refs(doc.fix(f.value), index, u.key)
                if refs.explicit_none:
                    independent.add(u.key)
                s.prerequisites.extend(k for k in refs.prerequisites if k not in s.prerequisites)
                blocks.extend((u.key, k, f.line) for k in refs.inverse)  # `Depends on: 1. Blocks: 4`
                if by_status_field:
                    # units named, not keyed: `Depends on: Auth, Billing` names them
                    for part in re.split(r"\s*(?:,|;|&|\band\b|/)\s*", strip_inline(doc.fix(f.value))):
                        k = _slug(re.sub(r"\([^)]*\)", "", part))
                        if k in index.pos and k != u.key and k not in s.prerequisites:
                            s.prerequisites.append(k)
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
                lead = _UNIT_RE.match(plain) or _ID_UNIT_RE.match(plain)
                word = lead.group("status") if lead else None
                if not word and lead:
                    word = lead.group("lead").strip(" #*_") or None  # `## ✅ Session 1: Setup`
                if word and pure_status(word):
                    at = doc.find_in_line(u.heading.line, word)
                    st = pure_status(word)
                    if at is not None and st is not None:
                        found = (st, at, word)
            if found is not None:
                s.status, s.status_text = found[0], doc.fix(found[2])
                s.status_spans = [StatusSpan(found[1], heading_span_kind(found[2]), u.heading.line)]
        gone = dropped_by_heading(doc.fix(u.heading.text), s.title)
        if gone is not None and s.status is not Status.DONE:
            # struck through or superseded: dropped, whatever an older status field still says
            s.title, s.status, s.status_text = gone[0], Status.DROPPED, gone[1]
            known = True
        informed += bool(s.status_spans) or known
        if not s.status_spans:
            res.notes.append(f"line {s.line}: {u.key} has no status written; nothing says it started, so planned")
    _container_dependencies(doc, units, parents, index, independent)
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
    _forget_dropped(units)
    for u in units:
        res.problems.extend(checklist_problems(u.session.checklist))
    res.problems.extend(_document_status_lines(doc, units, index, prose))
    res.sessions = [u.session for u in units]
    res.summary_lines = summary_lines(doc, prose)
    # sections with dependencies or statuses are units; bare numbered headings may just be instructions
    res.confidence = 0.4 + 0.6 * informed / len(units)
    if _sessions(matches, level) and not _plan_like(matches, level, res.sessions):
        # `## Session 00 - 2025-09-30 - Planning`, a session written up twice, or sessions that only record
        # work done: entries of a log
        res.confidence *= 0.3
        res.notes.append("`Session N` headings with nothing ahead of them read as a log (the thread shape)")
    if by_status_field:
        # named, not numbered: a weaker sign than `Step 3`, so a reader that finds keys wins a tie
        res.confidence *= 0.6
    res.notes.append(f"{len(units)} unit sections at heading level {level}, {informed} with a status or dependencies")
    return res


def _forget_dropped(units: list[_Unit]) -> None:
    """A dropped unit is no prerequisite that `alle vorherigen Schritte` or `Phase 2` brought in: only one
    the dependency text names itself is kept."""
    gone = {u.key for u in units if u.session.status is Status.DROPPED}
    for u in units if gone else []:
        s = u.session
        raw = s.raw_prerequisites or ""
        s.prerequisites = [
            k for k in s.prerequisites if k not in gone or re.search(rf"(?<![\w.]){re.escape(k)}(?![\w.])", raw)
        ]


def _parents(hs: list[Heading], units: list[_Unit]) -> dict[str, Heading]:
    """Each unit's container: the nearest heading above it of a higher level (`## 阶段 1：数据接入` over
    `### TASK-012-001`), when that heading is itself no unit."""
    own = {u.heading.line for u in units}
    out: dict[str, Heading] = {}
    stack: list[Heading] = []
    by_line = {u.heading.line: u for u in units}
    for h in hs:
        while stack and stack[-1].level >= h.level:
            stack.pop()
        u = by_line.get(h.line)
        if u is not None and stack and stack[-1].level > 1 and stack[-1].line not in own:
            out[u.key] = stack[-1]
        stack.append(h)
    return out


def _containers(doc: Document, units: list[_Unit], parents: dict[str, Heading]) -> dict[str, list[str]]:
    """A container's names (`阶段 1`, `Phase 2: Store`, `Store`) -> its live members; a member struck through
    in its heading is no longer part of what `all of phase 2` waits for."""
    out: dict[str, list[str]] = {}
    for u in units:
        h = parents.get(u.key)
        if h is None:
            continue
        u.session.phase = u.session.phase or strip_inline(doc.fix(h.text))
        if dropped_by_heading(doc.fix(u.heading.text), u.session.title) is not None:
            continue
        for name in container_names(doc.fix(h.text)):
            out.setdefault(name, []).append(u.key)
    return out


def _container_dependencies(
    doc: Document, units: list[_Unit], parents: dict[str, Heading], index: KeyIndex, independent: set[str]
) -> None:
    """A dependency stated once for a whole container, in its text before its first unit (`> 本阶段全部任务依赖
    阶段 1 完成`, `Everything in this section depends on section 2`), is a prerequisite of every member that
    does not say it waits for nothing."""
    members: dict[int, list[_Unit]] = {}
    for u in units:
        h = parents.get(u.key)
        if h is not None:
            members.setdefault(h.line, []).append(u)
    code = code_lines(doc) if members else set()
    for line, group in members.items():
        first = min(u.heading.line for u in group)
        for ln in range(line + 1, first):
            text = doc.fix(doc.lines[ln - 1])
            if ln in code or not MARKER_RE.search(text):
                continue
            refs = parse_refs(text, index, None, prose=True)
            own = {u.key for u in group}
            for k in refs.prerequisites:
                if k in own:
                    continue
                for u in group:
                    if u.key not in independent and k not in u.session.prerequisites:
                        u.session.prerequisites.append(k)


class _Named:
    """A heading that is a unit by its `Status:` line rather than by a key (`### Billing`)."""

    def __init__(self, key: str, rest: str) -> None:
        self._groups = {"key": key, "rest": rest, "status": None, "word": "", "lead": ""}

    def group(self, name: str) -> str | None:
        return self._groups[name]


_NUMBERED_HEAD = re.compile(rf"^[^\w]*(?:{UNIT_WORDS}|session|entry|day|iteration)\s+#?\d", re.IGNORECASE)


def _status_field_sections(doc: Document, hs: list[Heading]) -> list[tuple[Heading, Any]]:
    """`### Billing` / `**Status:** 🚧 In progress` / `**Depends on:** Auth`: sibling headings whose own text
    (before any sub-heading) starts with a status field.  Keyed by their names; needs two of them, and most
    headings of their level."""
    prose = prose_lines(doc)
    starts = sorted(h.line for h in hs)
    found: dict[int, list[Heading]] = {}
    for h in hs:
        if h.level == 1 or _NUMBERED_HEAD.match(strip_inline(doc.fix(h.text))):
            continue
        i = bisect.bisect_right(starts, h.line)
        nxt = starts[i] if i < len(starts) else len(doc.lines) + 1
        own = fields_in(doc, h.line + 1, min(nxt - 1, h.line + 8), prose)
        if any(STATUS_FIELD_RE.match(f.name) and classify_status(doc.fix(f.value)) for f in own):
            found.setdefault(h.level, []).append(h)
    if not found:
        return []
    level, heads = max(found.items(), key=lambda kv: len(kv[1]))
    same_level = [h for h in hs if h.level == level]
    if len(heads) < 2 or 2 * len(heads) < len(same_level):
        return []
    out: list[tuple[Heading, Any]] = []
    titles = [strip_inline(doc.fix(h.text)).strip() for h in heads]
    numbered = [_LEAD_NUMBER.match(t) for t in titles]
    # `## 23. **Bold title**` over `- STATUS: …`: when every such heading leads with its own number, the
    # number is the key a trailer names (`Task: 23 done`), and the name is the rest
    by_number = all(numbered) and len({m.group("num") for m in numbered if m}) == len(numbered)
    for h, title, m in zip(heads, titles, numbered, strict=True):
        if by_number and m:
            out.append((h, _Named(m.group("num"), m.group("rest"))))
        elif key := _slug(title):
            out.append((h, _Named(key, title)))
    return out


# a heading that leads with its number: `1. Title`, `2.3 Title`, `4) Title`, `12 — Title` (not a year)
_LEAD_NUMBER = re.compile(
    r"^[^\w]*(?P<num>(?!\d{4}\b)\d{1,4}(?:\.\d{1,3})*)(?:[.)]\s*|\s*[-—–:]\s*|\s+)(?P<rest>\S.*)$"
)


def _slug(s: str) -> str:
    return re.sub(r"-+", "-", "".join(c.lower() if c.isalnum() else "-" for c in s)).strip("-")[:60]


def _document_status_lines(doc: Document, units: list[_Unit], index: KeyIndex, prose: set[int]) -> list[Problem]:
    """`Status: Step 1 in planning` above the sections, while Step 1's own heading says CURRENT: the unit's
    own section is what a careful reader goes by, and the disagreement is worth showing."""
    inside = {ln for u in units for ln in range(u.heading.line, u.heading.end_line + 1)}
    out = []
    by_key = {u.key: u.session for u in units}
    for f in fields_in(doc, 1, len(doc.lines), prose - inside):
        if not STATUS_FIELD_RE.match(f.name):
            continue
        refs = parse_refs(doc.fix(f.value), index).keys
        st = classify_status(doc.fix(f.value))
        if len(refs) != 1 or st is None:
            continue
        s = by_key[refs[0]]
        if s.status_spans and st is not s.status:
            out.append(
                Problem(
                    f.line,
                    Severity.WARNING,
                    f"this line says {refs[0]} is {st.value}, its section (line {s.line}) says {s.status.value}; "
                    "the section is used",
                )
            )
    return out


_DATE_RE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}/\d{1,2}/\d{2,4}\b")


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
