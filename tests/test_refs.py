"""References as people write them: the one parser every reader uses (syncbot/readers/refs.py).

Each case reads as a rule: the text written in a dependency field, the keys of the document, and what
the unit depends on.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from syncbot.readers.container_names import container_names
from syncbot.readers.key_index import KeyIndex
from syncbot.readers.refs import parse_refs

NUMBERS = ["1", "2", "3", "4", "5", "6"]
DOTTED = ["1", "1.1", "1.2", "1.3", "1.4", "2", "2.1"]
VS = ["VS-001", "VS-002", "VS-003", "VS-004", "VS-005"]
P6 = ["P6-1", "P6-2", "P6-3", "P6-4", "P7-1"]
RS = ["R1", "R2", "R3", "R4", "R5", "R6", "R7"]
TASKS = ["T001", "T002", "T003", "T004", "T005", "T006"]


def keys(text: str, doc: list[str], current: str | None = None, **kw: object) -> list[str]:
    return parse_refs(text, KeyIndex(doc), current, **kw).keys  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "doc", "expected"),
    [
        ("1.1-1.4", DOTTED, ["1.1", "1.2", "1.3", "1.4"]),
        ("VS-001..004", VS, ["VS-001", "VS-002", "VS-003", "VS-004"]),
        ("P6-2~4", P6, ["P6-2", "P6-3", "P6-4"]),
        ("3–5", NUMBERS, ["3", "4", "5"]),
        ("R1–R6", RS, ["R1", "R2", "R3", "R4", "R5", "R6"]),
        ("Steps 2-5", NUMBERS, ["2", "3", "4", "5"]),
        ("T002 to T004", TASKS, ["T002", "T003", "T004"]),
        ("1-2", DOTTED, ["1", "2"]),  # a range keeps to keys of its ends' shape: no subtasks
        # written out of order (a board's lanes move cards): the range still means A, B and C
        ("01.A–01.C", ["01.C", "02.A", "01.B", "01.A"], ["01.A", "01.B", "01.C"]),
    ],
)
def test_ranges(text: str, doc: list[str], expected: list[str]) -> None:
    assert keys(text, doc) == expected


@pytest.mark.parametrize(
    "text",
    ["2, 3", "2/3", "2 · 3", "2 & 3", "2 and 3", "2 und 3", "2 y 3", "2 e 3", "2 et 3", "2、3", "2，3", "2; 3"],
)
def test_lists_in_any_language(text: str) -> None:
    assert keys(text, NUMBERS, "6") == ["2", "3"]


@pytest.mark.parametrize(
    "text",
    [
        "Blocked on T003",
        "blocked by T003",
        "After T003 lands",
        "requires T003",
        "needs T003 first",
        "depends on T003",
        "Polish the UI (blocked by T003).",
        "waiting for T003 to merge",
        "só depois que o T003 for aprovado",
        "cuando esté terminada la T003",
        "After the parallel run (T003), so hosts train on the real thing.",
    ],
)
def test_prose_names_a_dependency_after_its_marker(text: str) -> None:
    assert keys(text, TASKS, "T005", prose=True) == ["T003"]


def test_prose_without_a_marker_names_nothing() -> None:
    assert keys("Rename T003's table; see T004 for context.", TASKS, "T005", prose=True) == []
    # a bare number in prose is no reference unless written as one (`#9`, `Step 9`)
    assert parse_refs("after 9 reviewers agree", KeyIndex(NUMBERS), "1", prose=True).unknown == []


CONTAINERS = {"Phase 2": ["T003", "T004"], "Store Layer": ["T005", "T006"], "阶段4": ["T002"]}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("depends on Phase 2", ["T003", "T004"]),
        ("after the Store layer", ["T005", "T006"]),
        ("阶段4", ["T002"]),
        ("Phase 2, T001", ["T003", "T004", "T001"]),
    ],
)
def test_a_container_means_its_members(text: str, expected: list[str]) -> None:
    assert parse_refs(text, KeyIndex(TASKS, CONTAINERS)).keys == expected


def test_a_numbered_container_counts_only_where_no_unit_has_that_key() -> None:
    idx = KeyIndex(["1.1", "1.2", "2.1"], {"2": ["2.1"], "1": ["1.1", "1.2"]})
    assert parse_refs("2", idx, "1.2").keys == ["2.1"]
    assert parse_refs("1.1", idx, "1.2").keys == ["1.1"]


@pytest.mark.parametrize(
    ("heading", "names"),
    [
        ("Phase 2: Foundational (Blocking Prerequisites)", ["Phase 2: Foundational", "Phase 2", "Foundational"]),
        ("Store Layer (depends on Phase 2)", ["Store Layer"]),
        ("阶段4：数据层", ["阶段4：数据层", "阶段4", "数据层"]),
        # a part lettered rather than numbered
        ("Awamu B — Ujenzi", ["Awamu B — Ujenzi", "Awamu B", "Ujenzi"]),
        ("C.設定・データ移行", ["C.設定・データ移行", "C", "設定・データ移行"]),
    ],
)
def test_container_names_of_a_heading(heading: str, names: list[str]) -> None:
    assert container_names(heading) == names


@pytest.mark.parametrize(
    "text", ["All previous", "all prior sessions", "Alle vorherigen", "全部", "全部任务", "todas las anteriores"]
)
def test_all_previous_means_every_unit_before_this_one(text: str) -> None:
    assert keys(text, NUMBERS, "4") == ["1", "2", "3"]


@pytest.mark.parametrize(
    ("text", "doc", "expected"),
    [
        ("001", VS, ["VS-001"]),
        ("VS-1", VS, ["VS-001"]),
        ("6-2", P6, ["P6-2"]),
        ("03", NUMBERS, ["3"]),
        ("ip-04", ["IP-03", "IP-04"], ["IP-04"]),
    ],
)
def test_a_shorter_form_of_a_key_resolves_when_it_names_one_unit(
    text: str, doc: list[str], expected: list[str]
) -> None:
    assert keys(text, doc) == expected


def test_a_shorter_form_shared_by_two_families_names_nothing() -> None:
    # `1` could be A-1 or B-1: ambiguous, so it is no reference to either
    assert keys("1", ["A-1", "B-1"]) == []


@pytest.mark.parametrize(
    ("text", "inverse", "forward"),
    [
        ("Blocks: 4, 5", ["4", "5"], []),
        ("Unblocks 4", ["4"], []),
        ("Prerequisite for 5", ["5"], []),
        ("Required by 4 and 5", ["4", "5"], []),
        ("2; blocks 5", ["5"], ["2"]),
    ],
)
def test_inverse_edges_are_returned_apart(text: str, inverse: list[str], forward: list[str]) -> None:
    refs = parse_refs(text, KeyIndex(NUMBERS), "3")
    assert (refs.inverse, refs.keys) == (inverse, forward)


def test_a_blocks_field_value_is_all_inverse() -> None:
    assert parse_refs("4, 5", KeyIndex(NUMBERS), "3", inverse=True).inverse == ["4", "5"]


@pytest.mark.parametrize(
    ("text", "external"),
    [
        ("owner/repo#14", ["owner/repo#14"]),
        ("other-repo#14", ["other-repo#14"]),
        ("[task 3](../api/ROADMAP.md#3)", ["../api/ROADMAP.md#3"]),
        ("api/ROADMAP.md task 3", ["api/ROADMAP.md task 3"]),
        ("https://github.com/o/r/issues/3", ["https://github.com/o/r/issues/3"]),
    ],
)
def test_external_references_are_kept_as_written_never_resolved_locally(text: str, external: list[str]) -> None:
    refs = parse_refs(text, KeyIndex(NUMBERS), "1")
    assert refs.external == external
    assert refs.keys == [] and refs.unknown == []  # a local unit 3 or 14 is not what it means


def test_a_hash_number_beside_keys_that_are_no_numbers_is_an_issue_elsewhere() -> None:
    refs = parse_refs("(blocked by #12)", KeyIndex(TASKS), "T001", prose=True)
    assert (refs.keys, refs.external) == ([], ["#12"])


def test_a_link_to_a_units_own_file_names_the_unit() -> None:
    assert keys("[R1](r1.md) and [R2](r2.md)", RS, "R3") == ["R1", "R2"]


def test_another_trackers_ticket_in_a_dependency_column_is_external() -> None:
    refs = parse_refs("MIG-2, SEC-7", KeyIndex(["MIG-1", "MIG-2", "MIG-3"]), "MIG-3", foreign_ids=True)
    assert (refs.keys, refs.external, refs.prerequisites) == (["MIG-2"], ["SEC-7"], ["MIG-2", "SEC-7"])


@pytest.mark.parametrize(
    ("text", "doc", "unknown"),
    [
        ("1, 9", NUMBERS, ["9"]),
        ("VS-009", VS, ["VS-009"]),
        ("R1, R9", RS, ["R9"]),
        ("Step 3.7", DOTTED, ["3.7"]),
    ],
)
def test_a_reference_spelled_like_the_keys_that_names_no_unit_is_unknown(
    text: str, doc: list[str], unknown: list[str]
) -> None:
    assert parse_refs(text, KeyIndex(doc), "2").unknown == unknown


@pytest.mark.parametrize("text", ["2 days", "40%", "2024-03-01", "v1.2 of the API", "UTF-8 decoding", "3h estimate"])
def test_quantities_dates_and_versions_are_no_references(text: str) -> None:
    refs = parse_refs(text, KeyIndex(NUMBERS), "1")
    assert (refs.keys, refs.unknown, refs.external) == ([], [], [])


@pytest.mark.parametrize(
    ("text", "doc", "expected"),
    [
        ("Phase 2 (schema), Phase 1 (runner). Phase 3·4 can run in parallel", NUMBERS, ["2", "1"]),
        ("Steps 2, 3", NUMBERS, ["2", "3"]),
        ("T003, same file", TASKS, ["T003"]),
        ("Phase 4, Phase 6, Phase 5 (all done)", NUMBERS, ["4", "6", "5"]),
        ("2, 3 and 1.1", [*DOTTED, "3"], ["2", "3", "1.1"]),
        ("the design review", NUMBERS, []),
        ("Sessions 3 & 4 complete", NUMBERS, ["3", "4"]),
    ],
)
def test_words_around_references_are_ignored(text: str, doc: list[str], expected: list[str]) -> None:
    assert keys(text, doc, "9") == expected


@pytest.mark.parametrize("text", ["None", "Nothing (first phase)", "n/a", "—", "Keine", "Ninguna", ""])
def test_an_explicit_none(text: str) -> None:
    refs = parse_refs(text, KeyIndex(NUMBERS), "1")
    assert refs.explicit_none and refs.keys == []


def test_a_unit_is_never_its_own_prerequisite() -> None:
    assert keys("1-3", NUMBERS, "2") == ["1", "3"]


# --- the readers use it ---------------------------------------------------------------------------------


def _read(text: str) -> dict[str, list[str]]:
    from syncbot.readers import read_document
    from syncbot.readers.common import Document

    tracker, _ = read_document(Document("T.md", text))
    return {s.key: s.prerequisites for s in tracker.sessions}


def test_table_reader_turns_blocks_into_the_named_units_prerequisite() -> None:
    text = (
        "# Plan\n\n| ID | Title | Status | Dependencies |\n|---|---|---|---|\n"
        "| A-1 | Schema | Done | Blocks: A-3 |\n| A-2 | API | Ready | A-1 |\n| A-3 | UI | Planned | A-2 |\n"
    )
    assert _read(text) == {"A-1": [], "A-2": ["A-1"], "A-3": ["A-2", "A-1"]}


def test_tasklist_heading_dependency_on_a_phase_means_its_members() -> None:
    text = (
        "# Tasks\n\n## Phase 1: Setup\n\n- [x] T001 Types\n- [x] T002 Helpers\n\n"
        "## Phase 2: Core\n\n### Store (depends on Phase 1)\n\n- [ ] T003 Store\n\n"
        "### Views (depends on Store)\n\n- [ ] T004 List view\n- [ ] T005 Detail view (depends on T004)\n"
    )
    assert _read(text) == {
        "T001": [],
        "T002": [],
        "T003": ["T001", "T002"],
        "T004": ["T003"],
        "T005": ["T004", "T003"],  # its own first, then its heading's
    }


def test_step_plan_blocks_field_adds_the_edge_to_the_blocked_step() -> None:
    text = (
        "# Plan\n\n## Step 1 — Schema\n\n**Blocks:** Step 2\n\n"
        "## Step 2 — API\n\nStatus: planned\n\n## Step 3 — UI\n\n**Depends on:** Step 2\n"
    )
    got = _read(text)
    assert got["2"] == ["1"] and got["3"] == ["2"]


FAMILY_KEYS = ["02.A", "02.B", "02.C", "02.D", "E1-S1", "E1-S2", "E2-S1", "G.3.1", "G.3.2", "G.4.1"]


@pytest.mark.parametrize(
    "text,want",
    [
        ("02.A–02.D", ["02.A", "02.B", "02.C", "02.D"]),  # a range over letter suffixes
        ("E1 全体", ["E1-S1", "E1-S2"]),  # a hierarchical key's prefix names its family
        ("G.3", ["G.3.1", "G.3.2"]),
        ("G.4", ["G.4.1"]),
        ("E2 全体、G.3.1", ["E2-S1", "G.3.1"]),
    ],
)
def test_a_key_prefix_names_its_family(text: str, want: list[str]) -> None:
    assert parse_refs(text, KeyIndex(FAMILY_KEYS)).keys == want


@pytest.mark.parametrize(
    "text",
    [
        "Requiere 02.B.",
        "Bloqueado por 02.B",
        "depois de 02.B",
        "Erfordert 02.B",
        "nécessite 02.B",
        "dipende da 02.B",
        "依赖 02.B",
        "02.B 完成后开始",
        "после 02.B",
        "wymaga 02.B",
        "sau khi hoàn thành 02.B",
        "setelah 02.B beres",
        "once 02.B is merged",
    ],
)
def test_prose_dependency_markers_in_many_languages(text: str) -> None:
    assert parse_refs(text, KeyIndex(FAMILY_KEYS), "02.C", prose=True).keys == ["02.B"]


B = ["A1", "A2", "B1", "B2", "B3", "C1", "C2"]
PHASE_B = {"Awamu B": ["B1", "B2", "B3"]}


@pytest.mark.parametrize(
    "text",
    [
        "Inategemea kazi zote za Awamu B (isipokuwa B2 iliyofutwa) pamoja na C1",
        "needs all of Awamu B except B2, plus C1",
        "depende de todos los de Awamu B salvo B2, además de C1",
    ],
)
def test_an_exception_takes_units_out_of_a_group(text: str) -> None:
    # what follows `except` runs to the end of its bracket or to a word that adds again (`plus`)
    got = parse_refs(text, KeyIndex(B, PHASE_B), "C2", prose=True).keys
    assert sorted(got) == ["B1", "B3", "C1"]


def test_a_bracket_the_clause_opened_does_not_end_it_but_one_it_sits_in_does() -> None:
    idx = KeyIndex(B)
    assert parse_refs("after A1 (the survey) and A2", idx, "B1", prose=True).keys == ["A1", "A2"]
    assert parse_refs("Drill (blocked by A1) with A2 on site", idx, "B1", prose=True).keys == ["A1"]


def test_a_lettered_container_is_a_capital_standing_alone() -> None:
    # `（Ｃ全体に依存）` under `## Ｃ．設定`: `C` is the container; `C-1` and the word `a` are not
    idx = KeyIndex(["C-1", "C-2", "D-1"], {"C": ["C-1", "C-2"]})
    assert parse_refs("(C全体に依存)", idx, "D-1", prose=True).keys == ["C-1", "C-2"]
    assert parse_refs("después de C-2", idx, "D-1", prose=True).keys == ["C-2"]
    assert parse_refs("después de a C-2", idx, "D-1", prose=True).keys == ["C-2"]


def test_a_unit_keyed_by_an_identifier_is_named_by_it_in_prose() -> None:
    # sections headed `### \`stg_orders\`` are keyed `stg-orders`; prose names them as written
    idx = KeyIndex(["ingest-orders", "stg-orders", "fct-sales"])
    assert parse_refs("بعد از `ingest_orders` اجرا می‌شود.", idx, "stg-orders", prose=True).keys == ["ingest-orders"]
    got = parse_refs("runs after `stg_orders` and fct-sales.", idx, "x", prose=True).keys
    assert got == ["stg-orders", "fct-sales"]
    # `its output feeds X`: X waits for this unit
    assert parse_refs("Its output feeds `fct_sales`.", idx, "stg-orders", prose=True).inverse == ["fct-sales"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Wait for pyproj NumPy 2 wheels", []),  # a product's version, no unit
        ("needs PostgreSQL 3 and 4", ["4"]),
        ("Sesiones 2, 3", ["2", "3"]),  # a kind of unit in any language is no product
        ("after Step 2", ["2"]),
    ],
)
def test_a_number_after_a_product_name_is_its_version(text: str, expected: list[str]) -> None:
    assert keys(text, NUMBERS, "6") == expected


def test_chinese_blocks_needs_no_word_boundary_and_all_above_is_all_previous() -> None:
    idx = KeyIndex(["2.1", "2.2", "2.4", "4.3", "4.4"], {"二、稳定性保障": ["2.1", "2.2", "2.4"]})
    refs = parse_refs("需要 2.1、2.2 先完成；同时阻塞 4.3", idx, "2.4")
    assert (refs.keys, refs.inverse) == (["2.1", "2.2"], ["4.3"])
    # a container named with its enumeration comma, as its heading writes it
    assert parse_refs("二、稳定性保障 全部完成", idx, "4.3").keys == ["2.1", "2.2", "2.4"]
    assert parse_refs("以上所有事项", idx, "4.4").keys == ["2.1", "2.2", "2.4", "4.3"]


def test_blocked_by_in_chinese_is_no_inverse_edge() -> None:
    # `阻塞于 T021`: blocked by T021 (the unit waits), unlike `阻塞 4.3` (it blocks 4.3)
    assert parse_refs("阻塞于 T021", KeyIndex(["T020", "T021"]), "T020", prose=True).keys == ["T021"]


STORIES = {
    "Phase 1: Setup": ["T001"],
    "Phase 2: Foundational": ["T002"],
    "Phase 3: User Story 1 - Upload": ["T003", "T004"],
    "Phase 4: User Story 2 - Albums": ["T005"],
    "Phase 5: Polish & Cross-Cutting Concerns": ["T006"],
}


def _story_index() -> KeyIndex:
    names = {n: m for name, m in STORIES.items() for n in container_names(name)}
    return KeyIndex(TASKS, names)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("depends on Phases 3–4", ["T003", "T004", "T005"]),  # a range of containers, the plural too
        ("after Phase 3+", ["T003", "T004", "T005", "T006"]),  # Phase 3 and every one after it
        ("needs all user stories", ["T003", "T004", "T005"]),  # every container named a user story
        ("after User Story 2", ["T005"]),  # the numbered head of a container's title
        ("after Polish", ["T006"]),  # the first part of `Polish & Cross-Cutting Concerns`
        ("needs all the waves", []),  # no container is called a wave here
    ],
)
def test_several_containers_at_once(text: str, expected: list[str]) -> None:
    assert parse_refs(text, _story_index(), None, prose=True).keys == expected


def test_a_dependency_may_carry_an_adverb() -> None:
    assert keys("H2 depende además de T004", TASKS, "T005", prose=True) == ["T004"]
    assert keys("hängt außerdem von T002 ab", TASKS, "T005", prose=True) == ["T002"]


def test_keys_in_cyrillic_and_inverse_edges_in_traditional_chinese() -> None:
    assert keys("после Э1-1", ["Э1-1", "Э1-2"], "Э1-2", prose=True) == ["Э1-1"]
    assert parse_refs("P4-1；阻擋 P4-5", KeyIndex(["P4-1", "P4-3", "P4-5"]), "P4-3").inverse == ["P4-5"]


def test_a_container_is_called_by_the_name_before_its_full_width_colon() -> None:
    assert "第二階段" in container_names("第二階段：核心功能")
    index = KeyIndex(["P2-1", "P2-2", "P4-1"], {n: ["P2-1", "P2-2"] for n in container_names("第二階段：核心功能")})
    assert parse_refs("第二階段全部", index, "P4-1").keys == ["P2-1", "P2-2"]


def test_a_container_name_is_no_part_of_a_key() -> None:
    # `## iOS` holds iOS-1…; `requires iOS-1` names the one task, not the whole platform
    index = KeyIndex(["iOS-1", "iOS-2", "AND-1"], {"iOS": ["iOS-1", "iOS-2"]})
    assert parse_refs("requires iOS-1", index, "iOS-2", foreign_ids=True).keys == ["iOS-1"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Needed the peering from Step 2.", ["2"]),
        ("Also rides on the add-on bootstrap from Step 3.", ["3"]),
        ("Relies on 4 for its schema.", ["4"]),
        ("After Step 5. Keep the state file for 3 months.", ["5"]),  # a number may close a sentence
    ],
)
def test_more_prose_dependencies(text: str, expected: list[str]) -> None:
    assert keys(text, NUMBERS, "6", prose=True) == expected


def test_needed_by_is_the_other_way_round() -> None:
    assert parse_refs("Needed by Step 3.", KeyIndex(NUMBERS), "5", prose=True).inverse == ["3"]


def test_a_text_naming_containers_many_times_is_read_in_linear_time() -> None:
    """Each place that names several containers is blanked once the piece is read, in one pass: copying the
    piece once a place made 80,000 `all user stories` (1 MB) take seconds."""
    import time

    text = "needs " + "all user stories, " * 80_000
    started = time.process_time()
    assert parse_refs(text, _story_index(), None, prose=True).keys == ["T003", "T004", "T005"]
    assert time.process_time() - started < 4.0


def test_a_struck_reference_is_no_longer_waited_for() -> None:
    """`depende de ~~P2-2~~ P2-4`: the plan changed; P2-2 was struck out of the dependency."""
    assert keys("depende de ~~P2-2~~ P2-4", ["P2-2", "P2-4", "P2-5"], "P2-5", prose=True) == ["P2-4"]


@pytest.mark.parametrize("text", ["#48 が終わってから", "#48 が先", "#48 の後"])
def test_japanese_words_that_follow_what_they_wait_for(text: str) -> None:
    assert keys(text, ["#48", "#52"], "#52", prose=True) == ["#48"]


def test_ranges_written_out_of_order_take_linear_time() -> None:
    """A board lists its cards out of order, so `T05–T06` is read by the keys' numbers; each such range
    looks at the keys it names, not at every key of the document (a range took 60 ms among 20,000 keys: a
    tracker of such cards, each waiting for the two before it, took minutes)."""
    import time

    n = 20_000
    index = KeyIndex([f"T{i:05d}" for i in range(n, 0, -1)])  # newest card first
    started = time.process_time()
    for i in range(3, 303):
        got = parse_refs(f"needs T{i - 2:05d}–T{i - 1:05d}", index, f"T{i:05d}", prose=True).keys
        assert got == [f"T{i - 2:05d}", f"T{i - 1:05d}"]
    assert time.process_time() - started < 2.0


def test_equal_indexes_share_what_a_text_names_in_a_reading() -> None:
    """The sections and thread readers read the same `Depends on:` fields against equal indexes: a text is
    read once a reading, and each caller gets its own copy."""
    from syncbot.readers.common import gc_paused

    def index(containers: dict[str, list[str]] | None) -> KeyIndex:
        return KeyIndex(["1", "2", "3"], containers)

    with gc_paused():  # (a reading)
        a, b, c = index({"Phase 1": ["1", "2"]}), index({"Phase 1": ["1", "2"]}), index(None)
        assert a.answers is b.answers and a.answers is not c.answers
        first = parse_refs("Phase 1", a, "3")
        first.keys.append("9")
        assert parse_refs("Phase 1", b, "3").keys == ["1", "2"] and len(a.answers) == 1
        assert parse_refs("Phase 1", c, "3").keys == ["1"]  # (no container: the number)
    assert index(None).answers is not index(None).answers  # (outside a reading, nothing is shared)


def _cpu_best(fn: Callable[[], object], runs: int = 3) -> float:
    import time

    best = float("inf")
    for _ in range(runs):
        started = time.process_time()
        fn()
        best = min(best, time.process_time() - started)
    return best


@pytest.mark.parametrize(
    ("keys", "form"),
    [
        (["T1", "T2", "T3"], "T{}"),
        (["A", "B-x", "C"], "#{}"),
        (["1", "2", "3"], "Step {}"),
        (["T1", "T3"], "needs T{}"),
    ],
    ids=["unknown keys", "tickets", "unit words", "clauses"],
)
def test_a_prose_line_of_many_unknown_references_is_read_in_linear_work(keys: list[str], form: str) -> None:
    """`needs T100000 T100001 …`: each unknown key was looked for in the list of those found, and whether it
    sits in brackets in a copy of all the text before it (40,000 keys took 43 s of CPU; 20,000 numbers after
    a unit word, 134 s).  Four times the line takes about four times the work, not sixteen."""
    index = KeyIndex(keys)

    def line(n: int) -> str:
        return "needs " + " ".join(form.format(i) for i in range(100_000, 100_000 + n))

    small, large = line(2_500), line(10_000)
    refs = parse_refs(large, index, keys[-1], prose=True)
    assert len(refs.unknown) + len(refs.external) == 10_000
    ratio = _cpu_best(lambda: parse_refs(large, KeyIndex(keys), keys[-1], prose=True)) / _cpu_best(
        lambda: parse_refs(small, KeyIndex(keys), keys[-1], prose=True)
    )
    assert ratio < 9, ratio


def test_a_unit_word_is_looked_for_just_before_a_number(monkeypatch: pytest.MonkeyPatch) -> None:
    """Whether `Step` comes before a bare number in prose is asked of the few characters before it."""
    import syncbot.readers.bare_numbers as numbers_module

    looked: list[int] = []
    real = numbers_module._UNIT_WORD_END_RE

    class Counted:
        def search(self, text: str, pos: int, endpos: int) -> object:
            looked.append(endpos - pos)
            return real.search(text, pos, endpos)

    monkeypatch.setattr(numbers_module, "_UNIT_WORD_END_RE", Counted())
    text = "needs " + " ".join(str(i) for i in range(100_000, 120_000))
    assert parse_refs(text, KeyIndex(["1", "2", "3"]), "3", prose=True).keys == []
    assert len(looked) == 20_000 and max(looked) <= 10
    said = parse_refs("after work \n packets 12, STEPS  13 and 14", KeyIndex(["7", "8", "9"]), "9", prose=True)
    assert said.unknown == ["12", "13"]  # (a bare number in prose is no unit)


def test_a_wildcard_names_the_keys_that_open_so_in_linear_work(monkeypatch: pytest.MonkeyPatch) -> None:
    """`G.1.x`: the keys were found by a pass over every key for each wildcard, so a tracker whose units each
    wait for `G.<n-1>.x` took a pass per unit (8,000 units: 9 s).  They are found by bisection now: the keys
    looked at are those named, however many keys there are."""
    index = KeyIndex([f"G.{i}.{j}" for i in range(1, 2_001) for j in (1, 2)] + ["g.7.3", "G.7."])
    assert parse_refs("needs G.7.x", index, None).keys == ["G.7.1", "G.7.2", "g.7.3"]
    assert parse_refs("needs P6-*", KeyIndex(["P6-1", "P6-2", "P7-1"]), None).keys == ["P6-1", "P6-2"]
    looked: list[int] = []
    real = KeyIndex.opening_with

    def counted(self: KeyIndex, prefix: str) -> list[str]:
        found = real(self, prefix)
        looked.append(len(found))
        return found

    monkeypatch.setattr(KeyIndex, "opening_with", counted)
    line = "needs " + ", ".join(f"G.{i}.x" for i in range(1, 2_001))
    assert len(parse_refs(line, index, None).keys) == 4_001
    assert len(looked) == 2_000 and sum(looked) == 4_001


def test_the_keys_after_each_comma_are_read_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """`T00001 blocks T00002, T00003, …`: every comma opened a reading of the whole list after it to see whether
    a statement of its own starts there (8,000 tasks: 47 s, quadratic).  Each key is read once now."""
    import syncbot.readers.key_statements as ks

    index = KeyIndex([f"T{i:05d}" for i in range(1, 4_001)])
    looked: list[int] = []
    real = ks._TOKEN_RE

    class Counted:
        def match(self, text: str, pos: int = 0) -> object:
            looked.append(pos)
            return real.match(text, pos)

    monkeypatch.setattr(ks, "_TOKEN_RE", Counted())
    line = "T00001 blocks " + ", ".join(f"T{i:05d}" for i in range(2, 4_001))
    assert ks.statements(line, index) == [(["T00001"], line[6:])]
    assert len(looked) < 3 * 4_000
    said = ks.statements("T00001 blocks T00002, T00003, T00004 blocks T00005", index)
    assert said == [(["T00001"], " blocks T00002, T00003"), (["T00004"], " blocks T00005")]
