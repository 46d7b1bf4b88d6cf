"""A dependency text cut at its dependency markers into clauses, each a forward or an inverse dependency
(`Depends on 3; blocks 7`).  Outside prose the text before the first marker counts too; in prose only a
marker's own clause, up to where that clause ends.  A marker written after what it names (`T3 完成后开始`)
takes the clause before it, and one of a relation that is no dependency (`related to`) ends what is waited
for.  Pure functions of the text, used by :mod:`refs`."""

from __future__ import annotations

from syncbot.readers.ref_markers import MARKER_RE, chain_blocks
from syncbot.readers.ref_scope import CLAUSE_END_RE, clause_end

_CLAUSE_END_RE = CLAUSE_END_RE


def clauses(text: str, prose: bool) -> list[tuple[str, bool]]:
    """Split ``text`` at dependency markers: (piece, inverse).  Outside ``prose`` the text before the first
    marker is a forward dependency; in prose only a marker's own clause names dependencies."""
    out: list[tuple[str, bool]] = []
    pos, inverse, active = 0, False, not prose
    for m in MARKER_RE.finditer(text):
        piece = text[pos : m.start()]
        if m.group("post") or m.group("postw") or m.group("postinv") or m.group("postrel"):
            # `T3 完成后开始`: the marker follows what it names, back to the start of its clause
            if prose:
                ends = list(_CLAUSE_END_RE.finditer(piece))
                if active and ends:
                    # (`依赖第 4 项。本项完成后…`: the clause a marker before opened ends first, and names its own)
                    out.append((piece[: ends[0].start()], inverse))
                piece = piece[ends[-1].end() :] if ends else piece
            if not m.group("postrel"):
                out.append((piece, m.group("postinv") is not None))
            pos, inverse, active = m.end(), False, not prose
            continue
        if m.group("rel"):
            # `related to KRG-211`: what follows is named, not waited for
            if active:
                out.append((piece, inverse))
            pos, inverse, active = m.end(), False, False
            continue
        if active:
            if prose:
                end = clause_end(piece)
                piece = piece[:end] if end is not None else piece
            out.append((piece, inverse))
        pos, inverse, active = m.end(), bool(m.group("inv") or m.group("cjkinv") or chain_blocks(m.group(0))), True
    piece = text[pos:]
    if active:
        if prose:
            end = clause_end(piece)
            piece = piece[:end] if end is not None else piece
        out.append((piece, inverse))
    return out
