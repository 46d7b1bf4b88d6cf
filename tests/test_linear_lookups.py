"""Lookups that replaced a scan of every unit or heading (a plan has thousands) answer as the scans did.

- ``Outline.chain``: the headings over a line, found once per heading, against the walk up the parents;
- ``heading_results._within``: the problems some unit's lines hold, by bisection, against ``any`` over units;
- ``numbered_siblings``: whether another candidate starts inside a heading's section, by bisection.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from syncbot.model import Problem, Session, Severity, Status
from syncbot.readers import load_document
from syncbot.readers.common import Document
from syncbot.readers.heading_numbers import Candidate, numbered_siblings, numbering, numberings
from syncbot.readers.heading_results import _within
from syncbot.readers.outline import Outline, outline
from syncbot.readers.phrases import Phrase
from syncbot.readers.structure import Heading

HERE = Path(__file__).parent


def _walk(ol: Outline, line: int) -> list[Heading]:
    """The headings whose sections contain ``line``, as ``enclosing`` found them before: up the parents."""
    n: int | None = max((i for i, h in enumerate(ol.headings) if h.line <= line), default=-1)
    out: list[Heading] = []
    while n is not None and n >= 0:
        if ol.headings[n].end_line >= line:
            out.append(ol.headings[n])
        n = ol._parents[n]
    return out[::-1]


def _documents() -> list[Path]:
    return sorted(p for p in (HERE / "fixtures").rglob("*.md") if p.is_file())[::7]  # a spread of every set


@pytest.mark.parametrize("path", _documents(), ids=lambda p: p.name)
def test_chain_is_the_walk_up_the_parents(path: Path) -> None:
    ol = outline(load_document(path))
    for line in range(1, len(ol.doc.lines) + 1):
        assert list(ol.chain(line)) == _walk(ol, line) == ol.enclosing(line)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 4), st.integers(0, 3)), max_size=25))
def test_chain_on_generated_outlines(spec: list[tuple[int, int]]) -> None:
    """Headings of any levels, each over a few lines of text (and `---` rules, which end nothing)."""
    lines = ["Intro"]
    for level, body in spec:
        lines += ["#" * level + f" H{len(lines)}", *(["text"] * body)]
    ol = outline(Document("g.md", "\n".join(lines) + "\n"))
    for line in range(1, len(lines) + 1):
        assert list(ol.chain(line)) == _walk(ol, line)


_SPAN = st.tuples(st.integers(1, 60), st.integers(-5, 30))


@settings(max_examples=300, deadline=None)
@given(st.lists(_SPAN, max_size=20), st.lists(st.integers(0, 90), max_size=20))
def test_within_is_any_over_units(spans: list[tuple[int, int]], lines: list[int]) -> None:
    sessions = [
        Session(key=f"u{n}", title="t", status=Status.PLANNED, status_text="", line=a, end_line=a + d)
        for n, (a, d) in enumerate(spans)
    ]
    problems = [Problem(line, Severity.WARNING, "x") for line in lines]
    want = [p for p in problems if any(s.line <= p.line <= s.end_line for s in sessions)]
    assert _within(problems, sessions) == want


def _naive_siblings(cands: list[Candidate], unstated: list[Candidate]) -> list[Candidate]:
    shared = numberings([c for c in cands if c.phrases or c.field_status])
    if not shared:
        return cands
    more = [
        c
        for c in unstated
        if numbering(c) in shared
        and not any(
            o.heading.line != c.heading.line and c.heading.line < o.heading.line <= c.heading.end_line
            for o in cands + unstated
        )
    ]
    return sorted(cands + more, key=lambda c: c.heading.line) if more else cands


_CAND = st.tuples(st.integers(1, 40), st.integers(0, 12), st.integers(2, 3), st.booleans(), st.booleans())


@settings(max_examples=300, deadline=None)
@given(st.lists(_CAND, max_size=16))
def test_numbered_siblings_as_the_scan_found_them(spec: list[tuple[int, int, int, bool, bool]]) -> None:
    cands: list[Candidate] = []
    unstated: list[Candidate] = []
    for line, reach, level, stated, dotted in spec:
        h = Heading(level, line, line + reach, "t")
        phrases = [Phrase(0, 1, Status.DONE, "trail", False)] if stated else []
        c = Candidate(h, phrases, "t", "t", "number", "1.2" if dotted else "3")
        (cands if stated else unstated).append(c)
    got = numbered_siblings(cands, unstated)
    assert [id(c) for c in got] == [id(c) for c in _naive_siblings(cands, unstated)]


def test_a_log_line_of_many_kind_words_is_read_in_linear_work() -> None:
    """`#1 Schritt 1 erledigt #2 Schritt 2 erledigt …`: each hit of a kind word was checked against every token
    hit of the line (4,000 of each: 0.6 s, sixteen times that for four times the line).  Bisection now, and the
    hits are those the pass over them all found."""
    import itertools
    import random
    import time

    from syncbot.readers.log_keys import LogKeys

    def hits(n: int) -> tuple[list[tuple[int, int, str]], float]:
        keys = LogKeys([str(i) for i in range(1, n + 1)], {"schritt"})
        line = " ".join(f"#{i} Schritt {i} erledigt" for i in range(1, n + 1))
        started = time.process_time()
        found = keys.hits(line)
        return found, time.process_time() - started

    small, large = hits(4_000), hits(16_000)
    assert len(large[0]) == 32_000 and large[1] / max(small[1], 1e-3) < 9
    rng = random.Random(5)
    keys = LogKeys(["1", "2", "3.1", "S-1", "Schritt-2"], {"schritt", "step"})
    words = ["#1", "#2", "Schritt 1", "Schritt 2", "Schritt-2", "S-1", "step 3.1", "erledigt", "#Schritt 2", "x"]
    for _ in range(2_000):
        line = " ".join(rng.choice(words) for _ in range(rng.randint(1, 8)))
        found = keys.hits(line)
        assert found == sorted(found) and all(a[1] <= b[0] for a, b in itertools.pairwise(found)), line
