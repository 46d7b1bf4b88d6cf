"""Where the dependency markers of a whole document start: the start of every match of
:data:`refs.MARKER_RE` in a text, as ``MARKER_RE.finditer`` finds them, in a third less time.

``MARKER_RE`` is case-insensitive, and case-insensitive matching compares every character through its lower
case, at every position a marker may start.  When no character outside ASCII in the text has a case
(emoji, CJK, punctuation and the like have none), lower-casing the text first changes only ASCII letters, one
character for one, so positions hold and no character becomes or stops being a word character; the same
pattern in lower case, matched case-sensitively against the lower-cased text, then finds exactly the same
matches.  A pattern letter outside ASCII that case-insensitive matching pairs with an ASCII letter (Turkish
``ı`` matches ``i`` and ``I``) is given that letter as an alternative.  Any other text is scanned with
``MARKER_RE`` itself.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterator

from syncbot.readers.lazy_re import lazy_re
from syncbot.readers.ref_markers import MARKER_RE

_NON_ASCII_RE = lazy_re(r"[^\x00-\x7f]+")


def _lower_pattern() -> re.Pattern[str] | None:
    source = MARKER_RE.pattern
    if re.search(r"\\[A-Z]", source):
        return None  # an upper-case escape (`\S`, `\W`) would change meaning in lower case
    low = source.lower().replace("(?p<", "(?P<")
    for c in sorted({c for c in low if not c.isascii()}):
        twins = [a for a in string.ascii_lowercase if re.fullmatch(re.escape(c), a, re.IGNORECASE)]
        if twins:
            if re.search(rf"\[[^\]]*{re.escape(c)}", low):
                return None  # inside a character class; not worth the care
            low = low.replace(c, f"(?:{c}|{'|'.join(twins)})")
    return re.compile(low)


_LOWER = _lower_pattern()


def _caseless_beyond_ascii(text: str) -> bool:
    chars = "".join(set("".join(_NON_ASCII_RE.findall(text))))
    return chars.lower() == chars == chars.upper()


def marker_starts(text: str) -> Iterator[int]:
    """The start of every match of ``MARKER_RE.finditer(text)``."""
    if _LOWER is not None and _caseless_beyond_ascii(text):
        return (m.start() for m in _LOWER.finditer(text.lower()))
    return (m.start() for m in MARKER_RE.finditer(text))


def has_marker(text: str, start: int = 0, end: int | None = None) -> bool:
    """``MARKER_RE.search(text, start, end) is not None``; an ASCII text (most task lines) lower-cased and
    searched with the lower-case pattern, as above (a third less time: a 20,000-task list asks 16,000 times)."""
    stop = len(text) if end is None else end
    if _LOWER is not None and text.isascii():
        return _LOWER.search(text.lower(), start, stop) is not None
    return MARKER_RE.search(text, start, stop) is not None
