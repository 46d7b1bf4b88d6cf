"""The whole-document marker scan of the prose dependencies (`readers/marker_scan.py`) finds the match starts
`ref_markers.MARKER_RE.finditer` finds, on every fixture and on texts made to test the edges of its lower-case
path (letters with case beyond ASCII, Turkish dotless i, upper-case markers)."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from syncbot.readers import marker_scan, ref_markers

ROOT = Path(__file__).parent.parent
DOCS = sorted(
    p
    for folder in (ROOT / "tests" / "fixtures", ROOT / "tests" / "golden", ROOT / "examples")
    for p in folder.glob("**/*")
    if p.suffix in (".md", ".txt") and p.is_file()
)


def _starts(text: str) -> list[int]:
    return [m.start() for m in ref_markers.MARKER_RE.finditer(text)]


def test_the_lower_case_scan_is_in_use() -> None:
    assert marker_scan._LOWER is not None


@pytest.mark.parametrize("path", DOCS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_marker_starts_of_every_document(path: Path) -> None:
    text = path.read_text(encoding="utf-8", errors="replace")
    assert list(marker_scan.marker_starts(text)) == _starts(text)


@pytest.mark.parametrize(
    "text",
    [
        "BLOCKED BY T3. Depends On: 4, REQUIRES 5 ✅ 🚧 — AFTER 6",
        "T3 TARAFINDAN ENGELLENIYOR; 3.1 tarafından engelleniyor; BAĞLI; bağli",  # Turkish ı / I / i
        "DEPENDS ON İ-3; ı after ſ; blocKed by 3; K-2 needs 1",  # letters with case beyond ASCII: the slow path
        "Ωmega after Σ-1; ΣΥΣΤΗΜΑ requires 2; ПОСЛЕ 3; после 4",
        "依赖 T1，完成后 T2; 前提条件: A; 후속 작업 B; หลังจาก 3",
        "x-after 3; after-3; pre_requires 4; _after 5; ªafter 6; ĸblocks 7",
    ],
)
def test_marker_starts_of_odd_texts(text: str) -> None:
    assert list(marker_scan.marker_starts(text)) == _starts(text)
    assert list(marker_scan.marker_starts(text.upper())) == _starts(text.upper())


@pytest.mark.parametrize("cased", [False, True])
def test_marker_starts_of_generated_text(cased: bool) -> None:
    rnd = random.Random(11)
    words = re.findall(
        r"[^|()?\\\[\]:]+", ref_markers._FORWARD + "|" + ref_markers._INVERSE + "|" + ref_markers._AFTER_WORDS
    )
    if not cased:  # ASCII words (Turkish ones in upper case become ASCII) and characters without case: the fast path
        words = [u for w in words for u in (w, w.upper()) if u.isascii()]
    extra = ["Straße", "ß", "İ", "ı", "ſ", "K", "É", "é"] if cased else []
    pieces = [*words, " ", "\n", "-", "_", "T3", "✅", "前", "—", "🚧", "후", *extra]
    fast = 0
    for _ in range(200):
        text = "".join(rnd.choice(pieces) for _ in range(40))
        for t in (text, text.upper(), text.title()):
            assert list(marker_scan.marker_starts(t)) == _starts(t), t
            fast += marker_scan._caseless_beyond_ascii(t)
    assert (fast == 600) is not cased


@pytest.mark.parametrize("path", DOCS[::3], ids=lambda p: f"{p.parent.name}/{p.name}")
def test_has_marker_of_every_line(path: Path) -> None:
    # (the task reader asks of an item's line, and of its start: ``has_marker`` with an end)
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        assert marker_scan.has_marker(line) == (ref_markers.MARKER_RE.search(line) is not None)
        cut = len(line) // 2
        assert marker_scan.has_marker(line, 0, cut) == (ref_markers.MARKER_RE.search(line, 0, cut) is not None)
