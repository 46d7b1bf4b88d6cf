"""Tables read by structure: what a column holds decides its role, in any language; a document's legend
names its marks; several tables may each be their own namespace; tables of risks, velocity or
benchmarks are not work; a sure reading of another part of the document joins the best one."""

from __future__ import annotations

import pytest

from syncbot.model import Status
from syncbot.readers import read_document
from syncbot.readers.common import Document
from syncbot.readers.legend import read_legend
from syncbot.readers.status_words import classify_status
from syncbot.readers.table_keys import parse_key


def units(text: str) -> list[tuple[str, str, str, list[str]]]:
    tracker, _ = read_document(Document("T.md", text))
    return [(s.key, s.title, s.status.value, s.prerequisites) for s in tracker.sessions]


@pytest.mark.parametrize(
    "cell,key",
    [
        ("3", "3"),
        ("3.2", "3.2"),
        ("G.1.1", "G.1.1"),
        ("02.A", "02.A"),
        ("P6-2", "P6-2"),
        ("VS-001", "VS-001"),
        ("E1-S3", "E1-S3"),
        ("T012", "T012"),
        ("S-205c", "S-205c"),
        ("#12", "12"),
        ("**7**", "7"),
        ("Phase 2", "2"),
        ("Step 4", "4"),
        ("阶段 3", "3"),
        ("P2-next", "P2-next"),
    ],
)
def test_keys_come_in_every_form_people_write(cell: str, key: str) -> None:
    assert parse_key(cell, allow_title=False) == (key, "")


@pytest.mark.parametrize("cell", ["2026-08-04", "Login page", "", "—"])
def test_dates_and_words_are_no_keys(cell: str) -> None:
    assert parse_key(cell, allow_title=False) is None


@pytest.mark.parametrize(
    "text,status",
    [
        ("Concluído", Status.DONE),
        ("Em andamento", Status.IN_PROGRESS),
        ("Pendiente", Status.PLANNED),
        ("Bloqueado", Status.BLOCKED),
        ("In Arbeit", Status.IN_PROGRESS),
        ("Terminé", Status.DONE),
        ("任务已完成", Status.DONE),  # Chinese words are matched inside text
        ("未完成", Status.PLANNED),  # the longer word wins: not finished
        ("進行中", Status.IN_PROGRESS),
        ("완료됨", Status.DONE),  # Korean glues particles to the word
        ("⚪", Status.PLANNED),
        ("Postponed", Status.DROPPED),
        ("En proceso", Status.IN_PROGRESS),
        ("Riscado", Status.DROPPED),  # pt: struck out
        ("cortados", Status.DROPPED),  # pt/es: cut
        ("経済", None),  # 済 alone is no status: it is half of "economy"
        ("Listo para empezar", Status.READY),  # es: the longer phrase wins over `listo` (done)
        ("In Abnahme", Status.IN_PROGRESS),  # de: in acceptance
        ("Em homologação", Status.IN_PROGRESS),  # pt
        ("Aguardando", Status.BLOCKED),  # pt: waiting on something
        ("zurückgestellt", Status.DROPPED),
        ("待上线", Status.IN_PROGRESS),  # zh: awaiting release
        ("処理中", Status.IN_PROGRESS),  # ja: Backlog (Nulab)
        ("対応しない", Status.DROPPED),
        ("검토 중", Status.IN_PROGRESS),  # ko: in review
        ("Abandonnée", Status.DROPPED),  # fr: the feminine too
    ],
)
def test_status_words_in_eight_languages(text: str, status: Status | None) -> None:
    assert classify_status(text) is status


def test_a_legend_names_the_documents_marks() -> None:
    legend = read_legend(Document("T.md", "# P\n\n图例：🟢 完成 · 🟡 进行中 · 🔴 阻塞 · ⚪ 未开始\n"))
    assert legend == {"🟢": Status.DONE, "🟡": Status.IN_PROGRESS, "🔴": Status.BLOCKED, "⚪": Status.PLANNED}


def test_a_legend_takes_precedence_over_the_built_in_meaning() -> None:
    text = (
        "# Board\n\nLegend: 🟢 done · 🟡 in progress · 🔴 failed · ⚫ cut\n\n"
        "| ID | Feature | Owner | Status |\n|---|---|---|---|\n"
        "| FT-1 | Login | ana | 🟢 |\n| FT-2 | Sync | bob | 🔴 |\n| FT-3 | Share | ana | ⚫ |\n"
    )
    assert [(k, st) for k, _, st, _ in units(text)] == [("FT-1", "done"), ("FT-2", "failed"), ("FT-3", "dropped")]


def test_a_chinese_status_table_with_unknown_headers() -> None:
    text = (
        "# 项目进度\n\n| 编号 | 任务 | 负责人 | 状态 |\n|---|---|---|---|\n"
        "| G.1.1 | 搭建仓库 | 张三 | 已完成 |\n| G.1.2 | CI 流水线 | 李四 | 进行中 |\n"
        "| G.2.1 | 数据模型 | 张三 | 未开始 |\n"
    )
    assert [(k, t, st) for k, t, st, _ in units(text)] == [
        ("G.1.1", "搭建仓库", "done"),
        ("G.1.2", "CI 流水线", "in_progress"),
        ("G.2.1", "数据模型", "planned"),
    ]


def test_columns_are_recognised_by_their_cells_under_headers_never_seen() -> None:
    # no header word is known: keys are short unique tokens, the status column holds statuses, the title
    # column is the words, and a column of repeated names is who, not what
    text = (
        "# Plan\n\n| Kood | Nimi | Kes | Olek |\n|---|---|---|---|\n"
        "| 02.A | Login page | ana | Done |\n| 02.B | Signup flow | bob | In progress |\n"
        "| 02.C | Password reset | ana | Todo |\n"
    )
    assert [(k, t, st) for k, t, st, _ in units(text)] == [
        ("02.A", "Login page", "done"),
        ("02.B", "Signup flow", "in_progress"),
        ("02.C", "Password reset", "planned"),
    ]


def test_several_unit_tables_are_each_their_own_namespace() -> None:
    text = (
        "# Hub\n\n## Roadmap\n\n| Phase | Focus | Status |\n|---|---|---|\n"
        "| **1** | Scaffold | Complete |\n| **2** | Pilots | In progress |\n\n"
        "## Queue\n\n| # | Task | Depends on | Status |\n|---|---|---|---|\n"
        "| 1 | Site skeleton | — | Done |\n| 2 | Placeholder pages | 1 | Done |\n| 3 | Roadmap page | 1–2 | Next |\n"
    )
    assert units(text) == [
        ("phase-1", "Scaffold", "done", []),
        ("phase-2", "Pilots", "in_progress", []),
        ("1", "Site skeleton", "done", []),
        ("2", "Placeholder pages", "done", ["1"]),
        ("3", "Roadmap page", "ready", ["1", "2"]),
    ]


def test_a_table_restating_the_same_units_gives_what_the_matrix_lacks() -> None:
    text = (
        "# Tracker\n\n| Session | Title |\n|---|---|\n| 1 | Setup |\n| 2 | API |\n\n"
        "## Completion\n\n| Session | Title | Status |\n|---|---|---|\n| 1 | Setup | Done |\n| 2 | API | Pending |\n"
    )
    assert [(k, st) for k, _, st, _ in units(text)] == [("1", "done"), ("2", "planned")]


@pytest.mark.parametrize(
    "table",
    [
        "## Risks\n\n| # | Risk | Status |\n|---|---|---|\n| 1 | Vendor late | Open |\n| 2 | Budget | Done |\n",
        "## リスク\n\n| # | リスク | 状態 | 対策 |\n|---|---|---|---|\n| R1 | 品質 | 進行中 | x |\n"
        "| R2 | 予算 | 完了 | y |\n",
        "## Velocity\n\n| Sprint | Committed | Done |\n|---|---|---|\n| 14 | 7 | 7 |\n| 15 | 8 | 5 |\n",
        "## Benchmarks\n\n| Dataset | Zoom | p99 | Status |\n|---|---|---|---|\n| OSM | 14 | 41 ms | ✅ |\n"
        "| OSM | 10 | 210 ms | ✅ |\n",
    ],
    ids=["risks", "japanese-risks", "velocity", "benchmarks"],
)
def test_tables_about_something_other_than_work_are_not_units(table: str) -> None:
    text = "# Plan\n\n| ID | Task | Status |\n|---|---|---|\n| T1 | Build | Done |\n| T2 | Ship | Todo |\n\n" + table
    assert [k for k, _, _, _ in units(text)] == ["T1", "T2"]


def test_a_struck_through_row_is_dropped_and_a_struck_status_gives_way_to_its_replacement() -> None:
    text = (
        "# Slices\n\n| ID | Slice | Status |\n|---|---|---|\n| VS-001 | Core | Done |\n"
        "| VS-002 | ~~Kafka source~~ | — |\n| VS-003 | Sinks | ~~Planned~~ In progress |\n"
    )
    assert [(k, st) for k, _, st, _ in units(text)] == [
        ("VS-001", "done"),
        ("VS-002", "dropped"),
        ("VS-003", "in_progress"),
    ]


def test_a_blocks_column_makes_the_named_rows_wait() -> None:
    text = (
        "# Plan\n\n| ID | Task | Status | Blocks |\n|---|---|---|---|\n| A1 | Schema | Done | A2, A3 |\n"
        "| A2 | API | Todo | |\n| A3 | UI | Todo | |\n"
    )
    assert [(k, p) for k, _, _, p in units(text)] == [("A1", []), ("A2", ["A1"]), ("A3", ["A1"])]


def test_sections_and_a_table_in_one_document_are_both_read() -> None:
    text = (
        "# Plan\n\n## Step 1: Setup\nStatus: done\n\n## Step 2: API\nStatus: in progress\nDepends on: Step 1\n\n"
        "## Step 3: UI\nStatus: planned\nDepends on: Step 2\n\n## Cross-cutting\n\n| ID | Task | Status |\n"
        "|---|---|---|\n| X-1 | Docs | Done |\n| X-2 | CI | Pending |\n| X-3 | License | Done |\n"
    )
    assert [(k, st) for k, _, st, _ in units(text)] == [
        ("1", "done"),
        ("2", "in_progress"),
        ("3", "planned"),
        ("X-1", "done"),
        ("X-2", "planned"),
        ("X-3", "done"),
    ]


def test_a_notes_cell_that_says_what_a_row_waits_for_gives_its_prerequisites() -> None:
    text = (
        "# Roadmap\n\n| ID | Task | Status | Notes |\n|---|---|---|---|\n| G.1.1 | Encoder | Done | |\n"
        "| G.1.2 | Source | Done | requires G.1.1 |\n| G.1.3 | Filter | Blocked | Blocked on G.1.2; also waits for "
        "geo-rs#19 |\n| G.1.4 | Cache | Todo | replaced by G.1.3 |\n"
    )
    assert [(k, p) for k, _, _, p in units(text)] == [
        ("G.1.1", []),
        ("G.1.2", ["G.1.1"]),
        ("G.1.3", ["G.1.2", "geo-rs#19"]),
        ("G.1.4", []),
    ]


def test_lines_below_a_table_that_lead_with_keys_give_their_dependencies() -> None:
    text = (
        "# Board\n\n| ID | Feature | Status |\n|---|---|---|\n| FT-101 | Store | Done |\n| FT-102 | Queue | Done |\n"
        "| FT-103 | Merge | Todo |\n| FT-107 | Sync | Todo |\n\n## Dependencies\n\n- FT-102 — after FT-101 lands\n"
        "- FT-103, FT-107 — blocked on FT-102\n- FT-101 shipped in March\n"
    )
    assert [(k, p) for k, _, _, p in units(text)] == [
        ("FT-101", []),
        ("FT-102", ["FT-101"]),
        ("FT-103", ["FT-102"]),
        ("FT-107", ["FT-102"]),
    ]


def test_a_units_own_prose_says_what_it_waits_for_whatever_read_it() -> None:
    text = (
        "# Upgrade\n\n## Step 1 — Inventory\n\nStatus: done\n\n## Step 2 — Replica\n\nStatus: done\n\n"
        "## Step 3 — Cutover\n\nStatus: not started\nAfter Step 2 lands; the team discussed Step 1 at length.\n\n"
        "## Step 4 — Secrets\n\nStatus: blocked (blocked by platform-infra#14)\n\n```\nafter step 1\n```\n"
    )
    assert [(k, p) for k, _, _, p in units(text)] == [
        ("1", []),
        ("2", []),
        ("3", ["2"]),
        ("4", ["platform-infra#14"]),
    ]


def test_cards_name_their_dependencies_in_any_language() -> None:
    text = (
        "# 看板\n\n## 待办\n\n- [ ] T009 支付接入\n- [ ] T014 优惠券叠加规则（依赖 T009）\n"
        "- [ ] T015 会员积分抵扣（依赖 T009、T014）\n\n## 已完成\n\n- [x] T001 登录\n"
    )
    assert [(k, p) for k, _, _, p in units(text)] == [
        ("T009", []),
        ("T014", ["T009"]),
        ("T015", ["T009", "T014"]),
        ("T001", []),
    ]


def test_a_reference_may_name_another_tables_units() -> None:
    text = (
        "# Hub\n\n## Platform API\n\n| # | Item | State | Needs |\n|---|---|---|---|\n| 1 | Registry | Done | — |\n"
        "| 2 | Ingest | Done | 1 |\n\n## Dashboard\n\n| # | Item | State | Needs |\n|---|---|---|---|\n"
        "| 1 | Fleet map | Done | API 2 |\n| 2 | Trip view | Todo | 1 |\n\n## Infra\n\n| ID | Item | State | Notes |\n"
        "|---|---|---|---|\n| C-1 | Load test | Todo | needs A-1 |\n| A-1 | Staging | Done | |\n"
    )
    assert [(k, p) for k, _, _, p in units(text)] == [
        ("1", []),
        ("2", ["1"]),
        ("dashboard-1", ["2"]),
        ("dashboard-2", ["dashboard-1"]),
        ("C-1", ["A-1"]),
        ("A-1", []),
    ]


def test_a_numbered_checklists_numbers_are_its_keys() -> None:
    text = (
        "# Notes\n\n## Plan\n\n1. [x] Map the flow\n2. [x] Design the table\n3. [ ] Migration — needs step 2\n"
        "   - [x] up\n   - [ ] down\n"
    )
    assert [(k, st, p) for k, _, st, p in units(text)] == [
        ("1", "done", []),
        ("2", "done", []),
        ("3", "planned", ["2"]),
    ]
