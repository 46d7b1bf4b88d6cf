"""The table reader: status matrices, second tables, per-session sections, summary lines, exact spans."""

from __future__ import annotations

from pathlib import Path

import pytest
from readers_expect import CORPUS, SEEDS, assert_matches, assert_spans_exact, expected

from syncbot.model import SpanKind, Status, SummaryKind
from syncbot.readers import READERS, load_document, read_document
from syncbot.readers.common import Document, to_mojibake
from syncbot.readers.key_index import KeyIndex
from syncbot.readers.refs import parse_refs
from syncbot.readers.table import read as read_table

SEED_000 = SEEDS / "000_e45d6e612abce616.txt"
TABLE_CORPUS = ["02", "03", "12", "24"]


def doc(text: str) -> Document:
    return Document("T.md", text)


def test_seed_000_matches_its_ground_truth_exactly() -> None:
    d = load_document(SEED_000)
    tracker, _ = read_document(d)
    assert tracker.shape == "table"
    assert tracker.mojibake
    assert tracker.title == "Session Tracker - Credential Token Ecosystem"
    assert_matches(tracker, expected(SEED_000))
    s1 = tracker.by_key()["1"]
    assert s1.status_text == "🔄 **READY**"
    assert s1.status_spans[0].span.slice(d.text) == to_mojibake("🔄") + " **READY**"
    assert s1.status_spans[0].kind is SpanKind.CELL
    assert (s1.duration, s1.output) == ("3-4h", "Smart contract framework")
    assert tracker.by_key()["2"].status_text == "⏳ Waiting"
    assert s1.checklist[0].text == "Working Foundry/Hardhat environment"
    assert tracker.problems == []


def test_seed_000_spans_are_exact() -> None:
    d = load_document(SEED_000)
    tracker, _ = read_document(d)
    assert assert_spans_exact(d, tracker.sessions) == 8 + 40


def test_seed_000_summary_lines_cover_only_the_values() -> None:
    d = load_document(SEED_000)
    tracker, _ = read_document(d)
    found = {(sl.kind, sl.line, sl.span.slice(d.text)) for sl in tracker.summary_lines}
    assert found == {(SummaryKind.COMPLETED, 7, "0/8"), (SummaryKind.NEXT_READY, 9, "Session 1")}


def test_progress_summary_lines_with_several_figures() -> None:
    text = (
        "# T\n\n**Completed**: 2/8 (25%)\n- Progress: 40% (2/5 sessions)\n"
        "**Overall Progress**: Architecture Complete\nProgress: 3/8 sessions complete\n\n"
        "```\nCompleted: 9/9\n```\n\n| Session | Status |\n|--|--|\n| 1 | Done |\n| 2 | Todo |\n"
    )
    res = read_table(doc(text))
    got = [(sl.kind, sl.line, sl.span.slice(text)) for sl in res.summary_lines]
    assert got == [
        (SummaryKind.COMPLETED, 3, "2/8"),
        (SummaryKind.PROGRESS, 3, "25%"),
        (SummaryKind.PROGRESS, 4, "40%"),
        (SummaryKind.COMPLETED, 4, "2/5"),
        (SummaryKind.COMPLETED, 6, "3/8"),
    ]


def test_status_kept_in_a_second_table() -> None:
    d = doc(
        "# Plan\n\n| ID | Packet | Prerequisites |\n| --- | --- | --- |\n"
        "| R1 | [Lifecycle](01.md) | Manual baseline |\n| R2 | Hooks | Baseline; R1 before cleanup |\n"
        "| R3 | Release | Baseline; final validation after R1–R2 |\n\n## Completion tracker\n\n"
        "| Packet | Executor | Status |\n| --- | --- | --- |\n| R1 | A | Implemented; review pending |\n"
        "| R2 | B | In progress |\n| R3 | C | Not started |\n"
    )
    res = read_table(d)
    got = {s.key: (s.title, s.status, s.prerequisites) for s in res.sessions}
    assert got == {
        "R1": ("Lifecycle", Status.DONE, []),
        "R2": ("Hooks", Status.IN_PROGRESS, ["R1"]),
        "R3": ("Release", Status.PLANNED, ["R1", "R2"]),
    }
    r1 = res.sessions[0]
    # the commentary after the status phrase is not part of what a writer replaces
    assert r1.status_spans[0].span.slice(d.text) == "Implemented"
    assert r1.status_spans[0].line == 13


def test_dependencies_written_in_the_status_cell_and_an_edge_table() -> None:
    d = doc(
        "# Map\n\n| ID | Phase | Status |\n| --- | --- | --- |\n"
        "| `IP-00` | Close questions | `COMPLETE` — closed 2026-09-27 |\n"
        "| `IP-01` | Toolchain | `NOT STARTED` — unblocked |\n"
        "| `IP-02` | Contract | `BLOCKED` on `IP-01` |\n"
        "| `IP-03` | Engine | `BLOCKED` on `IP-01`, `IP-02` |\n\n## Edges\n\n"
        "| From | To | Why |\n| --- | --- | --- |\n| `IP-00` | `IP-01` | first |\n"
        "| `IP-01` | `IP-02`, `IP-03` | toolchain |\n| `IP-00` | `IP-03` | extra |\n"
    )
    res = read_table(d)
    by = {s.key: s for s in res.sessions}
    assert [by[k].status for k in by] == [Status.DONE, Status.PLANNED, Status.BLOCKED, Status.BLOCKED]
    assert by["IP-01"].prerequisites == ["IP-00"]
    assert by["IP-02"].prerequisites == ["IP-01"]
    assert by["IP-03"].prerequisites == ["IP-01", "IP-02", "IP-00"]
    assert by["IP-02"].status_spans[0].span.slice(d.text) == "`BLOCKED`"
    # the edge table disagrees with the status cell of IP-03: both are used, and the reader says so
    assert [(p.line, "IP-03" in p.message) for p in res.problems] == [(16, True)]


def test_prerequisite_spellings() -> None:
    idx = KeyIndex(["1", "2", "3", "4", "5"])
    assert parse_refs("Sessions 3,4", idx, "5").keys == ["3", "4"]
    assert parse_refs("Sessions 3 & 4 complete", idx, "5").keys == ["3", "4"]
    assert parse_refs("All previous", idx, "4").keys == ["1", "2", "3"]
    assert parse_refs("Steps 1-3 stable", idx, "5").keys == ["1", "2", "3"]
    assert parse_refs("Session 2. Can run in parallel with 3", idx, "5").keys == ["2"]
    none = parse_refs("None", idx, "1")
    assert none.keys == [] and none.explicit_none
    assert parse_refs("Nothing — we own this", idx, "1").explicit_none
    ids = KeyIndex(["R1", "R2", "R3"])
    assert parse_refs("[R1](a.md) and [R2](b.md)", ids, "R3").keys == ["R1", "R2"]
    assert parse_refs("R1–R3", ids, None).keys == ["R1", "R2", "R3"]
    unknown = parse_refs("R1, R9", ids, "R3")
    assert unknown.keys == ["R1"] and unknown.unknown == ["R9"]


def test_key_and_title_in_one_cell_and_a_satisfaction_column_is_not_a_dependency() -> None:
    d = doc(
        "| Session | Status | Dependencies Met |\n|---|---|---|\n"
        "| 1 - Foundation | ✅ **COMPLETE** | ✅ All |\n| 2 - Core Tokens | 🔄 Active | ❌ Session 1 |\n"
    )
    res = read_table(d)
    assert [(s.key, s.title, s.status, s.prerequisites) for s in res.sessions] == [
        ("1", "Foundation", Status.DONE, []),
        ("2", "Core Tokens", Status.IN_PROGRESS, []),
    ]
    assert res.sessions[0].status_spans[0].span.slice(d.text) == "✅ **COMPLETE**"


def test_per_session_sections_give_checklists_and_report_contradictions() -> None:
    d = doc(
        "# T\n\n| Session | Title | Status | Prerequisites |\n|---|---|---|---|\n"
        "| 1 | One | Done | None |\n| 2 | Two | Waiting | Session 1 |\n\n"
        "### After Sessions 1 & 2 Complete\n- [ ] not a handoff item\n\n"
        "#### Session 1 Handoff Package\n- [x] a\n- [ ] b\n\n"
        "#### Session 2 Handoff Package\n- [ ] c\n  - [ ] nested d\n\n"
        "### Session 2 Dependencies\n- **Prerequisites**: Session 1 complete\n- **Status**: Blocked\n"
    )
    res = read_table(d)
    one, two = res.sessions
    assert [(i.text, i.done) for i in one.checklist] == [("a", True), ("b", False)]
    assert [i.text for i in two.checklist] == ["c", "nested d"]
    assert two.status is Status.PLANNED  # the matrix wins over a restatement below it
    msgs = sorted((p.line, p.message.split(":")[0]) for p in res.problems)
    assert msgs == [(5, "unit 1 is marked done but 1 of its 2 checklist items are open (first on line 13)"),
                    (21, "unit 2")]  # fmt: skip
    assert_spans_exact(d, res.sessions)


def test_progress_and_checkbox_status_cells() -> None:
    text = "| # | Task | Status |\n|---|---|---|\n| 1 | a | 100% |\n| 2 | b | 40 % |\n| 3 | c | 0% |\n| 4 | d | [x] |\n"
    res = read_table(doc(text))
    assert [s.status for s in res.sessions] == [Status.DONE, Status.IN_PROGRESS, Status.PLANNED, Status.DONE]
    assert [s.status_spans[0].span.slice(text) for s in res.sessions] == ["100%", "40 %", "0%", "[x]"]


def test_headings_about_other_units_or_several_sessions_get_no_checklist() -> None:
    d = doc(
        "| Session | Status |\n|---|---|\n| 1 | Waiting |\n| 2 | Waiting |\n\n"
        "## Phase 2 goals\n- [ ] phase item\n\n## Sessions 1-2 review\n- [ ] shared item\n\n"
        "## Success criteria for Session 2\n- [ ] its item\n"
    )
    res = read_table(d)
    assert [[i.text for i in s.checklist] for s in res.sessions] == [[], ["its item"]]


def test_a_status_column_under_another_name_is_found_by_its_content() -> None:
    text = "| Step | Goal | Progress | Notes |\n|---|---|---|---|\n| 1 | a | ✅ Done | x |\n| 2 | b | 50% | y |\n"
    res = read_table(doc(text))
    assert [(s.status, s.status_text) for s in res.sessions] == [(Status.DONE, "✅ Done"), (Status.IN_PROGRESS, "50%")]
    # a column of notes is never taken for statuses, even when a note happens to contain a status word
    text = "| Step | Goal | Notes |\n|---|---|---|\n| 1 | a | done by Bob |\n| 2 | b | later |\n"
    assert [s.status_spans for s in read_table(doc(text)).sessions] == [[], []]


def test_a_unit_listed_twice_is_reported_and_the_first_row_kept() -> None:
    d = doc("| Session | Status |\n|---|---|\n| 1 | Done |\n| 2 | Waiting |\n| 1 | Waiting |\n")
    res = read_table(d)
    assert [(s.key, s.status) for s in res.sessions] == [("1", Status.DONE), ("2", Status.PLANNED)]
    assert [p.line for p in res.problems] == [5]


def test_spans_survive_crlf_escaped_pipes_and_rows_without_outer_pipes() -> None:
    text = "Session | Title | Status\r\n---|---|---\r\n1 | A \\| B | In progress\r\n2 | C |   Done   \r\n"
    d = doc(text)
    res = read_table(d)
    assert [(s.title, s.status) for s in res.sessions] == [("A \\| B", Status.IN_PROGRESS), ("C", Status.DONE)]
    assert [s.status_spans[0].span.slice(text) for s in res.sessions] == ["In progress", "Done"]
    assert_spans_exact(d, res.sessions)


def test_nothing_found_says_what_was_looked_for() -> None:
    res = read_table(doc("# Notes\n\nJust prose.\n"))
    assert res.sessions == [] and res.confidence == 0
    assert "no tables" in res.notes[0]
    res = read_table(doc("# T\n\n| Resource | Status |\n|---|---|\n| Keys | ✅ ok |\n| Disk | ❌ missing |\n"))
    assert res.sessions == []
    assert res.notes == ["line 3: table (resource | status) has no column of unit keys"]


def test_detection_prefers_the_matrix_over_its_checklists() -> None:
    tracker, results = read_document(load_document(SEED_000))
    assert tracker.shape == "table"
    assert {r.reader for r in results} == set(READERS)


@pytest.mark.corpus
@pytest.mark.parametrize("prefix", TABLE_CORPUS)
def test_table_corpus_documents(prefix: str) -> None:
    if not CORPUS.is_dir():
        pytest.skip("../shared/trackers/corpus is absent")
    path = next(CORPUS.glob(f"{prefix}_*.md"))
    d = load_document(path)
    tracker, _ = read_document(d)
    assert tracker.shape == "table"
    assert_matches(tracker, expected(path))
    assert assert_spans_exact(d, tracker.sessions) >= len(tracker.sessions)


@pytest.mark.corpus
def test_edge_table_disagreement_is_a_problem_with_its_line() -> None:
    if not CORPUS.is_dir():
        pytest.skip("../shared/trackers/corpus is absent")
    path: Path = next(CORPUS.glob("12_*.md"))
    tracker, _ = read_document(load_document(path))
    assert tracker.by_key()["IP-19"].prerequisites == ["IP-05", "IP-04", "IP-16"]
    assert {p.line for p in tracker.problems} == {165, 177}


def test_a_phase_column_groups_the_units() -> None:
    text = (
        "| Session | Title | Phase | Status |\n|---|---|---|---|\n"
        "| 1 | One | Foundation | Done |\n| 2 | Two | Features | Pending |\n"
    )
    tracker, _ = read_document(Document("T.md", text), "table")
    assert [(s.key, s.title, s.phase) for s in tracker.sessions] == [
        ("1", "One", "Foundation"),
        ("2", "Two", "Features"),
    ]


def test_a_schedule_without_keys_names_its_rows_after_the_dates_and_its_stages_are_a_legend() -> None:
    # `💡 ideia → 📝 roteiro → 🎬 em edição → ✅ publicado`: stages, the first not started, the last done
    text = """# Temporada 3

Fluxo de cada episódio: 💡 ideia → 📝 roteiro → 🎬 em edição → ✅ publicado.

| Estreia | Episódio | Situação |
|---|---|---|
| 06/02 | **Cafezinho** | ✅ Publicado |
| 13/02 | **Pão de queijo** | 🎬 Em edição |
| 20/02 | **Cachaça** | 📝 Roteiro |
| 27/02 | **Feiras livres** | 💡 Ideia |
"""
    tracker, _ = read_document(Document("T.md", text))
    assert [(s.title, s.status.value) for s in tracker.sessions] == [
        ("Cafezinho", "done"),
        ("Pão de queijo", "in_progress"),
        ("Cachaça", "in_progress"),
        ("Feiras livres", "planned"),
    ]


def test_story_keys_are_not_their_epic_and_a_note_beside_the_dependency_column_may_say_what_waits() -> None:
    """Under `## E1 — Báscula`, `E1-S1` in a `Depende de` cell is the story, not all of E1; `bloquea E2-S2`
    in the notes beside that column makes E2-S2 wait for this row (the column keeps saying what it waits
    for: a note's forward words are not read)."""
    tracker, _ = read_document(
        doc(
            "# Tablero\n\n## E1 — Báscula\n\n"
            "| Historia | Descripción | Estado | Depende de | Notas |\n|---|---|---|---|---|\n"
            "| **E1-S1** | Leer el peso | Hecho | — | |\n| **E1-S2** | Ticket QR | Hecho | E1-S1 | |\n"
            "| **E1-S3** | Grado Brix | En curso | E1-S1 | bloquea E2-S2; después de la demo |\n\n"
            "## E2 — Liquidación\n\n| Historia | Descripción | Estado | Depende de | Notas |\n|---|---|---|---|---|\n"
            "| **E2-S1** | Precios | Hecho | — | |\n| **E2-S2** | Liquidación | Por hacer | E2-S1 | |\n"
        )
    )
    got = {s.key: s.prerequisites for s in tracker.sessions}
    assert got == {"E1-S1": [], "E1-S2": ["E1-S1"], "E1-S3": ["E1-S1"], "E2-S1": [], "E2-S2": ["E2-S1", "E1-S3"]}


def test_detail_sections_below_the_table_give_their_fields_written_on_one_line() -> None:
    """`### P1-2 · Airflow` below the dashboard is unit P1-2's section: `**Status:** Done · **Depends on:**
    P1-1` is two fields."""
    tracker, _ = read_document(
        doc(
            "# Status\n\n| ID | Item | Status |\n|---|---|---|\n| P1-1 | Terraform | ✅ Done |\n"
            "| P1-2 | Airflow | ✅ Done |\n| P1-3 | dbt | 🟡 In progress |\n\n## Phase 1\n\n"
            "### P1-2 · Airflow\n\n**Status:** Done · **Depends on:** P1-1\n\n"
            "### P1-3 · dbt\n\n**Status:** In progress · **Depends on:** P1-1, P1-2\n"
        )
    )
    assert {s.key: s.prerequisites for s in tracker.sessions} == {
        "P1-1": [],
        "P1-2": ["P1-1"],
        "P1-3": ["P1-1", "P1-2"],
    }


def test_a_list_beside_the_tables_whose_items_lead_with_ids_like_their_keys_holds_units() -> None:
    """`## v1.1 — tentative` over `- **#85** …` beside the tables of `#41`… rows: units not started, one
    struck through dropped, what they wait for read from their notes; a lone id in the notes is a mention."""
    tracker, _ = read_document(
        doc(
            "# Roadmap\n\n## v1.0\n\n| Issue | Feature | Status |\n|---|---|---|\n| #41 | Config v2 | ✅ |\n"
            "| #44 | Typst backend | 🚧 |\n| #52 | Plugins | 📋 |\n\n## v1.1 — tentative\n\n"
            "- **#85** Right-to-left scripts — needs the Typst backend (#44)\n- **#90** Live preview — after #41\n"
            "- ~~**#92** Desktop GUI~~ — out of scope\n\n## Notes\n\n- **#93** has the GUI thread\n- other remarks\n"
        )
    )
    got = {s.key: (s.title, s.status, s.prerequisites) for s in tracker.sessions}
    assert got["85"] == ("Right-to-left scripts", Status.PLANNED, ["44"])
    assert got["90"] == ("Live preview", Status.PLANNED, ["41"])
    assert got["92"][1] is Status.DROPPED
    assert "93" not in got


def test_a_mark_ahead_of_a_listed_items_id_is_its_status() -> None:
    """`- ✅ **PAG-260** Actualizar el SDK` beside a table of `PAG-…` rows: the mark is the item's status."""
    tracker, _ = read_document(
        doc(
            "# Sprint 14\n\n## Compromiso\n\n| ID | Tarea | Estado |\n|---|---|---|\n| PAG-250 | Doble cargo | ✅ |\n"
            "| PAG-251 | Moneda | 🔄 |\n\n## Tareas técnicas\n\n- ✅ **PAG-260** Actualizar el SDK\n"
            "- 🔄 **PAG-261** Feature flags — necesita PAG-260\n- **PAG-262** Alertas\n"
        )
    )
    got = {s.key: (s.status, s.prerequisites) for s in tracker.sessions}
    assert got["PAG-260"] == (Status.DONE, [])
    assert got["PAG-261"] == (Status.IN_PROGRESS, ["PAG-260"])
    assert got["PAG-262"][0] is Status.PLANNED


def test_a_note_says_what_a_row_waits_for_when_its_dependency_cell_is_blank() -> None:
    """`| D.1.2 | … | | 依赖 C.1.1 的数据库加密方案 |`: the column says nothing for this row, so its note does."""
    tracker, _ = read_document(
        doc(
            "# 计划\n\n| 编号 | 任务 | 状态 | 前置 | 备注 |\n|---|---|---|---|---|\n"
            "| C.1.1 | 数据库加密 | ✅ 已完成 | | |\n"
            "| D.1.1 | 等保测评 | ⏳ 未开始 | C.1.1 | 依赖 D.1.2 |\n"
            "| D.1.2 | 密评 | ⏳ 未开始 | | 依赖 C.1.1 的方案 |\n"
        )
    )
    assert {s.key: s.prerequisites for s in tracker.sessions} == {"C.1.1": [], "D.1.1": ["C.1.1"], "D.1.2": ["C.1.1"]}


def test_a_checklist_beside_a_table_of_units_is_work_when_under_way_or_a_phase_of_the_plan() -> None:
    """`## Bastidores` with items at different stages, or `## Fase 3` all open after `## Fase 2`'s table,
    are units; a `Definition of done` to copy (all open, not a phase) and a unit's own log entry are not."""
    tracker, _ = read_document(
        doc(
            "# Plan\n\n## Fase 1 — Catálogo\n\n| Tarea | Responsable | Estado |\n|---|---|---|\n"
            + "".join(f"| Migrar la colección {n} | Ana | ✅ Hecho |\n" for n in range(1, 11))
            + "\n"
            + "## Definition of done\n\n- [ ] Tests pass\n- [ ] Docs updated\n- [ ] Demo recorded\n\n"
            "## Fase 2 — Lanzamiento\n\n- [ ] Congelar el catálogo\n- [ ] Cambiar los DNS\n- [ ] Avisar a clientes\n\n"
            "## Bastidores\n\n- [x] Nueva viñeta\n- [ ] Micrófonos nuevos\n- [ ] Media kit\n"
        )
    )
    titles = [s.title for s in tracker.sessions]
    assert titles == [
        *(f"Migrar la colección {n}" for n in range(1, 11)),
        "Congelar el catálogo",
        "Cambiar los DNS",
        "Avisar a clientes",
        "Nueva viñeta",
        "Micrófonos nuevos",
        "Media kit",
    ]


def test_a_documents_own_status_words_in_a_chain_of_stages() -> None:
    """``**States:** `todo` → `in progress` → `in review` → `migrated` ``: `migrated` is the last stage, done."""
    tracker, _ = read_document(
        doc(
            "# Migration\n\n**States:** `todo` → `in progress` → `in review` → `migrated`. Also `blocked`.\n\n"
            "| Package | State | Needs |\n|---|---|---|\n| `@acme/tsconfig` | migrated | — |\n"
            "| `@acme/utils` | in review | — |\n| `@acme/date` | todo | — |\n"
        )
    )
    assert [s.status for s in tracker.sessions] == [Status.DONE, Status.IN_PROGRESS, Status.PLANNED]


def test_a_table_of_claims_under_test_with_verdicts_is_no_work() -> None:
    """`| # | Claim (paper) | … | Verdict |` below the steps of a reproduction: findings, not units."""
    tracker, _ = read_document(
        doc(
            "# Reproduction\n\n| Step | Task | Status |\n|---|---|---|\n| 1 | Data | Done |\n| 2 | Train | Doing |\n"
            "| 3 | Report | Todo |\n\n## Claims under test\n\n"
            "| # | Claim (paper) | Ours | Verdict |\n|---|---|---|---|\n"
            "| C1 | Baseline top-1 | 65.1 | pending |\n| C2 | Gain on CIFAR | — | pending |\n"
            "| C3 | No extra compute | yes | ✅ confirmed |\n"
        )
    )
    assert [s.key for s in tracker.sessions] == ["1", "2", "3"]
