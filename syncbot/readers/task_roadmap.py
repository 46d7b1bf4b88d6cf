"""A roadmap of tasks: phase and stage headings over task items, the items' sub-bullet fields, containers of units."""

from __future__ import annotations

import bisect
import re

from syncbot.model import Problem, Session, SpanKind, Status, StatusSpan
from syncbot.readers.checklists import checklist_of
from syncbot.readers.common import strip_inline
from syncbot.readers.container_names import container_names
from syncbot.readers.held_containers import block_containers
from syncbot.readers.kinds import PLAN_KINDS, split_kind_key
from syncbot.readers.lazy_re import lazy_re
from syncbot.readers.outline import Outline
from syncbot.readers.phrases import status_phrases
from syncbot.readers.ref_markers import FORWARD_PAREN_RE, INVERSE_LABEL_RE
from syncbot.readers.structure import Heading, Item
from syncbot.readers.task_units import (
    DEP_FIELD_RE,
    TaskUnit,
)
from syncbot.readers.titles import clean_title

_PHASE_WORD_RE = lazy_re(r"\bphase\b", re.IGNORECASE)


_STAGE_WORD_RE = lazy_re(r"\b(?:stage|milestone|sprint|wave)\b", re.IGNORECASE)


def phase_of(ol: Outline, line: int) -> str | None:
    """The phase a line sits in, by the headings whose sections hold it (worked out once per such chain)."""
    chain = ol.chain(line)
    # (lines under the same headings share one chain: asked again by the chain itself, kept so its id stays its own)
    same: dict[int, tuple[tuple[Heading, ...], str | None]] = ol.__dict__.setdefault("_phase_of_chain", {})
    if (hit := same.get(id(chain))) is not None and hit[0] is chain:
        return hit[1]
    known: dict[tuple[int, ...], str | None] = ol.__dict__.setdefault("_phase_of", {})
    key = tuple(h.line for h in chain)
    if key not in known:
        known[key] = _phase_of_chain(ol, chain)
    same[id(chain)] = (chain, known[key])
    return known[key]


def _phase_of_chain(ol: Outline, chain: tuple[Heading, ...]) -> str | None:
    # the outermost `Phase N` heading names the phase; a story or stage heading only when there is none
    phase = None
    for h in reversed(chain):
        t = ol.doc.fix(h.raw)
        named = _PHASE_WORD_RE.search(t) or (phase is None and _STAGE_WORD_RE.search(t))
        if h.level > 1 and named:
            phase = clean_title(FORWARD_PAREN_RE.sub(" ", t))
    return phase


def sub_bullet_fields(ol: Outline, u: TaskUnit, below: list[Item]) -> None:
    """`- [ ] 2.3 Add burst capacity` / `  - _Depends on: 2.1_`: a plain bullet under a task that is a
    `Depends on` or `Blocks` field states the task's edges (other labels, `Requirements: 2.2`, do not)."""
    for d in below:
        if d.mark is not None:
            continue
        m = DEP_FIELD_RE.match(strip_inline(ol.doc.fix(ol.doc.lines[d.line - 1])).strip())
        if not m:
            continue
        if INVERSE_LABEL_RE.match(m.group("name")):
            u.blocks.append(m.group("v"))
        else:
            u.deps.append(m.group("v"))
            u.deps_line = u.deps_line or d.line


def descendants(ol: Outline, it: Item, stop: set[int] | None = None) -> list[Item]:
    """The items below ``it``; with ``stop``, not those items (other units) nor anything below them."""
    out: list[Item] = []
    for c in it.children:
        if stop is not None and c in stop:
            continue
        child = ol.items[c]
        out.append(child)
        out.extend(descendants(ol, child, stop))
    return out


def _dep_fields(ol: Outline, first: int, last: int) -> tuple[list[str] | None, list[str], int | None]:
    """`Depends on` and `Blocks` fields in lines ``first..last``: (dependency texts or None, `Blocks`
    texts, line of the first dependency field)."""
    deps: list[str] | None = None
    blocks: list[str] = []
    where = None
    for n in range(first, last + 1):
        if n in ol.code_lines:
            continue
        fixed = ol.doc.fix(ol.doc.lines[n - 1])
        if ":" not in fixed and "：" not in fixed:
            continue  # a field is a label and a colon (the lines of a phase's tasks mostly have none)
        m = DEP_FIELD_RE.match(strip_inline(fixed).strip())
        if not m:
            continue
        value = m.group("v")
        if INVERSE_LABEL_RE.match(m.group("name")):
            blocks.append(value)
        elif deps is None:
            deps, where = [value], n
        else:
            deps.append(value)
    return deps, blocks, where


def roadmap(ol: Outline, units: list[TaskUnit], problems: list[Problem]) -> list[TaskUnit]:
    """`### Phase 2: Name` / `## Step 2 — Name` sections with `Depends on` fields: merge them into the
    checklist units with the same key, or make them units."""
    by_key = {u.session.key: u for u in units}
    sections: list[tuple[Heading, str, str, str]] = []
    for h in ol.headings:
        fixed = ol.doc.fix(h.raw)
        phrases = status_phrases(fixed)
        kk = split_kind_key(clean_title(fixed, [p for p in phrases if p.where != "whole"]))
        if kk and kk[0] in PLAN_KINDS:
            sections.append((h, kk[0], kk[1], kk[2]))
    # `## Phase 3` holding `### Step 3.2` sections: the phase's own fields end where its first step starts
    # (sections are in document order, and a heading inside a section is deeper than the section's own,
    # so the first later section that starts inside it is the one that ends its own fields: no scan of all)
    own_end: dict[int, int] = {}
    for i, (h, *_) in enumerate(sections):
        end = h.end_line
        for j in range(i + 1, len(sections)):
            later = sections[j][0]
            if later.line > h.end_line:
                break
            if later.level > h.level:
                end = later.line - 1
                break
        own_end[h.line] = end
    with_deps = [s for s in sections if _dep_fields(ol, s[0].line + 1, own_end[s[0].line])[0] is not None]
    # a `### Phase 1` section is the detail of `- [x] **Phase 1: …**`, never of a task numbered `1.`
    matched = [s for s in sections if s[2] in by_key and by_key[s[2]].kind == s[1]]
    if len(with_deps) < 2 and len(matched) < 2:
        return units
    out = list(units)
    dep_heads = {s[0].line for s in with_deps}
    unit_items = {u.item.index for u in units if u.item is not None}
    for h, kind, num, name in sections:
        same = num in by_key and by_key[num].kind == kind
        if not (same or h.line in dep_heads):
            continue
        deps, blocks, where = _dep_fields(ol, h.line + 1, own_end[h.line])
        inner = [it for it in ol.items_between(h.line + 1, own_end[h.line]) if it.mark is not None]
        checklist = checklist_of(ol, [it for it in inner if it.index not in unit_items])
        if same:
            u = by_key[num]
            s = u.session
            u.deps.extend(deps or [])
            u.blocks.extend(blocks)
            u.deps_line = u.deps_line or where
            s.checklist.extend(checklist)
            s.description = s.description or name
            continue
        fixed = ol.doc.fix(h.raw)
        phrases = [p for p in status_phrases(fixed) if p.where != "whole"]
        spans: list[StatusSpan] = []
        if phrases:
            p = phrases[0]
            status, status_text = p.status, fixed[p.start : p.end]
            spans.append(StatusSpan(ol.span(h.line, h.col, status_text, fixed[: p.start]), SpanKind.HEADING, h.line))
        elif checklist:
            done = sum(c.done for c in checklist)
            status = Status.DONE if done == len(checklist) else Status.IN_PROGRESS if done else Status.PLANNED
            status_text = ""
        else:
            # nothing written: a step of a plan that says nothing about it has not started
            status, status_text = Status.PLANNED, ""
        session = Session(
            key=num,
            title=name or clean_title(fixed, phrases),
            status=status,
            status_text=status_text,
            checklist=checklist,
            line=h.line,
            end_line=h.end_line,
            status_spans=spans,
        )
        by_key[num] = TaskUnit(session, None, kind, deps or [], blocks, where)
        out.append(by_key[num])
    return out


_STORY_TAG_RE = lazy_re(r"\[([A-Z]{1,4}\d{1,3})\](?![(\[])")


def containers(ol: Outline, units: list[TaskUnit]) -> dict[str, list[str]]:
    """Headings that hold units (`## Phase 2: Foundational`, `### Store Layer`) are containers: a
    dependency on one means its member units."""
    lines = sorted((u.session.line, u.session.key) for u in units)
    starts = [line for line, _ in lines]
    # a dropped member is no longer part of what `after Phase 2` waits for
    gone = {u.session.key for u in units if u.session.status is Status.DROPPED}
    out: dict[str, list[str]] = {}
    for h in ol.headings:
        # (a heading that is a unit itself is a container too when units sit under it: `阶段 2 全部`)
        under = lines[bisect.bisect_right(starts, h.line) : bisect.bisect_right(starts, h.end_line)]
        members = [k for _, k in under if k not in gone]
        if members:
            for name in container_names(FORWARD_PAREN_RE.sub(" ", ol.doc.fix(h.raw))):
                out.setdefault(name, members)
    # spec-kit's story labels: the tasks tagged `[US1]` are what `US1` (`after US1`, `H2 depends on T014`) means
    for u in units:
        if u.session.key in gone:
            continue
        for tag in _STORY_TAG_RE.findall(ol.doc.lines[u.session.line - 1]):
            members = out.setdefault(tag, [])
            if u.session.key not in members:
                members.append(u.session.key)
    # `<details><summary>Phase 2 — Build</summary>` and `**Backend**` hold units as a heading does
    for name, members in block_containers(ol.doc, [u.session for u in units]).items():
        out.setdefault(name, [k for k in members if k not in gone])
    return out
