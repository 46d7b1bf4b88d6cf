"""A document's YAML front matter (`---` / `status: todo` / `---`), read as plain fields: Backlog.md task files and
static-site pages keep a unit's status and dependencies there."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from syncbot.readers.lazy_re import lazy_re

if TYPE_CHECKING:
    from syncbot.readers.common import Document


@dataclass
class FrontMatter:
    end_line: int  # the closing `---`
    fields: dict[str, tuple[str, int, int]]  # key -> (value as written, line, column of the value)


_FM_FIELD_RE = lazy_re(r"^([A-Za-z_][\w-]*)\s*:\s*(.*?)\s*$")
_FM_ITEM_RE = lazy_re(r"^\s+-\s+(.*?)\s*$")


def front_matter(doc: Document) -> FrontMatter | None:
    """The YAML front matter between a first `---` line and the next `---` or `...` (within 200 lines): its
    top-level fields, a list's items joined by commas."""
    lines = doc.lines
    if not lines or lines[0].strip() != "---":
        return None
    for n in range(1, min(len(lines), 200)):
        if lines[n].strip() in ("---", "..."):
            fields: dict[str, tuple[str, int, int]] = {}
            last_key = None
            for k in range(1, n):
                raw = lines[k]
                m = _FM_FIELD_RE.match(raw)
                if m:
                    last_key = m.group(1).lower()
                    fields[last_key] = (m.group(2), k + 1, m.start(2))
                    continue
                li = _FM_ITEM_RE.match(raw)
                if li and last_key:
                    value, ln, col = fields[last_key]
                    fields[last_key] = ((value + ", " if value else "") + li.group(1), ln, col)
            return FrontMatter(n + 1, fields)
    return None
