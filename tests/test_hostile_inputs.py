"""Inputs shaped to make today's readers do square work, each read in linear work now, and each shortcut
checked against the expression it replaces:

- a table keyed by dates (``dated_keys``): each day looked for in all the other cells, now one scan of them;
- a board drawn as a table whose cards share a title (``lane_table``): each card's key walked up from `-2`;
- a line of legend words beside as many marks (``status_marks``): each mark against every legend word;
- a bracket of 10,000 bare numbers (``bare_numbers.listed``): each number read back to the bracket;
- a status mark and 40,000 trailing blanks (``phrase_context.trailing_brackets``, ``structure.heading_text``);
- a status field with runs of blanks (``bullet_labels.INLINE_STATUS_RE``, ``summaries._SUMMARY_LABEL``);
- a legend's mark and meaning before a run of blanks and a letter (``legend._PAIR_RE``);
- a long run of digits, each a place a quantity may start (``ref_markers.QUANTITY_RE``);
- a token of 20,000 characters cut by `-`s in a `K3/4` document (``ref_ranges.split_range``);
- a number of more digits than Python reads (4,300): the document's error, at its line.
"""

from __future__ import annotations

import datetime
import re
import time
from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from syncbot.model import Status
from syncbot.readers import phrases, read_document, ref_ranges
from syncbot.readers.bare_numbers import _NUMBERS_ONLY_RE, OpensBrackets
from syncbot.readers.bullet_labels import INLINE_STATUS_RE
from syncbot.readers.common import Document, TrackerError
from syncbot.readers.dated_keys import dated_key_column
from syncbot.readers.key_index import KeyIndex
from syncbot.readers.legend import _INLINE_TERM_RE, _PAIR_RE, _inline_meaning, _pairs
from syncbot.readers.legend_entries import MARK
from syncbot.readers.phrase_context import TRAILING_PARENS_RE, Context
from syncbot.readers.ref_markers import QUANTITY_RE
from syncbot.readers.ref_ranges import UNIT_WORD_PREFIX_RE, key_range, split_range
from syncbot.readers.ref_tokens import _SLASHED_TOKEN_RE, _TOKEN_RE, key_tokens
from syncbot.readers.refs import parse_refs
from syncbot.readers.status_words import _overlap_test
from syncbot.readers.structure import heading_text, tables
from syncbot.readers.summaries import _SUMMARY_LABEL


def _within(seconds: float, f, *args):  # type: ignore[no-untyped-def]
    # (this process's CPU time, not the wall clock: on a loaded machine the reading waits, it does no more work;
    # the square-time cases these guard against took seconds of CPU)
    started = time.process_time()
    out = f(*args)
    assert time.process_time() - started < seconds
    return out


def _days(n: int) -> list[str]:
    return [(datetime.date(1000, 1, 1) + datetime.timedelta(days=i)).isoformat() for i in range(n)]


def _dated_table(days: list[str], after: list[str]) -> str:
    rows = "".join(f"| {d} | Work {i} | todo | {a} |\n" for i, (d, a) in enumerate(zip(days, after, strict=True)))
    return f"# S\n\n| Date | Work | Status | After |\n|---|---|---|---|\n{rows}"


def _old_dated_key_column(text: str) -> int | None:
    """``dated_key_column`` as it was: every day looked for in the joined text of the other cells."""
    t = tables(Document("s.md", text))[0]
    for col in range(min(3, len(t.header))):
        days = [c[col].text for _, c in t.rows]
        if len(days) < 3 or len(set(days)) != len(days) or not all(re.fullmatch(r"\d{4}-\d{2}-\d{2}", d) for d in days):
            continue
        others = " ".join(c.text for _, cells in t.rows for i, c in enumerate(cells) if i != col)
        if any(day in others for day in days):
            return col
    return None


def test_dated_keys_answer_as_the_day_by_day_search() -> None:
    days = _days(4)
    for after in (
        ["none"] * 4,
        ["none", days[0], "none", "none"],
        ["none", "none", "2025-07-" + days[1], "none"],  # (a day inside another date's digits)
        ["none", "x" + days[3] + "1", "none", "none"],
        ["none", "1000-01-0", "none", "none"],
    ):
        text = _dated_table(days, after)
        assert dated_key_column(tables(Document("s.md", text))[0]) == _old_dated_key_column(text)


def test_a_table_of_many_dates_is_read_in_linear_time() -> None:
    """30,000 days none of the other cells names: each day was searched for in 1 MB of cells (seconds)."""
    n = 30_000
    t = tables(Document("s.md", _dated_table(_days(n), ["none"] * n)))[0]
    assert _within(2.0, dated_key_column, t) is None


def test_a_board_of_cards_sharing_a_title_is_read_in_linear_time() -> None:
    """20,000 cards titled `x` are `x`, `x-2`, … `x-20000`: each key was walked up from `x-2`."""
    rows = "".join("| x | |\n" for _ in range(20_000))
    text = f"# Board\n\n| To do | Done |\n|---|---|\n| x-3 | |\n{rows}"
    sessions = _within(6.0, read_document, Document("board.md", text))[0].sessions
    keys = [s.key for s in sessions]
    assert keys[:5] == ["x-3", "x", "x-2", "x-4", "x-5"] and keys[-1] == "x-20001" and len(set(keys)) == len(keys)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 30), st.integers(0, 6)), max_size=8), st.integers(0, 30), st.integers(0, 6))
def test_overlap_test_is_any_over_the_spans(spans: list[tuple[int, int]], start: int, width: int) -> None:
    found = [(s, s + w, Status.DONE, False) for s, w in spans]
    end = start + width
    assert _overlap_test(found)(start, end) == any(f[0] < end and start < f[1] for f in found)


def test_a_line_of_legend_words_and_marks_is_read_in_linear_time() -> None:
    """`*Feito* = feito x. …` 20,000 times (legend words, each beside a mark) on one line: every mark was
    checked against every legend word."""
    line = " ".join(f"*Term{chr(97 + i % 26)}* = feito x." for i in range(20_000))
    legend = f"- *Backlog* = ideias. {line}\n- *Feito* = feito\n- *Bloqueado* = bloqueado\n"
    text = f"# T\n\n{legend}\n- [ ] T1 x\n- [ ] T2 y\n"
    sessions = _within(6.0, read_document, Document("t.md", text))[0].sessions
    assert [s.title for s in sessions] == ["T1 x", "T2 y"]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="(1 ,a)-", max_size=30), st.lists(st.integers(0, 30), max_size=6))
def test_opens_brackets_is_the_fullmatch_back_to_the_bracket(text: str, positions: list[int]) -> None:
    opens = OpensBrackets(text)
    for at in [min(p, len(text)) for p in positions]:  # (in any order: a step back asks the text again)
        assert opens(at) == (_NUMBERS_ONLY_RE.fullmatch(text, text.rfind("(", 0, at) + 1, at) is not None)


def test_a_bracket_of_many_numbers_is_read_in_linear_time() -> None:
    """`after (0 1 2 … 20000)`: each number was read back to the bracket."""
    text = "after (" + " ".join(map(str, range(20_000))) + ")"
    refs = _within(3.0, lambda: parse_refs(text, KeyIndex(["1", "2", "3"]), prose=True))
    assert refs is not None


_LAZY_INLINE_TERM_RE = re.compile(  # (``legend._INLINE_TERM_RE`` as it was: its meaning lazy)
    r"(?P<em>\*\*|__|\*|_)(?P<word>[^\W\d_][^*_\n]{0,28})(?P=em)\s*(?:[—–:=]|-\s)\s*(?P<meaning>[^*_\n]+?)(?=\s*(?:[*_]|$))"
)


@settings(max_examples=500, deadline=None)
@given(
    st.lists(
        st.sampled_from(["*A*", "_B_", "**C**", " = ", " - ", "x", " ", "  ", "\n", "*", "y z", ":"]), max_size=40
    ).map("".join)
)
def test_inline_terms_read_as_the_lazy_meaning(text: str) -> None:
    lazy = [(m.span("word"), m.group("meaning")) for m in _LAZY_INLINE_TERM_RE.finditer(text)]
    assert [(m.span("word"), _inline_meaning(m)) for m in _INLINE_TERM_RE.finditer(text)] == lazy


def test_an_inline_term_over_a_long_run_of_blanks_is_read_in_linear_time() -> None:
    """`*B* = x` and 20,000 blanks: the lazy meaning asked the lookahead again at every blank (3 s)."""
    ms = _within(0.5, lambda: list(_INLINE_TERM_RE.finditer("*B* = x" + " " * 20_000 + "y")))
    assert [(m.group("word"), _inline_meaning(m)) for m in ms] == [("B", "x" + " " * 20_000 + "y")]


_LAZY_PAIR_RE = re.compile(  # (``legend._PAIR_RE`` as it was: its meaning any lazy run, blanks after it)
    rf"(?P<mark>{MARK})\s*(?:[=:：]|[-–—]\s)?\s*(?P<meaning>[^|｜·•,，、;；/／=\n]+?)\s*(?=[|｜·•,，、;；/／]|{MARK}|$)"
)


_ANYWHERE_QUANTITY_RE = re.compile(  # (``ref_markers.QUANTITY_RE`` as it was: a CJK unit's number from any digit)
    r"\b\d+(?:\.\d+)?\s*(?:%|(?:h|hrs?|hours?|d|days?|w|weeks?|mins?|minutes?|pts?|points?|sp|files?|tasks|"
    r"attempts?|tries|retries|times|runs|rounds)\b)"
    r"|\d+\s*(?:초|秒|분|分钟|小时|時間|시간|天|일|日|周|週|주|个月|ヶ月|개월|次|회|번)"
    r"|\b(?:week|wk|kw|woche|semaine|semana|settimana|tydzień)\s+\d+\b",
    re.IGNORECASE,
)


@settings(max_examples=2000, deadline=None)
@given(
    st.lists(
        st.sampled_from(["1", "2", "٣", ".", " ", "초", "次", "日", "h", "x", "%", "week", "周", "-"]), max_size=14
    ).map("".join)
)
def test_quantities_are_found_where_they_were(text: str) -> None:
    assert [m.span() for m in QUANTITY_RE.finditer(text)] == [m.span() for m in _ANYWHERE_QUANTITY_RE.finditer(text)]


def test_a_long_run_of_digits_is_scanned_for_quantities_in_linear_time() -> None:
    """20,000 digits: every digit was a place `30초` could start, read to the run's end (8 s)."""
    assert _within(0.5, QUANTITY_RE.sub, " ", "1" * 20_000 + "x 3초") == "1" * 20_000 + "x  "


_LEGEND_PIECES = ["✅", "🚧", "\ufe0f", " ", "\t", "\u3000", "\n", "|", "·", "；", ",", "=", ":", "-", "—", "a", "é"]


@settings(max_examples=2000, deadline=None)
@given(st.lists(st.sampled_from([*_LEGEND_PIECES, "ok", "済", "[", "]", "【", "】", "/"]), max_size=16).map("".join))
def test_legend_pairs_read_as_the_lazy_meaning(text: str) -> None:
    lazy = [(m.span(), m.group("mark"), m.group("meaning")) for m in _LAZY_PAIR_RE.finditer(text)]
    assert [(m.span(), m.group("mark"), m.group("meaning")) for m in _PAIR_RE.finditer(text)] == lazy


def test_a_legend_pair_before_a_long_run_of_blanks_is_read_in_linear_time() -> None:
    """`✅ done` and 20,000 blanks before `é`: the lazy meaning was tried at every blank for every
    end of the run (8 s)."""
    ms = _within(0.5, lambda: list(_PAIR_RE.finditer("✅ done" + " " * 20_000 + "é")))
    assert [(m.group("mark"), m.group("meaning")) for m in ms] == [("✅", "done" + " " * 20_000 + "é")]
    assert _pairs("✅ done" + " " * 20_000 + "é") == ([("✅", Status.DONE)], 1)


@settings(max_examples=1000, deadline=None)
@given(
    st.lists(
        st.sampled_from(["a", "1", "-", ".", "/", "_", "#", " ", "Э", "é", "(", ":", "٣", "K3/4"]), max_size=20
    ).map("".join),
    st.booleans(),
)
def test_tokens_are_the_lookahead_regex_matches(text: str, slashed: bool) -> None:
    rx = _SLASHED_TOKEN_RE if slashed else _TOKEN_RE
    assert [m.span(1) + m.span(2) for m in key_tokens(text, slashed)] == [
        m.span(1) + m.span(2) for m in rx.finditer(text)
    ]


def test_a_run_of_dots_holds_no_token_in_linear_work() -> None:
    """20,000 `.` (or `./`, in a document of `K3/4` keys): the lookahead read on to the run's end from each."""
    assert _within(0.5, key_tokens, "." * 20_000, True) == []
    assert _within(0.5, key_tokens, "./" * 20_000, False) == []
    assert [m.group(2) for m in _within(0.5, key_tokens, "a.." * 10_000 + "1", True)] == ["a"] * 10_000 + ["1"]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from([*" \n\t\u00a0*_`~.!()[]（）a1✅", "(a)", "[x]", "（注）"]), max_size=20).map("".join))
def test_trailing_brackets_start_where_the_pattern_matches(t: str) -> None:
    at = Context(t, phrases._blank_char)
    for e in [*range(len(t), -1, -1), *range(len(t) + 1)]:
        m = TRAILING_PARENS_RE.search(t, e)
        assert at.parens_start(e) == (m.start() if m else len(t))


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=" \t\n\u00a0#a", max_size=12))
def test_heading_text_is_the_closing_hashes_removed(s: str) -> None:
    assert heading_text(s) == re.sub(r"\s+#+\s*$", "", s).rstrip()


def test_a_status_mark_and_many_trailing_blanks_are_read_in_linear_time() -> None:
    """A heading and an item ending `✅` and 40,000 blanks: the trailing-bracket pattern was searched from
    each blank, and the heading's closing `#`s too (each over 3 s, 12 s at 40,000 in a fresh process)."""
    text = f"# Plan\n\n## Phase 1 ✅{' ' * 40_000}\n\n- [ ] T1 Ship ✅{' ' * 40_000}\n- [ ] T2 Test\n"
    sessions = _within(1.0, read_document, Document("plan.md", text))[0].sessions
    assert [(s.title, s.status) for s in sessions] == [("Phase 1", Status.DONE)]  # (as read with one blank)


_LAZY_INLINE_STATUS_RE = re.compile(  # (``bullet_labels.INLINE_STATUS_RE`` as it was: `\s*` first, value lazy)
    r"\s*(?:[—–|·;,]|\s-)\s*\**(?P<label>[^\W\d_][^\W\d_ ]*(?:\s[^\W\d_]+)?)\**\s*[:：]\**\s*"
    r"(?P<value>[^—–|;·(\[]+?)\s*(?=$|[—–|;·(\[]|\s-\s)"
)
_OLD_SUMMARY_LABEL = re.compile(
    r"^\s*(?:[-*+]\s+)?(?:\*\*|__)?(?P<label>[A-Za-z][A-Za-z ]{1,40}?)\s*(?::\s*(?:\*\*|__)|(?:\*\*|__)?\s*:)\s*",
)
_FIELD_PIECES = [*" \t\n-—–|·;,*:：([a1_é", " - ", "status", "ab cd", "**", "__", "  "]


@settings(max_examples=1000, deadline=None)
@given(st.lists(st.sampled_from(_FIELD_PIECES), max_size=20).map("".join))
def test_inline_status_fields_match_as_the_lazy_pattern(text: str) -> None:
    def spans(ms: object) -> list[tuple[tuple[int, int], ...]]:
        return [(m.span(), m.span("label"), m.span("value")) for m in ms]  # type: ignore[attr-defined]

    assert spans(INLINE_STATUS_RE.finditer(text)) == spans(_LAZY_INLINE_STATUS_RE.finditer(text))
    for rx, old in ((INLINE_STATUS_RE, _LAZY_INLINE_STATUS_RE), (_SUMMARY_LABEL, _OLD_SUMMARY_LABEL)):
        m, o = rx.search(text), old.search(text)
        assert (m and (m.span(), m.groupdict())) == (o and (o.span(), o.groupdict()))


def test_status_fields_over_long_runs_of_blanks_are_read_in_linear_time() -> None:
    r"""20,000 blanks before a separator, inside a field's value or after a summary label: `\s*` from each
    blank, and the lazy value asking `\s*` on at each blank (each line seconds to tens of seconds)."""
    blanks = " " * 20_000
    assert _within(0.5, lambda: list(INLINE_STATUS_RE.finditer(blanks + "x: y"))) == []
    ms = _within(0.5, lambda: list(INLINE_STATUS_RE.finditer(f"- P | status: doing{blanks}now")))
    assert [(m.group("label"), m.group("value")) for m in ms] == [("status", f"doing{blanks}now")]
    items = f"- Lexer | status: done\n- Checker | status: todo\n- Parser | status: doing{blanks}now\n"
    text = f"# Plan\n\n{items}- Linker{blanks}x | status: done\n"
    sessions = _within(1.0, read_document, Document("plan.md", text))[0].sessions
    assert [s.status for s in sessions] == [Status.DONE, Status.PLANNED, Status.IN_PROGRESS, Status.DONE]


def _old_split_range(index: KeyIndex, tok: str, add: object) -> bool:
    """``split_range`` as it was: each side of each `-` resolved as a copy."""
    for i, ch in enumerate(tok):
        if ch == "-":
            a = index.resolve(tok[:i]) or index.resolve(UNIT_WORD_PREFIX_RE.sub("", tok[:i]))
            if a is not None and key_range(index, a, tok[i + 1 :], add):  # type: ignore[arg-type]
                return True
    return False


_KEY_SETS = [
    ["K1", "K2", "K3"],
    ["K3", "K1", "K2"],
    ["1", "2", "3"],
    ["VS-001", "VS-002", "VS-004"],
    ["1.1", "1.2", "2.1"],
    ["P6-2", "P6-3", "P6-4"],
    ["K1/4", "K2/4", "K3/4"],
    ["a-b", "A1", "a1-2", "step-1"],
    ["#12", "İ1", "Σ2"],
]
_TOKEN_PIECES = ["-", "--", "1", "2", "3", "0", "00", "K", "k", "#", ".", "/", "_", "a", "Step-", "VS", "P6", "İ", "٣"]


@settings(max_examples=1500, deadline=None)
@given(st.sampled_from(_KEY_SETS), st.lists(st.sampled_from(_TOKEN_PIECES), min_size=1, max_size=18).map("".join))
def test_split_range_resolves_as_the_copies(keys: list[str], tok: str) -> None:
    index = KeyIndex(keys)
    want: list[str] = []
    old = _old_split_range(index, tok, want.append)
    with mock.patch.object(ref_ranges, "_SHORT_TOKEN", 0):  # (the parts read from the token, however short)
        got: list[str] = []
        assert (split_range(index, tok, got.append), got) == (old, want)


def test_a_long_token_of_dashes_in_a_slashed_document_is_read_in_linear_time() -> None:
    """`1-1-…-1` of 20,000 characters (or `K1/4-K1/4-…`, `a-a-…-1`) against `K3/4` keys: each side of each `-`
    resolved as a copy of the token (16 s, 6 s and 2 s in a fresh process)."""
    index = KeyIndex(["K1/4", "K2/4", "K3/4"])
    for tok in ("1-" * 10_000, "K1/4-" * 4_000, "a-" * 10_000 + "1"):
        assert _within(1.0, lambda t=tok: parse_refs(f"needs {t}", index, prose=True)) is not None
    rows = "| K1/4 | a | todo | none |\n| K2/4 | b | todo | K1/4 |\n| K3/4 | c | todo | K2/4 |\n"
    head = "| Key | Work | Status | Depends on |\n|---|---|---|---|\n"
    text = f"# T\n\n{head}{rows}| K4/4 | d | todo | {'1-' * 10_000} |\n"
    sessions = _within(1.0, read_document, Document("t.md", text))[0].sessions
    assert [s.key for s in sessions] == ["K1/4", "K2/4", "K3/4", "K4/4"]


BIG = "9" * 5000


@pytest.mark.parametrize(
    ("text", "line"),
    [
        (f"# P\n\n| ID | Task | Status | Depends |\n|---|---|---|---|\n| 1 | A | done | |\n| 2 | B | x | {BIG} |\n", 6),
        (f"# P\n\n- [ ] T1 Build\n- [ ] T2 Test (depends on T{BIG})\n", 4),
        (f"# Log\n\n## Step 1 — a\nStatus: done\n\n## Step 2 — b\nAfter step {BIG}.\n", 7),
    ],
)
def test_a_number_longer_than_python_reads_is_the_documents_error_at_its_line(text: str, line: int) -> None:
    """Python reads a number of at most 4,300 digits (longer ones take square time); the reading stopped with
    Python's own ValueError and a traceback."""
    with pytest.raises(TrackerError, match=rf"^big\.md:{line}: a number of 5,000 digits; .* up to 4,300 digits"):
        read_document(Document("big.md", text))


def test_a_number_of_as_many_digits_as_python_reads_is_read() -> None:
    key = "9" * 4300
    text = f"# P\n\n| ID | Task | Status | Depends |\n|---|---|---|---|\n| 1 | A | done | |\n| {key} | B | todo | 1 |\n"
    sessions = read_document(Document("big.md", text))[0].sessions
    assert [(s.key, s.prerequisites) for s in sessions] == [("1", []), (key, ["1"])]
