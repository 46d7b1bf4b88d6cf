"""An append-only progress log below the units: `- T05 done.`, `- #14 terminé`, `Session 3: blocked → done`.

A log entry that names a unit and then says what became of it is the unit's latest statement, and overrides
the checkbox or lane the unit was listed under (people tick the plan only now and then; the log is the
record).  Only statements written *below* the unit count: a summary at the top of the document
("Done this week: T007, T009") is older than the entries under it, and names its units after the status
anyway.  Within one sentence the last status said wins (`失败，已回滚到进行中` is back in progress), and when
the log's dates run newest-first, the first entry is the latest.
"""

from __future__ import annotations

import bisect
import itertools
import re
from dataclasses import dataclass

from syncbot.model import Problem, Session, Severity, Span, SpanKind, Status, StatusSpan
from syncbot.readers.common import Document
from syncbot.readers.lazy_re import lazy_re
from syncbot.readers.log_keys import LogKeys, kind_words
from syncbot.readers.outline import outline
from syncbot.readers.ref_markers import MARKER_RE
from syncbot.readers.ref_scope import in_parens
from syncbot.readers.status_words import status_marks
from syncbot.readers.vocabulary import OPEN_STAGES, STILL_OPEN

# where a statement about a unit ends: a sentence end, or (checked separately) the next unit named
# a full stop (`no multi-currency in v1. **T11 → dropped.**`: after a number, when a capital or bold follows)
_FULL_STOP = r"(?<!\d)\.(?:\s|$)|(?<=\d)\.(?=\s+[*_`]*[A-Z])"
_SENTENCE_END_RE = lazy_re(rf"{_FULL_STOP}|[;。；!！?？]")
# `nearly done`, `not yet started`, `未完成`: a status word that says the opposite of itself; `done after review`,
# `no review concerns`: one that names a thing, not how the unit stands
_HEDGE_RE = lazy_re(
    r"(?:\b(?:partially|partly|half|not|never|no longer|yet to be|to be|after|before|without|no|"
    r"since|despite)\s+|[未没還还尚]\s*)$",
    re.I,
)
# `FT-139 blocked on FT-138`, `T12 waiting for the studio`: a status that names its cause is a dependency note
_CAUSE_RE = lazy_re(r"^\s*(?:on|by|for|until|behind|de|por|par|durch|auf|von|于|於|に)\b", re.I)
_CAUSE_END_RE = lazy_re(r"\s(?:on|by|for|until|behind|de|por|par|durch|auf|von)$", re.I)


_UNDERWAY = {Status.DONE, Status.IN_PROGRESS, Status.DROPPED}


def _bold_at(text: str, a: int, b: int) -> bool:
    return text[max(0, a - 2) : a] in ("**", "__") and text[b : b + 2] in ("**", "__")


def _caused(clause: str, start: int, end: int) -> bool:
    return bool(_CAUSE_RE.match(clause[end:]) or _CAUSE_END_RE.search(clause[start:end]))


_DATE_RE = lazy_re(r"(?<!\d)(?:(\d{4})[-/.年])?(\d{1,2})[-/.月](\d{1,2})(?!\d)")
_REACH = 40  # a status this many characters past the key is about something else
# what may come before a key that opens a statement: a bullet, a box, a date, a label, emphasis
# (possessive: the runs share `-` and spaces, and `------x` took seconds of backtracking; the same texts match)
_OPENER_RE = lazy_re(
    r"[\s>*_`~#+:：\-–—\u2600-\u27bf\ufe0f\U0001F000-\U0001FFFF]*+(?:\[.\]\s*+)?(?:[\d\-/.年月日]++)?[\s*_`:：\-–—]*(?:[^\W\d_]{2,15}\**\s*[:：][\s*_`]*)?"
)  # (`Decisão: #11 …`: a label ahead of the key)
_LIST_JOIN_RE = lazy_re(r"\s*(?:\([^()]{0,40}\))?\s*(?:,|&|/|、|and|e|y|und|et|i|og|en)\s*", re.IGNORECASE)
# `Next: T05 in progress`: a plan for what comes, not news of what happened
_NEXT_RE = lazy_re(
    r"(?:\b(?:next|up next|upcoming|todo|to do|plan|siguiente|próximo|prochaine?|nächste)|下一步|接下来|次は?)"
    r"\s*[:：]\s*$",
    re.I,
)
_COLON_RE = lazy_re(r":\s|：|\s[—–]\s")  # what explains the status after it
_CLAUSE_START_RE = lazy_re(rf"{_FULL_STOP}|[;。；!！?？:：,，、]")  # `B06 done, B09 done`
_ENTRY_LEAD_RE = lazy_re(r"[ \t>*\-+]*")  # a bullet or a quote only, before an entry's key
_DOT_END_RE = lazy_re(r"(?<!\d)\.$")  # (a full stop right before the key: a clause start ``$`` finds there)


@dataclass
class _Statement:
    line: int
    pos: int
    status: Status
    text: str
    date: tuple[int, int, int] | None
    at: int  # where the status starts in the repaired line (its span is worked out for the statement used)


def _date(text: str) -> tuple[int, int, int] | None:
    m = _DATE_RE.search(text)
    if not m:
        return None
    y, a, b = int(m.group(1) or 0), int(m.group(2)), int(m.group(3))
    if y == 0 and (a > 12 >= b or (text[m.end(2)] == "." and b <= 12)):
        a, b = b, a  # `14/03` day first, and `11.03.` as German and most of Europe write it
    if not (1 <= a <= 12 and 1 <= b <= 31):
        return None
    return (y, a, b)


_NOTE_RE = lazy_re(r"\([^()]*\)")
_JOINER_RE = lazy_re(r"[\W_]*(?:[^\W\d_]{1,3}[\W_]*)?")


def _joined(between: str) -> bool:
    """Whether the text between two keys is a status and at most a short joining word (`✅ · `, `🟢 i `,
    `done and `), so the second key opens a statement of its own; `started anyway because` is prose."""
    marks = status_marks(between)
    if not marks:
        return False
    rest, pos = [], 0
    for a, b, _, _ in marks:
        rest.append(between[pos:a])
        pos = max(pos, b)
    rest.append(between[pos:])
    return _JOINER_RE.fullmatch(_NOTE_RE.sub(" ", " ".join(rest))) is not None  # `✅ (8 min!) · `


def _said(clause: str) -> list[tuple[int, int, Status, bool]]:
    """The status marks a clause states near its start, less those a hedge turns round (`not done`); what is
    nearly done (`quase pronto`, `almost done`) is under way."""
    out = []
    until = _UNTIL_RE.search(clause)
    for mk in status_marks(clause):
        if mk[0] > _REACH or _HEDGE_RE.search(clause[: mk[0]]) or (until and mk[0] >= until.start()):
            continue
        if mk[2] is Status.DONE and _NEARLY_RE.search(clause[: mk[0]]):
            mk = (mk[0], mk[1], Status.IN_PROGRESS, mk[3])
        out.append(mk)
    return out


# `bloqueado hasta que la auditora entregue …`: what comes after `until` is the condition, not news
_UNTIL_RE = lazy_re(
    r"\b(?:until|till|unless|hasta\s+que|a\s+menos\s+que|bis|solange|jusqu['’]à|até\s+que|finché|totdat)\b|直到|までは",
    re.IGNORECASE,
)
_NEARLY_RE = lazy_re(
    r"(?:\b(?:nearly|almost|mostly|quase|casi|presque|fast|quasi|prawie|bijna|почти)\s+|(?:ほぼ|几乎|差不多|거의)\s*)$",
    re.IGNORECASE,
)


def _is_news(sentence: str, mark: tuple[int, int, Status, bool]) -> bool:
    """A word that names a status only at times (`Sleep current 38 µA`, `new build`) is news where it opens its
    sentence or the sentence is a few words; any other status word anywhere."""
    if sentence[mark[0] : mark[1]].lower() not in _WEAK_WORDS:
        return True
    return len(sentence.split()) <= 5 or not sentence[: mark[0]].strip(" *_`")


_WEAK_WORDS = frozenset(
    {"current", "active", "live", "new", "open", "review", "testing", "running", "working", "draft", "future"}
    | {"next", "partial", "error", "cut", "removed", "replaced", "closed", "published", "fixed", "passing", "waiting"}
)


def _later_sentence(rest: str, offset: int) -> tuple[int, str, list[tuple[int, int, Status, bool]]]:
    """The last sentence of ``rest`` (which starts at ``offset``) that reports progress: (its offset, it, the
    marks it states); no marks when none does."""
    found: tuple[int, str, list[tuple[int, int, Status, bool]]] = (offset, "", [])
    pos = 0
    while pos < len(rest):
        end = _SENTENCE_END_RE.search(rest, pos)
        sentence = rest[pos : end.start() if end else len(rest)]
        # (news of what happened: done, under way, dropped; `retry planned` is a plan) when the sentence is the
        # news (`Done.`, `Now in review.`): `Sleep current 38 µA …` says nothing of how the unit stands
        if (said := _said(sentence)) and said[-1][2] in _UNDERWAY and _is_news(sentence, said[-1]):
            found = (offset + pos, sentence, said)
        pos = end.end() if end else len(rest)
    return found


_MARKER_REACH = 40  # a dependency marker this far before a key makes what follows it a condition, not news


def _statements(
    doc: Document, units: list[Session], skip: set[int], sections: bool = False
) -> dict[str, list[_Statement]]:
    keys = {s.key.lstrip("#"): s.key for s in units}
    pat = LogKeys(list(keys), kind_words(doc, units))
    out: dict[str, list[_Statement]] = {}
    if not pat:
        return out
    heading_date: tuple[int, int, int] | None = None
    in_code = False
    for n, raw in enumerate(doc.lines, 1):
        lead = raw.lstrip()
        if lead.startswith(("```", "~~~")):
            in_code = not in_code
            continue
        if lead.startswith("#"):
            heading_date = _date(doc.fix(raw))
        if in_code or n in skip or lead.startswith("|"):
            continue  # (a unit's own lines, most of a plan's, are neither repaired nor scanned)
        text = doc.fix(raw)
        hits = pat.hits(text)
        if not hits:
            continue
        line_date = _date(text[: hits[0][0]]) or heading_date
        # where each clause starts, found once a line (a line of 10,000 keys is scanned once, not once a key)
        clause_ends = [x.end() for x in _CLAUSE_START_RE.finditer(text)]
        waiting: list[str] = []  # `#11 (offline) e #17 (gamificação) cortados`: keys listed ahead of a statement
        for i, (start, end_, key) in enumerate(hits):
            listed = bool(waiting) and _LIST_JOIN_RE.fullmatch(text, hits[i - 1][1], start) is not None
            if not listed:
                waiting = []
            # `T03 done.`, `- 06-03：T009 …`, `T04 started. T05 done.`: the key opens its sentence
            i_cut = bisect.bisect_right(clause_ends, start) - 1
            cut = clause_ends[i_cut] if i_cut >= 0 else 0
            if _DOT_END_RE.search(text, max(0, start - 2), start):
                cut = start
            # `KR1.2 ✅ · IN-2 ✅`, `KR1.2 🟢 i IN-2 🟢`: once the key before has its status, the next key opens
            # a statement of its own, whatever joins the two
            joined = i > 0 and _joined(text[hits[i - 1][1] : start])
            opener = listed or _OPENER_RE.fullmatch(text, cut, start)
            if not (joined or opener) or _NEXT_RE.search(text, max(0, cut - 64), cut):  # (`up next:`, spaces)
                continue
            if MARKER_RE.search(text, max(0, start - _MARKER_REACH), start):
                continue  # `**Depends on:** Step 1 complete`: what the section waits for, not news of Step 1
            stop = hits[i + 1][0] if i + 1 < len(hits) else len(text)
            if i + 1 < len(hits) and _LIST_JOIN_RE.fullmatch(text, end_, stop) is not None:
                waiting.append(key)
                continue
            whole = clause = text[end_:stop]
            end = _SENTENCE_END_RE.search(clause)
            if end:
                rest, clause = clause[end.end() :], clause[: end.start()]
            said = _said(clause)
            bold = any(_bold_at(clause, mk[0], mk[1]) for mk in said)  # `P2-3 **done**.`: the statement itself
            if end and len(hits) == 1 and not bold and (later := _later_sentence(rest, end_ + end.end()))[2]:
                # `5.3 Garage is running (one node). Done.`: an entry that opens with the key is about it to its
                # end (when it names no other unit); its last sentence that states a status is the latest news
                end_, clause, said = later
            if not said and _ENTRY_LEAD_RE.fullmatch(text, 0, start) and i + 1 == len(hits):
                # `- API-02：レビュー OK、マージ。**完了**。`: the entry's own status, set off in bold after its note
                said = [mk for mk in status_marks(whole) if _bold_at(whole, mk[0], mk[1])][-1:]
                clause = whole
            if not said:
                continue
            # `M3.T5 in progress: Dockerfile done`: what follows a colon after the status explains it
            colon = _COLON_RE.search(clause, said[0][1])
            if colon:
                said = [mk for mk in said if mk[0] < colon.start()]
            # `2.5 보류 (보안팀 검토 대기)`: a status in a parenthesis explains the one before it
            bare = [mk for mk in said if not in_parens(clause, mk[0])]
            said = bare or said
            # `blocked by #18` names a cause; `started by Inès`, `verified on the scope` do not
            said = [mk for mk in said if mk[2] in _UNDERWAY or not _caused(clause, mk[0], mk[1])]
            if not said:
                continue
            last = said[-1]
            a, b = end_ + last[0], end_ + last[1]
            for k in [*waiting, key]:
                out.setdefault(keys[k], []).append(_Statement(n, start, last[2], text[a:b], line_date, a))
            waiting = []
    return out


def apply_log(doc: Document, units: list[Session], problems: list[Problem], sections: set[int] | None = None) -> None:
    """Give each unit the status its latest log entry below it states (see the module docstring).  With
    ``sections`` (the lines of the units' own fields) the units are headings over their text: a later
    section's words about an earlier unit (`## Сессия 12` … `Сессия 7 — ❌ провалена`) are the log; only the
    headings and the fields are skipped."""
    if len(units) < 2:
        return
    if sections is not None:
        skip = {s.line for s in units} | sections
    else:
        skip = {n for s in units for n in range(s.line, max(s.end_line, s.line) + 1)}
    found = _statements(doc, units, skip, sections is not None)
    if not found:
        return
    dated = [d for _, d in sorted((st.line, st.date) for sts in found.values() for st in sts if st.date)]
    # (which way most steps from one dated entry to the next go: a year's turn is one step back)
    steps = [(a < b) - (a > b) for a, b in itertools.pairwise(dated)]
    newest_first = len(dated) >= 2 and sum(steps) < 0
    for s in units:
        below = [st for st in found.get(s.key, []) if st.line > s.line]
        if not below:
            continue
        # within one entry the later words are the later news, whichever way the entries run
        latest = max(below, key=lambda x: (-x.line if newest_first else x.line, x.pos))
        if latest.status is s.status or (s.status in OPEN_STAGES and latest.text.strip("*_ ").lower() in STILL_OPEN):
            continue
        problems.append(
            Problem(
                latest.line,
                Severity.INFO,
                f"{s.key}: the log at line {latest.line} says {latest.status.value} "
                f"(listed as {s.status.value} at line {s.line}); using the log",
            )
        )
        s.status, s.status_text = latest.status, latest.text
        # marking the unit rewrites the statement people read last, as well as its box
        span = _span(doc, latest)
        s.status_spans = [StatusSpan(span, SpanKind.TEXT, latest.line), *s.status_spans]


def _span(doc: Document, st: _Statement) -> Span:
    prefix = doc.fix(doc.lines[st.line - 1])[: st.at]
    return outline(doc).span(st.line, 0, st.text, prefix)
