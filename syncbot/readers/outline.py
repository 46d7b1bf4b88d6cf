"""The outline of a document as the heading/list readers (components, phases, tasklist) see it.

Headings, list items and their checkboxes come from markdown-it tokens and their line maps, so `#` lines in
fenced code are never headings and a `- [ ]` inside a code block is never a task.  Regexes only ever look at
one heading, one item line or one field line.  Every position is a position in the original text; mojibake
is repaired only to *understand* a piece (see :meth:`Document.fix`).
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cached_property

from syncbot.model import Span, Status, SummaryKind, SummaryLine
from syncbot.readers.common import (
    Document,
    classify_status,
    per_reading,
    status_marks,
    strip_inline,
    to_mojibake,
)
from syncbot.readers.kinds import KIND_NUM_RE, PLAN_KINDS, UNIT_KINDS, split_kind_key  # noqa: F401  (re-exported)


@dataclass
class Heading:
    level: int
    line: int  # 1-based
    end_line: int  # last line of its section (before the next heading of the same or a higher level)
    col: int  # column of the content in the raw line
    raw: str  # the content as written (closing `#`s removed)


@dataclass
class Item:
    index: int
    line: int  # 1-based first line
    end_line: int  # 1-based last non-blank line
    depth: int  # 0 for a top-level item
    ordered: bool
    col: int  # column of the text after the marker (and after the checkbox, if any)
    raw: str  # the first line of the item's text as written
    mark: str | None = None  # the character between the brackets of a checkbox
    mark_col: int | None = None
    optional: bool = False  # Kiro's `- [ ]*` marks an optional task
    parent: int | None = None
    children: list[int] = field(default_factory=list)


@dataclass
class FrontMatter:
    end_line: int  # the closing `---`
    fields: dict[str, tuple[str, int, int]]  # key -> (value as written, line, column of the value)


_MARKER_RE = re.compile(r"^(\s*(?:>\s?)*)([-*+]|\d{1,9}[.)])([ \t]+|$)")
_CHECKBOX_RE = re.compile(r"^\[([ xX/~!-])\](\*?)(?=\s|$)\s*")
_CLOSING_HASHES_RE = re.compile(r"\s+#+\s*$")

CHECK_STATUS = {
    " ": Status.PLANNED,
    "x": Status.DONE,
    "X": Status.DONE,
    "/": Status.IN_PROGRESS,  # the `[/]` convention for started work
    "-": Status.IN_PROGRESS,  # Kiro writes `[-]` for a task in progress
    "~": Status.IN_PROGRESS,
    "!": Status.BLOCKED,  # `[!]` flags work that cannot go on
}

# A legend the document gives for its box marks: "`[-]` dropped · `[!]` blocked", "[~] = doing".
_LEGEND_RE = re.compile(
    r"(?:`\[([^\]\n])\]`[ \t]*(?:[=:\u2013\u2014-][ \t]*)?|\[([^\]\n])\][ \t]*[=:][ \t]*)([^\W\d][\w' ]{0,18}\w)"
)


class Outline:
    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.front_matter = _front_matter(doc)
        skip_to = self.front_matter.end_line if self.front_matter else 0
        self.headings: list[Heading] = []
        self.items: list[Item] = []
        self._build(skip_to)

    @cached_property
    def mark_legend(self) -> dict[str, Status]:
        """Box marks the document itself explains (`[-]` means dropped here, not Kiro's in progress)."""
        text = self.doc.text
        if "[" not in text:
            return {}
        out: dict[str, Status] = {}
        for m in _LEGEND_RE.finditer(text):
            mark = m.group(1) or m.group(2)
            st = classify_status(self.doc.fix(m.group(3)))
            if st is not None and mark in CHECK_STATUS:
                out.setdefault(mark, st)
        return out

    def box_status(self, mark: str | None) -> Status:
        """The status a checkbox mark stands for, by the document's own legend first."""
        if mark is None:
            return Status.PLANNED
        legend = self.mark_legend
        return legend.get(mark) or CHECK_STATUS.get(mark, Status.PLANNED)

    def _build(self, skip_to: int) -> None:
        doc = self.doc
        toks = doc.tokens
        found: list[tuple[int, int, int, str]] = []
        stack: list[int] = []  # open list items
        ordered_stack: list[bool] = []
        for i, tok in enumerate(toks):
            if tok.type in ("bullet_list_open", "ordered_list_open"):
                ordered_stack.append(tok.type == "ordered_list_open")
            elif tok.type in ("bullet_list_close", "ordered_list_close"):
                ordered_stack.pop()
            elif tok.type == "list_item_open":
                item = self._item(tok.map, len(stack), bool(ordered_stack and ordered_stack[-1]), skip_to)
                if item is not None and stack and stack[-1] >= 0:
                    item.parent = stack[-1]
                    self.items[stack[-1]].children.append(item.index)
                stack.append(item.index if item is not None else -1)
            elif tok.type == "list_item_close":
                stack.pop()
            elif tok.type == "heading_open" and tok.map and i + 1 < len(toks) and tok.map[0] >= skip_to:
                line = tok.map[0] + 1
                raw_line = doc.lines[line - 1]
                m = re.match(r"^\s{0,3}#{1,6}[ \t]*", raw_line)
                col = m.end() if m else len(raw_line) - len(raw_line.lstrip())
                raw = _CLOSING_HASHES_RE.sub("", raw_line[col:]).rstrip()
                found.append((int(tok.tag[1]), line, col, raw))
        # a section ends where the next heading of its level or higher starts: one pass with a stack
        ends = [len(doc.lines)] * len(found)
        open_: list[int] = []
        for n, (level, line, _, _) in enumerate(found):
            while open_ and found[open_[-1]][0] >= level:
                ends[open_.pop()] = line - 1
            open_.append(n)
        for n, (level, line, col, raw) in enumerate(found):
            self.headings.append(Heading(level, line, ends[n], col, raw))

    def _item(self, tmap: list[int] | None, depth: int, ordered: bool, skip_to: int) -> Item | None:
        if not tmap or tmap[0] < skip_to:
            return None
        doc = self.doc
        line = tmap[0] + 1
        raw_line = doc.lines[line - 1]
        m = _MARKER_RE.match(raw_line)
        if not m:
            return None
        col = m.end()
        end = max(line, tmap[1])
        while end > line and not doc.lines[end - 1].strip():
            end -= 1
        item = Item(len(self.items), line, end, depth, ordered, col, raw_line[col:])
        cb = _CHECKBOX_RE.match(raw_line[col:])
        if cb:
            item.mark = cb.group(1)
            item.mark_col = col + 1
            item.optional = bool(cb.group(2))
            item.col = col + cb.end()
            item.raw = raw_line[item.col :]
        self.items.append(item)
        return item

    # --- queries --------------------------------------------------------------------------------------

    @cached_property
    def code_lines(self) -> set[int]:
        lines: set[int] = set()
        for tok in self.doc.tokens:
            if tok.type in ("fence", "code_block", "html_block") and tok.map:
                lines.update(range(tok.map[0] + 1, tok.map[1] + 1))
        return lines

    @cached_property
    def _heading_lines(self) -> list[int]:
        return [h.line for h in self.headings]

    @cached_property
    def _parents(self) -> list[int | None]:
        parents: list[int | None] = []
        stack: list[int] = []
        for n, h in enumerate(self.headings):
            while stack and self.headings[stack[-1]].level >= h.level:
                stack.pop()
            parents.append(stack[-1] if stack else None)
            stack.append(n)
        return parents

    def heading_before(self, line: int) -> Heading | None:
        n = bisect.bisect_right(self._heading_lines, line) - 1
        return self.headings[n] if n >= 0 else None

    def enclosing(self, line: int) -> list[Heading]:
        """The headings whose sections contain ``line``, outermost first."""
        n: int | None = bisect.bisect_right(self._heading_lines, line) - 1
        out: list[Heading] = []
        while n is not None and n >= 0:
            if self.headings[n].end_line >= line:
                out.append(self.headings[n])
            n = self._parents[n]
        return out[::-1]

    def items_between(self, first: int, last: int) -> list[Item]:
        lo = bisect.bisect_left(self._item_lines, first)
        hi = bisect.bisect_right(self._item_lines, last)
        return self.items[lo:hi]

    @cached_property
    def _item_lines(self) -> list[int]:
        return [it.line for it in self.items]  # document order, so sorted

    def title(self) -> str:
        for h in self.headings:
            if h.level == 1:
                return clean_title(self.doc.fix(h.raw))
        if self.front_matter:
            for key in ("title", "name"):
                if key in self.front_matter.fields:
                    return self.front_matter.fields[key][0].strip("'\"")
        return clean_title(self.doc.fix(self.headings[0].raw)) if self.headings else ""

    # --- positions ------------------------------------------------------------------------------------

    def span(self, line: int, raw_col: int, fixed_piece: str, fixed_prefix: str) -> Span:
        """The span in the original text of ``fixed_piece``, found at ``fixed_prefix`` into a repaired piece
        of ``line`` that starts at ``raw_col``."""
        doc = self.doc
        if doc.mojibake:
            start = raw_col + len(to_mojibake(fixed_prefix))
            length = len(to_mojibake(fixed_piece))
            raw = doc.lines[line - 1]
            if raw[start : start + length] != to_mojibake(fixed_piece):
                # the line did not round-trip piecewise; fall back to a search from the piece's column
                found = raw.find(to_mojibake(fixed_piece), raw_col)
                start = found if found >= 0 else start
        else:
            start = raw_col + len(fixed_prefix)
            length = len(fixed_piece)
        return Span(doc.offset(line, start), doc.offset(line, start + length))


def _front_matter(doc: Document) -> FrontMatter | None:
    lines = doc.lines
    if not lines or lines[0].strip() != "---":
        return None
    for n in range(1, min(len(lines), 200)):
        if lines[n].strip() in ("---", "..."):
            fields: dict[str, tuple[str, int, int]] = {}
            last_key = None
            for k in range(1, n):
                raw = lines[k]
                m = re.match(r"^([A-Za-z_][\w-]*)\s*:\s*(.*?)\s*$", raw)
                if m:
                    last_key = m.group(1).lower()
                    fields[last_key] = (m.group(2), k + 1, m.start(2))
                    continue
                li = re.match(r"^\s+-\s+(.*?)\s*$", raw)
                if li and last_key:
                    value, ln, col = fields[last_key]
                    fields[last_key] = ((value + ", " if value else "") + li.group(1), ln, col)
            return FrontMatter(n + 1, fields)
    return None


# --- status phrases ---------------------------------------------------------------------------------------

# Emoji that mean a status even with no word beside them.  Others (🔄, 🎉, 🟢, 🎯) decorate headings far too
# often (`🔄 NEXT CODING PRIORITIES`, `🎉 MISSION ACCOMPLISHED`) to make a heading a unit on their own.
STRICT_EMOJI = ("✅", "✔", "☑", "✓", "❌", "⏳", "⌛", "🔲", "⬜", "☐", "⭕", "🚧", "⏸", "🚫", "⛔")
# on a task line a trailing 🔄 / 🟡 is the task's state (`Session 3 - Billing 🔄`), not decoration
ITEM_STRICT_EMOJI = (*STRICT_EMOJI, "🔄", "🟡")

_BOLD_NAME_RE = re.compile(r"^\s*(\*\*|__)[^*_]+?\1\s*$")

_EMPH = ("**", "__", "~~", "*", "_", "`")
_SEP_AFTER_RE = re.compile(r"^[\s*_`~]*(?:[-–—:|·•]|$)")
_SEP_BEFORE_RE = re.compile(r"(?:[-–—:|·•])[\s*_`~]*$")
_NOTE_AFTER_RE = re.compile(r"^[*_`~]*[,;]\s+[^—–]{1,40}$")
_TRAILING_PARENS_RE = re.compile(r"(?:\s*(?:\([^()]*\)|\[[^\[\]]*\]))+[\s*_`~.!]*$")
_PCT_RE = re.compile(r"\((\d{1,3})\s?%(?:\s+(?:complete|completed|done))?\)", re.IGNORECASE)


def is_deco(ch: str) -> bool:
    """Emoji, symbols and joiners: the decoration around a status or a title."""
    return ch in "\ufe0f\u200d\u20e3" or ord(ch) >= 0x1F000 or unicodedata.category(ch) in ("So", "Sk", "Cf")


class _DecoToSpace(dict[int, str]):
    """``str.translate`` table that turns every :func:`is_deco` character into a space, filled in as
    characters are met (a title is translated in C instead of a Python call per character)."""

    def __missing__(self, code: int) -> str:
        ch = chr(code)
        self[code] = out = " " if is_deco(ch) else ch
        return out


_DECO_TO_SPACE = _DecoToSpace()


def _blank(s: str) -> bool:
    return all(c.isspace() or c in "*_`~#!.:-–—|()[]" or is_deco(c) for c in s)


@dataclass(frozen=True)
class Phrase:
    start: int  # in the repaired text
    end: int
    status: Status
    where: str  # lead | trail | paren | whole
    words: bool  # carries a word, not only an emoji


def _runs(t: str) -> list[tuple[int, int, list[tuple[int, int, Status, bool]]]]:
    marks = [m for m in status_marks(t)]
    for pm in _PCT_RE.finditer(t):
        pct = int(pm.group(1))
        st = Status.DONE if pct >= 100 else Status.PLANNED if pct == 0 else Status.IN_PROGRESS
        marks = [m for m in marks if not (pm.start() <= m[0] < pm.end())]
        marks.append((pm.start() + 1, pm.end() - 1, st, True))
    marks.sort()
    runs: list[tuple[int, int, list[tuple[int, int, Status, bool]]]] = []
    for mk in marks:
        if runs and mk[0] >= runs[-1][1] and re.fullmatch(r"[\s*_`~\ufe0f]*", t[runs[-1][1] : mk[0]]):
            s, _, ms = runs[-1]
            runs[-1] = (s, max(mk[1], runs[-1][1]), [*ms, mk])
        elif runs and mk[0] < runs[-1][1]:
            continue  # overlapping (an emoji inside a matched phrase)
        else:
            runs.append((mk[0], mk[1], [mk]))
    return runs


def _expand_emphasis(t: str, s: int, e: int) -> tuple[int, int]:
    # an emoji and a word merged across an opening `**` (`✅ **COMPLETED**`) take its closing `**` too
    for tok in ("**", "__", "~~"):
        if t[s:e].count(tok) % 2:
            if t.startswith(tok, e):
                e += len(tok)
            elif t.endswith(tok, 0, s):
                s -= len(tok)
    changed = True
    while changed:
        changed = False
        for tok in _EMPH:
            if t.endswith(tok, 0, s) and t.startswith(tok, e):
                s, e = s - len(tok), e + len(tok)
                changed = True
                break
    return s, e


def _balanced(piece: str) -> bool:
    return all(piece.count(tok) % 2 == 0 for tok in ("**", "__", "~~"))


def status_phrases(t: str, item: bool = False) -> list[Phrase]:
    """The status phrases of a heading or an item line ``t``: see :func:`_status_phrases`."""
    return list(_status_phrases(t, item))


@per_reading  # components, phases, board and tasklist all ask about the same headings
def _status_phrases(t: str, item: bool) -> tuple[Phrase, ...]:
    """The status phrases of a heading or an item line ``t`` (repaired), written as a label rather than as
    a word of the title: `✅ COMPLETED - Foundation`, `Secrets Manager - COMPLETE ✅`, `Name (planned)`,
    `✅ Name`, `🚧 In Progress Name` (emoji and word agree).  With ``item``, a status set off by emphasis or
    capitals at the end of a task line counts too (`#19 - Testing **IN PROGRESS**`); a heading needs more,
    since `Session Zero Prompts FAILED` is a title.  Best first: leading, then trailing, then parenthesised."""
    out: list[Phrase] = []
    for s0, e0, ms in _runs(t):
        strict = ITEM_STRICT_EMOJI if item else STRICT_EMOJI
        has_strict = any(any(x in t[m[0] : m[1]] for x in strict) for m in ms if not m[3])
        words = any(m[3] for m in ms)
        status = classify_status(t[s0:e0]) or ms[0][2]
        opener = t[:s0].rstrip(" *_`~")[-1:]
        closer = t[e0:].lstrip(" *_`~")[:1]
        # `(blocked: waiting on the role model)`: a parenthesised note headed by its status
        noted = opener == "(" and closer in (":", "—", "–") and ")" in t[e0:] and "(" not in t[e0:].split(")")[0]
        if (opener, closer) in (("(", ")"), ("[", "]")) or noted:
            out.append(Phrase(s0, e0, status, "paren", words))
            continue
        s, e = _expand_emphasis(t, s0, e0)
        before = t[:s]
        # a trailing date or note does not make a status part of the title: `✅ COMPLETED (November 6)`
        after = _TRAILING_PARENS_RE.sub("", t[e:])
        if _blank(before) and _blank(after):
            out.append(Phrase(s, e, status, "whole", words))
        elif _blank(before):
            core = t[s0:e0]
            set_off = item and words and (t[s:e] != core or (core.isupper() and len(core) > 2))
            if not words or _SEP_AFTER_RE.match(after) or set_off:
                # `**DONE** Freeze schema` on a task line: emphasis or capitals make the word a label
                out.append(Phrase(s, e, status, "lead", words))
            else:
                word = min((w for w in ms if w[3]), key=lambda w: w[0])
                lead = [m for m in ms if not m[3] and m[0] < word[0]]
                ls, le = _expand_emphasis(t, lead[0][0], word[1]) if lead else (0, 0)
                if lead and lead[0][2] is word[2] and _balanced(t[ls:le]):
                    # `🚧 In Progress Testing & Quality`: emoji and first word say the same, so together they
                    # are the label; the words after it are the title even when one is a status word
                    out.append(Phrase(ls, le, word[2], "lead", True))
                elif lead and any(any(x in t[m[0] : m[1]] for x in STRICT_EMOJI) for m in lead):
                    # `✅ Completed Phases`: the emoji is the status, the word belongs to the title
                    out.append(Phrase(lead[0][0], lead[-1][1], lead[0][2], "lead", False))
        elif item and _BOLD_NAME_RE.match(before) and _SEP_AFTER_RE.match(after) and not words:
            # `**Theme marketplace** ❌ — dropped for 2.0`: the mark after the bold name, a note after it
            out.append(Phrase(s, e, status, "trail", words))
        elif item and re.search(r"\s[–—]\s*$", before) and _NOTE_AFTER_RE.match(after):
            # `… in \`auth.py\` — 🚧 in review, PR #231`: the status closing a task line, a short note after it
            out.append(Phrase(s, e, status, "trail", words))
        elif _blank(after):
            tail = before.rstrip(" *_`~")
            core = t[s0:e0]
            set_off = item and words and (t[s:e] != core or (core.isupper() and any(c.islower() for c in before)))
            if _SEP_BEFORE_RE.search(before) or has_strict or (tail and is_deco(tail[-1])) or set_off:
                out.append(Phrase(s, e, status, "trail", words))
    order = {"whole": 0, "lead": 1, "trail": 2, "paren": 3}
    out.sort(key=lambda p: order[p.where])
    return tuple(out)


_DECO_EDGE_RE = re.compile(r"^[\s\-–—:|.,;·•]+|[\s\-–—:|,;·•]+$")

_DATE_PAREN_END_RE = re.compile(r"\s*\(\s*\d{4}-\d{2}-\d{2}\s*\)$")


_EMPTY_BRACKETS_RE = re.compile(r"\(\s*\)|\[\s*\]")


def clean_title(t: str, remove: list[Phrase] | None = None) -> str:
    """A title as a person reads it: status phrases, emphasis, emoji and dangling separators removed."""
    if remove:
        for p in sorted(remove, key=lambda p: -p.start):
            t = t[: p.start] + " " + t[p.end :]
    return _clean_title(t)


@per_reading  # the tasklist, phases and components readers clean the same item and heading texts
def _clean_title(t: str) -> str:
    t = strip_inline(t)
    if "(" in t or "[" in t:
        t = _EMPTY_BRACKETS_RE.sub(" ", t)
    if t.endswith(")"):
        t = _DATE_PAREN_END_RE.sub("", t)  # `Setup ✅ (2025-01-02)`: when it was done is no part of the name
    t = t.translate(_DECO_TO_SPACE)
    t = " ".join(t.split())
    prev = None
    while prev != t:
        prev = t
        t = _DECO_EDGE_RE.sub("", t).strip()
    return t


def slug(s: str) -> str:
    if s.isascii():  # the same as below, without a Python step per character
        return _ASCII_NON_ALNUM_RE.sub("-", s).lower().strip("-")
    out = "".join(c.lower() if c.isalnum() else "-" for c in s)
    return re.sub(r"-+", "-", out).strip("-")


_ASCII_NON_ALNUM_RE = re.compile(r"[^A-Za-z0-9]+")


# An identifier at the start of an item: spec-kit `T003`, `TASK-PRD-10-A` / `IP-04`, `task-12`, issue `#12`,
# Kiro's dotted numbers `1.` / `1.2` (then whitespace).  A bare `8` is a quantity (`8 passing tests`).
TASK_ID_RE = re.compile(
    r"^(?P<id>T\d{3,}|[A-Z]{1,2}\d{2,4}[a-z]?|[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)*-\d+[A-Z0-9]*(?:-[A-Z0-9]+)*|task-\d+(?:\.\d+)*|#\d+"
    r"|\d+(?:\.\d+)+-[A-Za-z]\d*(?=[\s:.)])|\d+(?:\.\d+)+\.?(?=\s)|\d+\.(?=\s))(?=[\s:.\-–—)]|$)"
)


# `**#36** Reseñas…`, `~~T023 直播带货~~`, `` `FT-12` ``: an id leading an item, inside emphasis or a strike
_LEAD_WRAP_RE = re.compile(r"^(?:~~|\*\*|__|`|\[)*")
_LEAD_CLOSE_RE = re.compile(r"^(?:\*\*|__|`|\])*")


def lead_id(text: str) -> tuple[str, int] | None:
    """The id an item leads with (``#`` kept off), and where the rest of the item starts; None without one."""
    w = _LEAD_WRAP_RE.match(text)
    start = w.end() if w else 0
    body = text[start:]
    if start:  # the closing `**` / `~~` right after the id ends it as a space would
        body = re.sub(r"\*\*|__|`|\]|~~", lambda x: " " * len(x.group(0)), body, count=1)
    m = TASK_ID_RE.match(body + " ")
    if not m or m.group("id")[0].isdigit():
        return None
    end = start + m.end()
    c = _LEAD_CLOSE_RE.match(text[end:])
    return m.group("id").lstrip("#"), end + (c.end() if c else 0)


def assign_keys(units: list[tuple[str | None, str, str]]) -> list[str]:
    """Keys for units given as (kind, number, title): the bare number where the numbers are unique, the
    kind-prefixed number where two kinds share numbers (`improvement-1` beside `phase-1`), else a slug."""
    nums = [n for k, n, _ in units if k]
    kinds = {k for k, _, _ in units if k}
    clash = len(nums) != len(set(nums)) and len(kinds) > 1
    keys: list[str] = []
    seen: dict[str, int] = {}
    for kind, num, title in units:
        key = (f"{kind}-{num}" if clash else num) if kind and num else slug(title) or "unit"
        if key in seen:
            seen[key] += 1
            key = f"{key}-{seen[key]}"
        else:
            seen[key] = 1
        keys.append(key)
    return keys


_PROGRESS_LABEL_RE = re.compile(r"\b(?:overall\s+|total\s+)?progress\b[*_\s]*:[*_\s]*", re.IGNORECASE)
_N_OF_M_RE = re.compile(r"\b\d+\s+of\s+\d+\b")
_PERCENT_RE = re.compile(r"\b\d+(?:\.\d+)?\s*%")


def summary_lines(ol: Outline) -> list[SummaryLine]:
    """The summary lines a writer keeps current: those :mod:`blocks` finds, plus a progress label inside a
    heading (`## 🎯 **Overall Progress: 100% Complete**`) and counts written `7 of 8 tasks completed`."""
    from syncbot.readers.blocks import summary_lines as block_summaries

    doc = ol.doc
    out = block_summaries(doc)
    have = {(s.line, s.kind) for s in out}
    lines = sorted(
        {h.line for h in ol.headings}
        | {n for tok in doc.tokens if tok.type == "inline" and tok.map for n in range(tok.map[0] + 1, tok.map[1] + 1)}
    )
    for n in lines:
        if n in ol.code_lines:
            continue
        raw = doc.lines[n - 1]
        m = _PROGRESS_LABEL_RE.search(raw)
        if not m:
            continue
        value = raw[m.end() :]
        found: list[tuple[SummaryKind, re.Match[str]]] = []
        nm = _N_OF_M_RE.match(value)
        if nm:
            found.append((SummaryKind.COMPLETED, nm))
        pm = _PERCENT_RE.search(value)
        if pm and (pm.start() == 0 or nm):
            found.append((SummaryKind.PROGRESS, pm))
        for kind, vm in found:
            if (n, kind) in have:
                continue
            start = doc.offset(n, m.end() + vm.start())
            out.append(SummaryLine(kind, n, Span(start, start + len(vm.group(0))), vm.group(0)))
            have.add((n, kind))
    return sorted(out, key=lambda s: (s.line, s.span.start))


def bare_cross(t: str, label: Phrase) -> Status:
    """The status of a label in ``t``: a bare `❌` in a tracker usually means "not there yet" rather than
    "failed", so a status word elsewhere on the line (`❌ Payments (0%)`, `❌ Dropbox (abandoned, API churn)`)
    decides; with none, it stays failed."""
    if label.status is not Status.FAILED or label.words:
        return label.status
    for _, _, st, is_word in status_marks(t):
        if is_word and st is not Status.FAILED:
            return st
    for pm in _PCT_RE.finditer(t):
        pct = int(pm.group(1))
        return Status.DONE if pct >= 100 else Status.PLANNED if pct == 0 else Status.IN_PROGRESS
    return label.status
