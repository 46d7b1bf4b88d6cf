"""The text around a run of status marks, asked in place (`phrase_context.Context`), answers as the
expressions on slices that `phrases._status_phrases` used before (`_blank(t[:s])`, `_DASH_END_RE.search(t[:s])`,
`_TRAILING_PARENS_RE.sub("", t[e:])`…), on generated lines asked in any order; and a line of thousands of runs
is read in a few scans of the line, counted, not one scan per run."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from syncbot.model import Status
from syncbot.readers import phrase_context, phrases, read_document, titles
from syncbot.readers.common import Document
from syncbot.readers.phrase_context import TRAILING_DATE_RE, TRAILING_PARENS_RE, Context

# the patterns the slices were searched with
_DASH_END_RE = re.compile(r"(?:\s|[）」』】])[–—·][\s\u2600-\u27bf\ufe0f\u200d\U0001F000-\U0001FFFF]*$")
_SEP_BEFORE_RE = re.compile(r"(?:[-–—:|·•])[\s*_`~]*$")
_BOLD_NAME_RE = re.compile(r"^\s*(\*\*|__)[^*_]+?\1\s*$")

_PIECES = [*" \n\t*_`~()（）[]—–·-:|•.!aZ1🚧✅", "**", "__", " 2025-01-02", "(#12)", "（注）", "ab", "ÄB"]


def _blank(s: str) -> bool:
    return all(phrases._blank_char(c) for c in s)


def _after(t: str, e: int) -> str:
    after = TRAILING_PARENS_RE.sub("", t[e:])
    return TRAILING_DATE_RE.sub("", after) if after[-1:].isdigit() or after.endswith(".") else after


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=30), st.lists(st.integers(0, 200), max_size=12))
def test_context_answers_as_the_slices(pieces: list[str], asks: list[int]) -> None:
    t = "".join(pieces)
    at = Context(t, phrases._blank_char)
    for ask in [*asks, *sorted(asks)]:  # in any order, and in the runs' order
        s = ask % (len(t) + 1)
        assert at.blank_before(s) == _blank(t[:s])
        assert at.last_before(s) == t[:s].rstrip(" *_`~")[-1:]
        assert at.first_after(s) == t[s:].lstrip(" *_`~")[:1]
        assert at.dash_before(s) == bool(_DASH_END_RE.search(t[:s]))
        assert at.sep_before(s) == bool(_SEP_BEFORE_RE.search(t[:s]))
        assert at.lower_before(s) == any(c.islower() for c in t[:s])
        assert at.bold_before(s) == bool(_BOLD_NAME_RE.match(t[:s]))
        for opener, close in (("(", ")"), ("（", "）"), ("[", "]")):
            assert at.noted(s, opener, close) == (close in t[s:] and opener not in t[s:].split(close)[0])
        q = at.after_end(s)
        assert t[s:q] == _after(t, s)
        assert at.blank(s, q) == _blank(t[s:q])
        assert (at.find("—", s) >= q) == ("—" not in t[s:q])


def test_bold_names_and_dates_around_a_run() -> None:
    t = "**Theme marketplace** ❌ — shipped 2025-01-02 (#12)"
    at = Context(t, phrases._blank_char)
    assert at.bold_before(21) and at.bold_before(22) and not at.bold_before(23)
    assert t[23 : at.after_end(23)] == " — shipped"


class _Counted:
    """A pattern or a test whose work is counted: the characters a search may look at, or the calls."""

    def __init__(self, real: object) -> None:
        self.real, self.work = real, 0

    def search(self, t: str, pos: int = 0) -> re.Match[str] | None:
        self.work += len(t) - pos
        return self.real.search(t, pos)  # type: ignore[attr-defined, no-any-return]

    def __call__(self, c: str) -> bool:
        self.work += 1
        return self.real(c)  # type: ignore[operator, no-any-return]


def _read_counting(monkeypatch: pytest.MonkeyPatch, line: str) -> tuple[int, int, int]:
    # (the trailing brackets are found by one walk back along the line, `phrase_context.trailing_brackets`,
    # no longer by searching `TRAILING_PARENS_RE`: its calls are counted, each a walk of the line at most)
    parens, blank = _Counted(phrase_context.trailing_brackets), _Counted(phrases._blank_char)
    monkeypatch.setattr(phrase_context, "trailing_brackets", parens)
    monkeypatch.setattr(phrases, "_blank_char", blank)
    text = f"# Plan\n\n## ✅ Phase 1\n\n- [x] T1 Ship\n\n## Phase 2 {line}\n\n- [ ] T2 Test {line}\n"
    sessions = read_document(Document("plan.md", text))[0].sessions
    return len(sessions), parens.work * len(line), blank.work


def test_a_line_of_many_unclosed_full_width_brackets_is_read_in_a_few_scans(monkeypatch: pytest.MonkeyPatch) -> None:
    """`（阻塞：（阻塞：…`: each `阻塞` (blocked) a run of its own; the text after each run was cut out of the line
    and searched for trailing brackets (100 KB took 8.7 s of CPU)."""
    line = "（阻塞：" * 5_000
    units, parens, blank = _read_counting(monkeypatch, line)
    assert units == 2
    assert parens <= 8 * len(line) and blank <= 8 * len(line)


def test_a_line_of_many_marks_and_dashes_is_read_in_a_few_scans(monkeypatch: pytest.MonkeyPatch) -> None:
    """`🚧 — 🚧 — …`: every character blank, so whether the text before and after each run is blank looked at
    the whole line once per run (100 KB took 17.6 s of CPU)."""
    line = "🚧 — " * 5_000
    units, parens, blank = _read_counting(monkeypatch, line)
    assert units == 2
    assert parens <= 8 * len(line) and blank <= 8 * len(line)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="ab ✅-*", max_size=30), st.lists(st.tuples(st.integers(0, 30), st.integers(0, 6))))
def test_a_title_with_its_phrases_removed_at_once(t: str, spans: list[tuple[int, int]]) -> None:
    """`clean_title` joins the pieces between phrases apart from each other once (a line of 10,000 phrases
    was copied once a phrase): as removing them one by one from the last."""
    remove = [phrases.Phrase(a, min(a + n, len(t)), Status.DONE, "trail", False) for a, n in spans if a <= len(t)]
    one_by_one = t
    for p in sorted(remove, key=lambda p: -p.start):
        one_by_one = one_by_one[: p.start] + " " + one_by_one[p.end :]
    assert titles.clean_title(t, remove) == titles._clean_title(one_by_one)
