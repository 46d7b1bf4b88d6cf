"""The dependency graph: waves, the ready set, cycles, unknown prerequisites and the critical path."""

from __future__ import annotations

import pytest

from syncbot.graph import build_graph, duration_hours
from syncbot.model import Session, Severity, Status, Tracker


def tracker(*rows: tuple[str, Status, list[str], str | None]) -> Tracker:
    sessions = [
        Session(key=k, title=f"S{k}", status=st, status_text=st.value, prerequisites=p, duration=d, line=i + 10)
        for i, (k, st, p, d) in enumerate(rows)
    ]
    return Tracker(path="T.md", title="T", shape="table", sessions=sessions)


P, D = Status.PLANNED, Status.DONE


def test_waves_are_topological_levels_in_document_order() -> None:
    g = build_graph(
        tracker(
            ("1", D, [], None),
            ("2", P, ["1"], None),
            ("3", P, ["2"], None),
            ("4", P, ["2"], None),
            ("5", P, ["3", "4"], None),
        )
    )
    assert g.waves() == [["1"], ["2"], ["3", "4"], ["5"]]
    assert not g.problems


def test_ready_set_is_open_sessions_whose_prerequisites_are_all_done() -> None:
    g = build_graph(tracker(("1", D, [], None), ("2", P, ["1"], None), ("3", P, ["2"], None), ("4", P, [], None)))
    assert g.ready() == ["2", "4"]
    assert g.blocked_by() == {"3": ["2"]}


def test_cycle_is_an_error_naming_the_cycle_and_its_line() -> None:
    g = build_graph(tracker(("1", P, ["3"], None), ("2", P, ["1"], None), ("3", P, ["2"], None)))
    assert g.cycle is not None and set(g.cycle) == {"1", "2", "3"}
    [problem] = g.problems
    assert problem.severity is Severity.ERROR
    assert "dependency cycle" in problem.message and "->" in problem.message
    assert problem.line in (10, 11, 12)
    assert g.critical_path() == ([], 0.0)


def test_unknown_prerequisite_is_an_error_with_the_sessions_line() -> None:
    g = build_graph(tracker(("1", P, [], None), ("2", P, ["9"], None)))
    [problem] = g.problems
    assert problem.line == 11
    assert "unknown prerequisite 9" in problem.message
    assert g.deps["2"] == []


def test_a_dropped_prerequisite_does_not_block_its_dependants() -> None:
    x = Status.DROPPED
    g = build_graph(tracker(("1", x, [], None), ("2", P, ["1"], None), ("3", P, ["1", "2"], None)))
    assert g.ready() == ["2"]
    assert g.blocked_by() == {"3": ["2"]}


@pytest.mark.parametrize(
    "ref", ["owner/repo#14", "other-repo#14", "../api/ROADMAP.md#3", "api/ROADMAP.md task 3", "SEC-7"]
)
def test_an_external_prerequisite_is_shown_as_info_and_blocks_nothing(ref: str) -> None:
    g = build_graph(tracker(("1", D, [], None), ("2", P, ["1", ref], None)))
    assert [p.severity for p in g.problems] == [Severity.INFO]
    assert ref in g.problems[0].message and g.problems[0].line == 11
    assert g.deps["2"] == ["1"] and g.external == {"2": [ref]}
    assert g.ready() == ["2"] and g.blocked_by() == {}


def test_a_reference_spelled_like_the_keys_is_unknown_not_external() -> None:
    keys = [("VS-001", P, [], None), ("VS-002", P, ["VS-009"], None)]
    [problem] = build_graph(tracker(*keys)).problems
    assert problem.severity is Severity.ERROR and "unit VS-002: unknown prerequisite VS-009" in problem.message


def test_self_dependency_is_reported() -> None:
    g = build_graph(tracker(("1", P, ["1"], None)))
    assert "depends on itself" in g.problems[0].message


@pytest.mark.parametrize(
    ("text", "hours"),
    [
        ("3-4h", 4.0),
        ("4h", 4.0),
        ("2 hours", 2.0),
        ("1.5h", 1.5),
        ("2 days", 16.0),
        ("30 min", 0.5),
        ("soon", None),
        (None, None),
    ],
)
def test_duration_counts_the_upper_bound(text: str | None, hours: float | None) -> None:
    assert duration_hours(text) == hours


def test_critical_path_uses_durations_and_remaining_work() -> None:
    g = build_graph(
        tracker(
            ("1", D, [], "2h"),
            ("2", P, ["1"], "3-4h"),
            ("3", P, ["2"], "1h"),
            ("4", P, ["2"], "5h"),
            ("5", P, ["3", "4"], "1h"),
        )
    )
    assert g.critical_path() == (["1", "2", "4", "5"], 12.0)
    assert g.critical_path(remaining_only=True) == (["2", "4", "5"], 10.0)


def test_a_line_of_many_keys_sorts_the_known_keys_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """`- [ ] T0 Work T1 T2 … T2000 needs T1` ahead of the tasks it names: every task after it is read with
    an unknown prerequisite, and each error named the known keys by sorting all of them (a line of 12,500
    keys took 112 s of CPU in inspect).  The few known keys are worked out once a graph, and a unit's
    prerequisites are told apart by a set, not by a scan of those already resolved."""
    import syncbot.graph as graph
    from syncbot.readers.common import Document
    from syncbot.report import inspect_data

    sorts: list[int] = []
    real = graph._few
    monkeypatch.setattr(graph, "_few", lambda keys: sorts.append(len(keys)) or real(keys))
    n = 2_000
    keys = " ".join(f"T{i}" for i in range(1, n + 1))
    tasks = "\n".join(f"- [ ] T{i} Work {i}" for i in range(1, n + 1))
    data = inspect_data(Document("tasks.md", f"# Tasks\n\n- [ ] T0 Work {keys} needs T1\n{tasks}\n"))[2]
    unknown = [p for p in data["problems"] if "unknown prerequisite" in p["message"]]
    assert len(unknown) > n // 2 and len(sorts) == 1

    many = [str(i) for i in range(2, 20_002)]
    g = build_graph(tracker(*((k, P, [], None) for k in many), ("1", P, many + many[::-1] + ["9x"], None)))
    assert g.deps["1"] == many
