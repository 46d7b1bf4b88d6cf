"""The keys of a document's units, and what resolves to them: `Session 3`, `03`, `ip-04` and `VS-1` name the
same units as the keys `3`, `3`, `IP-04` and `VS-001`; a container's name (`Phase 2`) names its members.
Pure functions of the keys; nothing here reads a document.  (How one key is spelled, its shape and number,
is :mod:`key_shapes`; the names a container goes by, :mod:`container_names`.)"""

from __future__ import annotations

import bisect
import re
from collections.abc import Mapping, Sequence
from functools import cached_property
from typing import TYPE_CHECKING

from syncbot.readers.common import per_reading
from syncbot.readers.container_names import container_pattern, first_part
from syncbot.readers.key_shapes import (
    DIGITS_RE,
    NUMERIC_RE,
    NaturalKey,
    external_shaped,
    ident_form,
    key_shape,
    natural_key,
    norm_num,
    slug_shaped,
)
from syncbot.readers.lazy_re import lazy_re
from syncbot.readers.regex_guard import literal_guard

if TYPE_CHECKING:
    from syncbot.readers.ref_result import Refs

UNIT_WORDS = r"(?:sessions?|steps?|phases?|packets?|work\s+packets?|stages?|tasks?|milestones?|parts?|sprints?)"


_PREFIX_RE = lazy_re(r"^[A-Za-z]*")


_ID_HEAD_RE = lazy_re(r"[^\W\d_]{1,4}\d{1,4}")


_NAME_WORD_RE = lazy_re(r"\w+")


_IDENT_KEY_RE = lazy_re(r"[^\W\d_]\w*(?:[-_][^\W_]+)+")


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
        alts = "|".join(f"(?P<c{i}>{container_pattern(n)})" for i, n in enumerate(names))
        # hundreds of `Phase N` names are tried at a position only when one of them can start there (each
        # alternative starts with its name's first word: see container_pattern)
        guard = literal_guard([first_part(n) for n in names])
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
        return bool(NUMERIC_RE.fullmatch(ref)) and key_shape(ref) in self.shapes


@per_reading  # (a tuple of every key, hashed once an index)
def _answers(content: tuple[object, ...]) -> dict[tuple[object, ...], Refs]:
    return {}
