"""The phases reader: status headings over checklists (seed 004, corpus 10 and 15)."""

from __future__ import annotations

import difflib

import pytest
from readers_truth import CORPUS, SEEDS, assert_exact_spans, assert_truth, truth_for

from syncbot.model import SpanKind, Status, SummaryKind
from syncbot.readers import READERS, load_document, read_document
from syncbot.readers.common import Document
from syncbot.writer import set_statuses

SEED = next(SEEDS.glob("004_*.txt"))


def test_seed_004_reads_exactly_as_expected() -> None:
    doc = load_document(SEED)
    tracker, _ = read_document(doc)
    assert tracker.shape == "phases"
    assert_truth(tracker.sessions, truth_for(SEED))
    assert [s.line for s in tracker.sessions] == [26, 34, 41, 54, 66, 75, 81]
    assert tracker.sessions[-1].end_line == 84


def test_seed_004_spans_and_summary_line() -> None:
    doc = load_document(SEED)
    tracker, _ = read_document(doc, "phases")
    # 7 headings plus 46 checkbox marks
    assert assert_exact_spans(doc, tracker.sessions) == 7 + 46
    first = tracker.sessions[0].status_spans[0]
    assert first.kind is SpanKind.HEADING and first.line == 26
    assert doc.fix(first.span.slice(doc.text)) == "✅ COMPLETED"
    progress = [s for s in tracker.summary_lines if s.kind is SummaryKind.PROGRESS]
    assert [(s.line, s.span.slice(doc.text)) for s in progress] == [(6, "100%")]


def test_marking_a_phase_rewrites_only_its_heading_and_the_summary() -> None:
    doc = load_document(SEED)
    tracker, _ = read_document(doc)
    key = tracker.sessions[0].key
    new_text = set_statuses(doc, tracker, {key: Status.PLANNED})
    again, _ = read_document(Document(doc.path, new_text))
    assert again.by_key()[key].status is Status.PLANNED
    assert [s.status for s in again.sessions[1:]] == [s.status for s in tracker.sessions[1:]]
    changed = [
        n for n, (a, b) in enumerate(zip(doc.text.splitlines(), new_text.splitlines(), strict=True), 1) if a != b
    ]
    assert changed == [6, 26]
    # written in the document's own words for that status (`⭕ PENDING`), inside the same emphasis
    assert new_text.splitlines()[25] == "### **⭕ PENDING - Foundation & Environment**"
    diff = list(difflib.unified_diff(doc.text.splitlines(), new_text.splitlines(), lineterm="", n=0))
    assert len([d for d in diff if d.startswith("+") and not d.startswith("+++")]) == 2


PHASES = """\
# Plan

## Current Sprint: Phase 2 - API

### ✅ Completed - Phase 1: Core
- [x] Structure
- [x] CI
  - [x] nested counts too

```bash
# ✅ COMPLETED - not a heading, a shell comment
- [ ] not an item
```

### ✅ Completed - Phase 2: API
- [ ] Endpoints
- [ ] Auth

### ⏳ Pending - Phase 3: UI
- [ ] Screens

### 🎉 MISSION ACCOMPLISHED
Everything works.

### 2026-01-11 - Phase 1 Completed
- note
"""


def test_phase_headings_checklists_code_fences_and_contradictions() -> None:
    doc = Document("todo.md", PHASES)
    res = READERS["phases"](doc)
    assert [(s.key, s.title, s.status, len(s.checklist)) for s in res.sessions] == [
        ("1", "Core", Status.DONE, 3),
        ("2", "API", Status.DONE, 2),
        ("3", "UI", Status.PLANNED, 1),
    ]
    assert res.confidence >= 0.9
    # heading says done while no box is checked: reported with the heading's line
    assert [(p.line, "none of its 2 items" in p.message) for p in res.problems] == [(15, True)]
    assert_exact_spans(doc, res.sessions)
    # and the tasklist reader gives way on the same document
    task = READERS["tasklist"](doc)
    assert len(task.sessions) * task.confidence < len(res.sessions) * res.confidence


def test_improvement_and_phase_numbers_that_collide_get_kind_keys() -> None:
    text = (
        "# R\n\n### Improvement #1: Speed ✅ COMPLETE\n- [x] a\n\n"
        "## 📦 Phase 1 — Data ✅ COMPLETE\n- [x] b\n    - [x] c\n\n## 🧹 Phase 2 — Clean ✅ COMPLETE\n- [x] d\n"
    )
    res = READERS["phases"](Document("r.md", text))
    assert [(s.key, s.title, len(s.checklist)) for s in res.sessions] == [
        ("improvement-1", "Speed", 1),
        ("phase-1", "Data", 2),
        ("phase-2", "Clean", 1),
    ]


@pytest.mark.corpus
@pytest.mark.parametrize("prefix", ["10_", "15_"])
def test_corpus_phase_documents(prefix: str) -> None:
    docs = sorted(CORPUS.glob(f"{prefix}*.md")) if CORPUS.is_dir() else []
    if not docs:
        pytest.skip("../shared/trackers/corpus is not here")
    doc = load_document(docs[0])
    tracker, _ = read_document(doc)
    assert tracker.shape == "phases"
    assert_truth(tracker.sessions, truth_for(docs[0]))
    assert_exact_spans(doc, tracker.sessions)


def test_numbered_phases_without_a_written_status_take_it_from_their_boxes() -> None:
    text = (
        "# Roadmap\n\n## Phase 1: Setup\n- [x] Repo\n- [x] CI\n\n## Phase 2: Build\n- [x] Models\n- [ ] API\n\n"
        "## Phase 3: Ship [IN PROGRESS]\n- [ ] Release\n\n## Phase 4: Later\n- [ ] Polish\n"
    )
    doc = Document("ROADMAP.md", text)
    tracker, _ = read_document(doc)
    assert tracker.shape == "phases"
    assert [(s.key, s.title, s.status, s.status_text) for s in tracker.sessions] == [
        ("1", "Setup", Status.DONE, ""),
        ("2", "Build", Status.IN_PROGRESS, ""),
        ("3", "Ship", Status.IN_PROGRESS, "IN PROGRESS"),
        ("4", "Later", Status.PLANNED, ""),
    ]
    # only a written status has a span to rewrite
    assert [len(s.status_spans) for s in tracker.sessions] == [0, 0, 1, 0]
    assert_exact_spans(doc, tracker.sessions)


def test_numbered_phase_headings_over_task_ids_stay_containers() -> None:
    text = "# Tasks\n\n## Phase 1: Setup\n- [ ] T001 Repo\n\n## Phase 2: Build\n- [ ] T002 Models\n"
    res = READERS["phases"](Document("tasks.md", text))
    assert res.sessions == []
    tracker, _ = read_document(Document("tasks.md", text))
    assert tracker.shape == "tasklist" and [s.key for s in tracker.sessions] == ["T001", "T002"]


def test_a_phase_listed_twice_is_reported() -> None:
    text = "# P\n\n## ✅ Phase 1: A\n- [x] a\n\n## ⏳ Phase 2: B\n- [ ] b\n\n## ⏳ Phase 2: B again\n- [ ] c\n"
    res = READERS["phases"](Document("p.md", text))
    assert [s.key for s in res.sessions] == ["1", "2", "2-2"]
    assert [(p.line, p.message) for p in res.problems] == [(9, "phase 2 is listed twice (also line 6)")]


def _units(text: str) -> list[tuple[str, str, str, str | None, int]]:
    tracker, _ = read_document(Document("ROADMAP.md", text))
    return [(s.key, s.title, s.status.value, s.phase, len(s.checklist)) for s in tracker.sessions]


MILESTONES = """# ROADMAP

## Milestone: v0.9.0-stabilization

## Must-Haves
- [ ] Clear folder structure

## Phases

### Phase 1: Research
**Status**: ✅ Complete

### Phase 2: Gap Closure
**Status**: 🏃 In Progress (fixing a regression)

#### 🔴 High Priority
| Gap | Status |
|-----|--------|
| UI test timeout | ⬜ |

- [x] Fix the timeout
- [ ] Verify the suite

## Milestone: v2.1-stabilized

### Phase 1: Test Suite
- [x] Fix failures

### Phase 2: Pipelines
- [x] Decompose
- [x] Optimise
"""


def test_milestones_contain_phases_and_qualify_repeated_numbers() -> None:
    # the milestone with open work keeps the bare numbers a trailer names (`Phase: 2 done`); the other
    # milestone's phases are qualified by its version; a phase with no status line is done when all its
    # boxes are; a priority colour (`🔴 High Priority`), the gap table, Must-Haves and milestones are no units
    assert _units(MILESTONES) == [
        ("1", "Research", "done", "Milestone: v0.9.0-stabilization", 0),
        ("2", "Gap Closure", "in_progress", "Milestone: v0.9.0-stabilization", 2),
        ("v2.1/1", "Test Suite", "done", "Milestone: v2.1-stabilized", 1),
        ("v2.1/2", "Pipelines", "done", "Milestone: v2.1-stabilized", 2),
    ]


def test_phase_headings_in_other_languages() -> None:
    text = (
        "# 路线图\n\n## 阶段 1：基础设施\n- [x] 建仓库\n- [x] CI\n\n## 阶段 2：核心功能\n- [x] 解析器\n- [ ] 写入器\n\n"
        "## 第3阶段：发布\n- [ ] 文档\n"
    )
    assert [(k, t, st) for k, t, st, _, _ in _units(text)] == [
        ("1", "基础设施", "done"),
        ("2", "核心功能", "in_progress"),
        ("3", "发布", "planned"),
    ]
    fase = (
        "# Plan\n\n## Fase 1: Base de datos\n**Estado:** ✅ Completado\n\n"
        "## Fase 2: API\n**Estado:** En progreso\n**Depende de:** Fase 1\n"
    )
    tracker, _ = read_document(Document("PLAN.md", fase))
    assert [(s.key, s.status.value, s.prerequisites) for s in tracker.sessions] == [
        ("1", "done", []),
        ("2", "in_progress", ["1"]),
    ]


def test_numbered_headings_under_chinese_stages_with_full_width_field_colons() -> None:
    """`### 1.1 Title` under `## 阶段 1：…`, with `- 状态：✅ 已完成`: the field name and its `：` are Chinese."""
    text = """\
# 迁移进度

## 阶段 1：基础设施

### 1.1 申请对象存储桶
- 状态：✅ 已完成
- 依赖：无

### 1.2 搭建 Spark 集群
- 状态：🚧 进行中
- 依赖：1.1

## 阶段 2：数据接入

### 2.1 MySQL binlog 接入
- 状态：⏸ 阻塞（等待供应商）
- 依赖：阶段 1

### 2.2 历史数据回灌
- 状态：⬜ 未开始
"""
    tracker, _ = read_document(Document("progress.md", text))
    got = {s.key: (s.title, s.status) for s in tracker.sessions}
    assert got == {
        "1.1": ("申请对象存储桶", Status.DONE),
        "1.2": ("搭建 Spark 集群", Status.IN_PROGRESS),
        "2.1": ("MySQL binlog 接入", Status.BLOCKED),
        "2.2": ("历史数据回灌", Status.PLANNED),
    }
