"""Lines outside the tables that open with units' keys and say what those units wait for.

``- FT-102 — after FT-101 lands``, ``FT-103, FT-107: blocked on FT-102``, ``- 5 і 16 — після демонтажу (4)``:
a line whose first words are keys of the document's units speaks for those units (as a progress log's
statements do for status, :mod:`progress_log`), and the dependency clauses after them name their
prerequisites (:func:`refs.parse_refs` in prose mode).

One line may hold several statements, each opening with its own keys::

    - 4 починається після 3 (договір), а 3 — після 2.     ->  4 after 3; 3 after 2
    - 6 після 5; 7 і 8 можна вести паралельно, але обидві — після 6.
    - 18 після 17. 19 не залежить від будівельних робіт.

A new statement starts mid-line after a sentence end (``.`` ``;``) or after a comma and a short connective
(``, а 3 —``, ``, and 4 —``), when keys follow and its own text states a dependency (it holds a marker);
else the words belong to the statement before (``after 3, 4 — and the docs`` stays one statement).
"""

from __future__ import annotations

import re
from functools import cache

from syncbot.model import Session
from syncbot.readers.common import Document
from syncbot.readers.key_index import KeyIndex
from syncbot.readers.lazy_re import lazy_re
from syncbot.readers.ref_markers import MARKER_RE
from syncbot.readers.ref_ranges import key_range
from syncbot.readers.refs import parse_refs
from syncbot.readers.table_cells import Table

# what may open a line before its keys: a bullet or number, emphasis
# (`- New task **P1-4**: … Depends on P1-2`: a log line that introduces a unit speaks for it too)
# (`Nota: M3-T04 además depende de M3-T03`: a note's label ahead of the keys)
_NOTE_WORDS = (
    r"notes?|nb|n\.b\.|ps|nota|notas|hinweis|anmerkung|remarque|obs|observação|observación|"
    r"注|备注|注意|メモ|備考|참고|비고"
)
_OPENER_RE = lazy_re(
    rf"^\s*(?:[-*+>]|\d+[.)])?\s*(?:(?:\*\*|__)?(?:{_NOTE_WORDS})(?:\*\*|__)?\s*[:：]\s*(?:\*\*|__)?\s*)?"
    r"(?:(?:new|added|neue?r?|nuev[oa]|nouvelle?)\s+(?:[^\W\d_]+\s+)?)?(?:\*\*|__)?",
    re.IGNORECASE,
)
_TOKEN_RE = lazy_re(r"#?([\w-]+(?:\.[\w-]+)*)")
# between two leading keys: `5, 6`, `5 & 6`, `5/6`, or a word for "and" (`5 і 16`, `7 and 8`, `3 y 4`)
_JOIN_RE = lazy_re(
    r"\s*(?:,|&|/|、|，)\s*|\s+(?:and|und|y|e|et|i|і|й|и|та|og|och|en|ve|và|dan|at|na|és|ja|a|και|و)\s+|\s*(?:和|与|及|以及|と|및)\s*",
    re.IGNORECASE,
)
# where a statement may start mid-line: a sentence end, or a comma and a short connective (`, а 3 —`)
_SENTENCE_RE = lazy_re(r"(?<=[.;])\s+(?:[^\W\d_]{1,3}\s+)?|(?<=[；。])\s*")
_CONNECTIVE_RE = lazy_re(r",\s+[^\W\d_]{1,3}\s+")
_DASH_RE = lazy_re(r"\s*[—–:]")
# `T010 blocks T011, T011 blocks T012`: after a comma, keys and a dependency marker open a statement of their own
# (`…依赖 M3-T1，其中 M3-T4 另外依赖 M3-T3`: a full-width comma, a connective, an adverb before the marker)
_COMMA_RE = lazy_re(r",\s+|，\s*(?:其中|而|另外|此外|并且|且)?\s*")
_MARKED = rf"(?:\s+|\s*(?:另外|还|也|都|则|又)\s*)(?={MARKER_RE.pattern})"


@cache
def _marked_re() -> re.Pattern[str]:
    """``_MARKED``, compiled the first time a line asks (MARKER_RE's size again: 8 ms of every start, and most
    documents never reach it)."""
    return re.compile(_MARKED, MARKER_RE.flags)


_GROUP_RE = lazy_re(r"^\s*(?:[-*+]|\d+[.)])?\s*[^\W\d_][^()\n]{0,40}?\((?P<keys>(?P<first>#?[\w.]+)[^()\n]{0,80})\)")


_TIME_RE = lazy_re(r"[:h]\d\d\b")
_RANGE_JOIN_RE = lazy_re(r"\s*(?:~|～|\.\.|至|到)\s*|–")


def _leads(text: str, pos: int, index: KeyIndex) -> tuple[list[str], int]:
    """The units whose keys open ``text`` at ``pos`` (joined by commas or "and"), and where they end."""
    keys: list[str] = []
    while True:
        m = _TOKEN_RE.match(text, pos)
        k = index.resolve(m.group(1)) if m else None
        if m is None or k is None or _TIME_RE.match(text, m.end()):
            return keys, pos  # (`- 15:02 user said …`: a log's time of day opens no statement)
        keys.append(k)
        end = m.end()
        r = _RANGE_JOIN_RE.match(text, end)
        last = _TOKEN_RE.match(text, r.end()) if r is not None else None
        if last is not None and index.resolve(last.group(1)) is not None:
            # `M3-T2 ~ M3-T5 依赖 M3-T1`: the units of a range
            keys.pop()
            if key_range(index, k, last.group(1), lambda x: keys.append(x) if x not in keys else None):
                end = last.end()
            else:
                keys.append(k)
        j = _JOIN_RE.match(text, end)
        if j is None:
            return keys, end
        nxt = _TOKEN_RE.match(text, j.end())
        if nxt is None or index.resolve(nxt.group(1)) is None:
            return keys, end
        pos = j.end()


def statements(text: str, index: KeyIndex) -> list[tuple[list[str], str]]:
    """The statements of one line: (the units it opens with, what it says of them)."""
    first = _OPENER_RE.match(text)
    keys, end = _leads(text, first.end() if first else 0, index)
    group = _GROUP_RE.match(text) if not keys else None
    if group is not None and index.resolve(group.group("first")) and MARKER_RE.search(text, group.end()):
        # `- Tests (T004-T007) before implementation (T008-T016)`: a group named with its keys in brackets (its
        # units' keys, not a container's name: `US1 (Phase 3): needs T002` is a rule for tasks with none)
        keys, end = parse_refs(group.group("keys"), index, None).keys, group.end()
    if not keys:
        return []
    starts: list[tuple[int, int, list[str] | int]] = [(0, end, keys)]  # (start, end of the keys, keys or where)
    # (what leads each place is read once: `T1 blocks T2, T3, …, T9999` read the rest of the list after every
    # comma, quadratic; the keys are listed only for the statements kept)
    memo: dict[int, tuple[str | None, int, int | None]] = {}
    for rx, dash in ((_SENTENCE_RE, False), (_CONNECTIVE_RE, True), (_COMMA_RE, False)):
        for m in rx.finditer(text, end):
            k, e = _lead_at(text, m.end(), index, memo)
            if k and (not dash or _DASH_RE.match(text, e)) and (rx is not _COMMA_RE or _marked_re().match(text, e)):
                starts.append((m.start(), e, m.end()))
    starts.sort(key=lambda st: (st[0], st[1]))
    out: list[tuple[list[str] | int, list[str]]] = []
    for i, (start, e, ks) in enumerate(starts):
        stop = starts[i + 1][0] if i + 1 < len(starts) else len(text)
        said = text[e:stop]
        if i and not MARKER_RE.search(said):
            # no dependency stated: the words belong to the statement before
            out[-1][1].append(text[start:stop])
            continue
        out.append((ks, [said]))
    return [(ks if isinstance(ks, list) else _keys_at(ks, memo), "".join(parts)) for ks, parts in out]


def _lead_at(
    text: str, pos: int, index: KeyIndex, memo: dict[int, tuple[str | None, int, int | None]]
) -> tuple[str | None, int]:
    """:func:`_leads` at ``pos``, as its first key and its end, remembered in ``memo`` for every place the
    list it reads goes through (each place: its key, the end of the keys from there, the next place)."""
    path: list[tuple[int, str, int]] = []
    p = pos
    while p not in memo:
        m = _TOKEN_RE.match(text, p)
        k = index.resolve(m.group(1)) if m else None
        if m is None or k is None or _TIME_RE.match(text, m.end()):
            memo[p] = (None, p, None)
            break
        j = _JOIN_RE.match(text, m.end())
        nxt = _TOKEN_RE.match(text, j.end()) if j is not None else None
        if j is None or nxt is None or index.resolve(nxt.group(1)) is None:
            memo[p] = (k, m.end(), None)
            break
        path.append((p, k, j.end()))
        p = j.end()
    for at, k, q in reversed(path):
        memo[at] = (k, memo[q][1], q)
    return memo[pos][0], memo[pos][1]


def _keys_at(pos: int, memo: dict[int, tuple[str | None, int, int | None]]) -> list[str]:
    keys: list[str] = []
    at: int | None = pos
    while at is not None and (k := memo[at][0]) is not None:
        keys.append(k)
        at = memo[at][2]
    return keys


def dependency_lines(
    doc: Document, all_tables: list[Table], index: KeyIndex, seen: dict[str, Session], inverse: list[tuple[str, str]]
) -> bool:
    """Add what lines outside the tables say the units they open with wait for; whether any was found."""
    in_table = {ln for t in all_tables for ln in range(t.line, (t.rows[-1][0] if t.rows else t.line) + 1)}
    found = False
    for i, raw in enumerate(doc.lines, start=1):
        if i in in_table or not raw.strip():
            continue
        for leads, said in statements(raw, index):
            rest = doc.fix(said)
            for key in leads:
                refs = parse_refs(rest, index, key, foreign_ids=True, prose=True)
                s = seen[key]
                for k in refs.prerequisites:
                    if k not in s.prerequisites:
                        s.prerequisites.append(k)
                        found = True
                inverse.extend((y, key) for y in refs.inverse)
    return found
