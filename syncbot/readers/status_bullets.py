"""Lists with no checkboxes whose items carry their status as a label: `- ✅ Markdown parser`,
`- LSP support (in progress)`, `1. **DONE** Freeze schema`, `- T9 — CSV import — doing [needs T7]`."""

from __future__ import annotations

from syncbot.model import Session, SpanKind, Status, StatusSpan
from syncbot.readers.bullet_labels import (
    INLINE_STATUS_RE,
    Labelled,
    announced_items,
    indexed_lists,
    label,
    labelled_lists,
    released_items,
)
from syncbot.readers.checklists import checklist_of
from syncbot.readers.common import Document
from syncbot.readers.item_ids import key_by_own_number, marked_lead_id
from syncbot.readers.key_index import KeyIndex
from syncbot.readers.key_shapes import key_shape
from syncbot.readers.lazy_re import lazy_re
from syncbot.readers.outline import Outline
from syncbot.readers.ref_markers import MARKER_RE
from syncbot.readers.refs import parse_refs
from syncbot.readers.status_words import status_marks
from syncbot.readers.structure import Item
from syncbot.readers.task_fallbacks import ordinal
from syncbot.readers.task_roadmap import descendants, phase_of
from syncbot.readers.task_units import DEP_PAREN_RE
from syncbot.readers.titles import clean_title, slug


def status_bullets(ol: Outline) -> list[Session]:
    """Lists with no checkboxes whose items carry their status as a label: `- ✅ Markdown parser`,
    `- LSP support (in progress)`, `1. **DONE** Freeze schema`, `- ~~Evaluate Flyway~~`.  Only top-level
    items count, and only lists where most items have one (a bullet that merely mentions "done" is prose)."""
    doc = ol.doc
    out: list[Session] = []
    taken: set[str] = set()
    tops = [it for it in ol.items if it.parent is None and it.mark is None and it.line not in ol.code_lines]
    if len(tops) < 3:
        return []
    # `- NEW T-05 Account tree (needs T-03)`: a log that announces its tasks, its later items saying how each stands
    labelled = announced_items(ol)
    announced = bool(labelled)
    if not announced:
        labelled = [x for it in tops if (x := label(ol, it)) is not None]
    if not announced and (len(labelled) < 3 or 2 * len(labelled) < len(tops)):
        labelled = labelled_lists(ol, tops, labelled) or indexed_lists(ol, tops)
        if not labelled:
            return []
    # a plan has work still open; `- ✅ Fast` / `- ❌ No GUI` is a feature list, not a plan
    if not {st for _, st, _, _ in labelled} & {Status.PLANNED, Status.READY, Status.IN_PROGRESS, Status.BLOCKED}:
        return []
    # an item with no label beside labelled ones (`4. Run dry-run on staging`) has not started
    sections = {id(ol.heading_before(it.line)) for it, _, _, _ in labelled} | _keyed_sections(ol, tops, labelled)
    have = {it.index for it, _, _, _ in labelled}
    released = released_items(ol, tops, labelled)
    for it in tops if not announced else []:  # (an announcing log's other items are its news: ``apply_log``)
        if it.index in released:
            labelled.append((it, Status.DONE, "", []))
        elif it.index not in have and id(ol.heading_before(it.line)) in sections:
            labelled.append((it, Status.PLANNED, "", []))
    labelled.sort(key=lambda x: x[0].line)
    # `3. Render templates — todo (after 1, 2)`: a numbered list whose items name others by their number
    deps = {it.index: [dm.group(1) for dm in DEP_PAREN_RE.finditer(doc.fix(it.raw))] for it, _, _, _ in labelled}
    numbers = {it.index: ordinal(doc, it) for it, _, _, _ in labelled}
    # and a numbered list counting on across the document's sections (`1)`…`18)`) numbers its units: the
    # number is what a trailer names (`Step: 7 done`)
    ordinals = [int(numbers[it.index]) for it, _, _, _ in labelled if numbers[it.index]]
    counting = len(ordinals) >= 3 and ordinals == sorted(ordinals) and ordinals[-1] > ordinals[0] + 1
    # `- Ａ－１　棚卸し【済】`, `- 🔴 **PAY-512** Refunds — in progress`: items that lead with their own ids
    # (ahead of the list's numbers, unless the items name each other by number)
    ids = {it.index: marked_lead_id(doc.fix(it.raw)) for it, _, _, _ in labelled}
    found_ids = [i[0] for i in ids.values() if i is not None]
    # (an id listed again further down, in a cut list or a recap, restates its unit: the later word wins;
    # `~~**F-15** Multiplayer~~` in its milestone and again on the cut list is one unit)
    by_id = announced or (
        (5 * len(set(found_ids)) >= 4 * len(ids) or _restated(doc, labelled, ids)) and not any(deps.values())
    )
    first: dict[str, Session] = {}
    by_number = not by_id and (
        (any(deps.values()) or counting) and all(numbers.values()) and len(set(numbers.values())) == len(numbers)
    )
    texts: list[list[str]] = []
    for it, status, text, phrases in labelled:
        fixed = doc.fix(it.raw)
        field = INLINE_STATUS_RE.search(fixed)
        named, named_phrases = _blank_notes(fixed), phrases  # the text that names the unit
        if field is not None and phrases and field.start("value") <= phrases[0].start < field.end("value"):
            named, named_phrases = named[: field.start()], []  # `Parser — status: done — after 1`
        elif phrases and phrases[0].where == "trail" and _DASH_BEFORE_RE.search(fixed, 0, phrases[0].start):
            # `T13 — Terminal UI — dropped (out of scope for 1.0)`: the title ends where its status segment starts
            named, named_phrases = named[: phrases[0].start], []
        for p in named_phrases:
            a = max(named.rfind("(", 0, p.start), named.rfind("[", 0, p.start))
            b = named.find(")" if named[a : a + 1] == "(" else "]", p.end)
            if p.where == "paren" and a >= 0 and b > 0:
                # `*(pendente: aguardamos a AT)*`: a bracketed note headed by the status goes with it
                named = named[:a] + " " * (b + 1 - a) + named[b + 1 :]
        title = clean_title(named, [p for p in named_phrases if p.where != "paren"] if "(" in named else named_phrases)
        if not title:
            continue
        own_id = ids[it.index]
        if by_id and own_id is not None:
            # the id blanked out where it was, so the phrases' positions still hold
            rest = " " * own_id[1] + named[own_id[1] :]
            title = clean_title(rest, [p for p in named_phrases if p.start >= own_id[1]]) or title
            base = own_id[0]
        else:
            base = numbers[it.index] if by_number else slug(title)[:60].strip("-") or f"item-{it.line}"
        if by_id and own_id is not None and base in first:
            if text:
                first[base].status, first[base].status_text = status, text
            first[base].more_lines.append((it.line, it.end_line))  # (`— after T-02` said there is its too)
            continue
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
        if own_id is not None:
            first[own_id[0]] = out[-1]
        texts.append(deps[it.index] if by_number else [])
    if by_number:
        index = KeyIndex([s.key for s in out])
        for s, ts in zip(out, texts, strict=True):
            for text in ts:
                found = parse_refs(text, index, s.key).prerequisites
                s.prerequisites.extend(k for k in found if k not in s.prerequisites)
    elif not by_id:
        key_by_own_number(out, set())  # `- SARIF output (#412) [merged]`: the issue it closes names it
    return out


def _restated(doc: Document, labelled: list[Labelled], ids: dict[int, tuple[str, int] | None]) -> bool:
    """A dated log that lists its tasks again at each date (`- ✅ T-02 Port the auth service` under `## 05-02`
    and `## 05-09`): every item names an id, and an id named twice names the same title each time, or its news
    (`- PAY-2 ✅ 模型评审通过` below `- PAY-2 设计新的对账数据模型 —— 🟡`)."""
    if not all(ids.values()):
        return False
    titles: dict[str, str] = {}
    for it, _, _, _ in labelled:
        own = ids[it.index]
        assert own is not None
        after = doc.fix(it.raw)[own[1] :]
        title = slug(after)[:40]
        if titles.setdefault(own[0], title) != title and not title.startswith(titles[own[0]][:12]):
            # news: a status said right after the id, or a sentence that ends as one (`口径定了，🟡 继续。`)
            marks = status_marks(after)
            if not marks or (marks[0][0] > _NEWS_REACH and not after.rstrip().endswith(("。", "."))):
                return False
    return True


_NEWS_REACH = 8  # a status this near the id is what the entry says of it


def _keyed_sections(ol: Outline, tops: list[Item], labelled: list[Labelled]) -> set[int]:
    """Sections none of whose items carries a label yet, each item led by an id of the labelled items' family
    (`## Wave 4` / `- **4a** Delete packages/shared` beside `- **3a** apps/web — not started`): their
    items are units not started."""
    doc = ol.doc
    known = {i[0] for it, _, _, _ in labelled if (i := marked_lead_id(doc.fix(it.raw))) is not None}
    shapes = {key_shape(k) for k in known}
    if not shapes:
        return set()
    by_section: dict[int, list[str | None]] = {}
    for it in tops:
        i = marked_lead_id(doc.fix(it.raw))
        by_section.setdefault(id(ol.heading_before(it.line)), []).append(i[0] if i else None)
    # (ids named again, in a log of what happened to them, are no new units)
    return {
        h
        for h, ids in by_section.items()
        if all(k is not None and key_shape(k) in shapes and k not in known for k in ids) and len(set(ids)) == len(ids)
    }


# `— doing [needs T7]`, `(after 1, 2)`: a bracketed note that opens with a dependency marker is no part of a title
_NOTE_RE = lazy_re(r"[(\[]([^()\[\]]*)[)\]]")


def _blank_notes(text: str) -> str:
    """``text`` with its dependency notes blanked out, positions kept: `[needs T7]`, `(after 1, 2)`, and a
    dash segment that opens with a dependency marker (`— requer #64 (a note)`, up to the next segment)."""
    if "(" in text or "[" in text:
        text = _NOTE_RE.sub(lambda m: " " * len(m.group(0)) if MARKER_RE.match(m.group(1)) else m.group(0), text)
    for m in _SEGMENT_RE.finditer(text):
        if MARKER_RE.match(text, m.end()):
            end = _SEGMENT_END_RE.search(text, m.end())
            stop = end.start() if end else len(text)
            text = text[: m.start()] + " " * (stop - m.start()) + text[stop:]
    return text


_SEGMENT_RE = lazy_re(r"\s[—–]\s*")
_SEGMENT_END_RE = lazy_re(r"\s[—–]\s")
_DASH_BEFORE_RE = lazy_re(r"\s[—–]\s*$")
