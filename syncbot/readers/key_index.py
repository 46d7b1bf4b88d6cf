"""The keys of a document's units, and what resolves to them: `Session 3`, `03`, `ip-04` and `VS-1` name the
same units as the keys `3`, `3`, `IP-04` and `VS-001`; a container's name (`Phase 2`) names its members.
Pure functions of the keys; nothing here reads a document."""

from __future__ import annotations

import bisect
import re
from collections.abc import Mapping, Sequence
from functools import cached_property
from typing import TYPE_CHECKING

from syncbot.readers.common import per_reading, strip_inline
from syncbot.readers.regex_guard import literal_guard

if TYPE_CHECKING:
    from syncbot.readers.refs import Refs

UNIT_WORDS = r"(?:sessions?|steps?|phases?|packets?|work\s+packets?|stages?|tasks?|milestones?|parts?|sprints?)"


KEY_CORE = r"[A-Za-z]{1,6}[-_]?\d+(?:\.\d+)*[a-z]?|\d+(?:\.\d+)*[a-z]?"


_NUMERIC_RE = re.compile(r"\d+(?:\.\d+)*")


DIGITS_RE = re.compile(r"\d+")


_PREFIX_RE = re.compile(r"^[A-Za-z]*")


_ID_HEAD_RE = re.compile(r"[^\W\d_]{1,4}\d{1,4}")


def slug_shaped(k: str) -> bool:
    """A key made from a title, not written as an id: `ups-for-the-rack`, `32-gb-ram-kit-for-the-ds923`."""
    return k.count("-") >= 2 and k == k.lower() and sum(bool(re.search(r"[^\W\d_]", p)) for p in k.split("-")) >= 3


def external_shaped(ref: str) -> bool:
    """A reference that points outside the document by its spelling: a repository, a file, a URL, ``#12``."""
    return "/" in ref or "#" in ref or ".md" in ref.lower() or "://" in ref


def norm_num(k: str) -> str | None:
    """``03`` and ``3`` are the same unit; ``R1`` and ``1`` are not."""
    if k.isdecimal():  # the usual numeric key (`isdecimal` is exactly what `\d` matches)
        return str(int(k))
    if _NUMERIC_RE.fullmatch(k):
        return ".".join(str(int(p)) for p in k.split("."))
    return None


_SUFFIX_LETTER_RE = re.compile(r"(?<=[.\-_])[a-z](?![a-z])")  # `02.A`…`02.D` are one family


def key_shape(k: str) -> str:
    """``VS-001`` -> ``vs-9``, ``1.2`` -> ``9.9``: keys of one family share a shape."""
    return _SUFFIX_LETTER_RE.sub("x", DIGITS_RE.sub("9", k.lower()))


def family_shape(key: str) -> str:
    """:func:`key_shape` less a letter after the last number: `S-02b` is of `S-01`'s family, and `S-205a` to
    `S-205c` or `A-3a` to `A-4` are ranges."""
    return _SUFFIX_RE.sub("", key_shape(key))


_SUFFIX_RE = re.compile(r"(?<=9)[a-z]$")


NaturalKey = tuple[tuple[int, int | str], ...]


def natural_key(key: str) -> NaturalKey:
    """``01.C`` -> ((0, 1), (1, '.'), (1, 'C')): numbers by value, the rest as written."""
    return tuple((0, int(p)) if p.isdecimal() else (1, p) for p in _NATURAL_PART_RE.findall(key))


_NATURAL_PART_RE = re.compile(r"\d+|\D+")


def _first_part(name: str) -> str:
    """The text a match of ``_container_pattern(name)`` starts with ("" for none)."""
    m = _PART_RE.search(name)
    return m.group() if m else ""


_PART_RE = re.compile(r"\d+|[^\W\d_]+")


def _container_pattern(name: str) -> str:
    parts = _PART_RE.findall(name)
    if len(parts) == 1 and _LETTER_RE.fullmatch(parts[0]):
        # `C` (of `## Ｃ．設定`) as a capital letter standing alone, never `a` the word or the `C` of `C-1`
        return rf"(?-i:(?<![A-Za-z0-9_\-]){parts[0]}(?![A-Za-z0-9_]|[.\-]\w))"
    body = r"[\s\-_#:.、，．・]*".join(re.escape(p) for p in parts)  # `二、稳定性保障` as written
    head = r"(?<![A-Za-z0-9_])" if parts and parts[0][:1].isascii() else ""
    # (not `iOS` of `iOS-1`, nor `E1` of `E1-S1`, the key of one of its stories)
    tail = r"(?![A-Za-z0-9_]|[.\-/]\d|-[A-Za-z])" if parts and parts[-1][-1:].isascii() else ""
    return head + body + tail


_LETTER_RE = re.compile(r"[A-HJ-Z]")  # not `I`, a word of English
_NAME_WORD_RE = re.compile(r"\w+")
_TITLE_JOIN_RE = re.compile(r"\s+(?:&|and|und|y|et|e)\s+|\s*[,、，/]\s*")
# the head of a container's title when it is numbered itself: `User Story 1` of `Phase 3: User Story 1 - Upload`
_TITLE_HEAD_RE = re.compile(r"^(?P<head>(?:[^\W\d_]+\s+){1,3}\d+)\s*(?:[:：.)|\-—–(]|$)")


# (`W1 基础数据`, `Phase 2 Foundations`: or the title after a space alone)
_CONTAINER_HEAD_RE = re.compile(
    r"^(?P<head>[^\W\d_]+\s*#?\d+(?:\.\d+)*)(?:\s*[:：.)|\-—–]\s*(?P<title>.*)|\s+(?P<spaced>[^\W\d_].*))?$"
)
# a part lettered rather than numbered: `Awamu B — Ujenzi`, `Phase A: Setup`, `C. 設定` (`## Ｃ．設定`)
_LETTER_HEAD_RE = re.compile(r"^(?P<head>(?:[^\W\d_]+\s+)?[A-Z])\s*(?:[:：.)|]|\s[\-—–])\s*(?P<title>.+)$")


def container_names(name: str) -> list[str]:
    """The names a container heading or phase cell is referred to by: ``Phase 2: Foundational (Blocking)``
    -> ``Phase 2: Foundational``, ``Phase 2``, ``Foundational``; ``Store Layer (depends on Phase 2)`` ->
    ``Store Layer``; ``Awamu B — Ujenzi`` -> ``Awamu B``, ``Ujenzi`` too."""
    plain = " ".join(re.sub(r"\([^)]*\)|\[[^\]]*\]", " ", strip_inline(name)).split()).strip(" :-—–#")
    out = [plain] if plain else []
    # `第二階段：核心功能` is called `第二階段` too: a name before a full-width colon (no number to find it by)
    head, colon, _ = plain.partition("：")
    if colon and 2 <= len(head.strip()) <= 12 and not head.isascii():
        out.append(head.strip())
    m = _CONTAINER_HEAD_RE.match(plain) or _LETTER_HEAD_RE.match(plain)
    if m:
        out.append(m.group("head"))
        title = (m.group("title") or m.groupdict().get("spaced") or "").strip()
        # a name short enough to be a common word (`UI`, `API`) is no container name on its own
        if len(title) >= (4 if title.isascii() else 2) and not title.isdecimal():
            out.append(title)
            inner = _TITLE_HEAD_RE.match(title)
            if inner:
                out.append(inner.group("head").strip())
            # `Polish & Cross-Cutting Concerns` is called `Polish` too
            first = _TITLE_JOIN_RE.split(title, maxsplit=1)[0].strip()
            if first != title and len(first) >= (4 if first.isascii() else 2):
                out.append(first)
    return list(dict.fromkeys(out))


_IDENT_KEY_RE = re.compile(r"[^\W\d_]\w*(?:[-_][^\W_]+)+")


def ident_form(name: str) -> str:
    """`Stg_Orders` and `stg-orders` are one identifier."""
    return name.lower().replace("_", "-")


class KeyIndex:
    """Resolves what a document writes (``Session 3``, ``03``, ``ip-04``, ``VS-1``) to the keys of its
    units.  ``containers`` maps a container's name (``Phase 2``, ``Store Layer``) to its member keys."""

    def __init__(self, keys: Sequence[str], containers: Mapping[str, Sequence[str]] | None = None) -> None:
        self.keys = list(keys)
        self.slashed = any("/" in k for k in self.keys)  # `K3/4`
        self.pos = {k: i for i, k in enumerate(self.keys)}
        self.lower = {k.lower(): k for k in self.keys}
        self.numeric: dict[str, str] = {}
        for k in self.keys:
            n = norm_num(k)
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
    def answers(self) -> dict[tuple[object, ...], Refs]:
        """What :func:`refs.parse_refs` found against these keys and containers, by its other arguments: one
        dict for every index of the same keys and containers built in one reading (detection's readers build
        equal indexes and read the same fields against them)."""
        return _answers(
            (
                tuple(self.keys),
                tuple((n, tuple(m)) for n, m in self.containers.items()),
                tuple((n, tuple(m)) for n, m in self.numbered.items()),
            )
        )

    @cached_property
    def _by_lower(self) -> tuple[list[str], list[int]]:
        """The keys lower-cased and sorted, with their places in :attr:`keys` (for :meth:`opening_with`)."""
        pairs = sorted((k.lower(), i) for i, k in enumerate(self.keys))
        return [k for k, _ in pairs], [i for _, i in pairs]

    def opening_with(self, prefix: str) -> list[str]:
        """The keys longer than ``prefix`` (lower case) that open with it, in document order (`G.1.x`): a
        bisection of the sorted keys, not a pass over all of them for every wildcard (a tracker whose units
        each wait for `G.<n>.x` took a pass per unit, quadratic)."""
        lowered, places = self._by_lower
        lo = bisect.bisect_left(lowered, prefix)
        hi = bisect.bisect_left(lowered, prefix + "\U0010ffff")
        return [self.keys[i] for i in sorted(i for i in places[lo:hi] if len(self.keys[i]) > len(prefix))]

    @cached_property
    def named(self) -> dict[str, str]:
        """Keys that are identifiers with no number (`stg_orders`, `dim-customer`), by :func:`ident_form`:
        prose names such a unit by its identifier as it names any other word (`stg_orders` is the section
        keyed `stg-orders`)."""
        return {ident_form(k): k for k in self.keys if not DIGITS_RE.search(k) and _IDENT_KEY_RE.fullmatch(k)}

    @cached_property
    def _families(self) -> dict[str, list[str]]:
        """Key prefixes that end at a separator -> the keys under them: `G.3` -> `G.3.1`, `G.3.2`; `E1` ->
        `E1-S1`, `E1-S2`.  A hierarchical key names its family."""
        out: dict[str, list[str]] = {}
        for k in self.keys:
            if slug_shaped(k):
                # a key made from a title is named by the id that leads it (`T4` for `t4-balance-…`), never
                # by a number (`32 GB RAM kit` is no family of `32-gb-ram-kit-…`)
                head = k.split("-", 1)[0]
                if _ID_HEAD_RE.fullmatch(head):
                    out.setdefault(head, []).append(k)
                continue
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
        n = norm_num(ref)
        if n is not None and n in self.numeric:
            return self.numeric[n]
        return self._short(ref)

    @cached_property
    def prefixes(self) -> set[str]:
        return {_PREFIX_RE.match(k).group(0).lower() for k in self.keys}  # type: ignore[union-attr]

    @cached_property
    def shapes(self) -> set[str]:
        return {key_shape(k) for k in self.keys}

    def in_natural_order(self, a: str, b: str) -> list[str]:
        """The keys of ``a``'s shape from ``a`` to ``b`` by their numbers (``01.A``, ``01.B``, ``01.C``), however
        the document orders them; found by bisection in each shape's keys sorted once."""
        naturals, keys = self._natural_orders.get(key_shape(a), ([], []))
        lo, hi = natural_key(a), natural_key(b)
        return keys[bisect.bisect_left(naturals, lo) : bisect.bisect_right(naturals, hi)]

    @cached_property
    def _natural_orders(self) -> dict[str, tuple[list[NaturalKey], list[str]]]:
        by_shape: dict[str, list[tuple[NaturalKey, str]]] = {}
        for k in self.keys:
            by_shape.setdefault(key_shape(k), []).append((natural_key(k), k))
        out: dict[str, tuple[list[NaturalKey], list[str]]] = {}
        for shape, pairs in by_shape.items():
            pairs.sort(key=lambda p: p[0])  # (stable: keys equal by number keep the document's order)
            out[shape] = ([n for n, _ in pairs], [k for _, k in pairs])
        return out

    @cached_property
    def _by_numbers(self) -> dict[tuple[str, tuple[int, ...]], str | None]:
        """Keys by (letter prefix, numbers) and, when every key has one prefix, by numbers alone; a form
        shared by two keys maps to None (ambiguous)."""
        out: dict[tuple[str, tuple[int, ...]], str | None] = {}
        one_family = len(self.prefixes) == 1 and "" not in self.prefixes
        for k in self.keys:
            nums = tuple(int(d) for d in DIGITS_RE.findall(k))
            if not nums:
                continue
            prefix = _PREFIX_RE.match(k).group(0).lower()  # type: ignore[union-attr]
            if not prefix:
                continue  # numeric keys: `03` is `3` by norm_num, and `2-5` stays a range
            forms = [(prefix, nums)]
            if one_family:
                forms.append(("", nums))
            for form in forms:
                out[form] = None if form in out and out[form] != k else k
        return out

    def _short(self, ref: str) -> str | None:
        """``VS-1`` / ``001`` for ``VS-001``, ``6-2`` for ``P6-2``: a shorter spelling naming one unit."""
        nums = tuple(int(d) for d in DIGITS_RE.findall(ref))
        if not nums or re.search(r"[A-Za-z]", ref.lstrip("#")[len(_PREFIX_RE.match(ref.lstrip("#")).group(0)) :]):  # type: ignore[union-attr]
            return None
        return self._by_numbers.get((_PREFIX_RE.match(ref).group(0).lower(), nums))  # type: ignore[union-attr]

    @cached_property
    def _container_re(self) -> re.Pattern[str] | None:
        if not self.containers:
            return None
        names = sorted(self.containers, key=len, reverse=True)
        self._container_names = names
        alts = "|".join(f"(?P<c{i}>{_container_pattern(n)})" for i, n in enumerate(names))
        # hundreds of `Phase N` names are tried at a position only when one of them can start there (each
        # alternative starts with its name's first word: see _container_pattern)
        guard = literal_guard([_first_part(n) for n in names])
        return re.compile(f"(?={guard})(?:{alts})" if guard else alts, re.I)

    @cached_property
    def _by_name(self) -> dict[str, list[str]]:
        out = {name.lower(): members for name, members in self.numbered.items()}
        for name, members in self.containers.items():
            out.setdefault(" ".join(_NAME_WORD_RE.findall(name.lower())), members)
        return out

    def container_named(self, name: str) -> list[str] | None:
        """The members of the container called exactly ``name`` (`fase 3`, `US1`), case and punctuation aside."""
        return self._by_name.get(" ".join(_NAME_WORD_RE.findall(name.lower())))

    def container_words(self) -> list[tuple[str, list[str]]]:
        """Every container's name as lower-case words with a space either side (` user story 1 upload `)."""
        return [(f" {n} ", members) for n, members in self._by_name.items()]

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
        return bool(_NUMERIC_RE.fullmatch(ref)) and key_shape(ref) in self.shapes


@per_reading  # (a tuple of every key, hashed once an index)
def _answers(content: tuple[object, ...]) -> dict[tuple[object, ...], Refs]:
    return {}
