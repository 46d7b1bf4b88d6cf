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

Pure functions of the text and the index; nothing here reads a document.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from syncbot.readers.common import strip_inline
from syncbot.readers.container_refs import container_spans
from syncbot.readers.external_refs import externals, placed
from syncbot.readers.key_index import UNIT_WORDS, KeyIndex
from syncbot.readers.key_shapes import ident_form, norm_num
from syncbot.readers.ref_markers import (
    ALL_PREV_RE,
    DATE_RE,
    LIST_GAP_RE,
    MARKER_RE,
    MEASURE_RE,
    NONE_RE,
    PARALLEL_RE,
    QUANTITY_RE,
    RANGE_GAP_RE,
    RELATION_RE,
    chain_blocks,
)
from syncbot.readers.ref_ranges import UNIT_WORD_PREFIX_RE as _UNIT_WORD_PREFIX_RE
from syncbot.readers.ref_ranges import key_range, split_range
from syncbot.readers.ref_scope import CLAUSE_END_RE, InParens, blanked, clause_end, exception_spans, version_of_name
from syncbot.readers.ref_shortcut import single_key, unit_word_key

# a candidate reference: alphanumeric runs joined by `-` `_` `.`, holding a digit (checked after matching)
# (letters of the alphabets keys are written in: Latin, Greek, Cyrillic — `Э1-2`; not CJK, where `阶段4` is two words)
_KEY_CHARS = "A-Za-z0-9\u00c0-\u024f\u0370-\u03ff\u0400-\u04ff"
_TOKEN_RE = re.compile(rf"(?<![{_KEY_CHARS}_])(#?)(?=[{_KEY_CHARS}_.-]*\d)([{_KEY_CHARS}]+(?:[-_.][{_KEY_CHARS}]+)*)")
# (in a document whose keys are written `K3/4`, a slash joins a key's parts too, not two keys)
_SLASHED_TOKEN_RE = re.compile(
    rf"(?<![{_KEY_CHARS}_/])(#?)(?=[{_KEY_CHARS}_./-]*\d)([{_KEY_CHARS}]+(?:[-_./][{_KEY_CHARS}]+)*)"
)

# (the same, the digit looked for after matching: the lookahead read on to the end of the run from every position
# in it, square work on a run of 10,000 `.` or `./`; see ``_tokens``)
_TOKEN_FORM_RE = re.compile(rf"(?<![{_KEY_CHARS}_])(#?)([{_KEY_CHARS}]+(?:[-_.][{_KEY_CHARS}]+)*)")
_SLASHED_FORM_RE = re.compile(rf"(?<![{_KEY_CHARS}_/])(#?)([{_KEY_CHARS}]+(?:[-_./][{_KEY_CHARS}]+)*)")
_RUN_RE = re.compile(rf"[{_KEY_CHARS}_.-]+")
_SLASHED_RUN_RE = re.compile(rf"[{_KEY_CHARS}_./-]+")
_DIGIT_RE = re.compile(r"\d")


def _tokens(piece: str, slashed: bool) -> list[re.Match[str]]:
    """``(_SLASHED_TOKEN_RE if slashed else _TOKEN_RE).finditer(piece)``, in linear work.  A token with no digit
    of its own is one where the run of key characters (and `_.-`, `/`) it starts holds a digit after it, or
    a digit follows that run (the lookahead's reach); where it does not, no token starts later in that run
    either, so skipping it whole skips no match."""
    form, run = (_SLASHED_FORM_RE, _SLASHED_RUN_RE) if slashed else (_TOKEN_FORM_RE, _RUN_RE)
    out: list[re.Match[str]] = []
    starts: list[int] | None = None
    lasts: list[int] = []
    for m in form.finditer(piece):
        if _DIGIT_RE.search(m.group(2)) is None:
            if starts is None:  # (each run's start and its last digit, once a piece)
                runs = [(r.start(), _last_digit(piece, r.start(), r.end())) for r in run.finditer(piece)]
                starts, lasts = [r[0] for r in runs], [r[1] for r in runs]
            if lasts[bisect.bisect_right(starts, m.start(2)) - 1] < m.start(2):
                continue
        out.append(m)
    return out


def _last_digit(text: str, start: int, end: int) -> int:
    """Where the digit right after ``text[start:end]`` or else its last digit stands (-1: none)."""
    if _DIGIT_RE.match(text, end):
        return end
    return max((d.start() for d in _DIGIT_RE.finditer(text, start, end)), default=-1)


_SENTENCE_END_RE = re.compile(r"(?<=[.;])\s+")
_PAREN_RE = re.compile(r"\([^()]*\)")

_CLAUSE_END_RE = CLAUSE_END_RE


@dataclass
class Refs:
    keys: list[str]  # local keys this unit depends on, in the order written
    explicit_none: bool  # the text says there are none (`None`, `Nothing — we own this`)
    unknown: list[str]  # references shaped like this document's keys that name no unit
    inverse: list[str] = field(default_factory=list)  # local keys that depend on this unit (`Blocks: Y`)
    external: list[str] = field(default_factory=list)  # another document's or repository's units, as written

    @property
    def prerequisites(self) -> list[str]:
        """What the unit waits for, as a reader stores it: local keys, then unknown and external ones."""
        return [*self.keys, *self.unknown, *self.external]


def _clauses(text: str, prose: bool) -> list[tuple[str, bool]]:
    """Split ``text`` at dependency markers: (piece, inverse).  Outside ``prose`` the text before the first
    marker is a forward dependency; in prose only a marker's own clause names dependencies."""
    out: list[tuple[str, bool]] = []
    pos, inverse, active = 0, False, not prose
    for m in MARKER_RE.finditer(text):
        piece = text[pos : m.start()]
        if m.group("post") or m.group("postw") or m.group("postinv") or m.group("postrel"):
            # `T3 完成后开始`: the marker follows what it names, back to the start of its clause
            if prose:
                ends = list(_CLAUSE_END_RE.finditer(piece))
                if active and ends:
                    # (`依赖第 4 项。本项完成后…`: the clause a marker before opened ends first, and names its own)
                    out.append((piece[: ends[0].start()], inverse))
                piece = piece[ends[-1].end() :] if ends else piece
            if not m.group("postrel"):
                out.append((piece, m.group("postinv") is not None))
            pos, inverse, active = m.end(), False, not prose
            continue
        if m.group("rel"):
            # `related to KRG-211`: what follows is named, not waited for
            if active:
                out.append((piece, inverse))
            pos, inverse, active = m.end(), False, False
            continue
        if active:
            if prose:
                end = clause_end(piece)
                piece = piece[:end] if end is not None else piece
            out.append((piece, inverse))
        pos, inverse, active = m.end(), bool(m.group("inv") or m.group("cjkinv") or chain_blocks(m.group(0))), True
    piece = text[pos:]
    if active:
        if prose:
            end = clause_end(piece)
            piece = piece[:end] if end is not None else piece
        out.append((piece, inverse))
    return out


_STRUCK_REF_RE = re.compile(r"~~[^~\n]{1,80}~~")


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
    for piece, inv in _clauses(plain, prose):
        if scoped:
            for e in placed(piece, found):
                if e not in seen[1]:
                    seen[1].add(e)
                    refs.external.append(e)
        _scan(piece, index, current, refs, inverse or inv, prose, seen)
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


def _scan(
    piece: str,
    index: KeyIndex,
    current: str | None,
    refs: Refs,
    inverse: bool,
    prose: bool,
    seen: tuple[set[str], set[str]],
) -> None:
    """Add to ``refs`` what ``piece`` names; ``seen`` holds what ``refs.unknown`` and ``refs.external`` do."""
    target = refs.inverse if inverse else refs.keys
    have = set(target)
    spans = exception_spans(piece) if not inverse else []
    if spans:
        # `todos los de Backend salvo #222`: what the exception names is read apart, and kept out
        out = Refs([], False, [])
        for a, b in spans:
            _scan(piece[a:b], index, current, out, False, prose, (set(), set()))
        have |= set(out.keys)
        piece = blanked(piece, spans)

    def add(k: str) -> None:
        if k != current and k not in have:
            have.add(k)
            target.append(k)

    def unknown(ref: str) -> None:
        if ref not in seen[0] and not inverse:
            seen[0].add(ref)
            refs.unknown.append(ref)

    all_prev = ALL_PREV_RE.search(piece) is not None and current in index.pos
    named = list(container_spans(piece, index))
    members = [member for _, _, ms in named for member in ms]
    piece = blanked(piece, [(a, b) for a, b, _ in named])
    crx = index._container_re
    if crx is not None:
        chunks: list[str] = []
        last = 0
        for m in crx.finditer(piece):
            members.extend(index.container_at(m))
            chunks.append(piece[last : m.start()])
            chunks.append(" " * (m.end() - m.start()))
            last = m.end()
        if chunks:
            piece = "".join(chunks) + piece[last:]
    if all_prev:
        # `todas las anteriores de la Entrega 3`: the earlier units of what it names, else all earlier ones
        earlier = index.keys[: index.pos[current]]  # type: ignore[index]
        within = set(members)
        for before in earlier:
            if not within or before in within:
                add(before)
    else:
        for member in members:
            add(member)
    if index.named and ("_" in piece or "-" in piece):
        # `بعد از `ingest_customers` اجرا می‌شود`: a unit named by its identifier, which holds no number
        for m in _IDENT_RE.finditer(piece):
            k = index.named.get(ident_form(m.group(0)))
            if k is not None:
                add(k)
    tokens = _tokens(piece, index.slashed)
    wildcards: dict[str, list[str]] = {}
    in_parens = InParens(piece)
    opens = _OpensBrackets(piece)
    prev_key: str | None = None
    prev_end = -1
    for m in tokens:
        hashed, tok = bool(m.group(1)), m.group(2)
        gap = piece[prev_end : m.start()] if prev_key is not None else ""
        # (`DP-15:DP-17`, a spreadsheet's range, too)
        ranged = gap == ":" or RANGE_GAP_RE.match(gap) is not None
        if prev_key is not None and ranged and key_range(index, prev_key, tok, add):
            prev_key = None
            continue
        previous = prev_key
        prev_key, prev_end = None, m.end()
        if not hashed and _NUMERIC_TOKEN_RE.fullmatch(tok) and version_of_name(piece, m.start()):
            continue  # `Wait for pyproj NumPy 2 wheels`: the version of a product, no unit
        if not hashed and _NUMERIC_TOKEN_RE.fullmatch(tok) and MEASURE_RE.match(piece, m.end()):
            continue  # `when the battery is under 3.3 V`: a quantity, no unit of work
        if (
            prose
            and not hashed
            and tok.isdecimal()
            and in_parens(m.start())
            and not _listed(piece, m.start(), gap, opens)
        ):
            continue  # `(it must not exceed 4 concurrent jobs)`: a number in a remark, no unit
        k = index.resolve(tok)
        if k is not None and prose and not hashed and tok.isdecimal() and not _NUMERIC_TOKEN_RE.fullmatch(k):
            # `efter 2 s, BOR nivå 2`: a bare number in prose names `B02` only after a unit word (`Step 2`), or
            # written as the key writes it (`After 101 lands` for `SB-101`)
            # or right after the marker (`Depends on: 12` for `FEAT-012`) and the list it opens
            first = (m.start() < 8 and not piece[: m.start()].strip(" :：*_`(")) or (
                previous is not None and LIST_GAP_RE.fullmatch(gap) is not None  # `needs 12 and 14`
            )
            k = k if first or _unit_word_before(piece, m.start()) or "".join(_DIGITS_RE.findall(k)) == tok else None
            if k is None:
                continue
        if k is None:
            bare = _UNIT_WORD_PREFIX_RE.sub("", tok)
            k = index.resolve(bare) if bare != tok else None
        if k is not None:
            add(k)
            prev_key = k
            continue
        if split_range(index, tok, add):
            continue
        if (wild := _WILDCARD_RE.fullmatch(tok)) is not None:
            # `G.1.x`, `P6-*`: every key that opens so
            prefix = wild.group(1).lower()
            if prefix not in wildcards:
                wildcards[prefix] = index.opening_with(prefix)
            found = wildcards[prefix]
            for k in found:
                add(k)
            if found:
                continue
        members = index.numbered.get(tok) or index.numbered.get(norm_num(tok) or tok) or index.family(tok)
        if members:
            for k in members:
                add(k)
            continue
        if hashed and not index.local_shaped(tok):
            if f"#{tok}" not in seen[1]:
                seen[1].add(f"#{tok}")
                refs.external.append(f"#{tok}")  # `(blocked by #12)` beside keys that are no numbers
            continue
        if (
            index.local_shaped(tok)
            and not (prose and tok.isdecimal() and not hashed and not _unit_word_before(piece, m.start()))
            and not in_parens(m.start())
        ):
            unknown(tok)


_NUMBERS_ONLY_RE = re.compile(r"[\s*_`\d,;/&–—~.-]*")
_NOT_NUMBERS_RE = re.compile(r"[^\s*_`\d,;/&–—~.-]")  # (any character ``_NUMBERS_ONLY_RE`` does not take)


class _OpensBrackets:
    """Whether only numbers and their separators stand between the last `(` before a position and it (or the
    text's start, with no `(`), asked at positions further on each time (the tokens of a piece): the text is
    read once, not back to the bracket for every number (`(1 2 3 … 10000)`).  A `(` is none of them, so
    that holds where the last other character before the position is a `(`, or there is none."""

    def __init__(self, text: str) -> None:
        self.text, self.pos, self.last = text, 0, -1

    def __call__(self, at: int) -> bool:
        t = self.text
        if at < self.pos:
            return _NUMBERS_ONLY_RE.fullmatch(t, t.rfind("(", 0, at) + 1, at) is not None
        for m in _NOT_NUMBERS_RE.finditer(t, self.pos, at):
            self.last = m.start()
        self.pos = at
        return self.last < 0 or t[self.last] == "("


def _listed(piece: str, at: int, gap: str, opens: _OpensBrackets) -> bool:
    """Whether a bare number at ``at`` in brackets is named as a unit: opening them (`після демонтажу (4)`), right
    after the marker, after a unit word (`step 2`), or in a list after one (`(5–10, 13–15)`)."""
    return opens(at) or _unit_word_before(piece, at) or LIST_GAP_RE.fullmatch(gap) is not None


# an identifier joined by `_` or `-` (`stg_orders`, `dim-customer`), a word no prose is written in
_IDENT_RE = re.compile(r"(?<![\w.-])[^\W\d_]\w*(?:[-_][^\W_]+)+(?![\w-])")
_NUMERIC_TOKEN_RE = re.compile(r"\d+(?:\.\d+)*")
_DIGITS_RE = re.compile(r"\d+")
_WILDCARD_RE = re.compile(r"([A-Za-z]*[.\-]?\d+(?:[.\-]\d+)*[.\-])[xX*]")


def _unit_word_before(piece: str, start: int) -> bool:
    """Whether a unit word ends the text before ``start``, spaces aside (`Step 3`): looked for among the ten
    characters before the spaces (the longest word; `work packets` ends with `packets`), not in a copy of
    all the text before (a prose line of 20,000 numbers took minutes)."""
    j = start
    while j > 0 and piece[j - 1].isspace():
        j -= 1
    return _UNIT_WORD_END_RE.search(piece, max(0, j - 10), j) is not None


_UNIT_WORD_END_RE = re.compile(rf"{UNIT_WORDS}$", re.IGNORECASE)
