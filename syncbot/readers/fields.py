"""Fields written on one line of prose: `**Status**: x`, `**Depends on:** y`, `- Owner: z`, and one-line
dependency sentences (`Depends on session 3.`)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from syncbot.model import Span
from syncbot.readers.common import Document


@dataclass(frozen=True)
class Field:
    name: str  # the label, lower-case plain text
    value: str  # as written, trimmed
    span: Span  # of ``value``
    line: int


_FIELD_RE = re.compile(
    r"^\s*(?:[-*+]\s+)?(?P<o>\*\*|__)?(?P<name>[^\W\d_](?:[^\W\d_]|[ /&'-]){0,40}?)\s*"
    r"(?:(?P<c1>[:：])\s*(?P=o)|(?P=o)\s*(?P<c2>[:：]))\s*(?P<value>.*?)\s*$"
)
_FIELD_PLAIN_RE = re.compile(
    r"^\s*(?:[-*+]\s+)?(?P<name>[^\W\d_](?:[^\W\d_]|[ /&'-]){0,40}?)\s*[:：]\s*(?P<value>.*?)\s*$"
)

# `Depends on session 3.` / `Requires Phase 2 and Phase 3.`: a one-line sentence naming other units
_DEP_SENTENCE_RE = re.compile(
    r"^\s*(?:[-*+]\s+)?(?P<name>depends on|requires|blocked by)\s+"
    r"(?P<value>(?:sessions?|steps?|phases?|stages?|tasks?|milestones?)\s+#?\d[\w\s,.#&-]*?)\.?\s*$",
    re.IGNORECASE,
)


_DIGIT_RE = re.compile(r"\d")


def field_at(doc: Document, line: int) -> Field | None:
    """``**Name**: value``, ``**Name:** value``, ``- Name: value`` on one line (read once per document: the
    sections, thread and status-heading readers look at the same lines)."""
    known: dict[int, Field | None] = doc.__dict__.setdefault("_fields", {})
    if line in known:
        return known[line]
    known[line] = f = _field_at(doc, line)
    return f


def _field_at(doc: Document, line: int) -> Field | None:
    raw = doc.lines[line - 1]
    m = None
    colon = raw.find(":")
    if "：" in raw:
        wide = raw.find("：")
        colon = wide if colon < 0 else min(colon, wide)
    # both field forms need a colon (`：` in CJK), the first of the line, and no digit before it (a label is
    # letters): `Worked on module 3: tests` costs no regex
    if colon >= 0 and _DIGIT_RE.search(raw, 0, colon) is None:
        m = _FIELD_RE.match(raw)
        if not m or not m.group("o"):
            m = _FIELD_PLAIN_RE.match(raw)
    if not m and raw[:1] in "DRBdrb-*+ ":
        m = _DEP_SENTENCE_RE.match(raw)
    if not m or not m.group("value"):
        return None
    base = doc.offset(line)
    return Field(
        m.group("name").strip().lower(),
        m.group("value"),
        Span(base + m.start("value"), base + m.end("value")),
        line,
    )


def fields_in(doc: Document, first: int, last: int, prose: set[int]) -> list[Field]:
    out = []
    for line in range(first, last + 1):
        if line in prose:
            f = field_at(doc, line)
            if f:
                out.append(f)
    return out
