"""The command line as CI sees it: output, exit codes, one-line errors."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from syncbot.cli import main
from syncbot.graph import build_graph
from syncbot.readers import read_tracker

if TYPE_CHECKING:
    from conftest import GitRepo

SEEDS = Path(__file__).parent / "fixtures" / "seeds"
EXAMPLE = Path(__file__).parent.parent / "examples" / "SESSION_TRACKER.md"
CYCLE = (
    "| Session | Title | Status | Prerequisites |\n|---|---|---|---|\n"
    "| 1 | A | Pending | Session 2 |\n| 2 | B | Pending | Session 1 |\n"
)


def run(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    monkeypatch.setattr("sys.argv", ["syncbot", *args])
    monkeypatch.setenv("COLUMNS", "200")
    with pytest.raises(SystemExit) as exc:
        main()
    captured = capsys.readouterr()
    return int(exc.value.code or 0), captured.out, captured.err


def test_inspect_json_is_the_stable_interface(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(monkeypatch, capsys, "inspect", "--json", str(SEEDS / "000_e45d6e612abce616.txt"))
    data = json.loads(out)
    assert code == 0
    assert set(data) >= {"path", "shape", "title", "sessions", "waves", "problems"}
    assert data["shape"] == "table"
    first = data["sessions"][0]
    assert set(first) >= {"key", "title", "status", "status_text", "prerequisites", "phase", "checklist", "line"}
    assert (first["key"], first["status"], first["status_text"]) == ("1", "ready", "🔄 **READY**")
    assert data["waves"] == [["1"], ["2"], ["3", "4", "6"], ["5"], ["7"], ["8"]]


def test_validate_clean_file_says_ok_with_its_counts_and_exits_0(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(monkeypatch, capsys, "validate", str(EXAMPLE))
    assert (code, out) == (0, f"{EXAMPLE}: ok: 6 units, 5 waves\n")


def test_validate_cycle_exits_1_with_file_and_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    f = tmp_path / "T.md"
    f.write_text(CYCLE)
    code, out, _ = run(monkeypatch, capsys, "validate", str(f))
    assert code == 1
    assert out.startswith(f"{f}:3: error: dependency cycle: ")
    assert len(out.strip().splitlines()) == 1  # never wrapped: one problem, one line


@pytest.mark.parametrize(
    ("content", "message"),
    [(None, "no such file"), (b"\x00\x01binary", "binary file"), (b"  \n\n", "empty file")],
)
def test_unreadable_input_is_one_line_and_exit_2(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    content: bytes | None,
    message: str,
) -> None:
    f = tmp_path / "T.md"
    if content is not None:
        f.write_bytes(content)
    code, _, err = run(monkeypatch, capsys, "inspect", str(f))
    assert code == 2
    assert err.count("\n") == 1 and message in err and str(f) in err


def test_unrecognised_document_says_what_each_reader_tried(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    f = tmp_path / "README.md"
    f.write_text("# A library\n\nIt parses things. Install it with pip.\n\n## Usage\n\nCall `parse()`.\n")
    code, out, _ = run(monkeypatch, capsys, "inspect", "--json", str(f))
    data = json.loads(out)
    assert code == 0 and data["sessions"] == [] and data["shape"] == "unknown"
    [problem] = data["problems"]
    for reader in ("table", "thread", "tasklist", "phases", "components"):
        assert f"{reader}:" in problem["message"]


def test_mark_rewrites_one_status_in_place(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    f = tmp_path / "T.md"
    f.write_bytes(EXAMPLE.read_bytes())
    code, out, _ = run(monkeypatch, capsys, "mark", str(f), "3", "done")
    assert code == 0 and "3 -> done" in out
    before, after = EXAMPLE.read_text().splitlines(), f.read_text().splitlines()
    changed = [(a, b) for a, b in zip(before, after, strict=True) if a != b]
    assert [b for _, b in changed] == [
        "**Completed**: 2/6",
        "**Overall Progress**: 33%",
        "| **3** | Import Pipeline | Features | ✅ **COMPLETE** | 4h | Session 2 | CSV/OFX importers |",
    ]


def test_mark_unknown_key_is_a_usage_error_that_lists_the_known_keys(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    f = tmp_path / "T.md"
    f.write_bytes(EXAMPLE.read_bytes())
    code, _, err = run(monkeypatch, capsys, "mark", str(f), "99", "done")
    assert code == 2
    assert f"{f}: no unit '99'; known keys: 1, 2, 3, 4, 5, 6" in err
    assert f.read_bytes() == EXAMPLE.read_bytes()


@pytest.mark.parametrize(
    ("word", "status"),
    [("in-progress", "in_progress"), ("in_progress", "in_progress"), ("WIP", "in_progress"), ("complete", "done")],
)
def test_mark_takes_the_status_words_trailers_take(
    word: str, status: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    f = tmp_path / "T.md"
    f.write_bytes(EXAMPLE.read_bytes())
    code, out, _ = run(monkeypatch, capsys, "mark", str(f), "3", word)
    assert code == 0 and f"3 -> {status}" in out


def test_mark_unknown_status_word_is_a_usage_error_that_lists_the_words(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    f = tmp_path / "T.md"
    f.write_bytes(EXAMPLE.read_bytes())
    code, _, err = run(monkeypatch, capsys, "mark", str(f), "3", "finito")
    assert code == 2 and "'finito' is not a status; use planned, ready, in-progress" in err
    assert f.read_bytes() == EXAMPLE.read_bytes()


def test_sync_refuses_a_cycle_before_touching_anything(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    import subprocess

    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    (tmp_path / "T.md").write_text(CYCLE)
    monkeypatch.chdir(tmp_path)
    code, _, err = run(monkeypatch, capsys, "sync", "T.md")
    assert code == 1 and "T.md:3: dependency cycle" in err
    assert not (tmp_path / ".syncbot").exists()


def test_usage_error_exits_2(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(monkeypatch, capsys, "frobnicate")
    assert code == 2 and "No such command" in err


@pytest.mark.parametrize(
    ("error", "code"),
    [
        ("push_conflict", 3),
        ("unknown_watermark", 2),
        ("no_status_span", 1),
    ],
)
def test_git_and_write_failures_of_a_sync_are_one_line_with_the_fix(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path, error: str, code: int
) -> None:
    from syncbot import git
    from syncbot.writer import WriteError

    raised = {
        "push_conflict": git.PushConflict(["git", "rebase"], 1, "someone else changed the same lines; resolve it"),
        "unknown_watermark": git.GitError(["git", "cat-file"], 1, "the last processed commit abc is not here"),
        "no_status_span": WriteError("T.md:3: session 1 has no status written in the file; add a status"),
    }[error]

    def failing_sync(*args: object, **kwargs: object) -> None:
        raise raised

    monkeypatch.setattr("syncbot.engine.run_sync", failing_sync)
    monkeypatch.chdir(tmp_path)
    got, _, err = run(monkeypatch, capsys, "sync", "T.md")
    assert got == code
    assert err.startswith("syncbot: error: ") and "Traceback" not in err


TABLE = "# Plan\n\n| # | Title | Status | Depends on |\n|---|---|---|---|\n"


def test_validate_reports_an_unknown_prerequisite_at_its_line_and_exits_1(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    f = tmp_path / "T.md"
    f.write_text(TABLE + "| 1 | A | Done | - |\n| 2 | B | Ready | 1, 9 |\n")
    code, out, _ = run(monkeypatch, capsys, "validate", str(f))
    assert code == 1
    assert out.startswith(f"{f}:6: error: unit 2: unknown prerequisite 9; no unit has that key")
    assert len(out.strip().splitlines()) == 1


def test_validate_says_in_one_line_that_a_file_holds_no_tracker_and_how_to_see_why(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """What each reader looked for is `inspect --explain`'s to say; `validate` names the file, the problem and the
    next step (it printed every reader's notes, 1,800 characters on one line).  The text is no markup."""
    f = tmp_path / "notes.md"
    f.write_text("# Notes\n\nSome thoughts about [bold]things[/bold].\n")
    code, out, _ = run(monkeypatch, capsys, "validate", str(f))
    assert code == 1
    assert out.splitlines() == [
        f"{f}:1: error: no work units found (no status table, task list, sections, log, board or phase list that "
        f"syncbot reads); `syncbot inspect --explain {f}` shows what each reader looked for, `--shape S` or a "
        "reading hint chooses one"
    ]


def test_validate_shows_an_external_prerequisite_and_exits_0(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    f = tmp_path / "T.md"
    f.write_text(TABLE + "| 1 | A | Done | - |\n| 2 | B | Ready | 1, acme/api#14 |\n")
    code, out, _ = run(monkeypatch, capsys, "validate", str(f))
    assert code == 0
    assert out.splitlines() == [
        f"{f}:6: info: unit 2: external prerequisite 'acme/api#14' is shown, not checked",
        f"{f}: ok: 2 units, 2 waves",
    ]


def test_inspect_keeps_external_prerequisites_as_written(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    f = tmp_path / "T.md"
    f.write_text(TABLE + "| 1 | A | Done | - |\n| 2 | B | Planned | 1, [task 3](../api/ROADMAP.md#3) |\n")
    code, out, _ = run(monkeypatch, capsys, "inspect", "--json", str(f))
    assert code == 0
    assert json.loads(out)["sessions"][1]["prerequisites"] == ["1", "../api/ROADMAP.md#3"]


def test_validate_says_a_dropped_prerequisite_blocks_nothing(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    f = tmp_path / "T.md"
    f.write_text(TABLE + "| 1 | A | Done | - |\n| 2 | B | Dropped | 1 |\n| 3 | C | Planned | 2 |\n")
    code, out, _ = run(monkeypatch, capsys, "validate", str(f))
    assert code == 0
    assert out.splitlines() == [
        f"{f}:7: info: unit 3: prerequisite 2 is dropped; it blocks nothing",
        f"{f}: ok: 3 units, 3 waves",
    ]
    # …as the graph behind the summary's "Ready now" and "Blocked" has it
    graph = build_graph(read_tracker(f))
    assert (graph.ready(), graph.blocked_by()) == (["3"], {})


def test_sync_after_pull_counts_only_what_it_wrote(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], git_repo: Callable[..., GitRepo]
) -> None:
    repo = git_repo()
    repo.commit("Add tracker", {"T.md": EXAMPLE.read_text()})
    monkeypatch.chdir(repo.path)
    for name in list(os.environ):
        if name.startswith("SYNCBOT_"):
            monkeypatch.delenv(name)
    assert run(monkeypatch, capsys, "sync", "T.md")[0] == 0
    repo.commit("Start the importer\n\nSession: 3 in-progress\n")

    code, out, _ = run(monkeypatch, capsys, "pull", "T.md")
    assert code == 0 and out.startswith("T.md: wrote 1 status change into the tracker\n  3: planned → in_progress")
    head = repo.git("rev-parse", "HEAD")

    # the tracker already says it: sync writes nothing into the file, and says so
    code, out, _ = run(monkeypatch, capsys, "sync", "T.md")
    assert code == 0
    assert "wrote" not in out and "committed" not in out
    assert "T.md: 1 status change already in the tracker; the plan below carries them to the forge" in out
    assert repo.git("rev-parse", "HEAD") == head


def test_inspect_prints_a_trackers_brackets_as_text(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    tracker = tmp_path / "T.md"
    tracker.write_text("# [bold]T\n\n| ID | Task | Status |\n|---|---|---|\n| A1 | [/] odd [red]x | Done |\n")
    code, out, _ = run(monkeypatch, capsys, "inspect", "--explain", str(tracker))
    assert code == 0
    assert "[/] odd [red]x" in out and "[bold]T" in out


def test_explain_says_each_readers_score_and_why_the_chosen_one_won(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A reader that found units and was not used says its score against the chosen one's, and why: lower, or a
    tie decided by what each reading states."""
    tracker = tmp_path / "T.md"
    tracker.write_text(
        "# Plan\n\n## Step 1: Schema\n\n**Status:** done\n\n## Step 2: API\n\n**Status:** in progress\n"
        "**Depends on:** Step 1\n\n## Notes\n\n- [ ] ask about the API keys\n"
    )
    code, out, _ = run(monkeypatch, capsys, "inspect", "--explain", str(tracker))
    verdicts = dict(re.findall(r"^(\w+): ((?:chosen|joined|not used) \(.*\))$", out, re.MULTILINE))
    assert code == 0
    assert verdicts["sections"] == "chosen (2 units, confidence 1.00: score 2.0)"
    assert verdicts["board"] == "not used (found no units)"
    assert all(
        v.startswith(("chosen", "joined", "not used (found no units)")) or v.endswith(("; lower)", "checklists)"))
        for v in verdicts.values()
    )


def test_inspect_prints_each_problem_on_one_line_however_long(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """`file:line: error: …` stays one line for editors and grep, wider than the terminal too."""
    tracker = tmp_path / "T.md"
    rows = "".join(f"| LONG-KEY-NUMBER-{i:03d} | Task {i} | todo | |\n" for i in range(1, 12))
    tracker.write_text(f"{TABLE}{rows}| LONG-KEY-NUMBER-012 | Last | todo | LONG-KEY-NUMBER-099 |\n")
    code, out, _ = run(monkeypatch, capsys, "inspect", str(tracker))
    problem = [line for line in out.splitlines() if line.startswith(f"{tracker}:")]
    assert code == 0
    assert len(problem) == 1 and len(problem[0]) > 200 and problem[0].endswith("(4 more))")


def test_version_prints_the_installed_version_and_exits_0(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from importlib.metadata import version

    code, out, _ = run(monkeypatch, capsys, "--version")
    assert (code, out) == (0, f"syncbot {version('syncbot')}\n")
