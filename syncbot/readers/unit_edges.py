"""Edges between units once they are read: a phase's members, and inverse edges (`Blocks: Y` makes Y depend on
the unit that says it)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Protocol

from syncbot.model import Status
from syncbot.readers.container_names import container_names
from syncbot.readers.lazy_re import lazy_re


class _HasPrereqs(Protocol):
    key: str
    title: str
    prerequisites: list[str]
    phase: str | None
    status: Status


def phase_containers(units: Sequence[_HasPrereqs]) -> dict[str, list[str]]:
    """Containers from the phase each unit was read under: every name of the phase -> its members."""
    out: dict[str, list[str]] = {}
    names: dict[str, list[str]] = {}  # a phase's names, worked out once per phase (units share few phases)
    for u in units:
        if u.phase and u.status is not Status.DROPPED:  # a dropped member is nothing to wait for
            phase_names = names.get(u.phase)
            if phase_names is None:
                phase_names = names[u.phase] = container_names(u.phase)
            for name in phase_names:
                out.setdefault(name, []).append(u.key)
    return out


# `Wave 1: payments-ledger`: a title that opens with a name of its own, a word and a number
_TITLE_NAME_RE = lazy_re(r"^(?P<name>[^\W\d_]{3,}\s+\d{1,3}[a-z]?)\s*[:：—–]")


def title_names(units: Sequence[_HasPrereqs]) -> dict[str, list[str]]:
    """The names titles give their units (`Step 13 — Wave 1: payments-ledger` is `wave 1`), each naming one
    unit only: `only needs wave 1 to be through` waits for Step 13."""
    found: dict[str, list[str]] = {}
    for u in units:
        m = _TITLE_NAME_RE.match(u.title) if u.title else None
        if m is not None:
            found.setdefault(" ".join(m.group("name").split()), []).append(u.key)
        elif u.title and _SHORT_TITLE_RE.fullmatch(u.title):
            # `once the theme build is finished`: a short title of words is how prose names its unit
            found.setdefault(" ".join(u.title.split()).lower(), []).append(u.key)
    return {name: keys for name, keys in found.items() if len(keys) == 1}


_SHORT_TITLE_RE = lazy_re(r"(?=.{10,40}$)[^\W\d_]{3,}(?:\s+[^\W\d_]{2,}){1,3}")


def add_inverse(units: Mapping[str, _HasPrereqs], edges: Sequence[tuple[str, str]]) -> None:
    """Apply inverse edges (``Blocks: Y`` written at X gives (Y, X)): Y waits for X."""
    for dependant, prerequisite in edges:
        u = units.get(dependant)
        if u is not None and prerequisite != dependant and prerequisite not in u.prerequisites:
            u.prerequisites.append(prerequisite)
