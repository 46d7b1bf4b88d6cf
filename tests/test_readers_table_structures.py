"""Table structures read by their shape, in any language: a work breakdown's summary rows, units written as
the cells of a grid, a notes column that names a table of units, lines that open with units' keys."""

from __future__ import annotations

from syncbot.model import SpanKind, Status
from syncbot.readers import read_document
from syncbot.readers.common import Document
from syncbot.readers.key_index import KeyIndex
from syncbot.readers.key_statements import statements


def read(text: str) -> dict[str, tuple[str, Status, list[str]]]:
    tracker, _ = read_document(Document("T.md", text))
    return {s.key: (s.title, s.status, s.prerequisites) for s in tracker.sessions}


WBS = """# WBS

| WBS | Name | Estimate | Status | Predecessors |
| --- | --- | --- | --- | --- |
| **1** | **Analysis** | **10** | | |
| **1.1** | **Interviews** | 6 | | |
| 1.1.1 | Talk to the librarian | 2 | Done | – |
| 1.1.2 | Survey the teachers | 4 | Done | 1.1.1 |
| **2** | **Build** | **20** | | |
| 2.1.1 | Data model | 8 | In progress | 1.1 |
| 2.1.2 | Screens | 12 | Not started | 1 |
"""


def test_a_work_breakdown_s_summary_rows_are_totals_not_units() -> None:
    # `1`, `1.1`, `2` open other rows' keys and state no status: they add up the leaves under them
    units = read(WBS)
    assert list(units) == ["1.1.1", "1.1.2", "2.1.1", "2.1.2"]
    # a summary row's key as a prerequisite still means its members
    assert units["2.1.1"][2] == ["1.1.1", "1.1.2"]
    assert units["2.1.2"][2] == ["1.1.1", "1.1.2"]


def test_a_parent_row_with_a_status_is_a_unit() -> None:
    text = WBS.replace("| **1.1** | **Interviews** | 6 | |", "| **1.1** | **Interviews** | 6 | Done |")
    assert "1.1" in read(text)


GRID = """# Experiments

Legend: ✅ done · 🔄 running · ⬜ not started

## Preparation

| ID | Task | Status | Needs |
| --- | --- | --- | --- |
| P1 | Download the corpus | ✅ | — |
| P2 | Transcribe the recordings | 🔄 | — |

## Model × dataset

| Model ↓ / Data → | Public | Own | Both |
| --- | --- | --- | --- |
| Whisper-small | E01 ✅ | E02 🔄 | E03 ⬜ |
| Whisper-medium | E04 ✅ | E05 ⬜ | E06 ⬜ |

## Analysis

| ID | Task | Status | Needs |
| --- | --- | --- | --- |
| A1 | Error tables | ⬜ | E01–E06 |
| A2 | Regional errors | ⬜ | E02, E05 |
"""


def test_each_cell_of_a_grid_with_an_id_and_a_status_is_a_unit() -> None:
    tracker, _ = read_document(Document("T.md", GRID))
    units = tracker.by_key()
    assert [k for k in units if k.startswith("E")] == ["E01", "E02", "E03", "E04", "E05", "E06"]
    e02 = units["E02"]
    # titled by its row and its column, its status written in the cell (the span is the mark alone)
    assert (e02.title, e02.status) == ("Whisper-small — Own", Status.IN_PROGRESS)
    assert e02.status_spans[0].kind is SpanKind.CELL
    assert e02.status_spans[0].span.slice(GRID) == "🔄"
    # the analysis table names the grid's ids, one by one and as a range
    assert units["A1"].prerequisites == ["E01", "E02", "E03", "E04", "E05", "E06"]
    assert units["A2"].prerequisites == ["E02", "E05"]


def test_a_table_of_counts_is_no_grid() -> None:
    text = "# Results\n\n| Model | WER | CER |\n| --- | --- | --- |\n| A | 31 ✅ | 9 |\n| B | 24 ✅ | 7 |\n"
    assert read(text) == {}


SPRINTS = """# Sprint tracker

## Sprint 1

| Key | Story | Status | Notes |
| --- | --- | --- | --- |
| BRGY-1 | Project setup | Done | |
| BRGY-2 | ERD | Done | kailangan ang BRGY-1 |

## Sprint 2

| Key | Story | Status | Notes |
| --- | --- | --- | --- |
| BRGY-3 | Login | Done | |
| BRGY-4 | Deployment | To Do | after lahat ng Sprint 1 |
"""


def test_a_notes_column_is_the_row_s_prose_and_may_name_a_table_of_units() -> None:
    units = read(SPRINTS)
    assert units["BRGY-2"][2] == ["BRGY-1"]
    # `Sprint 1` names the units of the table under `## Sprint 1`, not the unit keyed `BRGY-1`
    assert units["BRGY-4"][2] == ["BRGY-1", "BRGY-2"]


SEQUENCE = """# Works

| № | Work | State |
| --- | --- | --- |
| 1 | Survey | ✅ |
| 2 | Design | ✅ |
| 3 | Tender | ✅ |
| 4 | Demolition | ✅ |
| 5 | Waterproofing | 🔨 |
| 6 | Shaft | 🔨 |
| 7 | Ventilation | ⏳ |
| 8 | Wiring | ⏳ |

## Order of works

- 4 починається після 3 (договір), а 3 — після 2.
- 5 і 6 — після демонтажу (4).
- 7 після 5; 8 можна вести паралельно, але — після 6.
- 2 after 1. 8 needs nothing else.
"""


def test_a_line_that_opens_with_keys_speaks_for_them_one_statement_at_a_time() -> None:
    units = read(SEQUENCE)
    assert units["4"][2] == ["3"]
    assert units["3"][2] == ["2"]
    assert units["5"][2] == units["6"][2] == ["4"]  # `5 і 6`: both open the statement
    assert units["7"][2] == ["5"]
    assert units["8"][2] == ["6"]
    assert units["2"][2] == ["1"]  # `1. 8 needs…`: a sentence end after a number still ends the statement


def test_words_without_a_dependency_stay_with_the_statement_before() -> None:
    index = KeyIndex(["1", "2", "3", "4"])
    # `, and 4 — for the docs` states no dependency: it is still about 3
    assert statements("- 3 after 1, and 4 — for the docs", index) == [(["3"], " after 1, and 4 — for the docs")]
    assert statements("Nothing here opens with a key", index) == []


def test_a_document_whose_only_units_are_a_grid_s_cells() -> None:
    text = GRID[GRID.index("## Model") :].split("## Analysis")[0]
    tracker, results = read_document(Document("T.md", "# Grid\n\n" + text))
    assert tracker.shape == "table"
    assert [s.key for s in tracker.sessions] == ["E01", "E02", "E03", "E04", "E05", "E06"]
    table = next(r for r in results if r.reader == "table")
    assert any("grid of units, 6 cells" in n for n in table.notes)
