"""A board drawn as a table, one column per lane: `| To do | In progress | Done |` over rows whose cells are
cards (`BK-12 Password reset`).  Every header names a status (`name_status`, any language, the document's
legend too) and one of them is open work; every non-empty cell is a card whose status is its column's, keyed
by the id it leads with (else by its title), on the line of its row.

The status of such a card is where it stands, not a word that can be rewritten in place: its cards carry no
status span, so marking one reports that it cannot be written rather than moving the cell.
"""

from __future__ import annotations

import re

from syncbot.model import Session, Status
from syncbot.readers.common import Document, strip_inline
from syncbot.readers.item_ids import lead_id, marked_lead_id
from syncbot.readers.key_index import KeyIndex
from syncbot.readers.lanes import name_status
from syncbot.readers.lazy_re import lazy_re
from syncbot.readers.phrases import status_phrases
from syncbot.readers.refs import parse_refs
from syncbot.readers.structure import tables
from syncbot.readers.titles import clean_title, slug
from syncbot.readers.unit_edges import add_inverse

_BR_RE = lazy_re(r"<br\s*/?>", re.IGNORECASE)
_OPEN = {Status.PLANNED, Status.READY, Status.IN_PROGRESS, Status.BLOCKED}


def lane_table_cards(doc: Document) -> list[Session]:
    """The cards of every table whose columns are lanes (see the module doc), in reading order."""
    out: list[Session] = []
    texts: list[str] = []  # each card's text, for what it says it waits for
    taken: set[str] = set()
    suffix: dict[str, int] = {}  # the number a base's next card tries first
    for t in tables(doc):
        if len(t.header) < 2 or not t.rows:
            continue
        lanes = [name_status(h) for h in t.header]
        if any(lane is None or lane[1] for lane in lanes) or not {lane[0] for lane in lanes if lane} & _OPEN:
            continue
        for line, cells in t.rows:
            for col, cell in enumerate(cells):
                lane = lanes[col] if col < len(lanes) else None
                if lane is None:
                    continue
                # (`**LC-01** Setup<br>**LC-02** Deploy`: several cards in one cell)
                for part in _BR_RE.split(doc.fix(cell.text)):
                    text = strip_inline(part).strip()
                    if not text:
                        continue
                    lead = lead_id(text) or marked_lead_id(text)
                    title = clean_title(text[lead[1] :] if lead else text)
                    if not title:
                        continue
                    base = lead[0] if lead else slug(title)[:60].strip("-") or f"card-{line}-{col}"
                    # (from the number the base's last card took: `x`, `x-2`, … `x-20000` are no square walk)
                    key, n = base, suffix.get(base, 2)
                    while key in taken:
                        key, n = f"{base}-{n}", n + 1
                    suffix[base] = n
                    taken.add(key)
                    texts.append(text[lead[1] :] if lead else text)
                    # (`**LC-13** Cartão via Stripe ❌ falhou …` in the archive: the card's own word is the latest)
                    own = [p for p in status_phrases(text, item=True) if p.where != "whole"]
                    out.append(
                        Session(
                            key=key,
                            title=title,
                            status=own[0].status if own else lane[0],
                            status_text=t.header[col],
                            line=line,
                            end_line=line,
                            rule=f"a card in the `{t.header[col]}` column of the board table on line {t.line}",
                        )
                    )
    # `**LC-20** Checkout _(dep. LC-12, LC-14)_`, `— precisa de Pix recorrente (LC-17)`: a card's own words
    index = KeyIndex([s.key for s in out])
    inverse: list[tuple[str, str]] = []
    for s, text in zip(out, texts, strict=True):
        refs = parse_refs(text, index, s.key, foreign_ids=True, prose=True)
        s.prerequisites.extend(k for k in refs.prerequisites if k not in s.prerequisites)
        inverse.extend((y, s.key) for y in refs.inverse)
    add_inverse({s.key: s for s in out}, inverse)
    return out
