"""Task lists that are no plan of boxed tasks: a backlog.md task file, a plain list of items, bullets that lead
with a status."""

from __future__ import annotations

import re

from syncbot.model import Session, Span, SpanKind, Status, StatusSpan
from syncbot.readers.checklists import checklist_of
from syncbot.readers.common import Document
from syncbot.readers.outline import Outline
from syncbot.readers.phrases import status_phrases
from syncbot.readers.status_words import classify_status
from syncbot.readers.structure import Item
from syncbot.readers.task_roadmap import descendants, phase_of
from syncbot.readers.task_units import checkbox_span, struck, without_dep_tail
from syncbot.readers.titles import clean_title, slug


def backlog_file(ol: Outline) -> Session | None:
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


def _top_boxes(ol: Outline) -> list[Item]:
    """Checkbox items with no checkbox item above them."""
    tops: list[Item] = []
    for it in ol.items:
        if it.mark is None:
            continue
        parent = it.parent
        while parent is not None and ol.items[parent].mark is None:
            parent = ol.items[parent].parent
        if parent is None:
            tops.append(it)
    return tops


def plain_items(ol: Outline, skip: frozenset[int] | set[int] = frozenset()) -> list[Session]:
    """Top-level checkbox items as units, their nested checkboxes as checklists, less those on the lines of
    ``skip``.  A numbered list's numbers are its keys (`6. [ ] Wire the queue` is unit 6, so `Step: 6 done`
    reaches it); else titles give them."""
    out: list[Session] = []
    taken: set[str] = set()
    counts: dict[str, int] = {}
    tops = [it for it in _top_boxes(ol) if it.line not in skip]
    numbers = {it.index: ordinal(ol.doc, it) for it in tops}
    by_number = len(tops) >= 2 and all(numbers.values()) and len(set(numbers.values())) == len(numbers)
    for it in tops:
        title = clean_title(without_dep_tail(ol.doc.fix(it.raw)))
        base = numbers[it.index] if by_number else slug(title)[:60].strip("-") or str(len(out) + 1)
        key, n = base, counts.get(base, 1)
        while key in taken:
            n += 1
            key = f"{base}-{n}"
        counts[base] = n
        taken.add(key)
        children: list[Item] = [d for d in descendants(ol, it) if d.mark is not None]
        # `- [ ] ~~Support IE11~~` was dropped; `- [x] ~~Write tests~~` is done work crossed off
        fixed = ol.doc.fix(it.raw)
        dropped = it.mark not in ("x", "X") and struck(fixed)
        status, status_text = (Status.DROPPED, "~~") if dropped else (ol.box_status(it.mark), f"[{it.mark}]")
        # `- [ ] 🔥 Landing page`, `- [ ] 🙏 SMS — trial not active yet`: an open box's own mark says more
        own = [p for p in status_phrases(fixed, item=True) if p.where != "whole"] if not dropped else []
        if own and it.mark not in ("x", "X"):
            status, status_text = own[0].status, fixed[own[0].start : own[0].end]
        out.append(
            Session(
                key=key,
                title=title,
                status=status,
                status_text=status_text,
                phase=phase_of(ol, it.line),
                checklist=checklist_of(ol, children),
                line=it.line,
                end_line=it.end_line,
                status_spans=[checkbox_span(ol, it)],
            )
        )
    return out


def ordinal(doc: Document, it: Item) -> str:
    """The number an ordered list item is written with (`3.` -> "3"); "" for a bullet."""
    m = re.match(r"^\s*(\d{1,9})[.)]\s", doc.lines[it.line - 1]) if it.ordered else None
    return m.group(1) if m else ""


def boxes_all_nested(ol: Outline, boxes: list[Item]) -> bool:
    """Every checkbox sits under a plain (box-less) list item: `1. **Setup** ✅` over `- [x] repo`."""
    for b in boxes:
        top = b
        while top.parent is not None:
            top = ol.items[top.parent]
        if top is b or top.mark is not None:
            return False
    return True
