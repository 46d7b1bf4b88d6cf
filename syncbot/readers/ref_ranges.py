"""Ranges of keys as people write them: `1.1-1.4`, `VS-001..004`, `P6-2~4`, `3–5`, `T004-T005` (document
order, keys of the same shape as the first end).  Used by :mod:`syncbot.readers.refs`."""

from __future__ import annotations

import re
from collections.abc import Callable

from syncbot.readers.key_index import DIGITS_RE, UNIT_WORDS, KeyIndex, family_shape, natural_key

# `Step3`, `phase-2`: a unit word glued to the number it names
UNIT_WORD_PREFIX_RE = re.compile(rf"^{UNIT_WORDS}[-_]?(?=\d)", re.IGNORECASE)


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
    """``1.1-1.4``, ``T004-T005``, ``2-5``: one token holding a range."""
    for i, ch in enumerate(tok):
        if ch == "-":
            a = index.resolve(tok[:i]) or index.resolve(UNIT_WORD_PREFIX_RE.sub("", tok[:i]))
            if a is not None and key_range(index, a, tok[i + 1 :], add):
                return True
    return False
