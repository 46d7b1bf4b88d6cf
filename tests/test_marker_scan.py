"""The dependency-marker pattern (`refs.MARKER_RE`) is laid out for scanning whole documents; it finds exactly
the matches (spans and groups) of the plain layout, each group with its own word boundary, in the order of
preference the groups are declared in."""

from __future__ import annotations

import random
import re
import sys
from pathlib import Path

import pytest

from syncbot.readers import refs

ROOT = Path(__file__).parent.parent
DOCS = sorted(
    p
    for folder in (ROOT / "tests" / "fixtures", ROOT / "tests" / "golden", ROOT / "examples")
    for p in folder.glob("**/*")
    if p.suffix in (".md", ".txt") and p.is_file()
)

PLAIN = re.compile(
    rf"(?:(?<![\w-])(?P<rel>{refs._RELATED})(?![\w-])|(?<![\w-])(?P<postrel>{refs._AFTER_RELATED})(?![\w-])"
    rf"|(?<![\w-])(?P<inv>{refs._INVERSE})(?![\w-])|(?<![\w-])(?P<fwd>{refs._FORWARD})(?![\w-])"
    rf"|(?P<cjk>{refs._FORWARD_CJK})|(?P<post>{refs._AFTER_CJK})|(?<![\w-])(?P<postw>{refs._AFTER_WORDS})(?![\w-])"
    rf"|(?<![\w-])(?P<postinv>{refs._AFTER_INVERSE})(?![\w-]))\s*:?",
    re.IGNORECASE,
)


def _matches(rx: re.Pattern[str], text: str) -> list[tuple[tuple[int, int], dict[str, str | None]]]:
    return [(m.span(), m.groupdict()) for m in rx.finditer(text)]


def test_markers_moved_ahead_start_with_other_characters_than_cjk_markers() -> None:
    moved = set(refs._first_chars(refs._AFTER_WORDS, refs._AFTER_INVERSE))
    assert not moved & set(refs._CJK_FIRST)


@pytest.mark.parametrize("path", DOCS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_document_scans_the_same(path: Path) -> None:
    text = path.read_text(encoding="utf-8", errors="replace")
    assert _matches(refs.MARKER_RE, text) == _matches(PLAIN, text)


def test_generated_trackers_scan_the_same() -> None:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import shapes

    for gen in shapes.SHAPES.values():
        text = gen(300, random.Random(7))
        assert _matches(refs.MARKER_RE, text) == _matches(PLAIN, text)


def test_marker_words_glued_to_others_scan_the_same() -> None:
    # every marker word, alone, inside words, after hyphens, in CJK runs, in upper case
    words = re.findall(r"[^|()?\\\[\]]+", refs._FORWARD + "|" + refs._INVERSE + "|" + refs._FORWARD_CJK)
    rnd = random.Random(3)
    glue = [" ", "", "-", "x", "前", "後", ": ", "\n", "将", "1"]
    text = "".join(rnd.choice(glue) + (w.upper() if rnd.random() < 0.2 else w) for w in words * 3)
    assert _matches(refs.MARKER_RE, text) == _matches(PLAIN, text)
