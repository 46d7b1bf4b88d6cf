"""What every reader shares: the source document, mojibake, markdown tokens, and status words."""

from __future__ import annotations

import gc
import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property, lru_cache, wraps
from typing import TYPE_CHECKING, TypeVar

from markdown_it import MarkdownIt
from markdown_it.token import Token

from syncbot.errors import TrackerError as TrackerError  # defined there so the CLI need not import this
from syncbot.model import Problem, Session, Span, Status, SummaryLine
from syncbot.readers.block_rules import parser_for
from syncbot.readers.fast_table import use_lean_tables
from syncbot.readers.vocabulary import EMOJI as _EMOJI
from syncbot.readers.vocabulary import VOCABULARY as _VOCABULARY

if TYPE_CHECKING:
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
_FULLWIDTH_RE = re.compile(r"[Ａ-Ｚａ-ｚ０-９][－．Ａ-Ｚａ-ｚ０-９]")
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
_PHRASES: list[tuple[str, Status]] = sorted(
    ((w, st) for st, ws in _WORDS.items() for w in ws), key=lambda p: -len(p[0])
)


@lru_cache(maxsize=1)
def _phrase_re() -> re.Pattern[str]:
    """Every status phrase, spaced ones as whole words: compiled on first use (a few hundred words take a
    hundredth of a second), which only a text with letters beyond ASCII needs (``_first_phrase``)."""
    return re.compile(
        r"(?<![\w-])("
        + "|".join(re.escape(p) for p, _ in _PHRASES if not _unspaced(p))
        + r")(?![\w-])|("
        + "|".join(re.escape(p) for p, _ in _PHRASES if _unspaced(p))
        + ")",
        re.IGNORECASE,
    )


_PHRASE_STATUS = {p: st for p, st in _PHRASES}
# The first run of word characters of every spaced phrase.  ``_phrase_re()`` tries its few hundred words at
# every position of a text.  In a text whose letters and digits are all ASCII (emoji and punctuation may be
# anything) no unspaced word can occur, lowercasing is exact and no phrase letter matches another letter
# by case folding, so a phrase can match only where a whole word of the text is the first word of a
# phrase: the regex is tried at those words only (in order, after the previous match, as finditer would).
_WORD_RUN = re.compile(r"\w+")
_NON_ASCII_WORD_CHAR = re.compile(r"[^\W\x00-\x7f]")
_EMOJI_FIRST: dict[str, list[tuple[str, Status]]] = {}
for _mark, _st in _EMOJI:
    _EMOJI_FIRST.setdefault(_mark[0], []).append((_mark, _st))


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


_FIRST_RUNS = frozenset(
    s for p, _ in _PHRASES if not _unspaced(p) and (m := _WORD_RUN.match(p)) for s in _ascii_spellings(m.group())
)
# ... and at such a word only the phrases whose first word matches it can match (under ``re.IGNORECASE``:
# the same letters in ASCII, checked by regex for a first word with letters beyond ASCII), first in the same
# order as in ``_phrase_re()``: that alternation alone finds the same match as ``_phrase_re()`` there, without
# trying the few hundred others (tests/test_phrase_runs.py)
_SPACED = [(n, p, m.group()) for n, (p, _) in enumerate(_PHRASES) if not _unspaced(p) and (m := _WORD_RUN.match(p))]
_ASCII_FIRST: dict[str, list[tuple[int, str]]] = {}
for _n, _p, _run in _SPACED:
    if _run.isascii():
        _ASCII_FIRST.setdefault(_run.lower(), []).append((_n, _p))
_ODD_FIRST = [(n, p, run) for n, p, run in _SPACED if not run.isascii()]
_RUN_RE: dict[str, re.Pattern[str] | None] = {}


def _run_phrase_re(run: str) -> re.Pattern[str] | None:
    """The phrases that may match where an ASCII word ``run`` (lower case, one of ``_FIRST_RUNS``) starts,
    as ``_phrase_re()``'s first group; compiled once per word."""
    if run in _RUN_RE:
        return _RUN_RE[run]
    found = list(_ASCII_FIRST.get(run, []))
    found += [(n, p) for n, p, first in _ODD_FIRST if re.fullmatch(re.escape(first), run, re.IGNORECASE)]
    alts = "|".join(re.escape(p) for _, p in sorted(found))
    _RUN_RE[run] = rx = re.compile(rf"(?<![\w-])({alts})(?![\w-])", re.IGNORECASE) if found else None
    return rx


@lru_cache(maxsize=4096)
def _word_status(word: str) -> Status:
    """The status of a phrase ``_phrase_re()`` matched, as written: `TAMAMLANDI` matched `tamamlandı` (under
    ``re.IGNORECASE`` `ı` matches `I`), which lower-casing alone does not find."""
    st = _PHRASE_STATUS.get(word.lower())
    if st is None:
        st = next(st for p, st in _PHRASES if re.fullmatch(re.escape(p), word, re.IGNORECASE))
    return st


def _phrase(m: re.Match[str]) -> tuple[int, int, str]:
    g = 1 if m.group(1) is not None else 2
    return m.start(g), m.end(g), m.group(g)


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
    m = _first_phrase(plain)
    if m:
        return _word_status(_phrase(m)[2])
    for mark, st in _EMOJI:
        if mark in plain:
            return st
    return None


def _first_phrase(text: str) -> re.Match[str] | None:
    """``_phrase_re().search(text)``, tried only at the words that can start a phrase when the text's letters
    are ASCII (see ``_FIRST_RUNS``)."""
    if _NON_ASCII_WORD_CHAR.search(text) is not None:
        return _phrase_re().search(text)
    if _FIRST_RUNS.isdisjoint(map(str.lower, _WORD_RUN.findall(text))):
        return None  # (most texts: no word can start a phrase, found without a Python step per word)
    for w in _WORD_RUN.finditer(text):
        run = w.group().lower()
        if run in _FIRST_RUNS and (rx := _run_phrase_re(run)) is not None:
            m = rx.match(text, w.start())
            if m is not None:
                return m
    return None


# an underscore inside a word (`1.04_01`, `snake_case`) is no emphasis, as CommonMark reads it
_INLINE_MD = re.compile(r"(\*\*|__|\*|(?<![^\W_])_|_(?![^\W_])|`|~~)")
_EMPHASIS_UNDERSCORE_RE = re.compile(r"(?<![^\W_])_|_(?![^\W_])")
_CODE_SPAN_RE = re.compile(r"`+([^`]*)`+")
_LINK_RE = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")


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


def status_marks(text: str) -> list[tuple[int, int, Status, bool]]:
    """Every status phrase and status emoji in ``text`` (already repaired), in order of position.

    Each entry is ``(start, end, status, is_word)``.  Unlike :func:`classify_status` this keeps positions,
    so a reader can tell a status written as a label (`✅ COMPLETED - Foundation`) from a word that is
    part of a title (`Current Sprint`), and report the exact span of what it used.
    """
    marks: list[tuple[int, int, Status, bool]] = []
    # `— _Hecho_`: an underscore of emphasis is no part of the word it wraps (blanked, positions kept)
    words = _EMPHASIS_UNDERSCORE_RE.sub(" ", text) if "_" in text else text
    if _NON_ASCII_WORD_CHAR.search(text) is None:
        after = 0
        for w in _WORD_RUN.finditer(words):
            run = w.group().lower()
            if w.start() >= after and run in _FIRST_RUNS and (rx := _run_phrase_re(run)) is not None:
                m = rx.match(words, w.start())
                if m is not None:
                    start, after, word = _phrase(m)
                    marks.append((start, after, _word_status(word), True))
    else:
        for m in _phrase_re().finditer(words):
            start, end, word = _phrase(m)
            marks.append((start, end, _word_status(word), True))
    # every status emoji is outside ASCII; only those whose first character the text holds are looked for
    for ch in () if text.isascii() else _EMOJI_FIRST.keys() & set(text):
        for mark, st in _EMOJI_FIRST[ch]:
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
        marks = [m for m in marks if not any(o[0] < m[1] and m[0] < o[1] for o in own)] + own
    marks.sort()
    return marks


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
    kept = [m for m in marks if m[3] or not any(f[0] < m[1] and m[0] < f[1] for f in found)]
    return kept + found


def lines_note(lines: Iterable[int]) -> str:
    """Line numbers for a note, the first dozen of them."""
    seq = list(lines)
    shown = ", ".join(str(n) for n in seq[:12])
    return shown + (f" and {len(seq) - 12} more" if len(seq) > 12 else "")
