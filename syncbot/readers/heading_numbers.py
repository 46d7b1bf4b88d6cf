"""The headings that may be units of a plan (`### 1.1 Proposal ✔`, `## Phase 2: API` over a checklist) and how
they are numbered: a heading numbered as the plan's units are is one of them, whatever it carries."""

from __future__ import annotations

import bisect
import re
from collections import Counter
from dataclasses import dataclass, field

from syncbot.model import Span, Status
from syncbot.readers.lazy_re import lazy_re
from syncbot.readers.phrases import Phrase
from syncbot.readers.structure import Heading, Item
from syncbot.readers.titles import clean_title


@dataclass
class Candidate:
    heading: Heading
    phrases: list[Phrase]
    fixed: str
    title: str
    kind: str | None
    num: str
    items: list[Item] = field(default_factory=list)
    # `**Status**: ✅ Complete` in the heading's own text (before any sub-heading): (status, span, text, line)
    field_status: tuple[Status, Span, str, int] | None = None


# (`## 3b. CSV import`: a unit redone after 3, lettered after its number)
_NUMBERED_RE = lazy_re(r"^[\s*_]*(\d{1,3}(?:\.\d{1,3})*(?:[a-z](?=[.)]))?)[.)]?(?:\s*[-–—:]\s*|\s+)(?=\S)(.*)$")


def numbered(title: str) -> tuple[str, str, str] | None:
    """`1. Project setup`, `2) Data layer`: a heading numbered with no kind word (kind ``number``)."""
    m = _NUMBERED_RE.match(clean_title(title) if title[:1] not in "0123456789" else title)
    if not m or re.fullmatch(r"\d{4}", m.group(1)):
        return None  # a year (`2024 Roadmap`) is no unit number
    name = clean_title(m.group(2))
    return ("number", m.group(1), name) if name else None


# an id of letters and a number leading a heading's title after its status mark: `🕓 B1. Drill the well`,
# `⚠️ A4: Survey`, `✅ WP-3 — Permits`; the punctuation after it says it is an id, not a word of the title
_LETTERED_RE = lazy_re(r"^[\s*_]*([A-Z]{1,3}-?\d{1,3}(?:\.\d{1,2})?[a-z]?)(?:[.:)]\s+|\s+[-–—]\s+)(?=\S)(.*)$")


def lettered(title: str) -> tuple[str, str, str] | None:
    """`B1. Drill the well` -> (``id``, ``B1``, `Drill the well`): the key the writer gave the unit."""
    m = _LETTERED_RE.match(title)
    name = clean_title(m.group(2)) if m else ""
    return ("id", m.group(1), name) if m and name else None


def numbering(c: Candidate) -> tuple[int, str | None, int] | None:
    """How a heading is numbered: its level, its kind, and how many parts its number has (`2.3`: two)."""
    return (c.heading.level, c.kind, c.num.count(".")) if c.kind and c.num else None


def numberings(cands: list[Candidate]) -> set[tuple[int, str | None, int]]:
    """The numberings two units or more share."""
    counts = Counter(n for c in cands if (n := numbering(c)) is not None)
    return {n for n, k in counts.items() if k >= 2}


def numbered_siblings(cands: list[Candidate], unstated: list[Candidate]) -> list[Candidate]:
    """`### 5.1 Full draft` with nothing written about its state, beside `### 1.1 Proposal ✔` and `### 3.2 …`
    with `Status: ▶`: numbered as the units that say their status are, it is one of them, not yet started.
    A heading that holds other headings is a chapter, not such a unit."""
    shared = numberings([c for c in cands if c.phrases or c.field_status])
    if not shared:
        return cands
    # (whether another candidate starts inside a heading's section: the first one after it does, if any)
    lines = sorted(o.heading.line for o in cands + unstated)
    more = [
        c
        for c in unstated
        if numbering(c) in shared
        and not ((i := bisect.bisect_right(lines, c.heading.line)) < len(lines) and lines[i] <= c.heading.end_line)
    ]
    return sorted(cands + more, key=lambda c: c.heading.line) if more else cands
