"""A cheap lookahead that lets a regex of many alternatives give up at once where none of them can start.

Python's ``re`` tries the alternatives of a group one after another at every position it searches, so a
pattern of a few hundred words (the dependency markers of :data:`refs.MARKER_RE`, scanned over whole
documents) costs the same at every letter of every word.  :func:`prefix_guard` reads the alternations, takes
the literal text each alternative starts with (``blocked`` of ``blocked\\s+(?:on|by)``), and writes those
prefixes as one trie (``b(?:e(?:fore|…)|locked|…)``): at each level the branches start with different
literals, which ``re`` skips without entering them.  Put in front of the alternation, as a lookahead, it
changes no match: every match of an alternative starts with one of the prefixes.  When some alternative
starts with no literal text (``\\s``, ``.``, an optional first character) there is no guard (``""``).
"""

from __future__ import annotations

import re
from re import _constants as _C  # type: ignore[attr-defined]
from re import _parser as _P  # type: ignore[attr-defined]
from typing import Any

_ZERO_WIDTH = (_C.ASSERT, _C.ASSERT_NOT, _C.AT)


def _prefixes(items: Any) -> set[str]:
    """The literal texts a match of the parsed sequence ``items`` can start with; ``""`` when unknown."""
    outs = {""}
    for op, av in items:
        if op is _C.LITERAL:
            outs = {o + chr(av) for o in outs}
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
            inner = {""}
        return {o + i for o in outs for i in inner}
    return outs


def _trie(words: list[str]) -> str:
    if "" in words:
        return ""
    groups: dict[str, list[str]] = {}
    for w in sorted(words):
        groups.setdefault(w[0], []).append(w[1:])
    alts = []
    for c, rests in groups.items():
        sub = _trie(rests)
        alts.append(re.escape(c) + (f"(?:{sub})" if "|" in sub else sub))
    return "|".join(alts)


def prefix_guard(*alternations: str) -> str:
    """A lookahead body that matches wherever some alternative of ``alternations`` can match (case as
    written: compile it with the same flags as the alternations), or ``""`` when there is none to give."""
    found: set[str] = set()
    for alts in alternations:
        found |= _prefixes(_P.parse(alts))
    if "" in found:
        return ""
    kept: list[str] = []
    for p in sorted(found, key=len):
        if not any(p.startswith(q) for q in kept):  # a longer prefix of a kept one lets nothing more through
            kept.append(p)
    return _trie(kept)
