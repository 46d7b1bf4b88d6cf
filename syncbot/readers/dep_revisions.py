"""A log that changes what a unit waits for: `**P3-1 now depends on P2-4** (P2-2 is gone)`, `P3-3 now depends on
P1-4 instead of P1-3 (still also on P3-1)`.  Such a line replaces the unit's prerequisites with the ones it names,
less those it says are gone; later lines win.  Runs after every other reading of dependencies."""

from __future__ import annotations

import re

from syncbot.model import Session
from syncbot.readers.common import Document
from syncbot.readers.key_index import KeyIndex
from syncbot.readers.lazy_re import lazy_re
from syncbot.readers.refs import parse_refs
from syncbot.readers.structure import code_lines

# (the key starts where a run of its characters does, and is taken whole: `[\w.-]*\d[\w.-]*` tried every split of
# a long token at every start, a line of 2 KB of `a1a1…` took 17 s)
_REVISED_RE = lazy_re(
    r"(?<![\w.-])(?P<key>#?(?=[\w.-]*\d)[\w.-]++)\**\s+(?:now\s+(?:depends\s+on|needs|requires|waits\s+for)|"
    r"ahora\s+depende\s+de|agora\s+depende\s+d[eao]|dépend\s+maintenant\s+de|hängt\s+jetzt\s+von)\s+(?P<rest>.*)$",
    re.IGNORECASE,
)
# what the line says is no longer needed: `instead of P1-3`, `not on P1-3`, `(P2-2 is gone)`, `en lugar de`
_GONE_RE = lazy_re(
    r"(?:instead\s+of|rather\s+than|not\s+on|no\s+longer\s+on|en\s+lugar\s+de|em\s+vez\s+de|au\s+lieu\s+de|"
    r"statt)\s+[^,;()]*|\([^()]*\b(?:is|are)\s+(?:gone|dropped|removed)\)",
    re.IGNORECASE,
)


def may_revise(doc: Document) -> bool:
    """Whether ``doc`` holds a word a revision needs (`now`, `ahora depende`, ...): most do not."""
    low = doc.text.lower()
    # (what `_ANY_RE` matches holds one of `_ANY_WORDS` in lower case: a long text without them is not scanned)
    return "now" in low or (any(w in low for w in _ANY_WORDS) and _ANY_RE.search(doc.text) is not None)


def revise_dependencies(doc: Document, sessions: list[Session], index: KeyIndex) -> None:
    """Replace the prerequisites of the units such lines name (see the module docstring)."""
    if not may_revise(doc):
        return
    by_key = {s.key: s for s in sessions}
    skip = code_lines(doc)
    for n, raw in enumerate(doc.lines, 1):
        if n in skip or (m := _REVISED_RE.search(doc.fix(raw))) is None:
            continue
        key = index.resolve(m.group("key").lstrip("#"))
        if key is None or key not in by_key:
            continue
        rest = _GONE_RE.sub(" ", m.group("rest"))
        found = parse_refs(rest, index, key, foreign_ids=True).prerequisites
        if found:
            by_key[key].prerequisites[:] = found


_ANY_RE = lazy_re(r"ahora\s+depende|agora\s+depende|dépend\s+maintenant|hängt\s+jetzt", re.IGNORECASE)
_ANY_WORDS = ("depende", "dépend", "hängt")
