"""Containers named several at a time: a range of them (`Phases 3–5`, `Fases 3 a 5`, `Phase 3+`) or all
that share a word (`all user stories`, `todas las historias`, `alle Phasen`).  Each means the members of
every container it names.  Used by :mod:`syncbot.readers.refs`; pure functions of the text and the index.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from syncbot.readers.key_index import KeyIndex
from syncbot.readers.lazy_re import lazy_re

# `Phases 3–5`, `Fases 3 a 5`, `Phase 3+`, `Stages 2 and 3`
_RANGE_RE = lazy_re(
    r"(?<![\w-])(?P<word>[^\W\d_]{2,})\s*(?P<a>\d{1,3})(?![\w.])\s*(?:(?P<plus>\+)|"
    r"(?:[-–—~〜]|\.\.|\b(?:to|through|thru|bis|a|à|até|al|and|und|y|e|et|и|до)\b)\s*(?P<b>\d{1,3})(?![\w.]))",
    re.IGNORECASE,
)
# `all user stories`, `all the phases`, `todas las historias`, `alle Phasen`, `toutes les étapes`
_ALL_RE = lazy_re(
    r"(?<![\w-])(?:all(?:\s+(?:the|of\s+the))?|tod[oa]s\s+(?:l[oa]s|[oa]s)|alle|tou(?:s|tes)\s+les|"
    r"tutt[ei]\s+(?:le|gli|i))\s+(?P<words>[^\W\d_]{3,}(?:\s+[^\W\d_]{3,}){0,3})(?![\w.]|\s*\d)",
    re.IGNORECASE,
)
_WORD_RE = lazy_re(r"[^\W\d_]+")


def _singulars(word: str) -> list[str]:
    """`stories` -> `story`, `phases` -> `phase`, `Phasen` -> `Phase`, `historias` -> `historia`."""
    w = word.lower()
    out = [w]
    if w.endswith("ies") and len(w) > 4:
        out.append(w[:-3] + "y")
    if w.endswith(("s", "n")) and len(w) > 3:
        out.append(w[:-1])
    if w.endswith(("es", "en")) and len(w) > 4:
        out.append(w[:-2])
    return out


def _range(index: KeyIndex, m: re.Match[str]) -> list[str] | None:
    a = int(m.group("a"))
    for stem in _singulars(m.group("word")):
        if index.container_named(f"{stem} {a}") is None:
            continue
        if m.group("plus"):
            last = a
            while index.container_named(f"{stem} {last + 1}") is not None:
                last += 1
        else:
            last = int(m.group("b"))
            if not a < last <= a + 50 or index.container_named(f"{stem} {last}") is None:
                return None
        members: list[str] = []
        for n in range(a, last + 1):
            members.extend(k for k in index.container_named(f"{stem} {n}") or [] if k not in members)
        return members
    return None


def _all_of(index: KeyIndex, words: list[str]) -> list[str] | None:
    """The members of every container whose name holds the phrase the words end in (`user story`), when
    at least two containers do; the first such phrase after the quantifier wins."""
    names = index.container_words()
    for start in range(len(words)):
        for length in (2, 1):
            if start + length > len(words):
                continue
            head = [w.lower() for w in words[start : start + length - 1]]
            for last in _singulars(words[start + length - 1])[1:]:  # a plural: `all wave 2` is one wave
                phrase = f" {' '.join([*head, last])} "
                hit = [members for name, members in names if phrase in name]
                if len({tuple(m) for m in hit}) >= 2:
                    out: list[str] = []
                    for members in hit:
                        out.extend(k for k in members if k not in out)
                    return out
    return None


def container_spans(piece: str, index: KeyIndex) -> Iterator[tuple[int, int, list[str]]]:
    """(start, end, member keys) of every place ``piece`` names several containers at once."""
    if not index.containers and not index.numbered:
        return
    for m in _RANGE_RE.finditer(piece):
        members = _range(index, m)
        if members:
            yield m.start(), m.end(), members
    seen: dict[str, list[str] | None] = {}  # (a phrase said again is looked up once)
    for m in _ALL_RE.finditer(piece):
        words = m.group("words")
        if words not in seen:
            seen[words] = _all_of(index, _WORD_RE.findall(words))
        members = seen[words]
        if members:
            yield m.start(), m.end(), members
