"""The tasklist reader: Kiro and spec-kit tasks.md, GSD roadmaps, step plans, Backlog.md task files,
scratchpads with ids, plain and nested checklists (corpus 01, 05, 07, 09, 18, 20)."""

from __future__ import annotations

import pytest
from readers_truth import CORPUS, assert_exact_spans, assert_truth, truth_for

from syncbot.model import Session, SpanKind, Status, SummaryKind
from syncbot.readers import READERS, load_document, read_document
from syncbot.readers.common import Document
from syncbot.writer import set_statuses


def read(text: str, name: str = "tasks.md") -> tuple[Document, list[Session]]:
    doc = Document(name, text)
    res = READERS["tasklist"](doc)
    assert_exact_spans(doc, res.sessions)
    return doc, res.sessions


KIRO = """\
# Implementation Plan

- [x] 1. Set up project structure
  - Create directories
  - _Requirements: 1.1, 2.3_

- [-] 2. Implement data models
  - [x] 2.1 Create interfaces
    - _Requirements: 2.1_
  - [ ] 2.2 Write model tests
  - [ ]* 2.3 Write property tests

- [ ] 3. Wire the API
"""


def test_kiro_tasks() -> None:
    _, sessions = read(KIRO)
    assert [(s.key, s.title, s.status) for s in sessions] == [
        ("1", "Set up project structure", Status.DONE),
        ("2", "Implement data models", Status.IN_PROGRESS),
        ("2.1", "Create interfaces", Status.DONE),
        ("2.2", "Write model tests", Status.PLANNED),
        ("2.3", "Write property tests", Status.PLANNED),
        ("3", "Wire the API", Status.PLANNED),
    ]
    # `_Requirements:_` traces are not dependencies; detail bullets are not checklist items
    assert all(s.prerequisites == [] and s.checklist == [] for s in sessions)
    assert sessions[4].description.startswith("optional")
    assert sessions[1].status_spans[0].kind is SpanKind.CHECKBOX


SPECKIT = """\
# Tasks: Feature

## Phase 1: Setup

- [X] T001 Create project
- [ ] T002 [P] Configure linting

## Phase 2: User Story 1 (depends on T002)

```bash
# ✅ COMPLETED - a comment, not a heading
- [ ] T999 not a task
```

- [ ] T003 [P] [US1] Model in src/models/user.py
- [/] T004 [US1] Service in src/services/user.py (depends on T003)
"""


def test_speckit_tasks_tags_and_dependencies() -> None:
    _, sessions = read(SPECKIT)
    assert [(s.key, s.title, s.status, s.prerequisites) for s in sessions] == [
        ("T001", "Create project", Status.DONE, []),
        ("T002", "Configure linting", Status.PLANNED, []),
        ("T003", "Model in src/models/user.py", Status.PLANNED, ["T002"]),
        ("T004", "Service in src/services/user.py", Status.IN_PROGRESS, ["T003", "T002"]),
    ]
    assert [s.phase for s in sessions] == ["Phase 1: Setup"] * 2 + ["Phase 2: User Story 1"] * 2


GSD = """\
# Roadmap: thing

## Phases

- [x] **Phase 1: Foundation** - base (completed 2025-01-02)
- [ ] **Phase 2: API** - endpoints
- [ ] **Phase 3: UI** - screens

## Phase Details

### Phase 1: Foundation
**Depends on**: Nothing (first phase)
**Plans**: 2 plans
- [x] 01-01-PLAN.md — setup
- [x] 01-02-PLAN.md — ci

### Phase 2: API
**Depends on**: Phase 1 (the base). Phase 3 can run in parallel
- [ ] 02-01-PLAN.md — endpoints

### Phase 3: UI
**Depends on**: Phase 1, Phase 2
**Plans**: TBD
"""


def test_gsd_roadmap_merges_the_checklist_and_the_detail_sections() -> None:
    _, sessions = read(GSD, "ROADMAP.md")
    assert [(s.key, s.title, s.status, s.prerequisites, len(s.checklist)) for s in sessions] == [
        ("1", "Foundation", Status.DONE, [], 2),
        ("2", "API", Status.PLANNED, ["1"], 1),
        ("3", "UI", Status.PLANNED, ["1", "2"], 0),
    ]
    assert sessions[0].description == "base"


STEPS = """\
# Roadmap

## Step 1 — Engine fixes (CURRENT)
**Depends on:** Nothing — we own this
**Blocks:** Steps 2, 3

## Step 2 — Packaging
**Depends on:** Step 1 complete

## Step 3 — Validation
**Depends on:** Step 2 complete

## Step 4 — Bundle
**Depends on:** Steps 1-3 stable
"""


def test_step_plan_with_blocks_and_ranges() -> None:
    doc, sessions = read(STEPS)
    problems = READERS["tasklist"](doc).problems
    assert [(p.line, p.message) for p in problems] == [
        (10, "3 does not list 1 as a prerequisite, but 1 says it blocks 3")
    ]
    assert [(s.key, s.status, sorted(s.prerequisites)) for s in sessions] == [
        ("1", Status.IN_PROGRESS, []),
        ("2", Status.PLANNED, ["1"]),
        ("3", Status.PLANNED, ["1", "2"]),  # Step 1 `Blocks` step 3 although step 3 only names step 2
        ("4", Status.PLANNED, ["1", "2", "3"]),
    ]
    assert sessions[0].status_text == "CURRENT"
    assert sessions[1].status_spans == []  # nothing written for a writer to change


BACKLOG = """\
---
id: task-7
title: 'Add login page'
status: In Progress
dependencies:
  - task-3
---

## Acceptance Criteria
- [x] #1 Form renders
- [ ] #2 Errors shown
"""


def test_backlog_task_file_front_matter() -> None:
    doc, sessions = read(BACKLOG, "task-7 - Add-login-page.md")
    (s,) = sessions
    assert (s.key, s.title, s.status, s.prerequisites, len(s.checklist)) == (
        "task-7",
        "Add login page",
        Status.IN_PROGRESS,
        ["task-3"],
        2,
    )
    span = s.status_spans[0]
    assert span.kind is SpanKind.FRONTMATTER and span.line == 4
    assert span.span.slice(doc.text) == "In Progress"


SCRATCH = """\
# Plan

## Now

- [x] TASK-A-10-A: Camera pose
  - PRD: PRD-10
- [ ] #19 - Testing and Launch 🎯 **IN PROGRESS**
- [x] #18 - Tuning ✅ **COMPLETED** (November 6, 2025)

## Done

1) [x] TASK-A-01-A: Bootstrap the CLI
   - Required validation: `python -m py_compile x.py`
"""


def test_scratchpad_ids_issue_refs_and_numbered_checkboxes() -> None:
    doc, sessions = read(SCRATCH)
    assert [(s.key, s.title, s.status) for s in sessions] == [
        ("TASK-A-10-A", "Camera pose", Status.DONE),
        ("19", "Testing and Launch", Status.IN_PROGRESS),
        ("18", "Tuning (November 6, 2025)", Status.DONE),
        ("TASK-A-01-A", "Bootstrap the CLI", Status.DONE),
    ]
    testing = sessions[1]
    # the written status decided it, so it comes first; the open box is kept in step with it
    assert [ss.kind for ss in testing.status_spans] == [SpanKind.TEXT, SpanKind.CHECKBOX]
    assert testing.status_spans[0].span.slice(doc.text) == "**IN PROGRESS**"
    assert [ss.span.slice(doc.text) for ss in sessions[2].status_spans] == ["x", "✅ **COMPLETED**"]


PLAIN = """\
# TODO

Completed: 1/3

- [x] Write the parser
- [/] Write the writer
  - [x] Spans
  - [ ] Tests
- [ ] Ship it
"""


def test_plain_nested_checklist_and_summary_line() -> None:
    doc = Document("TODO.md", PLAIN)
    res = READERS["tasklist"](doc)
    assert [(s.title, s.status, len(s.checklist)) for s in res.sessions] == [
        ("Write the parser", Status.DONE, 0),
        ("Write the writer", Status.IN_PROGRESS, 2),
        ("Ship it", Status.PLANNED, 0),
    ]
    assert res.confidence < 0.5  # a bare checklist must not outvote a table or a log
    assert any("plain checklist" in n for n in res.notes)
    (summary,) = res.summary_lines
    assert summary.kind is SummaryKind.COMPLETED and summary.span.slice(doc.text) == "1/3"


def test_marking_a_task_flips_its_box_and_the_summary_only() -> None:
    doc = Document("TODO.md", PLAIN)
    tracker, _ = read_document(doc, "tasklist")
    key = tracker.sessions[2].key
    new_text = set_statuses(doc, tracker, {key: Status.DONE})
    again, _ = read_document(Document(doc.path, new_text), "tasklist")
    assert again.by_key()[key].status is Status.DONE
    old, new = doc.text.splitlines(), new_text.splitlines()
    assert [(n, new[n - 1]) for n, (a, b) in enumerate(zip(old, new, strict=True), 1) if a != b] == [
        (3, "Completed: 2/3"),
        (9, "- [x] Ship it"),
    ]


def test_nothing_found_notes() -> None:
    res = READERS["tasklist"](Document("x.md", "# Notes\n\n- one\n- two\n\n## More\n"))
    assert res.sessions == [] and res.confidence == 0.0
    assert any("2 list items (lines 3, 4) and 2 headings (lines 1, 6)" in n for n in res.notes)


@pytest.mark.corpus
@pytest.mark.parametrize("prefix", ["01_", "05_", "07_", "09_", "18_", "20_"])
def test_corpus_tasklist_documents(prefix: str) -> None:
    docs = sorted(CORPUS.glob(f"{prefix}*.md")) if CORPUS.is_dir() else []
    if not docs:
        pytest.skip("../shared/trackers/corpus is not here")
    doc = load_document(docs[0])
    res = READERS["tasklist"](doc)
    assert res.confidence >= 0.9
    assert_truth(res.sessions, truth_for(docs[0]))
    assert_exact_spans(doc, res.sessions)


def test_a_leading_quantity_is_not_a_task_id() -> None:
    _, sessions = read("# T\n\n- [x] 8 comprehensive tests passing\n- [ ] 2.1 Real subtask\n- [ ] 3. Real task\n")
    assert [s.key for s in sessions] == ["2.1", "3"]


def test_a_task_listed_twice_is_one_unit_with_both_boxes() -> None:
    text = "# Epic\n\n## Preview\n\n- [ ] #12 - Capture UI\n\n## Status\n\n- [x] #12 - Capture UI ✅ **COMPLETED**\n"
    doc = Document("epic.md", text)
    res = READERS["tasklist"](doc)
    (s,) = res.sessions
    assert (s.key, s.status, s.line) == ("12", Status.DONE, 9)
    # the live copy first, then the stale copy's box so a writer keeps both in step
    assert [(ss.line, ss.span.slice(doc.text)) for ss in s.status_spans] == [
        (9, "x"),
        (9, "✅ **COMPLETED**"),
        (5, " "),
    ]
    assert [(p.line, "disagree" in p.message) for p in res.problems] == [(5, True)]


def test_one_id_like_word_does_not_turn_a_checklist_into_a_task_list() -> None:
    _, sessions = read("# T\n\n- [x] UTF-8 decoding\n- [ ] Parser\n- [ ] Writer\n- [ ] Docs\n")
    assert [s.title for s in sessions] == ["UTF-8 decoding", "Parser", "Writer", "Docs"]


def test_a_dependency_on_a_container_means_its_tasks() -> None:
    # `(depends on Phase 2)` and `(depends on Store Layer)` name headings, not tasks: their tasks are meant
    text = (
        "# Tasks\n\n## Phase 1: Setup\n- [x] T001 Types\n\n## Phase 2: Foundational\n- [x] T002 Load\n"
        "- [x] T003 Save\n\n## Phase 3: Story\n\n### Store Layer (depends on Phase 2)\n- [x] T004 State\n"
        "- [ ] T005 Actions\n\n### UI Components (depends on Store Layer)\n- [ ] T006 List\n\n"
        "### Search (depends on T006)\n- [ ] T007 Filter\n"
    )
    tracker, _ = read_document(Document("tasks.md", text))
    got = {s.key: (s.prerequisites, s.phase) for s in tracker.sessions}
    assert got == {
        "T001": ([], "Phase 1: Setup"),
        "T002": ([], "Phase 2: Foundational"),
        "T003": ([], "Phase 2: Foundational"),
        "T004": (["T002", "T003"], "Phase 3: Story"),
        "T005": (["T002", "T003"], "Phase 3: Story"),
        "T006": (["T004", "T005"], "Phase 3: Story"),
        "T007": (["T006"], "Phase 3: Story"),
    }


PROGRESS_LOG = """\
# Progress

## Plan

- [x] T01 Board bring-up: clocks, UART console
- [ ] T02 SPI DMA driver (needs T01)
- [ ] T03 IMU driver (needs T02)
- [ ] T04 Port to the old boards

## Log

### 2024-01-14
- T02 in progress: RX works, TX underruns.
- T03 started. T04 dropped: not enough RAM.

### 2024-01-21
- T02 done (fixed with a cache clean). T03 blocked on T02 being merged upstream.
- T01 is nearly done again after the rework.
"""


def test_items_that_lead_with_a_short_id_are_keyed_by_it() -> None:
    """`- [x] T01 Board bring-up…`: the id is the key, and no part of the title."""
    _, sessions = read(PROGRESS_LOG)
    assert [s.key for s in sessions] == ["T01", "T02", "T03", "T04"]
    assert sessions[0].title == "Board bring-up: clocks, UART console"


def test_a_later_log_entry_overrides_the_checkbox() -> None:
    """The plan's boxes are ticked now and then; the append-only log below them is the record.  The latest
    entry that opens with a unit's id and says what became of it wins; `blocked on T02` names a dependency,
    and `nearly done` is not done."""
    doc, sessions = read(PROGRESS_LOG)
    by_key = {s.key: s for s in sessions}
    assert by_key["T01"].status is Status.IN_PROGRESS  # ticked, then `nearly done again after the rework`
    assert by_key["T02"].status is Status.DONE  # in progress, then done a week later
    assert by_key["T03"].status is Status.IN_PROGRESS
    assert by_key["T04"].status is Status.DROPPED
    # marking the unit rewrites the entry it was read from as well as its box
    text = set_statuses(doc, read_document(doc)[0], {"T02": Status.BLOCKED})
    assert read_document(Document(doc.path, text))[0].by_key()["T02"].status is Status.BLOCKED


def test_a_summary_above_the_units_does_not_override_them() -> None:
    """`Done this week: T02` at the top is older than the list under it, and only a statement that opens with
    the id counts."""
    text = "# Tasks\n\nDone this week: T02. T03 done too.\n\n- [ ] T02 Parser\n- [ ] T03 Writer\n- [x] T04 Docs\n"
    _, sessions = read(text)
    assert [s.status for s in sessions] == [Status.PLANNED, Status.PLANNED, Status.DONE]


def test_a_newest_first_log_reads_its_first_entry_as_the_latest() -> None:
    text = """\
# Tasks

- [ ] T11 Cart cache
- [ ] T12 Payments

## Standup notes

- 06-03: T12 failed on staging, rolled back to in progress.
- 05-27: T12 done on dev. T11 done.
"""
    _, sessions = read(text)
    assert {s.key: s.status for s in sessions} == {"T11": Status.DONE, "T12": Status.IN_PROGRESS}


def test_a_next_line_is_a_plan_not_news() -> None:
    text = "# Tasks\n\n- [x] T01 Parser\n- [ ] T02 Writer\n\n## Log\n\n- 05-02: T02 blocked: no spec.\n"
    text += "- Next: T02 done.\n"
    _, sessions = read(text)
    assert {s.key: s.status for s in sessions} == {"T01": Status.DONE, "T02": Status.BLOCKED}


def test_kiro_sub_bullet_fields_a_struck_task_and_a_lettered_sub_task() -> None:
    """`  - _Depends on: 2.1_` under a task states its dependency; `_Requirements: 2.2_` names requirements,
    not tasks.  `- [ ] ~~4.3 GCRA~~` strikes the key with the name: a dropped task.  `2.3-A` nested under
    2.3 is a task of its own."""
    sessions = READERS["tasklist"](
        Document(
            "tasks.md",
            "# Tasks\n\n- [x] 2.1 Token bucket\n  - _Requirements: 2.1_\n- [ ] 2.2 Burst capacity\n"
            "  - _Requirements: 2.1_\n  - _Depends on: 2.1_\n"
            "  - [x] 2.2-A: pick the default\n  - [ ] 2.2-B: document it\n"
            "- [ ] ~~4.3 GCRA variant~~ — dropped after design review\n",
        )
    ).sessions
    got = {s.key: (s.status, s.prerequisites) for s in sessions}
    assert got["2.1"] == (Status.DONE, [])
    assert got["2.2"] == (Status.PLANNED, ["2.1"])
    assert got["2.2-A"][0] is Status.DONE and got["2.2-B"][0] is Status.PLANNED
    assert got["4.3"][0] is Status.DROPPED


def test_a_dependencies_section_apart_from_the_tasks_names_its_subjects_first() -> None:
    """spec-kit's `## Dependencies`: `T014 depends on T012; T015 depends on T012 and T013.` and `T027 and
    T028 depend on T021` give the tasks that open each clause their prerequisites."""
    _, sessions = read(
        "# Tasks\n\n- [ ] T012 Repo\n- [ ] T013 Photos\n- [ ] T014 Outbox\n- [ ] T015 Form\n"
        "- [ ] T021 Push\n- [ ] T027 Merge\n- [ ] T028 Union\n\n## Dependencies\n\n"
        "- T014 depends on T012; T015 depends on T012 and T013.\n- T027 and T028 depend on T021.\n"
        "- 3 tasks need T012 first.\n"
    )
    got = {s.key: s.prerequisites for s in sessions}
    assert got["T014"] == ["T012"]
    assert got["T015"] == ["T012", "T013"]
    assert got["T027"] == got["T028"] == ["T021"]
    assert got["T012"] == []


def test_a_log_statement_ends_at_a_colon_that_explains_the_status() -> None:
    """`T02 in progress: Dockerfile done, chart next`: the unit is in progress; what follows the colon is
    about its parts."""
    _, sessions = read(
        "# Tasks\n\n- [ ] T01 Image\n- [ ] T02 Chart\n\n## Log\n\n"
        "- 2025-02-09: T01 done. T02 in progress: Dockerfile done, chart next.\n"
    )
    got = {s.key: s.status for s in sessions}
    assert got == {"T01": Status.DONE, "T02": Status.IN_PROGRESS}


def test_a_status_closing_a_task_line_may_carry_a_short_note() -> None:
    """`— 🚧 in review, PR #231`: the status is set off by the dash; the note after the comma is no title."""
    _, sessions = read("# Tasks\n\n- [ ] T009 Auth middleware in `auth.py` — 🚧 in review, PR #231\n- [x] T010 Docs\n")
    (s, _) = sessions
    assert (s.status, s.status_text) == (Status.IN_PROGRESS, "🚧 in review")


def test_a_phase_heading_states_once_what_all_its_tasks_wait_for() -> None:
    """`**준비 사항**:` (preparations) over `- Phase 1 완료` under `### Phase 2` gives every Phase 2 task the live
    tasks of Phase 1: the struck 1.3 is no longer one of them, and the remark `(프론트엔드 1명)` names nothing."""
    sessions = READERS["tasklist"](
        Document(
            "tasks.md",
            "# 로드맵\n\n### Phase 1: 기반\n\n- [x] 1.1 - 인덱스\n- [x] 1.2 - 크롤러\n- [ ] ~~1.3 - 캐시~~\n\n"
            "### Phase 2: 적용\n\n**준비 사항**:\n- Phase 1 완료\n- 리소스 확보 (프론트엔드 1명)\n\n"
            "**작업**:\n- [ ] 2.1 - UI 개편\n- [ ] 2.2 - 자동완성\n",
        )
    ).sessions
    got = {s.key: s.prerequisites for s in sessions}
    assert got["1.1"] == []
    assert sorted(got["2.1"]) == ["1.1", "1.2"]
    assert sorted(got["2.2"]) == ["1.1", "1.2"]


def test_a_dependencies_section_speaks_for_tasks_first_then_for_phases() -> None:
    # `T010, T011 before T012` gives T012 both; a rule about whole phases goes to the tasks with no edge
    # of their own (T003), not to those with one (T004)
    text = """# Tasks

## Phase 1: Setup

- [x] T001 Create project
- [x] T002 [US1] Configure linting

## Phase 2: Foundational

- [ ] T003 Schema
- [ ] T004 Auth

## Dependencies & Execution Order

- **Foundational (Phase 2)**: Depends on Setup completion - BLOCKS all user stories
- T001, T002 before T004; T003 antes de T004.
"""
    from syncbot.readers import read_document
    from syncbot.readers.common import Document

    tracker, _ = read_document(Document("tasks.md", text))
    got = {s.key: s.prerequisites for s in tracker.sessions}
    assert got == {"T001": [], "T002": [], "T003": ["T001", "T002"], "T004": ["T001", "T002", "T003"]}


def test_kiro_fields_in_any_language_belong_to_their_own_sub_task() -> None:
    text = """# Implementierungsplan

- [ ] 1. Datenmodell
  - [x] 1.1 Schema
  - [ ] 1.2 Repository-Schicht
    - Voraussetzung: 1.1
- [ ] 2. API
  - [ ] 2.1 Endpunkte
    - Voraussetzung: 1.2

## Stand

- 1.2 ist fertig.
"""
    from syncbot.readers import read_document
    from syncbot.readers.common import Document

    tracker, _ = read_document(Document("tasks.md", text))
    got = {s.key: (s.status.value, s.prerequisites) for s in tracker.sessions}
    assert got["1"] == ("planned", [])  # the sub-task's field is not its parent's
    assert got["1.2"] == ("done", ["1.1"])  # the log below, at the start of its line, says it is done
    assert got["2.1"][1] == ["1.2"]


def test_a_roadmap_by_version_reads_the_plain_items_of_its_other_versions() -> None:
    from syncbot.readers import read_document
    from syncbot.readers.common import Document

    text = """# Roadmap

## v0.9 — "Juazeiro" 🚧 em desenvolvimento

- [x] #61 Manifesto v2
- [ ] #63 Resolvedor de versões — depende do #61
- [ ] #49 Sandbox de rede

## v0.8 ✅ lançada em 2024-11-02

- #41 API de eventos v2
- ~~#49 Sandbox de rede~~ → adiado para a v0.9

## v1.0 📅 planejada

Todo o v1.0 só começa depois de tudo da v0.9 entrar.

- #72 Congelamento da API
- #74 Assinatura de mods — depende do #72

## Descartado

- ~~#59 Mods em C#~~ — dobraria a API
"""
    tracker, _ = read_document(Document("ROADMAP.md", text))
    got = {s.key: (s.status.value, s.prerequisites) for s in tracker.sessions}
    assert got == {
        "61": ("done", []),
        "63": ("planned", ["61"]),
        "49": ("planned", []),  # the struck #49 under v0.8 moved here: the task is read where it is open
        "41": ("done", []),
        "72": ("planned", ["61", "63", "49"]),  # the section's opening speaks for the whole of v1.0
        "74": ("planned", ["61", "63", "49", "72"]),
        "59": ("dropped", []),
    }


def test_bold_keyed_tasks_under_numbered_headings_are_the_units_and_a_heading_may_state_a_dependency() -> None:
    """`## 0. Preparazione` over `- [x] **D-01** …` is a container of tasks, not a phase whose checklist
    they are; `**D-14a**` under D-14 is a task of its own; `### Implementación (depende de D-01)` applies
    to the tasks under it, in any language."""
    tracker, _ = read_document(
        Document(
            "TODO.md",
            "# Traduzione\n\n## 0. Preparazione\n\n- [x] **D-01** Glossario — @giulia\n"
            "  - [x] prima bozza\n  - [ ] approvazione\n- [~] **D-02** Guida di stile — dipende da D-01\n\n"
            "## 1. Guide\n\n### Implementación (depende de D-01)\n\n- [ ] **D-03** `backup.md`\n"
            "- [~] **D-14** Riferimento API\n  - [x] **D-14a** `api/auth.md`\n  - [ ] **D-14b** `api/album.md`\n",
        )
    )
    got = {s.key: (s.status, s.prerequisites, len(s.checklist)) for s in tracker.sessions}
    assert tracker.shape == "tasklist"
    assert got["D-01"] == (Status.DONE, [], 2)
    assert got["D-02"][:2] == (Status.IN_PROGRESS, ["D-01"])
    assert got["D-03"][:2] == (Status.PLANNED, ["D-01"])
    assert set(got) == {"D-01", "D-02", "D-03", "D-14", "D-14a", "D-14b"}


def test_kiro_requirement_links_are_no_prerequisites_in_any_language() -> None:
    from syncbot.readers import read_document
    from syncbot.readers.common import Document

    text = """# Plano de Implementação

- [x] 1.1 Provisionar VMs
  - _Requisitos: 1.1_
- [x] 1.2 Subir o MinIO
  - Depende de 1.1
  - _Requisitos: 1.2, 4.1_
- [ ] 4.1 Leitura via DuckDB
  - _Requirements: 1.2_
"""
    tracker, _ = read_document(Document("tasks.md", text))
    assert {s.key: s.prerequisites for s in tracker.sessions} == {"1.1": [], "1.2": ["1.1"], "4.1": []}


def test_checkboxes_under_status_headings_that_carry_their_own_issues_are_the_units() -> None:
    # a version roadmap: `## 🚧 0.9 — in progress` over `- [ ] CTEs (#420)`; each box is an issue, so a unit
    from syncbot.readers import read_document
    from syncbot.readers.common import Document

    text = """# Roadmap

## ✅ 0.8 — released 2025-03-02

- [x] Chained select (#301)
- [x] MySQL upserts (#305)

## 🚧 0.9 — in progress

- [x] Async engines (#412)
- [ ] CTEs (#420)
- [ ] Oracle dialect as a plugin (#435) — blocked on #431
- [ ] Dialect plugin entry points (#431)
"""
    tracker, _ = read_document(Document("ROADMAP.md", text))
    got = {s.key: (s.status.value, s.prerequisites) for s in tracker.sessions}
    assert got["#301"] == ("done", []) and got["#420"] == ("planned", [])
    assert got["#435"][1] == ["#431"]


def _read_within(text: str, seconds: float) -> list[Session]:
    import time

    started = time.process_time()
    sessions = read_document(Document("tasks.md", text))[0].sessions
    assert time.process_time() - started < seconds
    return sessions


def test_a_run_of_many_marks_is_read_in_linear_time() -> None:
    """40,000 status marks in a row are one run of marks, built in place (a copy a mark took seconds)."""
    sessions = _read_within("- [ ] T001 Ship " + "✅" * 40_000 + "\n- [ ] T002 Test\n", 3.0)
    assert [s.key for s in sessions] == ["T001", "T002"]


def test_a_log_line_naming_many_keys_is_read_in_linear_time() -> None:
    """A log line of 10,000 statements (`T001 ✅ · T001 ✅ · …`) finds each clause start once a line, and a
    statement's span only for the statement used."""
    sessions = _read_within("- [ ] T001 Ship\n- [ ] T002 Test\n\n- " + "T001 ✅ · " * 10_000 + "\n", 3.0)
    assert [(s.key, s.status) for s in sessions] == [("T001", Status.DONE), ("T002", Status.PLANNED)]


def test_a_log_line_of_dashes_and_chained_keys_is_no_backtracking_trap() -> None:
    """`-----x T001 done` (the opener's runs share the dash) and `T001.T001.….T001 done` (a token of 100,000
    dots cut down to a key one dot at a time) each took seconds."""
    text = "- [ ] T001 Ship\n- [ ] T002 Test\n\n" + "-" * 3_000 + "x T001 done\n\n- " + "T001." * 100_000 + " done\n"
    sessions = _read_within(text, 3.0)
    assert [s.key for s in sessions] == ["T001", "T002"]


WAVES = """# Splitting packages/shared

## Wave 0 — groundwork

- **0a** Replace Lerna with Turborepo — ✅ done (#2191)
- **0b** Shared tsconfig base — ✅ done
- **0d** ~~Internal npm registry~~ — dropped; `workspace:*` is enough

## Wave 1 — leaf packages

These have no internal imports. They only need the workspace setup from 0a and the tsconfig base from 0b.

- **1c** `@acme/date-utils` — ✅ merged (#2240); moved to `date-fns` v3 while at it
- **1d** `@acme/http-client` — 🚧 retry logic being pulled out of `shared/net`, PR #2290 in review
- **1e** `@acme/db` — in progress. Yes, this started before Wave 1 was finished, against the ground rules.
- **1f** ~~`@acme/cache`~~ — merged into `@acme/db`, not a separate package anymore

## Wave 2 — cleanup

- **2a** Delete `packages/shared`, once all of Wave 1 is through.
- **2b** Enforce package boundaries
"""


def test_bold_number_and_letter_ids_with_their_status_in_a_dash_segment_and_sections_of_new_ids() -> None:
    """`**1c** … — ✅ merged (#2240); a note`: the status heads the last dash segment, a note may follow it;
    `**1f** ~~name~~ — merged into …` is dropped; the Wave 2 items carry no status yet and are units too."""
    tracker, _ = read_document(Document("PLAN.md", WAVES))
    by_key = {s.key: s for s in tracker.sessions}
    assert list(by_key) == ["0a", "0b", "0d", "1c", "1d", "1e", "1f", "2a", "2b"]
    assert [by_key[k].status for k in ("1c", "1d", "1e", "1f", "2b")] == [
        Status.DONE,
        Status.IN_PROGRESS,
        Status.IN_PROGRESS,
        Status.DROPPED,
        Status.PLANNED,
    ]
    # `They only need … 0a … 0b` speaks for the section's items; `started before Wave 1` is history
    assert by_key["1c"].prerequisites == ["0a", "0b"]
    assert by_key["1e"].prerequisites == ["0a", "0b"]
    assert by_key["2a"].prerequisites == ["1c", "1d", "1e"]  # Wave 1's members, less the dropped one


SPECKIT_PHASE_RULES = """# Tasks

## Phase 1: Setup

- [x] T001 Create project
- [x] T002 [P] Configure lint

## Phase 2: Foundational

- [ ] T003 Entity
- [ ] T004 DAO (depends on T003)

## Phase 3: User Story 1

- [ ] T005 [US1] Form
- [ ] T006 [US1] Badge

## Phase 4: Polish

- [ ] T007 Docs

## Dependencies & Execution Order

- **Setup (Phase 1)**: No dependencies — can start immediately
- **Foundational (Phase 2)**: Depends on Setup (Phase 1) completion — BLOCKS all user stories
- **User Stories (Phase 3)**: All depend on Foundational (Phase 2) completion
- **Polish (Phase 4)**: Depends on US1 (docs can start after the beta)
"""


def test_a_phase_rule_gives_its_prerequisites_to_the_tasks_that_have_none_of_their_own() -> None:
    """T004's own `(depends on T003)` is its direct prerequisite; T003 takes Phase 2's rule; a bracketed
    note with a dependency word of its own is no part of the rule."""
    tracker, _ = read_document(Document("tasks.md", SPECKIT_PHASE_RULES))
    assert {s.key: s.prerequisites for s in tracker.sessions} == {
        "T001": [],
        "T002": [],
        "T003": ["T001", "T002"],
        "T004": ["T003"],
        "T005": ["T003", "T004"],
        "T006": ["T003", "T004"],
        "T007": ["T005", "T006"],
    }


ETAPES = """# Plan d'analyse

## Phase A — Collecte

- **Étape 1** — Extraction des concentrations (API Airparif) · *terminé* · aucun prérequis
- **Étape 2** — Données météo · *bloqué* : en attente de l'avis du CESREES

## Phase B — Préparation

La phase B ne démarre qu'une fois **toute la phase A** terminée.

- **Étape 3** — Nettoyage des séries · *en cours* (trous interpolés) · dépend des étapes 1 et 2
- ~~**Étape 4** — Analyse en parallèle~~ · abandonnée le 28/05
- **Étape 5** — Rédaction · *à faire* · prérequis : étape 3
"""


def test_bold_step_ids_statuses_between_middle_dots_and_french_dependency_words() -> None:
    """`**Étape 3**` is step 3 (as `## Étape 3` would be); a status set off by `·` is a segment of its own."""
    tracker, _ = read_document(Document("PLAN.md", ETAPES))
    assert [(s.key, s.status, s.prerequisites) for s in tracker.sessions] == [
        ("1", Status.DONE, []),
        ("2", Status.BLOCKED, []),
        ("3", Status.IN_PROGRESS, ["1", "2"]),
        ("4", Status.DROPPED, ["1", "2"]),
        ("5", Status.PLANNED, ["1", "2", "3"]),  # the section opening speaks for all its steps
    ]


AGENT_LOG = """# PROGRESS.md

## Task list (frozen at session 1)

- [ ] S-01 Scaffold the workspace
- [ ] S-02 Port the parser — needs S-01
- [ ] S-03 Amounts — needs S-01
- [ ] S-04 Reports — needs S-02 and S-03

## Session log

### Session 1 — 2024-05-02
- S-01 done.

### Session 2 — 2024-05-03
- S-02 in progress.
- Split out **S-02b Periodic transactions** as its own task — rare, not needed for S-04.
  S-02b needs S-02.
- 15:02 user said S-03 is not needed → struck step 3

### Session 3 — 2024-05-06
- Added **S-05 Error spans** — no dependencies.
"""


def test_an_agents_log_below_its_task_list_is_no_list_of_units_and_adds_the_tasks_it_introduces() -> None:
    """The `### Session N — date` entries speak of the tasks (a log, not units); `Split out **S-02b Title**`
    and `Added **S-05 Title**` introduce tasks; `S-02b needs S-02.` on a line of its own is S-02b's edge;
    `not needed for S-04` is none, and a time of day (`15:02`) opens no statement."""
    tracker, _ = read_document(Document("PROGRESS.md", AGENT_LOG))
    assert {s.key: s.prerequisites for s in tracker.sessions} == {
        "S-01": [],
        "S-02": ["S-01"],
        "S-03": ["S-01"],
        "S-04": ["S-02", "S-03"],
        "S-02b": ["S-02"],
        "S-05": [],
    }


def test_a_status_mark_ahead_of_a_checkbox_items_id() -> None:
    """`- [ ] 🚧 #1220 Control-plane upgrade`: the id after the mark is the key, the mark its status."""
    _, units = read("# Upgrade\n\n- [x] #1210 Staging plan\n- [ ] 🚧 #1220 Control-plane upgrade\n- [ ] #1221 Nodes\n")
    assert [(s.key, s.title, s.status) for s in units] == [
        ("1210", "Staging plan", Status.DONE),
        ("1220", "Control-plane upgrade", Status.IN_PROGRESS),
        ("1221", "Nodes", Status.PLANNED),
    ]


def test_a_roadmap_of_numbered_checkboxes_with_a_later_lane_and_a_not_planned_list() -> None:
    """`- [ ] Drop 3.8 (#402)` under version headings are issue units; under `## Later / ideas` the plain
    items are units too (`DuckDB dialect (#451)` is #451); `## Not planned` lists what will not be built."""
    tracker, _ = read_document(
        Document(
            "ROADMAP.md",
            "# Roadmap\n\n## 🚧 0.9 — in progress\n\n- [x] Window functions (#398)\n- [ ] Plugin entry points (#431)\n"
            "- [ ] Oracle plugin (#435)\n\n## 1.0\n\n- [ ] Drop Python 3.8 (#402)\n\n## Later / ideas\n\n"
            "- Query result caching layer (#388)\n- DuckDB dialect (#451)\n- ~~Built-in ORM~~ — not happening\n\n"
            "## Not planned\n\n- Schema migrations (use Alembic).\n",
        )
    )
    got = {s.key: s.status for s in tracker.sessions}
    assert got == {
        "#398": Status.DONE,
        "#431": Status.PLANNED,
        "#435": Status.PLANNED,
        "#402": Status.PLANNED,
        "#388": Status.PLANNED,
        "#451": Status.PLANNED,
        "built-in-orm": Status.DROPPED,
    }


def test_a_status_in_full_width_brackets_and_a_legend_entry_for_what_will_not_be_done() -> None:
    """`- [ ] **M2.2** 微信登录（阻塞：审核还没通过）` is blocked, `（进行中）` in progress; a legend's `➖ Not
    migrating (retired)` is dropped."""
    tracker, _ = read_document(
        Document(
            "PLAN.md",
            "# 计划\n\n图例：✅ 完成 · ➖ Not migrating (retired or moved elsewhere)\n\n## M2 账号\n\n"
            "- [x] **M2.1** 手机号登录\n- [ ] **M2.2** 微信登录（阻塞：微信开放平台审核还没通过）\n"
            "- [ ] **M2.3** Apple 登录（进行中）— iOS 上架必须有\n- [ ] **M2.4** 邮箱登录 ➖\n",
        )
    )
    assert [s.status for s in tracker.sessions] == [Status.DONE, Status.BLOCKED, Status.IN_PROGRESS, Status.DROPPED]


def test_a_checklist_keyed_by_short_ids() -> None:
    """`- [ ] T3 Build the CLI (needs T2)`: when the items lead with short ids of one family, those are keys;
    `— after T3` closing an item is its dependency, not its title."""
    tracker, _ = read_document(
        Document(
            "PLAN.md",
            "# Plan\n\n- [x] T1 Set up the repository\n- [x] T2 Write the parser (needs T1)\n"
            "- [ ] T3 Build the CLI (needs T2)\n- [ ] T4 Docs — after T3\n- [ ] T5 Release\n",
        )
    )
    assert [(s.key, s.title, s.prerequisites) for s in tracker.sessions] == [
        ("T1", "Set up the repository", []),
        ("T2", "Write the parser", ["T1"]),
        ("T3", "Build the CLI", ["T2"]),
        ("T4", "Docs", ["T3"]),
        ("T5", "Release", []),
    ]


def test_short_words_that_look_like_ids_in_a_plain_checklist_stay_titles() -> None:
    _, units = read("# Shopping\n\n- [ ] A1 sauce\n- [ ] Bread\n- [ ] Milk\n- [ ] Eggs\n")
    assert [s.title for s in units] == ["A1 sauce", "Bread", "Milk", "Eggs"]


def test_a_dependency_closing_a_task_item_in_any_language_and_a_phase_named_in_chinese_numerals() -> None:
    """`- [ ] 3.1 压测 — 依赖第二阶段`: the last dash segment states what it waits for (the members of the
    second phase), and is no part of the title."""
    tracker, _ = read_document(
        Document(
            "PLAN.md",
            "# 项目计划\n\n## 第一阶段：需求\n\n- [x] 1.1 用户访谈\n\n## 第二阶段：开发\n\n"
            "- [x] 2.1 后端接口 — 依赖 1.1\n- [ ] 2.2 前端页面 — depende de 2.1\n\n## 第三阶段：上线\n\n"
            "- [ ] 3.1 压测 — 依赖第二阶段\n",
        )
    )
    assert [(s.key, s.title, s.prerequisites) for s in tracker.sessions] == [
        ("1.1", "用户访谈", []),
        ("2.1", "后端接口", ["1.1"]),
        ("2.2", "前端页面", ["2.1"]),
        ("3.1", "压测", ["2.1", "2.2"]),
    ]
