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

import re
from dataclasses import dataclass, field

from syncbot.model import Problem, Session, Severity, Span, SpanKind, Status, StatusSpan
from syncbot.readers import register
from syncbot.readers.board import board_columns
from syncbot.readers.checklists import checklist_of
from syncbot.readers.common import Document, ReadResult, classify_status, strip_inline
from syncbot.readers.item_ids import TASK_ID_RE
from syncbot.readers.kinds import KIND_NUM_RE, PLAN_KINDS, split_kind_key
from syncbot.readers.outline import Outline, outline
from syncbot.readers.phrases import Phrase, bare_cross, clean_title, slug, status_phrases
from syncbot.readers.progress_log import apply_log
from syncbot.readers.refs import INVERSE_LABEL_RE, MARKER_RE, KeyIndex, container_names, parse_refs
from syncbot.readers.status_fields import DEPENDS_FIELD_RE
from syncbot.readers.status_headings import analyse, lines_note
from syncbot.readers.structure import Heading, Item
from syncbot.readers.summaries import outline_summary_lines

_TAGS_RE = re.compile(r"^(?:\s*\[(?:P|US\d+|[A-Z]{1,4}\d*|Story)\])+\s*")
_DEP_PAREN_RE = re.compile(r"\((?:depends on|after|needs|requires|blocked by)\s+([^)]*)\)", re.IGNORECASE)
# `**T3** API skeleton — depends: T1, T2`: a dependency clause closing the item
_DEP_TAIL_RE = re.compile(
    r"\s[—–-]\s*(?:depends(?:\s+on)?|deps|requires|blocked\s+by)\s*:?\s*([^—–()]+?)\s*$", re.IGNORECASE
)
_COMPLETED_PAREN_RE = re.compile(r"\((?:completed|done|finished)\b[^)]*\)", re.IGNORECASE)
_DEP_FIELD_RE = re.compile(
    r"^(?:[-*+]\s+)?(?P<name>depends on|dependencies|depends|prerequisites|requires|blocked by|blocks)"
    r"\s*:\s*(?P<v>.*)$",
    re.IGNORECASE,
)


@dataclass
class _Unit:
    session: Session
    item: Item | None
    kind: str | None
    deps: list[str] = field(default_factory=list)  # dependency texts as written, read once all keys are known
    blocks: list[str] = field(default_factory=list)  # `Blocks:` texts: the units named wait for this one
    deps_line: int | None = None  # where a `Depends on` field is written (explicit prerequisites)


_STRUCK_RE = re.compile(r"^[\s*_]*~~(?=\S)[^~]+?~~")


def struck(text: str) -> bool:
    """`~~Support IE11~~ (not worth it)`: an open item whose name is struck through was dropped."""
    return bool(_STRUCK_RE.match(text))


def _checkbox_span(ol: Outline, it: Item) -> StatusSpan:
    assert it.mark is not None and it.mark_col is not None
    return StatusSpan(ol.span(it.line, it.mark_col, it.mark, ""), SpanKind.CHECKBOX, it.line)


def _blank_out(pattern: re.Pattern[str], s: str) -> str:
    """Remove matches but keep every other character where it was, so positions stay valid."""
    return pattern.sub(lambda m: " " * len(m.group(0)), s)


_LEADING_SEP_RE = re.compile(r"^[\s:.\-–—)]+")


def _id_unit(ol: Outline, it: Item, problems: list[Problem]) -> _Unit | None:
    """A checkbox item that names its unit: `T003 …`, `1.2 …`, `TASK-X-1: …`, `#12 - …`, `**Phase 1: …**`."""
    fixed = ol.doc.fix(it.raw)
    first = len(fixed) - len(fixed.lstrip())
    # `- [ ] ~~4.3 GCRA variant~~ — dropped`: the name is struck through, key and all
    if fixed.startswith("~~", first) and struck(fixed[first:]):
        fixed = fixed[:first] + "  " + fixed[first + 2 :].replace("~~", "  ", 1)
        first += 2
        strike = True
    else:
        strike = False
    text = fixed[first:]
    kind: str | None = None
    title = description = ""
    m = TASK_ID_RE.match(text)
    bold = re.match(r"^(\*\*|__)(.+?)\1", text)
    inner = bold.group(2).strip() if bold else ""
    bold_id = TASK_ID_RE.match(inner + " ") if inner else None
    if bold and ((bold_id and bold_id.end() == len(inner)) or re.fullmatch(r"[A-Z]{1,3}\d{1,4}", inner)):
        # `- [ ] **1.1** Build`, `- [x] **T003**: …`
        key = (bold_id.group("id") if bold_id and bold_id.end() == len(inner) else inner).rstrip(".").lstrip("#")
        rest_start = first + bold.end()
    elif m:
        key = m.group("id").rstrip(".").lstrip("#")
        rest_start = first + m.end()
    elif bold and split_kind_key(strip_inline(bold.group(2))):
        kind, key, title = split_kind_key(strip_inline(bold.group(2)))  # type: ignore[misc]
        rest_start = first + bold.end()
    else:
        kk = split_kind_key(strip_inline(text))
        if not kk or kk[0] not in PLAN_KINDS | {"task", "session"}:
            return None
        kind, key, title = kk
        plain = KIND_NUM_RE.match(text)
        if plain:
            # `Task 3: Write docs [IN PROGRESS]`: the name may carry a status, read it where it is written
            title, rest_start = "", first + plain.start("rest")
        else:
            rest_start = len(fixed)
    if kind is not None and kind not in PLAN_KINDS | {"task", "session", "epic", "story"}:
        return None
    rest = _blank_out(_TAGS_RE, _blank_out(_LEADING_SEP_RE, fixed[rest_start:]))
    prereqs = [dm.group(1) for dm in _DEP_PAREN_RE.finditer(rest)]
    tail = _DEP_TAIL_RE.search(rest) if "epend" in rest or "equires" in rest or "locked" in rest else None
    if tail:
        prereqs.append(tail.group(1))
        rest = rest[: tail.start()] + " " * (len(rest) - tail.start())
    completed = bool(_COMPLETED_PAREN_RE.search(rest))
    rest = _blank_out(_COMPLETED_PAREN_RE, _blank_out(_DEP_PAREN_RE, rest))
    phrases: list[Phrase]
    if title:
        # `**Phase 1: Name** - summary`: the bold part named the unit, the rest describes it
        description, phrases = clean_title(rest), []
    else:
        rb = re.match(r"^(\s*)(\*\*|__)(.+?)\2\s*[-–—:]\s*(\S.*)$", rest)
        if rb and not status_phrases(rb.group(3)):
            title, description = clean_title(rb.group(3)), clean_title(rb.group(4))
            phrases = []
        else:
            phrases = [p for p in status_phrases(rest, item=True) if p.where != "whole"]
            title = clean_title(rest, phrases)
    if not key or not title:
        return None
    box = ol.box_status(it.mark or " ")
    spans = [_checkbox_span(ol, it)]
    status, status_text = box, f"[{it.mark}]"
    if box is not Status.DONE and (strike or struck(fixed[rest_start:].lstrip(" :.-–—)")) or struck(text)):
        status, status_text = Status.DROPPED, "~~"
    elif completed and box is not Status.DONE:
        status = Status.DONE
        problems.append(Problem(it.line, Severity.WARNING, f"{key}: box is open but the item says completed"))
    if phrases:
        p = phrases[0]
        a, b = rest_start + p.start, rest_start + p.end
        text_span = StatusSpan(ol.span(it.line, it.col, fixed[a:b], fixed[:a]), SpanKind.TEXT, it.line)
        if box is Status.DONE and p.status is not Status.DONE:
            problems.append(
                Problem(it.line, Severity.WARNING, f"{key}: box is checked but the item says {p.status.value}")
            )
            spans.append(text_span)
        elif box is not Status.DONE and p.status is not box:
            if p.status is Status.DONE:
                problems.append(Problem(it.line, Severity.WARNING, f"{key}: box is open but the item says done"))
            status, status_text = p.status, fixed[a:b]
            spans.insert(0, text_span)
        else:
            spans.append(text_span)
    if it.optional:
        description = ("optional. " + description).strip()
    session = Session(
        key=key,
        title=title,
        status=status,
        status_text=status_text,
        description=description,
        line=it.line,
        end_line=it.end_line,
        status_spans=spans,
    )
    return _Unit(session, it, kind, prereqs)


# how far along a status is: of two copies of one task, the further one is the copy people keep current
_PROGRESS = {
    Status.PLANNED: 0,
    Status.READY: 1,
    Status.FAILED: 2,
    Status.BLOCKED: 2,
    Status.IN_PROGRESS: 3,
    Status.DROPPED: 4,
    Status.DONE: 5,
}


def _same_title(a: str, b: str) -> bool:
    x, y = slug(a), slug(b)
    return bool(x and y) and (x == y or x in y or y in x)


def _merge_duplicate(first: Session, second: Session, problems: list[Problem]) -> Session:
    """One task listed twice (a stale preview and a live list): keep the copy that is further along, and
    give it the other copy's status spans too, so a writer keeps both in step."""
    keep, other = (second, first) if _PROGRESS[second.status] > _PROGRESS[first.status] else (first, second)
    if keep.status is not other.status:
        problems.append(
            Problem(
                other.line,
                Severity.WARNING,
                f"{keep.key} is listed twice and the copies disagree: line {other.line} says "
                f"{other.status.value}, line {keep.line} says {keep.status.value}; using {keep.status.value}",
            )
        )
    else:
        problems.append(Problem(other.line, Severity.INFO, f"{keep.key} is listed twice (also line {keep.line})"))
    keep.status_spans = keep.status_spans + other.status_spans
    keep.checklist = keep.checklist or other.checklist
    keep.description = keep.description or other.description
    return keep


_PHASE_WORD_RE = re.compile(r"\bphase\b", re.IGNORECASE)
_STAGE_WORD_RE = re.compile(r"\b(?:stage|milestone|sprint|wave)\b", re.IGNORECASE)


def _phase_of(ol: Outline, line: int) -> str | None:
    # the outermost `Phase N` heading names the phase; a story or stage heading only when there is none
    phase = None
    for h in reversed(ol.enclosing(line)):
        t = ol.doc.fix(h.raw)
        named = _PHASE_WORD_RE.search(t) or (phase is None and _STAGE_WORD_RE.search(t))
        if h.level > 1 and named:
            phase = clean_title(_DEP_PAREN_RE.sub(" ", t))
    return phase


def _sub_bullet_fields(ol: Outline, u: _Unit, below: list[Item]) -> None:
    """`- [ ] 2.3 Add burst capacity` / `  - _Depends on: 2.1_`: a plain bullet under a task that is a
    `Depends on` or `Blocks` field states the task's edges (other labels, `Requirements: 2.2`, do not)."""
    for d in below:
        if d.mark is not None:
            continue
        m = _DEP_FIELD_RE.match(strip_inline(ol.doc.fix(ol.doc.lines[d.line - 1])).strip())
        if not m:
            continue
        if INVERSE_LABEL_RE.match(m.group("name")):
            u.blocks.append(m.group("v"))
        else:
            u.deps.append(m.group("v"))
            u.deps_line = u.deps_line or d.line


def _descendants(ol: Outline, it: Item) -> list[Item]:
    out: list[Item] = []
    for c in it.children:
        child = ol.items[c]
        out.append(child)
        out.extend(_descendants(ol, child))
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
        m = _DEP_FIELD_RE.match(strip_inline(ol.doc.fix(ol.doc.lines[n - 1])).strip())
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


def _roadmap(ol: Outline, units: list[_Unit], problems: list[Problem]) -> list[_Unit]:
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
        by_key[num] = _Unit(session, None, kind, deps or [], blocks, where)
        out.append(by_key[num])
    return out


def _containers(ol: Outline, units: list[_Unit]) -> dict[str, list[str]]:
    """Headings that hold units (`## Phase 2: Foundational`, `### Store Layer`) are containers: a
    dependency on one means its member units.  A heading that is itself a unit is no container."""
    own = {u.session.line for u in units}
    lines = sorted((u.session.line, u.session.key) for u in units)
    # a dropped member is no longer part of what `after Phase 2` waits for
    gone = {u.session.key for u in units if u.session.status is Status.DROPPED}
    out: dict[str, list[str]] = {}
    for h in ol.headings:
        if h.line in own:
            continue
        members = [k for line, k in lines if h.line < line <= h.end_line and k not in gone]
        if members:
            for name in container_names(_DEP_PAREN_RE.sub(" ", ol.doc.fix(h.raw))):
                out.setdefault(name, members)
    return out


_SUBJECT_KEY = r"#?[A-Za-z]{0,6}[-_]?\d+(?:[.\-_][A-Za-z0-9]+)*"
_SUBJECT_RE = re.compile(
    rf"^[\s>*_`+\-]*(?P<keys>{_SUBJECT_KEY}(?:\s*(?:,|/|&|\band\b|\by\b|\be\b|\bet\b|\bund\b|、|和|与|及)\s*"
    rf"{_SUBJECT_KEY})*)(?![\w.-])(?P<rest>.*)$",
    re.IGNORECASE,
)
_CLAUSE_SPLIT_RE = re.compile(r";|；|。|\.\s")


def _container_preambles(ol: Outline, units: list[_Unit]) -> list[tuple[str, bool, list[_Unit]]]:
    """What a heading over tasks says they all wait for, before its first task: `> Everything here needs
    Phase 1`, or a prerequisites field (`**준비 사항**:` over `- Phase 2 완료`).  Returns (the text, whether
    it is prose, the heading's tasks that do not say they wait for nothing)."""
    out: list[tuple[str, bool, list[_Unit]]] = []
    listed = [u for u in units if u.item is not None]
    for h in ol.headings:
        members = [u for u in listed if h.line < u.session.line <= h.end_line]
        if not members:
            continue
        first = min(u.session.line for u in members)
        inner = [g.line for g in ol.headings if h.line < g.line < first]
        stop = min([first, *inner])  # a sub-heading's own preamble is its own
        members = [u for u in members if not any(_NONE_SAID_RE.search(t) for t in u.deps)]
        field_open = False
        for n in range(h.line + 1, stop):
            if n in ol.code_lines:
                continue
            line = strip_inline(ol.doc.fix(ol.doc.lines[n - 1])).strip()
            label = _LABEL_RE.match(line)
            if label:
                field_open = bool(DEPENDS_FIELD_RE.match(label.group("name").strip().lower()))
                value = label.group("v").strip()
                if field_open and value:
                    out.append((value, False, members))
                continue
            if field_open and re.match(r"^[-*+]\s", line):
                # `- 리소스 확보 (프론트엔드 1명)`: a parenthesised remark on an item is a note, not a reference
                out.append((re.sub(r"\([^()]*\)|（[^（）]*）", " ", line[2:]), False, members))
                continue
            field_open = False
            if MARKER_RE.search(line):
                out.append((line, True, members))
    return out


_LABEL_RE = re.compile(r"^(?P<name>[^:：]{1,30})[:：]\s*(?P<v>.*)$")
_NONE_SAID_RE = re.compile(r"^\s*(?:none|nothing|없음|なし|无|無)\b", re.IGNORECASE)


def _subject_statements(ol: Outline, units: list[_Unit], index: KeyIndex) -> list[tuple[str, str]]:
    """`- T014 depends on T012; T015 depends on T012 and T013.`, written apart from the tasks (a
    dependencies section): a clause that opens with task keys and then states a dependency gives those
    tasks that dependency.  Returns (subject key, the clause after the subject)."""
    taken: set[int] = set()
    for u in units:
        if u.item is not None:
            taken.update(range(u.session.line, max(u.session.end_line, u.session.line) + 1))
    skip = taken | ol.code_lines | {h.line for h in ol.headings}
    out: list[tuple[str, str]] = []
    for n, raw in enumerate(ol.doc.lines, 1):
        if n in skip or raw.lstrip().startswith("|") or not MARKER_RE.search(raw):
            continue
        for clause in _CLAUSE_SPLIT_RE.split(strip_inline(ol.doc.fix(raw))):
            m = _SUBJECT_RE.match(clause)
            if not m or not MARKER_RE.search(m.group("rest")):
                continue
            written = re.findall(_SUBJECT_KEY, m.group("keys"))
            if any(w.isdigit() for w in written):
                continue  # `3 tasks depend on the API`: a bare number opening a sentence is a count
            subjects = [index.resolve(k) for k in written]
            if not subjects or any(k is None for k in subjects):
                continue
            for k in subjects:
                assert k is not None
                out.append((k, m.group("rest")))
    return out


def _resolve(ol: Outline, units: list[_Unit], problems: list[Problem]) -> None:
    """Read every unit's dependency texts against the keys of the whole document."""
    index = KeyIndex([u.session.key for u in units], _containers(ol, units))
    by_key = {u.session.key: u for u in units}
    inverse: dict[str, list[str]] = {}
    for u in units:
        s = u.session
        for text in u.deps:
            refs = parse_refs(text, index, s.key, foreign_ids=True)
            s.prerequisites.extend(k for k in refs.prerequisites if k not in s.prerequisites)
            for y in refs.inverse:
                inverse.setdefault(y, []).append(s.key)
        for text in u.blocks:
            for y in parse_refs(text, index, s.key, inverse=True).inverse:
                inverse.setdefault(y, []).append(s.key)
    for text, prose, members in _container_preambles(ol, units):
        refs = parse_refs(text, index, None, foreign_ids=True, prose=prose)
        for u in members:
            s = u.session
            s.prerequisites.extend(k for k in refs.prerequisites if k not in s.prerequisites and k != s.key)
    for subject, text in _subject_statements(ol, units, index):
        refs = parse_refs(text, index, subject, foreign_ids=True, prose=True)
        s = by_key[subject].session
        s.prerequisites.extend(k for k in refs.prerequisites if k not in s.prerequisites)
    for target, sources in inverse.items():
        t = by_key[target]
        s = t.session
        missing = [k for k in sources if k not in s.prerequisites]
        if missing and t.deps_line is not None:
            # `Blocks` and `Depends on` should say the same edge twice; a careful reader takes both
            problems.append(
                Problem(
                    s.line,
                    Severity.INFO,
                    f"{s.key} does not list {', '.join(missing)} as a prerequisite, but "
                    f"{', '.join(missing)} says it blocks {s.key}",
                )
            )
        s.prerequisites.extend(missing)


def _backlog(ol: Outline) -> Session | None:
    """A Backlog.md task file: the front matter is the unit, its checkboxes the acceptance criteria."""
    fm = ol.front_matter
    if not fm or "status" not in fm.fields or not ({"title", "id"} & fm.fields.keys()):
        return None
    value, line, col = fm.fields["status"]
    raw_value = value.strip("'\"")
    status = classify_status(ol.doc.fix(raw_value)) or Status.PLANNED
    start = col + (1 if value[:1] in "'\"" else 0)
    span = Span(ol.doc.offset(line, start), ol.doc.offset(line, start + len(raw_value)))
    title = fm.fields.get("title", ("", 0, 0))[0].strip("'\"")
    key = fm.fields.get("id", (slug(title), 0, 0))[0].strip("'\"")
    deps_raw = fm.fields.get("dependencies", ("", 0, 0))[0]
    deps = [d.strip().strip("'\"") for d in deps_raw.strip("[]").split(",") if d.strip().strip("'\"")]
    items = [it for it in ol.items if it.mark is not None]
    return Session(
        key=key,
        title=title or key,
        status=status,
        status_text=ol.doc.fix(raw_value),
        prerequisites=deps,
        checklist=checklist_of(ol, items),
        line=1,
        end_line=len(ol.doc.lines),
        status_spans=[StatusSpan(span, SpanKind.FRONTMATTER, line)],
    )


def _plain(ol: Outline) -> list[Session]:
    """Top-level checkbox items as units, their nested checkboxes as checklists."""
    out: list[Session] = []
    taken: set[str] = set()
    counts: dict[str, int] = {}
    for it in ol.items:
        if it.mark is None:
            continue
        parent = it.parent
        nested = False
        while parent is not None:
            if ol.items[parent].mark is not None:
                nested = True
                break
            parent = ol.items[parent].parent
        if nested:
            continue
        title = clean_title(ol.doc.fix(it.raw))
        base = slug(title)[:60].strip("-") or str(len(out) + 1)
        key, n = base, counts.get(base, 1)
        while key in taken:
            n += 1
            key = f"{base}-{n}"
        counts[base] = n
        taken.add(key)
        children: list[Item] = [d for d in _descendants(ol, it) if d.mark is not None]
        # `- [ ] ~~Support IE11~~` was dropped; `- [x] ~~Write tests~~` is done work crossed off
        dropped = it.mark not in ("x", "X") and struck(ol.doc.fix(it.raw))
        out.append(
            Session(
                key=key,
                title=title,
                status=Status.DROPPED if dropped else ol.box_status(it.mark),
                status_text="~~" if dropped else f"[{it.mark}]",
                phase=_phase_of(ol, it.line),
                checklist=checklist_of(ol, children),
                line=it.line,
                end_line=it.end_line,
                status_spans=[_checkbox_span(ol, it)],
            )
        )
    return out


def _status_bullets(ol: Outline) -> list[Session]:
    """Lists with no checkboxes whose items carry their status as a label: `- ✅ Markdown parser`,
    `- LSP support (in progress)`, `1. **DONE** Freeze schema`, `- ~~Evaluate Flyway~~`.  Only top-level
    items count, and only lists where most items have one (a bullet that merely mentions "done" is prose)."""
    doc = ol.doc
    out: list[Session] = []
    taken: set[str] = set()
    tops = [it for it in ol.items if it.parent is None and it.mark is None and it.line not in ol.code_lines]
    labelled: list[tuple[Item, Status, str, list[Phrase]]] = []
    for it in tops:
        fixed = doc.fix(it.raw)
        if struck(fixed.strip()):
            labelled.append((it, Status.DROPPED, "~~", []))
            continue
        phrases = [p for p in status_phrases(fixed, item=True) if p.where != "whole"]
        if not phrases:
            continue
        p = phrases[0]
        status = bare_cross(fixed, p)
        labelled.append((it, status, fixed[p.start : p.end], phrases))
    if len(labelled) < 3 or 2 * len(labelled) < len(tops):
        return []
    # a plan has work still open; `- ✅ Fast` / `- ❌ No GUI` is a feature list, not a plan
    if not {st for _, st, _, _ in labelled} & {Status.PLANNED, Status.READY, Status.IN_PROGRESS, Status.BLOCKED}:
        return []
    # an item with no label beside labelled ones (`4. Run dry-run on staging`) has not started
    sections = {id(ol.heading_before(it.line)) for it, _, _, _ in labelled}
    have = {it.index for it, _, _, _ in labelled}
    for it in tops:
        if it.index not in have and id(ol.heading_before(it.line)) in sections:
            labelled.append((it, Status.PLANNED, "", []))
    labelled.sort(key=lambda x: x[0].line)
    # `3. Render templates — todo (after 1, 2)`: a numbered list whose items name others by their number
    deps = {it.index: [dm.group(1) for dm in _DEP_PAREN_RE.finditer(doc.fix(it.raw))] for it, _, _, _ in labelled}
    numbers = {it.index: _ordinal(doc, it) for it, _, _, _ in labelled}
    by_number = any(deps.values()) and all(numbers.values()) and len(set(numbers.values())) == len(numbers)
    texts: list[list[str]] = []
    for it, status, text, phrases in labelled:
        fixed = doc.fix(it.raw)
        title = clean_title(_blank_out(_DEP_PAREN_RE, fixed), phrases)
        if not title:
            continue
        base = numbers[it.index] if by_number else slug(title)[:60].strip("-") or f"item-{it.line}"
        key, n = base, 2
        while key in taken:
            key, n = f"{base}-{n}", n + 1
        taken.add(key)
        spans: list[StatusSpan] = []
        if phrases:
            p = phrases[0]
            spans.append(
                StatusSpan(ol.span(it.line, it.col, fixed[p.start : p.end], fixed[: p.start]), SpanKind.TEXT, it.line)
            )
        out.append(
            Session(
                key=key,
                title=title,
                status=status,
                status_text=text,
                phase=_phase_of(ol, it.line),
                checklist=checklist_of(ol, [d for d in _descendants(ol, it) if d.mark is not None]),
                line=it.line,
                end_line=it.end_line,
                status_spans=spans,
            )
        )
        texts.append(deps[it.index] if by_number else [])
    if by_number:
        index = KeyIndex([s.key for s in out])
        for s, ts in zip(out, texts, strict=True):
            for text in ts:
                found = parse_refs(text, index, s.key).prerequisites
                s.prerequisites.extend(k for k in found if k not in s.prerequisites)
    return out


def _ordinal(doc: Document, it: Item) -> str:
    """The number an ordered list item is written with (`3.` -> "3"); "" for a bullet."""
    m = re.match(r"^\s*(\d{1,9})[.)]\s", doc.lines[it.line - 1]) if it.ordered else None
    return m.group(1) if m else ""


def _boxes_all_nested(ol: Outline, boxes: list[Item]) -> bool:
    """Every checkbox sits under a plain (box-less) list item: `1. **Setup** ✅` over `- [x] repo`."""
    for b in boxes:
        top = b
        while top.parent is not None:
            top = ol.items[top.parent]
        if top is b or top.mark is not None:
            return False
    return True


@register("tasklist")
def read(doc: Document) -> ReadResult:
    ol = outline(doc)
    problems: list[Problem] = []
    notes: list[str] = []
    title = ol.title()
    backlog = _backlog(ol)
    if backlog is not None:
        return ReadResult("tasklist", [backlog], outline_summary_lines(doc), [], title or backlog.title, notes, 0.9)

    units: list[_Unit] = []
    for it in ol.items:
        if it.mark is None:
            continue
        u = _id_unit(ol, it, problems)
        if u is not None:
            units.append(u)
    boxes = [it for it in ol.items if it.mark is not None]
    if len(units) == 1 and units[0].kind is None and len(boxes) >= 4:
        # one `UTF-8 decoding` among many plain boxes is a word that looks like an id, not a task list
        notes.append(f"line {units[0].session.line}: a lone id-like item among {len(boxes)} checkboxes; ignored")
        units = []
    units = _roadmap(ol, units, problems)
    sessions: list[Session] = []
    if units:
        # a heading's `(depends on T003)` applies to the tasks under it; `(depends on Phase 2)` names the
        # tasks of a container heading
        for h in ol.headings:
            for dm in _DEP_PAREN_RE.finditer(doc.fix(h.raw)):
                for u in units:
                    if u.item is not None and h.line < u.item.line <= h.end_line:
                        u.deps.append(dm.group(1))
        unit_items = {u.item.index for u in units if u.item is not None}
        for u in units:
            if u.item is None:
                continue
            s = u.session
            s.phase = s.phase or _phase_of(ol, u.item.line)
            mine = [d for d in _descendants(ol, u.item) if d.index not in unit_items]
            below = [d for d in mine if d.mark is not None]
            s.checklist = checklist_of(ol, below) + s.checklist
            _sub_bullet_fields(ol, u, mine)
        seen: dict[str, _Unit] = {}
        kept: list[_Unit] = []
        for u in units:
            s = u.session
            first = seen.get(s.key)
            if first is not None and _same_title(first.session.title, s.title):
                kept.remove(first)
                merged = _merge_duplicate(first.session, s, problems)
                u = seen[s.key] = _Unit(
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
        _resolve(ol, kept, problems)
        sessions = [u.session for u in kept]
        confidence = 1.0
        phases = analyse(doc)
        if phases.mode == "phases":
            inside = [s for s in sessions if any(p.line <= s.line <= p.end_line for p in phases.heading_units)]
            if len(inside) * 5 >= len(sessions) * 4:
                confidence = 0.2
                notes.append("the numbered tasks sit under status headings: this reads as the phases shape")
        columns, _ = board_columns(doc)
        lanes = [s for s in sessions if any(h.line < s.line <= h.end_line for h, _ in columns)]
        if columns and len(lanes) * 5 >= len(sessions) * 4:
            confidence = min(confidence, 0.2)
            notes.append("the tasks are cards in board lanes (`## In Progress`): this reads as the board shape")
        apply_log(doc, sessions, problems)
    else:
        bullets = _status_bullets(ol) if not boxes or _boxes_all_nested(ol, boxes) else []
        if bullets:
            notes.append(
                f"no checkboxes; read the {len(bullets)} list items that carry a status label (first at line "
                f"{bullets[0].line}) as units"
            )
            return ReadResult("tasklist", bullets, outline_summary_lines(doc), problems, title, notes, 0.5)
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
        sessions = _plain(ol)
        notes.append(
            f"no checklist item carries an id (`1.2`, `T003`, `TASK-1`, `#12`); read the {len(sessions)} top-level "
            f"checkboxes (first at line {boxes[0].line}) as a plain checklist"
        )
        confidence = 0.1
        if analyse(doc).mode == "phases":
            confidence = 0.01
            notes.append("the checkboxes sit under status headings: this reads as the phases shape")
    return ReadResult("tasklist", sessions, outline_summary_lines(doc), problems, title, notes, confidence)
