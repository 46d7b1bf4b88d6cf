"""Lists beside a document's unit tables: `## v1.1 — tentative` over `- **#85** Right-to-left scripts — needs
#77`, or `1. **M4.1** Balancing pass` below a table of `M3.1` rows.  Items that lead with an id spelled like
the tables' keys, in a section of their own (two or more, and most of the section's items), are units of the
same tracker: a status they write says how far they are, struck through they were dropped, else they have not
started.  What they wait for is prose (`— needs #77`), read with the rest of the document's.  Boxes are the
tasklist reader's: its reading joins the table's."""

from __future__ import annotations

from syncbot.model import Session, Span, SpanKind, Status, StatusSpan
from syncbot.readers.common import Document
from syncbot.readers.item_ids import marked_lead_id
from syncbot.readers.key_index import KeyIndex
from syncbot.readers.lazy_re import lazy_re
from syncbot.readers.outline import CHECK_STATUS, outline
from syncbot.readers.phrases import status_phrases
from syncbot.readers.status_words import status_marks
from syncbot.readers.structure import Item
from syncbot.readers.task_units import struck
from syncbot.readers.titles import clean_title

# where a list item's name ends: a dash that opens a note (`— needs #77`, `– verworfen, …`)
_NOTE_RE = lazy_re(r"\s[—–]\s|\s-\s")


def list_units(doc: Document, sessions: list[Session], index: KeyIndex) -> list[Session]:
    """The units the lists beside the tables hold (see the module docstring), in document order."""
    ol = outline(doc)
    taken = {s.key for s in sessions}
    rows = {s.line for s in sessions}
    sections: dict[int, list[tuple[Item, str, int]]] = {}
    tops: dict[int, int] = {}
    for it in ol.items:
        h = ol.heading_before(it.line)
        if it.parent is not None or h is None or it.mark is not None:
            continue  # (a checkbox is the tasklist reader's: its reading joins this one)
        tops[h.line] = tops.get(h.line, 0) + 1
        lead = marked_lead_id(doc.fix(it.raw).strip())
        if lead is not None and lead[0] not in taken and index.local_shaped(lead[0]):
            sections.setdefault(h.line, []).append((it, lead[0], lead[1]))
    out: list[Session] = []
    lone: list[tuple[Item, str, int]] = []
    ends = {h.line: h.end_line for h in ol.headings}
    for line, found in sections.items():
        if any(line < r <= ends[line] for r in rows):
            continue  # a section that holds table rows is the table's own
        keys = {k for _, k, _ in found}
        if 2 * sum(_statement(doc, it, rest) for it, _, rest in found) > len(found):
            continue  # `- P3-5 **done**: six scales installed`: a log entry's news of units, not units
        if len(keys) == 1 and tops[line] == 1:
            lone.extend(found)  # `## Encerramento` / `- **S-221** Relatório final`: the section is that one item
        elif len(keys) >= 2 and 2 * len(found) >= tops[line]:
            out.extend(_unit(doc, it, key, rest) for it, key, rest in found)
    if out:  # (one id alone is a mention, unless the document's other lists are units too)
        out.extend(_unit(doc, it, key, rest) for it, key, rest in lone)
    return sorted(out, key=lambda s: s.line)


def _statement(doc: Document, it: Item, rest: int) -> bool:
    """Whether the item says how its unit stands rather than naming it: a status right after the id, then a
    colon, a full stop or nothing (`P3-5 **done**: six scales installed`, `P2-6 still **blocked**`)."""
    after = doc.fix(it.raw).strip()[rest:]
    marks = status_marks(after)
    return bool(marks) and marks[0][0] <= _STATEMENT_REACH and _SAID_RE.match(after, marks[0][1]) is not None


_STATEMENT_REACH = 8  # (`still **blocked**`)
_SAID_RE = lazy_re(r"[*_]*\s*(?:$|[:.;,(]|—)")


def _unit(doc: Document, it: Item, key: str, rest: int) -> Session:
    text = doc.fix(it.raw).strip()
    name = text[rest:]
    note = _NOTE_RE.search(name)
    if note is not None and clean_title(name[: note.start()]):
        name = name[: note.start()]
    status, status_text, spans = Status.PLANNED, "", []
    # its own words after the id, or a mark ahead of it (`- ✅ **PAG-260** Actualizar el SDK`)
    own = [p for p in status_phrases(text, item=True) if p.start >= rest or p.where == "lead"]
    if own:
        status, status_text = own[0].status, text[own[0].start : own[0].end]
    if it.mark is not None and it.mark_col is not None:
        status = CHECK_STATUS.get(it.mark, Status.PLANNED) if not own else status
        status_text = f"[{it.mark}]"
        start = doc.offset(it.line, it.mark_col)
        spans.append(StatusSpan(Span(start, start + 1), SpanKind.CHECKBOX, it.line))
    if text.startswith("~~") and struck(text) and status is not Status.DONE:
        status = Status.DROPPED
    return Session(
        key=key,
        title=clean_title(name) or key,
        status=status,
        status_text=status_text,
        line=it.line,
        end_line=it.end_line,
        status_spans=spans,
        rule="an item beside the tables that leads with an id spelled like their keys",
    )
