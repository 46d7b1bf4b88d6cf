"""The status legend a document writes for its symbols, and status classification that honours it.

Trackers often define their own marks near the top: ``🟢 done · 🟡 in progress · 🔴 blocked · ⚪ not
started``, ``图例：✅ 完成 🚧 进行中``, or a ``| Symbol | Meaning |`` table.  A legend is the author's own word,
so it takes precedence over the built-in meaning of a mark (🔴 is *blocked* by default, a legend may make it
*failed*).  Words are never redefined: only marks (emoji and other symbols).
"""

from __future__ import annotations

import re

from syncbot.model import Status
from syncbot.readers.common import Document, strip_inline
from syncbot.readers.hints import vocabulary
from syncbot.readers.lazy_re import lazy_re
from syncbot.readers.legend_entries import GLOSS_RE, MARK, is_mark, meaning
from syncbot.readers.legend_tables import table_legend
from syncbot.readers.status_words import classify_status, legend_status

# (a meaning ends in no blank, unless it is one blank: the pattern `[^…]+?\s*(?=…)` it replaces, tried at each
# blank of a long run for every end of that run, took square time on `✅ done` and 20,000 blanks before a letter)
_PAIR_RE = lazy_re(
    rf"(?P<mark>{MARK})\s*(?:[=:：]|[-–—]\s)?\s*(?P<meaning>[^|｜·•,，、;；/／=\n]*?[^|｜·•,，、;；/／=\s]|[^\S\n])\s*"
    rf"(?=[|｜·•,，、;；/／]|{MARK}|$)"
)
# `Legend:`, `## Legend`, `**Key:**`, `状态图例：` — a label that is only that ("Key Changes" is no legend)
_LEGEND_WORD_RE = lazy_re(
    r"^[\s>*_#-]*(?:(?:status[\s_]+)?(?:legend|legende|légende|leyenda|legenda|keterangan|objaśnienia|"
    r"условные\s+обозначения)\b|(?:status\s+)?key(?=[\s*_]*[:：])|(?:状态)?(?:图例|圖例)|说明|凡例|범례)"
    r"[\s*_]*[:：]?[\s*_]*(?=\S|$)(?![^\W\d_]{3,}\s*$)",
    re.IGNORECASE,
)
_LEAD_MARK_RE = lazy_re(r"^[\s>*_+-]*(?:\d+[.)]\s*)?[^\w\s]")


# `  building: someone is actively working on it`, `- **later** — we want it, nobody is on it`
_WORD_PAIR_RE = lazy_re(
    r"^[\s>*_+-]*[`*_]*(?P<word>[^\W\d_][\w-]{0,19})[`*_]*\s*(?:[:=]|[—–]|-\s)\s*(?P<meaning>\S.{0,80})$"
)


# `- **Fixing** — PR in progress`, `- *Arquivado* = cancelado`: a list that defines the document's own status
# terms, one per item (or two: `*Backlog* = ideias … *A fazer* = priorizado …`)
_TERM_RE = lazy_re(
    r"^\s*[-*+]\s+(?P<em>\*\*|__|\*|_)(?P<word>[^\W\d_][^*_\n]{0,28})(?P=em)\s*(?:[—–:=]|-\s)\s*(?P<meaning>\S.*)$"
)


_REMARK_RE = lazy_re(r"\(([^()]{3,80})\)")
_INLINE_TERM_RE = lazy_re(
    r"(?P<em>\*\*|__|\*|_)(?P<word>[^\W\d_][^*_\n]{0,28})(?P=em)\s*(?:[—–:=]|-\s)\s*(?P<meaning>[^*_\n]+)(?=\s*(?:[*_]|$))"
)


def _inline_meaning(m: re.Match[str]) -> str:
    """The meaning of an ``_INLINE_TERM_RE`` match as the lazy ``[^*_\\n]+?`` before ``(?=\\s*(?:[*_]|$))`` read
    it: up to the blanks before the next emphasis (taken whole and trimmed here: the lazy form asked the
    lookahead again at every blank of a long run of them, square work)."""
    g = m.group("meaning")
    return g.rstrip() or g[:1]


_NEXT_TERM_RE = lazy_re(r"[.;]\s+(?:\*\*|__|\*|_)[^\W\d_][^*_\n]{0,28}(?:\*\*|__|\*|_)\s*(?:[—–:=]|-\s)")


def _defined_terms(doc: Document) -> dict[str, Status]:
    """Terms a list near the top defines, three or more in a row, each a status by its gloss or its name (the
    gloss first: it is the author's own word on what the term means)."""
    out: dict[str, Status] = {}
    run: list[tuple[str, Status | None]] = []
    for i in range(min(_TOP_LINES, len(doc.lines)) + 1):
        m = _TERM_RE.match(doc.fix(doc.lines[i])) if i < len(doc.lines) else None
        if m:
            # (`*Backlog* = ideias ainda não priorizadas. *A fazer* = priorizado e pronto para puxar.`)
            terms = [(m.group("word"), t.group("meaning")) for t in [m] if not _NEXT_TERM_RE.search(t.group("meaning"))]
            terms = terms or [(t.group("word"), _inline_meaning(t)) for t in _INLINE_TERM_RE.finditer(m.group(0))]
            for word, meaning in terms:
                gloss = GLOSS_RE.split(strip_inline(meaning), maxsplit=1)[0]
                # (`PR aberto aguardando code review (ainda conta como trabalho em andamento)`: a remark that
                # says outright how such work stands comes first; a tag such as `(closed)` does not)
                said = [classify_status(r) for r in _REMARK_RE.findall(meaning) if len(r.split()) >= 3]
                st = next((s for s in said if s is not None), None) or classify_status(gloss)
                run.append((strip_inline(word).lower(), st or classify_status(strip_inline(word))))
            continue
        if len(run) >= 3 and sum(st is not None for _, st in run) >= 3:
            out.update({w: st for w, st in run if st is not None})
        run = []
    return out


def _word_pair(line: str) -> tuple[str, Status] | None:
    """A word of the document's own and its meaning, one per line under a legend label."""
    m = _WORD_PAIR_RE.match(line)
    if m is None:
        return None
    word = m.group("word").lower()
    st = classify_status(word) or classify_status(strip_inline(m.group("meaning")))
    return (word, st) if st is not None else None


# `` `OK` hecho · `EC` en curso · `BL` bloqueado ``: the document's own short codes, each in code and glossed
_CODE_PAIR_RE = lazy_re(r"`(?P<code>[^\W_][\w+-]{0,5})`\s*(?:[=:：]|[-–—]\s)?\s*(?P<meaning>[^`|｜·•,，、;；/=\n]+)")


def _code_pairs(line: str) -> list[tuple[str, Status]]:
    """A line of three or more codes in code spans, each with its meaning, most of which we know: the codes
    are the document's status words (a code's own word, `OK`, keeps its built-in meaning)."""
    if line.count("`") < 6 or len(line) > 400:
        return []
    found = [(m.group("code"), meaning(m.group("meaning"))) for m in _CODE_PAIR_RE.finditer(line)]
    known = [(code, st) for code, st in found if st is not None]
    if len(found) < 3 or len(known) < 0.6 * len(found):
        return []
    return [(code, st) for code, st in known if classify_status(code) in (None, st)]


def _pairs(line: str) -> tuple[list[tuple[str, Status]], int]:
    """The `mark meaning` pairs of a line whose meaning we know, and how many pairs of that shape it holds."""
    out: list[tuple[str, Status]] = []
    shaped = 0
    for m in _PAIR_RE.finditer(line):
        mark = m.group("mark").replace("\ufe0f", "")
        if not is_mark(mark):
            continue
        shaped += 1
        st = meaning(m.group("meaning"))
        if st is not None:
            out.append((mark, st))
    return out, shaped


_ARROW_RE = lazy_re(r"\s*(?:→|->|⟶|➜|➡️?|=>)\s*")
_STAGE_RE = lazy_re(rf"(?P<mark>{MARK})\s*(?P<meaning>[^\W\d_][^→\n]{{0,40}}?)[\s.;:,]*$")


def _pipeline(line: str) -> list[tuple[str, Status]]:
    """`💡 ideia → 📝 roteiro → 🎬 em edição → ✅ publicado`: the stages a unit goes through, each a mark and
    its name, ending in done.  The first stage has not started, the last is done, those between are under
    way (unless their own names say otherwise: `⛔ blocked`)."""
    if len(line) > 400 or not any(a in line for a in ("→", "->", "⟶", "➜", "➡")):
        return []  # (a legend is a short line; a long one is prose, and scanning it would cost)
    parts = _ARROW_RE.split(line)
    stages = [
        m for p in parts if (m := _STAGE_RE.search(p)) is not None and is_mark(m.group("mark").replace("\ufe0f", ""))
    ]
    if len(stages) < 3 or len(stages) < len(parts) - 1:
        return []
    last = classify_status(strip_inline(stages[-1].group("meaning")))
    if last is not Status.DONE:
        return []
    out: list[tuple[str, Status]] = []
    for i, m in enumerate(stages):
        own = meaning(m.group("meaning"))
        st = own or (Status.PLANNED if i == 0 else Status.DONE if i == len(stages) - 1 else Status.IN_PROGRESS)
        out.append((m.group("mark").replace("\ufe0f", ""), st))
    return out


# a stage: a word in code, after the line's label (the first), before a sentence that follows (the last)
_CODE_WORD_RE = lazy_re(r"^(?:[^`]*:\**\s*)?`(?P<word>[^`\n]{2,30})`(?:[\s.;,]*$|[.;]\s)")


def _word_pipeline(line: str) -> list[tuple[str, Status]]:
    """``**States:** `todo` → `in progress` → `in review` → `migrated` ``: the document's own words for the
    stages, in order; the ones we do not know take their place's status (first not started, last done,
    between under way).  Known words keep their own meaning."""
    if len(line) > 400 or "`" not in line or not any(a in line for a in ("→", "->", "⟶", "➜", "➡")):
        return []
    parts = _ARROW_RE.split(line)
    words = [m.group("word").strip().lower() for p in parts if (m := _CODE_WORD_RE.match(p.strip() + " ")) is not None]
    if len(words) < 3 or len(words) != len(parts):
        return []
    return [
        (w, Status.PLANNED if i == 0 else Status.DONE if i == len(words) - 1 else Status.IN_PROGRESS)
        for i, w in enumerate(words)
        if classify_status(w) is None
    ]


_TOP_LINES = 150  # legends sit at the top; further down only a labelled one is looked for
_LABEL_ANYWHERE_RE = lazy_re(
    r"^[ \t>*_#-]*(?:legend|key|status\s+key|legende|légende|leyenda|legenda|keterangan|图例|圖例|凡例|범례)\b",
    re.IGNORECASE | re.MULTILINE,
)


def _candidate_lines(doc: Document) -> list[int]:
    """0-based indexes of the lines that may hold a legend: the top of the document, and every labelled line
    with the ten lines after it (`## Legend` over a list of `- ✅ done` items)."""
    found = set(range(min(_TOP_LINES, len(doc.lines))))
    for m in _LABEL_ANYWHERE_RE.finditer(doc.text):
        first = doc.text.count("\n", 0, m.start())
        found.update(range(first, min(first + 11, len(doc.lines))))
    return sorted(found)


def read_legend(doc: Document) -> dict[str, Status]:
    """Mark -> status, from legend lines (two or more `mark meaning` pairs on a line, or one under or after
    a `Legend` label) and from two-column tables whose rows are a mark and its meaning."""
    legend: dict[str, Status] = {}
    label_until = -1
    wraps_to, ends_open = -1, False  # the line a legend goes on to (`… ⏸ not started ·` / `⏭️ removed`)
    for i in _candidate_lines(doc):
        line = doc.fix(doc.lines[i])
        body = _LEGEND_WORD_RE.sub("", line, count=1)
        if body != line:
            label_until = i + 10
        pairs, shaped = _pairs(body)
        lone = len(pairs) == 1 and _LEAD_MARK_RE.match(body) is not None  # `- ✅ done` under a Legend label
        # (the line goes on where the legend's ends in a separator, or it carries on the sentence: `needs a` /
        # `redo · 🙋 = good first issue`)
        wrapped = len(pairs) == 1 and i == wraps_to and (ends_open or line[:1].islower())
        if len(pairs) >= 2:
            wraps_to, ends_open = i + 1, line.rstrip().endswith(("·", "•", "|", ",", "/"))
        # `Estats: ⚪ no començat · 🟢 en marxa · 🟡 en risc · 🔴 encallat · ✅ assolit · ❌ descartat`: a line of
        # four or more marks, each glossed, is a legend even when we know only one of its words
        if len(pairs) >= 2 or (i <= label_until and lone) or (pairs and shaped >= 4) or wrapped:
            for mark, st in pairs:
                legend.setdefault(mark, st)
        elif i <= label_until and body == line and (word := _word_pair(line)) is not None:
            legend.setdefault(*word)  # `  stuck: waiting on something we don't control` under `status_legend:`
        for mark, st in _pipeline(body) or _word_pipeline(body) or _code_pairs(body):
            legend.setdefault(mark, st)
    legend.update({w: st for w, st in _defined_terms(doc).items() if w not in legend})
    table_legend(doc, legend)
    return legend


def is_legend_line(text: str) -> bool:
    """Whether a line (repaired) is a legend: two or more marks, each glossed with a status (`✅ hecho · 🚧 en
    curso · 📋 planificado`), not a unit labelled with one."""
    if text.isascii() and "[" not in text:
        return False  # (a mark is a symbol or a bracketed word: a plain ASCII line holds none)
    return len(_pairs(text)[0]) >= 2


def legend_of(doc: Document) -> dict[str, Status]:
    """:func:`read_legend`, once per document."""
    cached = doc.__dict__.get("_status_legend")
    if cached is None:
        cached = doc.__dict__["_status_legend"] = read_legend(doc)
    return cached


def status_of(doc: Document, text: str) -> Status | None:
    """The status ``text`` (as written in ``doc``) states: the user's ``status_words`` hint first, then the
    document's legend for its marks, then the built-in words and marks."""
    fixed = doc.fix(text)
    if doc.hints is not None and (st := vocabulary(doc, fixed)) is not None:
        return st
    return legend_status(legend_of(doc), fixed.replace("\ufe0f", "")) or classify_status(fixed)
