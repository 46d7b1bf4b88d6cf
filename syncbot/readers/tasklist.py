"""Reader for the tasklist shape: numbered or ID'd checklists and roadmaps.

- Kiro `tasks.md`: `- [ ] 1.2 Title` (hierarchy may live only in the dotted number), `- [ ]* 3.1` optional,
  `[-]` in progress; indented bullets and `_Requirements: 1.1_` lines are details, not dependencies.
- spec-kit `tasks.md`: `- [X] T004 [P] [US1] Title (depends on T003)`; `(depends on T003)` on a heading
  applies to the tasks under it; `## Phase N` headings are containers.
- GSD `ROADMAP.md`: `- [x] **Phase 1: Name** - summary (completed DATE)` plus `### Phase 1: Name` sections
  with `**Depends on**: Phase 2 (note), Phase 1` and nested plan checkboxes (the phase's checklist);
  step plans (`## Step 2 — Name` with `**Depends on:**` / `**Blocks:**`) read the same way.
- scratchpads: `- [ ] TASK-PRD-10-B: Title`, `1) [x] TASK-PRD-01-A: Title`, `- [x] #12 - Name ✅ **COMPLETED**`.
- Backlog.md task files: YAML front matter `status:` / `dependencies:`, acceptance criteria as checklist.
- plain checklists (`- [x] Do X`, `[/]` in progress), nested items as the checklist of their parent.
"""

from __future__ import annotations

import bisect
import itertools

from syncbot.model import Problem, Session, Severity, SpanKind, Status
from syncbot.readers.bullet_labels import announced_items
from syncbot.readers.checklists import checklist_of
from syncbot.readers.common import Document, ReadResult, lines_note
from syncbot.readers.item_ids import key_by_own_number, short_id_family
from syncbot.readers.keyed_items import keyed_plain_items
from syncbot.readers.lanes import board_columns, unnamed_lanes
from syncbot.readers.lazy_re import lazy_re
from syncbot.readers.loose_work import work_beside
from syncbot.readers.outline import Outline, outline
from syncbot.readers.progress_log import apply_log
from syncbot.readers.ref_markers import FORWARD_PAREN_RE
from syncbot.readers.released_items import released_units
from syncbot.readers.status_bullets import status_bullets
from syncbot.readers.status_headings import analyse
from syncbot.readers.summaries import outline_summary_lines
from syncbot.readers.task_dependencies import resolve
from syncbot.readers.task_fallbacks import backlog_file, boxes_all_nested, plain_items
from syncbot.readers.task_roadmap import descendants, phase_of, roadmap, sub_bullet_fields
from syncbot.readers.task_units import (
    TaskUnit,
    item_unit,
    merge_duplicate,
    same_title,
)


def _numbered_within(ol: Outline, units: list[Session]) -> bool:
    """`## Phase 1 — Réplication` / `- [x] **1.1** …`: tasks numbered within their phase's own number are
    the phase's tasks, not the steps of a checklist the phase heading is the unit of."""
    within = 0
    for s in units:
        h = ol.heading_before(s.line)
        n = _FIRST_NUMBER_RE.search(ol.doc.fix(h.raw)) if h is not None else None
        within += n is not None and s.key.startswith(n.group(0) + ".")
    return within * 5 >= len(units) * 4


_FIRST_NUMBER_RE = lazy_re(r"\d+")


class _Held:
    """Line ranges, asked whether any of them holds a line (log n a question: a plan has thousands)."""

    def __init__(self, ranges: list[tuple[int, int]]) -> None:
        ranges = sorted(ranges)
        self.starts = [a for a, _ in ranges]
        self.reach = list(itertools.accumulate((b for _, b in ranges), max))  # furthest end so far

    def holds(self, line: int) -> bool:
        i = bisect.bisect_right(self.starts, line)
        return i > 0 and self.reach[i - 1] >= line


def read(doc: Document) -> ReadResult:
    ol = outline(doc)
    problems: list[Problem] = []
    notes: list[str] = []
    fallbacks: dict[str, list[str]] = {}  # a phase's rule, for its tasks that say nothing more specific
    title = ol.title()
    backlog = backlog_file(ol)
    if backlog is not None:
        return ReadResult("tasklist", [backlog], outline_summary_lines(doc), [], title or backlog.title, notes, 0.9)

    units: list[TaskUnit] = []
    short = short_id_family([doc.fix(it.raw).lstrip() for it in ol.items if it.mark is not None])
    for it in ol.items:
        if it.mark is None:
            continue
        u = item_unit(ol, it, problems, short)
        if u is not None:
            units.append(u)
    boxes = [it for it in ol.items if it.mark is not None]
    if len(units) == 1 and units[0].kind is None and len(boxes) >= 4:
        # one `UTF-8 decoding` among many plain boxes is a word that looks like an id, not a task list
        notes.append(f"line {units[0].session.line}: a lone id-like item among {len(boxes)} checkboxes; ignored")
        units = []
    units = roadmap(ol, units, problems)
    if units and len(announced_items(ol)) > 2 * len(units):
        # a log announcing its tasks (`- NEW T-05 …`), a few of them boxed: the announcements are the units
        notes.append(f"the {len(units)} boxed tasks are a few of the tasks the log announces; read those")
        units = []
    sessions: list[Session] = []
    plain = False
    read_lines: set[int] = set()
    if units:
        # a heading's `(depends on T003)` applies to the tasks under it; `(depends on Phase 2)` names the
        # tasks of a container heading
        with_items = sorted((u for u in units if u.item is not None), key=lambda u: u.item.line)  # type: ignore[union-attr]
        item_lines = [u.item.line for u in with_items]  # type: ignore[union-attr]
        for h in ol.headings:
            for dm in FORWARD_PAREN_RE.finditer(doc.fix(h.raw)):
                for u in with_items[
                    bisect.bisect_right(item_lines, h.line) : bisect.bisect_right(item_lines, h.end_line)
                ]:
                    u.deps.append(dm.group(1))
        unit_items = {u.item.index for u in units if u.item is not None}
        for u in units:
            if u.item is None:
                continue
            s = u.session
            s.phase = s.phase or phase_of(ol, u.item.line)
            mine = descendants(ol, u.item, unit_items)  # a sub-task's own lines are its own
            below = [d for d in mine if d.mark is not None]
            s.checklist = checklist_of(ol, below) + s.checklist
            sub_bullet_fields(ol, u, mine)
        seen: dict[str, TaskUnit] = {}
        kept: list[TaskUnit] = []
        for u in units:
            s = u.session
            first = seen.get(s.key)
            if first is not None and same_title(first.session.title, s.title):
                kept.remove(first)
                merged = merge_duplicate(first.session, s, problems)
                u = seen[s.key] = TaskUnit(
                    merged, u.item, u.kind, first.deps + u.deps, first.blocks + u.blocks, first.deps_line or u.deps_line
                )
                kept.append(u)
                continue
            if first is not None:
                problems.append(
                    Problem(s.line, Severity.WARNING, f"{s.key} names two tasks (also line {first.session.line})")
                )
                n = 2
                while f"{s.key}-{n}" in seen:
                    n += 1
                s.key = f"{s.key}-{n}"
            seen[s.key] = u
            kept.append(u)
        kept.sort(key=lambda u: u.session.line)
        fallbacks = resolve(ol, kept, problems)
        read_lines = {u.session.line for u in kept if u.line_read}
        sessions = [u.session for u in kept]
        if beside := _loose_work(ol, sessions):
            notes.append(f"read {len(beside)} plain checkboxes of sections beside the tasks as work of their own")
            sessions = sorted(sessions + beside, key=lambda s: s.line)
        shipped = released_units(ol, sessions)
        if shipped:
            notes.append(f"read {len(shipped)} plain items of released versions as done units")
            sessions = sorted(sessions + shipped, key=lambda s: s.line)
        if more := keyed_plain_items(ol, sessions):
            notes.append(f"read {len(more)} plain items keyed like the tasks as tasks not yet boxed")
            sessions = sorted(sessions + more, key=lambda s: s.line)
        confidence = 1.0
        phases = analyse(doc)
        if phases.mode == "phases":
            held = _Held([(p.line, p.end_line) for p in phases.heading_units])
            inside = [s for s in sessions if held.holds(s.line)]
            if len(inside) * 5 >= len(sessions) * 4 and not _numbered_within(ol, inside):
                confidence = 0.2
                notes.append("the numbered tasks sit under status headings: this reads as the phases shape")
        columns, _ = board_columns(doc)
        in_lane = _Held([(h.line + 1, h.end_line) for h, _ in columns + unnamed_lanes(doc, columns)])
        lanes = [s for s in sessions if in_lane.holds(s.line)]
        if columns and len(lanes) * 5 >= len(sessions) * 4:
            confidence = min(confidence, 0.2)
            notes.append("the tasks are cards in board lanes (`## In Progress`): this reads as the board shape")
        apply_log(doc, sessions, problems)
    else:
        # labelled items over nested boxes (their deliverables), or over a few boxes of their own elsewhere
        # (`## Definition of done` / `- [ ] make test green` beside `## Plan` / `- T9 — CSV import — doing`):
        # the labelled items are the units
        loose = [b for b in boxes if b.parent is None]
        bullets = status_bullets(ol) if not boxes or boxes_all_nested(ol, boxes) or len(loose) <= 5 else []
        if bullets and not boxes_all_nested(ol, boxes) and len(bullets) < 2 * len(loose):
            bullets = []
        if bullets:
            notes.append(
                f"no checklist of units; read the {len(bullets)} list items that carry a status label (first at line "
                f"{bullets[0].line}) as units"
            )
            said = len(problems)
            apply_log(doc, bullets, problems)
            # a plan most of whose items a log below says how they stand (`- #3 done.`) is surely the plan
            sure = 0.9 if 2 * (len(problems) - said) >= len(bullets) else 0.5
            return ReadResult("tasklist", bullets, outline_summary_lines(doc), problems, title, notes, sure)
        if not boxes:
            notes.append(
                "looked for checklist items (`- [ ] …`, also in numbered lists), for lists whose items mostly "
                "carry a status label (`- ✅ Name`, `- Name (planned)`) and for `Phase N` / `Step N` "
                f"sections with `Depends on` fields: found none among {len(ol.items)} list items"
                + (f" (lines {lines_note(it.line for it in ol.items)})" if ol.items else "")
                + f" and {len(ol.headings)} headings"
                + (f" (lines {lines_note(h.line for h in ol.headings)})" if ol.headings else "")
            )
            return ReadResult("tasklist", [], [], [], title, notes, 0.0)
        sessions = plain_items(ol)
        plain = True
        notes.append(
            f"no checklist item carries an id (`1.2`, `T003`, `TASK-1`, `#12`); read the {len(sessions)} top-level "
            f"checkboxes (first at line {boxes[0].line}) as a plain checklist"
        )
        confidence = 0.1
        # `- [ ] 🔥 Landing page`, `- [ ] 🙏 SMS` under `## 🔥 MUST`: open boxes whose own marks say more
        # than the box (in progress, blocked) are the units, whatever their headings say
        marked = sum(not s.status_text.startswith(("[", "~~")) for s in sessions)
        # `- [x] Async engines (#412)`: boxes that each carry an issue of their own are that units
        numbered = key_by_own_number(sessions, set())
        if numbered >= 3 and 3 * numbered >= 2 * len(sessions):
            confidence = 0.9
            notes.append(f"{numbered} checkboxes carry an issue number of their own: they are the units")
            if shipped := released_units(ol, sessions):  # `## Later / ideas` / `- DuckDB dialect (#451)`
                notes.append(f"read {len(shipped)} plain items of the roadmap's other sections as units")
                sessions = sorted(sessions + shipped, key=lambda s: s.line)
        elif marked >= 3 and 4 * marked >= len(sessions):
            confidence = 0.9
            notes.append(f"{marked} open checkboxes carry a status mark of their own: they are the units")
        elif analyse(doc).mode == "phases":
            confidence = 0.01
            notes.append("the checkboxes sit under status headings: this reads as the phases shape")
    res = ReadResult("tasklist", sessions, outline_summary_lines(doc), problems, title, notes, confidence, plain)
    res.fallback_prerequisites = fallbacks
    res.dependency_lines = read_lines
    return res


def _loose_work(ol: Outline, units: list[Session]) -> list[Session]:
    """Plain checkboxes of sections that hold no task, beside the tasks (`## Tarefas transversais` / `- [~]
    Atualizar a documentação`), that are work of their own (``loose_work.work_beside``)."""
    holding = {id(ol.heading_before(s.line)) for s in units}
    boxed = {id(ol.heading_before(s.line)) for s in units if s.status_span and s.status_span.kind is SpanKind.CHECKBOX}
    lines = {s.line for s in units}
    items = plain_items(ol, lines)
    boxes = [s for s in items if id(ol.heading_before(s.line)) not in holding]
    found = work_beside(ol.doc, units, boxes) if len(boxes) >= 2 else []
    # and beside tasks, a section of boxes only ticked or not is a checklist to go through (`## Validation
    # checklist`, `## Milestones`): work under way has a box in progress, blocked or cancelled
    sections: dict[int, list[Session]] = {}
    for s in found:
        sections.setdefault(id(ol.heading_before(s.line)), []).append(s)
    kept = [s for mine in sections.values() if {x.status for x in mine} - _TICKED for s in mine]
    # a box with no id in the very list of the tasks' boxes (`- [ ] #442 Migration guide` / `- [ ] Tag
    # 3.0.0rc1 and publish to PyPI`) is a task too, where there are several (one alone is a note: `- [x] 8 tests
    # passing`)
    loose: dict[int, list[Session]] = {}
    for s in items:
        if id(ol.heading_before(s.line)) in boxed:
            loose.setdefault(id(ol.heading_before(s.line)), []).append(s)
    return kept + [s for mine in loose.values() if len(mine) >= 2 for s in mine]


_TICKED = {Status.DONE, Status.PLANNED}
