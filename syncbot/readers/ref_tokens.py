"""The candidate references of a dependency text: runs of key characters (letters of the Latin, Greek and
Cyrillic alphabets, digits) joined by `-` `_` `.` (and `/` in a document whose keys hold one, `K3/4`) that hold
a digit, with the `#` written before one (`#12`).  Found in linear work: the pattern that looked ahead for the
digit read a run of `.` on to its end from every position in it.  Pure functions of the text, used by
:mod:`ref_scan`."""

from __future__ import annotations

import bisect
import re

from syncbot.readers.lazy_re import lazy_re

# a candidate reference: alphanumeric runs joined by `-` `_` `.`, holding a digit (checked after matching)
# (letters of the alphabets keys are written in: Latin, Greek, Cyrillic — `Э1-2`; not CJK, where `阶段4` is two words)
_KEY_CHARS = "A-Za-z0-9\u00c0-\u024f\u0370-\u03ff\u0400-\u04ff"
_TOKEN_RE = lazy_re(rf"(?<![{_KEY_CHARS}_])(#?)(?=[{_KEY_CHARS}_.-]*\d)([{_KEY_CHARS}]+(?:[-_.][{_KEY_CHARS}]+)*)")
# (in a document whose keys are written `K3/4`, a slash joins a key's parts too, not two keys)
_SLASHED_TOKEN_RE = lazy_re(
    rf"(?<![{_KEY_CHARS}_/])(#?)(?=[{_KEY_CHARS}_./-]*\d)([{_KEY_CHARS}]+(?:[-_./][{_KEY_CHARS}]+)*)"
)

# (the same, the digit looked for after matching: the lookahead read on to the end of the run from every position
# in it, square work on a run of 10,000 `.` or `./`; see ``key_tokens``)
_TOKEN_FORM_RE = lazy_re(rf"(?<![{_KEY_CHARS}_])(#?)([{_KEY_CHARS}]+(?:[-_.][{_KEY_CHARS}]+)*)")
_SLASHED_FORM_RE = lazy_re(rf"(?<![{_KEY_CHARS}_/])(#?)([{_KEY_CHARS}]+(?:[-_./][{_KEY_CHARS}]+)*)")
_RUN_RE = lazy_re(rf"[{_KEY_CHARS}_.-]+")
_SLASHED_RUN_RE = lazy_re(rf"[{_KEY_CHARS}_./-]+")
_DIGIT_RE = lazy_re(r"\d")


def key_tokens(piece: str, slashed: bool) -> list[re.Match[str]]:
    """``(_SLASHED_TOKEN_RE if slashed else _TOKEN_RE).finditer(piece)``, in linear work.  A token with no digit
    of its own is one where the run of key characters (and `_.-`, `/`) it starts holds a digit after it, or
    a digit follows that run (the lookahead's reach); where it does not, no token starts later in that run
    either, so skipping it whole skips no match."""
    form, run = (_SLASHED_FORM_RE, _SLASHED_RUN_RE) if slashed else (_TOKEN_FORM_RE, _RUN_RE)
    out: list[re.Match[str]] = []
    starts: list[int] | None = None
    lasts: list[int] = []
    for m in form.finditer(piece):
        if _DIGIT_RE.search(m.group(2)) is None:
            if starts is None:  # (each run's start and its last digit, once a piece)
                runs = [(r.start(), _last_digit(piece, r.start(), r.end())) for r in run.finditer(piece)]
                starts, lasts = [r[0] for r in runs], [r[1] for r in runs]
            if lasts[bisect.bisect_right(starts, m.start(2)) - 1] < m.start(2):
                continue
        out.append(m)
    return out


def _last_digit(text: str, start: int, end: int) -> int:
    """Where the digit right after ``text[start:end]`` or else its last digit stands (-1: none)."""
    if _DIGIT_RE.match(text, end):
        return end
    return max((d.start() for d in _DIGIT_RE.finditer(text, start, end)), default=-1)
