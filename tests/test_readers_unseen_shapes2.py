"""Shapes first met in generalisation sets 19 and 21 (written blind, opened in session 7): legends of codes and
of fullwidth separators, an agent's log of `### S-21 — …` sections with `- 状態:` fields beside its archive and
its plan, tables that name each other's ranges and headings, notes that add a dependency, marks that close a
task line before its reason, lanes named for what they hold, keys written `K3/4` and `EP4.S2`, a log that
adds its tasks and restates them with news.  Each test is one document and what a reader of it would say."""

from __future__ import annotations

from readers_expect import read_units

from syncbot.model import Status
from syncbot.readers import read_document
from syncbot.readers.common import Document


def test_a_legend_of_codes_in_code_spans_gives_the_status_column_its_meaning() -> None:
    doc = """# Migración

### Leyenda de estados

`OK` hecho · `EC` en curso · `PD` pendiente · `LI` listo para empezar · `BL` bloqueado · `FA` falló · `XX` descartado

| Tarea | Descripción | Est. | Depende de |
|---|---|---|---|
| M1-T01 | Inventario | OK | — |
| M1-T02 | Mapeo | EC | M1-T01 |
| M1-T03 | Limpieza | BL | M1-T01 |
| M1-T04 | Adjuntos | XX | — |
| M1-T05 | Stock | LI | M1-T02 |
| M1-T06 | Histórico | FA | M1-T01 |
| M1-T07 | Cartera | PD | M1-T02 |
"""
    assert {k: st for k, (st, _) in read_units(doc).items()} == {
        "M1-T01": Status.DONE,
        "M1-T02": Status.IN_PROGRESS,
        "M1-T03": Status.BLOCKED,
        "M1-T04": Status.DROPPED,
        "M1-T05": Status.READY,
        "M1-T06": Status.FAILED,
        "M1-T07": Status.PLANNED,
    }


def test_a_note_below_a_table_says_what_a_unit_is_blocked_until_and_what_it_also_depends_on() -> None:
    doc = """# Plan

| Tarea | Descripción | Estado | Depende de |
|---|---|---|---|
| A-1 | Cierre | hecho | — |
| A-2 | Saldos | bloqueado | A-1 |
| A-3 | SII | en curso | A-2 |
| A-4 | Banca | hecho | — |

- **A-2**: bloqueado hasta que la auditora entregue el cierre 2023.

Nota: A-3 además depende de A-4 (comparten el certificado).
"""
    units = read_units(doc)
    assert units["A-2"] == (Status.BLOCKED, ["A-1"])  # `entregue` is the condition, not news
    assert units["A-3"] == (Status.IN_PROGRESS, ["A-2", "A-4"])


def test_a_summary_line_labelled_with_a_status_names_no_dependencies() -> None:
    doc = """# Progress

| ID | Task | Status | Depends on |
|---|---|---|---|
| Q-01 | Parser | done | — |
| Q-02 | Renderer | done | Q-01 |
| Q-03 | Search | todo | Q-01 |

Done: 2/3 · WIP: 0 · Blocked: 2
"""
    assert read_units(doc)["Q-03"] == (Status.PLANNED, ["Q-01"])


def test_an_agent_log_of_id_sections_beside_its_archive_and_its_plan_reads_as_one_tracker() -> None:
    doc = """# エージェント作業ログ

**状態の表記:** ✅ 完了 ／ 🔄 進行中 ／ ⏸ 保留 ／ ❌ 失敗 ／ 🚫 見送り ／ 🆗 着手可 ／ 📝 未着手

## アーカイブ

- S-01 リポジトリ初期調査 ✅ (10/01)
- S-02 CI を移行 ✅ (10/01) — 前提: S-01
- S-03 Go 1.22 への更新 ✅ (10/02) — 前提: S-02

## 詳細ログ（新しい順）

### S-06 — Webhook の署名検証
- 状態: ✅ 完了
- 前提: S-05

### S-05 — 管理画面の在庫一覧
- 状態: 🔄 進行中
- 前提: S-04

### S-04 — Shopify 在庫同期
- 状態: ❌ 失敗
- 前提: S-03

## 予定

| ID | 内容 | 状態 | 前提 |
|----|------|------|------|
| S-07 | 手動同期ボタン | 🆗 | S-06 |
| S-08 | 監査ログ | 📝 | S-07 |
"""
    assert read_units(doc) == {
        "S-01": (Status.DONE, []),
        "S-02": (Status.DONE, ["S-01"]),
        "S-03": (Status.DONE, ["S-02"]),
        "S-06": (Status.DONE, ["S-05"]),
        "S-05": (Status.IN_PROGRESS, ["S-04"]),
        "S-04": (Status.FAILED, ["S-03"]),
        "S-07": (Status.READY, ["S-06"]),
        "S-08": (Status.PLANNED, ["S-07"]),
    }


def test_a_table_names_the_ranges_and_headings_of_the_tables_above_it() -> None:
    doc = """# 仓储管理系统

## W1 基础数据

| 编号 | 任务 | 状态 | 前置 |
|---|---|---|---|
| W1.1 | 库位编码 | 已完成 | — |
| W1.2 | 物料主数据 | 已完成 | W1.1 |

## W2 入库

| 编号 | 任务 | 状态 | 前置 |
|---|---|---|---|
| W2.1 | 到货预约 | 已完成 | W1.2 |
| W2.2 | 收货扫描 | 进行中 | W2.1 |
| W2.3 | 质检 | 未开始 | W2.2 |

## W5 上线准备

| 状态 | 编号 | 事项 | 依赖 |
|---|---|---|---|
| 未开始 | W5.1 | 培训材料 | W2.1–W2.3 |
| 进行中 | W5.2 | 数据迁移演练 | W1 全部 |

> 注：W2.3 除了 W2.2 之外还依赖 W1.1。
"""
    units = read_units(doc)
    assert units["W5.1"][1] == ["W2.1", "W2.2", "W2.3"]
    assert units["W5.2"][1] == ["W1.1", "W1.2"]
    assert units["W2.3"][1] == ["W2.2", "W1.1"]


def test_german_notes_say_what_each_needs_and_what_it_waits_for() -> None:
    doc = """# Firmware

| ID | Paket | Status |
|---|---|---|
| P4-1 | Signierte Messwerte | in Arbeit |
| P4-2 | Anzeige | offen |
| P4-3 | Logbuch | offen |
| P4-4 | Baumusterprüfung | offen |
| P4-5 | Suche | offen |

Abhängigkeiten:
- P4-2 und P4-3 brauchen jeweils P4-1.
- P4-4 erst, wenn P4-1 bis P4-3 durch sind.
- P4-5 baut auf P4-2 auf.
"""
    units = read_units(doc)
    assert [units[k][1] for k in ("P4-2", "P4-3", "P4-4", "P4-5")] == [
        ["P4-1"],
        ["P4-1"],
        ["P4-1", "P4-2", "P4-3"],
        ["P4-2"],
    ]


def test_a_mark_closing_a_task_line_is_its_status_whatever_reason_or_title_word_is_beside_it() -> None:
    doc = """# 重构计划

## 阶段 1：账号

- [x] 1.1 登录
- [ ] 1.2 会员等级与积分 ⛔ 等运营给积分规则
- [ ] 1.3 课程预约与取消 🚧
- [ ] 1.4 私教预约
"""
    units = read_units(doc)
    assert units["1.2"][0] is Status.BLOCKED
    assert units["1.3"][0] is Status.IN_PROGRESS  # `取消` (cancel) is a word of the title here
    tracker, _ = read_document(Document("PLAN.md", doc))
    assert {s.key: s.title for s in tracker.sessions}["1.3"] == "课程预约与取消"


def test_keys_that_block_another_and_attempts_that_are_no_unit() -> None:
    doc = """# Tasks

- [x] T001 Setup
- [x] T002 Models
- [x] T003 Storage
- [ ] T004 Merge — FAILED: T002 still red after 3 attempts
- [ ] T005 Sync engine

## Dependencies

- T001, T002 block T003
- T005 requires T004
"""
    units = read_units(doc)
    assert units["T003"][1] == ["T001", "T002"]
    assert "T003" not in units["T004"][1]


def test_a_lane_named_for_what_it_holds_takes_the_status_in_its_brackets() -> None:
    doc = """# Board

## 🔧 In Arbeit

- **SR-117** Produktdetailseite
- **SR-118** Login

## ↩️ Zurück aus QA (durchgefallen)

- **SR-112** Produktlisting
- **SR-113** Bild-CDN

## ✅ Fertig

- **SR-101** Designsystem
"""
    assert {k: st for k, (st, _) in read_units(doc).items()} == {
        "SR-117": Status.IN_PROGRESS,
        "SR-118": Status.IN_PROGRESS,
        "SR-112": Status.FAILED,
        "SR-113": Status.FAILED,
        "SR-101": Status.DONE,
    }


def test_headings_named_with_their_status_in_brackets_alone_stay_units() -> None:
    doc = """# Components

## Auth (done)

The login flow.

## Billing (in progress)

Invoices.

## Search (planned)

Later.
"""
    assert {k: st for k, (st, _) in read_units(doc).items()} == {
        "auth": Status.DONE,
        "billing": Status.IN_PROGRESS,
        "search": Status.PLANNED,
    }


def test_keys_written_with_a_slash_are_one_key_and_tot_en_met_is_a_range() -> None:
    doc = """# Programma

## K1 — Fundament

| Nr | Werkpakket | Status | Afhankelijk van |
|---|---|---|---|
| K1/1 | Architectuur | gereed | – |
| K1/2 | Cluster | gereed | K1/1 |
| K1/3 | Netwerk | bezig | K1/2 |

## K2 — Migratie

| Nr | Werkpakket | Status | Afhankelijk van |
|---|---|---|---|
| K2/1 | Inventarisatie | klaar voor start | K1 geheel |
| K2/2 | Proefmigratie | gepland | K1/1 t/m K1/3 |
"""
    assert read_units(doc) == {
        "K1/1": (Status.DONE, []),
        "K1/2": (Status.DONE, ["K1/1"]),
        "K1/3": (Status.IN_PROGRESS, ["K1/2"]),
        "K2/1": (Status.READY, ["K1/1", "K1/2", "K1/3"]),
        "K2/2": (Status.PLANNED, ["K1/1", "K1/2", "K1/3"]),
    }


def test_a_log_that_adds_its_tasks_and_restates_them_with_news_keeps_one_unit_per_id() -> None:
    doc = """# 工作日志

状态记号：✅ 完成　🟡 进行中　⬜ 待办　🚫 阻塞　🗑 放弃

## 2025-02-10 · 会话 1

- PAY-1 阅读旧脚本 —— ✅
- PAY-2 设计数据模型 —— 🟡
- PAY-3 引入 sqlc（依赖 PAY-2）—— ⬜

## 2025-02-11 · 会话 2

- PAY-2 ✅ 模型评审通过。
- PAY-3 🟡 开始，先生成了两张表的查询。
- 新增 PAY-4 差异明细导出 —— ⬜，依赖 PAY-3

## 2025-02-13 · 会话 3

- PAY-3 口径定了，🟡 继续。
- PAY-4 🗑 不做了。
"""
    assert read_units(doc) == {
        "PAY-1": (Status.DONE, []),
        "PAY-2": (Status.DONE, []),
        "PAY-3": (Status.IN_PROGRESS, ["PAY-2"]),
        "PAY-4": (Status.DROPPED, ["PAY-3"]),
    }


def test_cards_with_dotted_story_keys_and_a_board_archive_of_ticked_cards() -> None:
    doc = """---

kanban-plugin: basic

---

## Backlog

- [ ] **EP3.S4** Weekly digest email — needs EP3.S1

## In Progress

- [ ] **EP3.S1** Notification service

## Done

- [x] **EP1.S1** Sign-up with email

## Archive

- [x] **EP0.S1** Project scaffolding ✅ 2025-02-03
- [x] **EP0.S2** CI on GitHub Actions ✅ 2025-02-04
"""
    assert read_units(doc) == {
        "EP3.S4": (Status.PLANNED, ["EP3.S1"]),
        "EP3.S1": (Status.IN_PROGRESS, []),
        "EP1.S1": (Status.DONE, []),
        "EP0.S1": (Status.DONE, []),
        "EP0.S2": (Status.DONE, []),
    }


def test_a_legend_whose_two_marks_share_a_word_is_split_by_the_gloss() -> None:
    doc = """# 迁移

**图例**

| 符号 | 含义 |
|---|---|
| ✅ | 已完成 |
| ⏳ | 待开始（前置已满足，可以领取） |
| ⬜ | 未开始 |

| 编号 | 工作项 | 状态 | 前置 |
|---|---|---|---|
| R1.01 | 集群 | ✅ | — |
| R1.02 | 校验工具 | ⏳ | R1.01 |
| R1.03 | 压测 | ⬜ | R1.02 |
"""
    assert {k: st for k, (st, _) in read_units(doc).items()} == {
        "R1.01": Status.DONE,
        "R1.02": Status.READY,
        "R1.03": Status.PLANNED,
    }


def test_a_defined_term_not_yet_started_is_planned_and_seconds_are_no_unit() -> None:
    doc = """# Refonte

### Légende des états

- **Fait** — livré en recette
- **En cours** — quelqu'un travaille dessus
- **À faire** — pas encore commencé

| ID | Tâche | État | Remarques |
|----|-------|------|-----------|
| B-01 | Catalogue | Fait | |
| B-02 | Panier | En cours | dépend de B-01 |
| B-30 | Paiement | À faire | dépend de B-02 ; polling toutes les 30초 |
"""
    assert read_units(doc) == {
        "B-01": (Status.DONE, []),
        "B-02": (Status.IN_PROGRESS, ["B-01"]),
        "B-30": (Status.PLANNED, ["B-02"]),
    }


# --- set 23 (fr it ru pl tr vi id en) ----------------------------------------------------------------------


def test_a_sheet_exported_by_pandas_reads_past_its_row_numbers_and_nan_cells() -> None:
    doc = """# Tracker

|    | Task ID | Workstream | Task        | Status      | Predecessors | Notes               |
|---:|:--------|:-----------|:------------|:------------|:-------------|:--------------------|
|  0 | DP-01   | Ingestion  | Inventory   | Complete    | nan          | nan                 |
|  1 | DP-02   | Ingestion  | Firewall    | Complete    | DP-01        | nan                 |
|  2 | nan     | nan        | nan         | nan         | nan          | nan                 |
|  3 | DP-03   | Transform  | Staging     | In Progress | DP-01        | nan                 |
|  4 | DP-04   | Transform  | Marts       | Not Started | DP-02:DP-03  | nan                 |
|  5 | DP-05   | Cutover    | Parallel run| Not Started | see notes    | after ALL Transform |
"""
    assert read_units(doc) == {
        "DP-01": (Status.DONE, []),
        "DP-02": (Status.DONE, ["DP-01"]),
        "DP-03": (Status.IN_PROGRESS, ["DP-01"]),
        "DP-04": (Status.PLANNED, ["DP-02", "DP-03"]),
        "DP-05": (Status.PLANNED, ["DP-03", "DP-04"]),
    }


def test_progress_bars_say_how_far_and_a_mark_in_the_note_says_how_it_stands() -> None:
    doc = """# İlerleme

| No | İş kalemi | İlerleme | Bağımlılık | Not |
|----|-----------|----------|------------|-----|
| 1.1 | CI/CD | `▓▓▓▓▓▓▓▓▓▓ 100%` | — | |
| 1.2 | İmzalama | `▓▓▓▓░░░░░░ 40%` | 1.1 | |
| 1.3 | KVKK ekranı | `▓▓░░░░░░░░ 20%` | 1.1 | ⛔ hukuk metni bekleniyor |
| 1.4 | Favoriler | `░░░░░░░░░░ 0%` | 1.1 | 🟢 hazır |
| 1.5 | Karşılaştırma | `░░░░░░░░░░ 0%` | 1.4 | |
"""
    assert {k: st for k, (st, _) in read_units(doc).items()} == {
        "1.1": Status.DONE,
        "1.2": Status.IN_PROGRESS,
        "1.3": Status.BLOCKED,
        "1.4": Status.READY,
        "1.5": Status.PLANNED,
    }


def test_sessions_planned_a_level_down_and_a_later_session_reopening_an_earlier_one() -> None:
    doc = """# Журнал сессий

## Сессия 1 — Инвентаризация
Статус: ✅

## Сессия 2 — Зависимости
Статус: ✅
Зависит от: 1

## Сессия 3 — Вебхуки
Статус: 🔄
Зависит от: 2

## Сессия 4 — Тесты
Статус: ✅
Зависит от: 2
Обнаружил, что сессия 2 на самом деле не закончена. **Сессию 2 переоткрываю → 🔄.**
Сессия 3 — ❌ провалена, откатились на polling.

## Дальше (план)

### Сессия 5 — Канареечная выкатка
Статус: 📋
Зависит от: 4
"""
    assert read_units(doc) == {
        "1": (Status.DONE, []),
        "2": (Status.IN_PROGRESS, ["1"]),
        "3": (Status.FAILED, ["2"]),
        "4": (Status.DONE, ["2"]),
        "5": (Status.PLANNED, ["4"]),
    }


def test_a_step_plan_names_no_news_in_its_dependency_fields() -> None:
    doc = """# Roadmap

## Step 1 — Engine fixes (CURRENT)

**Depends on:** Nothing
**Blocks:** Steps 2, 3

## Step 2 — Packaging

**Depends on:** Step 1 complete

## Step 3 — Validation

**Depends on:** Step 2 complete
"""
    assert {k: st for k, (st, _) in read_units(doc).items()} == {
        "1": Status.IN_PROGRESS,
        "2": Status.PLANNED,
        "3": Status.PLANNED,
    }


def test_an_indonesian_hub_of_tables_with_the_status_first_and_ranges_written_s_d() -> None:
    doc = """# Dasbor

## Frontend

| Status | Kode | Tugas | Prasyarat |
|--------|------|-------|-----------|
| ✅ Selesai | FE-01 | Layout | – |
| 🔄 Dikerjakan | FE-02 | Login | FE-01 |
| ⬜ Belum | FE-03 | Dashboard | FE-02 |
| ⬜ Belum | FE-04 | Aksesibilitas | FE-01 s.d. FE-03 |

## Mobile

| # | Judul | Progres | Butuh |
|---|-------|---------|-------|
| MOB-01 | Setup | ✅ Selesai | |
| MOB-02 | Login | 🔄 60% | MOB-01 |
| MOB-03 | Rilis beta | ⬜ 0% | seluruh tugas mobile di atas |
| MOB-04 | Backup | Tertahan | wajib ada sebelum MOB-03 |
"""
    units = read_units(doc)
    assert units["FE-04"] == (Status.PLANNED, ["FE-01", "FE-02", "FE-03"])
    assert units["MOB-03"] == (Status.PLANNED, ["MOB-01", "MOB-02", "MOB-04"])
    assert units["MOB-04"][0] is Status.BLOCKED


def test_a_schedule_keyed_by_its_days() -> None:
    doc = """# Lịch tuần bảo vệ

| Ngày | Việc | Trạng thái | Sau khi xong |
|---|---|---|---|
| 2025-07-07 | Chạy thử | ✅ | — |
| 2025-07-08 | In quyển | ⏳ | 2025-07-07 |
| 2025-07-09 | Nộp quyển | ⏳ | 2025-07-08 |
"""
    assert read_units(doc) == {
        "2025-07-07": (Status.DONE, []),
        "2025-07-08": (Status.PLANNED, ["2025-07-07"]),
        "2025-07-09": (Status.PLANNED, ["2025-07-08"]),
    }


def test_bold_step_leads_with_underscores_and_remarks_in_brackets() -> None:
    doc = """# PLAN.md

**Step 1: Audit usage** — ✅
No dependencies.

**Step 2: `jobs` table (`0042_jobs.sql`)** — ✅
Waits for step 1.

**Step 3: Rollout with `PG_QUEUE=1`** — ⬜
Waits for step 1 and step 2 (it must not exceed 4 concurrent jobs).

**Step 4: Remove the `PG_QUEUE` flag** — ⬜
After step 3.
"""
    assert read_units(doc) == {
        "1": (Status.DONE, []),
        "2": (Status.DONE, ["1"]),
        "3": (Status.PLANNED, ["1", "2"]),
        "4": (Status.PLANNED, ["3"]),
    }


def test_italian_sections_a_redone_3b_what_blocks_and_all_previous() -> None:
    doc = """# Piano

## 1. Analisi
**Stato:** completato

## 2. Modello dati
**Stato:** in corso
**Dipende da:** 1
**Blocca:** 4

## 3. Importazione dal vecchio AS/400
**Stato:** annullato

## 3b. Importazione via CSV
**Stato:** in corso
**Dipende da:** 2

## 4. Go-live
**Stato:** da fare
**Dipende da:** tutte le attività precedenti

## 5. Backup
**Stato:** completato
_(aggiunta dopo la riunione del 3/03)_
"""
    units = read_units(doc)
    assert units["3b"] == (Status.IN_PROGRESS, ["2"])
    assert units["4"][0] is Status.PLANNED and sorted(units["4"][1]) == ["1", "2", "3", "3b"]
    assert units["5"] == (Status.DONE, [])


# --- set 24 (en×5, de, ja, es, pt, zh-Hant) ----------------------------------------------------------------


def test_an_agent_todo_that_announces_its_tasks_and_says_later_how_each_stands() -> None:
    doc = """# TODO

## Session 1 — 2024-11-04

- NEW T-01 Scaffold cargo workspace
- NEW T-02 CI workflow
- NEW T-03 Parse journal format (needs T-01)
- T-01 ✅ done, T-02 ✅ done (green on first try).

## Session 2 — 2024-11-05

- T-03 🚧 in progress: includes still missing.
- Release prep, NEW:
  - [ ] T-04 CHANGELOG
  - [ ] T-05 Publish 0.1.0 — must land after T-04
- NEW T-06 Hide the debug subcommand → ✅ done right away.
- ~~T-02 CI workflow~~ — dropped: we use the org template.
"""
    assert read_units(doc) == {
        "T-01": (Status.DONE, []),
        "T-02": (Status.DROPPED, []),
        "T-03": (Status.IN_PROGRESS, ["T-01"]),
        "T-04": (Status.PLANNED, []),
        "T-05": (Status.PLANNED, ["T-04"]),
        "T-06": (Status.DONE, []),
    }


def test_a_board_table_of_lanes_with_several_cards_a_cell_and_terms_defined_in_italics() -> None:
    doc = """# Quadro

**Como ler:**
- *Backlog* = ideias ainda não priorizadas. *A fazer* = priorizado e pronto para puxar.
- *Em revisão* = PR aberto aguardando code review (ainda conta como trabalho em andamento).
- *Arquivado* = cancelado ou tentativa que falhou; fica aqui só para histórico.

| 📥 Backlog | 📝 A fazer | 👀 Em revisão | ✅ Concluído | 🗄️ Arquivado |
|---|---|---|---|---|
| **LC-30** Pontos _(dep. LC-12)_ | **LC-24** Fre | **LC-15** Cart | **LC-01** Git<br>**LC-12** DB | ~~**LC-07** FB~~ |
| **LC-31** Assinatura — precisa de Pix (LC-24) | | | | **LC-13** Stripe (falhou) |
"""
    assert read_units(doc) == {
        "LC-30": (Status.PLANNED, ["LC-12"]),
        "LC-24": (Status.READY, []),
        "LC-15": (Status.IN_PROGRESS, []),
        "LC-01": (Status.DONE, []),
        "LC-12": (Status.DONE, []),
        "LC-07": (Status.DROPPED, []),
        "LC-31": (Status.PLANNED, ["LC-24"]),
        "LC-13": (Status.FAILED, []),
    }


def test_tables_blocked_by_other_tables_ranges_and_workstreams_keyed_by_a_letter() -> None:
    doc = """# Status

## Betrieb

| ID | Aufgabe | Status | Blockiert durch |
|----|---------|--------|-----------------|
| OPS-01 | Realm | ✅ erledigt | – |
| OPS-02 | Umschaltung | ⏳ offen | OPS-01, QA-01 bis QA-03 |

## QA

| ID | Aufgabe | Status | Blockiert durch | Verantwortlich |
|----|---------|--------|-----------------|----------------|
| QA-01 | Lasttest | ❌ fehlgeschlagen | OPS-01 | K. F. |
| QA-02 | Pentest | ⏳ offen | QA-01 | extern |
| QA-03 | Abnahme | ⏳ offen | QA-02 | K. F. |

## 工作流

| 代號 | 工作流 | 狀態 | 依賴 |
|---|---|---|---|
| WS-A | 資料攝取 | 進行中 | — |
| WS-B | Lakehouse | 未開始 | WS-A |
| WS-C | 指標層 | 就緒 | WS-B |
"""
    units = read_units(doc)
    assert units["OPS-02"] == (Status.PLANNED, ["OPS-01", "QA-01", "QA-02", "QA-03"])
    assert units["WS-B"] == (Status.PLANNED, ["WS-A"])
    assert units["WS-C"] == (Status.READY, ["WS-B"])


def test_a_legend_that_wraps_onto_the_next_line() -> None:
    doc = """# CUTOVER.md

Whoever runs a step marks it in place:
✅ done (with time) · ❌ failed · 🚧 in progress · ⏸ not reached / not started ·
⏭️ removed from the plan. Keep the step numbers stable.

### Step 1 — Provision the cluster ✅ 05-09

### Step 2 — Reverse replication ⏭️

### Step 3 — Smoke tests ⏸
After step 1.
"""
    assert read_units(doc) == {
        "1": (Status.DONE, []),
        "2": (Status.DROPPED, []),
        "3": (Status.PLANNED, ["1"]),
    }


def test_an_issue_checklist_whose_marks_close_the_line_before_their_reasons() -> None:
    doc = """# Tracking: 5.0

Legend: `[x]` = merged · 🚧 = PR open · ⛔ = blocked · 🔁 = reverted, needs a
redo · 🙋 = good first issue, free to pick up.

- [x] #401 Drop 3.8
- [ ] #405 Free-threaded wheels ⛔ blocked by upstream cython/cython#6342
- [ ] #413 Vectorcall 🔁 reverted in #448 (segfault on 3.13.0rc2)
- [ ] #420 Use `typing.override` 🙋
- [ ] #425 mypy job ⛔ waiting for the mypy 1.12 release
- [ ] #430 Changelog 🚧
"""
    assert {k: st for k, (st, _) in read_units(doc).items()} == {
        "401": Status.DONE,
        "405": Status.BLOCKED,
        "413": Status.FAILED,
        "420": Status.READY,
        "425": Status.BLOCKED,
        "430": Status.IN_PROGRESS,
    }


def test_japanese_task_notes_after_a_dash_and_prerequisites_named_before_their_marker() -> None:
    doc = """# 開発計画

## Phase 3

- [x] 3.1 ログイン
- [ ] 3.2 予約作成 — 作業中 @tanaka（依存: 3.1）
- [ ] 3.3 二重予約防止（トランザクション）— ⚠️ ブロック中: スキーマ確定待ち (#112)
- [ ] 3.4 決済 — 3.2〜3.3 が前提
- [ ] 3.5 移行リハーサル — ❌ 失敗（重複ユーザーでロールバック）。3.4 修正後に再実施
"""
    assert read_units(doc) == {
        "3.1": (Status.DONE, []),
        "3.2": (Status.IN_PROGRESS, ["3.1"]),
        "3.3": (Status.BLOCKED, ["#112"]),  # waiting for issue #112
        "3.4": (Status.PLANNED, ["3.2", "3.3"]),
        "3.5": (Status.FAILED, ["3.4"]),
    }


def test_a_sections_rule_that_excepts_the_units_that_say_their_own() -> None:
    doc = """# 計画

## 第1段階

### 1.1 設計
- 状態：完了

### 1.2 基盤
- 状態：完了

## 第2段階

> 第2段階の作業はすべて第1段階の完了が前提です（個別に書いたものを除く）。

### 2.1 在庫
- 状態：未着手

### 2.2 入出庫
- 状態：未着手
- 前提：2.1
"""
    units = read_units(doc)
    assert units["2.1"][1] == ["1.1", "1.2"]
    assert units["2.2"][1] == ["2.1"]


# --- set 25 (en×3, zh-Hans, zh-Hant, ko, de, fr, es, pt-BR) -------------------------------------------------


def test_a_mermaid_gantt_chart_is_the_plan() -> None:
    doc = """# 智慧電表韌體 v2

```mermaid
gantt
    title 韌體
    dateFormat  YYYY-MM-DD
    section 硬體
    選定 MCU              :done,   hw1, 2024-03-04, 5d
    原理圖 Rev.B          :done,   hw2, after hw1, 10d
    樣品板打樣            :active, hw3, after hw2, 15d
    section 韌體
    BSP 移植              :crit,   fw2, after hw1 hw2, 10d
    差分 OTA 更新（已取消）:        fw9, after fw2, 5d
    EVT 完成              :milestone, m1, after hw3, 0d
```

## 本週狀態

- ⛔ **hw3** 卡住：PCB 廠交期延到 6/3。
"""
    assert read_units(doc) == {
        "hw1": (Status.DONE, []),
        "hw2": (Status.DONE, ["hw1"]),
        "hw3": (Status.BLOCKED, ["hw2"]),
        "fw2": (Status.PLANNED, ["hw1", "hw2"]),
        "fw9": (Status.DROPPED, ["fw2"]),
    }


def test_a_research_plan_of_numbered_bold_paragraphs_with_bracketed_statuses() -> None:
    doc = """# 课题研究计划

状态标记：【未开始】【可开始】【进行中】【受阻】【已完成】【已取消】

**1.** 文献综述：整理近五年论文。【已完成】

**2.** 确定研究方言。依赖第 1 项。【已完成】

**3.** 伦理审查申请。【受阻】平台排队。

**4.** 田野录音。需第 2、3 项完成。【进行中】
本项完成后方可开展第 6 项。

**5.** 数据清洗。在第 2 至第 4 项完成后进行。【未开始】

**6.** 结题报告。以上各项全部完成后进行。【未开始】
"""
    units = read_units(doc)
    assert {k: st for k, (st, _) in units.items()} == {
        "1": Status.DONE,
        "2": Status.DONE,
        "3": Status.BLOCKED,
        "4": Status.IN_PROGRESS,
        "5": Status.PLANNED,
        "6": Status.PLANNED,
    }
    assert units["2"][1] == ["1"]
    assert units["4"][1] == ["2", "3"]
    assert units["5"][1] == ["2", "3", "4"]
    assert units["6"][1] == ["1", "2", "3", "4", "5"]


def test_a_status_column_of_letter_codes_explained_in_a_legend_table() -> None:
    doc = """# Plan de migración

| Código | Significado |
|--------|-------------|
| `P` | Pendiente (no iniciada) |
| `E` | En curso |
| `B` | Bloqueada |
| `H` | Hecha |

| ID | Tarea | Depende de | St |
|----|-------|------------|----|
| M-01 | Inventario | — | H |
| M-02 | Estimación | M-01 | E |
| M-03 | Red | — | B |
| M-04 | Corte | M-02, M-03 | P |
"""
    assert {k: st for k, (st, _) in read_units(doc).items()} == {
        "M-01": Status.DONE,
        "M-02": Status.IN_PROGRESS,
        "M-03": Status.BLOCKED,
        "M-04": Status.PLANNED,
    }


def test_a_newest_first_log_names_units_in_a_dependency_note_without_news_of_them() -> None:
    doc = """# PROGRESS.md

| ID | Task | Status | Depends on |
|----|------|--------|------------|
| T8 | Config loader | done | — |
| T9 | Output formatters | todo | T8 |
| T10 | Golden tests | todo | T8 |

## Log

### 2024-06-14 — session 9
- New: **T23** README (depends on T8, T9) — todo

### 2024-06-13 — session 8
- T9 ✅ done (sarif validated).

### 2024-06-12 — session 7
- T9 🚧 in progress: text formatter done.
"""
    assert read_units(doc)["T9"][0] is Status.DONE
