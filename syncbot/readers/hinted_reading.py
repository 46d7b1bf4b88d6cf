"""Where the user's reading hints (:class:`~syncbot.readers.hints.ReadingHints`) change a reading: they are
checked against the document, choose its table and columns, give the key pattern and the heading level of
units, and say why a table was left out."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from syncbot.readers.common import Document, strip_inline
from syncbot.readers.hints import HintError, ReadingHints, hints_of
from syncbot.readers.lazy_re import lazy_re
from syncbot.readers.structure import Heading, headings, tables
from syncbot.readers.table_cells import Table

if TYPE_CHECKING:
    from syncbot.readers.table_columns import Roles


def _norm(text: str) -> str:
    return " ".join(strip_inline(text).lower().split())


def _headers(doc: Document, t: Table) -> list[str]:
    """The header cells as written (``Table.header`` is lower-cased), for messages."""
    cells = [strip_inline(c).strip() for c in doc.lines[t.line - 1].strip().strip("|").split("|")]
    return cells if len(cells) == len(t.header) else list(t.header)


def table_chosen(t: Table, hints: ReadingHints) -> bool:
    """The ``table`` hint names this table: its heading or its header row contains the text."""
    assert hints.table is not None
    want = _norm(hints.table)
    return want in _norm(t.heading) or want in " | ".join(_norm(h) for h in t.header)


def column(t: Table, header: str) -> int | None:
    want = _norm(header)
    return next((i for i, h in enumerate(t.header) if _norm(h) == want), None)


def check(doc: Document, hints: ReadingHints) -> None:
    """Every hint names something in ``doc``; else a HintError that says what it could name."""
    ts = tables(doc) if hints.table or hints.columns else []
    if hints.table:
        chosen = [t for t in ts if table_chosen(t, hints)]
        if not chosen:
            where = "; ".join(
                f"line {t.line}: {t.heading or '(no heading)'} ({', '.join(_headers(doc, t))})" for t in ts
            )
            raise HintError(
                f"hint table {hints.table!r} matches no table heading or header in {doc.path}; "
                + (f"tables are: {where}" if ts else "the document has no tables")
            )
        ts = chosen
    for name, header in hints.columns.items():
        if not any(column(t, header) is not None for t in ts):
            known = list(dict.fromkeys(h for t in ts for h in _headers(doc, t)))
            label = "prerequisites" if name == "prerequisites" else name
            raise HintError(
                f"hint {label} column {header!r} matches no table header in {doc.path}; "
                + (f"headers are: {', '.join(known)}" if known else "the document has no tables")
            )
    if hints.heading_level is not None and not any(h.level == hints.heading_level for h in headings(doc)):
        levels = sorted({h.level for h in headings(doc)})
        raise HintError(
            f"hint heading_level {hints.heading_level} matches no heading in {doc.path}; "
            f"heading levels used: {', '.join(map(str, levels)) or 'none'}"
        )


def table_key(doc: Document, t: Table) -> tuple[bool, int | None]:
    """(whether hints decide this table, the hinted key column).  A table the ``table`` hint leaves out is
    decided: it holds no units."""
    hints = hints_of(doc)
    if hints is None:
        return False, None
    if hints.table and not table_chosen(t, hints):
        skipped(doc, t, f"hint table={hints.table!r} names another table")
        return True, None
    return False, column(t, hints.key) if hints.key else None


def apply_columns(doc: Document, t: Table, roles: Roles) -> Roles:
    """Column hints override the inferred roles (a column hinted for one role is taken from any other)."""
    hints = hints_of(doc)
    if hints is None:
        return roles
    names = {"title": "title", "status": "status", "prerequisites": "prereq"}
    for hint, attr in names.items():
        header = getattr(hints, hint)
        col = column(t, header) if header else None
        if col is None or col == roles.key:
            continue
        for other in ("title", "status", "prereq", "inverse", "duration", "output", "phase"):
            if getattr(roles, other) == col:
                setattr(roles, other, None)
        setattr(roles, attr, col)
        if attr == "title":
            roles.title_guessed = False
    return roles


def hinted_table(doc: Document, t: Table) -> bool:
    """The hints name this table (by ``table`` or a column), so no vocabulary may rule it out."""
    hints = hints_of(doc)
    if hints is None:
        return False
    if hints.table:
        return table_chosen(t, hints)
    return any(column(t, h) is not None for h in hints.columns.values())


def key_in(doc: Document, cell: str) -> tuple[str, str] | None:
    """The key ``key_pattern`` finds in a key cell: (key, "")."""
    hints = hints_of(doc)
    pattern = hints.pattern if hints else None
    if pattern is None:
        return None
    m = pattern.search(strip_inline(doc.fix(cell)).strip())
    return (m.group(1), "") if m else None


def skipped(doc: Document, t: Table, why: str) -> None:
    """Remember why a table was left out, for ``inspect --explain``."""
    doc.__dict__.setdefault("_skipped_tables", {}).setdefault(t.line, why)


def table_notes(doc: Document, all_tables: list[Table], read: list[Table], restating: list[Table]) -> list[str]:
    """One note per table the reader did not take units from, saying why."""
    why: dict[int, str] = doc.__dict__.get("_skipped_tables", {})
    notes = []
    for t in all_tables:
        if any(t is r for r in read):
            continue
        if any(t is r for r in restating):
            reason = "restates units of another table (its statuses and prerequisites are merged there)"
        else:
            reason = why.get(t.line, "no column of unit keys, or its rows are not work units")
        notes.append(f"line {t.line}: table ({' | '.join(t.header)}) left out: {reason}")
    return notes


@dataclass
class Named:
    """A heading read as a unit by the hints; quacks like the sections reader's match objects."""

    key: str
    rest: str

    def group(self, name: str) -> str | None:
        return {"key": self.key, "rest": self.rest, "word": "", "lead": "", "status": None}.get(name)


# `2.3 Title`, `T4: Title`, `12 — Title`: a heading that leads with its key
_LEAD_KEY = lazy_re(
    r"^[^\w]*(?P<key>[A-Za-z]{0,6}[-_]?\d+(?:\.\d+)*[a-z]?)(?:[.):]\s*|\s+[-—–:|]\s*|\s+)(?P<rest>\S.*)$"
)


def heading_units(doc: Document, hs: list[Heading]) -> list[tuple[Heading, Named]] | None:
    """Headings the hints make units, or None when no heading hint is given."""
    hints = hints_of(doc)
    if hints is None or (hints.heading_level is None and hints.pattern is None):
        return None
    pattern = hints.pattern
    out: list[tuple[Heading, Named]] = []
    for h in hs:
        if hints.heading_level is not None and h.level != hints.heading_level:
            continue
        plain = strip_inline(doc.fix(h.text)).strip()
        m = pattern.search(plain) if pattern else None
        if m:
            out.append((h, Named(m.group(1), plain[m.end() :].lstrip(" -—–:|.").strip() or plain)))
        elif hints.heading_level is not None and pattern is None:
            lead = _LEAD_KEY.match(plain)
            key = lead.group("key") if lead else re.sub(r"[^\w]+", "-", plain.lower()).strip("-")
            if key:
                out.append((h, Named(key, lead.group("rest") if lead else plain)))
    return out
