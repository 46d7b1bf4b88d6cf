"""Containers a document writes around its units, whatever reader found the units: a heading over them
(`## Awamu B — Ujenzi`, `## Ｃ．設定`) or a collapsed block (`<details><summary>Phase 2 — Build</summary>`).
`after phase 2`, `Inategemea kazi zote za Awamu B`, `（Ｃ全体に依存）` name the live units such a container holds.
"""

from __future__ import annotations

import bisect
import re

from syncbot.model import Session
from syncbot.readers.common import Document, strip_inline
from syncbot.readers.container_names import container_names
from syncbot.readers.key_shapes import slug_shaped
from syncbot.readers.lazy_re import lazy_re
from syncbot.readers.status_words import classify_status
from syncbot.readers.structure import headings

_DETAILS_OPEN_RE = lazy_re(r"^\s*<details\b", re.IGNORECASE)
_DETAILS_CLOSE_RE = lazy_re(r"</details\s*>", re.IGNORECASE)
_SUMMARY_RE = lazy_re(r"<summary\b[^>]*>(.*?)</summary\s*>", re.IGNORECASE)
_TAG_RE = lazy_re(r"<[^>]+>")


def _details_blocks(doc: Document) -> list[tuple[int, int, str]]:
    """(first line, last line, summary) of every `<details>` block whose summary names it."""
    out: list[tuple[int, int, str]] = []
    open_at: list[tuple[int, str]] = []
    for n, line in enumerate(doc.lines, 1):
        if "<" not in line:
            continue
        if _DETAILS_OPEN_RE.match(line):
            open_at.append((n, ""))
        m = _SUMMARY_RE.search(line)
        if m and open_at and not open_at[-1][1]:
            open_at[-1] = (open_at[-1][0], _TAG_RE.sub("", m.group(1)).strip())
        if _DETAILS_CLOSE_RE.search(line) and open_at:
            first, name = open_at.pop()
            if name:
                out.append((first, n, name))
    return out


# a paragraph that is only bold words names what follows it, like a heading: `**Backend**`, `**Operación:**`
_LABEL_RE = lazy_re(r"^\s{0,3}(?:\*\*|__)([^*_\n]{1,60}?)(?:\*\*|__)\s*:?\s*$")


def _labels(doc: Document) -> list[tuple[int, int, str]]:
    """(first line, last line, name) of each bold label, reaching to the next label or heading."""
    found = [(n, m.group(1).strip(" :")) for n, line in enumerate(doc.lines, 1) if (m := _LABEL_RE.match(line))]
    if not found:
        return []
    stops = sorted({n for n, _ in found} | {h.line for h in headings(doc)} | {len(doc.lines) + 1})
    out = []
    for n, name in found:
        nxt = stops[bisect.bisect_right(stops, n)]
        out.append((n, nxt - 1, name))
    return out


def _lane(name: str) -> bool:
    """A heading that is only a status (`## 🧪 En recette (2)`, a kanban lane) groups units by how far they
    are, not as a part of the work: `après la mise en recette` does not mean its cards."""
    plain = re.sub(r"\([^)]*\)", " ", name)
    return len(re.findall(r"[^\W\d_]+", plain)) <= 3 and classify_status(plain) is not None


def block_containers(doc: Document, sessions: list[Session]) -> dict[str, list[str]]:
    """The containers written without a heading: `<details>` blocks and bold labels."""
    spans = _labels(doc) if "**" in doc.text or "__" in doc.text else []
    if "<details" in doc.text.lower():
        spans += _details_blocks(doc)
    return _held(doc, sessions, [(a, b, strip_inline(doc.fix(name))) for a, b, name in spans])


def held_containers(doc: Document, sessions: list[Session]) -> dict[str, list[str]]:
    """Each name of a heading, `<details>` block or bold label that holds two units or more (and is no unit
    itself) -> those units, in document order.  A dropped member is still named: `all of Backend except
    #222` says what it leaves out."""
    spans = [(h.line, h.end_line, strip_inline(doc.fix(h.text))) for h in headings(doc) if h.level > 1]
    return {**block_containers(doc, sessions), **_held(doc, sessions, spans)}


def _held(doc: Document, sessions: list[Session], spans: list[tuple[int, int, str]]) -> dict[str, list[str]]:
    own = {s.line for s in sessions}
    # units keyed by their titles (`ups-for-the-rack` under `## Shopping list`) are no group's members: a
    # list of things to buy is no part of the plan that `needs: the UPS from the shopping list` waits for
    units = sorted((s for s in sessions if not slug_shaped(s.key)), key=lambda s: s.line)
    lines, keys = [s.line for s in units], [s.key for s in units]
    out: dict[str, list[str]] = {}
    for first, last, name in spans:
        if first in own or _lane(name):
            continue
        members = keys[bisect.bisect_right(lines, first) : bisect.bisect_right(lines, last)]
        if len(members) < 2 or len(members) == len(units):
            continue  # one unit is no group; all of them is the document's body, not a part of it
        for n in container_names(name):
            out.setdefault(n, members)
    return out
