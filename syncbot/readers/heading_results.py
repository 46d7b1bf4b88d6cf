"""The result the components and phases readers give from the status-heading analysis
(:mod:`syncbot.readers.status_headings`): dependencies written in the units' sections, problems inside them,
summary lines and the title."""

from __future__ import annotations

import bisect
import itertools

from syncbot.model import Problem, Session
from syncbot.readers.common import Document, ReadResult
from syncbot.readers.fields import fields_in
from syncbot.readers.key_index import KeyIndex
from syncbot.readers.outline import outline
from syncbot.readers.ref_markers import INVERSE_LABEL_RE
from syncbot.readers.refs import parse_refs
from syncbot.readers.status_fields import DEPENDS_FIELD_RE
from syncbot.readers.status_headings import analyse
from syncbot.readers.structure import prose_lines
from syncbot.readers.summaries import outline_summary_lines
from syncbot.readers.unit_edges import add_inverse


def _dependencies(doc: Document, sessions: list[Session]) -> None:
    """`**Depends on:** Phase 1` / `Requires Phase 2 and Phase 3.` inside a unit's section."""
    if len(sessions) < 2 or any(s.prerequisites for s in sessions):
        return
    prose = prose_lines(doc)
    index = KeyIndex([s.key for s in sessions])
    inverse: list[tuple[str, str]] = []
    for s in sessions:
        for f in fields_in(doc, s.line + 1, s.end_line, prose):
            if DEPENDS_FIELD_RE.match(f.name) or INVERSE_LABEL_RE.match(f.name):
                refs = parse_refs(doc.fix(f.value), index, s.key, inverse=bool(INVERSE_LABEL_RE.match(f.name)))
                s.prerequisites.extend(k for k in refs.prerequisites if k not in s.prerequisites)
                inverse.extend((y, s.key) for y in refs.inverse)
    add_inverse({s.key: s for s in sessions}, inverse)


def _within(problems: list[Problem], sessions: list[Session]) -> list[Problem]:
    """The problems on a line some unit's lines hold (log n a problem: a plan may list thousands twice)."""
    spans = sorted((s.line, s.end_line) for s in sessions)
    starts = [a for a, _ in spans]
    reach = list(itertools.accumulate((b for _, b in spans), max))  # furthest end so far
    return [p for p in problems if (i := bisect.bisect_right(starts, p.line)) > 0 and reach[i - 1] >= p.line]


def result(doc: Document, reader: str, sessions: list[Session], confidence: float, notes: list[str]) -> ReadResult:
    a = analyse(doc)
    _dependencies(doc, sessions)
    keys = {s.key for s in sessions}
    problems = _within(a.problems, sessions) if keys else []
    return ReadResult(
        reader=reader,
        sessions=sessions,
        summary_lines=outline_summary_lines(doc) if sessions else [],
        problems=problems,
        title=outline(doc).title(),
        notes=notes,
        confidence=confidence,
    )
