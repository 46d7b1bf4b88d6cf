"""Shapes first met in generalisation sets 27 and 29 (written blind, opened in session 8): dependencies drawn as a
Mermaid flowchart, a board whose cards are chained (`⛓ KEY`) in lanes named `Ready for dev` and `Waiting on
client`, GitHub `:shortcode:` emoji in a legend, notes that deny a status (`isn't live`), sentences of Chinese
statements below a matrix, a section's rule over table rows that leave the column blank, a fifth phase written
as bullets below four tables.  Each test is one document and what a reader of it would say."""

from __future__ import annotations

from readers_expect import read_units

from syncbot.model import Status
from syncbot.readers import read_document
from syncbot.readers.common import Document


def _read(text: str) -> dict[str, tuple[Status, list[str]]]:
    return {k: (st, sorted(pre)) for k, (st, pre) in read_units(text).items()}  # (prerequisites in any order)


def test_a_mermaid_flowchart_draws_what_waits_for_what() -> None:
    doc = """# roadmap

- [x] **1.1** Workspace
- [x] **1.2** Config loader
- [ ] **2.1** Local index
- [ ] **2.2** Remote listing
- [ ] **2.3** Diff algorithm

Arrow means "must be finished before".

```mermaid
graph LR
  s12[1.2 config] --> s21[2.1 index]
  s21 --> s23[2.3 diff]
  s22[2.2 remote] -->|pages| s23
  start((kick-off)) --> s11[1.1 workspace]
```
"""
    units = _read(doc)
    assert units["2.1"][1] == ["1.2"]
    assert units["2.3"][1] == ["2.1", "2.2"]
    assert units["1.1"][1] == []  # (a node that is no unit adds nothing)


def test_a_chain_mark_names_what_a_card_waits_for_and_lanes_say_ready_qa_and_waiting() -> None:
    doc = """# Board

## 🧊 Backlog
- **ACME-40** Cookie banner [2h] ⛓ ACME-31
- **ACME-41** 404 page

## 🟢 Ready for dev
- **ACME-33** Opening hours ⛓ ACME-27

## 🔨 In progress
- **ACME-27** Store locator ⛓ ACME-22
- **ACME-31** Privacy policy

## 👀 Internal QA
- **ACME-24** Homepage hero

## ⏳ Waiting on client
- **ACME-30** Product photos ⛓ ACME-27

## ✅ Done
- **ACME-22** CMS setup
"""
    units = _read(doc)
    assert units["ACME-40"] == (Status.PLANNED, ["ACME-31"])
    assert units["ACME-33"] == (Status.READY, ["ACME-27"])
    assert units["ACME-24"][0] is Status.IN_PROGRESS
    assert units["ACME-30"] == (Status.BLOCKED, ["ACME-27"])


def test_github_shortcodes_in_a_legend_table_are_its_marks() -> None:
    doc = """# Roadmap

| | Legend |
|---|---|
| :white_check_mark: | shipped |
| :construction: | in progress |
| :arrow_forward: | ready to pick up |
| :white_circle: | not started |
| :no_entry: | blocked |
| :wastebasket: | cut |

| St. | Key | Item | Depends on |
|:-:|---|---|---|
| :white_check_mark: | A.1 | JWT sessions | — |
| :construction: | A.2 | SAML SSO | A.1 |
| :arrow_forward: | A.3 | Passkeys | A.1 |
| :white_circle: | A.4 | SCIM | A.2 |
| :no_entry: | A.5 | Tax | A.1 |
| :wastebasket: | A.6 | Password policies | — |
"""
    assert {k: st for k, (st, _) in _read(doc).items()} == {
        "A.1": Status.DONE,
        "A.2": Status.IN_PROGRESS,
        "A.3": Status.READY,
        "A.4": Status.PLANNED,
        "A.5": Status.BLOCKED,
        "A.6": Status.DROPPED,
    }


def test_a_legend_entry_that_takes_back_its_first_word_and_a_note_that_denies_a_status() -> None:
    doc = """# v3.0 milestone

| Emoji | Meaning |
|---|---|
| 📋 | accepted, nobody on it yet |
| 🔨 | PR open / being worked on |
| ✅ | merged to `main` |

| Issue | What | State |
|---|---|---|
| #440 | New serializer | 📋 |
| #441 | Drop 3.8 | ✅ |
| #442 | Async API | 🔨 |

## Why things are stuck

- #442 — the upstream API isn't live yet.
"""
    units = _read(doc)
    assert units["440"][0] is Status.PLANNED  # (keyed as `Issue: 440 done` reaches it)
    assert units["442"][0] is Status.IN_PROGRESS  # (not done: the note says what is not live)


def test_chinese_statements_below_a_matrix_split_at_full_width_stops_lists_and_ranges() -> None:
    rows = "\n".join(f"| M3-T{i} | 任务 {i} | ⏳ |" for i in range(1, 6))
    doc = f"""# 模块矩阵

| 编号 | 任务 | 总体 |
|---|---|---|
{rows}

## 依赖关系

- M3-T2、M3-T3 依赖 M3-T1。
- M3-T4 ~ M3-T5 依赖 M3-T1，其中 M3-T5 另外依赖 M3-T4；M3-T3 还依赖 M3-T2。
"""
    units = _read(doc)
    assert units["M3-T2"][1] == ["M3-T1"]
    assert units["M3-T3"][1] == ["M3-T1", "M3-T2"]
    assert units["M3-T4"][1] == ["M3-T1"]
    assert units["M3-T5"][1] == ["M3-T1", "M3-T4"]


def test_a_section_rule_reaches_rows_whose_dependency_cell_is_blank_and_a_reason_ends_an_inverse_clause() -> None:
    doc = """# Переезд

## Этап 2

| # | Задача | Статус | Зависит от |
|---|---|---|---|
| 2.5 | Очереди | ✅ | — |
| 2.6 | ArgoCD | ✅ | — |

## Этап 3

**Все задачи этапа 3 зависят от 2.6**, в таблице это не повторяем.

| # | Задача | Статус | Зависит от |
|---|---|---|---|
| 3.1 | landing | ✅ | — |
| 3.2 | auth-api | ⏳ | 2.5 |

## Notes

- **2.5** blocks **3.1**: the landing page reads the queue config.
"""
    units = _read(doc)
    assert units["3.1"][1] == ["2.5", "2.6"]
    assert units["3.2"][1] == ["2.5", "2.6"]
    assert units["2.6"][1] == []


def test_a_fifth_phase_written_as_bullets_below_four_tables_is_more_of_the_plan() -> None:
    tables = "\n\n".join(
        f"### Fase {p}\n\n| Nr | Werkpakket | Status |\n|---|---|---|\n"
        + "\n".join(f"| {p}{i} | Pakket {p}{i} | Gereed |" for i in range(1, 4))
        for p in "ABCD"
    )
    doc = f"""# Planning

{tables}

### Fase E — Na livegang

- **E1** Chatbot — *Vervallen*
- **E2** Inwonerspanel — *Nog niet gestart*
- **E3** Extra talen — *Kan starten*
"""
    units = _read(doc)
    assert units["E1"][0] is Status.DROPPED
    assert units["E2"][0] is Status.PLANNED
    assert units["E3"][0] is Status.READY
    assert len(units) == 15


def test_tables_that_number_each_sections_units_afresh_are_keyed_by_section_and_key() -> None:
    def epic(n: int, rows: list[tuple[str, str, str]]) -> str:
        body = "\n".join(f"| US-{i} | {t} | {st} | {dep} |" for i, (t, st, dep) in enumerate(rows, 1))
        return f"## EPIC-{n} · Parte {n}\n\n| US | História | Status | Depende de |\n|---|---|---|---|\n{body}\n"

    doc = "# Backlog\n\nReferencie como `EPIC-x/US-y`.\n\n" + "\n".join(
        [
            epic(1, [("Criar conta", "✔️ Feito", "—"), ("Entrar com Google", "✔️ Feito", "US-1")]),
            epic(2, [("Definir horários", "🔄 Em andamento", "EPIC-1/US-2"), ("Ver horários", "⬜ A fazer", "US-1")]),
            epic(3, [("Cadastrar pets", "⬜ A fazer", "EPIC-1/US-1"), ("Vacinas", "⬜ A fazer", "US-1, EPIC-2/US-2")]),
        ]
    )
    units = _read(doc)
    assert sorted(units) == [f"EPIC-{e}/US-{u}" for e in (1, 2, 3) for u in (1, 2)]
    assert units["EPIC-2/US-1"][1] == ["EPIC-1/US-2"]
    assert units["EPIC-2/US-2"][1] == ["EPIC-2/US-1"]
    assert units["EPIC-3/US-2"][1] == ["EPIC-2/US-2", "EPIC-3/US-1"]


def test_roadmap_items_are_keyed_by_the_issue_number_in_brackets_after_their_name() -> None:
    doc = """# Roadmap

> ✅ feito · 🚧 em andamento · 📝 planejado

### v1.1

- ✅ Modo escuro (#31)
- ✅ Proteção por PIN
- ✅ Exportar para CSV
- 🚧 Novo parser de extratos (#40)
- 🚧 Importação de extrato (#27) — depende do parser novo (#40)
- 📝 Widget na tela inicial
- 📝 Open Finance Brasil (#48) — depende de #27
"""
    units = _read(doc)  # (four of seven carry their issue: half or more is enough)
    assert {"#31", "#40", "#27", "#48"} <= set(units)
    assert units["#27"] == (Status.IN_PROGRESS, ["#40"])
    assert units["#48"] == (Status.PLANNED, ["#27"])


def test_a_ticket_column_after_the_name_keys_the_rows() -> None:
    doc = """# Migration

| Service | Ticket | Status | Blocked by |
|---|---|---|---|
| api (Rails) | PLAT-231 | 🟡 | PLAT-203 |
| web | PLAT-232 | 🟢 | — |
| workers | PLAT-233 | ⚪ | PLAT-231 |
| base image | PLAT-203 | 🟢 | — |
"""
    units = _read(doc)
    assert sorted(units) == ["PLAT-203", "PLAT-231", "PLAT-232", "PLAT-233"]
    assert units["PLAT-233"][1] == ["PLAT-231"]


def test_a_chinese_board_whose_chain_mark_blocks_the_cards_it_names() -> None:
    doc = """# 迭代看板

标签：🔥 = 高优先级　⛓ = 挡住了别的卡片

### 📥 待办 Backlog

- #61 设备分组批量下发配置 —— 依赖 #49
- #67 告警规则引擎 v2（被 #49 阻塞）

### 🚧 进行中

- #49 设备影子重构 ⛓ #61 #67

### 🧪 待验证（已提 PR，等测试同学）

- #47 断网缓存数据补传

### ⛔ 卡住了

- #56 4G 模组切换

### ✅ 已完成

- #41 升级 ESP-IDF
"""
    units = _read(doc)
    assert units["49"] == (Status.IN_PROGRESS, [])  # (`Issue: 49 done` reaches it)
    assert units["61"][1] == ["49"]
    assert units["67"][1] == ["49"]
    assert units["47"][0] is Status.IN_PROGRESS
    assert units["56"][0] is Status.BLOCKED


def test_a_legend_tables_gloss_says_what_its_named_mark_means_and_all_earlier_ones_of_a_part() -> None:
    rows = "\n".join(
        f"| T-0{i} | Tarea {i} | {'✅ Hecho' if i < 3 else '🟢 Listo'} | — | E{1 if i < 3 else 2} |"
        for i in range(1, 6)
    )
    doc = f"""# Estado

| Estado | Significado |
|---|---|
| ✅ Hecho | terminado y revisado |
| 🔄 En curso | alguien está trabajando |
| 🟢 Listo | se puede empezar (dependencias terminadas) |
| ⏳ Pendiente | todavía no |

| ID | Tarea | Estado | Depende de | Entrega |
|---|---|---|---|---|
{rows}
| T-06 | Memoria | ⏳ Pendiente | todas las anteriores de la Entrega 2 | E2 |

## Entrega 2

T-03, T-04 y T-05 forman la Entrega 2, con T-06.
"""
    units = _read(doc)
    assert units["T-03"][0] is Status.READY  # (`listo` alone would be done)
    assert units["T-01"][0] is Status.DONE


def test_an_agent_log_line_that_gives_a_units_status_before_its_name() -> None:
    doc = """# TODO

- [x] P2-1 Catalog queries
- [x] P2-2 Snapshot model
- [ ] P2-3 Diff engine

## Failed attempts

- **P2-9** ❌ FAILED — parse `pg_dump` output instead of querying catalogs. Far too fragile
  on PG 16 output; reverted.
"""
    units = _read(doc)
    assert units["P2-9"][0] is Status.FAILED


def test_plain_items_keyed_like_the_tasks_below_them_are_tasks_not_yet_boxed() -> None:
    doc = """# 开发计划

## 阶段 1：初始化

- [x] 1.1 建仓库
- [x] 1.2 配置 CI
- [ ] 1.3 数据库设计

## 阶段 2：上线后迭代（待定，先列出来）

- 2.1 管理员数据看板
- 2.2 猜你喜欢 v1，依赖 1.3
"""
    units = _read(doc)
    assert units["2.1"] == (Status.PLANNED, [])
    assert units["2.2"] == (Status.PLANNED, ["1.3"])


def test_a_runbook_of_phase_tables_and_phase_checklists_numbered_within_their_phase() -> None:
    doc = """# Runbook

## Phase 0 — Préparation

| # | Étape | Statut | Dépend de |
|---|---|---|---|
| 0.1 | Inventaire | ✅ | — |
| 0.2 | Test de charge | ✅ | 0.1 |
| 0.3 | Sauvegarde | ✅ | — |

## Phase 1 — Réplication

- [x] **1.1** Créer la publication — dépend de 0.2
- [~] **1.2** Attendre la copie — après 1.1
- [ ] **1.3** Comparer les comptes — après 1.2

## Phase 2 — Bascule

- [ ] **2.1** Page de maintenance — après 1.3
- [ ] **2.2** Couper les workers — après 2.1
"""
    units = _read(doc)
    assert sorted(units) == ["0.1", "0.2", "0.3", "1.1", "1.2", "1.3", "2.1", "2.2"]
    assert units["1.2"] == (Status.IN_PROGRESS, ["1.1"])
    assert units["2.1"][1] == ["1.3"]


def test_an_agents_log_adds_tasks_named_in_bold_and_drops_one_after_a_version_number() -> None:
    doc = """# PROGRESS.md

| ID | Task | Status |
|----|------|--------|
| T01 | Scaffold | ✅ Done |
| T02 | Schema | ✅ Done |
| T03 | Multi-currency | ⛔ Blocked |

## Log

### Session 12
- Dana decided: no multi-currency in v1. **T03 → dropped.** Left a note.

### Session 14
- Added two tasks from Dana's notes:
  - **T04 — Onboarding sample data** (not started)
  - **T05 — Import dedupe** — needs T02 (not started)
"""
    units = _read(doc)
    assert units["T03"][0] is Status.DROPPED
    assert units["T04"] == (Status.PLANNED, [])
    assert units["T05"] == (Status.PLANNED, ["T02"])


def test_a_checklists_legend_and_a_mark_before_a_bold_id() -> None:
    doc = """# Security hardening

Legend:

- `[x]` done
- `[ ]` open
- `[~]` in progress
- `[-]` not applicable / risk accepted (link the decision)

## Network

- [x] **NET-01** Firewall rules
- [ ] **NET-02** mTLS between server and runners
- [ ] ⛔ **NET-03** Egress allow-list — blocked: the NAT gateway can't do it
- [-] **NET-04** Encrypt the build cache — risk accepted
"""
    units = _read(doc)
    assert units["NET-03"][0] is Status.BLOCKED
    assert units["NET-04"][0] is Status.DROPPED


def test_a_jam_boards_playtest_lane_and_its_archive_of_ticked_cards() -> None:
    doc = """# Jam board

## 🎯 Up next

- [ ] Title screen

## 🛠️ Doing

- [ ] Lantern light radius

## 🧪 Playtest

- [ ] Oil drains in water

## ✅ Done

- [x] Pause menu

***

## Archive

- [x] Brainstorm the theme
- [x] Pick the engine
"""
    tracker, _ = read_document(Document("BOARD.md", doc))
    status = {s.title: s.status for s in tracker.sessions}
    assert status["Oil drains in water"] is Status.IN_PROGRESS
    assert status["Pick the engine"] is Status.DONE
    assert len(status) == 6


def test_sections_headed_by_a_ticket_id_set_off_by_a_space() -> None:
    doc = """# Implementation plan

### SRCH-01 Inventory every query
Status: ✅ done

### SRCH-02 Pick the parity metric
Status: ✅ done

### SRCH-03 Offline eval harness
Depends on: SRCH-01, SRCH-02
Status: 🚧 in progress
"""
    units = _read(doc)
    assert units["SRCH-03"] == (Status.IN_PROGRESS, ["SRCH-01", "SRCH-02"])


def test_a_roadmaps_later_quarters_listed_as_items_led_by_a_bold_id() -> None:
    doc = """# Hoja de ruta

## T1

| Clave | Iniciativa | Estado |
|---|---|---|
| PAG-1 | Redsys | 🟢 Hecho |
| PAG-2 | Tokenización | 🟢 Hecho |
| PAG-3 | Reembolsos | 🟡 En curso |
| A11Y-1 | Navegación con teclado | ⚪ Pendiente |

## T3 · sin estado todavía

- **FAC-1** Facturación electrónica — requiere todo el bloque de pagos (PAG-1…PAG-3)
- **FAC-2** Facturas rectificativas — depende de FAC-1
- **INT-3** API pública v1
"""
    units = _read(doc)
    assert units["A11Y-1"][0] is Status.PLANNED  # (a numeronym's epic is a key)
    assert units["FAC-1"] == (Status.PLANNED, ["PAG-1", "PAG-2", "PAG-3"])  # (`el bloque` blocks nothing)
    assert units["FAC-2"] == (Status.PLANNED, ["FAC-1"])
    assert units["INT-3"] == (Status.PLANNED, [])


def test_a_todo_boards_struck_cards_a_bilingual_qa_lane_and_a_bug_tables_words() -> None:
    board = """# 发版看板

## 🛠 开发中 In Dev

- [AND-1] 推送 — 等 API-4 上线后提测
- [API-4] 接口

## 🧪 测试中 QA

- [IOS-9] 推送通知分组

## ✅ 已完成 Done

- [API-3] 登录接口
"""
    units = _read(board)
    assert units["AND-1"] == (Status.IN_PROGRESS, ["API-4"])
    assert units["IOS-9"][0] is Status.IN_PROGRESS
    todo = """# TODO

## Now

- [~] fix the config loader
- [ ] batch git status

## Done

- [x] clap 4

## Someday / maybe

- [ ] TUI for conflicts
- [ ] ~~sync via Dropbox API~~ nope, git only
"""
    tracker, _ = read_document(Document("TODO.md", todo))
    assert {s.title: s.status for s in tracker.sessions}["sync via Dropbox API nope, git only"] is Status.DROPPED
    bugs = """# Bug bash

| # | Bug | State |
|---|---|---|
| BB-01 | Invoice PDF wrong | fixed |
| BB-02 | Same in Safari | dup of BB-01 |
| BB-03 | Chart empty | needs info |
| BB-04 | Login loop | ⛔ waiting for the SSO vendor |
"""
    units = _read(bugs)
    assert [units[k][0] for k in ("BB-02", "BB-03", "BB-04")] == [Status.DROPPED, Status.BLOCKED, Status.BLOCKED]
