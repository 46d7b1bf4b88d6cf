"""Units a log introduces as it goes: `- New **L-12**: interactive categorize TUI. Needs L-6.`, `→ new **L-11**
"Strip UTF-8 BOM in CSV importer", fixed in the same session ✅`.

An agent's progress log adds work it finds while doing other work, with a new key of the document's own
family in bold.  Such a line is the unit's definition: its title is the quoted name or the words after the
colon up to the end of the sentence, its status what the rest of the line says (planned when it says
nothing), and later entries of the log and its own sentences do the rest (``progress_log``, ``prose_deps``),
as for any unit.  Whatever reader read the document, this runs after it.
"""

from __future__ import annotations

import re

from syncbot.model import Problem, Session, SpanKind, Status, StatusSpan
from syncbot.readers.common import Document, strip_inline
from syncbot.readers.key_shapes import family_shape
from syncbot.readers.lazy_re import lazy_re
from syncbot.readers.outline import outline
from syncbot.readers.progress_log import apply_log
from syncbot.readers.ref_markers import MARKER_RE
from syncbot.readers.status_words import status_marks
from syncbot.readers.structure import code_lines, headings, tables
from syncbot.readers.titles import clean_title

# `new **L-11**`, `New **L-13** (experiment):`, `added **T-14**`, `neue **AP-7**`, `新增 **T-9**`
# `Split out **S-02b Periodic transactions** as its own task`: the key and its title in one bold run
_NEW_RE = lazy_re(
    r"(?:(?<![^\W_])(?:new|added|adding|opened|created|split\s+(?:out|off)|spun\s+off|neue?[rs]?|nuev[oa]|"
    r"nouvel(?:le)?|nouveau|nuov[oa]|nov[oa])"
    r"(?![^\W_])|新增|新建|新加)[^*\n]{0,20}?\*\*(?P<key>[^*\s]{2,20})(?:\s+(?P<named>[^*\n]{3,120}))?\*\*(?P<rest>.*)$",
    re.IGNORECASE,
)
_QUOTED_RE = lazy_re(r"^\s*[\"“«„](?P<title>[^\"”»“]{3,120})[\"”»“]")
_NAMED_RE = lazy_re(r"^\s*(?:\([^()]{0,40}\)\s*)?[:：—–-]\s*(?P<title>\S.*)$")
_BARE_RE = lazy_re(r"^\s+(?P<title>(?:~~)?[^\W\d_].*)$")  # (`**5.5** ~~Harbor~~ — ❌`: struck, dropped)
# `- **P2-4** custom 11-byte payload (…). Depends on P2-1.`: a log's item led by a new key in bold
# (`- **T22 — Onboarding sample data** (not started)`: the key and its name in one bold run)
_LEAD_RE = lazy_re(
    r"^\s*(?:[-*+]|\d+[.)])\s+\*\*(?P<key>[^*\s]{2,20})(?:\s+[—–:-]\s+(?P<named>[^*\n]{3,120}))?\*\*(?P<rest>.*)$"
)
_SENTENCE_END_RE = lazy_re(r"(?<!\d)\.(?:\s|$)|[;。；!?]|\s[—–]\s")
_AT_LEAST = 3  # units of the family a new key must join
_OTHER_KEY_RE = lazy_re(r"\**\s+\**[A-Z]{1,6}-?\d")


def _only_status(title: str) -> bool:
    """`- **P1-1** done`: an item that only says how a unit stands names no new one."""
    marks = status_marks(title)
    return bool(marks) and len(title.split()) <= 3


# `**P2-9** ❌ FAILED — parse the dump instead`: the status first, then the name
_STATUS_FIRST_RE = lazy_re(
    r"^\s*(?P<status>[^\w\s]{1,3}(?:\s*[^\W\d_][^\W\d_ ]*(?: [^\W\d_]+)?)?)\s*[—–:]\s*(?P<rest>\S.*)$"
)


def _title_and_rest(rest: str) -> tuple[str, str] | None:
    first = _STATUS_FIRST_RE.match(rest)
    if first is not None and status_marks(first.group("status")):
        return _title_and_rest(" " + first.group("rest"))  # (its status: see ``logged_units``)
    quoted = _QUOTED_RE.match(rest)
    if quoted:
        return quoted.group("title"), rest[quoted.end() :]
    named = _NAMED_RE.match(rest) or _BARE_RE.match(rest)  # `**P2-5** firmware update over the air. Depends …`
    if named is None:
        return None
    text = named.group("title")
    end = _SENTENCE_END_RE.search(text)
    title, after = (text[: end.start()], text[end.start() :]) if end else (text, "")
    marker = MARKER_RE.search(title)
    if marker and marker.start() > 0:  # `import from the Monzo API, needs L-5`: the dependency is no name
        title, after = title[: marker.start()], title[marker.start() :] + after
    return title.rstrip(" ,"), after


def logged_units(doc: Document, sessions: list[Session], problems: list[Problem]) -> list[Session]:
    """The units log lines introduce with a new key of the document's key family (see the module doc)."""
    if "**" not in doc.text or len(sessions) < _AT_LEAST:
        return []
    shapes: dict[str, int] = {}
    for s in sessions:  # (a family by its shape less a closing letter: `S-02b` joins `S-01`, `S-02`)
        shapes[family_shape(s.key)] = shapes.get(family_shape(s.key), 0) + 1
    taken = {s.key.lower() for s in sessions}
    skip = code_lines(doc) | {h.line for h in headings(doc)}
    skip |= {ln for t in tables(doc) for ln in [t.line, *(r[0] for r in t.rows)]}
    found: list[Session] = []
    ol = outline(doc)
    for n, raw in enumerate(doc.lines, 1):
        if n in skip or "**" not in raw:
            continue
        text = doc.fix(raw)
        m = _NEW_RE.search(text) or _LEAD_RE.match(text)
        if m is None:
            continue
        key = m.group("key").strip(".:,")
        if key.lower() in taken or shapes.get(family_shape(key), 0) < _AT_LEAST:
            continue
        item = next(iter(ol.items_between(n, n)), None)
        last = item.end_line if item is not None else n
        # (the whole of its item: `… itself depends on` / `P1-1. Written first thing today, **done**.`)
        rest = " ".join([m.group("rest"), *(doc.fix(doc.lines[k - 1]).strip() for k in range(n + 1, last + 1))])
        named = (m.groupdict().get("named"), rest) if m.groupdict().get("named") else _title_and_rest(rest)
        title = clean_title(strip_inline(named[0] or "")) if named else ""
        if not named or not title or (m.re is _LEAD_RE and _only_status(title)):
            continue
        taken.add(key.lower())
        s = Session(key=key, title=title, status=Status.PLANNED, status_text="", line=n, end_line=last)
        # (`not on the failed P1-3`: a status said of another unit is not this one's)
        first = _STATUS_FIRST_RE.match(m.group("rest"))
        if first is not None and (said := status_marks(first.group("status"))):
            offset = m.start("rest") + first.start("status")  # `**P2-9** ❌ FAILED — …`: the status ahead
        else:
            said = [mk for mk in status_marks(named[1]) if not _OTHER_KEY_RE.match(named[1], mk[1])]
            offset = m.start("rest") + len(m.group("rest")) - len(named[1])
            said = [mk for mk in said if offset + mk[1] <= len(text)]  # (said on its own line: a span there)
        if said:
            a, b, st, _ = said[-1]
            at = doc.find_in_line(n, text[offset + a : offset + b])
            s.status, s.status_text = st, text[offset + a : offset + b]
            if at is not None:
                s.status_spans = [StatusSpan(at, SpanKind.TEXT, n)]
        s.rule = "a log line that introduces it"
        found.append(s)
    if found:
        apply_log(doc, found, problems)  # later entries say what became of it
    return found
