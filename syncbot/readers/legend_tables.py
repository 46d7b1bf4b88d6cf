"""Legends written as two-column tables: `| ✅ | shipped |`, `` | `B` | Bloqueada | `` (a code of the document's
own), `| 🟢 Listo | se puede empezar |` (a mark and its name, then what it means)."""

from __future__ import annotations

from syncbot.model import Status
from syncbot.readers.common import Document, strip_inline
from syncbot.readers.lazy_re import lazy_re
from syncbot.readers.legend_entries import GLOSS_RE, is_mark, meaning
from syncbot.readers.status_words import classify_status

_CODE_CELL_RE = lazy_re(r"`[^\W_][\w+-]{0,3}`")
_MARK_NAME_RE = lazy_re(r"(\S+)\s+(\S.*)")


def table_legend(doc: Document, legend: dict[str, Status]) -> None:
    """Add to ``legend`` the marks the document's two-column legend tables define."""
    from syncbot.readers.structure import tables

    for t in tables(doc):
        if len(t.header) != 2 or len(t.rows) < 2:
            continue
        rows = [(strip_inline(doc.fix(c[0].text)).replace("\ufe0f", ""), c[1].text) for _, c in t.rows]
        # (or a code of the document's own in a code span: `` | `B` | Bloqueada | ``, one of three or more)
        coded = [(c[0].text.strip("` "), c[1].text) for _, c in t.rows if _CODE_CELL_RE.fullmatch(c[0].text.strip())]
        is_coded = len(coded) >= 3 and len(coded) == len(rows)
        found = _distinct([(m, doc.fix(text)) for m, text in (coded if is_coded else rows) if is_coded or is_mark(m)])
        known = [(m, st) for m, st in found if st is not None]
        if len(known) >= max(2, 0.5 * len(rows)):
            for mark, st in known:
                legend.setdefault(mark, st)
            continue
        # `| 🟢 Listo | se puede empezar (dependencias terminadas) |`: a mark and its name, then what it means;
        # the meaning is the author's word on it (`listo` alone would be done), over the line's own pairing
        named = [(m, text) for m0, text in rows if (m := _MARK_NAME_RE.match(m0)) and is_mark(m.group(1))]
        if len(named) < 3 or len(named) != len(rows):
            continue
        if 2 * sum(classify_status(m.group(2)) is not None for m, _ in named) >= len(named):
            for m, text in named:
                if (meant := meaning(doc.fix(text))) is not None:
                    legend[m.group(1)] = meant


def _distinct(rows: list[tuple[str, str]]) -> list[tuple[str, Status | None]]:
    """Each mark's meaning; where two marks would mean one status, a mark whose gloss names another status
    means that one (`⏳ 待开始（前置已满足，可以领取）` beside `⬜ 未开始`: ready, not a second *not started*)."""
    found = [(m, meaning(text)) for m, text in rows]
    heads = [st for _, st in found]
    out: list[tuple[str, Status | None]] = []
    for (mark, st), (_, text) in zip(found, rows, strict=True):
        gloss = GLOSS_RE.split(strip_inline(text), maxsplit=1)
        other = classify_status(gloss[1]) if st is not None and heads.count(st) > 1 and len(gloss) > 1 else None
        out.append((mark, other if other is not None and other not in heads else st))
    return out
