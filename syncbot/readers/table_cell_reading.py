"""What a cell of a unit's row gives the unit: the keys it names, its status, its prerequisites, the units it
blocks.  A key is looked for in the row's own namespace, in another one named by a word of its heading (`API
2`) or spelled in full (`EPIC-1/US-3`), and among the ids of the document's other tables when spelled out
(`A-4`).  Used by :mod:`syncbot.readers.table_reading` for the rows of the tables of units and of the tables
that restate them (made once a document as closures over its indexes: they are called for every cell, and
were written inside the reading).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Protocol

from syncbot.model import Problem, Session, Severity, SpanKind, Status, StatusSpan
from syncbot.readers.common import Document, ReadResult, strip_inline
from syncbot.readers.key_index import KeyIndex
from syncbot.readers.lazy_re import lazy_re
from syncbot.readers.refs import parse_refs
from syncbot.readers.table_cells import Cell
from syncbot.readers.table_namespaces import Namespace, named_refs
from syncbot.readers.table_status import status_in_cell
from syncbot.readers.titles import slug

if TYPE_CHECKING:  # (for the type checker only: a Protocol class takes 70 µs to make)
    from collections.abc import Callable

    class RefsIn(Protocol):
        def __call__(
            self, text: str, s: Session, g: Namespace | None, foreign: bool = False, prose: bool = False
        ) -> tuple[list[str], bool]: ...


def _family_named(key: str, text: str) -> bool:
    """Whether ``text`` writes the family ``key`` belongs to (`QA-` of `QA-02`, `W4.` of `W4.3`)."""
    family = _NUMBER_END_RE.sub("", key)
    return bool(family) and not family.isdigit() and family in text


_NUMBER_END_RE = lazy_re(r"\d+[a-z]?$")


def cell_readers(
    doc: Document,
    res: ReadResult,
    groups: list[Namespace],
    index: KeyIndex,
    seen: dict[str, Session],
    grids: list[Session],
    inverse: list[tuple[str, str]],
    status_found: set[str],
) -> tuple[
    RefsIn,
    Callable[[Session, Cell, int, Namespace | None], None],
    Callable[[Session, Cell, Namespace | None], bool],
    Callable[[Session, Cell, Namespace | None], bool],
]:
    """The readers of a unit's cells for the rows of ``groups``: ``refs_in`` (the keys a text names for a
    unit), ``take_status``, ``take_prereqs`` and ``take_inverse`` (what a status, prerequisites or `Blocks`
    cell gives the unit).  They add to ``inverse``, ``status_found`` and ``res.problems``, and see ``seen`` and
    the groups' indexes as they are when called."""
    grid_keys = {u.key for u in grids}  # a grid's ids, named in a range (`E01–E12`) or one by one
    raw_of: dict[int, dict[str, str]] = {}  # per group: the first raw key of each final key (was a scan a row)
    # `EPIC-1/US-3` in a row of the EPIC-2 table: a key of another section spelled out in full (name_keys)
    composed = sorted({v for g in groups for k, v in g.final.items() if v != k and "/" in v}, key=len, reverse=True)
    composed_re = (
        re.compile(r"(?<![\w/])(?:" + "|".join(map(re.escape, composed)) + r")(?![\w/])") if composed else None
    )

    def refs_in(
        text: str, s: Session, g: Namespace | None, foreign: bool = False, prose: bool = False
    ) -> tuple[list[str], bool]:
        """Keys ``text`` names for unit ``s``: another namespace when named (`API 2`), else its own table's
        namespace, and ids of the document's other tables that are spelled out (`A-4`)."""
        if g is not None:
            raw_keys = raw_of.get(id(g))
            if raw_keys is None:
                raw_keys = raw_of[id(g)] = {}
                for k, v in g.final.items():
                    raw_keys.setdefault(v, k)
            raw = raw_keys.get(s.key, s.key)
            full: list[str] = []
            if composed_re is not None and "/" in text:
                full = [m.group(0) for m in composed_re.finditer(text)]
                text = composed_re.sub(" ", text)
            elsewhere, text = named_refs(text, groups, g)
            elsewhere = full + [k for k in elsewhere if k not in full]
            refs = parse_refs(text, g.index, raw, foreign_ids=foreign, prose=prose)
            found = elsewhere + [g.final[k] for k in refs.keys]
            spelled = parse_refs(text, index, s.key, prose=prose).keys if len(groups) > 1 or grids else []
            # another table's keys as written, and the ranges and headings that name them in their own spelling
            # (`QA-01 bis QA-04`, `W2.1–W2.7`, `W4 全部` under the W5 table), never a bare number of theirs
            found += [
                k
                for k in spelled
                if k not in found
                and k not in raw_keys
                and (k in text or k in grid_keys or _family_named(k, text))
                and not k.isdigit()
            ]
            found += [u for u in refs.unknown if u not in found and u not in index.pos and not index.container_named(u)]
            found += [u for u in refs.external if u not in found]
            if found or refs.inverse or refs.explicit_none:
                inverse.extend((g.final[y], s.key) for y in refs.inverse)
                return found, refs.explicit_none
        refs = parse_refs(text, index, s.key, foreign_ids=foreign, prose=prose)
        inverse.extend((y, s.key) for y in refs.inverse)
        return refs.prerequisites, refs.explicit_none

    def take_status(s: Session, cell: Cell, line: int, g: Namespace | None) -> None:
        st, span, raw = status_in_cell(doc, cell)
        if st is None:
            if cell.text:
                res.problems.append(
                    Problem(
                        line,
                        Severity.WARNING,
                        f"unit {s.key}: status {cell.text!r} names no known status; read as planned",
                    )
                )
            return
        s.status, s.status_text = st, doc.fix(raw)
        s.status_spans = [StatusSpan(span, SpanKind.CELL, line)]
        status_found.add(s.key)
        if st is Status.BLOCKED:
            # `BLOCKED on IP-04`: what it waits on is a dependency
            after = doc.fix(cell.text[span.end - cell.span.start :])
            for k in refs_in(after, s, g)[0]:
                if k not in s.prerequisites and k in index.pos:
                    s.prerequisites.append(k)

    def take_prereqs(s: Session, cell: Cell, g: Namespace | None) -> bool:
        # a prerequisite column names dependencies only: another team's ticket (`SEC-7`) counts as written
        found, explicit_none = refs_in(doc.fix(cell.text), s, g, foreign=True)
        if not found:
            # `| Move queue to SQS | … | Containerize workers |`: rows named, not keyed, name each other
            parts = re.split(r"\s*(?:,|;|&|\band\b|/)\s*", strip_inline(doc.fix(cell.text)))
            found = [k for k in (slug(re.sub(r"\([^)]*\)", "", p)) for p in parts) if k in index.pos and k != s.key]
        for k in found:
            if k not in s.prerequisites:
                s.prerequisites.append(k)
        if s.raw_prerequisites is None:
            s.raw_prerequisites = strip_inline(doc.fix(cell.text))
        return bool(found or explicit_none)

    def take_inverse(s: Session, cell: Cell, g: Namespace | None) -> bool:
        # `| Blocks |`: the units named there wait for this one
        found = [k for k in refs_in(doc.fix(cell.text), s, g)[0] if k in seen]
        for k in found:
            if s.key not in seen[k].prerequisites:
                seen[k].prerequisites.append(s.key)
        return bool(found)

    return refs_in, take_status, take_prereqs, take_inverse
