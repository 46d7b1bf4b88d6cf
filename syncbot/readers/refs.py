"""References to other units, as people write them: the one reference parser every reader uses.

A dependency text (a prerequisite cell, a ``Depends on:`` field, ``(blocked by #12)`` in prose) names
units in many ways.  :func:`parse_refs` reads them against a :class:`KeyIndex` of the document's keys:

- single keys, also in a shorter form of the document's keys (``001`` or ``VS-1`` for ``VS-001``, ``6-2``
  for ``P6-2``) when that form names exactly one unit;
- ranges: ``1.1-1.4``, ``VS-001..004``, ``P6-2~4``, ``3–5``, ``R1–R6``, ``Steps 2-5`` (document order, keys
  of the same shape as the first end);
- lists joined by anything (``,`` ``/`` ``·`` ``&`` ``and`` ``und`` ``y`` ``e`` ``et`` ``、`` ``，`` ``;``);
- containers: a name the reader supplies (``Phase 2``, ``the Store layer``, ``阶段4``) means its members;
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

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Protocol

from syncbot.model import Status
from syncbot.readers.common import strip_inline

UNIT_WORDS = r"(?:sessions?|steps?|phases?|packets?|work\s+packets?|stages?|tasks?|milestones?|parts?|sprints?)"
KEY_CORE = r"[A-Za-z]{1,6}[-_]?\d+(?:\.\d+)*[a-z]?|\d+(?:\.\d+)*[a-z]?"

# a candidate reference: alphanumeric runs joined by `-` `_` `.`, holding a digit (checked after matching)
_TOKEN_RE = re.compile(r"(?<![A-Za-z0-9_])(#?)(?=[A-Za-z0-9_.-]*\d)([A-Za-z0-9]+(?:[-_.][A-Za-z0-9]+)*)")
_UNIT_WORD_PREFIX_RE = re.compile(rf"^{UNIT_WORDS}[-_]?(?=\d)", re.IGNORECASE)
_RANGE_GAP_RE = re.compile(r"^\s*(?:[–—~〜～]|-|\.\.\.?|to|through|thru|bis|a|à|até|al|至|到)\s*$", re.IGNORECASE)
_NUMERIC_RE = re.compile(r"\d+(?:\.\d+)*")
_DIGITS_RE = re.compile(r"\d+")
_PREFIX_RE = re.compile(r"^[A-Za-z]*")

_NONE_RE = re.compile(
    r"^\s*(?:none|nothing|no(?:ne)?\s+prerequisites?|n/?a|-+|—|–|independent|no dependencies|keine|ninguna?|"
    r"nenhuma?|aucune?|无|無|なし|없음)(?:\W|$)",
    re.IGNORECASE,
)
_ALL_PREV_RE = re.compile(
    r"\ball\s+(?:previous|prior|earlier|preceding|above|other)\b|\balle\s+(?:vorherigen|vorigen|früheren)\b|"
    r"\btod[oa]s\s+(?:l[oa]s\s+|[oa]s\s+)?anteriores\b|\btou(?:s|tes)\s+les\s+précédent(?:e?s)\b|"
    r"^\s*(?:全部|所有|すべて|全て)\s*$|(?:之前|以前|前面)的?(?:全部|所有)|(?:全部|所有)(?:之前|以前|前面)",
    re.IGNORECASE,
)
_PARALLEL_RE = re.compile(r"parallel|concurrent|simultaneous|alongside|병렬|並行|并行", re.IGNORECASE)
_DATE_RE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
# a quantity is no reference: `2 days`, `3h`, `40%`
_QUANTITY_RE = re.compile(
    r"\b\d+(?:\.\d+)?\s*(?:%|(?:h|hrs?|hours?|d|days?|w|weeks?|mins?|minutes?|pts?|points?|sp|files?|tasks)\b)",
    re.IGNORECASE,
)
_SENTENCE_END_RE = re.compile(r"(?<=[.;])\s+")

# what follows names the units this one waits for / the units that wait for this one
_FORWARD = (
    r"blocked\s+(?:on|by)|waiting\s+(?:for|on)|waits\s+(?:for|on)|depends?\s+on|dependent\s+on|dependencies|"
    r"requires|required|needs|after|builds\s+on|prerequisites?\s*:|prereqs?\s*:|"
    r"depende\s+de|después\s+de|requiere|necesita|bloquead[oa]\s+por|tras|"  # es
    r"após|depois\s+de|requer|precisa\s+de|"  # pt
    r"abhängig\s+von|hängt\s+von|benötigt|erfordert|blockiert\s+durch|wartet\s+auf|nach|"  # de
    r"dépend\s+de|après|nécessite|requiert|bloqué[e]?\s+par|attend|"  # fr
    r"dipende\s+da|richiede|bloccat[oa]\s+da|dopo|"  # it
    r"после|зависит\s+от|ждёт|ждет|требует|нужн[оаы]|"  # ru
    r"po|wymaga|zależy\s+od|czeka\s+na|"  # pl
    r"sau\s+khi(?:\s+hoàn\s+thành)?|phụ\s+thuộc(?:\s+vào)?|cần|chờ|"  # vi
    r"setelah|butuh|tergantung|nunggu|menunggu|memerlukan|bergantung\s+pada|"  # id
    r"once|when|waits?\s+(?:on|for)"  # en
)
_INVERSE = (
    r"unblocks|blocks|blocking|prerequisite\s+(?:for|of|to)|required\s+by|needed\s+by|enables|"
    r"blockiert|bloquea|bloqueia|bloque|sblocca|desbloqueia|débloque|entsperrt|ontgrendelt|阻塞|前提条件|"
    r"後続タスク|后续任务|후속\s*작업|блокирует|разблокирует|blokuje|odblokowuje|chặn|memblokir"
)
# Chinese, Japanese and Korean markers need no word boundary; some follow what they name (`T3 完成后`)
_FORWARD_CJK = r"依赖于?|依賴|依存|取决于|需要|等待|前置|に依存|待ち|선행|의존"
_AFTER_CJK = r"完成之后|完成后|之后|以后|の後|以降|이후|후에"
MARKER_RE = re.compile(
    rf"(?:(?<![\w-])(?P<inv>{_INVERSE})(?![\w-])|(?<![\w-])(?P<fwd>{_FORWARD})(?![\w-])|(?P<cjk>{_FORWARD_CJK})"
    rf"|(?P<post>{_AFTER_CJK}))\s*:?",
    re.IGNORECASE,
)
# a field label (`Blocks`, `Prerequisite for`) that makes every reference in its value an inverse edge
INVERSE_LABEL_RE = re.compile(rf"^\s*(?:{_INVERSE})\s*:?\s*$", re.IGNORECASE)
# in prose, a dependency clause ends at a sentence end or a closing bracket
_CLAUSE_END_RE = re.compile(r"(?<!\d)\.(?!\d)|[;。！!?)\]\n]|\s[—–]\s|\bbut\b|\bwhile\b")

# --- external references: another document or repository ---
_LINK_RE = re.compile(r"!?\[(?P<text>[^\]]*)\]\((?P<target>[^)\s]+)(?:\s+\"[^\"]*\")?\)")
_URL_RE = re.compile(r"https?://[^\s)>\]]+")
_REPO_ISSUE_RE = re.compile(r"(?<![\w/.#-])(?:[\w.-]+/)?[A-Za-z][\w.-]*#\d+\b")
_FILE_REF_RE = re.compile(
    rf"(?<![\w/.-])(?:\.\.?/)*(?:[\w.-]+/)*[\w.-]+\.mdx?(?:#[\w.-]+|\s+(?:{UNIT_WORDS}\s+)?#?(?=[\w.-]*\d)[A-Za-z0-9]+(?:[-_.][A-Za-z0-9]+)*)?",
    re.IGNORECASE,
)
_TICKET_RE = re.compile(r"[A-Z][A-Z0-9]{1,9}-\d+")


def external_shaped(ref: str) -> bool:
    """A reference that points outside the document by its spelling: a repository, a file, a URL, ``#12``."""
    return "/" in ref or "#" in ref or ".md" in ref.lower() or "://" in ref


def _norm_num(k: str) -> str | None:
    """``03`` and ``3`` are the same unit; ``R1`` and ``1`` are not."""
    if k.isdecimal():  # the usual numeric key (`isdecimal` is exactly what `\d` matches)
        return str(int(k))
    if _NUMERIC_RE.fullmatch(k):
        return ".".join(str(int(p)) for p in k.split("."))
    return None


_SUFFIX_LETTER_RE = re.compile(r"(?<=[.\-_])[a-z](?![a-z])")  # `02.A`…`02.D` are one family


def _shape(k: str) -> str:
    """``VS-001`` -> ``vs-9``, ``1.2`` -> ``9.9``: keys of one family share a shape."""
    return _SUFFIX_LETTER_RE.sub("x", _DIGITS_RE.sub("9", k.lower()))


def _container_pattern(name: str) -> str:
    parts = re.findall(r"\d+|[^\W\d_]+", name)
    body = r"[\s\-_#:.]*".join(re.escape(p) for p in parts)
    head = r"(?<![A-Za-z0-9_])" if parts and parts[0][:1].isascii() else ""
    tail = r"(?![A-Za-z0-9_]|\.\d)" if parts and parts[-1][-1:].isascii() else ""
    return head + body + tail


_CONTAINER_HEAD_RE = re.compile(r"^(?P<head>[^\W\d_]+\s*#?\d+(?:\.\d+)*)\s*(?:[:：.)|\-—–]\s*(?P<title>.*))?$")


def container_names(name: str) -> list[str]:
    """The names a container heading or phase cell is referred to by: ``Phase 2: Foundational (Blocking)``
    -> ``Phase 2: Foundational``, ``Phase 2``, ``Foundational``; ``Store Layer (depends on Phase 2)`` ->
    ``Store Layer``."""
    plain = " ".join(re.sub(r"\([^)]*\)|\[[^\]]*\]", " ", strip_inline(name)).split()).strip(" :-—–#")
    out = [plain] if plain else []
    m = _CONTAINER_HEAD_RE.match(plain)
    if m:
        out.append(m.group("head"))
        title = (m.group("title") or "").strip()
        # a name short enough to be a common word (`UI`, `API`) is no container name on its own
        if len(title) >= (4 if title.isascii() else 2) and not title.isdecimal():
            out.append(title)
    return list(dict.fromkeys(out))


class KeyIndex:
    """Resolves what a document writes (``Session 3``, ``03``, ``ip-04``, ``VS-1``) to the keys of its
    units.  ``containers`` maps a container's name (``Phase 2``, ``Store Layer``) to its member keys."""

    def __init__(self, keys: Sequence[str], containers: Mapping[str, Sequence[str]] | None = None) -> None:
        self.keys = list(keys)
        self.pos = {k: i for i, k in enumerate(self.keys)}
        self.lower = {k.lower(): k for k in self.keys}
        self.numeric: dict[str, str] = {}
        for k in self.keys:
            n = _norm_num(k)
            if n is not None:
                self.numeric.setdefault(n, k)
        self.containers = {
            " ".join(name.split()): [m for m in members if m in self.pos]
            for name, members in (containers or {}).items()
            if name.strip()
        }
        self.containers = {n: m for n, m in self.containers.items() if m}
        # a container named by a bare number (`| 2 |` in a phase column) is what a number means only when
        # no unit has that key; one with a name is found as a phrase
        self.numbered = {n: self.containers.pop(n) for n in list(self.containers) if not re.search(r"[^\W\d_]", n)}

    @cached_property
    def _families(self) -> dict[str, list[str]]:
        """Key prefixes that end at a separator -> the keys under them: `G.3` -> `G.3.1`, `G.3.2`; `E1` ->
        `E1-S1`, `E1-S2`.  A hierarchical key names its family."""
        out: dict[str, list[str]] = {}
        for k in self.keys:
            for i, ch in enumerate(k):
                if ch in ".-_" and i:
                    out.setdefault(k[:i].lower(), []).append(k)
        return out

    def family(self, ref: str) -> list[str]:
        """The keys a reference names as their common prefix, when it is no key itself."""
        members = self._families.get(ref.lower(), [])
        return members if self.resolve(ref) is None else []

    def resolve(self, ref: str) -> str | None:
        if ref in self.pos:
            return ref
        low = ref.lower()
        if low in self.lower:
            return self.lower[low]
        n = _norm_num(ref)
        if n is not None and n in self.numeric:
            return self.numeric[n]
        return self._short(ref)

    @cached_property
    def prefixes(self) -> set[str]:
        return {_PREFIX_RE.match(k).group(0).lower() for k in self.keys}  # type: ignore[union-attr]

    @cached_property
    def shapes(self) -> set[str]:
        return {_shape(k) for k in self.keys}

    @cached_property
    def _by_numbers(self) -> dict[tuple[str, tuple[int, ...]], str | None]:
        """Keys by (letter prefix, numbers) and, when every key has one prefix, by numbers alone; a form
        shared by two keys maps to None (ambiguous)."""
        out: dict[tuple[str, tuple[int, ...]], str | None] = {}
        one_family = len(self.prefixes) == 1 and "" not in self.prefixes
        for k in self.keys:
            nums = tuple(int(d) for d in _DIGITS_RE.findall(k))
            if not nums:
                continue
            prefix = _PREFIX_RE.match(k).group(0).lower()  # type: ignore[union-attr]
            if not prefix:
                continue  # numeric keys: `03` is `3` by _norm_num, and `2-5` stays a range
            forms = [(prefix, nums)]
            if one_family:
                forms.append(("", nums))
            for form in forms:
                out[form] = None if form in out and out[form] != k else k
        return out

    def _short(self, ref: str) -> str | None:
        """``VS-1`` / ``001`` for ``VS-001``, ``6-2`` for ``P6-2``: a shorter spelling naming one unit."""
        nums = tuple(int(d) for d in _DIGITS_RE.findall(ref))
        if not nums or re.search(r"[A-Za-z]", ref.lstrip("#")[len(_PREFIX_RE.match(ref.lstrip("#")).group(0)) :]):  # type: ignore[union-attr]
            return None
        return self._by_numbers.get((_PREFIX_RE.match(ref).group(0).lower(), nums))  # type: ignore[union-attr]

    @cached_property
    def _container_re(self) -> re.Pattern[str] | None:
        if not self.containers:
            return None
        names = sorted(self.containers, key=len, reverse=True)
        self._container_names = names
        return re.compile("|".join(f"(?P<c{i}>{_container_pattern(n)})" for i, n in enumerate(names)), re.I)

    def container_at(self, m: re.Match[str]) -> list[str]:
        return self.containers[self._container_names[int(str(m.lastgroup)[1:])]]

    def local_shaped(self, ref: str) -> bool:
        """Whether ``ref`` is spelled like this document's keys (so, if it names no unit, it is unknown)."""
        if external_shaped(ref):
            return False
        if self.resolve(ref) is not None:
            return True
        prefix = _PREFIX_RE.match(ref).group(0).lower()  # type: ignore[union-attr]
        if prefix:
            return prefix in self.prefixes
        return bool(_NUMERIC_RE.fullmatch(ref)) and _shape(ref) in self.shapes


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


def _externals(text: str, index: KeyIndex, foreign_ids: bool, out: list[str]) -> str:
    """Collect references to other documents and repositories, and blank them (and local link syntax)."""

    def link(m: re.Match[str]) -> str:
        text_, target = m.group("text"), m.group("target")
        if target.startswith("#"):
            return f" {text_} "  # a link inside this document: its text names the unit
        inner = target.startswith("../") or "#" in target or "://" in target
        if not inner and index.resolve(text_.strip(" `*_#")) is not None:
            return f" {text_} "  # `[R1](r1.md)`: a unit's own detail file, named by the unit's key
        if _REPO_ISSUE_RE.fullmatch(text_.strip(" `*_")):
            return _keep(text_.strip(" `*_"), out)  # `[org/repo#12](https://…)`: named as people write it
        return _keep(target, out)

    if "](" in text:
        text = _LINK_RE.sub(link, text)
    if "://" in text:
        text = _URL_RE.sub(lambda m: _keep(m.group(0), out), text)
    if "#" in text:
        text = _REPO_ISSUE_RE.sub(lambda m: _keep(m.group(0), out), text)
    if ".md" in text.lower():
        text = _FILE_REF_RE.sub(lambda m: _keep(m.group(0), out) if m.group(0) != _bare_file(m.group(0)) else " ", text)
    if foreign_ids:
        # a dependency column naming another tracker's ticket (`SEC-7`): kept as written
        text = _TICKET_RE.sub(lambda m: m.group(0) if index.local_shaped(m.group(0)) else _keep(m.group(0), out), text)
    return text


def _bare_file(s: str) -> str:
    """A file named without a unit in it (`see SETUP.md`) points at no unit."""
    return re.sub(r"(?:#[\w.-]+|\s.*)$", "", s)


_PLACE = "\ue000"  # a private-use character: no word character, so no reference is read from a placeholder


def _keep(s: str, out: list[str]) -> str:
    """Record an external reference; leave a placeholder naming it, so prose can tell which clause held it."""
    if s not in out:
        out.append(s)
    return f" {_PLACE}{chr(0xE100 + out.index(s))} "


def _placed(piece: str, found: list[str]) -> list[str]:
    """The external references whose placeholders sit in ``piece``."""
    return [found[ord(piece[i + 1]) - 0xE100] for i in range(len(piece) - 1) if piece[i] == _PLACE]


def _relative_end(a: str, b: str) -> str | None:
    """``VS-001..004`` -> ``VS-004``, ``P6-2~4`` -> ``P6-4``: an end written as the last number only."""
    if not b.isdecimal():
        return None
    runs = list(_DIGITS_RE.finditer(a))
    if not runs:
        return None
    last = runs[-1]
    return a[: last.start()] + b + a[last.end() :]


def _clauses(text: str, prose: bool) -> list[tuple[str, bool]]:
    """Split ``text`` at dependency markers: (piece, inverse).  Outside ``prose`` the text before the first
    marker is a forward dependency; in prose only a marker's own clause names dependencies."""
    out: list[tuple[str, bool]] = []
    pos, inverse, active = 0, False, not prose
    for m in MARKER_RE.finditer(text):
        piece = text[pos : m.start()]
        if m.group("post"):
            # `T3 完成后开始`: the marker follows what it names, back to the start of its clause
            if prose:
                ends = list(_CLAUSE_END_RE.finditer(piece))
                piece = piece[ends[-1].end() :] if ends else piece
            out.append((piece, False))
            pos, inverse, active = m.end(), False, not prose
            continue
        if active:
            if prose:
                end = _CLAUSE_END_RE.search(piece)
                piece = piece[: end.start()] if end else piece
            out.append((piece, inverse))
        pos, inverse, active = m.end(), m.group("inv") is not None, True
    piece = text[pos:]
    if active:
        if prose:
            end = _CLAUSE_END_RE.search(piece)
            piece = piece[: end.start()] if end else piece
        out.append((piece, inverse))
    return out


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
    """
    found: list[str] = []
    raw = _externals(text, index, foreign_ids, found)
    plain = strip_inline(raw)
    if any(c.isdigit() for c in plain):
        plain = _QUANTITY_RE.sub(" ", _DATE_RE.sub(" ", plain))
    # "Phase 2. Can run in parallel with 3·4": a sentence about parallel work names no dependency
    if _PARALLEL_RE.search(plain):
        plain = " ".join(p for p in _SENTENCE_END_RE.split(plain) if not _PARALLEL_RE.search(p))
    # outside prose every external reference counts; in prose only those inside a dependency clause
    refs = Refs([], False, [], [], [] if prose else list(found))
    for piece, inv in _clauses(plain, prose):
        if prose:
            refs.external.extend(e for e in _placed(piece, found) if e not in refs.external)
        _scan(piece, index, current, refs, inverse or inv, prose)
    if not (refs.keys or refs.unknown or refs.inverse or refs.external):
        refs.explicit_none = not plain.strip() or bool(_NONE_RE.match(plain))
    return refs


def _scan(piece: str, index: KeyIndex, current: str | None, refs: Refs, inverse: bool, prose: bool) -> None:
    target = refs.inverse if inverse else refs.keys
    have = set(target)

    def add(k: str) -> None:
        if k != current and k not in have:
            have.add(k)
            target.append(k)

    def unknown(ref: str) -> None:
        if ref not in refs.unknown and not inverse:
            refs.unknown.append(ref)

    if _ALL_PREV_RE.search(piece) and current in index.pos:
        for before in index.keys[: index.pos[current]]:
            add(before)
    crx = index._container_re
    if crx is not None:
        chunks: list[str] = []
        last = 0
        for m in crx.finditer(piece):
            for member in index.container_at(m):
                add(member)
            chunks.append(piece[last : m.start()])
            chunks.append(" " * (m.end() - m.start()))
            last = m.end()
        if chunks:
            piece = "".join(chunks) + piece[last:]
    tokens = list(_TOKEN_RE.finditer(piece))
    prev_key: str | None = None
    prev_end = -1
    for m in tokens:
        hashed, tok = bool(m.group(1)), m.group(2)
        gap = piece[prev_end : m.start()] if prev_key is not None else ""
        if prev_key is not None and _RANGE_GAP_RE.match(gap) and _range(index, prev_key, tok, add):
            prev_key = None
            continue
        prev_key, prev_end = None, m.end()
        k = index.resolve(tok)
        if k is None:
            bare = _UNIT_WORD_PREFIX_RE.sub("", tok)
            k = index.resolve(bare) if bare != tok else None
        if k is not None:
            add(k)
            prev_key = k
            continue
        if _split_range(index, tok, add):
            continue
        members = index.numbered.get(tok) or index.numbered.get(_norm_num(tok) or tok) or index.family(tok)
        if members:
            for k in members:
                add(k)
            continue
        if hashed and not index.local_shaped(tok):
            if f"#{tok}" not in refs.external:
                refs.external.append(f"#{tok}")  # `(blocked by #12)` beside keys that are no numbers
            continue
        if (
            index.local_shaped(tok)
            and not (prose and tok.isdecimal() and not hashed and not _unit_word_before(piece, m.start()))
            and not _in_parens(piece, m.start())
        ):
            unknown(tok)


def _unit_word_before(piece: str, start: int) -> bool:
    return bool(re.search(rf"{UNIT_WORDS}\s*$", piece[:start], re.IGNORECASE))


def _in_parens(piece: str, start: int) -> bool:
    before = piece[:start]
    return before.rfind("(") > before.rfind(")")


def _range(index: KeyIndex, a: str, b_raw: str, add: Callable[[str], None]) -> bool:
    b = index.resolve(b_raw)
    if b is None or index.pos[b] < index.pos[a] or _shape(b) != _shape(a):
        rel = _relative_end(a, b_raw)
        b = index.resolve(rel) if rel else None
    if b is None or index.pos[b] < index.pos[a]:
        return False
    shape = _shape(a)
    for k in index.keys[index.pos[a] : index.pos[b] + 1]:
        if _shape(k) == shape:
            add(k)
    return True


def _split_range(index: KeyIndex, tok: str, add: Callable[[str], None]) -> bool:
    """``1.1-1.4``, ``T004-T005``, ``2-5``: one token holding a range."""
    for i, ch in enumerate(tok):
        if ch == "-":
            a = index.resolve(tok[:i]) or index.resolve(_UNIT_WORD_PREFIX_RE.sub("", tok[:i]))
            if a is not None and _range(index, a, tok[i + 1 :], add):
                return True
    return False


class _HasPrereqs(Protocol):
    key: str
    prerequisites: list[str]
    phase: str | None
    status: Status


def phase_containers(units: Sequence[_HasPrereqs]) -> dict[str, list[str]]:
    """Containers from the phase each unit was read under: every name of the phase -> its members."""
    out: dict[str, list[str]] = {}
    for u in units:
        if u.phase and u.status is not Status.DROPPED:  # a dropped member is nothing to wait for
            for name in container_names(u.phase):
                out.setdefault(name, []).append(u.key)
    return out


def add_inverse(units: Mapping[str, _HasPrereqs], edges: Sequence[tuple[str, str]]) -> None:
    """Apply inverse edges (``Blocks: Y`` written at X gives (Y, X)): Y waits for X."""
    for dependant, prerequisite in edges:
        u = units.get(dependant)
        if u is not None and prerequisite != dependant and prerequisite not in u.prerequisites:
            u.prerequisites.append(prerequisite)
