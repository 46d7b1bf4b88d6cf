"""Fields written on one line of prose: `**Status**: x`, `**Depends on:** y`, `- Owner: z`, and one-line
dependency sentences (`Depends on session 3.`)."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from syncbot.model import Span
from syncbot.readers.common import Document
from syncbot.readers.lazy_re import lazy_re


@dataclass(frozen=True)
class Field:
    name: str  # the label, lower-case plain text
    value: str  # as written, trimmed
    span: Span  # of ``value``
    line: int


_FIELD_RE = lazy_re(
    r"^\s*(?:[-*+]\s+)?(?P<o>\*\*|__)?(?P<name>[^\W\d_](?:[^\W\d_]|[ /&'-]){0,40}?)\s*"
    r"(?:(?P<c1>[:：])\s*(?P=o)|(?P=o)\s*(?P<c2>[:：]))\s*(?P<value>.*?)\s*$"
)
_FIELD_PLAIN_RE = lazy_re(
    r"^\s*(?:[-*+]\s+)?(?P<name>[^\W\d_](?:[^\W\d_]|[ /&'-]){0,40}?)\s*[:：]\s*(?P<value>.*?)\s*$"
)

# `Depends on session 3.` / `Requires Phase 2 and Phase 3.`: a one-line sentence naming other units
_DEP_SENTENCE_RE = lazy_re(
    r"^\s*(?:[-*+]\s+)?(?P<name>depends on|requires|blocked by)\s+"
    r"(?P<value>(?:sessions?|steps?|phases?|stages?|tasks?|milestones?)\s+#?\d[\w\s,.#&-]*?)\.?\s*$",
    re.IGNORECASE,
)


_DIGIT_RE = lazy_re(r"\d")


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
    # (a line's fields, read once per document: the sections and thread readers ask for the same sections)
    known: dict[int, list[Field]] = doc.__dict__.setdefault("_line_fields", {})
    for line in range(first, last + 1):
        if line in prose:
            found = known.get(line)
            if found is None:
                f = field_at(doc, line) or _field_inside(doc, line)
                found = known[line] = _each_field(f) if f else []
            out.extend(found)
    return out


def _field_inside(doc: Document, line: int) -> Field | None:
    """A bold label inside a line of prose (the field line above ran on: `(ticket 12). **Depends on:** P1-2`)."""
    raw = doc.lines[line - 1]
    if "**" not in raw and "__" not in raw:
        return None
    m = _NEXT_FIELD_RE.search(raw)
    if m is None or raw[m.start() : m.end()].strip(" ·|"):
        return None
    f = _FIELD_RE.match(raw[m.end() :])
    if not f or not f.group("o") or not f.group("value"):
        return None
    base = doc.offset(line) + m.end()
    return Field(
        f.group("name").strip().lower(), f.group("value"), Span(base + f.start("value"), base + f.end("value")), line
    )


# where the next field of a line starts: a bold label anywhere after a space (`… (ticket 12). **Depends on:**`),
# a plain one after `·` or `|` (`Status: erledigt · Voraussetzung: keine`)
_NEXT_FIELD_RE = lazy_re(
    r"\s(?:[·|]\s+)?(?=(?:\*\*|__)[^\W\d_][^*_:：]{0,40}?(?:[:：]\s*(?:\*\*|__)|(?:\*\*|__)\s*[:：]))"
    r"|\s[·|]\s+(?=[^\W\d_][^:：·|]{0,40}?[:：]\s)"
)


def _each_field(f: Field) -> list[Field]:
    """``f`` and the fields written after it on its line: `**Status:** Done · **Depends on:** P1-1` is two."""
    cuts = [m.start() for m in _NEXT_FIELD_RE.finditer(f.value)]
    if not cuts:
        return [f]
    out = []
    bounds = [0, *cuts, len(f.value)]
    for n, (a, b) in enumerate(itertools.pairwise(bounds)):
        part = f.value[a:b]
        if n == 0:
            out.append(Field(f.name, part.rstrip(), Span(f.span.start, f.span.start + len(part.rstrip())), f.line))
            continue
        m = _FIELD_RE.match(part.lstrip(" ·|")) or _FIELD_PLAIN_RE.match(part.lstrip(" ·|"))
        if not m or not m.group("value"):
            continue
        base = f.span.start + a + (len(part) - len(part.lstrip(" ·|")))
        out.append(
            Field(
                m.group("name").strip().lower(),
                m.group("value"),
                Span(base + m.start("value"), base + m.end("value")),
                f.line,
            )
        )
    return out
