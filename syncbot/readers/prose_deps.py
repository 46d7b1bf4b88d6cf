"""Dependencies a unit's own text states in prose, whatever reader found the unit.

``After Step 9 lands.``, ``Requires Steps 6–8.``, ``Status: blocked (blocked by platform-infra#14)``,
``- [ ] T014 优惠券叠加规则（依赖 T009）``, ``— depende de #27 y #29``: a sentence inside a unit's section or on
its own line that names what the unit waits for.  Only the clause after a dependency marker counts (see
:func:`refs.parse_refs` with ``prose``), so narrative that merely mentions another unit adds nothing.  Lines
of code blocks and table rows are left to the readers that understand them.
"""

from __future__ import annotations

import bisect
import itertools
import re

from syncbot.model import Session
from syncbot.readers.common import Document, strip_inline
from syncbot.readers.container_names import container_names
from syncbot.readers.dep_revisions import may_revise, revise_dependencies
from syncbot.readers.held_containers import held_containers
from syncbot.readers.key_index import KeyIndex
from syncbot.readers.key_statements import statements
from syncbot.readers.lazy_re import lazy_re
from syncbot.readers.marker_scan import marker_starts
from syncbot.readers.ref_scope import EXCEPT_OWN_RE
from syncbot.readers.refs import parse_refs
from syncbot.readers.structure import code_lines, headings, tables
from syncbot.readers.unit_edges import add_inverse, phase_containers, title_names


def _marker_lines(doc: Document) -> list[int]:
    """1-based lines holding a dependency marker, found in one pass over the text."""
    lines: list[int] = []
    pos, line = 0, 1
    # `_Depends on Phase 1._`: an underscore of emphasis is no part of the word it opens (same length kept)
    text = _EMPHASIS_US_RE.sub(" ", doc.text) if "_" in doc.text else doc.text
    for start in marker_starts(text):
        line += doc.text.count("\n", pos, start)
        pos = start
        if not lines or lines[-1] != line:
            lines.append(line)
    return lines


_EMPHASIS_US_RE = lazy_re(r"(?<![^\W_])_+(?=[^\W_])")


def _owner(
    spans: list[tuple[int, int, Session]], starts: list[int], reach: list[int], line: int
) -> tuple[int, Session] | None:
    """The innermost unit whose lines hold ``line``, with the last line of its span that holds it.  ``spans``
    are (first, last line, unit) in line order, ``starts`` their first lines; ``reach[i]`` is the furthest
    line the spans up to ``i`` reach: when it falls short, no unit holds the line, and none is looked at (a
    heading between units)."""
    i = bisect.bisect_right(starts, line) - 1
    if i < 0 or reach[i] < line:
        return None
    while i >= 0:
        first, last, s = spans[i]
        if first <= line <= last:
            return last, s
        i -= 1
        if line - spans[i + 1][0] > 10_000:  # a range this far back cannot hold it: ranges nest
            break
    return None


def add_prose_dependencies(doc: Document, sessions: list[Session], read: set[int] | None = None) -> None:
    """Add to each unit the prerequisites (and inverse edges) its own lines state in prose.  ``read``: units'
    first lines whose every dependency word their reader has read (``ReadResult.dependency_lines``)."""
    if not sessions:
        return
    lines = _marker_lines(doc)
    if not lines:
        return
    skip = code_lines(doc) | {ln for t in tables(doc) for ln in [t.line, *(r[0] for r in t.rows)]}
    units = sorted(sessions, key=lambda s: s.line)  # (in line order: ``_owner`` and ``_preambles`` rely on it)
    # a unit's own lines, and the other places that speak of it (its entry in a log below its matrix row)
    spans = sorted(
        [(s.line, max(s.end_line, s.line), s) for s in units] + [(a, b, s) for s in units for a, b in s.more_lines],
        key=lambda sp: sp[0],
    )
    starts = [first for first, _, _ in spans]
    reach = list(itertools.accumulate((last for _, last, _ in spans), max))
    todo: list[tuple[int, tuple[int, Session] | None]] = []
    for line in lines:
        if line in skip:
            continue  # (a table's row, a code line)
        held = _owner(spans, starts, reach, line)
        if held is None or not read or line != held[1].line or line not in read:
            todo.append((line, held))  # (not a unit's line whose reader read its every dependency word)
    if not todo and not may_revise(doc):
        return  # (nothing left to read: the index below is not built)
    # the phases the readers gave, then the headings and `<details>` blocks the units are written under
    index = KeyIndex(
        [s.key for s in sessions],
        {**title_names(sessions), **held_containers(doc, sessions), **phase_containers(sessions)},
    )
    by_key = {s.key: s for s in sessions}
    inverse: list[tuple[str, str]] = []
    preambles = _preambles(doc, units)
    for line, held in todo:
        if held is None:
            # `- S-02b needs S-02.` in a log: a line outside every unit that opens with units' keys
            for leads, said in statements(doc.lines[line - 1], index):
                for key in leads:
                    refs = parse_refs(doc.fix(said), index, key, foreign_ids=True, prose=True)
                    u = by_key[key]
                    u.prerequisites.extend(k for k in refs.prerequisites if k not in u.prerequisites)
                    inverse.extend((y, key) for y in refs.inverse)
            members = preambles.get(line, [])
            text = _sentence(doc, line, skip)
            taken = {m.key for m in members}
            but = EXCEPT_OWN_RE.search(text) is not None  # `（個別に書いたものを除く）`: those saying theirs keep them
            for m in members:
                raw = m.raw_prerequisites
                if raw and any(map(str.isalnum, raw)) and parse_refs(raw, index, m.key).explicit_none:
                    continue  # `**Needs:** nothing — design can happen in parallel` (a bare `—` is a blank cell)
                if but and m.prerequisites:
                    continue
                refs = parse_refs(text, index, m.key, foreign_ids=True, prose=True)
                m.prerequisites.extend(k for k in refs.keys if k not in m.prerequisites and k not in taken)
            continue
        last, s = held
        text = _sentence(doc, line, skip, last)
        if s.raw_prerequisites and s.raw_prerequisites in strip_inline(text):
            continue  # the unit's own prerequisites field, read by its reader (names and all)
        refs = parse_refs(text, index, s.key, foreign_ids=True, prose=True)
        for k in refs.prerequisites:
            if k not in s.prerequisites:
                s.prerequisites.append(k)
        inverse.extend((y, s.key) for y in refs.inverse)
    add_inverse(by_key, inverse)
    revise_dependencies(doc, sessions, index)  # (`P3-1 now depends on P2-4`: a later word replaces them)


_BREAK_RE = lazy_re(r"^\s*(?:$|#|\||[-*+]\s|\d+[.)]\s|>|```|~~~)")


def _sentence(doc: Document, line: int, skip: set[int], last: int | None = None) -> str:
    """The line, and the lines its paragraph wraps onto (a sentence goes on where a line breaks:
    `so it needs both` / `P2-1 and P2-2.`), up to three, within ``last``."""
    parts = [doc.fix(doc.lines[line - 1])]
    if doc.lines[line - 1].lstrip().startswith("#"):
        return parts[0]  # a heading is a line of its own
    stop = min(len(doc.lines), line + 3, last if last is not None else len(doc.lines))
    for n in range(line + 1, stop + 1):
        raw = doc.lines[n - 1]
        if n in skip or _BREAK_RE.match(raw) or _ENDED_RE.search(parts[-1]) or _STARTS_RE.match(raw):
            break
        parts.append(doc.fix(raw))
    return " ".join(parts)


# a line that ends its sentence, and one that starts a new one or a field (`The script …`, `**Owner:**`)
_ENDED_RE = lazy_re(r"[.!?。！？:：]\s*$")
_STARTS_RE = lazy_re(r"^\s*(?:\*\*|__|[A-Z][a-z])")


def _preambles(doc: Document, units: list[Session]) -> dict[int, list[Session]]:
    """Lines between a heading and the first unit under it (`## Phase 3` / `Every Phase 3 item needs P2-2.`)
    -> the units of that heading's section: what the section's opening says it waits for, they all wait
    for.  A heading that is itself a unit speaks for itself."""
    own = {s.line for s in units}
    out: dict[int, list[Session]] = {}
    hs = headings(doc)
    starts = [s.line for s in units]  # (``units`` are in line order)
    for i, h in enumerate(hs):
        if h.line in own:
            continue
        members = units[bisect.bisect_right(starts, h.line) : bisect.bisect_right(starts, h.end_line)]
        if not members:
            continue
        # up to the first unit or the next heading: a sub-heading's opening speaks for its own units
        stop = min(members[0].line, hs[i + 1].line if i + 1 < len(hs) else members[0].line)
        if stop <= h.line + 1:
            continue
        names = [n.lower() for n in container_names(strip_inline(doc.fix(h.text))) if len(n) >= 2]
        for n in range(h.line + 1, stop):
            text = strip_inline(doc.fix(doc.lines[n - 1]))
            # it speaks for them all when it says so (`every item here`, `Todo M2 requiere M1.2`)
            if _ALL_OF_THEM_RE.search(text) or any(name in text.lower() for name in names):
                out.setdefault(n, members)
    return out


_ALL_OF_THEM_RE = lazy_re(
    r"(?<!\w)(?:every(?:thing)?|each|all|nothing|none|tod[oa]s?|cada|nada|ningún|ninguna|tout(?:es)?|tous|chaque|rien|"
    r"alle|jede[rsn]?|nichts|kein(?:e|er)?|ogni|tutt[ieo]|nessun[oa]?|все|каждая|каждый|ничего|"
    # `These have no internal imports. They only need 0a and 0b.`: the section's items, by a pronoun
    r"these|they|them|estas|estos|ellas|ellos|diese|ces|elles|ils|questi|queste|estes|esses|essas|эти|они)(?!\w)|"
    r"所有|全部|整个|每个|すべて|全て|모든|전체",
    re.IGNORECASE,
)
