"""The prefix guard in front of the dependency markers (`readers/regex_guard.py`) changes no match:
`ref_markers.MARKER_RE` finds the same matches, spans and groups as the same pattern without the guard, on every
fixture and on generated texts; and the guard is what `prefix_guard` promises for odd alternations."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from syncbot.readers import ref_markers
from syncbot.readers.container_names import container_pattern
from syncbot.readers.key_index import KeyIndex
from syncbot.readers.regex_guard import first_guard, literal_guard, prefix_guard

ROOT = Path(__file__).parent.parent
DOCS = sorted(
    p
    for folder in (ROOT / "tests" / "fixtures", ROOT / "tests" / "golden", ROOT / "examples")
    for p in folder.glob("**/*")
    if p.suffix in (".md", ".txt") and p.is_file()
)
UNGUARDED = re.compile(ref_markers.MARKER_RE.pattern.replace(ref_markers._MARKER_GUARD, "", 1), re.IGNORECASE)
PARALLEL_UNGUARDED = re.compile(ref_markers.PARALLEL, re.IGNORECASE)


def _matches(rx: re.Pattern[str], text: str) -> list[tuple[tuple[int, int], str | None]]:
    return [(m.span(), m.lastgroup) for m in rx.finditer(text)]


def test_the_guard_is_in_use() -> None:
    assert len(ref_markers._MARKER_GUARD) > 200 and ref_markers._MARKER_GUARD in ref_markers.MARKER_RE.pattern
    assert UNGUARDED.pattern != ref_markers.MARKER_RE.pattern


@pytest.mark.parametrize("which", ["markers", "parallel work"])
@pytest.mark.parametrize("path", DOCS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_same_matches_in_every_document(path: Path, which: str) -> None:
    """The guarded pattern (dependency markers; the parallel-work words) finds what the unguarded one does."""
    guarded, unguarded = {
        "markers": (ref_markers.MARKER_RE, UNGUARDED),
        "parallel work": (ref_markers.PARALLEL_RE, PARALLEL_UNGUARDED),
    }[which]
    text = path.read_text(encoding="utf-8", errors="replace")
    assert _matches(guarded, text) == _matches(unguarded, text)


def test_same_matches_in_generated_text() -> None:
    rnd = random.Random(5)
    m = ref_markers
    alternations = (
        m._FORWARD, m._INVERSE, m._AFTER_WORDS, m._AFTER_INVERSE, m._RELATED, m._AFTER_RELATED,
        m._INVERSE_CJK, m._FORWARD_CJK, m._AFTER_CJK,
    )  # fmt: skip
    words = re.findall(r"[^|()?\\\[\]:+*]+", "|".join(alternations))
    pieces = [*words, " ", "  ", "\n", "-", "_", ":", "T3", "#4", "✅", "前", "—", "後", "x", "İ", "ı", "É", "(", ")"]
    for _ in range(400):
        text = "".join(rnd.choice(pieces) for _ in range(30))
        for t in (text, text.upper(), text.title()):
            assert _matches(ref_markers.MARKER_RE, t) == _matches(UNGUARDED, t), t


@pytest.mark.parametrize(
    ("alternation", "matches", "misses"),
    [
        (r"blocked\s+(?:on|by)|blocks?|after", ["blocked on", "block", "after"], ["bl", "lock", "afte"]),
        (r"prerequisites?\s*:|(?:pre|post)reqs?", ["prerequisite:", "prereq", "postreq"], ["pr", "req"]),
        (r"x+y|bloqué[e]?", ["xxy", "bloqué"], ["y", "bloqu"]),
    ],
)
def test_prefix_guard(alternation: str, matches: list[str], misses: list[str]) -> None:
    guard = re.compile(f"(?={prefix_guard(alternation)})")
    for m in matches:
        assert re.match(alternation, m) and guard.match(m), m
    for m in misses:
        assert not guard.match(m), m


@pytest.mark.parametrize("alternation", [r"\s*after", r"a?b", r".x|y", r"after|(?:x|\w)z"])
def test_no_guard_when_some_alternative_starts_with_no_literal(alternation: str) -> None:
    assert prefix_guard(alternation) == ""


def test_literal_guard() -> None:
    guard = re.compile(f"(?:{literal_guard(['Phase', 'Part', 'Ph', 'C'])})", re.IGNORECASE)
    assert [bool(guard.match(t)) for t in ("phase 2", "PART", "Pha", "c.", "Step")] == [True, True, True, True, False]
    assert literal_guard(["Phase", ""]) == "" and literal_guard([]) == ""


def test_containers_found_as_without_the_guard() -> None:
    containers = {f"Phase {k}": [str(k)] for k in range(1, 40)}
    containers |= {"Store Layer": ["1"], "C": ["2"], "二、稳定性保障": ["3"], "User Story 1": ["4"], "US1": ["5"]}
    index = KeyIndex([str(k) for k in range(1, 40)], containers)
    guarded = index._container_re
    assert guarded is not None and guarded.pattern.startswith("(?=")
    names = sorted(containers, key=len, reverse=True)
    plain = re.compile("|".join(f"(?P<c{i}>{container_pattern(n)})" for i, n in enumerate(names)), re.IGNORECASE)
    rnd = random.Random(2)
    pieces = [*containers, "phase", "PHASE 3", "after ", "c", "C-1", " ", ", ", "store layer", "二、", "us1", "3"]
    for _ in range(500):
        text = "".join(rnd.choice(pieces) for _ in range(12))
        assert _matches(guarded, text) == _matches(plain, text), text


def test_the_parallel_work_pattern_is_guarded_by_its_first_characters() -> None:
    assert ref_markers.PARALLEL_RE.pattern.startswith("(?=[") and "(?=)" not in ref_markers.PARALLEL_RE.pattern


def test_parallel_work_same_matches_in_generated_text() -> None:
    rnd = random.Random(9)
    pieces = ["parallel", "the ", "a ", "concurrent", "ſimultaneous", "Alongside", "병렬", "並行", " ", "x", "P"]
    for _ in range(400):
        text = "".join(rnd.choice(pieces) for _ in range(12))
        for t in (text, text.upper(), text.title()):
            assert _matches(ref_markers.PARALLEL_RE, t) == _matches(PARALLEL_UNGUARDED, t), t


@pytest.mark.parametrize(
    ("alternation", "guard"),
    [
        (r"(?<!\bthe )parallel|concurrent", "[cp]"),
        (r"blocked\s+on|\s*after", ""),  # an alternative that may start with nothing literal: no guard
        (r"(?:pre|post)reqs?|依赖", "[p依]"),
    ],
)
def test_first_guard(alternation: str, guard: str) -> None:
    assert first_guard(alternation) == guard
