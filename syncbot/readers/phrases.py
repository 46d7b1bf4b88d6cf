"""Status phrases in a heading or an item line, written as a label rather than as a word of the title
(`✅ COMPLETED - Foundation`, `Secrets Manager - COMPLETE ✅`); readers/titles.py removes them from the title."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from syncbot.model import Status
from syncbot.readers.common import per_reading
from syncbot.readers.lazy_re import lazy_re
from syncbot.readers.phrase_context import Context
from syncbot.readers.status_words import classify_status, legend_has_digits, legend_mark, status_marks

_JOINER_RE = lazy_re(r"[\s*_`~\ufe0f]*")

# Emoji that mean a status even with no word beside them.  Others (🔄, 🎉, 🟢, 🎯) decorate headings far too
# often (`🔄 NEXT CODING PRIORITIES`, `🎉 MISSION ACCOMPLISHED`) to make a heading a unit on their own.
STRICT_EMOJI = ("✅", "✔", "☑", "✓", "❌", "⏳", "⌛", "🔲", "⬜", "☐", "⭕", "🚧", "⏸", "🚫", "⛔")
# on a task line a trailing 🔄 / 🟡 is the task's state (`Session 3 - Billing 🔄`), not decoration
ITEM_STRICT_EMOJI = (*STRICT_EMOJI, "🔄", "🟡")


_EMPH = ("**", "__", "~~", "*", "_", "`")
# (the patterns of the text after a run are matched in place, `match(t, start, end)`, hence no `^`)
_SEP_AFTER_RE = lazy_re(r"[\s*_`~]*(?:[-–—:|·•]|$)")
_SEGMENT_END_RE = lazy_re(r"[*_`~]*(?:\s*\([^()]{0,80}\))?\s+[—–·]\s")
_RELEASE_AFTER_RE = lazy_re(r"[*_`~]*\s+(?:in|since|with)\s+v?\d[\w.-]*[.!]?\s*$")
# a short note after a status that closes the line, a bracket before it (`✅ merged (#2240); moved to v3`), or
# a sentence of its own (`in progress. Yes, this started early …`)
_NOTE_AFTER_RE = lazy_re(
    r"[*_`~]*(?:\s*[(（][^()（）]{0,60}[)）])?(?:[,;]\s+[^—–]{1,160}|[，；]\s*[^—–]{1,160}|\.\s+[^—–]{1,300}|。[^—–]{0,300})$"
    # `— 作業中 @tanaka（依存: 3.2, 2.1）`: who is on it, and a note
    r"|[*_`~]*\s+@[\w.-]+(?:\s*[(（][^()（）]{0,80}[)）])?\s*$"
)
_COLON_AFTER_RE = lazy_re(r"[*_`~]*\s*[:：]\s+\S")
# `— ⏸️ blocked by python-trio/trio#2901`: what it is blocked by or waiting on, after the status
_REASON_AFTER_RE = lazy_re(r"[*_`~]*\s+(?:by|on|until|por|durch|par)\s+[^—–]{1,120}$")
# what may follow a status mark as its reason: words, no other mark (`⛔ 等运营给积分规则`, `⛔ waiting for legal`)
_REASON_NOTE_RE = lazy_re(r"\s+[^\W\d_][^✅✔☑✓❌⏳⌛🔲⬜☐⭕🚧⏸🚫⛔🔄🟡]{0,120}$")
_PCT_RE = lazy_re(r"\((\d{1,3})\s?%(?:\s+(?:complete|completed|done))?\)", re.IGNORECASE)


def is_deco(ch: str) -> bool:
    """Emoji, symbols and joiners: the decoration around a status or a title."""
    return ch in "\ufe0f\u200d\u20e3" or ord(ch) >= 0x1F000 or unicodedata.category(ch) in ("So", "Sk", "Cf")


def _blank_char(c: str) -> bool:
    return c.isspace() or c in "*_`~#!.:-–—|()[]" or is_deco(c)


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
        if runs and mk[0] >= runs[-1][1] and _JOINER_RE.fullmatch(t[runs[-1][1] : mk[0]]):
            s, _, ms = runs[-1]
            ms.append(mk)  # (in place: a line of 20,000 marks in a row is one run, built in linear time)
            runs[-1] = (s, max(mk[1], runs[-1][1]), ms)
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
    return list(_status_phrases(_digit_blind(t), item))


# Which ASCII digits a text holds changes none of its status phrases (positions, statuses, kinds), except
# the digits of a percentage (`(40%)`) and digits a legend's marks or words hold: no status word, emoji
# or joiner is a digit, and every other test of the text asks only whether a character is a digit, a
# letter, space or markup.  So `✅ COMPLETED - Phase 17 features` is read as `✅ COMPLETED - Phase 00
# features` (same length, same positions), and 20,000 numbered headings or tasks are worked out a few
# dozen times, not 20,000 (tests/test_phrase_digits.py).  A digit run next to another digit (of any
# script) or before a `%` is kept as written.
_DIGIT_RUN_RE = lazy_re(r"(?<!\d)[0-9]+(?!\d|\s?%)")
# (a substitution: `str.translate` with a table of nine digits looks up every other character, and misses)
_NONZERO_RE = lazy_re(r"[1-9]")
_HAS_DIGIT_RE = lazy_re(r"[0-9]")


def _digit_blind(t: str) -> str:
    if _HAS_DIGIT_RE.search(t) is None or _legend_digits():
        return t
    if "%" not in t:  # (only a percentage reads digits of other scripts beside ASCII ones)
        return _NONZERO_RE.sub("0", t)
    return _DIGIT_RUN_RE.sub(lambda m: "0" * len(m.group()), t)


@per_reading  # once per reading: the legend is the document's
def _legend_digits() -> bool:
    return legend_has_digits()


@per_reading  # components, phases, board and tasklist all ask about the same headings
def _status_phrases(t: str, item: bool) -> tuple[Phrase, ...]:
    """The status phrases of a heading or an item line ``t`` (repaired), written as a label rather than as
    a word of the title: `✅ COMPLETED - Foundation`, `Secrets Manager - COMPLETE ✅`, `Name (planned)`,
    `✅ Name`, `🚧 In Progress Name` (emoji and word agree).  With ``item``, a status set off by emphasis or
    capitals at the end of a task line counts too (`#19 - Testing **IN PROGRESS**`); a heading needs more,
    since `Session Zero Prompts FAILED` is a title.  Best first: leading, then trailing, then parenthesised."""
    out: list[Phrase] = []
    at = Context(t, _blank_char)  # (the text around each run, asked in place)
    for s0, e0, ms in _runs(t):
        strict = ITEM_STRICT_EMOJI if item else STRICT_EMOJI
        # a mark the document's legend defines is as sure a status as a check mark
        has_strict = any(
            any(x in t[m[0] : m[1]] for x in strict) or legend_mark(t[m[0] : m[1]]) for m in ms if not m[3]
        )
        words = any(m[3] for m in ms)
        status = classify_status(t[s0:e0]) or ms[0][2]
        opener = at.last_before(s0)
        closer = at.first_after(e0)
        # `(blocked: waiting on the role model)`, `[blocked: #399]`: a bracketed note headed by its status
        close = {"(": ")", "（": "）"}.get(opener, "]")
        headed = (opener in "(（" and closer in (":", "—", "–", "：")) or (opener == "[" and closer in ":：")
        noted = headed and at.noted(e0, opener, close)
        if (opener, closer) in (("(", ")"), ("[", "]"), ("（", "）")) or noted:
            out.append(Phrase(s0, e0, status, "paren", words))
            continue
        s, e = _expand_emphasis(t, s0, e0)
        # the text after the run is t[e:q]: a trailing date or note does not make a status part of the title
        # (`✅ COMPLETED (November 6)`, `✅ merged 2026-03-02`)
        q = at.after_end(e)
        blank_before = at.blank_before(s)
        if blank_before and at.blank(e, q):
            out.append(Phrase(s, e, status, "whole", words))
        elif blank_before:
            core = t[s0:e0]
            set_off = item and words and (t[s:e] != core or (core.isupper() and len(core) > 2))
            if not words or _SEP_AFTER_RE.match(t, e, q) or set_off:
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
        elif item and at.bold_before(s) and _SEP_AFTER_RE.match(t, e, q) and not words:
            # `**Theme marketplace** ❌ — dropped for 2.0`: the mark after the bold name, a note after it
            out.append(Phrase(s, e, status, "trail", words))
        elif item and not words and t[s0 : s0 + 1] in ("【", "［"):
            # `オンプレ版の見積取得【止】　クラウド版に決定`: a bracketed legend mark sets itself off, a note may follow
            out.append(Phrase(s, e, status, "trail", words))
        elif item and at.dash_before(s) and (_SEGMENT_END_RE.match(t, e, q) or _RELEASE_AFTER_RE.match(t, e, q)):
            # `**Face clustering** — building — @mara …`, `**HEIC thumbnails** — shipped in v1.9.0`: the status
            # is a segment of its own between dashes
            out.append(Phrase(s, e, status, "trail", words))
        elif (
            item
            and at.dash_before(s)
            and (_NOTE_AFTER_RE.match(t, e, q) or _COLON_AFTER_RE.match(t, e, q) or _REASON_AFTER_RE.match(t, e, q))
        ):
            # `… in \`auth.py\` — 🚧 in review, PR #231`: the status closing a task line, a short note after it;
            # `… — **bloqueado**: Secretaría aún no ha firmado`: the status heading the note on why
            out.append(Phrase(s, e, status, "trail", words))
        elif item and not words and has_strict and at.dash_before(s) and at.find("—", e) >= q:
            # `**1d** \`http-client\` — 🚧 retry logic being pulled out`: a mark heading the last dash segment
            out.append(Phrase(s, e, status, "trail", words))
        elif item and has_strict and not ms[0][3] and t[s - 1 : s] == " " and _REASON_NOTE_RE.match(t, e):
            # `1.6 会员等级与积分 ⛔ 等运营给积分规则`, `#405 wheels ⛔ blocked by upstream cython#6342`: the mark (and
            # its word) closing the name, and why after it; the mark says the status (`⛔ waiting for 1.12`)
            out.append(Phrase(s, e, ms[0][2], "trail", words))
        elif item and not words and has_strict and _SEGMENT_END_RE.match(t, e, q):
            # `S-02 CI を移行 ✅ (10/01) — 前提: S-01`: a check mark closing the name, a note after a dash
            out.append(Phrase(s, e, status, "trail", words))
        elif at.blank(e, q):
            last = ms[-1]
            closing = words and not last[3] and any(x in t[last[0] : last[1]] for x in strict)
            if closing and all(w[2] is not last[2] for w in ms if w[3]):
                # `课程预约与取消 🚧`: the closing mark is the status, the word before it says otherwise and is the
                # end of the title
                out.append(Phrase(last[0], e, last[2], "trail", False))
                continue
            core = t[s0:e0]
            set_off = item and words and (t[s:e] != core or (core.isupper() and at.lower_before(s)))
            bracketed = t[s0 : s0 + 1] in ("【", "［", "[")  # `…の棚卸し【済】`: a legend's mark sets itself off
            if at.sep_before(s) or has_strict or is_deco(at.last_before(s) or " ") or set_off or bracketed:
                out.append(Phrase(s, e, status, "trail", words))
    order = {"whole": 0, "lead": 1, "trail": 2, "paren": 3}
    out.sort(key=lambda p: order[p.where])
    return tuple(out)


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
