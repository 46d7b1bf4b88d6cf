"""The names a container (a phase heading, a phase cell) is referred to by, and the pattern that finds such a
name in a text: `Phase 2: Foundational (Blocking)` is called `Phase 2: Foundational`, `Phase 2` and
`Foundational`, and `Phase 2` is found as `phase-2` too, never in `Phase 2.1` or as the `E1` of `E1-S1`.
Pure functions of the name; used by :class:`key_index.KeyIndex` and the readers that collect containers."""

from __future__ import annotations

import re

from syncbot.readers.common import strip_inline
from syncbot.readers.lazy_re import lazy_re


def first_part(name: str) -> str:
    """The text a match of ``container_pattern(name)`` starts with ("" for none)."""
    m = _PART_RE.search(name)
    return m.group() if m else ""


_PART_RE = lazy_re(r"\d+|[^\W\d_]+")


def container_pattern(name: str) -> str:
    parts = _PART_RE.findall(name)
    if len(parts) == 1 and _LETTER_RE.fullmatch(parts[0]):
        # `C` (of `## Ｃ．設定`) as a capital letter standing alone, never `a` the word or the `C` of `C-1`
        return rf"(?-i:(?<![A-Za-z0-9_\-]){parts[0]}(?![A-Za-z0-9_]|[.\-]\w))"
    body = r"[\s\-_#:.、，．・]*".join(re.escape(p) for p in parts)  # `二、稳定性保障` as written
    head = r"(?<![A-Za-z0-9_])" if parts and parts[0][:1].isascii() else ""
    # (not `iOS` of `iOS-1`, nor `E1` of `E1-S1`, the key of one of its stories)
    tail = r"(?![A-Za-z0-9_]|[.\-/]\d|-[A-Za-z])" if parts and parts[-1][-1:].isascii() else ""
    return head + body + tail


_LETTER_RE = lazy_re(r"[A-HJ-Z]")  # not `I`, a word of English
_TITLE_JOIN_RE = lazy_re(r"\s+(?:&|and|und|y|et|e)\s+|\s*[,、，/]\s*")
# the head of a container's title when it is numbered itself: `User Story 1` of `Phase 3: User Story 1 - Upload`
_TITLE_HEAD_RE = lazy_re(r"^(?P<head>(?:[^\W\d_]+\s+){1,3}\d+)\s*(?:[:：.)|\-—–(]|$)")


# (`W1 基础数据`, `Phase 2 Foundations`: or the title after a space alone)
_CONTAINER_HEAD_RE = lazy_re(
    r"^(?P<head>[^\W\d_]+\s*#?\d+(?:\.\d+)*)(?:\s*[:：.)|\-—–]\s*(?P<title>.*)|\s+(?P<spaced>[^\W\d_].*))?$"
)
# a part lettered rather than numbered: `Awamu B — Ujenzi`, `Phase A: Setup`, `C. 設定` (`## Ｃ．設定`)
_LETTER_HEAD_RE = lazy_re(r"^(?P<head>(?:[^\W\d_]+\s+)?[A-Z])\s*(?:[:：.)|]|\s[\-—–])\s*(?P<title>.+)$")


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
