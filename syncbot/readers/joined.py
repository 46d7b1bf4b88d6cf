"""Joining readings: the best reading of a document, with other readings of other parts of it (a roadmap of
`## Phase N` sections above a table of cross-cutting tasks is two shapes in one tracker; a checklist of
backstage work beside a table of episodes; the story sections of a backlog beside its tables of stories)."""

from __future__ import annotations

import bisect
import itertools

from syncbot.model import Session
from syncbot.readers.common import Document, ReadResult
from syncbot.readers.key_shapes import DIGITS_RE, key_shape
from syncbot.readers.lazy_re import lazy_re
from syncbot.readers.loose_work import work_beside


def score(result: ReadResult) -> float:
    return len(result.sessions) * result.confidence


def rank(result: ReadResult) -> float:
    """:func:`score` as detection compares readings (rounded: equal scores tie, whatever the float's last bits)."""
    return round(score(result), 6)


_BY_HEADINGS = {"sections", "phases", "components"}  # readings whose units are headings and what they hold
_SURE = 0.9  # a reading this confident of its own shape may stand beside the best one
_AT_LEAST = 3


def combined(doc: Document, best: ReadResult, results: list[ReadResult]) -> list[Session]:
    """The best reading, joined by other sure readings of other parts of the document: a roadmap of
    `## Phase N` sections above a table of cross-cutting tasks is two shapes in one tracker.  A reading joins
    only when none of its units shares lines or a key with what is already read."""
    units = list(best.sessions)
    if not units:
        return units
    keys = {s.key.lower() for s in units}
    shapes: set[str] | None = None  # the best reading's key shapes, worked out once when first asked
    for r in sorted(results, key=score, reverse=True):
        if r is best:
            continue
        found = r.sessions
        if r.plain_checklist and best.reader in _BY_HEADINGS and len(found) >= 2:
            # `## Formalities` / `- [ ] Sign the form` below sections of units: work of its own
            pass
        elif r.plain_checklist and best.reader == "table" and (found := work_beside(doc, units, found)):
            # `## Bastidores` / `- [ ] Nova vinheta` beside a table of units
            pass
        elif len(found) < _AT_LEAST:
            continue
        elif r.confidence < _SURE:
            # a less sure reading joins when its units are more of the best reading's key family
            if r.confidence < _FAMILY_SURE or any(s.key.lower() in keys for s in found):
                continue
            shapes = shapes if shapes is not None else {key_shape(s.key) for s in units if DIGITS_RE.search(s.key)}
            if not _same_family(found, shapes):
                continue
        if any(s.key.lower() in keys for s in found):
            continue
        taken = _Spans(units)
        if any(taken.overlaps(s) for s in found) or (r.reader == "thread" and _log_about(doc, found, keys)):
            continue
        units.extend(found)
        keys.update(s.key.lower() for s in found)
    units.sort(key=lambda s: s.line)
    return units


_FAMILY_SURE = 0.5


def _same_family(found: list[Session], shapes: set[str]) -> bool:
    """`#### E1-S3 · Title` sections beside tables of `E3-S1` rows: the rest of one backlog, written another
    way.  Every unit the reading found has a written key (digits in it) of a shape of the best reading's keys
    (``shapes``)."""
    # `A1`…`D8` in four tables: the letter is the phase's, and the bullets of a fifth (`E1`…) are more of them
    blind = {_LETTER_RE.sub("a", x) for x in shapes}
    loose = len(blind) < len(shapes)
    return all(
        DIGITS_RE.search(s.key)
        and ((shape := key_shape(s.key)) in shapes or (loose and _LETTER_RE.sub("a", shape) in blind))
        for s in found
    )


_LETTER_RE = lazy_re(r"[^\W\d_]")


_WORD_RE = lazy_re(r"[\w.#-]+")


def plan_under_log(doc: Document, best: ReadResult, results: list[ReadResult]) -> ReadResult:
    """A log chosen as the best reading whose entries mostly speak of the units another reading found (`## Session
    2` / `- P1-1 **done**` under a table of `P1-1` tasks) is the log of that plan: the plan is the reading."""
    if best.reader != "thread" or not best.sessions:
        return best
    plans = [r for r in results if r is not best and len(r.sessions) >= _AT_LEAST and r.confidence >= _FAMILY_SURE]
    for r in sorted(plans, key=score, reverse=True):
        keys = {s.key.lower() for s in r.sessions if DIGITS_RE.search(s.key)}
        if keys.isdisjoint(s.key.lower() for s in best.sessions) and _log_about(doc, best.sessions, keys):
            return r
    return best


def _log_about(doc: Document, entries: list[Session], keys: set[str]) -> bool:
    """Log entries (`### Session 4 — 2024-05-08` / `- S-04a done.`) that mostly speak of units already read are
    the log of their progress, not units of their own."""

    def names_one(e: Session) -> bool:
        lines = doc.lines[e.line : max(e.end_line, e.line)]
        return any(w.lower().strip(".-") in keys for ln in lines for w in _WORD_RE.findall(ln))

    return 3 * sum(names_one(e) for e in entries) >= 2 * len(entries)


class _Spans:
    """The line ranges of units, asked whether a unit shares a line with any of them (log n a question)."""

    def __init__(self, units: list[Session]) -> None:
        spans = sorted((s.line, max(s.end_line, s.line)) for s in units)
        self.starts = [a for a, _ in spans]
        self.reach = list(itertools.accumulate((b for _, b in spans), max))  # furthest end so far

    def overlaps(self, s: Session) -> bool:
        i = bisect.bisect_right(self.starts, max(s.end_line, s.line))
        return i > 0 and self.reach[i - 1] >= s.line
