"""What surrounds a status run in one heading or item line: whether the text before it is blank, ends with a
dash or a bold name, what the text after it is once a trailing bracket or date is set aside.

:func:`syncbot.readers.phrases._status_phrases` asks these questions once per run of status marks, and a line
may hold thousands of runs (`🚧 — 🚧 — …`, `（阻塞：（阻塞：…`).  Asked of slices (`t[:start]`, `t[end:]`), each
question copied and scanned the whole line again: quadratic, 100 KB of such a line took 9–18 s.  Here each
answer is found where the question is (the characters next to the run), or found once and reused by the runs
further on (the next character of a kind, the start of the trailing brackets), so the line is scanned a few
times in all.  Each method says which expression on slices it answers (tests/test_phrase_context.py checks
them against those expressions).
"""

from __future__ import annotations

import bisect
from collections.abc import Callable

from syncbot.readers.lazy_re import lazy_re

# a trailing date or note does not make a status part of the title: `✅ COMPLETED (November 6)` (what this
# matches from a position is found by :func:`trailing_brackets`, walking back from the end of the line: searched
# from each position, its `\s*` and its run of brackets read on to the end again, 40,000 trailing blanks took 12 s)
TRAILING_PARENS_RE = lazy_re(r"(?:\s*(?:\([^()]*\)|\[[^\[\]]*\]|（[^（）]*）))+[\s*_`~.!]*$")
_TRAILING_TAIL = "*_`~.!"  # (and blanks: the closing `[\s*_`~.!]*$`)
_OPENER = {")": "(", "]": "[", "）": "（"}


def trailing_brackets(t: str) -> list[tuple[int, int]]:
    """Where a match of ``TRAILING_PARENS_RE`` can start in ``t``: spans ``(w, q)``, right to left, each the
    blanks ``t[w:q]`` before a bracket opened at ``q`` that, with the brackets after it, runs to the tail of
    blanks and ``*_`~.!`` that ends the line.  A bracket holds no bracket of its own kind, so the bracket that
    closes before that tail, the one opened before it and so on back are the only ones a match can hold: one
    walk back along the line finds them (``TRAILING_PARENS_RE.search(t, pos).start()`` is ``max(w, pos)`` of the
    last span with ``q >= pos``)."""
    c = len(t)
    while c and (t[c - 1] in _TRAILING_TAIL or t[c - 1].isspace()):
        c -= 1
    spans: list[tuple[int, int]] = []
    while c and (opener := _OPENER.get(t[c - 1])) is not None:
        q = t.rfind(opener, 0, c - 1)
        if q < 0 or t.find(t[c - 1], q + 1, c - 1) >= 0:
            break
        w = q
        while w and t[w - 1].isspace():
            w -= 1
        spans.append((w, q))
        c = w
    return spans


# `✅ merged 2026-03-02`, `concluída em 16/02`, `erledigt am 16.02.`: when, no part of the title
TRAILING_DATE_RE = lazy_re(
    r"\s+(?:(?:on|in|em|am|le|el|en|since|desde|seit|depuis)\s+)?\d{1,4}[-/.]\d{1,2}(?:[-/.]\d{1,4})?\.?$"
)
_DATE_REACH = 24  # (the longest such date and the word before it)
_BOLD_HEAD_RE = lazy_re(r"\s*(\*\*|__)[^*_]+\1")  # (`[^*_]` cannot run past the closing mark: one match)
_LABEL_EDGE = " *_`~"
_SYMBOL_RE = lazy_re(
    r"[\u2600-\u27bf\ufe0f\u200d\U0001F000-\U0001FFFF]"
)  # emoji and their selectors  # what `rstrip` / `lstrip` take off around a run to find the bracket it sits in


class Context:
    """One line ``t``, asked about the text before and after its runs of status marks, in the runs' order."""

    def __init__(self, t: str, blank_char: Callable[[str], bool]) -> None:
        self.t = t
        self._blank_char = blank_char
        self._hits: dict[str, tuple[int, int]] = {}
        self._lower: int | None = None
        self._bold: tuple[int, int] | None = None
        self._dated: dict[tuple[int, int], int] = {}
        self._brackets: tuple[list[int], list[int]] | None = None

    def _first(self, key: str, pos: int, look: Callable[[int], int]) -> int:
        """``look(pos)``, the first position at or after ``pos`` of some kind (``len(t)`` for none): an answer
        holds for every later ``pos`` up to it, so runs asking further along the line scan each stretch once."""
        hit = self._hits.get(key)
        if hit is None or not hit[0] <= pos <= hit[1]:
            hit = self._hits[key] = (pos, look(pos))
        return hit[1]

    def find(self, ch: str, pos: int) -> int:
        """``t.find(ch, pos)``, ``len(t)`` when there is none."""
        t = self.t
        return self._first(ch, pos, lambda p: len(t) if (at := t.find(ch, p)) < 0 else at)

    def _nonblank(self, pos: int) -> int:
        t, blank = self.t, self._blank_char
        for i in range(pos, len(t)):
            if not blank(t[i]):
                return i
        return len(t)

    def blank_before(self, s: int) -> bool:
        """``_blank(t[:s])``."""
        return self._first("lead", 0, self._nonblank) >= s

    def blank(self, e: int, q: int) -> bool:
        """``_blank(t[e:q])``."""
        return self._first("blank", e, self._nonblank) >= q

    def last_before(self, s: int) -> str:
        """``t[:s].rstrip(" *_`~")[-1:]``."""
        j = self._back(s, _LABEL_EDGE, False)
        return self.t[j - 1] if j else ""

    def first_after(self, e: int) -> str:
        """``t[e:].lstrip(" *_`~")[:1]``."""
        t = self.t
        while e < len(t) and t[e] in _LABEL_EDGE:
            e += 1
        return t[e : e + 1]

    def _back(self, s: int, chars: str, space: bool) -> int:
        t = self.t
        while s > 0 and (t[s - 1] in chars or (space and t[s - 1].isspace())):
            s -= 1
        return s

    def dash_before(self, s: int) -> bool:
        """``_DASH_END_RE.search(t[:s])``: ``(?:\\s|[）」』】])[–—·][\\s<symbols>]*$`` (`）— ⚠️ ブロック中`: a dash
        after a closing CJK bracket, a symbol between it and the run).  Each run walks back only over the
        spaces and symbols since the text before it: the walks of a line's runs do not overlap."""
        t, j = self.t, s
        while j > 0 and (t[j - 1].isspace() or _SYMBOL_RE.match(t[j - 1])):
            j -= 1
        return j >= 2 and t[j - 1] in "–—·" and (t[j - 2].isspace() or t[j - 2] in "）」』】")

    def sep_before(self, s: int) -> bool:
        """``_SEP_BEFORE_RE.search(t[:s])``: ``[-–—:|·•][\\s*_`~]*$``."""
        j = self._back(s, "*_`~", True)
        return j >= 1 and self.t[j - 1] in "-–—:|·•"

    def lower_before(self, s: int) -> bool:
        """``any(c.islower() for c in t[:s])``."""
        if self._lower is None:
            self._lower = next((i for i, c in enumerate(self.t) if c.islower()), len(self.t))
        return self._lower < s

    def bold_before(self, s: int) -> bool:
        """``_BOLD_NAME_RE.match(t[:s])``: ``^\\s*(\\*\\*|__)[^*_]+?\\1\\s*$``, a bold name and blanks only."""
        if self._bold is None:
            m = _BOLD_HEAD_RE.match(self.t)
            self._bold = (m.end(), len(self.t) - len(self.t[m.end() :].lstrip())) if m else (-1, -1)
        return self._bold[0] <= s <= self._bold[1] and self._bold[0] >= 0

    def noted(self, e0: int, opener: str, close: str) -> bool:
        """``close in t[e0:] and opener not in t[e0:].split(close)[0]``: a bracket closed after the run, and
        not opened again before that."""
        c = self.find(close, e0)
        return c < len(self.t) and self.find(opener, e0) >= c

    def parens_start(self, e: int) -> int:
        """``TRAILING_PARENS_RE.search(t, e).start()``, ``len(t)`` for no match."""
        if self._brackets is None:
            spans = trailing_brackets(self.t)[::-1]
            self._brackets = ([q for _, q in spans], [w for w, _ in spans])
        opened, blanks = self._brackets
        i = bisect.bisect_left(opened, e)  # (the first bracket opened at or after e, and the blanks before it)
        return max(blanks[i], e) if i < len(opened) else len(self.t)

    def after_end(self, e: int) -> int:
        """Where the text after a run that ends at ``e`` ends once a trailing bracket and then a trailing date
        are set aside: ``t[e:q]`` is ``TRAILING_PARENS_RE.sub("", t[e:])``, then ``TRAILING_DATE_RE.sub("", …)``
        when it ends with a digit (a match of ``TRAILING_PARENS_RE`` runs to the end of ``t``: its last part
        takes trailing whitespace, a newline too)."""
        t = self.t
        p = self.parens_start(e)
        if p > e and (t[p - 1].isdigit() or t[p - 1] == "."):
            start = max(e, p - _DATE_REACH)
            w = self._dated.get((start, p))
            if w is None:  # where the whitespace before a date that ends at p starts (p for no date)
                m = TRAILING_DATE_RE.search(t, start, p)
                w = m.start() if m is not None else p
                self._dated[(start, p)] = w
            if e <= w < p:
                return w
        return p
