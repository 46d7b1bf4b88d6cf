"""Shapes first met in documents nobody had shown the readers (generalisation sets 17 and 18, and probes of
the issue's held-out classes): a task index and the log below it, logs that add and revise units, boards drawn
as tables, hubs of team tables, spec-kit dependency lines, ids carried after a unit's name, and the smaller
rules found beside them.  Each test is one document and what a reader of it would say."""

from __future__ import annotations

from readers_expect import read_units

from syncbot.model import Status
from syncbot.readers import read_document
from syncbot.readers.common import Document

INDEX = """# PROGRESS.md

## Task index

- #1 Scaffold the app
- #2 Port `/health` [after #1 lands]
- #3 Session layer [requires #1]
- #4 JWT auth [requires #3]

## Log

### Session 1 — 2024-06-03

- #1 done.
- Started #3.

### Session 2 — 2024-06-04

- #3 done.
- #4 in progress: token decode written.

### Session 3 — 2024-06-06

- #4 done after review; no review concerns.
"""


def test_a_task_index_is_the_units_and_the_log_entries_are_not() -> None:
    units = read_units(INDEX)
    assert units == {
        "1": (Status.DONE, []),
        "2": (Status.PLANNED, ["1"]),
        "3": (Status.DONE, ["1"]),
        "4": (Status.DONE, ["3"]),  # `done after review`: the review is no status of #4
    }


def test_a_log_names_plan_steps_by_their_kind_word_and_dates_with_dots_are_day_first() -> None:
    doc = """# Arbeitsprotokoll

## Plan

- **Schritt 1** — Ist-Prozess aufnehmen
- **Schritt 2** — Anforderungen abstimmen
- **Schritt 3** — Hardware auswählen

## Protokoll

### Sitzung 1 — Mo 11.03.

- Schritt 1 erledigt.
- Schritt 3 in Arbeit.

### Sitzung 2 — Mo 18.03.

- Schritt 3 erledigt.
- Schritt 2 blockiert: wartet auf die Lagerleitung.
"""
    units = read_units(doc)
    assert {k: st for k, (st, _) in units.items()} == {"1": Status.DONE, "2": Status.BLOCKED, "3": Status.DONE}


def test_a_note_that_a_unit_is_still_open_does_not_set_it_back_to_planned() -> None:
    doc = """# Hoja de ruta

## Hito 2

- **E2-S1** · Unidad 1 — _Hecho_
- **E2-S2** · Unidad 2 — _En curso_ — requiere E2-S1
- **E2-S3** · Vídeos — _Pendiente_ — requiere E2-S2

> Nota del 9/12: E2-S2 sigue abierto hasta tener los cuatro.
"""
    units = read_units(doc)
    assert units["E2-S1"][0] is Status.DONE  # `_Hecho_`: an underscore of emphasis is no part of the word
    assert units["E2-S2"] == (Status.IN_PROGRESS, ["E2-S1"])
    assert units["E2-S3"] == (Status.PLANNED, ["E2-S2"])


def test_the_lanes_of_a_roadmap_by_time_in_spanish() -> None:
    doc = """# TODO

## 🔥 Ahora

- [ ] #41 Migrar features
- [ ] #44 Validación temporal

## ⏭️ Próximo

- [ ] #48 Búsqueda de hiperparámetros

## 🧊 Más adelante

- [ ] #52 Registrar el modelo

## ✅ Hecho

- [x] #36 Congelar el dataset
"""
    units = read_units(doc)
    assert {k: st for k, (st, _) in units.items()} == {
        "41": Status.IN_PROGRESS,
        "44": Status.IN_PROGRESS,
        "48": Status.READY,
        "52": Status.PLANNED,
        "36": Status.DONE,
    }


def test_a_board_drawn_as_a_table_with_its_cut_lane_below_and_a_range_by_number() -> None:
    doc = """# Tablero

| Pendiente | Listo para empezar | En curso | Hecho |
|---|---|---|---|
| **VS-05** Informe | **VS-03** Panel | **VS-02** Reserva | **VS-01** Alta de socios |
| **VS-06** Prueba general | | **VS-04** Ticket | |

### Descartado

- ~~**VS-07** App nativa para iOS~~ — la web basta.

### Dependencias

- VS-06 necesita de VS-02 a VS-05, salvo VS-03.
"""
    units = read_units(doc)
    assert units["VS-03"][0] is Status.READY  # `listo para empezar`, not `listo` (done)
    assert units["VS-07"][0] is Status.DROPPED
    assert units["VS-06"] == (Status.PLANNED, ["VS-02", "VS-04", "VS-05"])


def test_a_section_of_plain_boxes_under_way_beside_keyed_tasks_is_work_and_a_validation_checklist_is_not() -> None:
    doc = """# Migração

## Fase 1

- [x] **01.A** Criar contas
- [~] **01.B** VPC — depende de 01.A

## Tarefas transversais

- [x] Treinamento de Kubernetes
- [~] Atualizar a documentação

## Validation checklist

- [x] All tasks have owners
- [ ] Every task names its files
"""
    titles = {k for k in read_units(doc)}
    assert titles == {"01.A", "01.B", "treinamento-de-kubernetes", "atualizar-a-documentação"}


def test_items_with_their_dates_in_code_ahead_of_the_id_beside_a_table_and_a_lone_closing_section() -> None:
    doc = """# Cronograma

## Fase 1

- `05/02 → 16/02` **S-201** Entrevistas — concluída em 16/02
- `19/02 → 08/03` **S-203** Protótipo — depende de S-201 — concluída em 08/03

## Fase 2

| ID | Atividade | Progresso | Depende de |
|----|-----------|-----------|------------|
| S-205a | Login, parte 1 | 100% | S-203 |
| S-205b | Login, parte 2 | 40% | S-205a |
| S-205c | Login, parte 3 | 0% | S-205b |

## Fase 3

- `03/06 → 14/06` **S-216** Piloto — depende de S-205a a S-205c — não iniciada
- `17/06 → 21/06` **S-217** Ajustes — depende de S-216 — não iniciada

## Encerramento

- `15/07 → 26/07` **S-221** Relatório final — depende de S-217 — não iniciada
"""
    units = read_units(doc)
    assert units["S-201"] == (Status.DONE, [])  # `concluída em 16/02`: the date it was done is no title
    assert units["S-203"] == (Status.DONE, ["S-201"])
    assert units["S-216"] == (Status.PLANNED, ["S-205a", "S-205b", "S-205c"])  # a range over letter suffixes
    assert units["S-221"] == (Status.PLANNED, ["S-217"])


def test_an_obsidian_board_in_chinese_with_an_inverse_edge() -> None:
    doc = """## 需求池

- [ ] TG-19 会员积分体系
	是 TG-20 的前置
- [ ] TG-20 积分兑换茶样

## 本周待做

- [ ] TG-16 茶农端离线录入

## 进行中

- [ ] TG-09 经销商后台

## 已完成

- [x] TG-01 小程序项目初始化

## 已放弃

- [ ] ~~TG-23 区块链存证~~
"""
    units = read_units(doc)
    assert {k: st for k, (st, _) in units.items()} == {
        "TG-19": Status.PLANNED,
        "TG-20": Status.PLANNED,
        "TG-16": Status.READY,
        "TG-09": Status.IN_PROGRESS,
        "TG-01": Status.DONE,
        "TG-23": Status.DROPPED,
    }
    assert units["TG-20"][1] == ["TG-19"]


HIVE = """# PROGRESS.md — hive scale

## Session 1 — 2024-03-02

| Task | What | Depends on |
|------|------|-----------|
| P1-1 | HX711 driver | none |
| P1-2 | Calibration | P1-1 |
| P2-1 | LoRaWAN join | none |
| P2-2 | CayenneLPP payload | P2-1 |
| P3-1 | TTN decoder | P2-2 |

## Session 2 — 2024-03-05

- P1-1 **done**. Sleep current 38 µA, good enough.
- New task **P1-6**: serial console — a prerequisite for P1-2, and itself depends on
  P1-1. Written first thing today, **done**.
- New task **P1-5**: brown-out handling — sleep 1 h when the battery is under 3.3 V. No dependencies.
- P2-2 **dropped**. Replaced by a new task:
- **P2-4** custom 11-byte payload. Depends on P2-1.
- **P3-1 now depends on P2-4** (P2-2 is gone).

## Session 3 — 2024-03-09

- P2-4 **done**: decoder stub in `ttn/decoder.js`.
- P2-1 **done**: joins on SF9.
"""


def test_a_log_adds_units_in_wrapped_items_and_bold_leads_and_revises_what_one_waits_for() -> None:
    units = read_units(HIVE)
    assert units["P1-1"][0] is Status.DONE  # `Sleep current 38 µA` is no news of P1-1
    assert units["P1-6"] == (Status.DONE, ["P1-1"])  # its item goes on to the next line
    assert "P1-6" in units["P1-2"][1]  # `a prerequisite for P1-2`
    assert units["P1-5"] == (Status.PLANNED, [])  # `3.3 V` is a voltage, not P3-3 or P3-1
    assert units["P2-4"] == (Status.DONE, ["P2-1"])  # an item led by a new key of the family in bold
    assert units["P3-1"][1] == ["P2-4"]  # `now depends on P2-4 (P2-2 is gone)` replaces the table's P2-2
    assert units["P2-2"][0] is Status.DROPPED
    assert set(units) == {"P1-1", "P1-2", "P2-1", "P2-2", "P3-1", "P1-6", "P1-5", "P2-4"}


def test_paragraphs_of_a_plan_and_the_done_ones_written_as_a_definition_list() -> None:
    doc = """# Feuille de route

## Maintenant

**Étape 9 — Inscription aux permanences.** En cours (Claire). Dépend des étapes 3 et 4.

**Étape 10 — Suivi des paiements.** En cours. Dépend de l'étape 5.

**Étape 11 — Paiement en ligne.** Bloquée. Dépend de l'étape 10.

## Fait

Étape 3 — Calendrier des distributions
: Terminée. Aucune dépendance.

Étape 4 — Connexion par lien magique
: Terminée le 12 janvier. Dépend de l'étape 3.

Étape 5 — Souscription en ligne
: Terminée.

## Abandonné

**Étape 29 — ~~Intégration avec Cagette.net~~.** Abandonnée : la formule gratuite disparaît.
"""
    units = read_units(doc)
    assert units["9"] == (Status.IN_PROGRESS, ["3", "4"])
    assert units["3"] == (Status.DONE, [])
    assert units["4"] == (Status.DONE, ["3"])
    assert units["29"][0] is Status.DROPPED


def test_a_speckit_dependencies_section_with_groups_named_by_their_keys_and_chains_after_commas() -> None:
    doc = """# Tasks

## Phase 3.2: Tests First

- [X] T004 [P] Contract test
- [X] T005 [P] Integration test

## Phase 3.3: Core Implementation

- [X] T008 Score model
- [X] T010 Staff-line detection
- [ ] T011 Notehead detection
- [ ] T012 Rhythm inference

## Dependencies
- Tests (T004-T005) before implementation (T008-T012)
- T008 blocks T010
- T010 blocks T011, T011 blocks T012
"""
    units = read_units(doc)
    assert units["T008"][1] == ["T004", "T005"]
    assert sorted(units["T010"][1]) == ["T004", "T005", "T008"]
    assert sorted(units["T012"][1]) == ["T004", "T005", "T011"]  # not T010: `T011 blocks T012` is its own


def test_a_box_with_no_id_in_the_list_of_the_tasks_boxes_is_a_task() -> None:
    doc = """# Tracking: 3.0

### Breaking changes

- [x] #412 Drop Python 3.8
- [ ] #418 New constituent table (blocked by #412)
- [ ] #421 Rename `Tide.at()`

### Release

- [ ] #442 Migration guide — after #421
- [ ] Tag `3.0.0rc1` and publish to PyPI — after #442
- [ ] Announce on Discourse
"""
    tracker, _ = read_document(Document("PLAN.md", doc))
    titles = [s.title for s in tracker.sessions]
    assert titles[-2:] == ["Tag 3.0.0rc1 and publish to PyPI", "Announce on Discourse"]


def test_speckit_phase_lines_that_name_their_tasks_and_say_none_for_some() -> None:
    doc = """# Tasks

## Phase 1: Setup

- [x] T001 Create the package

## Phase 2: Foundational

- [ ] T004 Retry policy
- [ ] T005 Transport protocol
- [ ] T006 Clock abstraction

## Phase 3: User Story 1

- [ ] T010 Core loop
- [ ] T011 Backoff
- [ ] T012 Retry-After
- [ ] T013 Cancellation

## Dependencies & Execution Order

- **Foundational (Phase 2)**: T004 and T005 depend on T001; T006 has no dependencies
- **User Story 1 (Phase 3)**: T010 depends on Phase 2; T011..T013 depend on T010
"""
    units = read_units(doc)
    assert units["T004"][1] == ["T001"] and units["T005"][1] == ["T001"]
    assert units["T006"][1] == []  # said to have none: the phase's rule is not its own
    assert units["T010"][1] == ["T004", "T005", "T006"]
    assert units["T011"][1] == units["T012"][1] == units["T013"][1] == ["T010"]


def test_an_open_issue_takes_the_status_its_label_names() -> None:
    doc = """# Hitos

| Incidencia | Título | Etiquetas | Estado | Depende de |
|---|---|---|---|---|
| #211 | Formulario genérico | — | Cerrada | — |
| #214 | Integración con SIR | `bloqueada` | Abierta | #211 |
| #218 | Notificaciones | `en curso` | Abierta | #211 |
| #219 | Aviso por correo | `ENS` | Abierta | #218 |
"""
    units = read_units(doc)
    assert {k: st for k, (st, _) in units.items()} == {
        "211": Status.DONE,
        "214": Status.BLOCKED,
        "218": Status.IN_PROGRESS,
        "219": Status.PLANNED,  # a label that names no status leaves the issue's own state
    }


def test_a_log_of_lists_joined_by_and_behind_a_label_and_what_is_nearly_done() -> None:
    doc = """# Hackathon

## Backlog

- #11 Modo offline do mapa — ⬜
- #13 Pitch deck — ⬜
- #17 Gamificação — ⬜

## Diário

- Decisão: #11 (offline) e #17 (gamificação) cortados, não dá tempo.
- #13 quase pronto, falta só o slide de modelo de negócio.
"""
    units = read_units(doc)
    assert units["11"][0] is Status.DROPPED and units["17"][0] is Status.DROPPED
    assert units["13"][0] is Status.IN_PROGRESS  # `quase pronto`: nearly done is under way


def test_units_named_by_the_id_they_carry_after_their_name() -> None:
    items = """# Backlog

- [x] Implement login (AUTH-12)
- [ ] Password reset flow (AUTH-13) — after AUTH-12
- [ ] SSO with Okta (AUTH-14)
"""
    sections = """# Plan

### Implement login [AUTH-12]
Status: done

### Password reset flow [AUTH-13]
Status: in progress
Depends on: AUTH-12

### SSO with Okta [AUTH-14]
Status: not started
"""
    cards = """# Board

## To do
- [ ] **SSO** · AUTH-14 · @bob — needs AUTH-13

## Doing
- [ ] **Password reset** · AUTH-13 · @ann

## Done
- [x] **Login** · AUTH-12 · @bob
"""
    for doc in (items, sections):
        tracker, _ = read_document(Document("PLAN.md", doc))
        assert [(s.key, s.title, s.prerequisites) for s in tracker.sessions] == [
            ("AUTH-12", "Implement login", []),
            ("AUTH-13", "Password reset flow", ["AUTH-12"]),
            ("AUTH-14", "SSO with Okta", []),
        ]
    tracker, _ = read_document(Document("BOARD.md", cards))
    assert {s.key: (s.title, s.prerequisites) for s in tracker.sessions} == {
        "AUTH-14": ("SSO", ["AUTH-13"]),
        "AUTH-13": ("Password reset", []),
        "AUTH-12": ("Login", []),
    }


def test_a_sprint_board_whose_notes_name_units_by_their_number_and_their_title() -> None:
    doc = """# Sprint board

| Emoji | Meaning |
|---|---|
| 🟢 | Done |
| 🔴 | Blocked |
| ⚪ | Not started |

| ID | Feature | Status | Notes |
|---|---|---|---|
| SB-101 | Login revamp | 🟢 | |
| SB-103 | Billing export | 🔴 | After 101 lands |
| SB-104 | Audit trail | ⚪ | Depends on: 103 |
| SB-110 | SSO | ⚪ | needs 101 and 104 first |
| SB-111 | Webhooks v2 | ⚪ | waiting for the billing export work |
"""
    units = read_units(doc)
    assert units["SB-103"] == (Status.BLOCKED, ["SB-101"])  # `101` as the key writes it
    assert units["SB-104"][1] == ["SB-103"]
    assert units["SB-110"][1] == ["SB-101", "SB-104"]
    assert units["SB-111"][1] == ["SB-103"]  # a short title is how a note names its unit


def test_a_wildcard_names_every_key_that_opens_so() -> None:
    doc = """# 二期工程进度表

| 编号 | 任务 | 状态 | 依赖 |
|---|---|---|---|
| G.1.1 | 网关选型 | ✅ 已完成 | — |
| G.1.2 | 鉴权插件 | 🚧 进行中 | G.1.1 |
| G.2.1 | 灰度发布 | 未开始 | G.1.x 全部 |
"""
    assert read_units(doc)["G.2.1"] == (Status.PLANNED, ["G.1.1", "G.1.2"])


def test_a_hub_of_team_tables_each_numbering_its_rows_from_one() -> None:
    doc = """# Release hub

Each team numbers its rows from 1; another team's row is written with the team name ("Backend 3").

## 1. Backend

| # | Change | Owner | Status | Needs |
|---|--------|-------|--------|-------|
| 1 | Instant payments endpoint | @femi | Done | — |
| 2 | Push service | @femi | Done | — |
| 3 | Card freeze API | @lu | In progress | — |

## 2. iOS

| # | Item | Owner | Status | Needs |
|---|------|-------|--------|-------|
| 1 | Instant payment flow (SwiftUI) | @kai | Done | Backend 1 |
| 2 | Card freeze toggle | @kai | In progress | Backend 3 |
| 3 | Rich push notifications | @ines | Not started | Backend 2 |
| 4 | Face ID re-auth | @kai | Not started | 1 |

## 3. Android

| # | Item | Owner | Status | Needs |
|---|------|-------|--------|-------|
| 1 | Compose payment screens | @pavel | Done | Backend 1 |
| 2 | Freeze switch in the card sheet | @pavel | Not started | Backend 3 |
| 3 | BigPictureStyle notifications | @ana | In progress | Backend 2 |
| 4 | Biometric re-auth | @pavel | In progress | 1 |
"""
    tracker, _ = read_document(Document("HUB.md", doc))
    by_title = {s.title: (s.key, s.prerequisites) for s in tracker.sessions}
    assert len(tracker.sessions) == 11  # three tables, three namespaces: none restates another
    assert by_title["Card freeze API"] == ("backend-3", [])
    assert by_title["Card freeze toggle"][1] == by_title["Freeze switch in the card sheet"][1] == ["backend-3"]
    assert by_title["Face ID re-auth"][1] == [by_title["Instant payment flow (SwiftUI)"][0]]  # `1` is its table's 1


def test_a_number_names_a_prefixed_key_right_after_a_marker_and_in_its_list_but_not_as_a_quantity() -> None:
    from syncbot.readers.key_index import KeyIndex
    from syncbot.readers.refs import parse_refs

    feats = KeyIndex(["FEAT-012", "FEAT-013", "FEAT-014"])
    assert parse_refs("Depends on: 12", feats, "FEAT-013", prose=True).prerequisites == ["FEAT-012"]
    assert parse_refs("needs 12 and 14 first", feats, "FEAT-013", prose=True).prerequisites == ["FEAT-012", "FEAT-014"]
    boards = KeyIndex(["B01", "B02", "B16"])
    said = " klar (IWDG triggar efter 2 s, BOR nivå 2 verifierad)."
    assert parse_refs(said, boards, "B16", prose=True, foreign_ids=True).prerequisites == []


def test_a_dated_log_that_lists_its_tasks_again_at_each_date() -> None:
    doc = """# Progress log

## 2024-05-02

- ✅ T-01 Set up the monorepo
- 🚧 T-02 Port the auth service
- ⏳ T-03 Payments adapter

## 2024-05-09

- ✅ T-02 Port the auth service
- 🚧 T-03 Payments adapter — after T-02
- ⏳ T-04 Notifications — needs T-03
"""
    assert read_units(doc) == {
        "T-01": (Status.DONE, []),
        "T-02": (Status.DONE, []),  # the later date's word
        "T-03": (Status.IN_PROGRESS, ["T-02"]),  # what its later line says it waits for is its too
        "T-04": (Status.PLANNED, ["T-03"]),
    }


def test_dependency_words_of_portuguese_spanish_and_korean_task_lines() -> None:
    doc = """# Plano

- [x] P6-1 Coleta de logs
- [ ] P6-2 Painel — aguarda P6-1
- [ ] P6-3 Alertas — una vez terminada P6-2
- [ ] P6-4 Manual — P6-3 완료 후
- [ ] P6-5 Escala — bloqueada pela P6-4
"""
    units = read_units(doc)
    assert [units[f"P6-{n}"][1] for n in range(2, 6)] == [["P6-1"], ["P6-2"], ["P6-3"], ["P6-4"]]


def test_two_units_under_one_key_are_kept_apart_and_the_document_is_told() -> None:
    doc = """# Tablero

| Pendiente | En curso | Hecho |
|---|---|---|
| **VS-002** Informe | **VS-001** Reserva | **VS-004** Alta |

### Descartado

- ~~**VS-003** App nativa~~
- ~~**VS-003** Estación meteorológica~~
"""
    tracker, _ = read_document(Document("BOARD.md", doc))
    keys = [s.key for s in tracker.sessions]
    assert len(keys) == len({k.lower() for k in keys}) == 5
    assert "VS-003-2" in keys
    assert any("VS-003 names two units" in p.message for p in tracker.problems)
