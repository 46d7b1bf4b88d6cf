"""The components reader: component status summaries (seed 001, corpus 16)."""

from __future__ import annotations

import pytest
from readers_truth import CORPUS, SEEDS, assert_exact_spans, assert_truth, truth_for

from syncbot.model import SpanKind, Status
from syncbot.readers import READERS, load_document, read_document
from syncbot.readers.common import Document
from syncbot.writer import set_statuses

SEED = next(SEEDS.glob("001_*.txt"))


def test_seed_001_reads_exactly_as_expected() -> None:
    doc = load_document(SEED)
    tracker, _ = read_document(doc)
    assert tracker.shape == "components"
    assert tracker.mojibake
    assert_truth(tracker.sessions, truth_for(SEED))
    by_key = tracker.by_key()
    assert by_key["99"].title == "Secrets Manager"
    assert by_key["99-phase-3"].prerequisites == ["99"]
    assert by_key["sphinx"].status_text == "Not yet started"


def test_seed_001_status_spans_are_the_mojibake_text_as_written() -> None:
    doc = load_document(SEED)
    tracker, _ = read_document(doc, "components")
    assert assert_exact_spans(doc, tracker.sessions) == len(tracker.sessions)
    head = tracker.by_key()["99"].status_spans[0]
    assert head.kind is SpanKind.HEADING
    assert head.span.slice(doc.text) == "COMPLETE ‚úÖ"  # the file's own bytes, never repaired
    assert doc.fix(head.span.slice(doc.text)) == "COMPLETE ✅"


COMPONENTS = """\
# Status

## Current Status: Infrastructure Complete ✅

### What's Implemented

#### ✅ Database Layer (100%)
- Models and migrations

#### ✅ API Service (100%)
- Endpoints

### 🔲 Model Training
**Requirements**: Features generated and stored
- Trainer

## 🔄 **NEXT CODING PRIORITIES**
1. Ship it

### **Active Development Areas:**
- **Billing Component:** Not yet started - waiting on design
- **Component 7 Phase 2:** Key rotation (planned)
- **Component 7:** High quality, well documented

```markdown
### ✅ Fake Component (100%)
```
"""


def test_component_headings_and_bullets() -> None:
    doc = Document("status.md", COMPONENTS)
    res = READERS["components"](doc)
    got = [(s.key, s.title, s.status) for s in res.sessions]
    assert got == [
        ("database-layer", "Database Layer", Status.DONE),
        ("api-service", "API Service", Status.DONE),
        ("model-training", "Model Training", Status.PLANNED),
        ("billing", "Billing", Status.PLANNED),
        ("7-phase-2", "Key rotation", Status.PLANNED),
    ]
    assert res.confidence >= 0.9
    # the container heading, the decorated section heading and the fenced heading are not units
    assert any("containers" in n and "3" in n for n in res.notes)
    assert_exact_spans(doc, res.sessions)
    assert [s.status_text for s in res.sessions] == ["✅", "✅", "🔲", "Not yet started", "planned"]


def test_nothing_found_says_what_was_looked_for_with_lines() -> None:
    doc = Document("notes.md", "# Notes\n\n## Setup\n\nText.\n\n## Usage\n\n- a bullet\n")
    res = READERS["components"](doc)
    assert res.sessions == []
    assert res.confidence == 0.0
    assert any("none of the 2 headings" in n and "lines 3, 7" in n for n in res.notes)


def test_a_status_matrix_is_not_read_as_components() -> None:
    seed = next(SEEDS.glob("000_*.txt"))
    tracker, results = read_document(load_document(seed))
    mine = {r.reader: r for r in results}
    assert tracker.shape not in ("components", "phases", "tasklist")
    assert len(mine["components"].sessions) * mine["components"].confidence < len(tracker.sessions)


@pytest.mark.corpus
def test_corpus_components_document() -> None:
    docs = sorted(CORPUS.glob("16_*.md")) if CORPUS.is_dir() else []
    if not docs:
        pytest.skip("../shared/trackers/corpus is not here")
    doc = load_document(docs[0])
    tracker, _ = read_document(doc)
    assert tracker.shape == "components"
    assert_truth(tracker.sessions, truth_for(docs[0]))
    assert_exact_spans(doc, tracker.sessions)


def test_marking_a_component_keeps_the_file_mojibake_and_changes_one_line() -> None:
    doc = load_document(SEED)
    tracker, _ = read_document(doc)
    new_text = set_statuses(doc, tracker, {"sphinx": Status.DONE})
    again, _ = read_document(Document(doc.path, new_text))
    assert again.by_key()["sphinx"].status is Status.DONE
    assert {s.key: s.status for s in again.sessions if s.key != "sphinx"} == {
        s.key: s.status for s in tracker.sessions if s.key != "sphinx"
    }
    old_lines, new_lines = doc.text.splitlines(), new_text.splitlines()
    assert [n for n, (a, b) in enumerate(zip(old_lines, new_lines, strict=True), 1) if a != b] == [16]
    assert "‚úÖ" in new_lines[15] and "✅" not in new_lines[15]


@pytest.mark.parametrize(
    ("heading", "title", "status"),
    [
        ("#### 🚧 In Progress Testing & Quality (100%)", "Testing & Quality", Status.IN_PROGRESS),
        ("#### ✅ Testing & Quality (100%)", "Testing & Quality", Status.DONE),
        ("### **Billing (Invoices) - COMPLETE ✅**", "Billing (Invoices)", Status.DONE),
        ("### Billing Engine [BLOCKED]", "Billing Engine", Status.BLOCKED),
        ("### ⏳ Planned Billing Engine", "Billing Engine", Status.PLANNED),
    ],
)
def test_what_a_writer_puts_in_a_heading_reads_back(heading: str, title: str, status: Status) -> None:
    doc = Document("s.md", f"# S\n\n{heading}\n- detail\n\n### 🔲 Other\n- detail\n")
    first = READERS["components"](doc).sessions[0]
    assert (first.title, first.status) == (title, status)


@pytest.mark.parametrize(
    "heading",
    ["## 🔄 **NEXT CODING PRIORITIES**", "## ⚡ CURRENT IMPLEMENTATION STATUS", "### Session Zero Prompts FAILED"],
)
def test_status_words_inside_a_title_do_not_make_a_unit(heading: str) -> None:
    doc = Document("s.md", f"# S\n\n{heading}\n- detail\n")
    assert READERS["components"](doc).sessions == []


def test_headings_numbered_as_the_plans_units_are_units_whatever_they_carry() -> None:
    """Beside `### 2.3 Canopy map ▶` over its checklist and `### 3.1 …` with `Status: ✔`, `### 1.1 Proposal ✔`
    (a legend's mark, no checklist) and `### 5.1 Full draft` (nothing written: not started) are units of the
    plan too, and what a heading's text says (`Depends on 5.1.`) is its own; `## 1. Admin`, which holds
    them, is a chapter."""
    tracker, _ = read_document(
        Document(
            "PLAN.md",
            "# Thesis plan\n\nLegend: ✔ done · ▶ working on it · ⏸ waiting on someone · ✗ dropped\n\n"
            "## 1. Admin\n\n### 1.1 Research proposal ✔\n\nApproved.\n\n### 1.2 Ethics plan ⏸\n\nFiled.\n\n"
            "### 1.3 Street trees ▶\n\nPartial export.\n\n"
            "## 2. Data\n\n### 2.3 Canopy map ▶\n\n- [x] training polygons\n- [ ] accuracy assessment\n\n"
            "## 3. Analysis\n\n### 3.1 Pre-processing\n\nStatus: ✔ — rebuilt.\n\n"
            "### 3.2 Regression\n\nStatus: ▶ — needs 3.1.\n\n"
            "## 5. Submission\n\n### 5.1 Full draft\n\nInternal deadline 5 May.\n\n"
            "### 5.2 Language check\n\nDepends on 5.1.\n",
        )
    )
    got = {s.key: (s.status, s.prerequisites) for s in tracker.sessions}
    assert got == {
        "1.1": (Status.DONE, []),
        "1.2": (Status.BLOCKED, []),
        "1.3": (Status.IN_PROGRESS, []),
        "2.3": (Status.IN_PROGRESS, []),
        "3.1": (Status.DONE, []),
        "3.2": (Status.IN_PROGRESS, ["3.1"]),
        "5.1": (Status.PLANNED, []),
        "5.2": (Status.PLANNED, ["5.1"]),
    }


def test_a_phase_holds_its_steps_whether_or_not_their_headings_carry_a_status() -> None:
    """`all of Phase B` means every step under `## Phase B`, the one whose status only its checklist gives
    (`### Step 8`) too; `the parallel run (Step 11)` is a thing to wait for, not a way of working."""
    tracker, _ = read_document(
        Document(
            "MIGRATION.md",
            "# Migration\n\n## Phase A — Prep\n\n### Step 1 — Inventory ✅\n\n### Step 2 — Pick software ✅\n\n"
            "## Phase B — Build\n\n### Step 5 — VPS ✅\n\n### Step 6 — Icecast 🚧\n\n"
            "### Step 8 — Studio link\n\n- [x] config\n- [ ] failover\n\n"
            "## Phase C — Cutover\n\nNothing in this phase starts until **all of Phase B** is finished.\n\n"
            "### Step 11 — Parallel run 🔲\n\n### Step 17 — Training 🔲\n\n"
            "After the parallel run (Step 11), so hosts train on the real thing.\n",
        )
    )
    got = {s.key: s.prerequisites for s in tracker.sessions}
    assert sorted(got["11"]) == ["5", "6", "8"]
    assert "11" in got["17"]
