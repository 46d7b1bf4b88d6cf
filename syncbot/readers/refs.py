"""References to other units, as people write them: the one reference parser every reader uses.

A dependency text (a prerequisite cell, a ``Depends on:`` field, ``(blocked by #12)`` in prose) names
units in many ways.  :func:`parse_refs` reads them against a :class:`KeyIndex` of the document's keys:

- single keys, also in a shorter form of the document's keys (``001`` or ``VS-1`` for ``VS-001``, ``6-2``
  for ``P6-2``) when that form names exactly one unit;
- ranges: ``1.1-1.4``, ``VS-001..004``, ``P6-2~4``, ``3–5``, ``R1–R6``, ``Steps 2-5`` (document order, keys
  of the same shape as the first end);
- lists joined by anything (``,`` ``/`` ``·`` ``&`` ``and`` ``und`` ``y`` ``e`` ``et`` ``、`` ``，`` ``;``);
- containers: a name the reader supplies (``Phase 2``, ``the Store layer``, ``阶段4``) means its members;
  so do several at once (``Phases 3–5``, ``Phase 3+``, ``all user stories``);
- ``all previous`` (``alle vorherigen``, ``全部``, ``todas las anteriores``): every unit before this one;
- prose: in ``prose`` mode only what follows ``blocked on``, ``after``, ``requires``, ``needs``,
  ``depends on``, ``waiting for``… counts;
- inverse edges: what follows ``Blocks``, ``Unblocks``, ``Prerequisite for``, ``Required by`` depends on
  the current unit, and is returned in :attr:`Refs.inverse`;
- external references (``owner/repo#14``, ``other-repo#14``, a link into another file, ``api/ROADMAP.md
  task 3``, a ticket of another tracker in a dependency column) are kept as written in
  :attr:`Refs.external`, never resolved to a local key spelled the same;
- a reference shaped like the document's keys that names no unit is kept in :attr:`Refs.unknown`, so
  ``validate`` can report it.

Pure functions of the text and the index; nothing here reads a document.  (The parts: :mod:`ref_clauses`
cuts a text at its markers, :mod:`ref_scan` reads each clause, :mod:`ref_result` holds :class:`Refs`.)
"""

from __future__ import annotations

from syncbot.readers.common import strip_inline
from syncbot.readers.external_refs import externals, placed
from syncbot.readers.key_index import KeyIndex
from syncbot.readers.lazy_re import lazy_re
from syncbot.readers.ref_clauses import clauses
from syncbot.readers.ref_markers import DATE_RE, NONE_RE, PARALLEL_RE, QUANTITY_RE, RELATION_RE
from syncbot.readers.ref_result import Refs
from syncbot.readers.ref_scan import scan
from syncbot.readers.ref_shortcut import single_key, unit_word_key

_SENTENCE_END_RE = lazy_re(r"(?<=[.;])\s+")
_PAREN_RE = lazy_re(r"\([^()]*\)")


_STRUCK_REF_RE = lazy_re(r"~~[^~\n]{1,80}~~")


def parse_refs(
    text: str,
    index: KeyIndex,
    current: str | None = None,
    foreign_ids: bool = False,
    *,
    prose: bool = False,
    inverse: bool = False,
) -> Refs:
    """The units a dependency text names (see the module docstring for the forms).

    ``current`` is the unit the text belongs to (never its own prerequisite; the reference point of "all
    previous").  With ``foreign_ids`` (the text is a dependency field) another tracker's ticket (``SEC-7``)
    is kept as an external reference.  With ``prose`` only clauses after a dependency marker count.  With
    ``inverse`` (the text is the value of a ``Blocks:`` field) every reference is an inverse edge.

    Worked out once a reading for equal indexes (the sections and thread readers read the same `Depends on:`
    fields of `## Session N:` plans against the same keys); each caller gets its own copy.
    """
    if not (prose or inverse) and single_key(text, index):
        return Refs([text] if text != current else [], False, [])  # `T001`: one key (ref_shortcut.py)
    key = (text, current, foreign_ids, prose, inverse)
    r = index.answers.get(key)
    if r is None:
        k = unit_word_key(text, index) if not (prose or inverse) else None  # `Session 12` (ref_shortcut.py)
        if k is not None:
            r = Refs([k] if k != current else [], False, [])
        else:
            r = _parse_refs(text, index, current, foreign_ids, prose, inverse)
        index.answers[key] = r
    return Refs(list(r.keys), r.explicit_none, list(r.unknown), list(r.inverse), list(r.external))


def _parse_refs(text: str, index: KeyIndex, current: str | None, foreign_ids: bool, prose: bool, inverse: bool) -> Refs:
    found: list[str] = []
    if "~~" in text:  # `depende de ~~P2-2~~ P2-4`: a struck reference is one no longer waited for
        text = _STRUCK_REF_RE.sub(" ", text)
    raw = externals(text, index, foreign_ids, found)
    plain = strip_inline(raw)
    if any(map(str.isdigit, plain)):
        plain = QUANTITY_RE.sub(" ", DATE_RE.sub(" ", plain))
    # "Phase 2. Can run in parallel with 3·4": a sentence about parallel work names no dependency
    # (one in brackets is a remark: `Waits for step 7 and step 11 (it must not exceed 4 concurrent jobs)`)
    if PARALLEL_RE.search(plain):
        plain = " ".join(p for p in _SENTENCE_END_RE.split(plain) if not PARALLEL_RE.search(_PAREN_RE.sub(" ", p)))
    # outside prose every external reference counts, unless a relation that is no dependency names some
    # (`3.1; vedi anche italia/anpr#1432`); in prose only those inside a dependency clause
    scoped = prose or bool(found and RELATION_RE.search(plain))
    refs = Refs([], False, [], [], [] if scoped else list(found))
    # what refs.unknown and refs.external hold, asked of sets (a line of 20,000 unknown keys or tickets)
    seen: tuple[set[str], set[str]] = (set(), set(refs.external))
    for piece, inv in clauses(plain, prose):
        if scoped:
            for e in placed(piece, found):
                if e not in seen[1]:
                    seen[1].add(e)
                    refs.external.append(e)
        scan(piece, index, current, refs, inverse or inv, prose, seen)
    # `(#439)` where this document's units are keyed `#439`: its own key, or another of its units
    local = [e for e in refs.external if e in index.pos]
    if local:
        gone, have = set(local), set(refs.keys)
        refs.external = [e for e in refs.external if e not in gone]
        for e in local:
            if e != current and e not in have:
                have.add(e)
                refs.keys.append(e)
    if not (refs.keys or refs.unknown or refs.inverse or refs.external):
        refs.explicit_none = not plain.strip() or bool(NONE_RE.match(plain))
    return refs
