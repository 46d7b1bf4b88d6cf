"""The sections reader: `## Step N — Title` sections with `Depends on` / `Blocks` fields."""

from __future__ import annotations

import pytest
from readers_expect import CORPUS, assert_matches, assert_spans_exact, expected

from syncbot.model import SpanKind, Status
from syncbot.readers import load_document, read_document
from syncbot.readers.common import Document
from syncbot.readers.sections import read as read_sections

STEPS = """# Roadmap

Status: Step 1 in planning

## Step 1 — Engine Fixes (CURRENT)

**Owner:** us
**Depends on:** Nothing — we own this
**Blocks:** Steps 2, 3

## Step 2 — Packaging

**Depends on:** Step 1 complete
**Blocks:** Step 3
- [ ] prove it installs

## Step 3 — Validation

**Depends on:** Step 2 complete

## Step 4 — Cleanup

**Depends on:** Steps 1-3 stable
**Status:** ✅ Done
"""


def test_steps_with_depends_on_and_blocks() -> None:
    d = Document("R.md", STEPS)
    res = read_sections(d)
    got = [(s.key, s.title, s.status, s.prerequisites, len(s.checklist)) for s in res.sessions]
    assert got == [
        ("1", "Engine Fixes", Status.IN_PROGRESS, [], 0),
        ("2", "Packaging", Status.PLANNED, ["1"], 1),
        ("3", "Validation", Status.PLANNED, ["2", "1"], 0),
        ("4", "Cleanup", Status.DONE, ["1", "2", "3"], 0),
    ]
    one, _, _, four = res.sessions
    assert one.status_spans[0].kind is SpanKind.HEADING and one.status_spans[0].span.slice(STEPS) == "CURRENT"
    assert four.status_spans[0].kind is SpanKind.FIELD and four.status_spans[0].line == 24
    # Step 1 says it blocks Step 3, which does not list it: both are used, and the problem names the line
    assert [(p.line, p.message.split(",")[0]) for p in res.problems] == [
        (9, "1 says it blocks 3"),
        (3, "this line says 1 is planned"),
    ]
    assert_spans_exact(d, res.sessions)


def test_duplicate_sections_and_nothing_found() -> None:
    res = read_sections(Document("R.md", "## Step 1 - A\n\n## Step 1 - B\n"))
    assert [s.title for s in res.sessions] == ["A"] and [p.line for p in res.problems] == [3]
    empty = read_sections(Document("R.md", "# R\n\n## Goals\n"))
    assert empty.sessions == [] and "none of the 2 headings matched" in empty.notes[0]


def test_a_step_title_that_only_contains_a_status_word_keeps_it() -> None:
    res = read_sections(Document("R.md", "## Step 1 — Testing Framework\n\n**Depends on:** none\n"))
    (s,) = res.sessions
    assert (s.title, s.status, s.status_spans) == ("Testing Framework", Status.PLANNED, [])


@pytest.mark.corpus
def test_steps_corpus_document() -> None:
    if not CORPUS.is_dir():
        pytest.skip("../shared/trackers/corpus is absent")
    path = next(CORPUS.glob("09_*.md"))
    d = load_document(path)
    tracker, _ = read_document(d, "sections")
    assert_matches(tracker, expected(path))
    assert_spans_exact(d, tracker.sessions)
    assert sorted(p.line for p in tracker.problems) == [4, 14]


def _read(text: str) -> list[tuple[str, str, str, list[str]]]:
    tracker, _ = read_document(Document("R.md", text))
    return [(s.key, s.title, s.status.value, s.prerequisites) for s in tracker.sessions]


def test_a_numbered_heading_over_a_status_field_is_keyed_by_its_number() -> None:
    # `Task: 23 done` must reach `## 23. **Title**`; a slug of the title would not
    text = (
        "# TODO status\n\n## 1. **Scanner improvements**\n- STATUS: IN-PROGRESS\n- BLOCKERS: none\n\n"
        "## 2. Export to PDF\n- STATUS: BLOCKED\n\n## 2.1 One-page summary\n- STATUS: IN-PROGRESS\n"
    )
    assert _read(text) == [
        ("1", "Scanner improvements", "in_progress", []),
        ("2", "Export to PDF", "blocked", []),
        ("2.1", "One-page summary", "in_progress", []),
    ]


def test_unit_words_and_field_names_in_other_languages() -> None:
    text = (
        "# Plan\n\n## Schritt 1: Datenbank\n**Status:** erledigt\n\n"
        "## Schritt 2: API\n**Status:** in Arbeit\n**Abhängig von:** Schritt 1\n\n"
        "## Schritt 3: Oberfläche\n**Status:** offen\n**Abhängig von:** Schritt 2\n"
    )
    assert _read(text) == [
        ("1", "Datenbank", "done", []),
        ("2", "API", "in_progress", ["1"]),
        ("3", "Oberfläche", "planned", ["2"]),
    ]


def test_session_sections_written_ahead_of_the_work_are_a_plan_not_a_log() -> None:
    plan = (
        "# Plan\n\n## Session 1: Setup\nStatus: done\n\n## Session 2: Parser\nStatus: in progress\n"
        "Depends on: Session 1\n\n## Session 3: Writer\nStatus: planned\nDepends on: Session 2\n"
    )
    tracker, _ = read_document(Document("R.md", plan))
    assert tracker.shape == "sections"
    assert [(s.key, s.status.value, s.prerequisites) for s in tracker.sessions] == [
        ("1", "done", []),
        ("2", "in_progress", ["1"]),
        ("3", "planned", ["2"]),
    ]
    # dated entries that only record work done are a log
    log = "# Log\n\n## Session 1 - 2025-01-02 - Setup\nStatus: done\n\n## Session 2 - 2025-01-03 - API\nStatus: done\n"
    assert read_document(Document("R.md", log))[0].shape == "thread"


def test_a_struck_or_superseded_section_is_dropped() -> None:
    text = (
        "# Plan\n\n## Step 1 — Parser\n**Status:** done\n\n## ~~Step 2 — Old writer~~\n**Status:** planned\n\n"
        "## Step 3 — Writer (superseded by Step 4)\n\n## Step 4 — New writer\n**Status:** in progress\n"
        "**Depends on:** Step 1\n"
    )
    assert [(k, t, st) for k, t, st, _ in _read(text)] == [
        ("1", "Parser", "done"),
        ("2", "Old writer", "dropped"),
        ("3", "Writer", "dropped"),
        ("4", "New writer", "in_progress"),
    ]


def test_a_leading_id_is_the_key_and_a_parent_heading_is_a_container() -> None:
    """`### TASK-012-001：Title` is keyed by its id, whatever colon follows it.  The `## 阶段 1` heading above
    is a container: `依赖: 阶段 1` means its members, and a dependency the container states before its first
    unit applies to every member.  A struck-through member is no longer part of its container."""
    text = """# 迭代计划

## 阶段 1：数据接入

### TASK-1-001：解析器
**状态**: 已完成

### TASK-1-002：回调落库
**状态**: 已完成

## 阶段 2：引擎

> 本阶段全部任务依赖阶段 1 完成。

### TASK-1-003：精确匹配
**依赖**: TASK-1-001

### ~~TASK-1-004：规则 DSL~~
**状态**: 已取消

## 阶段 3：差异

### TASK-1-005：差异单
**依赖**: 阶段 2
"""
    # the reader's own reading (the document-wide prose pass is refs.phase_containers' business)
    got = {s.key: s.prerequisites for s in read_sections(Document("R.md", text)).sessions}
    assert list(got) == ["TASK-1-001", "TASK-1-002", "TASK-1-003", "TASK-1-004", "TASK-1-005"]
    assert got["TASK-1-003"] == ["TASK-1-001", "TASK-1-002"]
    assert got["TASK-1-004"] == ["TASK-1-001", "TASK-1-002"]
    assert got["TASK-1-005"] == ["TASK-1-003"]


def test_a_unit_that_says_it_waits_for_nothing_opts_out_of_its_containers_dependency() -> None:
    text = """# Roadmap

## 2. Storage

### Task 2.1 — Schema
**Status:** done

## 4. Sync

Everything in this section depends on section 2 being finished.

### Task 4.1 — Protocol design
**Needs:** nothing — design can happen in parallel

### Task 4.2 — Server
**Needs:** 4.1
"""
    got = {k: deps for k, _, _, deps in _read(text)}
    assert got["4.1"] == []
    assert got["4.2"] == ["4.1", "2.1"]


def test_german_voraussetzung_and_all_previous_skip_a_dropped_step() -> None:
    text = """# Umsetzungsplan

## Schritt 1 – Bestandsaufnahme
**Status:** erledigt
**Voraussetzung:** –

## Schritt 2 – ~~Eigene App~~
**Status:** gestrichen

## Schritt 3 – Abschalten
**Status:** offen
**Voraussetzung:** alle vorherigen Schritte
"""
    got = {k: (st, deps) for k, _, st, deps in _read(text)}
    assert got["1"][1] == []
    assert got["3"][1] == ["1"]


def test_a_struck_status_in_a_field_is_replaced_by_the_one_after_it() -> None:
    text = """# Pipeline

### `ingest_orders`
**Status:** done

### `ingest_clicks`
**Status:** ~~not started~~ dropped — the product team said it is not needed
"""
    got = {k: st for k, _, st, _ in _read(text)}
    assert got == {"ingest-orders": "done", "ingest-clicks": "dropped"}


def test_a_sibling_with_the_same_status_field_is_a_unit_whatever_its_value_says() -> None:
    # `da avviare` is no status word the vocabulary knows; the field and the heading's form say it is a unit
    text = """# Piano

### Attività 2.5 – Analytics
**Stato:** completata

### Attività 2.6 – Pubblicazione
**Stato:** da avviare
**Prerequisiti:** dopo 2.5; è prerequisito di tutta la fase 3

## Fase 3 — Servizi

### Attività 3.1 – SPID
**Stato:** completata
**Prerequisiti:** vedi anche italia/anpr#1432

### Attività 3.2 – Anagrafe
**Stato:** in corso
"""
    got = {k: (st, deps) for k, _, st, deps in _read(text)}
    assert got["2.6"] == ("planned", ["2.5"])
    # `prerequisito di` makes the phase's units wait; `vedi anche` names, it does not wait
    assert got["3.1"][1] == ["2.6"]
    assert got["3.2"][1] == ["2.6"]


def test_a_sections_first_words_emphasised_are_its_status() -> None:
    from syncbot.readers import read_document
    from syncbot.readers.common import Document

    text = """# Reproduction plan

## Step 1 — List the claims

**Done.** Five claims, see the table at the bottom.

## Step 2 — Run the Dockerfile as-is

**Failed.** The base image no longer pulls.

## Step 3 — Reproduce the baseline

**In progress** (@tomasz). Needs the environment from Step 1.

## Step 4 — Extension

Not a status: this paragraph only describes the step.
"""
    tracker, _ = read_document(Document("PLAN.md", text))
    assert {s.key: s.status.value for s in tracker.sessions} == {
        "1": "done",
        "2": "failed",
        "3": "in_progress",
        "4": "planned",
    }


def test_sections_keyed_by_a_lettered_number_with_several_fields_on_one_line() -> None:
    """`#### 01.B Title` is keyed `01.B`; `Status: erledigt · Voraussetzung: 01.A` is two fields, and a bold
    label running on inside a line (`(Antrag vom 12.06.) **Setzt voraus:** 01.B`) is one too."""
    text = (
        "# Umsetzungsplan\n\n### 01 Grundlagen\n\n"
        "#### 01.A MEP fortschreiben\n\nStatus: erledigt · Voraussetzung: keine\n\n"
        "#### 01.B Bestandsaufnahme\n\nStatus: erledigt · Voraussetzung: 01.A\n\n"
        "#### 01.C Verkabelung\n\n**Status:** blockiert — die Erlaubnis steht aus\n"
        "(Antrag vom 12.06.) **Setzt voraus:** 01.B\n"
    )
    assert _read(text) == [
        ("01.A", "MEP fortschreiben", "done", []),
        ("01.B", "Bestandsaufnahme", "done", ["01.A"]),
        ("01.C", "Verkabelung", "blocked", ["01.B"]),
    ]


def test_a_dated_log_below_the_sections_is_newer_than_they_are() -> None:
    """`**2026-01-28** — 5.3 Garage is running (one node). Done.`: an entry that opens with a unit's number is
    about it to its end, and its last sentence that reports progress is the latest news; `retry planned` is
    a plan, not news."""
    text = (
        "# homelab\n\n### 5.2 Velero\nstatus: todo\n\n### 5.3 Garage S3\nstatus: todo\n\n"
        "### 5.4 Restic\nstatus: failed\n\n## Log\n\n"
        "**2026-01-28** — 5.3 Garage is running (single node, replication 1). Done.\n\n"
        "**2026-01-29** — 5.4 snapshot sync lagged ten minutes. Retry planned.\n"
    )
    assert [(k, st) for k, _, st, _ in _read(text)] == [("5.2", "planned"), ("5.3", "done"), ("5.4", "failed")]


def test_a_title_that_opens_with_a_name_of_its_own_is_called_by_it() -> None:
    # `### Step 13 — Wave 1: payments-ledger`: `once wave 1 is through` waits for Step 13, not for Step 1
    from syncbot.readers import read_document
    from syncbot.readers.common import Document

    text = "# Migration\n\n" + "".join(
        f"### Step {n} — {title}\n\n{body}\n\n**Status:** not started\n\n"
        for n, title, body in [
            (1, "Cluster", "Terraform for the cluster."),
            (2, "Wave 1: payments-ledger", "After Step 1."),
            (3, "Wave 2: payments-api", "Goes after wave 1, and it needs the proxy from Step 4."),
            (4, "RDS Proxy", "Needed the peering from Step 1."),
        ]
    )
    tracker, _ = read_document(Document("PLAN.md", text))
    assert {s.key: s.prerequisites for s in tracker.sessions} == {"1": [], "2": ["1"], "3": ["2", "4"], "4": ["1"]}


def test_story_sections_beside_tables_of_the_same_backlog_are_units_too() -> None:
    """`#### E1-S3 · Title` sections with a status line, then tables of `E3-S1` rows: one backlog written two
    ways; `E5-S2 y E5-S3 dependen de esta` on E5-S1's row makes them wait for it."""
    from syncbot.readers import read_document
    from syncbot.readers.common import Document

    text = (
        "# Backlog\n\n## E1 · Reservas\n\n#### E1-S1 · Ver horarios\n**Estado:** Hecho\n\n"
        "#### E1-S2 · Reservar sin registrarme\n**Estado:** En curso\n\n"
        "#### E1-S3 · Cancelar\n**Estado:** Pendiente\n\n"
        "## E5 · Sucursales\n\n| Historia | Descripción | Estado | Notas |\n|---|---|---|---|\n"
        "| E5-S1 | Varias sucursales | Pendiente | base de la épica: E5-S2 y E5-S3 dependen de esta |\n"
        "| E5-S2 | Profesionales | Pendiente | |\n| E5-S3 | Reportes | Pendiente | |\n"
    )
    tracker, _ = read_document(Document("BACKLOG.md", text))
    got = {s.key: s.prerequisites for s in tracker.sessions}
    assert got == {"E1-S1": [], "E1-S2": [], "E1-S3": [], "E5-S1": [], "E5-S2": ["E5-S1"], "E5-S3": ["E5-S1"]}


def test_a_roadmap_whose_milestones_hold_their_items_in_three_formats() -> None:
    """`### M2.1 Title` sections with a status line under `## M2`, a table of `M3.n` rows under `## M3` and a
    checklist of `M1.n` under `## M1`: the items are the units, each milestone a container."""
    from syncbot.readers import read_document
    from syncbot.readers.common import Document

    text = (
        "# Roadmap\n\n## M1 – Grundgerüst ✅\n\n- [x] M1.1 Laden\n- [x] M1.2 Kasse\n- [x] M1.3 Inventar\n\n"
        "## M2 – Wirtschaft 🟡\n\n### M2.1 Dynamische Preise\n\n**Status:** fertig\n\n"
        "### M2.2 Tagesabrechnung\n\n**Status:** in Arbeit · **Abhängig von:** M2.1\n\n"
        "### M2.3 NPC-Kunden\n\n**Status:** offen\n\n"
        "## M3 – Multiplayer 🔴\n\n| ID | Aufgabe | Status | Abhängig von |\n|---|---|---|---|\n"
        "| M3.1 | Sync | offen | M1.3 |\n| M3.2 | Host | offen | M3.1 |\n| M3.3 | Übersetzung | blockiert | M2.3 |\n"
    )
    tracker, _ = read_document(Document("ROADMAP.md", text))
    got = {s.key: (s.status.value, s.prerequisites) for s in tracker.sessions}
    assert list(got) == ["M1.1", "M1.2", "M1.3", "M2.1", "M2.2", "M2.3", "M3.1", "M3.2", "M3.3"]
    assert got["M2.2"] == ("in_progress", ["M2.1"])
    assert got["M3.3"] == ("blocked", ["M2.3"])


def test_key_results_whose_progress_field_is_a_share_done() -> None:
    """`### KR1.1 …` / `Progress: 40% · Owner: @mia`: a share done is the unit's status (0% not started,
    100% done), not the document's progress; marking it writes the file's own style."""
    from syncbot.model import Status
    from syncbot.readers import read_document
    from syncbot.readers.common import Document
    from syncbot.writer import set_statuses

    doc = Document(
        "OKR.md",
        "# Q3 OKRs\n\n## O1: Onboarding\n\n### KR1.1 Time to first value\nProgress: 40% · Owner: @mia\n\n"
        "### KR1.2 Activation rate\nProgress: 0%\n\n## O2: Reliability\n\n### KR2.1 Availability\nProgress: 100% ✅\n",
    )
    tracker, _ = read_document(doc)
    assert [(s.key, s.status) for s in tracker.sessions] == [
        ("KR1.1", Status.IN_PROGRESS),
        ("KR1.2", Status.PLANNED),
        ("KR2.1", Status.DONE),
    ]
    assert "Progress: 100% ✅ · Owner: @mia" in set_statuses(doc, tracker, {"KR1.1": Status.DONE})
