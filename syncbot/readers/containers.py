"""Containers: headings that hold units (`## Phase 2: Foundational`, `### Store Layer`, `## Milestone v2`).

A dependency may name a container instead of a unit: "depends on Phase 2", "(depends on Store Layer)",
"after the Store layer", `阶段 2`.  It means every unit the container holds.  :func:`containers` maps each
name a container is known by to its member keys; :func:`expand` rewrites the references a parser found in a
dependency text so that a container named there becomes its members.

The expansion is kept apart from the reference parser on purpose: a parser that accepts a container mapping
can take :class:`Containers` as it is (``Containers.members``) and this module's :func:`expand` then goes.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

from syncbot.readers.kinds import split_kind_key

# `Phase 2: Foundational (Blocking Prerequisites)`: parentheses are commentary, not part of the name
_PARENS_RE = re.compile(r"\([^()]*\)|（[^（）]*）")
_PART_SPLIT_RE = re.compile(r"\s*(?:[,;/·、，；&]|\band\b|\bund\b|\by\b|\be\b|\bet\b)\s*", re.IGNORECASE)
_LEAD_WORDS_RE = re.compile(
    r"^(?:(?:depends\s+on|after|requires|needs|blocked\s+by|the|all\s+of|all|of)\s+)+", re.IGNORECASE
)
_TAIL_WORDS_RE = re.compile(r"\s+(?:completion|complete|completed|done|finished|being\s+functional|tasks?)$")


def norm_name(text: str) -> str:
    """A name as compared: case, width, emphasis, emoji and punctuation do not matter."""
    t = unicodedata.normalize("NFKC", text).lower()
    t = "".join(c if c.isalnum() else " " for c in t)
    return " ".join(t.split())


@dataclass
class Containers:
    """Every name a container heading goes by -> the keys of the units under it, in document order."""

    members: dict[str, list[str]] = field(default_factory=dict)
    _ambiguous: set[str] = field(default_factory=set)

    def add(self, names: Iterable[str], keys: list[str]) -> None:
        for raw in names:
            name = norm_name(raw)
            if not name or name in self._ambiguous:
                continue
            if name in self.members and self.members[name] != keys:
                # two containers share this name (`Phase 1` of two milestones): it names neither
                del self.members[name]
                self._ambiguous.add(name)
                continue
            self.members[name] = keys

    def lookup(self, part: str) -> list[str] | None:
        t = norm_name(_PARENS_RE.sub(" ", part))
        for cand in (t, norm_name(_TAIL_WORDS_RE.sub("", _LEAD_WORDS_RE.sub("", t)))):
            if cand in self.members:
                return self.members[cand]
        return None


def names_of(heading_text: str) -> list[str]:
    """The names one container heading is known by: `Phase 2: Foundational (Blocking Prerequisites)` is
    "Phase 2", "Foundational", "Phase 2: Foundational" and the whole text."""
    whole = heading_text.strip()
    bare = _PARENS_RE.sub(" ", whole).strip()
    names = [whole, bare]
    kk = split_kind_key(bare)
    if kk:
        kind, num, rest = kk
        names.append(f"{kind} {num}")
        if rest:
            names.append(rest)
    return names


def containers(heads: Iterable[tuple[str, int, int]], units: Iterable[tuple[str, int]]) -> Containers:
    """Containers from headings given as (text, first line, last line) and units as (key, line)."""
    placed = sorted(units, key=lambda u: u[1])
    out = Containers()
    for text, first, last in heads:
        keys = [k for k, line in placed if first < line <= last]
        if keys:
            out.add(names_of(text), keys)
    return out


def expand(text: str, refs: list[str], keys: set[str], cs: Containers, current: str | None = None) -> list[str]:
    """``refs`` (what a reference parser found in ``text``) with each container that ``text`` names
    replaced by its members.  A reference that is itself a unit stays; so does one nothing explains (an
    unknown prerequisite is reported, never dropped)."""
    if not cs.members:
        return refs
    found: list[str] = []
    covered: set[str] = set()
    for part in _PART_SPLIT_RE.split(_PARENS_RE.sub(" ", text)):
        members = cs.lookup(part) if part.strip() else None
        if members is None:
            continue
        tokens = set(norm_name(part).split())
        if any(r in keys and r in tokens for r in refs):
            continue  # `Phase 2` where phase 2 is itself a unit: the unit, not its contents
        found.extend(k for k in members if k != current)
        covered |= tokens
    if not found:
        return refs
    kept = [r for r in refs if r in keys or norm_name(r) not in covered]
    return list(dict.fromkeys([*kept, *found]))
