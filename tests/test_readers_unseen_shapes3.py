"""Shapes first met in generalisation sets 27 and 29 (written blind, opened in session 8): dependencies drawn as a
Mermaid flowchart, a board whose cards are chained (`⛓ KEY`) in lanes named `Ready for dev` and `Waiting on
client`, GitHub `:shortcode:` emoji in a legend, notes that deny a status (`isn't live`), sentences of Chinese
statements below a matrix, a section's rule over table rows that leave the column blank, a fifth phase written
as bullets below four tables.  Each test is one document and what a reader of it would say."""

from __future__ import annotations

from syncbot.model import Status
from syncbot.readers import read_document
from syncbot.readers.common import Document


def _read(text: str) -> dict[str, tuple[Status, list[str]]]:
    tracker, _ = read_document(Document("PLAN.md", text))
    return {s.key: (s.status, sorted(s.prerequisites)) for s in tracker.sessions}


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
