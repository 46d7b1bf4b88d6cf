"""Status phrases do not depend on which ASCII digits a text holds (syncbot/readers/phrases.py reads
`Phase 17` as `Phase 00`): on every heading and list item of every fixture, and on texts made to test the
edges (percentages, digits of other scripts, legends whose marks hold digits), the phrases are those of the
text as written."""

from __future__ import annotations

import random
import sys
from pathlib import Path

import pytest

from syncbot.model import Status
from syncbot.readers import load_document
from syncbot.readers.legend import legend_of
from syncbot.readers.phrases import _status_phrases, status_phrases
from syncbot.readers.status_words import reading_legend

ROOT = Path(__file__).parent.parent
DOCS = sorted(
    p
    for folder in (ROOT / "tests" / "fixtures", ROOT / "tests" / "golden", ROOT / "examples")
    for p in folder.glob("**/*")
    if p.suffix in (".md", ".txt") and p.is_file() and not p.name.endswith(".source.txt")
)
as_written = _status_phrases.__wrapped__  # type: ignore[attr-defined]


def _texts(path: Path) -> tuple[dict[str, Status], list[str]]:
    doc = load_document(path)
    st = doc.structure
    texts = [doc.fix(h.raw) for h in st.all_headings] + [doc.fix(it.raw) for it in st.items]
    return legend_of(doc), [t for t in texts if any(c.isdigit() for c in t)]


@pytest.mark.parametrize("path", DOCS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_headings_and_items_of_every_document(path: Path) -> None:
    legend, texts = _texts(path)
    with reading_legend(legend):
        for t in texts:
            for item in (False, True):
                assert status_phrases(t, item) == list(as_written(t, item)), t


def test_generated_trackers() -> None:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import shapes

    for name, gen in shapes.SHAPES.items():
        path = ROOT / ".syncbot" / f"test-phrase-digits-{name}.md"
        path.parent.mkdir(exist_ok=True)
        path.write_text(gen(200, random.Random(5)), encoding="utf-8")
        try:
            test_headings_and_items_of_every_document(path)
        finally:
            path.unlink()


EDGES = [
    "✅ Service 17 (100%)",
    "🚧 Service 17 (50 %)",
    "❌ Payments (0%) — 3 left",
    "🔲 Model 2 (1٣%)",  # an Arabic-Indic digit beside ASCII ones: a percentage of both
    "🔲 Model 2 (٣1%)",
    "Phase 10: API - COMPLETE ✅ (2024-05-01)",
    "**T0017** Build 3 things **IN PROGRESS**",
    "#19 - Testing 12 cases **IN PROGRESS**",
    "Step 4 — 🚧 in review, PR #231",
    "(40% complete) Rewrite",
    "Item 7 [blocked: #399]",
    "12) ✅ 34 done 56",
    "v2.0 release — ✔ shipped 3 builds",
    "Ｔ００１ 完成 3",
]


@pytest.mark.parametrize("text", EDGES)
@pytest.mark.parametrize("item", [False, True])
def test_edges(text: str, item: bool) -> None:
    rnd = random.Random(text)
    for _ in range(20):
        t = "".join(rnd.choice("0123456789") if c.isascii() and c.isdigit() else c for c in text)
        assert status_phrases(t, item) == list(as_written(t, item)), t


def test_a_legend_with_digits_reads_digits_as_written() -> None:
    with reading_legend({"p1": Status.BLOCKED, "🟢": Status.DONE}):
        for t in ("Task 3 P1", "Task 4 P2", "🟢 Task 11 (P1)"):
            for item in (False, True):
                assert status_phrases(t, item) == list(as_written(t, item)), t
