"""Dependencies of task units: written on items and in fields, in a heading's preamble over its tasks (`Depends
on Phase 2`), in statements about a unit elsewhere; resolved once every key is known."""

from __future__ import annotations

import bisect
import re

from syncbot.model import Problem, Severity
from syncbot.readers.common import strip_inline
from syncbot.readers.key_index import KeyIndex
from syncbot.readers.lazy_re import lazy_re
from syncbot.readers.outline import Outline
from syncbot.readers.ref_markers import MARKER_RE
from syncbot.readers.refs import parse_refs
from syncbot.readers.status_fields import DEPENDS_FIELD_RE
from syncbot.readers.task_roadmap import containers
from syncbot.readers.task_units import (
    TaskUnit,
)

_SUBJECT_KEY = r"#?[A-Za-z]{0,6}[-_]?\d+(?:[.\-_][A-Za-z0-9]+)*"


_SUBJECT_RE = lazy_re(
    rf"^[\s>*_`+\-]*(?P<keys>{_SUBJECT_KEY}(?:\s*(?:,|/|&|\.\.|–|~|\band\b|\by\b|\be\b|\bet\b|\bund\b|、|和|与|及)\s*"
    rf"{_SUBJECT_KEY})*)(?![\w.-])(?P<rest>.*)$",
    re.IGNORECASE,
)


_CLAUSE_SPLIT_RE = lazy_re(r";|；|。|\.\s")


def _container_preambles(ol: Outline, units: list[TaskUnit]) -> list[tuple[str, bool, list[TaskUnit]]]:
    """What a heading over tasks says they all wait for, before its first task: `> Everything here needs
    Phase 1`, or a prerequisites field (`**준비 사항**:` over `- Phase 2 완료`).  Returns (the text, whether
    it is prose, the heading's tasks that do not say they wait for nothing)."""
    out: list[tuple[str, bool, list[TaskUnit]]] = []
    # by line (the tasks of a heading are a slice; their order only says whose prerequisites grow first)
    listed = sorted((u for u in units if u.item is not None), key=lambda u: u.session.line)
    lines = [u.session.line for u in listed]
    heading_lines = [g.line for g in ol.headings]  # document order
    for h in ol.headings:
        members = listed[bisect.bisect_right(lines, h.line) : bisect.bisect_right(lines, h.end_line)]
        if not members:
            continue
        first = members[0].session.line
        inner = heading_lines[bisect.bisect_right(heading_lines, h.line) : bisect.bisect_left(heading_lines, first)]
        stop = min([first, *inner])  # a sub-heading's own preamble is its own
        said: list[tuple[str, bool]] = []
        field_open = False
        for n in range(h.line + 1, stop):
            if n in ol.code_lines:
                continue
            line = strip_inline(ol.doc.fix(ol.doc.lines[n - 1])).strip()
            label = _LABEL_RE.match(line)
            if label:
                field_open = bool(DEPENDS_FIELD_RE.match(label.group("name").strip().lower()))
                value = label.group("v").strip()
                if field_open and value:
                    said.append((value, False))
                continue
            if field_open and re.match(r"^[-*+]\s", line):
                # `- 리소스 확보 (프론트엔드 1명)`: a parenthesised remark on an item is a note, not a reference
                said.append((re.sub(r"\([^()]*\)|（[^（）]*）", " ", line[2:]), False))
                continue
            field_open = False
            if MARKER_RE.search(line):
                said.append((line, True))
        if said:  # (the tasks are looked at only for a heading whose opening says something)
            quiet = [u for u in members if not any(_NONE_SAID_RE.search(t) for t in u.deps)]
            out.extend((text, prose, quiet) for text, prose in said)
    return out


_LABEL_RE = lazy_re(r"^(?P<name>[^:：]{1,30})[:：]\s*(?P<v>.*)$")


_NONE_SAID_RE = lazy_re(r"^\s*(?:none|nothing|없음|なし|无|無)\b", re.IGNORECASE)


# `T027 only after T026, and T028 after T027`: a comma and `and` may open a statement of its own
# (`, and T004 …`, and `T010 blocks T011, T011 blocks T012` with no word at all)
_AND_KEY_RE = lazy_re(rf"(,\s+(?:(?:and|y|und|et|e|i|и)\s+)?)(?={_SUBJECT_KEY}\b)", re.IGNORECASE)


def _statement_clauses(line: str) -> list[str]:
    """The clauses of a line, split at sentence ends and where `, and KEY …` states a dependency of its own
    (else `, and T004` belongs to the list before it)."""
    out: list[str] = []
    for clause in _CLAUSE_SPLIT_RE.split(line):
        pieces = _AND_KEY_RE.split(clause)  # (text, separator, text, …: the separator is captured)
        out.append(pieces[0])
        for sep, piece in zip(pieces[1::2], pieces[2::2], strict=True):
            m = _SUBJECT_RE.match(piece)
            # (only once the words before have said theirs: `T004, T005 and T007 depend on T001` is one)
            if m and MARKER_RE.search(m.group("rest")) and MARKER_RE.search(out[-1]):
                out.append(piece)
            else:
                out[-1] = f"{out[-1]}{sep}{piece}"
    return out


def _subject_statements(ol: Outline, units: list[TaskUnit], index: KeyIndex) -> list[tuple[list[str], str]]:
    """`- T014 depends on T012; T015 depends on T012 and T013.`, `- T010, T011 before T012..T014`, written
    apart from the tasks (a dependencies section): a clause that opens with task keys and then states a
    dependency gives those tasks that dependency.  Returns (subject keys, the clause after the subject).

    A clause about a whole phase or story (`**Foundational (Phase 2)**: depends on Setup`, `US1: needs
    T002`) is a rule of order between containers: see :func:`_container_statements`."""
    taken: set[int] = set()
    for u in units:
        if u.item is not None:
            taken.update(range(u.session.line, max(u.session.end_line, u.session.line) + 1))
    skip = taken | ol.code_lines | {h.line for h in ol.headings}
    out: list[tuple[list[str], str]] = []
    for n, raw in enumerate(ol.doc.lines, 1):
        if n in skip or raw.lstrip().startswith("|") or not MARKER_RE.search(raw):
            continue
        for clause in _statement_clauses(strip_inline(ol.doc.fix(raw))):
            m = _SUBJECT_RE.match(clause)
            if m is None and (head := _CONTAINER_CLAUSE_RE.match(clause)) is not None:
                m = _SUBJECT_RE.match(head.group("rest"))  # `Foundational (Phase 2): T004 depends on T001`
            if not m or not MARKER_RE.search(m.group("rest")):
                continue
            written = re.findall(_SUBJECT_KEY, m.group("keys"))
            if any(w.isdigit() for w in written):
                continue  # `3 tasks depend on the API`: a bare number opening a sentence is a count
            subjects = [index.resolve(k) for k in written]
            if subjects and all(subjects) and _RANGE_JOIN_RE.search(m.group("keys")):
                subjects = list(parse_refs(m.group("keys"), index, None).keys)  # `T011..T013 depend on T010`
            if subjects and all(subjects):
                out.append(([k for k in subjects if k], m.group("rest")))
    return out


_RANGE_JOIN_RE = lazy_re(r"\.\.|–|~")
# `T006 has no dependencies`, `T017 has none`: a task said to wait for nothing takes no phase's rule either
_HAS_NONE_RE = lazy_re(
    r"^\s*(?:has|have)\s+(?:no\s+(?:dependencies|prerequisites|deps)|none)\b|^\s*(?:needs|depends\s+on)\s+nothing\b",
    re.IGNORECASE,
)


# `- **Foundational (Phase 2)**: Depends on Setup (Phase 1) completion — BLOCKS all user stories`
_CONTAINER_CLAUSE_RE = lazy_re(r"^[\s>*_`+\-]*(?P<subject>[^:：]{2,60}?)[*_`]*\s*[:：]\s*(?P<rest>.+)$")


def _container_statements(ol: Outline, index: KeyIndex) -> list[tuple[list[str], str]]:
    """`- **User Stories (Phases 3–5)**: All depend on Foundational (Phase 2) completion`: a line outside the
    tasks whose subject names containers (phases, stories) and no task, then states a dependency.  Returns
    (the containers' member keys, the text after the subject)."""
    out: list[tuple[list[str], str]] = []
    for n, raw in enumerate(ol.doc.lines, 1):
        if n in ol.code_lines or raw.lstrip().startswith(("|", "#")):
            continue
        fixed = ol.doc.fix(raw)
        if (":" not in fixed and "：" not in fixed) or not MARKER_RE.search(raw):
            continue  # (the subject ends at a colon: a line without one, most task lines, is no such statement)
        m = _CONTAINER_CLAUSE_RE.match(strip_inline(fixed))
        if m is None or not MARKER_RE.search(m.group("rest")) or MARKER_RE.search(m.group("subject")):
            continue
        subject = m.group("subject")
        if any(t in index.pos for t in re.findall(_SUBJECT_KEY, subject)):
            continue  # `T014: needs T012` is the task's own statement
        said = _SUBJECT_RE.match(m.group("rest"))
        if said is not None and index.resolve(re.findall(_SUBJECT_KEY, said.group("keys"))[0]) is not None:
            continue  # `**Foundational (Phase 2)**: T004 and T005 depend on T001`: the tasks' own statements
        members = parse_refs(subject, index).keys
        if members:
            out.append((members, m.group("rest")))
    return out


_NOTE_RE = lazy_re(r"\([^()]*\)")


def _container_fallbacks(
    ol: Outline, units: list[TaskUnit], index: KeyIndex, none_said: set[str]
) -> dict[str, list[str]]:
    """What a phase or story waits for is what each of its tasks waits for, when the task says nothing more
    specific: a task with prerequisites of its own keeps them (they are its direct ones; the phase's come
    through them), one with none takes its containers' (``ReadResult.fallback_prerequisites``, given once
    the prose is read too)."""
    out: dict[str, list[str]] = {}
    statements = _container_statements(ol, index)
    if not statements:
        return out
    bare = {u.session.key for u in units if not any(_NONE_SAID_RE.search(t) for t in u.deps)} - none_said
    for members, text in statements:
        # `Depends on US1 and US2 (US3 can ship after the cutover)`: a note with a dependency word of its own
        text = _NOTE_RE.sub(lambda m: " " if MARKER_RE.search(m.group(0)) else m.group(0), text)
        keys = parse_refs(text, index, None, foreign_ids=True, prose=True).prerequisites
        for k in members:
            if k in bare:
                mine = out.setdefault(k, [])
                mine.extend(p for p in keys if p not in mine and p not in members)
    return out


# a dependency text that is nothing but keys: `T001`, `T001, T002`, `#12 and #14`, `1.2、1.3`
_KEY_TOKEN = r"#?[\w.-]*\d[\w.-]*"  # (with a digit: a word may be a container's or a unit's name)
_KEYS_ONLY_RE = lazy_re(rf"\s*{_KEY_TOKEN}(?:\s*(?:,|、|/|&|and)\s*{_KEY_TOKEN})*\s*")


def resolve(ol: Outline, units: list[TaskUnit], problems: list[Problem]) -> dict[str, list[str]]:
    """Read every unit's dependency texts against the keys of the whole document.  Returns what the rules
    about whole phases give the tasks that say nothing more specific (see :func:`_container_fallbacks`)."""
    index = KeyIndex([u.session.key for u in units], containers(ol, units))
    by_key = {u.session.key: u for u in units}
    inverse: dict[str, list[str]] = {}
    for u in units:
        s = u.session
        for text in u.deps:
            refs = parse_refs(text, index, s.key, foreign_ids=True)
            s.prerequisites.extend(k for k in refs.prerequisites if k not in s.prerequisites)
            if u.line_read and (refs.unknown or refs.external or refs.inverse or not _KEYS_ONLY_RE.fullmatch(text)):
                u.line_read = False  # (words beyond keys: the prose pass reads them with more names to hand)
            for y in refs.inverse:
                inverse.setdefault(y, []).append(s.key)
        for text in u.blocks:
            for y in parse_refs(text, index, s.key, inverse=True).inverse:
                inverse.setdefault(y, []).append(s.key)
    for text, prose, members in _container_preambles(ol, units):
        refs = parse_refs(text, index, None, foreign_ids=True, prose=prose)
        for u in members:
            s = u.session
            s.prerequisites.extend(k for k in refs.prerequisites if k not in s.prerequisites and k != s.key)
    none_said: set[str] = set()
    for subjects, text in _subject_statements(ol, units, index):
        if _HAS_NONE_RE.match(text):
            none_said.update(subjects)
            continue
        for subject in subjects:
            refs = parse_refs(text, index, subject, foreign_ids=True, prose=True)
            s = by_key[subject].session
            s.prerequisites.extend(k for k in refs.prerequisites if k not in s.prerequisites and k not in subjects)
            for y in refs.inverse:
                if y not in subjects:
                    inverse.setdefault(y, []).append(subject)
    for target, sources in inverse.items():
        t = by_key[target]
        s = t.session
        missing = [k for k in sources if k not in s.prerequisites]
        if missing and t.deps_line is not None:
            # `Blocks` and `Depends on` should say the same edge twice; a careful reader takes both
            problems.append(
                Problem(
                    s.line,
                    Severity.INFO,
                    f"{s.key} does not list {', '.join(missing)} as a prerequisite, but "
                    f"{', '.join(missing)} says it blocks {s.key}",
                )
            )
        s.prerequisites.extend(missing)
    return _container_fallbacks(ol, units, index, none_said)
