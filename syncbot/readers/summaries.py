"""Summary lines a writer keeps current: `Completed: 0/8`, `Next Ready: Session 1`, `Overall Progress: 40%`,
a progress label inside a heading, `7 of 8 tasks completed`.  Only the value spans are reported."""

from __future__ import annotations

import re

from syncbot.model import Span, SummaryKind, SummaryLine
from syncbot.readers.common import Document
from syncbot.readers.key_index import UNIT_WORDS
from syncbot.readers.key_shapes import KEY_CORE
from syncbot.readers.lazy_re import lazy_re

# (the blanks after the label taken whole, `\s*+`: the colon's own `\s*` after them took each way of sharing a
# run of blanks between the two, for each length of the label: 20,000 blanks after `- Parser` took 12 s)
_SUMMARY_LABEL = lazy_re(
    r"^\s*(?:[-*+]\s+)?(?:\*\*|__)?(?P<label>[A-Za-z][A-Za-z ]{1,40}?)\s*+(?::\s*(?:\*\*|__)|(?:\*\*|__)?\s*:)\s*",
)
_COMPLETED_LABELS = lazy_re(r"^(?:sessions?\s+|tasks?\s+|units?\s+)?(?:completed?|done|finished)(?:\s+sessions?)?$")
_NEXT_LABELS = lazy_re(r"^next(?:\s+(?:ready|up|session|step|task))*$")
_PROGRESS_LABELS = lazy_re(r"^(?:overall\s+|total\s+)?(?:progress|completion)$")


_COUNT_OR_PERCENT = lazy_re(
    r"(?:\d+\s*/\s*\d+|\d+(?:\.\d+)?\s*%)(?:\s*(?:sessions?|tasks?|units?|steps?|complete[d]?|done))?"
    r"(?:\s*\(\s*(?:\d+\s*/\s*\d+|\d+(?:\.\d+)?\s*%)(?:\s+[a-z]+){0,2}\s*\))?",
    re.IGNORECASE,
)


def _counts(line: int, base: int, value: str) -> list[SummaryLine]:
    out = []
    for m in re.finditer(r"(\d+\s*/\s*\d+)|(\d+(?:\.\d+)?\s*%)", value):
        kind = SummaryKind.COMPLETED if m.group(1) else SummaryKind.PROGRESS
        out.append(SummaryLine(kind, line, Span(base + m.start(), base + m.end()), m.group(0)))
    return out


def summary_lines(doc: Document, prose: set[int] | None = None) -> list[SummaryLine]:
    """`Completed: 0/8`, `Next Ready: Session 1`, `Overall Progress: 40%` -- the value spans only.  Without
    ``prose`` (the document's prose lines) the answer is worked out once per document: several readers ask."""
    if prose is None:
        known: list[SummaryLine] | None = doc.__dict__.get("_summary_lines")
        if known is None:
            known = doc.__dict__["_summary_lines"] = _summary_lines(doc, doc.structure.prose)
        return list(known)
    return _summary_lines(doc, prose)


def _summary_lines(doc: Document, prose: set[int]) -> list[SummaryLine]:
    out: list[SummaryLine] = []
    for line in sorted(prose):
        raw = doc.lines[line - 1]
        m = _SUMMARY_LABEL.match(raw)
        if not m:
            continue
        label = " ".join(m.group("label").lower().split())
        rest = raw[m.end() :]
        base = doc.offset(line, m.end())
        if _COMPLETED_LABELS.match(label) or _PROGRESS_LABELS.match(label):
            # `Completed: 2/8 (25%)`, `Progress: 40% (2/5)`: each figure is a value the writer keeps current
            v = _COUNT_OR_PERCENT.match(rest)
            if v:
                out.extend(_counts(line, base, v.group(0)))
        elif _NEXT_LABELS.match(label):
            v = re.match(rf"(?:{UNIT_WORDS}\s+)?#?(?:{KEY_CORE})(?:\s*(?:,|&|and)\s*#?(?:{KEY_CORE}))*", rest, re.I)
            if v:
                out.append(SummaryLine(SummaryKind.NEXT_READY, line, Span(base, base + v.end()), v.group(0)))
    return out


_PROGRESS_LABEL_RE = lazy_re(r"\b(?:overall\s+|total\s+)?progress\b[*_\s]*:[*_\s]*", re.IGNORECASE)
_N_OF_M_RE = lazy_re(r"\b\d+\s+of\s+\d+\b")
_PERCENT_RE = lazy_re(r"\b\d+(?:\.\d+)?\s*%")


def outline_summary_lines(doc: Document) -> list[SummaryLine]:
    """The summary lines a writer keeps current: those :func:`summary_lines` finds, plus a progress label inside a
    heading (`## 🎯 **Overall Progress: 100% Complete**`) and counts written `7 of 8 tasks completed`.  Worked
    out once per document (the heading and list readers all ask)."""
    known: list[SummaryLine] | None = doc.__dict__.get("_outline_summary_lines")
    if known is None:
        known = doc.__dict__["_outline_summary_lines"] = _outline_summary_lines(doc)
    return list(known)


def _outline_summary_lines(doc: Document) -> list[SummaryLine]:
    st = doc.structure
    out = summary_lines(doc)
    have = {(s.line, s.kind) for s in out}
    lines = sorted({h.line for h in st.headings} | st.prose_lines | st.table_lines)
    for n in lines:
        if n in st.code_lines:
            continue
        raw = doc.lines[n - 1]
        # (a line without the word is no progress label: the search, case aside, took 28 ms on 20,000 task
        # lines, the test 1.5 ms; every character the search takes for a letter of it case-folds to that letter)
        m = _PROGRESS_LABEL_RE.search(raw) if "progress" in raw.casefold() else None
        if not m:
            continue
        value = raw[m.end() :]
        found: list[tuple[SummaryKind, re.Match[str]]] = []
        nm = _N_OF_M_RE.match(value)
        if nm:
            found.append((SummaryKind.COMPLETED, nm))
        pm = _PERCENT_RE.search(value)
        if pm and (pm.start() == 0 or nm):
            found.append((SummaryKind.PROGRESS, pm))
        for kind, vm in found:
            if (n, kind) in have:
                continue
            start = doc.offset(n, m.end() + vm.start())
            out.append(SummaryLine(kind, n, Span(start, start + len(vm.group(0))), vm.group(0)))
            have.add((n, kind))
    return sorted(out, key=lambda s: (s.line, s.span.start))
