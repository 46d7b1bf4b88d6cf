"""Task lists that are no plan of boxed tasks: a backlog.md task file, a plain list of items, bullets that lead
with a status."""

from __future__ import annotations

import re

from syncbot.model import Session, Span, SpanKind, Status, StatusSpan
from syncbot.readers.checklists import checklist_of
from syncbot.readers.common import Document, classify_status
from syncbot.readers.item_ids import key_by_own_number, marked_lead_id
from syncbot.readers.key_index import KeyIndex
from syncbot.readers.outline import Outline
from syncbot.readers.phrases import Phrase, bare_cross, clean_title, slug, status_phrases
from syncbot.readers.refs import parse_refs
from syncbot.readers.status_fields import STATUS_FIELD_RE
from syncbot.readers.structure import Item
from syncbot.readers.task_roadmap import descendants, phase_of
from syncbot.readers.task_units import (
    DEP_PAREN_RE,
    blank_out,
    checkbox_span,
    struck,
)


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


def plain_items(ol: Outline) -> list[Session]:
    """Top-level checkbox items as units, their nested checkboxes as checklists.  A numbered list's numbers
    are its keys (`6. [ ] Wire the queue` is unit 6, so `Step: 6 done` reaches it); else titles give them."""
    out: list[Session] = []
    taken: set[str] = set()
    counts: dict[str, int] = {}
    tops = _top_boxes(ol)
    numbers = {it.index: _ordinal(ol.doc, it) for it in tops}
    by_number = len(tops) >= 2 and all(numbers.values()) and len(set(numbers.values())) == len(numbers)
    for it in tops:
        title = clean_title(ol.doc.fix(it.raw))
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


def status_bullets(ol: Outline) -> list[Session]:
    """Lists with no checkboxes whose items carry their status as a label: `- ✅ Markdown parser`,
    `- LSP support (in progress)`, `1. **DONE** Freeze schema`, `- ~~Evaluate Flyway~~`.  Only top-level
    items count, and only lists where most items have one (a bullet that merely mentions "done" is prose)."""
    doc = ol.doc
    out: list[Session] = []
    taken: set[str] = set()
    tops = [it for it in ol.items if it.parent is None and it.mark is None and it.line not in ol.code_lines]
    labelled: list[tuple[Item, Status, str, list[Phrase]]] = []
    for n, it in enumerate(tops):
        most = len(labelled) + len(tops) - n  # labelled items there can still be
        if most < 3 or 2 * most < len(tops):
            return []  # the test below fails whatever the remaining items say
        fixed = doc.fix(it.raw)
        if struck(fixed.strip()):
            labelled.append((it, Status.DROPPED, "~~", []))
            continue
        phrases = [p for p in status_phrases(fixed, item=True) if p.where != "whole"]
        if not phrases and (inline := inline_status(fixed)) is not None:
            phrases = [inline]
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
    deps = {it.index: [dm.group(1) for dm in DEP_PAREN_RE.finditer(doc.fix(it.raw))] for it, _, _, _ in labelled}
    numbers = {it.index: _ordinal(doc, it) for it, _, _, _ in labelled}
    # and a numbered list counting on across the document's sections (`1)`…`18)`) numbers its units: the
    # number is what a trailer names (`Step: 7 done`)
    ordinals = [int(numbers[it.index]) for it, _, _, _ in labelled if numbers[it.index]]
    counting = len(ordinals) >= 3 and ordinals == sorted(ordinals) and ordinals[-1] > ordinals[0] + 1
    # `- Ａ－１　棚卸し【済】`, `- 🔴 **PAY-512** Refunds — in progress`: items that lead with their own ids
    # (ahead of the list's numbers, unless the items name each other by number)
    ids = {it.index: marked_lead_id(doc.fix(it.raw)) for it, _, _, _ in labelled}
    found_ids = [i[0] for i in ids.values() if i is not None]
    # (an id listed again further down, in a cut list or a recap, restates its unit: the later word wins)
    by_id = 5 * len(set(found_ids)) >= 4 * len(ids) and not any(deps.values())
    first_of: dict[str, Session] = {}
    by_number = not by_id and (
        (any(deps.values()) or counting) and all(numbers.values()) and len(set(numbers.values())) == len(numbers)
    )
    texts: list[list[str]] = []
    for it, status, text, phrases in labelled:
        fixed = doc.fix(it.raw)
        field = _INLINE_STATUS_RE.search(fixed)
        if field is not None and phrases and phrases[0].start >= field.start("value"):
            fixed = fixed[: field.start()]  # `Parser — status: done — after 1`: the title ends at the field
            title = clean_title(blank_out(DEP_PAREN_RE, fixed), [])
        else:
            title = clean_title(blank_out(DEP_PAREN_RE, fixed), phrases)
        fixed = doc.fix(it.raw)
        if not title:
            continue
        own_id = ids[it.index]
        if by_id and own_id is not None and own_id[0] in first_of:
            earlier = first_of[own_id[0]]
            if text:
                earlier.status, earlier.status_text = status, text
            continue
        if by_id and own_id is not None:
            title = clean_title(fixed[own_id[1] :], [p for p in phrases if p.start >= own_id[1]]) or title
            base = own_id[0]
        else:
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
                phase=phase_of(ol, it.line),
                checklist=checklist_of(ol, [d for d in descendants(ol, it) if d.mark is not None]),
                line=it.line,
                end_line=it.end_line,
                status_spans=spans,
            )
        )
        texts.append(deps[it.index] if by_number else [])
        if own_id is not None:
            first_of[own_id[0]] = out[-1]
    if by_number:
        index = KeyIndex([s.key for s in out])
        for s, ts in zip(out, texts, strict=True):
            for text in ts:
                found = parse_refs(text, index, s.key).prerequisites
                s.prerequisites.extend(k for k in found if k not in s.prerequisites)
    elif not by_id:
        key_by_own_number(out, set())  # `- SARIF output (#412) [merged]`: the issue it closes names it
    return out


# `Parser — status: done — after 1`, `… — สถานะ: เสร็จแล้ว`: a status field written inside an item's line
_INLINE_STATUS_RE = re.compile(
    r"\s*(?:[—–|·;,]|\s-)\s*\**(?P<label>[^\W\d_][^\W\d_ ]*(?:\s[^\W\d_]+)?)\**\s*[:：]\**\s*"
    r"(?P<value>[^—–|;·(\[]+?)\s*(?=$|[—–|;·(\[]|\s-\s)"
)


def inline_status(fixed: str) -> Phrase | None:
    """The status of an item line's own status field (its label one of the status field names)."""
    for m in _INLINE_STATUS_RE.finditer(fixed):
        if not STATUS_FIELD_RE.match(m.group("label").strip().lower()):
            continue
        st = classify_status(m.group("value"))
        if st is not None:
            return Phrase(m.start("value"), m.end("value"), st, "trail", True)
    return None


def _ordinal(doc: Document, it: Item) -> str:
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
