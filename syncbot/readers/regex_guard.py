"""A cheap lookahead that lets a regex of many alternatives give up at once where none of them can start.

Python's ``re`` tries the alternatives of a group one after another at every position it searches, so a
pattern of a few hundred words (the dependency markers of :data:`refs.MARKER_RE`, scanned over whole
documents and over every dependency text) costs the same at every word.  :func:`prefix_guard` reads the
alternations, takes what each alternative starts with, as literal characters and whitespace
(``blocked\\s`` of ``blocked\\s+(?:on|by)``), and writes those prefixes as one trie
(``b(?:e(?:fore|…)|locked\\s|…)``): at each level the branches start differently, and a text that starts
with no prefix fails after a few steps.  Put in front of the alternation, as a lookahead, it changes no
match: every match of an alternative starts with one of the prefixes.  When some alternative starts with
nothing literal (``.``, a character class, an optional first character) there is no guard (``""``).
"""

from __future__ import annotations

import re
from functools import lru_cache
from re import _constants as _C  # type: ignore[attr-defined]
from re import _parser as _P  # type: ignore[attr-defined]
from typing import Any

_ZERO_WIDTH = (_C.ASSERT, _C.ASSERT_NOT, _C.AT)
_SPACE = [(_C.CATEGORY, _C.CATEGORY_SPACE)]

Prefix = tuple[str, ...]  # regex atoms: an escaped character, or `\s`


def _prefixes(items: Any) -> set[Prefix]:
    """What a match of the parsed sequence ``items`` starts with: atom sequences, ``()`` when unknown."""
    outs: set[Prefix] = {()}
    for op, av in items:
        if op is _C.LITERAL:
            outs = {(*o, re.escape(chr(av))) for o in outs}
            continue
        if op is _C.IN and av == _SPACE:
            outs = {(*o, r"\s") for o in outs}
            continue
        if op in _ZERO_WIDTH:
            continue  # consumes nothing: what follows starts where it stands
        if op is _C.SUBPATTERN:
            inner = _prefixes(av[3])
        elif op is _C.BRANCH:
            inner = set().union(*(_prefixes(b) for b in av[1]))
        elif op in (_C.MAX_REPEAT, _C.MIN_REPEAT) and av[0] >= 1:
            inner = _prefixes(av[2])  # at least once: a match starts as the repeated part does
        else:
            inner = {()}
        return {o + i for o in outs for i in inner}
    return outs


def _trie(prefixes: list[Prefix]) -> str:
    if () in prefixes:
        return ""
    groups: dict[str, list[Prefix]] = {}
    for p in sorted(prefixes):
        groups.setdefault(p[0], []).append(p[1:])
    alts = []
    for atom, rests in groups.items():
        sub = _trie(rests)
        alts.append(atom + (f"(?:{sub})" if "|" in sub else sub))
    return "|".join(alts)


@lru_cache(maxsize=64)  # a document's key indexes ask for the same containers' guard
def prefix_guard(*alternations: str) -> str:
    """A lookahead body that matches wherever some alternative of ``alternations`` can match (case as
    written: compile it with the same flags as the alternations), or ``""`` when there is none to give."""
    found: set[Prefix] = set()
    for alts in alternations:
        found |= _prefixes(_P.parse(alts))
    if () in found:
        return ""
    kept: list[Prefix] = []
    for p in sorted(found, key=len):
        if not any(p[: len(q)] == q for q in kept):  # a longer prefix of a kept one lets nothing more through
            kept.append(p)
    return _trie(kept)


def literal_guard(words: list[str]) -> str:
    """:func:`prefix_guard` for alternatives known to start with the literal ``words`` (one each, as written):
    no parse of the alternation needed.  ``""`` when some alternative starts with none."""
    if not words or "" in words:
        return ""
    kept: list[Prefix] = []
    for w in sorted(set(words), key=len):
        p = tuple(re.escape(c) for c in w)
        if not any(p[: len(q)] == q for q in kept):
            kept.append(p)
    return _trie(kept)


@lru_cache(maxsize=64)
def first_guard(*alternations: str) -> str:
    """A lookahead body of one character class: the characters (or ``\\s``) the alternatives of
    ``alternations`` start with, one test a position where :func:`prefix_guard`'s trie takes a step per branch
    (for a short alternation tried at every position of a line); ``""`` when some alternative starts with
    nothing literal."""
    found: set[Prefix] = set()
    for alts in alternations:
        found |= _prefixes(_P.parse(alts))
    if () in found:
        return ""
    return "[" + "".join(sorted({p[0] for p in found})) + "]"
