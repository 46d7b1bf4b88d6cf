"""Units written as status headings: the engine behind the components and phases readers.

A heading is a unit when it carries a status written as a label, not as a word of its title:
`### ✅ COMPLETED - Foundation`, `### **Component 99 (Secrets Manager) - COMPLETE ✅**`, `#### ✅ API (100%)`,
`### 🔲 Model Training`.  `## CURRENT IMPLEMENTATION STATUS` or `## 🔄 NEXT CODING PRIORITIES` are not: the
word is part of the title.  A heading whose section holds other status headings is a container (`Current
Status: Infrastructure Complete ✅` over the components); a heading that is only a status (`## Done`) is a
group.  When most status headings own checklists the document is a phase plan and status headings without
one (`🎉 MISSION ACCOMPLISHED`, `✅ Completed Phases`) are commentary; otherwise it is a component summary,
where bullets such as `**SPHINX Component:** Not yet started` are units too.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from syncbot.model import Problem, Session, Severity, SpanKind, Status, StatusSpan
from syncbot.readers.checklists import checklist_of
from syncbot.readers.common import Document, lines_note
from syncbot.readers.component_bullets import component_bullets
from syncbot.readers.fields import fields_in
from syncbot.readers.heading_numbers import Candidate, lettered, numbered, numbered_siblings, numbering, numberings
from syncbot.readers.item_ids import TASK_ID_RE, lead_id
from syncbot.readers.kinds import PLAN_KINDS, split_kind_key
from syncbot.readers.lazy_re import lazy_re
from syncbot.readers.milestones import keys_by_milestone, milestone_keys, milestones_of
from syncbot.readers.outline import Outline, outline
from syncbot.readers.phrases import Phrase, bare_cross, status_phrases
from syncbot.readers.status_fields import dropped_by_heading, status_field
from syncbot.readers.structure import Heading, prose_lines
from syncbot.readers.titles import clean_title

T = TypeVar("T")


def cached(doc: Document, name: str, make: Callable[[Document], T]) -> T:
    """Compute once per document: detection runs every reader on the same document."""
    store: dict[str, object] = doc.__dict__.setdefault("_syncbot_cache", {})
    if name not in store:
        store[name] = make(doc)
    return store[name]  # type: ignore[return-value]


@dataclass
class Analysis:
    mode: str  # "phases" | "components" | "none"
    heading_units: list[Session]
    bullet_units: list[Session]
    problems: list[Problem]
    notes: list[str]


def _candidates(ol: Outline) -> tuple[list[Candidate], list[Heading]]:
    doc = ol.doc
    cands: list[Candidate] = []
    groups: list[Heading] = []
    prose = prose_lines(doc)
    starts = [h.line for h in ol.headings] + [len(doc.lines) + 1]
    for n, h in enumerate(ol.headings):
        if h.level == 1:
            continue  # the document's title, whatever it says about the whole
        fixed = doc.fix(h.raw)
        phrases = status_phrases(fixed)
        if phrases and _priority_label(fixed, phrases):
            continue  # `#### 🔴 High Priority`: a colour that ranks the rows under it, not a status
        if not phrases:
            kk = split_kind_key(clean_title(fixed)) or numbered(fixed)
            if kk and kk[0] in PLAN_KINDS | {"number"}:
                # `## Phase 2: API` with no status in it: a unit if its own text says its status in a field,
                # or if it owns a checklist (checked in _analyse)
                own = fields_in(doc, h.line + 1, starts[n + 1] - 1, prose)
                c = Candidate(h, [], fixed, kk[2] or clean_title(fixed), kk[0], kk[1])
                c.field_status = status_field(doc, own)
                cands.append(c)
            continue
        title = clean_title(fixed, phrases)
        if not title or phrases[0].where == "whole":
            groups.append(h)
            continue
        kk = split_kind_key(title) or numbered(title) or lettered(title)
        kind, num, name = kk if kk else (None, "", title)
        cands.append(Candidate(h, phrases, fixed, name or title, kind, num))
    return cands, groups


def _analyse(doc: Document) -> Analysis:
    ol = outline(doc)
    found, groups = _candidates(ol)
    cands: list[Candidate] = []
    unstated: list[Candidate] = []
    for c in found:
        c.items = [it for it in ol.items_between(c.heading.line + 1, c.heading.end_line) if it.mark is not None]
        # a numbered heading with no status is a unit only over a plain checklist; over `T001 …` tasks it is
        # a container of units the tasklist reader reads
        # (`- [x] **D-01** Glossary`: the id may be set in bold)
        ids = any(TASK_ID_RE.match(t) or lead_id(t) for it in c.items if (t := doc.fix(it.raw).strip()))
        if c.phrases or c.field_status or (c.items and not ids):
            cands.append(c)
        elif not ids:
            unstated.append(c)
    cands = numbered_siblings(cands, unstated)
    if not any(c.phrases or c.field_status for c in cands):
        # with no written status at all, one numbered heading is too little to call the document a plan
        kinds = Counter(c.kind for c in cands)
        cands = [c for c in cands if kinds[c.kind] >= 2]
    notes: list[str] = []
    problems: list[Problem] = []
    leaves: list[Candidate] = []
    containers: list[int] = []
    for n, c in enumerate(cands):
        # candidates are in document order: a container's section holds the very next one
        if n + 1 < len(cands) and cands[n + 1].heading.line <= c.heading.end_line:
            containers.append(c.heading.line)
            continue
        leaves.append(c)
    if containers:
        notes.append(f"status headings that hold other status headings are containers: lines {lines_note(containers)}")
    if groups:
        notes.append(
            f"headings that are only a status are groups, not units: lines {lines_note(h.line for h in groups)}"
        )
    # a numbered heading with a `Status:` field is a unit of the plan as much as one with a checklist
    with_list = [c for c in leaves if c.items or c.field_status]
    shared = numberings(with_list)
    if len(with_list) >= 2 and 2 * len(with_list) >= len(leaves):
        mode = "phases"
        # `### 1.1 Proposal ✔` beside `### 2.3 Canopy map` over its checklist: numbered as the plan's units are,
        # it is one of them; `🎉 MISSION ACCOMPLISHED` is commentary
        kept = [c for c in leaves if c.items or c.field_status or numbering(c) in shared]
        held = {id(c) for c in kept}  # (not `c in kept`: a list's `in` compares every candidate's fields)
        dropped = [c.heading.line for c in leaves if id(c) not in held]
        if dropped:
            notes.append(f"status headings without a checklist read as commentary: lines {lines_note(dropped)}")
        leaves = kept
    else:
        mode = "components" if leaves else "none"
    if not cands:
        status_free = [h.line for h in ol.headings if h.level > 1]
        notes.append(
            "looked for headings with a status label (`✅ COMPLETED - Name`, `Name - COMPLETE ✅`, `🔲 Name`, "
            f"`Name (planned)`): none of the {len(status_free)} headings has one"
            + (f" (lines {lines_note(status_free)})" if status_free else "")
        )
    first_at: dict[tuple[str, str, int], int] = {}
    ms = milestones_of(ol, [c.heading for c in leaves])
    keys = keys_by_milestone(ms, [(c.kind, c.num, c.title) for c in leaves])
    for c, m in zip(leaves, ms, strict=True):
        if c.kind and c.num:
            # two milestones may each number their phases from 1: a repeat only within one milestone
            at = first_at.setdefault((c.kind, c.num, m.line if m else 0), c.heading.line)
            if at != c.heading.line:
                problems.append(
                    Problem(c.heading.line, Severity.WARNING, f"{c.kind} {c.num} is listed twice (also line {at})")
                )
    units = [_dropped(c, _heading_unit(ol, c, key, problems)) for c, key in zip(leaves, keys, strict=True)]
    milestone_keys(ol, ms, units)
    bullets = component_bullets(ol, {u.key for u in units}) if mode != "phases" else []
    if mode == "none" and bullets:
        mode = "components"
    return Analysis(mode, units, bullets, problems, notes)


_PRIORITY_RE = lazy_re(
    r"\bpriority\b|\bP[0-3]\b|prioridad|prioridade|priorit[äa]t|priorit[ée]|优先级|優先度|우선순위", re.IGNORECASE
)


def _priority_label(fixed: str, phrases: list[Phrase]) -> bool:
    """`🔴 High Priority (Must-Have Blockers)`: a coloured mark beside a priority word ranks, it does not say
    how far the work is."""
    return all(not p.words for p in phrases) and bool(_PRIORITY_RE.search(clean_title(fixed, phrases)))


def _dropped(c: Candidate, s: Session) -> Session:
    """`## ~~Phase 2: Old UI~~`, `## Phase 3: New UI (superseded by Phase 4)`: a dropped unit."""
    gone = dropped_by_heading(c.fixed.lstrip("#").strip(), s.title)
    if gone is not None and s.status is not Status.DONE:
        s.title, s.status, s.status_text = gone[0], Status.DROPPED, gone[1]
    return s


def _heading_unit(ol: Outline, c: Candidate, key: str, problems: list[Problem]) -> Session:
    h = c.heading
    checklist = checklist_of(ol, c.items)
    if not c.phrases and c.field_status:
        st, span, text, line = c.field_status
        return Session(
            key=key,
            title=c.title,
            status=st,
            status_text=text,
            phase=_phase(ol, c),
            checklist=checklist,
            line=h.line,
            end_line=_last_text_line(ol, h.line, h.end_line),
            status_spans=[StatusSpan(span, SpanKind.FIELD, line)],
        )
    if not c.phrases:
        done = sum(ci.done for ci in checklist)
        started = any(it.mark in ("/", "-", "~") for it in c.items)
        # (no checklist and nothing written: not started)
        finished = checklist and done == len(checklist)
        status = Status.DONE if finished else Status.IN_PROGRESS if done or started else Status.PLANNED
        return Session(
            key=key,
            title=c.title,
            status=status,
            status_text="",  # nothing written: the status is what the checklist says
            phase=_phase(ol, c),
            checklist=checklist,
            line=h.line,
            # (a heading with no checklist reaches to the end of its text: what it says is its own)
            end_line=max([h.line] + [it.end_line for it in c.items])
            if c.items
            else _last_text_line(ol, h.line, h.end_line),
        )
    p = c.phrases[0]
    # only the label is the status span: a second mark (`… SUCCESSFUL ✅`, `(100%)`) is decoration a writer
    # should leave alone rather than turn into a second status word
    spans = [StatusSpan(ol.span(h.line, h.col, c.fixed[p.start : p.end], c.fixed[: p.start]), SpanKind.HEADING, h.line)]
    status = bare_cross(c.fixed, p)
    done = sum(ci.done for ci in checklist)
    if checklist:
        if status is Status.DONE and done == 0:
            problems.append(
                Problem(
                    h.line, Severity.WARNING, f"'{c.title}' says done but none of its {len(checklist)} items is checked"
                )
            )
        elif status in (Status.PLANNED, Status.READY) and done == len(checklist):
            problems.append(
                Problem(h.line, Severity.WARNING, f"'{c.title}' says {status.value} but all its items are checked")
            )
    end = max([h.line] + [it.end_line for it in c.items])
    end = max(end, _last_text_line(ol, h.line, h.end_line))
    return Session(
        key=key,
        title=c.title,
        status=status,
        status_text=c.fixed[p.start : p.end],
        phase=_phase(ol, c),
        checklist=checklist,
        line=h.line,
        end_line=end,
        status_spans=spans,
    )


_PHASE_RE = lazy_re(r"\bphase\b", re.IGNORECASE)


def _phase(ol: Outline, c: Candidate) -> str | None:
    """The phase heading a unit sits under (`## Phase B — Build`), whatever the unit's heading says."""
    if c.kind == "phase":
        return None  # (a phase is under no phase of its own: its headings are not looked at)
    phase = None
    for outer in ol.enclosing(c.heading.line):
        if outer is not c.heading and outer.level > 1 and _PHASE_RE.search(ol.doc.fix(outer.raw)):
            phase = clean_title(ol.doc.fix(outer.raw))
    return phase


_RULE_RE = lazy_re(r"^\s{0,3}([-*_])(?:\s*\1){2,}\s*$")


def _last_text_line(ol: Outline, first: int, last: int) -> int:
    """The last line of a section's content: a closing `---` rule separates sections, it is no part of one."""
    lines = ol.doc.lines
    while last > first and (not lines[last - 1].strip() or _RULE_RE.match(lines[last - 1])):
        last -= 1
    return last


def analyse(doc: Document) -> Analysis:
    return cached(doc, "status_headings", _analyse)
