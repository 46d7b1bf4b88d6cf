"""A board drawn as a table, one column per lane: `| To do | In progress | Done |` over rows whose cells are
cards (`BK-12 Password reset`).  Every header names a status (`name_status`, any language, the document's
legend too) and one of them is open work; every non-empty cell is a card whose status is its column's, keyed
by the id it leads with (else by its title), on the line of its row.

The status of such a card is where it stands, not a word that can be rewritten in place: its cards carry no
status span, so marking one reports that it cannot be written rather than moving the cell.
"""

from __future__ import annotations

from syncbot.model import Session, Status
from syncbot.readers.common import Document, strip_inline
from syncbot.readers.item_ids import lead_id, marked_lead_id
from syncbot.readers.lanes import name_status
from syncbot.readers.phrases import clean_title, slug
from syncbot.readers.structure import tables

_OPEN = {Status.PLANNED, Status.READY, Status.IN_PROGRESS, Status.BLOCKED}


def lane_table_cards(doc: Document) -> list[Session]:
    """The cards of every table whose columns are lanes (see the module doc), in reading order."""
    out: list[Session] = []
    taken: set[str] = set()
    for t in tables(doc):
        if len(t.header) < 2 or not t.rows:
            continue
        lanes = [name_status(h) for h in t.header]
        if any(lane is None or lane[1] for lane in lanes) or not {lane[0] for lane in lanes if lane} & _OPEN:
            continue
        for line, cells in t.rows:
            for col, cell in enumerate(cells):
                lane = lanes[col] if col < len(lanes) else None
                text = strip_inline(doc.fix(cell.text)).strip()
                if lane is None or not text:
                    continue
                lead = lead_id(text) or marked_lead_id(text)
                title = clean_title(text[lead[1] :] if lead else text)
                if not title:
                    continue
                base = lead[0] if lead else slug(title)[:60].strip("-") or f"card-{line}-{col}"
                key, n = base, 2
                while key in taken:
                    key, n = f"{base}-{n}", n + 1
                taken.add(key)
                out.append(
                    Session(
                        key=key,
                        title=title,
                        status=lane[0],
                        status_text=t.header[col],
                        line=line,
                        end_line=line,
                        rule=f"a card in the `{t.header[col]}` column of the board table on line {t.line}",
                    )
                )
    return out
