"""Kanban lanes written as list items rather than headings, as a Trello export writes a board:

    - **Lista: Folyamatban**
      - **[KK-18] Honlap átköltöztetése** · felelős: Kovács Bence
        - [x] tartalom exportálása
    - **Lista: Kész ✅**
      - **[KK-12] Közgyűlés** · Függ: KK-11

A lane is a top-level item that is only a lane name (a status, after an optional `List:` label) with cards
nested under it; the cards are the units, their own checkboxes their checklists.  The board reader reads
them as it reads the cards under heading lanes."""

from __future__ import annotations

from syncbot.model import Status
from syncbot.readers.common import Document
from syncbot.readers.item_ids import lead_id
from syncbot.readers.lanes import name_status
from syncbot.readers.lazy_re import lazy_re
from syncbot.readers.outline import outline
from syncbot.readers.structure import Item
from syncbot.readers.titles import clean_title, slug

_OPEN = {Status.PLANNED, Status.READY, Status.IN_PROGRESS, Status.BLOCKED}
# `**Lista: Kész ✅**`, `List: Done`, `Spalte: In Arbeit`: the export's word for a lane, then its name
_LANE_LABEL_RE = lazy_re(r"^([\s*_]*)[^\W\d_]{2,12}\s*[:：]\s*")
_EMPHASIS_RE = lazy_re(r"^[\s*_]+|[\s*_]+$")


def _lane_name(doc: Document, it: Item) -> str:
    return _EMPHASIS_RE.sub("", _LANE_LABEL_RE.sub(r"\1", doc.fix(it.raw).strip()))


def list_lanes(doc: Document) -> list[tuple[Item, Status]]:
    """The lanes of a board written as a list, in document order; [] when no list is one.  The top-level
    items of one list (under one heading) are lanes when every one has cards nested under it, at least two
    name a status (different ones, one of them open work) and those are at least half of them.  A lane whose
    name is no status we know takes its status as heading lanes do (`lanes.unnamed_lanes`): the first lane,
    before every named one, is the board's intake (planned), and a lane of struck-through cards was dropped;
    the cards of a lane we cannot name in either way are no units."""
    ol = outline(doc)
    groups: dict[int, list[Item]] = {}
    for it in ol.items:
        if it.parent is None and it.line not in ol.code_lines:
            groups.setdefault(id(ol.heading_before(it.line)), []).append(it)
    out: list[tuple[Item, Status]] = []
    for tops in groups.values():
        if len(tops) < 2 or any(not it.children or it.mark is not None for it in tops):
            continue
        found = {it.index: name_status(_lane_name(doc, it)) for it in tops}
        named = {i: ns[0] for i, ns in found.items() if ns is not None and not ns[1]}
        statuses = list(named.values())
        names = [slug(clean_title(_lane_name(doc, it))) for it in tops]
        if (
            len(named) < 2
            or len(set(statuses)) < len(statuses)
            or not set(statuses) & _OPEN
            or 2 * len(named) < len(tops)
            or len(set(names)) < len(names)
        ):
            continue
        first = min(it.line for it in tops if it.index in named)
        for it in tops:
            st = named.get(it.index)
            if st is None:
                cards = [doc.fix(ol.items[c].raw).strip() for c in it.children]
                if not all(lead_id(t) for t in cards):
                    continue
                if all(t.startswith("~~") for t in cards):
                    st = Status.DROPPED
                elif it.line < first and not any(t.startswith("~~") for t in cards):
                    st = Status.PLANNED
                else:
                    continue
            out.append((it, st))
    return out
