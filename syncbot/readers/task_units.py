"""One task item read as a unit: its id, title, status mark, and the dependencies it writes on its line."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from syncbot.model import Problem, Session, Severity, SpanKind, Status, StatusSpan
from syncbot.readers.common import strip_inline
from syncbot.readers.item_ids import SHORT_ID_RE, TASK_ID_RE, task_key
from syncbot.readers.kinds import KIND_NUM_RE, PLAN_KINDS, split_kind_key
from syncbot.readers.lazy_re import lazy_re
from syncbot.readers.marker_scan import has_marker
from syncbot.readers.outline import Outline
from syncbot.readers.phrases import Phrase, status_phrases
from syncbot.readers.ref_markers import MARKER_RE
from syncbot.readers.status_fields import DEPENDS_FIELD_RE
from syncbot.readers.structure import Item
from syncbot.readers.titles import clean_title, slug

_BOLD_LEAD_RE = lazy_re(r"^(\*\*|__)(.+?)\1")
_SHORT_ID_RE = lazy_re(r"[A-Z]{1,3}\d{1,4}")
_BOLD_NAME_REST_RE = lazy_re(r"^(\s*)(\*\*|__)(.+?)\2\s*[-–—:]\s*(\S.*)$")

_TAGS_RE = lazy_re(r"^(?:\s*\[(?:P|US\d+|[A-Z]{1,4}\d*|Story)\])+\s*")


DEP_PAREN_RE = lazy_re(r"\((?:depends on|after|needs|requires|blocked by)\s+([^)]*)\)", re.IGNORECASE)


# `**T3** API skeleton — depends: T1, T2`: a dependency clause closing the item
_DEP_TAIL_RE = lazy_re(
    r"\s[—–-]\s*(?:depends(?:\s+on)?|deps|requires|needs|after|blocked\s+by)\s*:?\s*([^—–()]+?)\s*$", re.IGNORECASE
)
_DEP_TAIL_WORDS = ("epend", "equires", "locked", "deps", "needs", "after")  # (looked for before the pattern)


_COMPLETED_PAREN_RE = lazy_re(r"\((?:completed|done|finished)\b[^)]*\)", re.IGNORECASE)


# a field naming prerequisites, in any language `status_fields` knows (`Voraussetzung: 2.1`), or `Blocks:`
# (Kiro's `_Requisitos: 1.2_` / `_Requirements: 1.1_` point into requirements.md: no prerequisites)
DEP_FIELD_RE = lazy_re(
    rf"^(?:[-*+]\s+)?(?!requisitos?\s*[:：]|requirements?\s*[:：])(?P<name>{DEPENDS_FIELD_RE.pattern[1:-1]}|blocks)"
    r"\s*[:：]\s*(?P<v>.*)$",
    re.IGNORECASE,
)


@dataclass
class TaskUnit:
    session: Session
    item: Item | None
    kind: str | None
    deps: list[str] = field(default_factory=list)  # dependency texts as written, read once all keys are known
    blocks: list[str] = field(default_factory=list)  # `Blocks:` texts: the units named wait for this one
    deps_line: int | None = None  # where a `Depends on` field is written (explicit prerequisites)
    # every dependency word of its one line is in ``deps`` (`(depends on T001)`), each a list of keys the
    # reader resolved: the prose pass (prose_deps) has nothing to add there and leaves the line
    line_read: bool = False


_STRUCK_RE = lazy_re(r"^[\s*_]*~~(?=\S)[^~]+?~~")


def struck(text: str) -> bool:
    """`~~Support IE11~~ (not worth it)`: an open item whose name is struck through was dropped."""
    return bool(_STRUCK_RE.match(text))


def checkbox_span(ol: Outline, it: Item) -> StatusSpan:
    assert it.mark is not None and it.mark_col is not None
    return StatusSpan(ol.span(it.line, it.mark_col, it.mark, ""), SpanKind.CHECKBOX, it.line)


def blank_out(pattern: re.Pattern[str], s: str) -> str:
    """Remove matches but keep every other character where it was, so positions stay valid."""
    return pattern.sub(lambda m: " " * len(m.group(0)), s)


_LEADING_SEP_RE = lazy_re(r"^[\s:.\-–—)]+")
_LEADING_SEP_CHARS = frozenset(":.-–—)")


def blank_lead(rest: str) -> str:
    """``blank_out(_LEADING_SEP_RE, rest)``; without the regex where it would change nothing: a rest that opens
    with no separator, or with plain spaces only (` Implement part 2`, most items)."""
    lead = rest[len(rest) - len(rest.lstrip(" ")) :][:1]
    return blank_out(_LEADING_SEP_RE, rest) if lead.isspace() or lead in _LEADING_SEP_CHARS else rest


_MARK_LEAD_RE = lazy_re(r"[^\w\s\[(~*_#`]\ufe0f?\s+")


_LAST_SEGMENT_RE = lazy_re(r"\s[—–]\s*(?=[^—–]*$)")


def without_dep_tail(title: str) -> str:
    """``title`` less a last dash segment that states what it waits for (`Tag 3.0.0rc1 — after #442`)."""
    tail = _marked_tail(title)
    return title[: tail[0]].rstrip() if tail is not None and tail[0] > 0 else title


def _marked_tail(rest: str) -> tuple[int, str] | None:
    """Where the last dash segment of an item starts and the text after its marker, when it opens with a
    dependency marker in any language (`— 依赖 1.2`, `— depende de 2.1`)."""
    seg = _LAST_SEGMENT_RE.search(rest)
    marker = MARKER_RE.match(rest, seg.end()) if seg else None
    if seg is None or marker is None or (marker.group("fwd") is None and marker.group("cjk") is None):
        return None
    return seg.start(), rest[marker.end() :].strip()


def item_unit(ol: Outline, it: Item, problems: list[Problem], short_ids: bool = False) -> TaskUnit | None:
    """A checkbox item that names its unit: `T003 …`, `1.2 …`, `TASK-X-1: …`, `#12 - …`, `**Phase 1: …**`; with
    ``short_ids`` (the checklist's items are keyed so, :func:`item_ids.short_id_family`) `T3 …` too."""
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
    m = TASK_ID_RE.match(text) or (SHORT_ID_RE.match(text) if short_ids else None)
    marked = None
    if m is None and (mark := _MARK_LEAD_RE.match(text)) is not None:
        # `- [ ] 🚧 #1220 Control-plane upgrade`, `- [ ] ⛔ **NET-04** Egress …`: a status mark ahead of the id;
        # the id is blanked out of the rest, and the mark read there as any status label is (positions kept)
        after = text[mark.end() :]
        em = 2 if after.startswith(("**", "__")) else 0
        close = after.find(after[:2], em) if em else -1
        m = TASK_ID_RE.match(after[em:close] + " " if em else after) if close != -1 or not em else None
        if m is not None and em and em + m.end("id") != close:
            m = None  # (the bold holds more than the id)
        if m is not None:
            a, b = first + mark.end(), first + mark.end() + len(m.group("id")) + 2 * em
            marked = (m.group("id"), fixed[:a] + " " * (b - a) + fixed[b:])
    bold = _BOLD_LEAD_RE.match(text)
    inner = bold.group(2).strip() if bold else ""
    bold_id = TASK_ID_RE.match(inner + " ") if inner else None
    if bold and ((bold_id and bold_id.end() == len(inner)) or _SHORT_ID_RE.fullmatch(inner)):
        # `- [ ] **1.1** Build`, `- [x] **T003**: …`
        key = (bold_id.group("id") if bold_id and bold_id.end() == len(inner) else inner).rstrip(".").lstrip("#")
        rest_start = first + bold.end()
    elif marked is not None:
        key, fixed = marked[0].lstrip("#"), marked[1]
        rest_start = first
    elif m:
        key = task_key(m)
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
    rest = fixed[rest_start:]
    rest = blank_lead(rest)  # (each pattern is tried only where it can match)
    if "[" in rest:
        rest = blank_out(_TAGS_RE, rest)
    parens = "(" in rest
    prereqs = [dm.group(1) for dm in DEP_PAREN_RE.finditer(rest)] if parens else []
    tail = _DEP_TAIL_RE.search(rest) if any(map(rest.__contains__, _DEP_TAIL_WORDS)) else None
    cut = (tail.start(), tail.group(1)) if tail else None
    if cut is None and ("—" in rest or "–" in rest):
        cut = _marked_tail(rest)  # `— 依赖 1.2`, `— depende de 2.1`: a last segment that states a dependency
    if cut is not None:
        prereqs.append(cut[1])
        rest = rest[: cut[0]] + " " * (len(rest) - cut[0])
    completed = parens and bool(_COMPLETED_PAREN_RE.search(rest))
    if parens:
        rest = blank_out(_COMPLETED_PAREN_RE, blank_out(DEP_PAREN_RE, rest))
    phrases: list[Phrase]
    if title:
        # `**Phase 1: Name** - summary`: the bold part named the unit, the rest describes it
        description, phrases = clean_title(rest), []
    else:
        rb = _BOLD_NAME_REST_RE.match(rest)
        if rb and not status_phrases(rb.group(3)):
            title, description = clean_title(rb.group(3)), clean_title(rb.group(4))
            phrases = []
        else:
            phrases = [p for p in status_phrases(rest, item=True) if p.where != "whole"]
            title = clean_title(rest, phrases)
    if not key or not title:
        return None
    box = ol.box_status(it.mark or " ")
    spans = [checkbox_span(ol, it)]
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
    # (`rest` has its dependency texts blanked: a marker left in it, or before it, is one they do not hold)
    line_read = bool(prereqs) and it.end_line == it.line and not has_marker(rest)
    line_read = line_read and not has_marker(fixed, 0, rest_start)
    return TaskUnit(session, it, kind, prereqs, line_read=line_read)


# how far along a status is: of two copies of one task, the further one is the copy people keep current
PROGRESS = {
    Status.PLANNED: 0,
    Status.READY: 1,
    Status.FAILED: 2,
    Status.BLOCKED: 2,
    Status.IN_PROGRESS: 3,
    Status.DROPPED: 4,
    Status.DONE: 5,
}


def same_title(a: str, b: str) -> bool:
    x, y = slug(a), slug(b)
    return bool(x and y) and (x == y or x in y or y in x)


def merge_duplicate(first: Session, second: Session, problems: list[Problem]) -> Session:
    """One task listed twice (a stale preview and a live list): keep the copy that is further along, and
    give it the other copy's status spans too, so a writer keeps both in step."""
    keep, other = (second, first) if PROGRESS[second.status] > PROGRESS[first.status] else (first, second)
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
