"""Titles as a person reads them: a heading's or an item's text with its status phrases (found by
readers/phrases.py), emphasis, emoji and dangling separators removed; and the slug a title is keyed by."""

from __future__ import annotations

import itertools
import re
import unicodedata

from syncbot.readers.common import per_reading, strip_inline
from syncbot.readers.lazy_re import lazy_re
from syncbot.readers.phrases import Phrase, is_deco


class _DecoToSpace(dict[int, str]):
    """``str.translate`` table that turns every :func:`is_deco` character into a space, filled in as
    characters are met (a title is translated in C instead of a Python call per character)."""

    def __missing__(self, code: int) -> str:
        ch = chr(code)
        self[code] = out = " " if is_deco(ch) else ch
        return out


_DECO_TO_SPACE = _DecoToSpace()


_DECO_EDGE_RE = lazy_re(r"^[\s\-–—:|.,;·•]+|[\s\-–—:|,;·•]+$")
_EDGE_FIRST, _EDGE_LAST = frozenset("-–—:|.,;·•"), frozenset("-–—:|,;·•")  # what it strips, less whitespace

_DATE_PAREN_END_RE = lazy_re(r"\s*\(\s*\d{4}-\d{2}-\d{2}\s*\)$")


_EMPTY_BRACKETS_RE = lazy_re(r"\(\s*\)|\[\s*\]")


def clean_title(t: str, remove: list[Phrase] | None = None) -> str:
    """A title as a person reads it: status phrases, emphasis, emoji and dangling separators removed."""
    if remove:
        spans = sorted(remove, key=lambda p: p.start)
        if all(a.end <= b.start and a.start < b.start for a, b in itertools.pairwise(spans)):
            # apart from each other (always, but for a phrase inside another): the pieces between them joined
            # once, not the line copied once per phrase (a line of 10,000 phrases)
            pieces, last = [], 0
            for p in spans:
                pieces.append(t[last : p.start])
                last = p.end
            t = " ".join(pieces) + " " + t[last:]
        else:
            for p in sorted(remove, key=lambda p: -p.start):
                t = t[: p.start] + " " + t[p.end :]
    return _clean_title(t)


@per_reading  # the tasklist, phases and components readers clean the same item and heading texts
def _clean_title(t: str) -> str:
    t = strip_inline(t)
    if "(" in t or "[" in t:
        t = _EMPTY_BRACKETS_RE.sub(" ", t)
    if t.endswith(")"):
        t = _DATE_PAREN_END_RE.sub("", t)  # `Setup ✅ (2025-01-02)`: when it was done is no part of the name
    t = t.translate(_DECO_TO_SPACE) if not t.isascii() or "^" in t or "`" in t else t  # (ASCII: `^` `` ` `` only)
    t = " ".join(t.split())
    prev = None
    # (``t`` has no whitespace at its ends now: the substitution can change it only at a separator)
    while prev != t and t and (t[0] in _EDGE_FIRST or t[-1] in _EDGE_LAST):
        prev = t
        t = _DECO_EDGE_RE.sub("", t).strip()
    return t


def slug(s: str) -> str:
    if s.isascii():  # the same as below, without a Python step per character
        return _ASCII_NON_ALNUM_RE.sub("-", s).lower().strip("-")
    # a vowel sign or a virama is part of its word (`সম্পন্ন`, `முடிந்தது`)
    out = "".join(c.lower() if c.isalnum() or unicodedata.category(c)[0] == "M" else "-" for c in s)
    return re.sub(r"-+", "-", out).strip("-")


_ASCII_NON_ALNUM_RE = lazy_re(r"[^A-Za-z0-9]+")
