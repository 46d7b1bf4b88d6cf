"""A matrix of units with a log of entries below it: the log is the newer word (readers/overlay.py)."""

from __future__ import annotations

from syncbot.model import Status
from syncbot.readers import read_document
from syncbot.readers.common import Document
from syncbot.writer import set_statuses

DOC = """# Tracker

| Session | Focus | Status |
|---|---|---|
| 01 | Scaffold | ✅ |
| 02 | Model | 🟡 |
| 03 | Schema | ⬜ |

## Session log

### Session 01 — 2026-03-02
**Status:** ✅ complete

### Session 02 — 2026-03-03
**Status:** ✅ complete
- The matrix still says 🟡; it is done.

### Session 03 — 2026-03-04
**Status:** 🔴 blocked

### Session 04 — 2026-03-05 (new)
**Status:** ⬜ not started
"""


def test_the_entry_below_the_matrix_gives_the_status_and_adds_the_units_only_it_knows() -> None:
    tracker, _ = read_document(Document("TRACKER.md", DOC))
    assert [(s.key, s.status) for s in tracker.sessions] == [
        ("01", Status.DONE),
        ("02", Status.DONE),
        ("03", Status.BLOCKED),
        ("04", Status.PLANNED),
    ]


def test_marking_a_unit_rewrites_its_entry_and_its_row() -> None:
    doc = Document("TRACKER.md", DOC)
    tracker, _ = read_document(doc)
    text = set_statuses(doc, tracker, {"03": Status.DONE})
    assert "| 03 | Schema | ✅ |" in text
    assert "### Session 03 — 2026-03-04\n**Status:** ✅" in text


def test_a_log_of_other_units_is_no_overlay() -> None:
    other = (
        DOC.replace("Session 01", "Session 11").replace("Session 02", "Session 12").replace("Session 03", "Session 13")
    )
    tracker, _ = read_document(Document("TRACKER.md", other))
    assert {s.key: s.status for s in tracker.sessions}["03"] is Status.PLANNED


def test_a_unit_both_agree_on_is_rewritten_in_both_places() -> None:
    doc = Document("TRACKER.md", DOC)
    tracker, _ = read_document(doc)
    text = set_statuses(doc, tracker, {"01": Status.FAILED})
    again, _ = read_document(Document("TRACKER.md", text))
    assert {s.key: s.status for s in again.sessions}["01"] is Status.FAILED


def test_what_a_units_entry_below_the_matrix_says_it_waits_for_is_its_prerequisite() -> None:
    """The matrix lists the packages, each package's section below says in prose what it needs."""
    tracker, _ = read_document(
        Document(
            "PLAN.md",
            "# Projektplan\n\n| AP | Titel | Fortschritt |\n|---|---|---|\n| AP-1 | Analyse | 100 % |\n"
            "| AP-2 | Fachkonzept | 100 % |\n| AP-3 | Feinkonzept | 50 % |\n\n## Arbeitspakete\n\n"
            "### AP-1: Ist-Analyse\n**Status:** erledigt\n\n### AP-2: Fachkonzept\n**Status:** erledigt\n"
            "Setzt AP-1 voraus.\n\n### AP-3: Feinkonzept\n**Status:** in Arbeit\nAbhängig von AP-2.\n",
        )
    )
    assert [(s.key, s.prerequisites) for s in tracker.sessions] == [
        ("AP-1", []),
        ("AP-2", ["AP-1"]),
        ("AP-3", ["AP-2"]),
    ]
