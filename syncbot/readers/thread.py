"""Reader for the thread shape: an append-only log of `## Session 00 - 2025-09-30 - Planning` entries.

Entries come from heading tokens, so a template inside a fenced code block is never an entry.  A later
entry for a key already seen (an ADDENDUM, a "continued") updates that unit: its status is the latest
one written.  An entry without a status field records work that happened, so it reads as done.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from dataclasses import dataclass

from syncbot.model import Session, Span, SpanKind, Status, StatusSpan
from syncbot.readers.checklists import Items, checklist_problems, task_items
from syncbot.readers.common import Document, ReadResult, strip_inline
from syncbot.readers.fields import fields_in
from syncbot.readers.heading_status import heading_span_kind, pure_status, status_in_heading, trailing_status
from syncbot.readers.key_index import KeyIndex
from syncbot.readers.lazy_re import lazy_re
from syncbot.readers.refs import parse_refs
from syncbot.readers.status_fields import DEPENDS_FIELD_RE, status_head
from syncbot.readers.structure import Heading, headings, prose_lines, title_of
from syncbot.readers.summaries import summary_lines

_ENTRY_RE = lazy_re(
    r"^(?P<lead>[^\w]*)(?P<date>(?:\d{4}-\d{2}-\d{2}|\d{1,2}/\d{1,2}/\d{2,4})\s*[-—–:|·•]?\s*)?"
    r"(?P<word>(?:session|entry|day|iteration|sprint|log|sesi[oó]n|sitzung|s[eé]ance)(?=\s)|세션|セッション|会话)\s*#?"
    r"(?P<key>\d+(?:\.\d+)*[a-z]?|[A-Z]{1,4}-?\d+)(?![\w.-])\s*(?P<rest>.*)$",
    re.IGNORECASE,
)
_PART_SPLIT = lazy_re(r"\s+[-—–|·•]\s+|:\s+")
_DATE = lazy_re(
    r"\d{4}-\d{2}-\d{2}|\d{1,2}/\d{1,2}/\d{2,4}|"
    r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2},?\s+\d{4}",
    re.IGNORECASE,
)
# the field naming an entry's status, in the languages trackers are written in
_STATUS_NAMES = frozenset(
    ("status", "state", "result", "outcome", "estado", "stand", "statut", "état", "상태", "状态", "状態")
)
_STATUS_SEGMENT = lazy_re(r"\s*[-—–|(\[]?\s*\b(?:status|state)\s*:\s*[^)\]]*[)\]]?\s*$", re.IGNORECASE)
_FILLER = lazy_re(r"^(?:addendum|continued|\(continued\)|cont\.?|update|part\s+\d+)$", re.IGNORECASE)


@dataclass
class _Entry:
    heading: Heading
    key: str
    title: str
    dated: bool
    lead: str = ""  # what comes before the entry word: `✅ Session 4: API layer`


def _entries(doc: Document, hs: list[Heading]) -> list[_Entry]:
    found: list[_Entry] = []
    for h in hs:
        plain = strip_inline(doc.fix(h.text))
        m = _ENTRY_RE.match(plain)
        if not m:
            continue
        rest = m.group("rest").lstrip("-—–:|.·• ").strip()
        # `session 1: setup — status: done`: a status written in the heading is no part of the title
        rest = _STATUS_SEGMENT.sub("", rest).strip()
        parts = [p.strip() for p in _PART_SPLIT.split(rest) if p.strip()]
        parts = [p[:cut].strip() if (cut := trailing_status(p)) else p for p in parts]
        dated = bool(m.group("date") or _DATE.search(rest))
        named = [
            p for p in parts if _DATE.sub("", p).strip(" ()[],") and not _FILLER.match(p) and pure_status(p) is None
        ]
        lead = m.group("lead").strip(" #*_")
        found.append(_Entry(h, m.group("key"), " - ".join(named) if named else rest, dated, lead))
    # the one undated H1 over other headings is the document's title (`# Sprint 14 board`), not an entry
    h1 = [h for h in hs if h.level == 1]
    if len(h1) == 1 and len(hs) > 1:
        found = [e for e in found if e.heading is not h1[0] or e.dated]
    if not found:
        return found
    # a log keeps its entries at one heading level; other levels are cross-references ("### Session 2 notes")
    level = Counter(e.heading.level for e in found).most_common(1)[0][0]
    return [e for e in found if e.heading.level == level]


def read(doc: Document) -> ReadResult:
    res = ReadResult(reader="thread", title=title_of(doc))
    hs = headings(doc)
    entries = _entries(doc, hs)
    if not entries:
        # `**2025-03-01 — Session 1: Setup.** Status: done. …`: a log of bold-led paragraphs
        entries = _entries(doc, _bold_entries(doc, hs))
    res.notes.extend(_fenced_entries(doc))
    if not entries:
        res.notes.append(
            "looked for log entries: headings like `## Session 00 - 2025-09-30 - Title` (outside code fences); "
            f"none of the {len(hs)} headings starts with Session/Entry/Day/Iteration/Sprint and a number {_lines(hs)}"
        )
        res.confidence = 0.0
        return res
    items = Items(task_items(doc))
    prose = prose_lines(doc)
    by_key: dict[str, Session] = {}
    depends: dict[str, list[str]] = {}
    with_status: set[str] = set()
    signals = 0
    for e in entries:
        h = e.heading
        s = by_key.get(e.key)
        if s is None:
            s = Session(key=e.key, title=e.title, status=Status.DONE, status_text="", line=h.line)
            by_key[e.key] = s
        s.end_line = max(s.end_line, h.end_line)
        s.checklist.extend(items.within(h.line + 1, h.end_line))
        status_written = False
        for f in fields_in(doc, h.line + 1, h.end_line, prose):
            if f.name in _STATUS_NAMES:
                # `In Progress — finishing error handling`: the status is the head, the rest is commentary
                st, span, raw = status_head(doc, f.value, f.span)
                if st is not None and not status_written:
                    # the latest entry for a key is where its status now lives; older ones are history
                    s.status, s.status_text = st, doc.fix(raw)
                    s.status_spans = [StatusSpan(span, SpanKind.FIELD, f.line)]
                    status_written = True
            elif f.name in ("duration", "time spent", "time") and s.duration is None:
                s.duration = strip_inline(doc.fix(f.value))
            elif DEPENDS_FIELD_RE.match(f.name):
                depends.setdefault(e.key, []).append(doc.fix(f.value))
        if not status_written and h.level == _BOLD_LEVEL:
            found_inline = _inline_status(doc, h.line)
            if found_inline is not None:
                s.status, span, raw = found_inline
                s.status_text = doc.fix(raw)
                s.status_spans = [StatusSpan(span, SpanKind.FIELD, h.line)]
                status_written = True
        if not status_written:
            key_end = doc.lines[h.line - 1].find(e.key)
            found = status_in_heading(doc, h.line, key_end + len(e.key)) if key_end >= 0 else None
            if found is None and e.lead:
                found = _lead_status(doc, h, e.lead)
            if found is not None:
                s.status, span, raw = found[0], found[1], found[2]
                s.status_text = doc.fix(raw)
                s.status_spans = [StatusSpan(span, heading_span_kind(raw), h.line)]
                status_written = True
        if status_written:
            with_status.add(e.key)
        signals += status_written or e.dated
    sessions = list(by_key.values())
    index = KeyIndex([s.key for s in sessions])
    for key, values in depends.items():
        s = by_key[key]
        for value in values:
            refs = parse_refs(value, index, key)
            s.prerequisites.extend(k for k in refs.prerequisites if k not in s.prerequisites)
        s.raw_prerequisites = "; ".join(strip_inline(v) for v in values)
    for s in sessions:
        res.problems.extend(checklist_problems(s.checklist))
        if s.key not in with_status:
            res.notes.append(
                f"line {s.line}: entry for {s.key} has no status field; a log entry records work "
                "done, so it reads as done"
            )
    # revisiting a key later (an ADDENDUM) is how a log updates; only first appearances must be in order
    keys_in_order = list(dict.fromkeys(e.key for e in entries))
    ordered = all(_num(a) <= _num(b) for a, b in itertools.pairwise(keys_in_order))
    # status fields or dates on the entries are what make a log a log; a bare "Session N" heading could be
    # a per-session section of some other shape, and entries out of order are not appended in time
    res.confidence = (0.3 + 0.7 * signals / len(entries)) * (1.0 if ordered else 0.5)
    if _plan_like(entries, sessions):
        # `## Session 3: Writer` / `Status: planned` / `Depends on: Session 2`, undated and each unit once: a
        # plan of sections written ahead of the work, not a log written after it
        res.confidence *= 0.5
        res.notes.append("undated entries, each unit once, with work still ahead: this reads as the sections shape")
    if len(entries) >= 2 and not with_status and not any(s.title for s in sessions):
        # `### 2025-01-08 — session 1` / `M1.T1 done. Started M1.T2`: entries named by nothing but a date and
        # a count, none with a status, are a diary of the work on other units, not units themselves
        res.confidence *= 0.5
        res.notes.append("entries with neither a name nor a status: a diary about other units")
    res.sessions = sessions
    res.summary_lines = summary_lines(doc)
    res.notes.append(
        f"{len(entries)} log entries for {len(sessions)} units at heading level {entries[0].heading.level}"
    )
    return res


_BOLD_LEVEL = 7  # below any markdown heading: a bold-led paragraph standing in for an entry heading
_BOLD_LEAD = lazy_re(r"^\s*(\*\*|__)(?P<inner>[^*_]+?)\1")
_INLINE_STATUS = lazy_re(r"\b(?:status|state|estado)\s*:\s*(?P<value>[^.;\n]+)", re.IGNORECASE)


def _bold_entries(doc: Document, hs: list[Heading]) -> list[Heading]:
    """Top-level paragraphs that open with a bold entry name, as pseudo-headings (at least two of them);
    each runs to the next one or the next heading."""
    starts: list[tuple[int, str]] = []
    for line, content in doc.structure.paragraphs:
        m = _BOLD_LEAD.match(content)
        if m and _ENTRY_RE.match(strip_inline(doc.fix(m.group("inner")))):
            starts.append((line, m.group("inner").strip().rstrip(".")))
    if len(starts) < 2:
        return []
    bounds = sorted({line for line, _ in starts} | {h.line for h in hs} | {len(doc.lines) + 1})
    out = []
    for line, text in starts:
        nxt = bounds[bounds.index(line) + 1]
        out.append(Heading(_BOLD_LEVEL, line, nxt - 1, text))
    return out


def _inline_status(doc: Document, line: int) -> tuple[Status, Span, str] | None:
    """`Status: done.` written in the paragraph that opens a bold-led entry."""
    raw = doc.lines[line - 1]
    lead = _BOLD_LEAD.match(raw)
    m = _INLINE_STATUS.search(raw, lead.end() if lead else 0)
    if not m:
        return None
    value = m.group("value").rstrip()
    st, span, text = status_head(
        doc, value, Span(doc.offset(line, m.start("value")), doc.offset(line, m.start("value") + len(value)))
    )
    return (st, span, text) if st is not None else None


def _lead_status(doc: Document, h: Heading, lead: str) -> tuple[Status, Span, str] | None:
    """A status emoji written before the entry word (`## ✅ Session 4: API layer`)."""
    st = pure_status(lead)
    raw = doc.lines[h.line - 1]
    col = raw.find(lead) if st is not None and not doc.mojibake else -1
    if st is None or col < 0:
        return None
    return st, Span(doc.offset(h.line, col), doc.offset(h.line, col + len(lead))), lead


def _fenced_entries(doc: Document) -> list[str]:
    """Entry-like headings inside code fences: templates to copy, which say nothing about the work."""
    notes = []
    for tok in doc.structure.fences:
        if not tok.map:
            continue
        for i, raw in enumerate(tok.content.splitlines()):
            text = raw.lstrip("#").strip()
            if raw.startswith("#") and re.match(r"(?i)[^\w]*(session|entry|day|iteration|sprint)\b", text):
                line = tok.map[0] + 2 + i
                notes.append(f"line {line}: {doc.fix(raw.strip())!r} is inside a code fence (a template), not an entry")
    return notes


def _plan_like(entries: list[_Entry], sessions: list[Session]) -> bool:
    if any(e.dated for e in entries) or len(entries) != len(sessions) or len(sessions) < 2:
        return False
    return any(s.status in (Status.PLANNED, Status.READY) and s.status_spans for s in sessions)


def _num(key: str) -> float:
    m = _NUM_RE.search(key)
    return float(m.group(0)) if m else 0.0


_NUM_RE = lazy_re(r"\d+(?:\.\d+)?")


def _lines(hs: list[Heading]) -> str:
    if not hs:
        return ""
    shown = ", ".join(str(h.line) for h in hs[:8])
    return f"(lines {shown}{' and more' if len(hs) > 8 else ''})"
