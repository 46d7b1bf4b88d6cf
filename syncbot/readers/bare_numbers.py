"""What the reading of a clause asks of a bare number (`4`, no letters) before it takes it for a unit in prose:
whether a unit word stands just before it (`Step 2`), whether it opens a bracket (`після демонтажу (4)`) or
stands in a list of numbers there (`(5–10, 13–15)`).  Each is asked of the few characters before the number,
or of a text read once for all its numbers, never of all the text before it (a line of 20,000 numbers).
Pure functions of the text, used by :mod:`ref_scan`."""

from __future__ import annotations

import re

from syncbot.readers.key_index import UNIT_WORDS
from syncbot.readers.lazy_re import lazy_re
from syncbot.readers.ref_markers import LIST_GAP_RE

_NUMBERS_ONLY_RE = lazy_re(r"[\s*_`\d,;/&–—~.-]*")
_NOT_NUMBERS_RE = lazy_re(r"[^\s*_`\d,;/&–—~.-]")  # (any character ``_NUMBERS_ONLY_RE`` does not take)


class OpensBrackets:
    """Whether only numbers and their separators stand between the last `(` before a position and it (or the
    text's start, with no `(`), asked at positions further on each time (the tokens of a piece): the text is
    read once, not back to the bracket for every number (`(1 2 3 … 10000)`).  A `(` is none of them, so
    that holds where the last other character before the position is a `(`, or there is none."""

    def __init__(self, text: str) -> None:
        self.text, self.pos, self.last = text, 0, -1

    def __call__(self, at: int) -> bool:
        t = self.text
        if at < self.pos:
            return _NUMBERS_ONLY_RE.fullmatch(t, t.rfind("(", 0, at) + 1, at) is not None
        for m in _NOT_NUMBERS_RE.finditer(t, self.pos, at):
            self.last = m.start()
        self.pos = at
        return self.last < 0 or t[self.last] == "("


def listed(piece: str, at: int, gap: str, opens: OpensBrackets) -> bool:
    """Whether a bare number at ``at`` in brackets is named as a unit: opening them (`після демонтажу (4)`), right
    after the marker, after a unit word (`step 2`), or in a list after one (`(5–10, 13–15)`)."""
    return opens(at) or unit_word_before(piece, at) or LIST_GAP_RE.fullmatch(gap) is not None


def unit_word_before(piece: str, start: int) -> bool:
    """Whether a unit word ends the text before ``start``, spaces aside (`Step 3`): looked for among the ten
    characters before the spaces (the longest word; `work packets` ends with `packets`), not in a copy of
    all the text before (a prose line of 20,000 numbers took minutes)."""
    j = start
    while j > 0 and piece[j - 1].isspace():
        j -= 1
    return _UNIT_WORD_END_RE.search(piece, max(0, j - 10), j) is not None


_UNIT_WORD_END_RE = lazy_re(rf"{UNIT_WORDS}$", re.IGNORECASE)
