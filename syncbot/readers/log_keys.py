"""The unit keys a log line can name: `T05`, `#14`, `FT-12`, a number key only as `#22`, a dotted one (`3.2`)
only where it opens the line, and a plan's own kind word before a number (`Schritt 8 erledigt`, `Сессию 5`).
Used by :mod:`syncbot.readers.progress_log` to find the statements a log makes about its units.
"""

from __future__ import annotations

import bisect
import re

from syncbot.model import Session
from syncbot.readers.common import Document
from syncbot.readers.kinds import UNIT_KINDS
from syncbot.readers.lazy_re import lazy_re

_DOTTED_RE = lazy_re(r"\d+(?:\.\d+)+")
# a bullet, box or emphasis only: what may stand before a number key that opens its line (`- 3.2 ist fertig`)
# (a dated entry's date may lead it: `**2026-01-28** — 5.3 Garage is running`)
_LINE_OPENER_RE = lazy_re(r"[\s>*_+\-]*(?:\[.\]\s*)?[*_]*(?:\d{4}-\d{2}-\d{2}[*_]*\s*[—–:-]\s*)?")
_TOKEN_RE = lazy_re(r"(?<![\w/-])(#?)([A-Za-z0-9](?:[\w.-]*[A-Za-z0-9])?)(?![\w-])")


class LogKeys:
    """The unit keys a log line can name: keys that cannot be ordinary numbers in prose (`T05`, `#14`,
    `FT-12`, `S-205c`), number keys only as `#22`, dotted ones (`3.2`) only at the start of a line.  One
    token scan and a set lookup a line (a regex of every key took a second to compile on a 20,000-unit
    tracker)."""

    def __init__(self, keys: list[str], words: set[str] = frozenset()) -> None:  # type: ignore[assignment]
        self.named = {k for k in keys if re.search(r"[A-Za-z]", k) and len(k) >= 2}
        self.numbered = {k for k in keys if k.isdigit()}
        self.dotted = {k for k in keys if _DOTTED_RE.fullmatch(k)}  # `3.2`: only where it opens the line
        self.longest = max(map(len, keys), default=0)
        # `Schritt 8 erledigt` where the units are `**Schritt 8** — …`: the units' own kind word before a number
        alts = "|".join(sorted(map(_inflected, words), key=len, reverse=True))
        self.kind_re = re.compile(rf"(?<!\w)(?:{alts})\s*#?\s*(\d+(?:\.\d+)*)(?![\w-])", re.I) if words else None

    def _may_name(self, text: str) -> bool:
        """Whether a line can name a number key at all: as `#22`, after a kind word, or a number opening it."""
        return (
            "#" in text
            or (self.kind_re is not None and self.kind_re.search(text) is not None)
            or _OPENS_WITH_NUMBER_RE.match(text) is not None
        )

    def __bool__(self) -> bool:
        return bool(self.named or self.numbered or self.dotted)

    def hits(self, text: str) -> list[tuple[int, int, str]]:
        if not self.named and not self._may_name(text):
            return []  # (numbers only: no `#`, no kind word, no number opening the line; no token scan)
        out = []
        for m in _TOKEN_RE.finditer(text):
            tok = m.group(2)
            # a key may be followed by a sentence's full stop inside the token (`T05.`)
            opens = not m.group(1) and _LINE_OPENER_RE.fullmatch(text, 0, m.start()) is not None
            if len(tok) > self.longest and "." in tok:
                # a prefix longer than every key is none: `T001.T001.…` is cut once, not once a dot
                cut = tok.rfind(".", 0, self.longest + 1)
                tok = tok[:cut] if cut > 0 else tok[: tok.index(".")]
            while (
                tok
                and tok not in self.named
                and not (m.group(1) and tok in self.numbered)
                and not (opens and tok in self.dotted)
                and "." in tok
            ):
                tok = tok[: tok.rindex(".")]
            if tok in self.named or (m.group(1) and tok in self.numbered) or (opens and tok in self.dotted):
                out.append((m.start(), m.start() + len(m.group(1)) + len(tok), tok))
        if self.kind_re is not None:
            kinds = [(k.start(), k.end(), k.group(1)) for k in self.kind_re.finditer(text)]
            kinds = [h for h in kinds if h[2] in self.numbered or h[2] in self.dotted]
            if kinds:
                # (the token hits run in order and apart: the last one starting before a kind's hit ends is the
                # one that may overlap it, found by bisection, not by a pass over them all for every hit)
                starts = [o[0] for o in out]
                out = sorted(out + [h for h in kinds if not _overlaps(out, starts, h)])
        return out


def _inflected(word: str) -> str:
    """A kind word as a pattern that takes its case endings too: `Сессию 5`, `Sitzungen`, of `Сессия`."""
    return rf"{re.escape(word[:-1])}\w{{1,3}}" if len(word) >= 5 and word.isalpha() else re.escape(word)


_OPENS_WITH_NUMBER_RE = lazy_re(r"[\s>*_+\-\[\]xX]*\d")


def _overlaps(hits: list[tuple[int, int, str]], starts: list[int], h: tuple[int, int, str]) -> bool:
    """Whether ``h`` overlaps one of ``hits`` (in order and apart; ``starts`` their starts)."""
    i = bisect.bisect_left(starts, h[1]) - 1
    return i >= 0 and hits[i][1] > h[0]


def kind_words(doc: Document, units: list[Session]) -> set[str]:
    """The kind words the units write before their number keys on their own lines (`**Schritt 8** — …`),
    looked for on the first few dozen such units."""
    numbered = [s for s in units if s.key[:1].isdigit()][:_KIND_SAMPLE]
    words: set[str] = set()
    for s in numbered:
        m = re.search(rf"({UNIT_KINDS})\s*#?\s*{re.escape(s.key)}(?![\w.])", doc.lines[s.line - 1], re.I)
        if m is not None:
            words.add(m.group(1).lower())
    return words


_KIND_SAMPLE = 40
