"""Ranges of keys as people write them: `1.1-1.4`, `VS-001..004`, `P6-2~4`, `3–5`, `T004-T005` (document
order, keys of the same shape as the first end).  Used by :mod:`syncbot.readers.refs`."""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable

from syncbot.readers.key_index import UNIT_WORDS, KeyIndex
from syncbot.readers.key_shapes import DIGITS_RE, family_shape, natural_key
from syncbot.readers.lazy_re import lazy_re

# `Step3`, `phase-2`: a unit word glued to the number it names
UNIT_WORD_PREFIX_RE = lazy_re(rf"^{UNIT_WORDS}[-_]?(?=\d)", re.IGNORECASE)


def relative_end(a: str, b: str) -> str | None:
    """``VS-001..004`` -> ``VS-004``, ``P6-2~4`` -> ``P6-4``: an end written as the last number only."""
    if not b.isdecimal():
        return None
    runs = list(DIGITS_RE.finditer(a))
    if not runs:
        return None
    last = runs[-1]
    return a[: last.start()] + b + a[last.end() :]


def key_range(index: KeyIndex, a: str, b_raw: str, add: Callable[[str], None]) -> bool:
    b = index.resolve(b_raw)
    if b is None or index.pos[b] < index.pos[a] or family_shape(b) != family_shape(a):
        rel = relative_end(a, b_raw)
        b = index.resolve(rel) or b if rel else b
    return _range_to(index, a, b, add)


def _range_to(index: KeyIndex, a: str, b: str | None, add: Callable[[str], None]) -> bool:
    """The range from ``a`` to the key ``b`` the end resolved to (nothing is added when it is none)."""
    if b is None or family_shape(b) != family_shape(a):
        return False
    shape = family_shape(a)
    lo, hi = natural_key(a), natural_key(b)
    if index.pos[b] >= index.pos[a]:
        span = [k for k in index.keys[index.pos[a] : index.pos[b] + 1] if family_shape(k) == shape]
        if hi <= lo or all(lo <= natural_key(k) <= hi for k in span):
            for k in span:
                add(k)
            return True
    # written out of order (a board's lanes): `01.A–01.C` still means A, B and C, and `VS-004 a VS-012` on a
    # board whose lanes hold VS-001 and VS-014 between them means the numbers from 4 to 12
    if hi <= lo:
        return False
    for k in index.in_natural_order(a, b):
        add(k)
    return True


def split_range(index: KeyIndex, tok: str, add: Callable[[str], None]) -> bool:
    """``1.1-1.4``, ``T004-T005``, ``2-5``: one token holding a range.  The text before each `-` (or it less a
    unit word) and the text after it are resolved; in a long token, through :class:`_Parts` (resolving each
    side as a copy, each as long as the token, took 16 s for `1-1-…-1` of 20,000 characters)."""
    if len(tok) <= _SHORT_TOKEN:
        for i, ch in enumerate(tok):
            if ch == "-":
                a = index.resolve(tok[:i]) or index.resolve(UNIT_WORD_PREFIX_RE.sub("", tok[:i]))
                if a is not None and key_range(index, a, tok[i + 1 :], add):
                    return True
        return False
    parts = _Parts(index, tok)
    unit = UNIT_WORD_PREFIX_RE.match(tok)  # (tok[:i] less it is tok[unit.end():i] once i is past it)
    for i in parts.cuts:
        a = parts.resolve(0, i)
        if a is None and unit is not None:
            e = unit.end()
            a = parts.resolve(e, i) if e < i else index.resolve(UNIT_WORD_PREFIX_RE.sub("", tok[:i]))
        if a is None:
            continue
        if not parts.long(i + 1, len(tok)):
            if key_range(index, a, tok[i + 1 :], add):
                return True
        elif _range_to(index, a, parts.resolve(i + 1, len(tok)), add):
            return True  # (the end holds a `-`, so it is no number a relative end is written as)
    return False


_SHORT_TOKEN = 64
_LETTER_RE = lazy_re(r"[A-Za-z]")


def _has(places: list[int], a: int, b: int) -> bool:
    """Whether the sorted ``places`` hold one in ``[a, b)``."""
    i = bisect.bisect_left(places, a)
    return i < len(places) and places[i] < b


class _Parts:
    """``index.resolve(tok[a:b])`` for the parts of one token between its `-`s (``a`` at its start, after a
    `-` or a unit word, ``b`` at a `-` or its end: no run of digits is cut), the token read once.  A part
    longer than every key (lower-cased) and holding a `-` is no key as written, in lower case or as a
    number: it can only be a shorter spelling (``KeyIndex._short``), worked out here from the token's runs
    of digits and letters found once, not from a copy of the part."""

    def __init__(self, index: KeyIndex, tok: str) -> None:
        self.index, self.tok = index, tok
        known: int | None = index.__dict__.get("_longest_key")  # (once an index)
        if known is None:
            known = index.__dict__["_longest_key"] = max(map(len, index.lower), default=0)
        self.longest = known
        self.cuts = [i for i, ch in enumerate(tok) if ch == "-"]
        self.letters = [m.start() for m in _LETTER_RE.finditer(tok)]
        runs = list(DIGITS_RE.finditer(tok))
        self.starts, self.ends = [m.start() for m in runs], [m.end() for m in runs]
        self.digits = [m.group() for m in runs]
        self.heads: dict[int, tuple[int, str]] = {}
        self.nums: dict[tuple[int, int], tuple[int, ...]] = {}

    def long(self, a: int, b: int) -> bool:
        return b - a > self.longest and _has(self.cuts, a, b)

    def resolve(self, a: int, b: int) -> str | None:
        tok = self.tok
        if not self.long(a, b):
            return self.index.resolve(tok[a:b])
        head = self.heads.get(a)
        if head is None:  # where the part's letters end after its `#`s, and its own prefix (`#` first: none)
            x, n = a, len(tok)
            while x < n and tok[x] == "#":
                x += 1
            y = x
            while y < n and tok[y] < "\x80" and tok[y].isalpha():
                y += 1
            head = self.heads[a] = (y, tok[a:y].lower() if x == a else "")
        y, prefix = head
        lo, hi = bisect.bisect_left(self.starts, a), bisect.bisect_right(self.ends, b)
        if not lo < hi <= lo + self.longest or _has(self.letters, y, b):
            return None  # (no number, a letter after the prefix, or more numbers than any key holds)
        nums = self.nums.get((lo, hi))
        if nums is None:
            nums = self.nums[(lo, hi)] = tuple(int(d) for d in self.digits[lo:hi])
        return self.index._by_numbers.get((prefix, nums))
