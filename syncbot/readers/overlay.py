"""A log of the units below their table: `## Session matrix` then `### Session 05 — 2026-03-06` / `Status:
🔴 blocked`.  The matrix is updated now and then, the entries as the work happens: where both speak of a
unit and disagree, the entry below (the newer, more specific word) gives its status, and marking the unit
rewrites both;
a unit only the log knows (`### Session 16 — … (new)`) is a unit too, and so is one only the matrix lists.

Only a reading of entries that mostly name the matrix's own units, all written below them, overlays it;
anything else is another part of the document (see ``readers.combined``).
"""

from __future__ import annotations

import re

from syncbot.model import Session
from syncbot.readers.common import Document, ReadResult

_LOGS = ("thread", "sections")  # readers whose units are entries under headings
_AT_LEAST = 3
_SURE = 0.9
_LOG_SURE = 0.5  # a reading of entries this sure that it is a log


def _fits(doc: Document, matrix: list[Session], log: list[Session]) -> bool:
    keys = {s.key for s in matrix}
    last = max(max(s.end_line, s.line) for s in matrix)
    named = sum(e.key in keys for e in log)
    if len(log) < _AT_LEAST or 3 * named < 2 * len(log) or any(e.line <= last for e in log):
        return False
    # `- #3 Async session layer` over `### Session 3 — 2024-06-06`: issue numbers are not the log's sessions
    return not (_as_issue(doc, matrix) and not _as_issue(doc, log))


def _as_issue(doc: Document, units: list[Session]) -> bool:
    """Most of ``units`` write their number key as an issue's (`#3`) on their own line."""
    numbered = [s for s in units if s.key.isdecimal()]
    found = sum(re.search(rf"#{s.key}(?!\d)", doc.lines[s.line - 1]) is not None for s in numbered)
    return bool(numbered) and 3 * found >= 2 * len(numbered)


def overlay(doc: Document, best: ReadResult, sessions: list[Session], results: list[ReadResult]) -> list[Session]:
    """``sessions`` (the best reading, joined) with a matrix and the log below it read as one."""
    if not sessions:
        return sessions
    if best.reader in _LOGS:
        matrices = [r for r in results if r.reader not in _LOGS and r.confidence >= _SURE and r.sessions]
        matrix = next((r for r in matrices if _fits(doc, r.sessions, best.sessions)), None)
        if matrix is None:
            return sessions
        return _apply(list(matrix.sessions), best.sessions)
    for r in sorted(results, key=lambda r: -r.confidence):
        if r.reader in _LOGS and r.confidence >= _LOG_SURE and r.sessions and _fits(doc, sessions, r.sessions):
            return _apply(sessions, r.sessions)
    return sessions


def _apply(units: list[Session], log: list[Session]) -> list[Session]:
    by_key = {s.key: s for s in units}
    for e in log:
        unit = by_key.get(e.key)
        if unit is None:
            units.append(e)  # a unit the log adds
            by_key[e.key] = e
            continue
        unit.more_lines.append((e.line, max(e.end_line, e.line)))  # its prose speaks of the unit too
        if e.status_spans:
            if e.status is not unit.status:
                unit.status, unit.status_text = e.status, e.status_text
            # both places are rewritten when the unit is marked, or the log would undo the mark next time
            unit.status_spans = [*e.status_spans, *unit.status_spans]
        unit.prerequisites.extend(k for k in e.prerequisites if k not in unit.prerequisites)
    return units
