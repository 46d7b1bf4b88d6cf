"""Dependencies a unit's own text states in prose, whatever reader found the unit.

``After Step 9 lands.``, ``Requires Steps 6–8.``, ``Status: blocked (blocked by platform-infra#14)``,
``- [ ] T014 优惠券叠加规则（依赖 T009）``, ``— depende de #27 y #29``: a sentence inside a unit's section or on
its own line that names what the unit waits for.  Only the clause after a dependency marker counts (see
:func:`refs.parse_refs` with ``prose``), so narrative that merely mentions another unit adds nothing.  Lines
of code blocks and table rows are left to the readers that understand them.
"""

from __future__ import annotations

import bisect

from syncbot.model import Session
from syncbot.readers.common import Document, strip_inline
from syncbot.readers.held_containers import held_containers
from syncbot.readers.key_index import KeyIndex
from syncbot.readers.marker_scan import marker_starts
from syncbot.readers.refs import parse_refs
from syncbot.readers.structure import code_lines, tables
from syncbot.readers.unit_edges import add_inverse, phase_containers


def _marker_lines(doc: Document) -> list[int]:
    """1-based lines holding a dependency marker, found in one pass over the text."""
    lines: list[int] = []
    pos, line = 0, 1
    for start in marker_starts(doc.text):
        line += doc.text.count("\n", pos, start)
        pos = start
        if not lines or lines[-1] != line:
            lines.append(line)
    return lines


def _owner(units: list[Session], starts: list[int], line: int) -> Session | None:
    """The innermost unit whose lines hold ``line``."""
    i = bisect.bisect_right(starts, line) - 1
    while i >= 0:
        s = units[i]
        if s.line <= line <= max(s.end_line, s.line):
            return s
        i -= 1
        if line - units[i + 1].line > 10_000:  # a range this far back cannot hold it: ranges nest
            break
    return None


def add_prose_dependencies(doc: Document, sessions: list[Session]) -> None:
    """Add to each unit the prerequisites (and inverse edges) its own lines state in prose."""
    if not sessions:
        return
    lines = _marker_lines(doc)
    if not lines:
        return
    skip = code_lines(doc) | {ln for t in tables(doc) for ln in [t.line, *(r[0] for r in t.rows)]}
    units = sorted(sessions, key=lambda s: s.line)
    starts = [s.line for s in units]
    # the phases the readers gave, then the headings and `<details>` blocks the units are written under
    index = KeyIndex([s.key for s in sessions], {**held_containers(doc, sessions), **phase_containers(sessions)})
    by_key = {s.key: s for s in sessions}
    inverse: list[tuple[str, str]] = []
    for line in lines:
        if line in skip:
            continue
        s = _owner(units, starts, line)
        if s is None:
            continue
        text = doc.fix(doc.lines[line - 1])
        if s.raw_prerequisites and s.raw_prerequisites in strip_inline(text):
            continue  # the unit's own prerequisites field, read by its reader (names and all)
        refs = parse_refs(text, index, s.key, foreign_ids=True, prose=True)
        for k in refs.prerequisites:
            if k not in s.prerequisites:
                s.prerequisites.append(k)
        inverse.extend((y, s.key) for y in refs.inverse)
    add_inverse(by_key, inverse)
