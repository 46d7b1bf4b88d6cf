"""Plain checklists beside a plan's units that are work of their own: `## Bastidores` / `- [ ] Nova vinheta`
beside a table of episodes, `## Tarefas transversais` / `- [~] Atualizar a documentação` beside keyed tasks."""

from __future__ import annotations

import bisect

from syncbot.model import Session, SpanKind
from syncbot.readers.common import Document
from syncbot.readers.key_shapes import DIGITS_RE
from syncbot.readers.lazy_re import lazy_re
from syncbot.readers.structure import headings


def work_beside(doc: Document, units: list[Session], items: list[Session]) -> list[Session]:
    """The items of a plain checklist beside a table of units that are work of their own, section by section:
    a section whose items are under way (at different stages), or all open under a heading of the plan's own
    kind (`## Fase 5 — Lanzamiento` after the tables of `## Fase 4`).  All open under another heading is a
    template to copy (`## Definition of done`); a unit's own checklist item, or an item under a heading that
    names a unit (`### Session 01 — Scaffold` / `- [x] CI green`), is that unit's."""
    own = {c.line for s in units for c in s.checklist}
    if any(s.status_span is None or s.status_span.kind is not SpanKind.CHECKBOX or s.line in own for s in items):
        return []
    hs = headings(doc)
    starts = [h.line for h in hs]

    def over(line: int) -> str:
        i = bisect.bisect_right(starts, line) - 1
        return hs[i].text if i >= 0 else ""

    keys = {s.key.lower() for s in units if DIGITS_RE.search(s.key)}
    kinds = {m.group(1).lower() for s in units if (m := _KIND_HEAD_RE.match(over(s.line)))}
    sections: dict[str, list[Session]] = {}
    for s in items:
        sections.setdefault(over(s.line), []).append(s)
    kept: list[Session] = []
    for heading, mine in sections.items():
        if len(mine) < 2 or any(w.lower().strip(".-") in keys for w in _WORD_RE.findall(heading)):
            continue
        kind = _KIND_HEAD_RE.match(heading)
        if len({s.status for s in mine}) >= 2 or (kind is not None and kind.group(1).lower() in kinds):
            kept.extend(mine)
    return kept


_KIND_HEAD_RE = lazy_re(r"^\W*([^\W\d_]+)\s*\d")


_WORD_RE = lazy_re(r"[\w.#-]+")
