"""The console script answers `inspect --json FILE` without the command-line framework (syncbot/entry.py):
the same bytes on stdout and stderr and the same exit code as the full command line, and every other
command line goes to the full one."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from syncbot.entry import _plain_inspect_json

ROOT = Path(__file__).parent.parent
EXAMPLE = ROOT / "examples" / "SESSION_TRACKER.md"
SEED = Path(__file__).parent / "fixtures" / "seeds" / "000_e45d6e612abce616.txt"

ENTRY = "import sys; from syncbot.entry import main; sys.argv[0] = 'syncbot'; main()"
CLI = "import sys; from syncbot.cli import main; sys.argv[0] = 'syncbot'; main()"


@pytest.mark.parametrize(
    ("args", "file"),
    [
        (["inspect", "--json", "T.md"], "T.md"),
        (["inspect", "T.md", "--json"], "T.md"),
        (["inspect", "T.md"], None),
        (["inspect", "--json", "--explain", "T.md"], None),
        (["inspect", "--json", "--help"], None),
        (["inspect", "--json", "--json"], None),
        (["inspect", "--json", "-"], None),
        (["validate", "--json", "T.md"], None),
        (["inspect", "--json", ""], None),
        ([], None),
    ],
)
def test_only_the_plain_json_forms_take_the_short_path(args: list[str], file: str | None) -> None:
    assert _plain_inspect_json(args) == file


def _run(code: str, *args: str, cwd: Path = ROOT) -> tuple[int, bytes, bytes]:
    p = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, cwd=cwd, check=False)
    return p.returncode, p.stdout, p.stderr


@pytest.mark.parametrize(
    "args",
    [
        ("inspect", "--json", str(EXAMPLE)),
        ("inspect", str(SEED), "--json"),
        ("inspect", "--json", "./examples//SESSION_TRACKER.md"),  # the path printed as the command line prints it
        ("inspect", "--json", "no-such-tracker.md"),  # the error, from the full command line
        ("inspect", "--json", "tests"),  # a directory
        ("inspect", "--json", "--shape", "table", str(EXAMPLE)),  # not plain: the full command line
    ],
)
def test_the_short_path_prints_what_the_command_line_prints(args: tuple[str, ...]) -> None:
    short = _run(ENTRY, *args)
    assert short == _run(CLI, *args)
    assert short[0] in (0, 2)


def test_a_tracker_with_nothing_to_read_prints_why(tmp_path: Path) -> None:
    empty = tmp_path / "notes.md"
    empty.write_text("# Notes\n\nNothing to track here.\n", encoding="utf-8")
    short = _run(ENTRY, "inspect", "--json", str(empty))
    assert short == _run(CLI, "inspect", "--json", str(empty))
    assert b"no work units found" in short[1]


def test_a_reader_that_stops_reading_gets_no_traceback(tmp_path: Path) -> None:
    """`syncbot inspect --json big.md | head -1`: the pipe closes early; the command ends quietly."""
    rows = "\n".join(f"| {i} | Unit {i} | ✅ |" for i in range(1, 3001))
    big = tmp_path / "big.md"
    big.write_text(f"# Big\n\n| Session | Title | Status |\n|---|---|---|\n{rows}\n")
    proc = subprocess.Popen(
        [sys.executable, "-c", ENTRY, "inspect", "--json", str(big)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=ROOT,
    )
    assert proc.stdout is not None and proc.stderr is not None
    first = proc.stdout.readline()
    proc.stdout.close()  # as `head -1` does
    err = proc.stderr.read()
    assert proc.wait(timeout=60) in (0, 1)
    assert first.startswith(b"{") and b"Traceback" not in err and b"BrokenPipe" not in err
