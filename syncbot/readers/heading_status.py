"""A status written inside a heading, after its name: `## Step 1 — Fixes (CURRENT)`, `### Component 9 -
COMPLETE ✅`, `### Task 1.1: Schema [x]`; and whether a short piece is *only* a status."""

from __future__ import annotations

import re

from syncbot.model import Span, SpanKind, Status
from syncbot.readers import status_words
from syncbot.readers.common import Document, per_reading, strip_inline
from syncbot.readers.lazy_re import lazy_re
from syncbot.readers.status_words import classify_status
from syncbot.readers.vocabulary_match import PHRASES

# a task box closing a heading after its name (`### Task 1.1: Schema [x]`)
HEADING_BOX_RE = lazy_re(r"(?<=\s)\[([ xX])\]$")
_SEGMENT_SPLIT = lazy_re(r"\s+[-—–|]\s+|:\s+|[()\[\]]")
_STATUS_WORD_RE = lazy_re(r"[A-Za-z][A-Za-z' _/-]*")


@per_reading  # the sections and thread readers ask about the same heading parts
def pure_status(text: str) -> Status | None:
    """The status a short piece names when it is *only* a status (`COMPLETE ✅`, `(CURRENT)`), so a title
    such as "Testing Framework" is never taken for one."""
    plain = strip_inline(text).strip(" .!*_`~")
    st = classify_status(plain)
    if st is None:
        return None
    words = " ".join(_STATUS_WORD_RE.findall(plain)).strip()
    if not words:
        return st  # emoji only
    return st if classify_status(words) is not None and len(words.split()) <= 3 and _only_status(words) else None


@per_reading
def trailing_status(text: str) -> int | None:
    """Where a status that closes ``text`` after its name starts (`API layer ✅ COMPLETED`,
    `Data model 🚧`): a status emoji, possibly followed by status words, after some other words."""
    for start, _, _, is_word in reversed(status_words.status_marks(text)):
        if is_word:
            continue
        if start and text[:start].strip(" -—–:|*_") and pure_status(text[start:]) is not None:
            return start
        break
    return None


_ALL_PHRASES = [p for p, _ in PHRASES]


def _only_status(words: str) -> bool:
    rest = words.lower()
    for phrase in sorted(_ALL_PHRASES, key=len, reverse=True):
        rest = re.sub(rf"(?<![\w-]){re.escape(phrase)}(?![\w-])", " ", rest)
    return not rest.replace("/", " ").split()


def heading_span_kind(text: str) -> SpanKind:
    """How a status found by :func:`status_in_heading` is written: a box (`[x]`) or words."""
    return SpanKind.CHECKBOX if re.fullmatch(r"\[[ xX]\]", text) else SpanKind.HEADING


def status_in_heading(doc: Document, line: int, start_col: int) -> tuple[Status, Span, str] | None:
    """A status segment in a heading after ``start_col``: `## Step 1 — Fixes (CURRENT)`,
    `### Component 9 - COMPLETE ✅`.  Returns the status, the span of the segment as written, the text."""
    raw = doc.lines[line - 1]
    box = HEADING_BOX_RE.search(raw.rstrip(" #"), start_col)
    if box:
        # `### Task 1.1: Schema [x]`: a checkbox closing the heading is the unit's status
        done = Status.DONE if box.group(1) in "xX" else Status.PLANNED
        # the span is the mark between the brackets, like a task item's: a rewrite writes a mark, not a word
        return done, Span(doc.offset(line, box.start(1)), doc.offset(line, box.end(1))), box.group(0)
    pos = start_col
    for m in [*_SEGMENT_SPLIT.finditer(raw, start_col), None]:
        end = m.start() if m else len(raw.rstrip(" #"))
        seg = raw[pos:end]
        text = seg.strip().strip("*_")
        if text:
            fixed = doc.fix(text)
            st = pure_status(fixed)
            if st is None and not doc.mojibake:
                # `Session 4: API layer ✅ COMPLETED (date)`: an emoji-led status closing the segment
                cut = trailing_status(fixed)
                if cut:
                    text = text[cut:]
                    st = pure_status(text)
            if st is not None:
                col = pos + seg.find(text)
                return st, Span(doc.offset(line, col), doc.offset(line, col + len(text))), text
        if m:
            pos = m.end()
    return None


# `**Done.** Five claims, see the table`, `_In progress_ (@tomasz)`: a section's first words, emphasised, as its status
_LEAD_STATUS_RE = lazy_re(r"^\s*(?P<open>\*\*|__|\*|_)(?P<word>[^*_\n]{2,30}?)[.!:]?(?P=open)(?=[\s.,;:(—–-]|$)")


# `Done. 41 jobs found.`, `In progress: 12 of 41 moved.`: plain words, when a sentence end or colon sets them off
_PLAIN_LEAD_STATUS_RE = lazy_re(r"^\s*(?P<word>[^\W\d_][^.:!\n]{1,28}?)\s*[.:!](?=\s|$)")


def status_leading_section(doc: Document, first: int, last: int) -> tuple[Status, Span, str, int] | None:
    """The status the first line of a section's text opens with, emphasised (`**Done.** Five claims …`) or set
    off by a sentence end or a colon (`Done. 41 jobs found.`), and that line."""
    for n in range(first, last + 1):
        raw = doc.lines[n - 1]
        if not raw.strip():
            continue
        m = _LEAD_STATUS_RE.match(doc.fix(raw)) or _PLAIN_LEAD_STATUS_RE.match(doc.fix(raw))
        if m is None:
            return None
        word = m.group("word").strip(" .!:")
        st = pure_status(word)
        at = doc.find_in_line(n, word) if st is not None else None
        return (st, at, word, n) if st is not None and at is not None else None
    return None
