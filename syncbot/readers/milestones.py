"""Milestones over phases: `## Milestone: v0.9.0` / `### Phase 1 …` then `## Milestone: v2.1` / `### Phase 1 …`.

A milestone is a container, never a unit.  When the milestones each number their phases from 1, the
numbers alone no longer name one unit: the milestone with work still open (the one trailers are about)
keeps the bare numbers (`Phase: 2 done`), the others' phases are qualified by their milestone (`v2.1/2`).
Every phase under a milestone has the milestone as its ``phase`` (the container it belongs to).
"""

from __future__ import annotations

import re

from syncbot.model import Session
from syncbot.readers.item_ids import assign_keys
from syncbot.readers.kinds import is_milestone
from syncbot.readers.lazy_re import lazy_re
from syncbot.readers.outline import Outline
from syncbot.readers.structure import Heading
from syncbot.readers.titles import clean_title, slug

_VERSION_RE = lazy_re(r"(?<![\w.])v?\d+(?:\.\d+)+[a-z]?(?![\w.])|(?<![\w.])v\d+(?![\w.])", re.IGNORECASE)


def milestones_of(ol: Outline, heads: list[Heading]) -> list[Heading | None]:
    """The milestone each of ``heads`` belongs to, if any.  A milestone heading reaches to the next milestone
    or the next heading above its level, past sibling headings: `## Milestone: v1` / `## Must-Haves` /
    `## Phases` / `### Phase 1` puts Phase 1 in v1."""
    out: list[Heading | None] = []
    current: Heading | None = None
    order = iter(sorted(heads, key=lambda h: h.line))
    found: dict[int, Heading | None] = {}
    nxt = next(order, None)
    for h in ol.headings:
        while nxt is not None and nxt.line < h.line:
            found[nxt.line], nxt = current, next(order, None)
        if current is not None and h.level < current.level:
            current = None
        if is_milestone(clean_title(ol.doc.fix(h.raw))):
            current = h
        elif nxt is not None and nxt.line == h.line:
            found[h.line], nxt = current, next(order, None)
    while nxt is not None:
        found[nxt.line], nxt = current, next(order, None)
    for h in heads:
        m = found.get(h.line)
        out.append(m if m is not None and m.level < h.level else None)
    return out


def short_name(ol: Outline, milestone: Heading) -> str:
    """`Milestone: v2.1-stabilized` -> `v2.1`; a milestone without a version goes by its slug."""
    title = clean_title(ol.doc.fix(milestone.raw))
    m = _VERSION_RE.search(title)
    if m:
        return m.group(0)
    name = re.sub(r"^[^\w]*\w+\s*[:\-–—]?\s*", "", title) or title
    return slug(name)[:30] or f"m{milestone.line}"


def keys_by_milestone(ms: list[Heading | None], units: list[tuple[str | None, str, str]]) -> list[str]:
    """:func:`assign_keys` within each milestone (a repeat inside one milestone is still told apart)."""
    groups: dict[int, list[int]] = {}
    for i, m in enumerate(ms):
        groups.setdefault(m.line if m is not None else 0, []).append(i)
    keys = [""] * len(units)
    for idx in groups.values():
        for i, k in zip(idx, assign_keys([units[i] for i in idx]), strict=True):
            keys[i] = k
    return keys


def milestone_keys(ol: Outline, ms: list[Heading | None], units: list[Session]) -> None:
    """Give every unit its milestone as ``phase``; qualify repeated keys by milestone (see module doc)."""
    for m, s in zip(ms, units, strict=True):
        if m is not None and s.phase is None:
            s.phase = clean_title(ol.doc.fix(m.raw))
    base = [s.key for s in units]
    groups: dict[int, list[int]] = {}
    for i, m in enumerate(ms):
        if m is not None:
            groups.setdefault(m.line, []).append(i)
    if len(groups) < 2:
        return
    owners: dict[str, set[int]] = {}
    for line, idx in groups.items():
        for i in idx:
            owners.setdefault(base[i], set()).add(line)
    if all(len(v) == 1 for v in owners.values()):
        return  # numbered on across milestones: the numbers are unique as they are
    open_ones = [line for line, idx in groups.items() if any(not units[i].status.closed for i in idx)]
    keeper = open_ones[0] if len(open_ones) == 1 else min(groups)
    by_line = {m.line: m for m in ms if m is not None}
    for line, idx in groups.items():
        for i in idx:
            shared = len(owners[base[i]]) > 1
            units[i].key = base[i] if line == keeper or not shared else f"{short_name(ol, by_line[line])}/{base[i]}"
