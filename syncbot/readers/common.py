"""What every reader shares: the source document, mojibake, markdown tokens, inline markup (status words are
readers/status_words.py)."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property, wraps
from typing import TYPE_CHECKING, TypeVar

from syncbot.errors import TrackerError as TrackerError  # defined there so the CLI need not import this
from syncbot.model import Problem, Session, Span, SummaryLine
from syncbot.readers.lazy_re import lazy_re

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

    from syncbot.readers.hints import ReadingHints
    from syncbot.readers.structure import Structure


@dataclass
class Document:
    """The original text of a tracker, with line offsets and markdown tokens computed once.

    ``text`` is the file decoded as UTF-8 with newlines kept exactly (``\\r\\n`` stays).  Readers parse
    ``text`` (so every position is a position in the file) and look at :meth:`fix` of a piece only to
    *understand* it: a mojibake file (``‚è≥`` for ``⏳``) is read through, never rewritten.
    """

    path: str
    text: str
    hints: ReadingHints | None = field(default=None, compare=False, repr=False)  # the user's (readers/hints.py)

    @cached_property
    def lines(self) -> list[str]:
        """Lines without their line endings; ``lines[0]`` is line 1."""
        return [ln.rstrip("\r\n") for ln in self.text.splitlines(keepends=True)] or [""]

    @cached_property
    def line_starts(self) -> list[int]:
        starts, pos = [], 0
        for ln in self.text.splitlines(keepends=True):
            starts.append(pos)
            pos += len(ln)
        return starts or [0]

    @cached_property
    def mojibake(self) -> bool:
        """True when the text is UTF-8 that was mis-decoded as Mac-Roman and saved again."""
        return detect_mojibake(self.text)

    @cached_property
    def tokens(self) -> list[Token]:
        # (without the block rules that cannot match anywhere in the text: the same tokens, fewer calls)
        from syncbot.readers.block_rules import parser_for  # (markdown-it, imported by the documents that need it)

        return parser_for(self.text, new_markdown).parse(self.text)

    @cached_property
    def structure(self) -> Structure:
        """Headings, list items, tables, code and prose lines, front matter: made once, read by every reader."""
        from syncbot.readers.structure import Structure

        return Structure(self)

    @cached_property
    def fullwidth(self) -> bool:
        """True when keys and punctuation are written in full-width forms (`Ａ－１`, `（前提：Ａ－２）`)."""
        return _FULLWIDTH_RE.search(self.text) is not None

    def fix(self, s: str) -> str:
        """The text as its author meant it (mojibake repaired, full-width letters, digits and punctuation as
        their ASCII twins, one character each, so positions hold), for classification and display."""
        s = fix_text(s) if self.mojibake else s
        return s.translate(_HALF_WIDTH) if self.fullwidth else s

    def offset(self, line: int, col: int = 0) -> int:
        """Character offset of 1-based ``line`` and 0-based ``col``."""
        return self.line_starts[line - 1] + col

    def line_span(self, line: int) -> Span:
        start = self.line_starts[line - 1]
        return Span(start, start + len(self.lines[line - 1]))

    def find_in_line(self, line: int, needle: str, start_col: int = 0) -> Span | None:
        """The span of ``needle`` inside 1-based ``line`` at or after ``start_col``."""
        col = self.lines[line - 1].find(needle, start_col)
        if col < 0:
            return None
        return Span(self.offset(line, col), self.offset(line, col + len(needle)))


@dataclass
class ReadResult:
    """What one reader found in a document."""

    reader: str
    sessions: list[Session] = field(default_factory=list)
    summary_lines: list[SummaryLine] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    title: str = ""
    # why the reader found nothing (or little): shown by `inspect` when no reader understands a document
    notes: list[str] = field(default_factory=list)
    # how sure the reader is that this document is its shape; detection multiplies it by the unit count
    confidence: float = 1.0
    # its units are a plain checklist (`- [ ] Sign the form`), work beside whatever else the document holds
    plain_checklist: bool = False
    # what a unit waits for when nothing more specific says (a phase's rule over its tasks): given, once every
    # other reading is done (prose too), to the units that have no prerequisites then
    fallback_prerequisites: dict[str, list[str]] = field(default_factory=dict)
    # a sections reading's own field lines: once it is chosen, the later sections' other words about earlier
    # units are read as the log (`progress_log.apply_log` with ``sections``; asked of the chosen reading only,
    # as it reads every line)
    section_fields: set[int] | None = None
    # lines whose every dependency word the reader has read already (a task's `(depends on T001)`): the
    # prose pass leaves them, when the unit there is this reading's
    dependency_lines: set[int] = field(default_factory=set)


_MD: MarkdownIt | None = None


def markdown() -> MarkdownIt:
    """The readers' parser, every block rule on (documents are parsed by :func:`block_rules.parser_for`)."""
    global _MD
    if _MD is None:
        _MD = new_markdown()
    return _MD


def new_markdown() -> MarkdownIt:
    # Readers need block tokens, line maps and raw inline text only: skipping inline parsing halves
    # the time on large trackers; the lean table rule (no per-cell tokens: fast_table.py) parses a big
    # status matrix seven times faster than markdown-it's own.
    # ``text_join`` only joins the text children inline parsing would make: with none, it is a pass over
    # every token that changes nothing.
    from markdown_it import MarkdownIt

    from syncbot.readers.fast_table import use_lean_tables

    md = MarkdownIt("commonmark").enable("table").enable("strikethrough").disable(["inline", "text_join"])
    return use_lean_tables(md)


@contextmanager
def gc_paused() -> Iterator[None]:
    """No cyclic garbage collection while reading.  A reading makes hundreds of thousands of small objects
    (tokens, cells, sessions) that all live until it is done, so each collection meanwhile is wasted work,
    and the older generations' passes grow with the document: on a 100,000-row matrix they took 40% of the
    time and made reading superlinear.  Collection resumes (if it was on) when the reading ends."""
    global _readings
    was_enabled = gc.isenabled()
    gc.disable()
    _readings += 1
    try:
        yield
    finally:
        _readings -= 1
        if not _readings:
            for cache in _PER_READING:
                cache.clear()
        if was_enabled:
            gc.enable()


_readings = 0  # readings under way (gc_paused blocks): per-reading caches are on while it is above zero
_PER_READING: list[dict[tuple[object, ...], object]] = []
F = TypeVar("F", bound=Callable[..., object])
_MISS = object()


def per_reading(fn: F) -> F:
    """Memoise a pure function of hashable positional arguments for the length of one reading.

    Detection runs every reader over the same document, and several of them classify the same heading or
    item text; an ``lru_cache`` smaller than the document would be flushed by one reader before the next
    one asks.  The cache is emptied when the reading ends (see :func:`gc_paused`), so nothing outlives it,
    and outside a reading the function is simply called."""
    cache: dict[tuple[object, ...], object] = {}
    _PER_READING.append(cache)

    @wraps(fn)
    def wrapper(*args: object) -> object:
        if not _readings:
            return fn(*args)
        out = cache.get(args, _MISS)
        if out is _MISS:
            cache[args] = out = fn(*args)
        return out

    return wrapper  # type: ignore[return-value]


_MOJIBAKE_MARKERS = ("‚Ä", "‚úÖ", "‚è", "‚ùå", "üî", "üü", "üö", "üì", "√©", "‚Üí", "‚îÄ", "‚ö")
_MOJIBAKE_FIRST = "".join(sorted({m[0] for m in _MOJIBAKE_MARKERS}))  # (looked for first: 3 scans of a text, not 12)


def detect_mojibake(text: str) -> bool:
    if not any(c in text for c in _MOJIBAKE_FIRST) or not any(m in text for m in _MOJIBAKE_MARKERS):
        return False
    try:
        return text.encode("mac_roman").decode("utf-8") != text
    except (UnicodeEncodeError, UnicodeDecodeError):
        # not every character round-trips; fall back to ftfy's judgement on the marker-bearing text
        import ftfy  # only for a document that shows mojibake markers: ftfy takes 0.1 s to import

        return ftfy.fix_text(text) != text


# `Ａ－１`: a full-width letter or digit next to a full-width hyphen or another of its kind
_FULLWIDTH_RE = lazy_re(r"[Ａ-Ｚａ-ｚ０-９][－．Ａ-Ｚａ-ｚ０-９]")
_HALF_WIDTH = {0xFF01 + i: 0x21 + i for i in range(94)} | {0x3000: 0x20}


def fix_text(s: str) -> str:
    """Undo Mac-Roman mojibake of UTF-8 in ``s`` (piecewise, so a stray clean character does not stop it)."""
    try:
        return s.encode("mac_roman").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        import ftfy

        return ftfy.fix_text(s)


def to_mojibake(s: str) -> str:
    """The inverse of :func:`fix_text`: how a mojibake document spells clean text ``s``."""
    return s.encode("utf-8").decode("mac_roman")


# --- status words ---------------------------------------------------------------------------------------

_INLINE_MD = lazy_re(r"(\*\*|__|\*|(?<![^\W_])_|_(?![^\W_])|`|~~)")
EMPHASIS_UNDERSCORE_RE = lazy_re(r"(?<![^\W_])_|_(?![^\W_])")
_CODE_SPAN_RE = lazy_re(r"`+([^`]*)`+")
_LINK_RE = lazy_re(r"!?\[([^\]]*)\]\([^)]*\)")


def strip_inline(s: str) -> str:
    """Plain text of a small piece of inline markdown: emphasis, code and link syntax removed."""
    # the substitutions only when there is something to substitute: a big matrix calls this per cell
    if "](" in s:
        s = _LINK_RE.sub(r"\1", s)
    if "`" in s:
        # a code span's text is literal (`delivery_attempts` keeps its underscore); only the ticks go
        parts = _CODE_SPAN_RE.split(s)
        s = "".join(p if i % 2 else _INLINE_MD.sub("", p) for i, p in enumerate(parts))
    elif "*" in s or "_" in s or "~~" in s:
        s = _INLINE_MD.sub("", s)
    return " ".join(s.split())


def lines_note(lines: Iterable[int]) -> str:
    """Line numbers for a note, the first dozen of them."""
    seq = list(lines)
    shown = ", ".join(str(n) for n in seq[:12])
    return shown + (f" and {len(seq) - 12} more" if len(seq) > 12 else "")
