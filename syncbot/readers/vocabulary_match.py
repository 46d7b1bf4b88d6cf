"""The vocabulary's status phrases compiled for search: which phrase of readers/vocabulary.py matches where in
a text, and what status it names.  A few hundred phrases tried at every position of every text are the cost
of classifying, so a text whose letters are ASCII is searched only at the words that can start a phrase
(:func:`first_phrase`, :func:`run_phrase_re`); readers/status_words.py puts these together with the document's
legend.
"""

from __future__ import annotations

import re
from functools import lru_cache

from syncbot.model import Status
from syncbot.readers.lazy_re import lazy_re
from syncbot.readers.vocabulary import EMOJI as _EMOJI
from syncbot.readers.vocabulary import VOCABULARY as _VOCABULARY

# the words and emoji themselves live in readers/vocabulary.py


def _unspaced(word: str) -> bool:
    """Chinese and Japanese are written without spaces between words, and Korean glues particles to its words
    (`완료됨`): their words match anywhere."""
    return any(
        "\u3040" <= ch <= "\u30ff"
        or "\u4e00" <= ch <= "\u9fff"
        or "\uac00" <= ch <= "\ud7af"
        or "\u0e00" <= ch <= "\u0e7f"  # Thai
        for ch in word
    )


_WORDS: dict[Status, tuple[str, ...]] = {
    st: tuple(dict.fromkeys(w for group in groups for w in group.split("|"))) for st, groups in _VOCABULARY.items()
}
PHRASES: list[tuple[str, Status]] = sorted(((w, st) for st, ws in _WORDS.items() for w in ws), key=lambda p: -len(p[0]))


@lru_cache(maxsize=1)
def phrase_re() -> re.Pattern[str]:
    """Every status phrase, spaced ones as whole words: compiled on first use (a few hundred words take a
    hundredth of a second), which only a text with letters beyond ASCII needs (``first_phrase``)."""
    return re.compile(
        r"(?<![\w-])("
        + "|".join(re.escape(p) for p, _ in PHRASES if not _unspaced(p))
        + r")(?![\w-])|("
        + "|".join(re.escape(p) for p, _ in PHRASES if _unspaced(p))
        + ")",
        re.IGNORECASE,
    )


_PHRASE_STATUS = {p: st for p, st in PHRASES}
# The first run of word characters of every spaced phrase.  ``phrase_re()`` tries its few hundred words at
# every position of a text.  In a text whose letters and digits are all ASCII (emoji and punctuation may be
# anything) no unspaced word can occur, lowercasing is exact and no phrase letter matches another letter
# by case folding, so a phrase can match only where a whole word of the text is the first word of a
# phrase: the regex is tried at those words only (in order, after the previous match, as finditer would).
WORD_RUN = lazy_re(r"\w+")
NON_ASCII_WORD_CHAR = lazy_re(r"[^\W\x00-\x7f]")
EMOJI_FIRST: dict[str, list[tuple[str, Status]]] = {}
for _mark, _st in _EMOJI:
    EMOJI_FIRST.setdefault(_mark[0], []).append((_mark, _st))


def _ascii_spellings(run: str) -> set[str]:
    """``run`` lower-cased, and as ASCII letters match it under ``re.IGNORECASE`` (`ı` matches `i` and `I`,
    `ſ` matches `s`): a phrase's first word may match an ASCII word of the text it does not equal."""
    out = {run.lower()}
    folded = ""
    for c in run.lower():
        if c.isascii():
            folded += c
            continue
        twins = [a for a in "abcdefghijklmnopqrstuvwxyz" if re.fullmatch(re.escape(c), a, re.IGNORECASE)]
        if not twins:
            return out
        folded += twins[0]
    return out | {folded}


FIRST_RUNS = frozenset(
    s for p, _ in PHRASES if not _unspaced(p) and (m := WORD_RUN.match(p)) for s in _ascii_spellings(m.group())
)
# ... and at such a word only the phrases whose first word matches it can match (under ``re.IGNORECASE``:
# the same letters in ASCII, checked by regex for a first word with letters beyond ASCII), first in the same
# order as in ``phrase_re()``: that alternation alone finds the same match as ``phrase_re()`` there, without
# trying the few hundred others (tests/test_phrase_runs.py)
_SPACED = [(n, p, m.group()) for n, (p, _) in enumerate(PHRASES) if not _unspaced(p) and (m := WORD_RUN.match(p))]
_ASCII_FIRST: dict[str, list[tuple[int, str]]] = {}
for _n, _p, _run in _SPACED:
    if _run.isascii():
        _ASCII_FIRST.setdefault(_run.lower(), []).append((_n, _p))
_ODD_FIRST = [(n, p, run) for n, p, run in _SPACED if not run.isascii()]
_RUN_RE: dict[str, re.Pattern[str] | None] = {}


def run_phrase_re(run: str) -> re.Pattern[str] | None:
    """The phrases that may match where an ASCII word ``run`` (lower case, one of ``FIRST_RUNS``) starts,
    as ``phrase_re()``'s first group; compiled once per word."""
    if run in _RUN_RE:
        return _RUN_RE[run]
    found = list(_ASCII_FIRST.get(run, []))
    found += [(n, p) for n, p, first in _ODD_FIRST if re.fullmatch(re.escape(first), run, re.IGNORECASE)]
    alts = "|".join(re.escape(p) for _, p in sorted(found))
    _RUN_RE[run] = rx = re.compile(rf"(?<![\w-])({alts})(?![\w-])", re.IGNORECASE) if found else None
    return rx


@lru_cache(maxsize=4096)
def word_status(word: str) -> Status:
    """The status of a phrase ``phrase_re()`` matched, as written: `TAMAMLANDI` matched `tamamlandı` (under
    ``re.IGNORECASE`` `ı` matches `I`), which lower-casing alone does not find."""
    st = _PHRASE_STATUS.get(word.lower())
    if st is None:
        st = next(st for p, st in PHRASES if re.fullmatch(re.escape(p), word, re.IGNORECASE))
    return st


def phrase(m: re.Match[str]) -> tuple[int, int, str]:
    g = 1 if m.group(1) is not None else 2
    return m.start(g), m.end(g), m.group(g)


def first_phrase(text: str) -> re.Match[str] | None:
    """``phrase_re().search(text)``, tried only at the words that can start a phrase when the text's letters
    are ASCII (see ``FIRST_RUNS``)."""
    if NON_ASCII_WORD_CHAR.search(text) is not None:
        return phrase_re().search(text)
    if FIRST_RUNS.isdisjoint(map(str.lower, WORD_RUN.findall(text))):
        return None  # (most texts: no word can start a phrase, found without a Python step per word)
    for w in WORD_RUN.finditer(text):
        run = w.group().lower()
        if run in FIRST_RUNS and (rx := run_phrase_re(run)) is not None:
            m = rx.match(text, w.start())
            if m is not None:
                return m
    return None
