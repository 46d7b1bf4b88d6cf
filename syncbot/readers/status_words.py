"""Status words: what a person's words and marks say of how a unit stands (`done`, `en curso`, `完了`, `✅`,
`[wip]`), in every language the vocabulary knows (readers/vocabulary.py, searched by readers/vocabulary_match.py),
with the legend of the document being read honoured while it is read (:func:`reading_legend`, readers/legend.py
reads the legend).
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import lru_cache

from syncbot.model import Status
from syncbot.readers.common import EMPHASIS_UNDERSCORE_RE
from syncbot.readers.lazy_re import lazy_re
from syncbot.readers.vocabulary import EMOJI as _EMOJI
from syncbot.readers.vocabulary_match import (
    EMOJI_FIRST,
    FIRST_RUNS,
    NON_ASCII_WORD_CHAR,
    WORD_RUN,
    first_phrase,
    phrase,
    phrase_re,
    run_phrase_re,
    word_status,
)

_NO_MARKUP = str.maketrans("", "", "*_`~")


# The legend of the document being read (mark -> status; see legend.py): every reader's classification
# honours it.  Set for the length of one reading by :func:`reading_legend`.
_LEGEND: dict[str, Status] = {}  # the document's marks (`🟢`, `【済】`)
_LEGEND_WORDS: dict[str, Status] = {}  # and its own status words (`building`, `stuck`), lower-case
_LEGEND_WORD_RE: re.Pattern[str] | None = None


def _word_pattern(word: str) -> str:
    """A legend word as a pattern: any case, but a short code in capitals (`PD`, `EC`) only as written."""
    return f"(?-i:{re.escape(word)})" if word.isupper() and len(word) <= 4 else re.escape(word)


@contextmanager
def reading_legend(legend: dict[str, Status]) -> Iterator[None]:
    """Classify with ``legend`` (the document's own marks and words) while a document is read."""
    global _LEGEND, _LEGEND_WORDS, _LEGEND_WORD_RE
    before = _LEGEND, _LEGEND_WORDS, _LEGEND_WORD_RE
    words = {k: st for k, st in legend.items() if k[:1].isalpha()}
    _LEGEND = {k: st for k, st in legend.items() if k not in words}
    _LEGEND_WORDS = {k.lower(): st for k, st in words.items()}
    _LEGEND_WORD_RE = (
        re.compile(
            rf"(?<![\w-])(?:{'|'.join(map(_word_pattern, sorted(words, key=len, reverse=True)))})(?![\w-])",
            re.I,
        )
        if words
        else None
    )
    try:
        yield
    finally:
        _LEGEND, _LEGEND_WORDS, _LEGEND_WORD_RE = before


def legend_mark(text: str) -> bool:
    """Whether ``text`` is one of the marks the legend being read defines (`🔧` of `🔧 in Arbeit`)."""
    return bool(_LEGEND) and text.replace("\ufe0f", "").strip() in _LEGEND


def legend_has_digits() -> bool:
    """Whether a mark or word of the legend being read holds an ASCII digit."""
    return any(c in "0123456789" for k in (*_LEGEND, *_LEGEND_WORDS) for c in k)


def _legend_word_marks(text: str) -> list[tuple[int, int, Status, bool]]:
    if _LEGEND_WORD_RE is None:
        return []
    return [(m.start(), m.end(), _LEGEND_WORDS[m.group(0).lower()], True) for m in _LEGEND_WORD_RE.finditer(text)]


def legend_status(legend: dict[str, Status], text: str) -> Status | None:
    """The status of the first of ``legend``'s marks in ``text`` (variation selectors removed), if any."""
    hits = [(text.find(m), st) for m, st in legend.items() if m in text]
    return min(hits, key=lambda h: h[0])[1] if hits else None


def classify_status(text: str) -> Status | None:
    """Map status text as a person writes it to a :class:`Status`, or ``None`` when it names none.

    ``text`` must already be repaired (see :meth:`Document.fix`).  The legend of the document being read
    comes first for its marks; then a word beats an emoji when both are present and disagree only where the
    word is more specific (``🔄 READY`` is ready, ``✅ Done`` is done).
    """
    if _LEGEND_WORD_RE is not None and (m := _LEGEND_WORD_RE.search(text)) is not None:
        return _LEGEND_WORDS[m.group(0).lower()]
    if _LEGEND:
        st = legend_status(_LEGEND, text.replace("\ufe0f", ""))
        if st is not None:
            return st
    return _classify(text)


@lru_cache(maxsize=4096)  # a tracker repeats its few status texts in every row
def _classify(text: str) -> Status | None:
    plain = text.translate(_NO_MARKUP).strip()
    m = first_phrase(plain)
    if m:
        return word_status(phrase(m)[2])
    for mark, st in _EMOJI:
        if mark in plain:
            return st
    return None


# an underscore inside a word (`1.04_01`, `snake_case`) is no emphasis, as CommonMark reads it


def status_marks(text: str) -> list[tuple[int, int, Status, bool]]:
    """Every status phrase and status emoji in ``text`` (already repaired), in order of position.

    Each entry is ``(start, end, status, is_word)``.  Unlike :func:`classify_status` this keeps positions,
    so a reader can tell a status written as a label (`✅ COMPLETED - Foundation`) from a word that is
    part of a title (`Current Sprint`), and report the exact span of what it used.
    """
    marks: list[tuple[int, int, Status, bool]] = []
    # `— _Hecho_`: an underscore of emphasis is no part of the word it wraps (blanked, positions kept)
    words = EMPHASIS_UNDERSCORE_RE.sub(" ", text) if "_" in text else text
    if NON_ASCII_WORD_CHAR.search(text) is None:
        after = 0
        for w in WORD_RUN.finditer(words):
            run = w.group().lower()
            if w.start() >= after and run in FIRST_RUNS and (rx := run_phrase_re(run)) is not None:
                m = rx.match(words, w.start())
                if m is not None:
                    start, after, word = phrase(m)
                    marks.append((start, after, word_status(word), True))
    else:
        for m in phrase_re().finditer(words):
            start, end, word = phrase(m)
            marks.append((start, end, word_status(word), True))
    # every status emoji is outside ASCII; only those whose first character the text holds are looked for
    for ch in () if text.isascii() else EMOJI_FIRST.keys() & set(text):
        for mark, st in EMOJI_FIRST[ch]:
            pos = text.find(mark)
            while pos >= 0:
                end = pos + len(mark)
                if end < len(text) and text[end] == "\ufe0f":  # keep the emoji presentation selector with it
                    end += 1
                marks.append((pos, end, st, False))
                pos = text.find(mark, end)
    if _LEGEND and (not text.isascii() or "[" in text):  # `[wip]` may be a legend's mark too
        marks = _with_legend(text, marks)
    if _LEGEND_WORD_RE is not None and (own := _legend_word_marks(text)):
        # the document's own words take the place of built-in words at the same place
        overlaps = _overlap_test(own)
        marks = [m for m in marks if not overlaps(m[0], m[1])] + own
    if marks and _NEGATION_RE.search(words):
        # `the partner API isn't live`, `not merged yet`: what is denied is not how the work stands
        marks = [
            m
            for m in marks
            if not (m[3] and m[2] is Status.DONE and _NEGATED_RE.search(words, max(0, m[0] - 40), m[0]))
        ]
    marks.sort()
    return marks


_NEGATION_RE = lazy_re(r"\bnot\b|n['’]t\b|\bnever\b", re.IGNORECASE)
_NEGATED_RE = lazy_re(r"(?:\bnot|n['’]t|\bnever)\s+(?:(?:yet|been|fully|quite)\s+)*$", re.IGNORECASE)


def _overlap_test(spans: list[tuple[int, int, Status, bool]]) -> Callable[[int, int], bool]:
    """Whether ``[start, end)`` overlaps one of ``spans``: a bisection over their starts and the furthest end
    of those up to each (a line of 10,000 legend words beside 10,000 marks is no pass over them all a mark)."""
    ordered = sorted(spans)
    starts = [sp[0] for sp in ordered]
    reach = list(itertools.accumulate((sp[1] for sp in ordered), max))

    def overlaps(start: int, end: int) -> bool:
        i = bisect.bisect_left(starts, end)  # (the spans that start before ``end``: ``ordered[:i]``)
        return i > 0 and reach[i - 1] > start

    return overlaps


def _with_legend(text: str, marks: list[tuple[int, int, Status, bool]]) -> list[tuple[int, int, Status, bool]]:
    """The document's legend marks replace the built-in meaning of the same marks."""
    found: list[tuple[int, int, Status, bool]] = []
    for mark, st in _LEGEND.items():
        pos = text.find(mark)
        while pos >= 0:
            end = pos + len(mark)
            if end < len(text) and text[end] == "\ufe0f":
                end += 1
            found.append((pos, end, st, False))
            pos = text.find(mark, end)
    if not found:
        return marks
    overlaps = _overlap_test(found)
    kept = [m for m in marks if m[3] or not overlaps(m[0], m[1])]
    return kept + found
