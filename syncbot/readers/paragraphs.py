"""Reader for the paragraphs shape: a plan written as prose, one paragraph a unit, each led by its id in bold.

    **P1-2 · Hugging Face datasets loader** — _done_.
    Resolves registry entries to `datasets.Dataset` objects. It reads the registry, so it came after P1-1.

    **~~P2-5 · Ray-based distributed runner~~** — _cut_.

The bold lead names the unit (id, then title); the status is the word after it, set off by a dash or a
colon; a struck lead is dropped.  The paragraph's own sentences hold its dependencies (read for every
reader by :mod:`prose_deps`), and the heading above is its phase.
"""

from __future__ import annotations

import re

from syncbot.model import Session, SpanKind, Status, StatusSpan
from syncbot.readers.common import Document, ReadResult
from syncbot.readers.item_ids import lead_id
from syncbot.readers.kinds import UNIT_KINDS
from syncbot.readers.lazy_re import lazy_re
from syncbot.readers.outline import Outline, outline
from syncbot.readers.status_words import classify_status, status_marks
from syncbot.readers.task_roadmap import phase_of
from syncbot.readers.titles import clean_title

# `**P1-2 · Title**`, `__~~P2-5 Title~~__`, `**[P3-1] Title:**`: a bold lead and what follows it
# (an underscore inside a word is the name's own: `**Step 29: Rollout with \`PG_QUEUE=1\`**`)
_LEAD_RE = lazy_re(
    r"^(?P<open>\*\*|__)(?P<strike>~~)?(?P<name>(?:[^*_\n]|(?<=\w)_(?=\w))+?)(?P=strike)?(?P=open)(?P<after>.*)$"
)
_STRUCK_SPAN_RE = lazy_re(r"^\s*~~[^~\n]+~~")
_STRUCK_LEAD_RE = lazy_re(r"^~~(?P<name>[^~]+)~~(?P<after>.*)$")
# the status after the lead: `— _done_.`, `: wip (@ravi)`, `– **blocked**`
_STATUS_AFTER_RE = lazy_re(r"^\s*(?P<sep>[—–:\-]?)\s*(?P<said>[^.;()\n]{1,40})")
# `**1. Content inventory.**`: a numbered lead (a bold lead is no count: `**3 tests**` has no title mark)
_NUMBERED_RE = lazy_re(r"^(?P<id>\d{1,3}(?:\.\d{1,3})*)[.)]\s+(?=\S)")
_BARE_NUMBER_RE = lazy_re(r"(?P<id>\d{1,3}(?:\.\d{1,3})*)[.)]?")  # `**1.**`: the number alone in bold
_SEPARATOR_RE = lazy_re(r"^[\s·•:.\-–—|]+")
_AT_LEAST = 3


def _paragraph_starts(ol: Outline) -> list[tuple[int, int]]:
    """(first line, last line) of every paragraph: text lines outside lists, tables, headings and code."""
    doc = ol.doc
    heading_lines = {h.line for h in ol.headings}
    item_lines = {n for it in ol.items for n in range(it.line, it.end_line + 1)}
    out: list[tuple[int, int]] = []
    start: int | None = None
    for n, raw in enumerate(doc.lines, 1):
        plain = raw.strip()
        ends = (
            not plain
            or n in heading_lines
            or n in ol.code_lines
            or n in item_lines
            or plain.startswith(("|", ">", "<"))
        )
        if ends:
            if start is not None:
                out.append((start, n - 1))
            start = None
        elif start is None:
            start = n
    if start is not None:
        out.append((start, len(doc.lines)))
    return out


def _numbered(name: str) -> tuple[str, int] | None:
    m = _NUMBERED_RE.match(name) or _KIND_NUMBER_RE.match(name) or _BARE_NUMBER_RE.fullmatch(name)
    return (m.group("id"), m.end()) if m else None


# `**Episode 3 — Interviews.**`, `**Step 2: Schema**`: a kind word and its number lead the bold run
_KIND_NUMBER_RE = lazy_re(
    rf"^(?:{UNIT_KINDS}|episode|episodio|episódio|épisode|folge)\s+(?P<id>\d{{1,3}}(?:\.\d{{1,3}})*)(?=\s*[—–:.\-·]\s*\S)",
    re.IGNORECASE,
)


def _unit(ol: Outline, first: int, last: int) -> Session | None:
    line = ol.doc.fix(ol.doc.lines[first - 1])
    m = _LEAD_RE.match(line.strip())
    if m is None:
        return None
    name, after, struck = m.group("name"), m.group("after"), bool(m.group("strike"))
    inner = _STRUCK_LEAD_RE.match(name)
    if inner:
        name, struck = inner.group("name"), True
    found = lead_id(name.strip()) or _numbered(name.strip())
    if found is None:
        return None
    key, end = found
    title = clean_title(_SEPARATOR_RE.sub("", name.strip()[end:]).rstrip(" .:"))
    if not title:
        # `**1.** 文献综述：整理近五年论文。【已完成】`: the bold run holds only the number; the words after it are the
        # title up to its sentence's end, and a status in brackets says how it stands
        return _id_lead_unit(ol, line, m.start("after") + len(line) - len(line.lstrip()), key, first, last)
    status, status_text, spans = Status.PLANNED, "", []
    # `~~Move all 340 old posts~~ Dropped at the Jan 28 meeting`: the struck words are what was dropped
    after = _STRUCK_SPAN_RE.sub(lambda x: " " * len(x.group(0)), after, count=1)
    said = _STATUS_AFTER_RE.match(after)
    # `_done_`: the emphasis around the word is no part of it (blanked, so positions stay)
    marks = status_marks(re.sub(r"[*_`~]", " ", said.group("said"))) if said else []
    if said and not said.group("sep"):
        marks = marks[:1] if marks and marks[0][0] <= 4 else []  # `Done (January).`: the first words only
    if marks:
        a0, b0, status, _ = marks[0]
        offset = len(line) - len(line.lstrip()) + m.start("after") + said.start("said")  # type: ignore[union-attr]
        a, b = offset + a0, offset + b0
        status_text = line[a:b]
        spans = [StatusSpan(ol.span(first, 0, line[a:b], line[:a]), SpanKind.TEXT, first)]
    if struck and status is not Status.DONE:
        status, status_text = Status.DROPPED, status_text or "~~"
    return _session(ol, key, title, (status, status_text, spans), first, last)


_BRACKET_STATUS_RE = lazy_re(r"[【\[［]([^】\]］\n]{1,12})[】\]］]")
_TITLE_END_RE = lazy_re(r"[。．]|\.(?:\s|$)|[【\[［]")


def _id_lead_unit(ol: Outline, line: str, at: int, key: str, first: int, last: int) -> Session | None:
    after = line[at:]
    end = _TITLE_END_RE.search(after)
    title = clean_title(_SEPARATOR_RE.sub("", after[: end.start() if end else len(after)]).strip())
    if not title:
        return None
    status, status_text, spans = Status.PLANNED, "", []
    for b in _BRACKET_STATUS_RE.finditer(after):
        st = classify_status(b.group(1))
        if st is not None:
            a0, b0 = at + b.start(), at + b.end()
            status, status_text = st, line[a0:b0]
            spans = [StatusSpan(ol.span(first, 0, line[a0:b0], line[:a0]), SpanKind.TEXT, first)]
            break
    return _session(ol, key, title, (status, status_text, spans), first, last)


def _session(
    ol: Outline, key: str, title: str, said: tuple[Status, str, list[StatusSpan]], first: int, last: int
) -> Session:
    status, status_text, spans = said
    return Session(
        key=key,
        title=title,
        status=status,
        status_text=status_text,
        line=first,
        end_line=last,
        status_spans=spans,
        phase=phase_of(ol, first),
    )


def _plain_unit(ol: Outline, first: int, last: int, kinds: set[str]) -> Session | None:
    """`Étape 1 — Annuaire des adhérents` over `: Terminée le 12 janvier.`: a paragraph led by a kind word the
    bold leads use, unbolded, its status on the definition line below it."""
    doc = ol.doc
    line = doc.fix(doc.lines[first - 1])
    m = _PLAIN_LEAD_RE.match(line)
    if m is None or m.group("kind").lower() not in kinds:
        return None
    title = clean_title(m.group("title").rstrip(" ."))
    if not title:
        return None
    status, status_text, spans = Status.PLANNED, "", []
    if last > first and (d := _DEFINITION_RE.match(below := doc.fix(doc.lines[first]))) is not None:
        marks = status_marks(re.sub(r"[*_`~]", " ", d.group("said")))
        if marks:
            a, b = d.start("said") + marks[0][0], d.start("said") + marks[0][1]
            status, status_text = marks[0][2], below[a:b]
            spans = [StatusSpan(ol.span(first + 1, 0, below[a:b], below[:a]), SpanKind.TEXT, first + 1)]
    return _session(ol, m.group("id"), title, (status, status_text, spans), first, last)


_PLAIN_LEAD_RE = lazy_re(
    rf"^\s*(?P<kind>{UNIT_KINDS})\s+(?P<id>\d{{1,3}}(?:\.\d{{1,3}})*)\s*[—–:.\-·]\s*(?P<title>\S.*)$", re.IGNORECASE
)
_DEFINITION_RE = lazy_re(r"^:\s+(?P<said>[^.;()\n]{1,40})")
_KIND_RE = lazy_re(rf"^(?P<kind>{UNIT_KINDS})\s", re.IGNORECASE)


def read(doc: Document) -> ReadResult:
    ol = outline(doc)
    sessions: list[Session] = []
    keys: set[str] = set()
    paragraphs = _paragraph_starts(ol)
    for first, last in paragraphs:
        s = _unit(ol, first, last)
        if s is not None and s.key not in keys:
            keys.add(s.key)
            sessions.append(s)
    # and the paragraphs led by the same kind word unbolded (`Étape 1 — …` under `## Fait`)
    kinds = {k.group("kind").lower() for s in sessions if (k := _KIND_RE.match(doc.fix(doc.lines[s.line - 1])[2:]))}
    if len(sessions) >= _AT_LEAST and kinds:
        for first, last in paragraphs:
            s = _plain_unit(ol, first, last, kinds)
            if s is not None and s.key not in keys:
                keys.add(s.key)
                sessions.append(s)
        sessions.sort(key=lambda u: u.line)
    notes: list[str] = []
    if len(sessions) < _AT_LEAST:
        shown = ", ".join(str(a) for a, _ in paragraphs[:8]) + (", …" if len(paragraphs) > 8 else "")
        notes.append(
            "looked for paragraphs led by a bold id (`**P1-2 · Title** — done.`): "
            f"{len(sessions)} among the {len(paragraphs)} paragraphs"
            + (f" (lines {shown})" if paragraphs else " outside lists, tables and headings (no line)")
            + f", fewer than {_AT_LEAST}"
        )
        return ReadResult("paragraphs", [], [], [], ol.title(), notes, 0.0)
    return ReadResult("paragraphs", sessions, [], [], ol.title(), notes, 0.9)
