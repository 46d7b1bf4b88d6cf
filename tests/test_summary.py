"""The summary renderer: golden files for whole summaries, and the pieces that must hold for any tracker.

Regenerate the golden files after an intended change with ``UPDATE_GOLDEN=1 .venv/bin/pytest tests/test_summary.py``
and read the diff before committing it.
"""

from __future__ import annotations

import os
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from syncbot.graph import build_graph
from syncbot.merge import CommitRef, MergeWarning, StatusChange
from syncbot.model import Session, Status, Tracker
from syncbot.summary import (
    mermaid_graph,
    progress_bar,
    render_session_comment,
    render_summary,
    should_post,
    summary_hash,
    summary_marker,
)

GOLDEN = Path(__file__).parent / "golden"
NOW = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
COMMIT_URL = "https://github.com/acme/amm/commit/{sha}"

P, R, IP, B, F, D, X = (
    Status.PLANNED,
    Status.READY,
    Status.IN_PROGRESS,
    Status.BLOCKED,
    Status.FAILED,
    Status.DONE,
    Status.DROPPED,
)


def session(
    key: str,
    title: str,
    status: Status,
    prereqs: list[str] | None = None,
    duration: str | None = None,
    phase: str | None = None,
    status_text: str | None = None,
) -> Session:
    return Session(
        key=key,
        title=title,
        status=status,
        status_text=status_text or status.value,
        prerequisites=prereqs or [],
        duration=duration,
        phase=phase,
    )


def table_tracker() -> Tracker:
    return Tracker(
        path="SESSION_TRACKER.md",
        title="AMM Build Plan",
        shape="table",
        sessions=[
            session("1", "Project Setup", D, [], "2h"),
            session("2", "Token Contracts", D, ["1"], "3-4h"),
            session("3", "AMM Pool Implementation", IP, ["2"], "6h"),
            session("4", "Price Oracle", P, ["2"], "4h"),
            session("5", 'Router & "Swaps"', P, ["3", "4"], "5h"),
            session("6", "Liquidity Mining", B, ["3"], None, status_text="⛔ BLOCKED on audit"),
            session("7", "Frontend <App>", P, ["5"], "2 days"),
            session("8", "Legacy Bridge", X, ["1"], "3h"),
        ],
    )


def table_changes() -> tuple[list[StatusChange], list[MergeWarning]]:
    pool = CommitRef("3f2a9c1d" + "0" * 32, "Finish the pool maths", datetime(2026, 3, 1, 17, 5, tzinfo=UTC), "Ann")
    edit = CommitRef("9b8c7d6e" + "1" * 32, "Plan: start session 3", datetime(2026, 3, 1, 9, 0, tzinfo=UTC), "Cy")
    changes = [
        StatusChange(
            "2", IP, D, "trailer", 'trailer `Session: 2 done` in 3f2a9c1 "Finish the pool maths" by Ann',
            at=pool.at, commit=pool, tracker_was=IP,
        ),
        StatusChange(
            "3", R, IP, "tracker", 'tracker edit in 9b8c7d6 "Plan: start session 3" by Cy',
            conflict="issue #13 labelled status:blocked by bob (2026-03-01 08:00 UTC) wanted blocked; "
            'the later tracker edit in 9b8c7d6 "Plan: start session 3" by Cy (2026-03-01 09:00 UTC) wins',
            at=edit.at, commit=edit, tracker_was=IP,
        ),
        StatusChange(
            "8", P, X, "forge", "issue #18 closed as not planned by bob",
            at=datetime(2026, 3, 1, 12, 0, tzinfo=UTC), issue=18, who="bob", tracker_was=P,
        ),
    ]  # fmt: skip
    warnings = [
        MergeWarning(
            "commit 3f2a9c1 \"Finish the pool maths\" by Ann: trailer names session '99', which "
            "SESSION_TRACKER.md does not have; nothing was written for it.",
            key="99",
            commit=pool.sha,
        )
    ]
    return changes, warnings


def phases_tracker() -> Tracker:
    return Tracker(
        path="STATUS.md",
        title="Release plan",
        shape="phases",
        sessions=[
            session("1.1", "Schema", D, [], "1d", phase="Foundation"),
            session("1.2", "Migrations", D, ["1.1"], "4h", phase="Foundation"),
            session("2.1", "API", IP, ["1.2"], "1w", phase="Production features"),
            session("2.2", "Auth", F, ["1.2"], "6h", phase="Production features"),
            session("2.3", "Admin UI", X, [], None, phase="Production features"),
            session("3.1", "Launch", P, ["2.1", "2.2"], "2h", phase="Launch"),
        ],
    )


def components_tracker() -> Tracker:
    # A cycle: the summary must still render, and say why the critical path is missing.
    return Tracker(
        path="COMPONENTS.md",
        title="SPHINX components",
        shape="components",
        sessions=[
            session("component-98", "Vault", D, []),
            session("component-99", "Secrets Manager", P, ["component-98", "T003"]),
            session("T003", "Rotate keys", P, ["component-99"]),
            session("end", "End-to-end checks", P, []),
        ],
    )


def done_tracker() -> Tracker:
    return Tracker(
        path="tasks.md",
        title="",
        shape="tasklist",
        sessions=[session("1", "Do X", D, [], "1h"), session("2", "Do Y", D, ["1"], "30m")],
    )


def check_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"{path} is missing; run with UPDATE_GOLDEN=1 to create it"
    assert text == path.read_text(encoding="utf-8"), f"{name} differs; UPDATE_GOLDEN=1 regenerates it"


def test_golden_table_with_changes_conflict_and_warning() -> None:
    changes, warnings = table_changes()
    issues = {k: 10 + int(k) for k in "12345678"}
    text = render_summary(
        table_tracker(),
        tracker_id="amm",
        now=NOW,
        changes=changes,
        warnings=warnings,
        issue_numbers=issues,
        commit_url=COMMIT_URL,
    )
    check_golden("summary_table.md", text)


def test_golden_phases() -> None:
    check_golden("summary_phases.md", render_summary(phases_tracker(), tracker_id="release", now=NOW))


def test_golden_components_with_a_cycle() -> None:
    check_golden("summary_components.md", render_summary(components_tracker(), tracker_id="sphinx", now=NOW))


def test_golden_all_done() -> None:
    check_golden("summary_done.md", render_summary(done_tracker(), tracker_id="tasks", now=NOW))


# ----------------------------------------------------------------------------------------- properties


def test_summary_starts_with_its_marker_and_states_the_counts() -> None:
    text = render_summary(table_tracker(), tracker_id="amm", now=NOW)
    assert text.startswith(summary_marker("amm") + "\n")
    assert summary_marker("amm") == "<!-- syncbot:summary tracker=amm -->"
    # 8 sessions, one dropped: 2 of 7 done.
    assert "**2/7 done** (28%)" in text
    assert "- **4** Price Oracle\n" in text.split("### Ready now")[1].split("###")[0]
    assert "- **6** Liquidity Mining: waiting on 3; marked blocked (⛔ BLOCKED on audit)" in text
    assert '- **5** Router &amp; "Swaps": waiting on 3, 4' in text  # shows as `Router & "Swaps"`
    # A title that looks like HTML is shown, not swallowed as a tag.
    assert "- **7** Frontend &lt;App&gt;: waiting on 5" in text


def test_critical_path_left_skips_closed_sessions_and_sums_hours() -> None:
    text = render_summary(table_tracker(), tracker_id="amm", now=NOW)
    # 3 (6h) → 5 (5h) → 7 (16h) beats 4 (4h) → 5 → 7.
    assert "3 → 5 → 7: 3 sessions, about 27 h, about 3.4 working days." in text


def test_rendering_reads_no_clock() -> None:
    one = render_summary(table_tracker(), tracker_id="amm", now=NOW)
    two = render_summary(table_tracker(), tracker_id="amm", now=NOW)
    assert one == two
    assert "Updated 2026-03-02 09:30 UTC" in one


def test_progress_bar() -> None:
    assert progress_bar(0, 4, 4) == "`░░░░`"
    assert progress_bar(2, 4, 4) == "`██░░`"
    assert progress_bar(4, 4, 4) == "`████`"
    assert progress_bar(0, 0, 4) == "`░░░░`"


# ----------------------------------------------------------------------------------------- posting


def test_hash_ignores_the_stamp_the_news_and_line_endings() -> None:
    changes, warnings = table_changes()
    t = table_tracker()
    first = render_summary(t, tracker_id="amm", now=NOW, changes=changes, warnings=warnings)
    later = render_summary(t, tracker_id="amm", now=datetime(2026, 3, 5, tzinfo=UTC))
    assert first != later
    assert summary_hash(first) == summary_hash(later)
    assert summary_hash(first.replace("\n", "\r\n")) == summary_hash(first)


def test_hash_changes_when_a_status_changes() -> None:
    t = table_tracker()
    before = render_summary(t, tracker_id="amm", now=NOW)
    t.sessions[3].status = Status.IN_PROGRESS
    after = render_summary(t, tracker_id="amm", now=NOW)
    assert summary_hash(before) != summary_hash(after)


def test_should_post() -> None:
    t = table_tracker()
    posted = render_summary(t, tracker_id="amm", now=NOW)
    again = render_summary(t, tracker_id="amm", now=datetime(2026, 3, 3, tzinfo=UTC))
    assert should_post(None, again, has_news=False)
    assert not should_post(summary_hash(posted), again, has_news=False)
    assert should_post(summary_hash(posted), again, has_news=True)
    t.sessions[2].status = Status.DONE
    assert should_post(summary_hash(posted), render_summary(t, tracker_id="amm", now=NOW), has_news=False)


# ----------------------------------------------------------------------------------------- mermaid

_MERMAID_ID = re.compile(r"^n\d+$")


def test_mermaid_ids_come_from_positions_never_from_keys() -> None:
    tracker = components_tracker()
    code = mermaid_graph(tracker).code
    node_ids = [m.group(1) for ln in code.splitlines() if (m := re.match(r"^    (\S+)\[", ln))]
    assert node_ids == [f"n{i}" for i in range(len(tracker.sessions))]
    assert all(_MERMAID_ID.match(i) for i in node_ids)


def test_mermaid_graph_nodes_edges_and_classes() -> None:
    tracker = components_tracker()
    graph = build_graph(tracker)
    drawing = mermaid_graph(tracker, graph, {"component-99": 7})
    assert drawing.note == "" and drawing.level == "full"
    lines = drawing.code.splitlines()
    ids = {key: f"n{i}" for i, key in enumerate(graph.order)}
    assert lines[0] == "graph TD"
    assert f'    {ids["component-99"]}["component-99: Secrets Manager #35;7"]' in lines
    assert f"    {ids['component-98']} --> {ids['component-99']}" in lines
    assert f"    {ids['T003']} --> {ids['component-99']}" in lines
    node_ids = {m.group(1) for ln in lines if (m := re.match(r"^    (\S+)\[", ln))}
    assert node_ids == set(ids.values())
    # Every id an edge or class line uses is a declared node.
    for ln in lines[1:]:
        if "-->" in ln:
            a, b = ln.strip().split(" --> ")
            assert {a, b} <= node_ids
        elif ln.strip().startswith("class "):
            assert set(ln.split()[1].split(",")) <= node_ids
    assert f"    class {ids['component-98']} done" in lines
    # A planned session with every prerequisite done is shown as ready.
    assert f"    class {ids['end']} ready" in lines
    assert any(ln.startswith("    classDef ready fill:") for ln in lines)


def test_mermaid_labels_escape_quotes_and_brackets() -> None:
    tracker = table_tracker()
    text = mermaid_graph(tracker, None, None).code
    ids = {key: f"n{i}" for i, key in enumerate(build_graph(tracker).order)}
    assert f'    {ids["5"]}["5: Router #38; #quot;Swaps#quot;"]' in text
    assert f'    {ids["7"]}["7: Frontend #lt;App#gt;"]' in text
    # No raw quote survives inside a label: each node line has exactly the two delimiting quotes.
    for ln in text.splitlines():
        if "[" in ln:
            assert ln.count('"') == 2, ln


# ----------------------------------------------------------------------------------------- session comment


def test_session_comment_links_the_commit() -> None:
    changes, _ = table_changes()
    text = render_session_comment(changes[0], tracker_id="amm", commit_url=COMMIT_URL, title="Token Contracts")
    sha = changes[0].commit.sha if changes[0].commit else ""
    assert text == (
        f"<!-- syncbot:status tracker=amm key=2 commit={sha} -->\n"
        "✅ Session 2 (Token Contracts): in_progress → **done**, trailer `Session: 2 done` in "
        f"[`3f2a9c1`](https://github.com/acme/amm/commit/{sha}) “Finish the pool maths” by Ann, "
        "2026-03-01 17:05 UTC.\n"
    )


def test_session_comment_for_a_tracker_edit_says_so_and_names_the_conflict() -> None:
    changes, _ = table_changes()
    text = render_session_comment(changes[1], tracker_id="amm")
    assert "tracker edit in `9b8c7d6` “Plan: start session 3” by Cy" in text
    # The conflict carries people's text, so it is inert as a whole: `#13` shows but does not link.
    assert "⚠️ Both sides changed: issue #\u200d13 labelled status:blocked" in text


@pytest.mark.parametrize("template", [None, "https://gitlab.example/g/p/-/commit/{sha}?view={x}"])
def test_commit_url_template_with_other_braces(template: str | None) -> None:
    changes, _ = table_changes()
    text = render_session_comment(changes[0], tracker_id="amm", commit_url=template)
    assert ("?view={x}" in text) == (template is not None)


def test_a_phase_whose_units_were_all_dropped_says_so_instead_of_a_full_bar() -> None:
    tracker = Tracker(
        path="PLAN.md",
        title="Plan",
        shape="phases",
        sessions=[
            session("1", "Schema", D, phase="Phase 1"),
            session("2", "API", P, ["1"], phase="Phase 1"),
            session("3", "Old exporter", X, phase="Phase 2"),
        ],
    )
    text = render_summary(tracker, tracker_id="plan", now=NOW)
    assert "| Phase 2 | – | dropped |" in text
    assert "0/0" not in text
