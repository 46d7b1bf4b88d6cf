"""Sections read as units: what a `## Session 3: Title` section holds, containers of sections, dependencies
written for a whole container, status fields that name a section's units, statements of status elsewhere in
the document."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import Any

from syncbot.model import Problem, Session, Severity, Status
from syncbot.readers.common import Document, strip_inline
from syncbot.readers.container_names import container_names
from syncbot.readers.field_roles import is_status_name, status_names
from syncbot.readers.fields import Field, fields_in
from syncbot.readers.key_index import UNIT_WORDS, KeyIndex
from syncbot.readers.lazy_re import lazy_re
from syncbot.readers.ref_markers import MARKER_RE
from syncbot.readers.ref_scope import EXCEPT_OWN_RE
from syncbot.readers.refs import parse_refs
from syncbot.readers.status_fields import STATUS_FIELD_RE, dropped_by_heading
from syncbot.readers.status_words import classify_status
from syncbot.readers.structure import Heading, code_lines, prose_lines
from syncbot.readers.titles import slug


@dataclass
class SectionUnit:
    heading: Heading
    key: str
    session: Session
    fields: list[Field]


def forget_dropped(units: list[SectionUnit]) -> None:
    """A dropped unit is no prerequisite that `alle vorherigen Schritte` or `Phase 2` brought in: only one
    the dependency text names itself is kept."""
    gone = {u.key for u in units if u.session.status is Status.DROPPED}
    for u in units if gone else []:
        s = u.session
        raw = s.raw_prerequisites or ""
        s.prerequisites = [
            k for k in s.prerequisites if k not in gone or re.search(rf"(?<![\w.]){re.escape(k)}(?![\w.])", raw)
        ]


def section_parents(hs: list[Heading], units: list[SectionUnit]) -> dict[str, Heading]:
    """Each unit's container: the nearest heading above it of a higher level (`## 阶段 1：数据接入` over
    `### TASK-012-001`), when that heading is itself no unit."""
    own = {u.heading.line for u in units}
    out: dict[str, Heading] = {}
    stack: list[Heading] = []
    by_line = {u.heading.line: u for u in units}
    for h in hs:
        while stack and stack[-1].level >= h.level:
            stack.pop()
        u = by_line.get(h.line)
        if u is not None and stack and stack[-1].level > 1 and stack[-1].line not in own:
            out[u.key] = stack[-1]
        stack.append(h)
    return out


def section_containers(doc: Document, units: list[SectionUnit], parents: dict[str, Heading]) -> dict[str, list[str]]:
    """A container's names (`阶段 1`, `Phase 2: Store`, `Store`) -> its live members; a member struck through
    in its heading is no longer part of what `all of phase 2` waits for."""
    out: dict[str, list[str]] = {}
    for u in units:
        h = parents.get(u.key)
        if h is None:
            continue
        u.session.phase = u.session.phase or strip_inline(doc.fix(h.text))
        if dropped_by_heading(doc.fix(u.heading.text), u.session.title) is not None:
            continue
        for name in container_names(doc.fix(h.text)):
            out.setdefault(name, []).append(u.key)
    return out


def container_dependencies(
    doc: Document, units: list[SectionUnit], parents: dict[str, Heading], index: KeyIndex, independent: set[str]
) -> None:
    """A dependency stated once for a whole container, in its text before its first unit (`> 本阶段全部任务依赖
    阶段 1 完成`, `Everything in this section depends on section 2`), is a prerequisite of every member that
    does not say it waits for nothing."""
    members: dict[int, list[SectionUnit]] = {}
    for u in units:
        h = parents.get(u.key)
        if h is not None:
            members.setdefault(h.line, []).append(u)
    code = code_lines(doc) if members else set()
    for line, group in members.items():
        first = min(u.heading.line for u in group)
        for ln in range(line + 1, first):
            text = doc.fix(doc.lines[ln - 1])
            if ln in code or not MARKER_RE.search(text):
                continue
            refs = parse_refs(text, index, None, prose=True)
            own = {u.key for u in group}
            # (`（個別に書いたものを除く）`: the members that name their own keep them)
            said = {u.key for u in group if u.session.prerequisites} if EXCEPT_OWN_RE.search(text) else set()
            for k in refs.prerequisites:
                if k in own:
                    continue
                for u in group:
                    if u.key not in independent and u.key not in said and k not in u.session.prerequisites:
                        u.session.prerequisites.append(k)


class _Named:
    """A heading that is a unit by its `Status:` line rather than by a key (`### Billing`)."""

    def __init__(self, key: str, rest: str) -> None:
        self._groups = {"key": key, "rest": rest, "status": None, "word": "", "lead": ""}

    def group(self, name: str) -> str | None:
        return self._groups[name]


_NUMBERED_HEAD = lazy_re(rf"^[^\w]*(?:{UNIT_WORDS}|session|entry|day|iteration)\s+#?\d", re.IGNORECASE)


def status_field_sections(doc: Document, hs: list[Heading]) -> list[tuple[Heading, Any]]:
    """`### Billing` / `**Status:** 🚧 In progress` / `**Depends on:** Auth`: sibling headings whose own text
    (before any sub-heading) starts with a status field.  Keyed by their names; needs two of them, and most
    headings of their level."""
    prose = prose_lines(doc)
    starts = sorted(h.line for h in hs)
    found: dict[int, list[Heading]] = {}
    owns: list[tuple[Heading, list[Field]]] = []
    for h in hs:
        if h.level == 1 or _NUMBERED_HEAD.match(strip_inline(doc.fix(h.text))):
            continue
        i = bisect.bisect_right(starts, h.line)
        nxt = starts[i] if i < len(starts) else len(doc.lines) + 1
        owns.append((h, fields_in(doc, h.line + 1, min(nxt - 1, h.line + 8), prose)))
    learnt = status_names(doc, (own for _, own in owns))
    for h, own in owns:
        if any(is_status_name(f.name, learnt) and classify_status(doc.fix(f.value)) for f in own):
            found.setdefault(h.level, []).append(h)
    if not found:
        return []
    level, heads = max(found.items(), key=lambda kv: len(kv[1]))
    same_level = [h for h in hs if h.level == level]
    if len(heads) < 2 or 2 * len(heads) < len(same_level):
        return []
    # a sibling that carries the same status field is a unit too, whatever its value says (`**Stato:** da
    # avviare` beside `**Stato:** completata`): the value is a status the vocabulary does not know yet
    # (a short value alone, a word or three: `scrapped — staying with the router` is commentary we cannot read)
    stated = {id(h) for h in heads}  # (not `h in heads`: a list's `in` compares every heading's fields)
    labels = {f.name for h, own in owns if id(h) in stated for f in own if is_status_name(f.name, learnt)}
    heads = [h for h, own in owns if h.level == level and (id(h) in stated or any(_bare(f, labels) for f in own))]
    out: list[tuple[Heading, Any]] = []
    titles = [strip_inline(doc.fix(h.text)).strip() for h in heads]
    numbered = [_LEAD_NUMBER.match(t) for t in titles]
    if not all(numbered):
        # `### Attività 1.1 – Ricognizione`, `### Arbeitspaket 3 — …`: one word, the same on every heading, then
        # the number: a unit word of the document's own language
        worded = [_WORD_NUMBER.match(t) for t in titles]
        if all(worded) and len({m.group("word").lower() for m in worded if m}) == 1:
            numbered = [
                _LEAD_NUMBER.match(t[m.start("num") :]) if m else None for t, m in zip(titles, worded, strict=True)
            ]
    # `## 23. **Bold title**` over `- STATUS: …`: when every such heading leads with its own number, the
    # number is the key a trailer names (`Task: 23 done`), and the name is the rest
    by_number = all(numbered) and len({m.group("num") for m in numbered if m}) == len(numbered)
    for h, title, m in zip(heads, titles, numbered, strict=True):
        if by_number and m:
            out.append((h, _Named(m.group("num"), m.group("rest"))))
        elif key := section_slug(title):
            out.append((h, _Named(key, title)))
    return out


_WORD_NUMBER = lazy_re(r"^[^\w]*(?P<word>[^\W\d_]{3,20})\s+(?P<num>\d{1,4}(?:\.\d{1,3})*)\b")


def _bare(f: Field, labels: set[str]) -> bool:
    """A status field whose own value (up to the next field on its line) is a word or three, alone."""
    head = re.split(r"\s[·|]\s", f.value, maxsplit=1)[0]
    return f.name in labels and 0 < len(head.split()) <= 3 and not re.search(r"[—–(;:]|\s-\s", head)


# a heading that leads with its number: `1. Title`, `2.3 Title`, `02.A Title`, `4) Title`, `12 — Title` (not a year)
_LEAD_NUMBER = lazy_re(
    r"^[^\w]*(?P<num>(?!\d{4}\b)\d{1,4}(?:\.(?:\d{1,3}|[A-Z]\b))*)(?:[.)]\s*|\s*[-—–:]\s*|\s+)(?P<rest>\S.*)$"
)


def section_slug(s: str) -> str:
    return slug(s)[:60]


def document_status_lines(doc: Document, units: list[SectionUnit], index: KeyIndex, prose: set[int]) -> list[Problem]:
    """`Status: Step 1 in planning` above the sections, while Step 1's own heading says CURRENT: the unit's
    own section is what a careful reader goes by, and the disagreement is worth showing."""
    inside = {ln for u in units for ln in range(u.heading.line, u.heading.end_line + 1)}
    out = []
    by_key = {u.key: u.session for u in units}
    for f in fields_in(doc, 1, len(doc.lines), prose - inside):
        if not STATUS_FIELD_RE.match(f.name):
            continue
        refs = parse_refs(doc.fix(f.value), index).keys
        st = classify_status(doc.fix(f.value))
        if len(refs) != 1 or st is None:
            continue
        s = by_key[refs[0]]
        if s.status_spans and st is not s.status:
            out.append(
                Problem(
                    f.line,
                    Severity.WARNING,
                    f"this line says {refs[0]} is {st.value}, its section (line {s.line}) says {s.status.value}; "
                    "the section is used",
                )
            )
    return out


def key_by_id_field(units: list[SectionUnit]) -> dict[str, str]:
    """`## Sign the lease` / `ID: VHZ-1`: sections named by their headings that each carry their id in one
        field (an export of a database) are keyed by it, so `Task: VHZ-1 done` reaches them.  Returns the names
    (slugs) the sections had, to the ids they have now."""
    by_name: dict[str, dict[str, str]] = {}
    for u in units:
        for f in u.fields:
            m = _ID_VALUE_RE.fullmatch(f.value.strip().strip("`*_"))
            if m:
                by_name.setdefault(f.name, {}).setdefault(u.key, m.group(0))
    for ids in by_name.values():
        values = list(ids.values())
        if 3 * len(ids) >= 2 * len(units) and len(ids) >= 2 and len(set(values)) == len(values):
            break
    else:
        return {}
    for u in units:
        new = ids.get(u.key)
        if new is not None:
            u.key = u.session.key = new
    return ids


# an id as a database writes it: `VHZ-12`, `T-7`, `ABC123`, `#45`
_ID_VALUE_RE = lazy_re(r"#?[A-Za-z]{1,10}[-_]?\d{1,6}|#\d{1,6}")


def named_units(value: str, index: KeyIndex, named: dict[str, str]) -> tuple[str, list[str]]:
    """The units ``value`` names by their headings (`Auth, Sign the lease (3 offers)`), and ``value`` without
    those names, so the numbers inside a name are not read as keys."""
    keys: list[str] = []
    rest: list[str] = []
    # `/` parts names (`Auth / Sign the lease`), not a repository from its issue (`infra/k8s-platform#231`)
    for part in re.split(r"\s*(?:,|;|&|\band\b|/(?![\w.-]+#\d))\s*", strip_inline(value)):
        k = named.get(section_slug(part), section_slug(part))
        if k not in index.pos:
            bare = section_slug(re.sub(r"\([^)]*\)", "", part))
            k = named.get(bare, bare)
        if k in index.pos:
            keys.append(k)
        else:
            rest.append(part)
    return ", ".join(rest), keys
