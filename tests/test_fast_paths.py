"""Fast paths answer exactly as the slower ones they stand in front of, on the cases that come closest to
fooling them: cheap checks that keep a long document from being scanned for what it cannot hold, and work
done once per document that several readers ask for."""

from __future__ import annotations

import re

import pytest

from syncbot.model import Session, Status
from syncbot.readers import _best, _evidence
from syncbot.readers.common import _MOJIBAKE_MARKERS, Document, ReadResult, detect_mojibake
from syncbot.readers.dep_revisions import _ANY_RE, _ANY_WORDS
from syncbot.readers.fields import fields_in
from syncbot.readers.joined import score
from syncbot.readers.key_shapes import slug_shaped
from syncbot.readers.outline import Outline
from syncbot.readers.phrases import is_deco
from syncbot.readers.status_headings import analyse
from syncbot.readers.structure import prose_lines
from syncbot.readers.task_roadmap import phase_of
from syncbot.readers.task_units import _LEADING_SEP_RE, blank_lead, blank_out
from syncbot.readers.titles import _DECO_TO_SPACE, _clean_title


@pytest.mark.parametrize(
    "text",
    [
        "plain text, ✅ done, 🚧 doing",
        "über alles; √2; ‚quoted‘",  # the markers' first characters alone
        "Status: ‚úÖ Done",  # a check mark read as Mac Roman
        "√© caf√©",
        "ü",
        "‚",
        "",
    ],
)
def test_mojibake_is_told_as_by_every_marker(text: str) -> None:
    """No marker: no mojibake; a marker: the whole text decides, as before any check of its first characters."""
    if not any(m in text for m in _MOJIBAKE_MARKERS):
        assert detect_mojibake(text) is False
    else:
        assert detect_mojibake(text) == (text.encode("mac_roman").decode("utf-8") != text)


@pytest.mark.parametrize(
    "text",
    [
        "P2 AHORA DEPENDE DE P1",
        "P2 agora  depende do P1",
        "P2 DÉPEND MAINTENANT DE P1",
        "P2 Hängt\tjetzt von P1 ab",
        "P2 HÄNGT JETZT VON P1",
        "depende; dépendance; hängte",  # the words without the rest
        "nothing of the kind",
    ],
)
def test_a_revision_in_another_language_is_not_skipped(text: str) -> None:
    """A text `_ANY_RE` matches holds one of `_ANY_WORDS` once lower-cased, in any case it is written."""
    if _ANY_RE.search(text):
        assert any(w in text.lower() for w in _ANY_WORDS)


@pytest.mark.parametrize(
    "key",
    ["ups-for-the-rack", "32-gb-ram-kit-for-the-ds923", "a-b", "ab-cd", "x-y-z", "1-2-3", "VS-001", "Ab-cd-ef", "12"],
)
def test_a_key_with_fewer_than_two_hyphens_is_no_slug(key: str) -> None:
    slow = key == key.lower() and sum(bool(re.search(r"[^\W\d_]", p)) for p in key.split("-")) >= 3
    assert slug_shaped(key) is slow


_FIELDS = """# Plan

## Step 1: Setup

**Status:** Done · **Depends on:** nothing
Owner: Ana (ticket 12). **Blocks:** Step 2

## Step 2: Build

- Status: doing
- Depends on: Step 1
"""


def test_the_fields_of_a_line_are_the_same_whoever_asks_first() -> None:
    """The sections and thread readers ask for the same sections' fields; a line's fields are read once a
    document, and any range asked, in any order, gets what a fresh document gives for it alone."""
    ranges = [(4, 6), (1, 11), (9, 11), (5, 5), (4, 11)]
    shared = Document("plan.md", _FIELDS)
    for first, last in [*ranges, *reversed(ranges)]:
        fresh = Document("plan.md", _FIELDS)
        expected = fields_in(fresh, first, last, prose_lines(fresh))
        assert fields_in(shared, first, last, prose_lines(shared)) == expected
    names = [f.name for f in fields_in(shared, 1, 11, prose_lines(shared))]
    assert names == ["status", "depends on", "owner", "blocks", "status", "depends on"]


@pytest.mark.parametrize(
    "rest",
    [
        " Implement part 2",
        "   Title",
        "Title",
        "",
        " ",
        "\tTitle",
        "  \tTitle",
        " \u00a0Title",
        " : Title",
        " — Title",
        ":Title",
        ") Title",
        "  ). Title",
        " -Title",
        "–",
        "  x - y",
    ],
)
def test_an_item_rest_is_blanked_as_the_pattern_blanks_it(rest: str) -> None:
    assert blank_lead(rest) == blank_out(_LEADING_SEP_RE, rest)


_PHASES = """# Plan

## Phase 1: Setup

- [ ] a
- [ ] b

### Stage 1.1

- [ ] c

## Notes

- [ ] d

### Phase 2 (stage)

- [ ] e
"""


def test_the_phase_of_a_line_is_the_same_however_often_and_in_what_order_asked() -> None:
    lines = range(1, len(_PHASES.splitlines()) + 1)
    shared = Outline(Document("plan.md", _PHASES))
    for line in [*lines, *reversed(lines), *lines]:
        assert phase_of(shared, line) == phase_of(Outline(Document("plan.md", _PHASES)), line), line
    assert phase_of(shared, 5) == "Phase 1: Setup" and phase_of(shared, 18) == "Phase 2 (stage)"


def _reading(name: str, units: int, confidence: float, evidence: int) -> ReadResult:
    sessions = [Session(key=f"{name}{i}", title="t", status=Status.PLANNED, status_text="") for i in range(units)]
    sessions[0].prerequisites = ["x"] * evidence
    return ReadResult(reader=name, sessions=sessions, confidence=confidence)


@pytest.mark.parametrize(
    "readings",
    [
        [("a", 4, 0.5, 0), ("b", 2, 1.0, 3), ("c", 3, 0.2, 9)],  # a tie on score, broken by evidence
        [("a", 2, 1.0, 1), ("b", 4, 0.5, 1), ("c", 1, 1.0, 5)],  # a tie on score and evidence: the first
        [("a", 3, 0.1, 0), ("b", 1, 0.9, 0), ("c", 2, 0.3, 2)],  # no tie
        [("a", 3, 1 / 3, 0), ("b", 1, 1.0, 1)],  # equal once rounded
    ],
)
def test_the_best_reading_is_the_first_of_the_highest_score_and_evidence(readings: list[tuple]) -> None:
    results = [_reading(*r) for r in readings]
    assert _best(results) is max(results, key=lambda r: (round(score(r), 6), _evidence(r)))


def test_an_ascii_title_is_translated_only_when_it_holds_a_caret_or_a_backtick() -> None:
    """`_clean_title` skips the translation of decoration for ASCII text without `^` or `` ` ``: the only ASCII
    characters `is_deco` blanks, so the translation leaves every other one as it is."""
    assert "".join(c for c in map(chr, range(128)) if is_deco(c)) == "^`"
    rest = "".join(c for c in map(chr, range(128)) if c not in "^`")
    assert rest.translate(_DECO_TO_SPACE) == rest
    assert _clean_title.__wrapped__("x^2 `code` ✅") == "x 2 code"


_PHASE_UNITS = """# Plan

## Phase A — Build

### ✅ Phase 1: Schema
- [x] tables

### 🚧 Step 2: API
- [ ] routes
"""


def test_a_phase_is_under_no_phase_and_a_step_is_under_its_phase() -> None:
    units = analyse(Document("plan.md", _PHASE_UNITS)).heading_units
    assert [(u.title, u.phase) for u in units] == [("Schema", None), ("API", "Phase A — Build")]
